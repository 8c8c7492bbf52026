package fasthttp

import (
	"bytes"
	"cmp"
	"errors"
	"io"
	"iter"
	"slices"
	"sync"
)

// Args holds query or form arguments, such as "a=1&b=2", in their order.
//
// Values returned by Peek and friends stay valid until the next change of
// Args. Args must not be copied by value; use CopyTo. It is not safe for
// concurrent use.
type Args struct {
	noCopy noCopy

	args []argsKV
	buf  []byte
}

var argsPool = sync.Pool{New: func() any { return &Args{} }}

// AcquireArgs returns an empty Args from a pool. Return it with ReleaseArgs
// when done to reduce garbage.
func AcquireArgs() *Args {
	return argsPool.Get().(*Args)
}

// ReleaseArgs resets a and returns it to the pool. a must not be used after.
func ReleaseArgs(a *Args) {
	a.Reset()
	argsPool.Put(a)
}

// Reset removes every argument.
func (a *Args) Reset() {
	a.args = a.args[:0]
}

// CopyTo copies every argument into dst, replacing what dst held.
func (a *Args) CopyTo(dst *Args) {
	dst.args = copyKVs(dst.args, a.args)
}

// All returns an iterator over the arguments as key/value pairs, in order.
// The slices are valid only inside the loop body.
func (a *Args) All() iter.Seq2[[]byte, []byte] {
	return pairsOf(a.args)
}

// VisitAll calls f for each argument, in order. f must not keep the slices.
//
// Deprecated: use All.
func (a *Args) VisitAll(f func(key, value []byte)) {
	visitPairs(a.All(), f)
}

// Len returns the number of arguments.
func (a *Args) Len() int {
	return len(a.args)
}

// Parse replaces the arguments with those parsed from a query string such as
// "a=1&b=%20x".
func (a *Args) Parse(s string) {
	a.ParseBytes(s2b(s))
}

// ParseBytes is Parse for a byte slice.
func (a *Args) ParseBytes(b []byte) {
	a.args = a.args[:0]
	for len(b) > 0 {
		var pair []byte
		if i := bytes.IndexByte(b, '&'); i >= 0 {
			pair, b = b[:i], b[i+1:]
		} else {
			pair, b = b, nil
		}
		if len(pair) == 0 || (len(pair) == 1 && pair[0] == '=') {
			continue
		}
		var kv *argsKV
		a.args, kv = allocKV(a.args)
		if i := bytes.IndexByte(pair, '='); i >= 0 {
			kv.key = decodeArgAppend(kv.key[:0], pair[:i])
			kv.value = decodeArgAppend(kv.value[:0], pair[i+1:])
		} else {
			kv.key = decodeArgAppend(kv.key[:0], pair)
			kv.value = kv.value[:0]
			kv.noValue = true
		}
	}
}

// String returns the arguments encoded as a query string.
func (a *Args) String() string {
	return string(a.QueryString())
}

// QueryString returns the arguments encoded as a query string. The result is
// valid until the next call on a.
func (a *Args) QueryString() []byte {
	b := a.AppendBytes(a.buf[:0])
	a.buf = b
	return b
}

// Sort orders the arguments by key, then by value, using f to compare, e.g.
// args.Sort(bytes.Compare).
func (a *Args) Sort(f func(x, y []byte) int) {
	slices.SortFunc(a.args, func(x, y argsKV) int {
		return cmp.Or(f(x.key, y.key), f(x.value, y.value))
	})
}

// SortKeys orders the arguments by key only, using f to compare; arguments
// with equal keys keep their relative order.
func (a *Args) SortKeys(f func(x, y []byte) int) {
	slices.SortStableFunc(a.args, func(x, y argsKV) int {
		return f(x.key, y.key)
	})
}

// AppendBytes appends the arguments, encoded as a query string, to dst.
func (a *Args) AppendBytes(dst []byte) []byte {
	for i := range a.args {
		kv := &a.args[i]
		if i > 0 {
			dst = append(dst, '&')
		}
		dst = AppendQuotedArg(dst, kv.key)
		if !kv.noValue {
			dst = append(dst, '=')
			dst = AppendQuotedArg(dst, kv.value)
		}
	}
	return dst
}

// WriteTo writes the encoded query string to w.
func (a *Args) WriteTo(w io.Writer) (int64, error) {
	return writeFull(w, a.QueryString())
}

// Del removes every argument named key.
func (a *Args) Del(key string) {
	a.args = delKV(a.args, s2b(key))
}

// DelBytes removes every argument named key.
func (a *Args) DelBytes(key []byte) {
	a.args = delKV(a.args, key)
}

// Add appends key=value, keeping any existing argument of that name.
func (a *Args) Add(key, value string) {
	a.args = appendKV(a.args, s2b(key), s2b(value), false)
}

// AddBytesK is Add with a byte-slice key.
func (a *Args) AddBytesK(key []byte, value string) {
	a.args = appendKV(a.args, key, s2b(value), false)
}

// AddBytesV is Add with a byte-slice value.
func (a *Args) AddBytesV(key string, value []byte) {
	a.args = appendKV(a.args, s2b(key), value, false)
}

// AddBytesKV is Add with byte-slice key and value.
func (a *Args) AddBytesKV(key, value []byte) {
	a.args = appendKV(a.args, key, value, false)
}

// AddNoValue appends a bare key, written without '='.
func (a *Args) AddNoValue(key string) {
	a.args = appendKV(a.args, s2b(key), nil, true)
}

// AddBytesKNoValue is AddNoValue with a byte-slice key.
func (a *Args) AddBytesKNoValue(key []byte) {
	a.args = appendKV(a.args, key, nil, true)
}

// Set sets key=value: the first argument of that name takes the value and
// any later ones are removed, as net/http's Header.Set leaves one value;
// with none, the argument is appended.
func (a *Args) Set(key, value string) {
	a.args = setKV(a.args, s2b(key), s2b(value), false)
}

// SetBytesK is Set with a byte-slice key.
func (a *Args) SetBytesK(key []byte, value string) {
	a.args = setKV(a.args, key, s2b(value), false)
}

// SetBytesV is Set with a byte-slice value.
func (a *Args) SetBytesV(key string, value []byte) {
	a.args = setKV(a.args, s2b(key), value, false)
}

// SetBytesKV is Set with byte-slice key and value.
func (a *Args) SetBytesKV(key, value []byte) {
	a.args = setKV(a.args, key, value, false)
}

// SetNoValue is Set for a bare key, written without '='; later arguments
// of that name are removed.
func (a *Args) SetNoValue(key string) {
	a.args = setKV(a.args, s2b(key), nil, true)
}

// SetBytesKNoValue is SetNoValue with a byte-slice key.
func (a *Args) SetBytesKNoValue(key []byte) {
	a.args = setKV(a.args, key, nil, true)
}

// Peek returns the value of the first argument named key; nil when there
// is none or it is a bare key. The result is valid until the next change
// of a.
func (a *Args) Peek(key string) []byte {
	for i := range a.args {
		if b2s(a.args[i].key) == key {
			return a.args[i].peekValue()
		}
	}
	return nil
}

// PeekBytes is Peek with a byte-slice key.
func (a *Args) PeekBytes(key []byte) []byte {
	return a.Peek(b2s(key))
}

// peekValue returns the value: nil for a bare key, non-nil (maybe empty)
// otherwise, so that callers can tell "a" from "a=".
func (kv *argsKV) peekValue() []byte {
	if kv.noValue {
		return nil
	}
	if kv.value == nil {
		return strEmptyValue
	}
	return kv.value
}

// strEmptyValue is the value of "a=": empty but present. It has no
// capacity, so it can never be written through.
var strEmptyValue = make([]byte, 0)

// PeekMulti returns the values of every argument named key, in order.
func (a *Args) PeekMulti(key string) [][]byte {
	return a.PeekMultiBytes(s2b(key))
}

// PeekMultiBytes is PeekMulti with a byte-slice key.
func (a *Args) PeekMultiBytes(key []byte) [][]byte {
	var values [][]byte
	for i := range a.args {
		if bytes.Equal(a.args[i].key, key) {
			values = append(values, a.args[i].value)
		}
	}
	return values
}

// Has reports whether an argument named key exists.
func (a *Args) Has(key string) bool {
	return hasKV(a.args, s2b(key))
}

// HasBytes is Has with a byte-slice key.
func (a *Args) HasBytes(key []byte) bool {
	return hasKV(a.args, key)
}

// ErrNoArgValue is returned when the requested argument is missing.
var ErrNoArgValue = errors.New("fasthttp: no args value for the given key")

// GetUint parses the value of key as a non-negative integer.
func (a *Args) GetUint(key string) (int, error) {
	return parseArgValue(a, key, ParseUint)
}

// SetUint sets key to the decimal form of value.
func (a *Args) SetUint(key string, value int) {
	a.SetUintBytes(s2b(key), value)
}

// SetUintBytes is SetUint with a byte-slice key.
func (a *Args) SetUintBytes(key []byte, value int) {
	a.buf = AppendUint(a.buf[:0], value)
	a.args = setKV(a.args, key, a.buf, false)
}

// GetUintOrZero is GetUint that returns 0 on any error.
func (a *Args) GetUintOrZero(key string) int {
	return zeroOnError(a.GetUint(key))
}

// GetUfloat parses the value of key as a non-negative float.
func (a *Args) GetUfloat(key string) (float64, error) {
	return parseArgValue(a, key, ParseUfloat)
}

// GetUfloatOrZero is GetUfloat that returns 0 on any error.
func (a *Args) GetUfloatOrZero(key string) float64 {
	return zeroOnError(a.GetUfloat(key))
}

// parseArgValue parses the value of key with parse; a missing or empty
// value is ErrNoArgValue, reported with -1 as the numeric getters do.
func parseArgValue[T int | float64](a *Args, key string, parse func([]byte) (T, error)) (T, error) {
	v := a.Peek(key)
	if len(v) == 0 {
		return -1, ErrNoArgValue
	}
	return parse(v)
}

// zeroOnError turns a failed numeric lookup into 0.
func zeroOnError[T int | float64](v T, err error) T {
	if err != nil {
		return 0
	}
	return v
}

// GetBool reports whether the value of key is one of "1", "t", "T",
// "true", "True", "TRUE", "y", "Y", "yes", "Yes" or "YES".
func (a *Args) GetBool(key string) bool {
	switch b2s(a.Peek(key)) {
	case "1", "t", "T", "true", "True", "TRUE", "y", "Y", "yes", "Yes", "YES":
		return true
	}
	return false
}

// noCopy makes go vet report accidental copies of types holding it.
type noCopy struct{}

func (*noCopy) Lock()   {}
func (*noCopy) Unlock() {}
