package fasthttp

import (
	"bytes"
	"encoding/binary"
	"errors"
)

// This file holds what request and response headers share: header-name
// normalization, the RFC 9110 character classes and field-value checks.

// tokenTable marks RFC 9110 tchar bytes, the only bytes allowed in a method
// or a field name.
var tokenTable = func() (t [256]bool) {
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c] = true
	}
	for c := 'A'; c <= 'Z'; c++ {
		t[c] = true
	}
	for _, c := range "!#$%&'*+-.^_`|~" {
		t[c] = true
	}
	return
}()

// validToken reports whether b is a non-empty RFC 9110 token.
func validToken(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	for _, c := range b {
		if !tokenTable[c] {
			return false
		}
	}
	return true
}

const (
	swarOnes = 0x0101010101010101
	swarHigh = 0x8080808080808080
)

// swarHasLess reports whether any byte of x is below n (n <= 128).
func swarHasLess(x uint64, n byte) bool {
	return (x-swarOnes*uint64(n))&^x&swarHigh != 0
}

// swarHasByte reports whether any byte of x equals c.
func swarHasByte(x uint64, c byte) bool {
	y := x ^ (swarOnes * uint64(c))
	return (y-swarOnes)&^y&swarHigh != 0
}

// validFieldValue reports whether b may appear in a field value: visible
// ASCII, obs-text (0x80-0xFF), SP and HTAB. CR, LF, NUL and the other
// control bytes are refused, which is what keeps a value from splitting a
// header or a message (RFC 9110 §5.5).
func validFieldValue(b []byte) bool {
	i := 0
	for ; i+8 <= len(b); i += 8 {
		x := binary.LittleEndian.Uint64(b[i:])
		if swarHasLess(x, 0x20) || swarHasByte(x, 0x7f) {
			for _, c := range b[i : i+8] {
				if (c < 0x20 && c != '\t') || c == 0x7f {
					return false
				}
			}
		}
	}
	for _, c := range b[i:] {
		if (c < 0x20 && c != '\t') || c == 0x7f {
			return false
		}
	}
	return true
}

// validTargetBytes reports whether b holds only visible ASCII (0x21-0x7E),
// as a request-target must.
func validTargetBytes(b []byte) bool {
	i := 0
	for ; i+8 <= len(b); i += 8 {
		x := binary.LittleEndian.Uint64(b[i:])
		// A byte >= 0x7f has its high bit set after adding 1.
		if swarHasLess(x, 0x21) || (x+swarOnes)&swarHigh != 0 || x&swarHigh != 0 {
			return false
		}
	}
	for _, c := range b[i:] {
		if c < 0x21 || c > 0x7e {
			return false
		}
	}
	return true
}

// trimOWS removes leading and trailing spaces and tabs.
func trimOWS(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t') {
		b = b[:len(b)-1]
	}
	return b
}

// normalizeHeaderKey rewrites b in place to the canonical form: the first
// letter and every letter after '-' upper case, the rest lower case. Names
// holding bytes outside tchar are left alone.
func normalizeHeaderKey(b []byte) {
	for _, c := range b {
		if !tokenTable[c] {
			return
		}
	}
	upper := true
	for i, c := range b {
		if upper {
			b[i] = toUpperTable[c]
		} else {
			b[i] = toLowerTable[c]
		}
		upper = c == '-'
	}
}

// AppendNormalizedHeaderKey appends key to dst in canonical form:
// "content-type" becomes "Content-Type".
func AppendNormalizedHeaderKey(dst []byte, key string) []byte {
	n := len(dst)
	dst = append(dst, key...)
	normalizeHeaderKey(dst[n:])
	return dst
}

// AppendNormalizedHeaderKeyBytes is AppendNormalizedHeaderKey for a byte
// slice.
func AppendNormalizedHeaderKeyBytes(dst, key []byte) []byte {
	return AppendNormalizedHeaderKey(dst, b2s(key))
}

// hasTokenFold reports whether the comma-separated list value holds token,
// compared case-insensitively (as Connection options are).
func hasTokenFold(value []byte, token string) bool {
	for len(value) > 0 {
		var item []byte
		if i := bytes.IndexByte(value, ','); i >= 0 {
			item, value = value[:i], value[i+1:]
		} else {
			item, value = value, nil
		}
		if equalFoldString(trimOWS(item), token) {
			return true
		}
	}
	return false
}

// VisitHeaderParams calls f for each parameter of a header value such as
// `text/html; charset=utf-8; q="0.5"`, with quotes removed from quoted
// values. f returns false to stop.
func VisitHeaderParams(b []byte, f func(key, value []byte) bool) {
	// Skip the main value.
	i := bytes.IndexByte(b, ';')
	if i < 0 {
		return
	}
	b = b[i+1:]
	for len(b) > 0 {
		b = trimOWS(b)
		eq := bytes.IndexByte(b, '=')
		semi := bytes.IndexByte(b, ';')
		if eq < 0 || (semi >= 0 && semi < eq) {
			// A parameter without '=' is malformed: skip it.
			if semi < 0 {
				return
			}
			b = b[semi+1:]
			continue
		}
		key := trimOWS(b[:eq])
		b = trimOWS(b[eq+1:])
		var value []byte
		if len(b) > 0 && b[0] == '"' {
			end := bytes.IndexByte(b[1:], '"')
			if end < 0 {
				return
			}
			value = b[1 : end+1]
			b = b[end+2:]
			if j := bytes.IndexByte(b, ';'); j >= 0 {
				b = b[j+1:]
			} else {
				b = nil
			}
		} else if j := bytes.IndexByte(b, ';'); j >= 0 {
			value, b = trimOWS(b[:j]), b[j+1:]
		} else {
			value, b = trimOWS(b), nil
		}
		if len(key) == 0 {
			continue
		}
		if !f(key, value) {
			return
		}
	}
}

// validHost reports whether b is a valid Host field value: empty, or a
// reg-name, IPv4 address or bracketed IPv6 literal, with an optional
// numeric port. Userinfo, paths, spaces and lists are all refused
// (RFC 9112 §3.2, RFC 3986 §3.2.2).
func validHost(b []byte) bool {
	if len(b) == 0 {
		return true
	}
	host, port := b, []byte(nil)
	if b[0] == '[' {
		end := bytes.IndexByte(b, ']')
		if end < 0 {
			return false
		}
		for _, c := range b[1:end] {
			if hexValue[c] >= 16 && c != ':' && c != '.' {
				return false
			}
		}
		if end == 1 {
			return false
		}
		rest := b[end+1:]
		if len(rest) > 0 {
			if rest[0] != ':' {
				return false
			}
			port = rest[1:]
		}
		host = nil
	} else if i := bytes.LastIndexByte(b, ':'); i >= 0 {
		host, port = b[:i], b[i+1:]
	}
	for i := 0; i < len(host); i++ {
		c := host[i]
		if unreservedQuery[c] || hostSubDelims[c] {
			continue
		}
		if c == '%' && i+2 < len(host) && hexValue[host[i+1]] < 16 && hexValue[host[i+2]] < 16 {
			i += 2
			continue
		}
		return false
	}
	if len(port) > 5 {
		return false
	}
	for _, c := range port {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// hostSubDelims marks the RFC 3986 sub-delims, allowed in a reg-name.
var hostSubDelims = func() (t [256]bool) {
	for _, c := range "!$&'()*+,;=" {
		t[c] = true
	}
	return
}()

// errNeedMore tells a parser that buf ends before the header block does.
var errNeedMore = errors.New("fasthttp: need more data: cannot find trailing lf")

// ErrNeedMore is returned by header parsers when the input ends before the
// header block does.
var ErrNeedMore = errNeedMore

// nextLine splits buf at the first LF. It returns the line without its
// terminator (CRLF or a bare LF), the rest, and false when buf holds no LF.
func nextLine(buf []byte) (line, rest []byte, ok bool) {
	i := bytes.IndexByte(buf, '\n')
	if i < 0 {
		return nil, buf, false
	}
	line = buf[:i]
	if i > 0 && line[i-1] == '\r' {
		line = line[:i-1]
	}
	return line, buf[i+1:], true
}

// validHeaderName reports whether key can be written as a field name.
func validHeaderName(key []byte) bool {
	return validToken(key)
}

// sanitizeFieldValue returns value with every CR, LF and NUL replaced by a
// space, copying into *buf only when a replacement is needed. No setter can
// thus smuggle a line break onto the wire.
func sanitizeFieldValue(buf *[]byte, value []byte) []byte {
	if validFieldValue(value) {
		return value
	}
	b := append((*buf)[:0], value...)
	for i, c := range b {
		if (c < 0x20 && c != '\t') || c == 0x7f {
			b[i] = ' '
		}
	}
	*buf = b
	return b
}

// appendHeaderLine appends "key: value\r\n".
func appendHeaderLine(dst, key, value []byte) []byte {
	dst = append(dst, key...)
	dst = append(dst, ':', ' ')
	dst = append(dst, value...)
	return append(dst, '\r', '\n')
}
