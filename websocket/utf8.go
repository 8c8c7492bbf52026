package websocket

import "unicode/utf8"

// utf8Validator checks UTF-8 (RFC 3629) across the fragments of a text
// message, failing on the first byte that cannot start or continue a valid
// sequence (§8.1: fail fast, not at the end of the message).
type utf8Validator struct {
	need   uint8 // continuation bytes still expected
	lo, hi byte  // range allowed for the next continuation byte
}

func (v *utf8Validator) reset() { *v = utf8Validator{} }

// complete reports whether no sequence is left unfinished.
func (v *utf8Validator) complete() bool { return v.need == 0 }

// feed validates p as the next bytes of the stream.
func (v *utf8Validator) feed(p []byte) bool {
	i := 0
	for v.need > 0 && i < len(p) {
		if !v.step(p[i]) {
			return false
		}
		i++
	}
	if i == len(p) {
		return true
	}
	// The bulk goes to utf8.Valid (fast on ASCII); a sequence cut off at
	// the end is held back and walked byte by byte, so that a prefix which
	// can never complete is refused now.
	end := len(p)
	j := end - 1
	for k := 0; k < 3 && j > i && p[j]&0xc0 == 0x80; k++ {
		j--
	}
	if n := seqLen(p[j]); n > 0 && end-j < n {
		end = j
	}
	if !utf8.Valid(p[i:end]) {
		return false
	}
	for _, b := range p[end:] {
		if !v.step(b) {
			return false
		}
	}
	return true
}

// step advances the state machine by one byte.
func (v *utf8Validator) step(b byte) bool {
	if v.need > 0 {
		if b < v.lo || b > v.hi {
			return false
		}
		v.lo, v.hi = 0x80, 0xbf
		v.need--
		return true
	}
	switch {
	case b < 0x80:
		return true
	case b >= 0xc2 && b <= 0xdf:
		v.need, v.lo, v.hi = 1, 0x80, 0xbf
	case b == 0xe0:
		v.need, v.lo, v.hi = 2, 0xa0, 0xbf
	case b == 0xed:
		v.need, v.lo, v.hi = 2, 0x80, 0x9f
	case b >= 0xe1 && b <= 0xef:
		v.need, v.lo, v.hi = 2, 0x80, 0xbf
	case b == 0xf0:
		v.need, v.lo, v.hi = 3, 0x90, 0xbf
	case b >= 0xf1 && b <= 0xf3:
		v.need, v.lo, v.hi = 3, 0x80, 0xbf
	case b == 0xf4:
		v.need, v.lo, v.hi = 3, 0x80, 0x8f
	default:
		return false
	}
	return true
}

// seqLen returns the length of the sequence lead byte b starts, or 0 when
// b is not a lead byte of a multi-byte sequence.
func seqLen(b byte) int {
	switch {
	case b >= 0xc2 && b <= 0xdf:
		return 2
	case b >= 0xe0 && b <= 0xef:
		return 3
	case b >= 0xf0 && b <= 0xf4:
		return 4
	}
	return 0
}
