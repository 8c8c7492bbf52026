package fasthttp

import (
	"bytes"
	"iter"
)

// argsKV is one key/value pair of a header, cookie or query list. Lists of
// them are reused across requests: an entry's key and value keep their
// capacity, so refilling a list allocates nothing.
type argsKV struct {
	key     []byte
	value   []byte
	noValue bool
	// inHeader marks a field read from a message's header section: it
	// stays there even when the Trailer field announces its name. Fields
	// set by hand or read after the body follow the announcement.
	inHeader bool
}

// allocKV grows list by one entry, reusing a previously truncated one when
// there is capacity, and returns the new list and its last entry.
func allocKV(list []argsKV) ([]argsKV, *argsKV) {
	n := len(list)
	if cap(list) > n {
		list = list[:n+1]
	} else {
		list = append(list, argsKV{})
	}
	kv := &list[n]
	kv.noValue = false
	kv.inHeader = false
	return list, kv
}

// appendKV adds key=value to the end of list.
func appendKV(list []argsKV, key, value []byte, noValue bool) []argsKV {
	list, kv := allocKV(list)
	kv.key = append(kv.key[:0], key...)
	kv.value = append(kv.value[:0], value...)
	kv.noValue = noValue
	return list
}

// setKV replaces the value of the first entry named key, or adds one.
// Later duplicates of key are removed.
func setKV(list []argsKV, key, value []byte, noValue bool) []argsKV {
	for i := range list {
		kv := &list[i]
		if bytes.Equal(kv.key, key) {
			kv.value = append(kv.value[:0], value...)
			kv.noValue = noValue
			return delKVFrom(list, key, i+1)
		}
	}
	return appendKV(list, key, value, noValue)
}

// peekKV returns the value of the first entry named key, or nil.
func peekKV(list []argsKV, key []byte) []byte {
	for i := range list {
		if bytes.Equal(list[i].key, key) {
			return list[i].value
		}
	}
	return nil
}

// peekKVString is peekKV for a string key.
func peekKVString(list []argsKV, key string) []byte {
	for i := range list {
		if b2s(list[i].key) == key {
			return list[i].value
		}
	}
	return nil
}

// hasKV reports whether an entry named key exists.
func hasKV(list []argsKV, key []byte) bool {
	for i := range list {
		if bytes.Equal(list[i].key, key) {
			return true
		}
	}
	return false
}

// peekKVFold is peekKV with key compared without regard to case.
func peekKVFold(list []argsKV, key string) []byte {
	for i := range list {
		if equalFoldString(list[i].key, key) {
			return list[i].value
		}
	}
	return nil
}

// delKVAt removes the entry at index i, keeping the order of the rest and
// moving the removed entry past the end so that its buffers are reused.
func delKVAt(list []argsKV, i int) []argsKV {
	tmp := list[i]
	copy(list[i:], list[i+1:])
	n := len(list) - 1
	list[n] = tmp
	return list[:n]
}

// delKV removes every entry named key.
func delKV(list []argsKV, key []byte) []argsKV {
	return delKVFrom(list, key, 0)
}

// delKVFrom removes every entry named key at index from or later, keeping
// the order of the rest. Removed entries move past the end so that their
// buffers are reused.
func delKVFrom(list []argsKV, key []byte, from int) []argsKV {
	n := len(list)
	for i := from; i < n; i++ {
		if bytes.Equal(list[i].key, key) {
			list = delKVAt(list[:n], i)
			n--
			i--
		}
	}
	return list[:n]
}

// copyKVs copies src into dst, reusing dst's buffers.
func copyKVs(dst, src []argsKV) []argsKV {
	if cap(dst) < len(src) {
		tmp := make([]argsKV, len(src))
		copy(tmp, dst)
		dst = tmp
	}
	dst = dst[:len(src)]
	for i := range src {
		d, s := &dst[i], &src[i]
		d.key = append(d.key[:0], s.key...)
		d.value = append(d.value[:0], s.value...)
		d.noValue = s.noValue
		d.inHeader = s.inHeader
	}
	return dst
}

// delKVFold removes every entry named key, compared without regard to case.
func delKVFold(list []argsKV, key string) []argsKV {
	for i := 0; i < len(list); i++ {
		if equalFoldString(list[i].key, key) {
			list = delKVAt(list, i)
			i--
		}
	}
	return list
}

// setKVFold replaces the value of the first entry named key in any case,
// renaming it to key, or adds one; later entries of that name are removed.
func setKVFold(list []argsKV, key, value []byte) []argsKV {
	for i := range list {
		kv := &list[i]
		if equalFoldASCII(kv.key, key) {
			kv.key = append(kv.key[:0], key...)
			kv.value = append(kv.value[:0], value...)
			kv.noValue = false
			for j := i + 1; j < len(list); j++ {
				if equalFoldASCII(list[j].key, key) {
					list = delKVAt(list, j)
					j--
				}
			}
			return list
		}
	}
	return appendKV(list, key, value, false)
}

// nilIfEmpty returns nil for an empty value, so that Peek reports an absent
// field the same way whatever storage it has.
func nilIfEmpty(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return b
}

// appendValuesOf appends the values of the fields in list named key.
func appendValuesOf(dst [][]byte, list []argsKV, key []byte) [][]byte {
	for i := range list {
		if bytes.Equal(list[i].key, key) {
			dst = append(dst, list[i].value)
		}
	}
	return dst
}

// appendKVKeys appends the names in list.
func appendKVKeys(dst [][]byte, list []argsKV) [][]byte {
	for i := range list {
		dst = append(dst, list[i].key)
	}
	return dst
}

// pairsOf returns an iterator over the entries of list as key/value
// pairs, the form every All-style method hands out.
func pairsOf(list []argsKV) iter.Seq2[[]byte, []byte] {
	return func(yield func([]byte, []byte) bool) {
		for i := range list {
			if kv := &list[i]; !yield(kv.key, kv.value) {
				return
			}
		}
	}
}

// visitPairs calls f for every pair seq yields: the deprecated Visit*
// methods are their iterators driven to the end.
func visitPairs(seq iter.Seq2[[]byte, []byte], f func(key, value []byte)) {
	seq(func(k, v []byte) bool {
		f(k, v)
		return true
	})
}

// visitKeys is visitPairs for an iterator of names.
func visitKeys(seq iter.Seq[[]byte], f func(key []byte)) {
	seq(func(k []byte) bool {
		f(k)
		return true
	})
}

// yieldKVKeys yields the names in list until yield returns false.
func yieldKVKeys(list []argsKV, yield func([]byte) bool) {
	for i := range list {
		if !yield(list[i].key) {
			return
		}
	}
}

// appendSeqKeys appends every name seq yields.
func appendSeqKeys(dst [][]byte, seq iter.Seq2[[]byte, []byte]) [][]byte {
	for k := range seq {
		dst = append(dst, k)
	}
	return dst
}

// seqLen counts the pairs seq yields.
func seqLen(seq iter.Seq2[[]byte, []byte]) int {
	n := 0
	for range seq {
		n++
	}
	return n
}
