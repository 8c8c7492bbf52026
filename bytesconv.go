package fasthttp

import (
	"bytes"
	"errors"
	"math"
	"net"
	"sync"
	"time"
	"unsafe"
)

// b2s views b as a string without copying. The caller must not change b
// while the string is in use.
func b2s(b []byte) string {
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// s2b views s as a byte slice without copying. The result must never be
// written to.
func s2b(s string) []byte {
	return unsafe.Slice(unsafe.StringData(s), len(s))
}

var (
	errEmptyInt        = errors.New("fasthttp: empty integer")
	errUnexpectedFirst = errors.New("fasthttp: unexpected first char found, expecting 0-9")
	errUnexpectedTrail = errors.New("fasthttp: unexpected trailing char found, expecting 0-9")
	errTooLongInt      = errors.New("fasthttp: too long integer")
	errEmptyFloat      = errors.New("fasthttp: empty float number")
	errDuplicateDot    = errors.New("fasthttp: duplicate point found in float number")
	errUnexpectedFloat = errors.New("fasthttp: unexpected char found in float number")
	errInvalidIPv4     = errors.New("fasthttp: cannot parse IPv4 address")
	errNegativeUint    = errors.New("fasthttp: negative numbers are not supported")
)

// AppendUint appends the decimal form of n to dst. n must not be negative.
func AppendUint(dst []byte, n int) []byte {
	if n < 0 {
		panic("BUG: fasthttp.AppendUint expects a non-negative number")
	}
	var buf [20]byte
	i := len(buf)
	for n >= 10 {
		i--
		q := n / 10
		buf[i] = byte('0' + n - q*10)
		n = q
	}
	i--
	buf[i] = byte('0' + n)
	return append(dst, buf[i:]...)
}

// ParseUint parses a non-negative decimal integer made of digits only. Signs,
// spaces and values that overflow an int are errors.
func ParseUint(buf []byte) (int, error) {
	v, n, err := parseUintPrefix(buf)
	if err != nil {
		return -1, err
	}
	if n != len(buf) {
		return -1, errUnexpectedTrail
	}
	return v, nil
}

// parseUintPrefix parses the leading digits of buf and reports how many bytes
// it consumed.
func parseUintPrefix(buf []byte) (int, int, error) {
	if len(buf) == 0 {
		return -1, 0, errEmptyInt
	}
	v := 0
	for i, c := range buf {
		d := c - '0'
		if d > 9 {
			if i == 0 {
				return -1, i, errUnexpectedFirst
			}
			return v, i, nil
		}
		if v > (math.MaxInt-int(d))/10 {
			return -1, i, errTooLongInt
		}
		v = v*10 + int(d)
	}
	return v, len(buf), nil
}

// ParseUfloat parses an unsigned decimal float such as "12.5" or "1e3".
func ParseUfloat(buf []byte) (float64, error) {
	if len(buf) == 0 {
		return -1, errEmptyFloat
	}
	var v uint64
	offset := 1.0
	seenDot := false
	for i, c := range buf {
		switch {
		case c >= '0' && c <= '9':
			if v > (math.MaxUint64-9)/10 {
				return -1, errTooLongInt
			}
			v = 10*v + uint64(c-'0')
			if seenDot {
				offset /= 10
			}
		case c == '.':
			if seenDot {
				return -1, errDuplicateDot
			}
			seenDot = true
		case (c == 'e' || c == 'E') && i > 0:
			if i+1 >= len(buf) {
				return -1, errUnexpectedFloat
			}
			rest := buf[i+1:]
			neg := false
			switch rest[0] {
			case '-':
				neg = true
				rest = rest[1:]
			case '+':
				rest = rest[1:]
			}
			exp, err := ParseUint(rest)
			if err != nil {
				return -1, errUnexpectedFloat
			}
			if neg {
				return float64(v) * offset * math.Pow10(-exp), nil
			}
			return float64(v) * offset * math.Pow10(exp), nil
		default:
			if c == '-' {
				return -1, errNegativeUint
			}
			return -1, errUnexpectedFloat
		}
	}
	return float64(v) * offset, nil
}

// AppendIPv4 appends the dotted form of an IPv4 address to dst.
func AppendIPv4(dst []byte, ip net.IP) []byte {
	ip4 := ip.To4()
	if ip4 == nil {
		return append(dst, "non-v4 ip passed to AppendIPv4: "...)
	}
	dst = AppendUint(dst, int(ip4[0]))
	for i := 1; i < 4; i++ {
		dst = append(dst, '.')
		dst = AppendUint(dst, int(ip4[i]))
	}
	return dst
}

// ParseIPv4 parses a dotted IPv4 address into dst (reusing its memory when it
// has room) and returns the result.
func ParseIPv4(dst net.IP, ipStr []byte) (net.IP, error) {
	if len(ipStr) == 0 {
		return dst, errInvalidIPv4
	}
	if len(dst) < net.IPv4len || len(dst) > net.IPv6len {
		dst = make(net.IP, net.IPv4len)
	}
	copy(dst, net.IPv4zero)
	dst = dst.To4()
	if dst == nil {
		dst = make(net.IP, net.IPv4len)
	}
	b := ipStr
	for i := 0; i < 4; i++ {
		end := len(b)
		if i < 3 {
			end = bytes.IndexByte(b, '.')
			if end < 0 {
				return dst, errInvalidIPv4
			}
		}
		part := b[:end]
		if len(part) == 0 || len(part) > 3 || (len(part) > 1 && part[0] == '0') {
			return dst, errInvalidIPv4
		}
		v, err := ParseUint(part)
		if err != nil || v > 255 {
			return dst, errInvalidIPv4
		}
		dst[i] = byte(v)
		if i < 3 {
			b = b[end+1:]
		}
	}
	return dst, nil
}

// AppendHTTPDate appends date in the IMF-fixdate form HTTP uses
// ("Mon, 02 Jan 2006 15:04:05 GMT").
func AppendHTTPDate(dst []byte, date time.Time) []byte {
	return date.UTC().AppendFormat(dst, time.RFC1123[:len(time.RFC1123)-3]+"GMT")
}

// ParseHTTPDate parses an IMF-fixdate such as "Mon, 02 Jan 2006 15:04:05 GMT".
func ParseHTTPDate(date []byte) (time.Time, error) {
	return time.Parse(time.RFC1123, b2s(date))
}

// CoarseTimeNow returns the current time truncated to the second. Kept for
// compatibility; time.Now is cheap on modern platforms.
func CoarseTimeNow() time.Time {
	return time.Now().Truncate(time.Second)
}

var timerPool sync.Pool

// AcquireTimer returns a stopped-then-started timer that fires after timeout,
// taken from a pool. Return it with ReleaseTimer when done.
func AcquireTimer(timeout time.Duration) *time.Timer {
	v := timerPool.Get()
	if v == nil {
		return time.NewTimer(timeout)
	}
	t := v.(*time.Timer)
	t.Reset(timeout)
	return t
}

// ReleaseTimer stops t and returns it to the pool. t must not be used after.
func ReleaseTimer(t *time.Timer) {
	t.Stop()
	timerPool.Put(t)
}

const (
	upperHex = "0123456789ABCDEF"
	lowerHex = "0123456789abcdef"
)

// hexValue maps an ASCII hex digit to its value, and any other byte to 16.
var hexValue = func() (t [256]byte) {
	for i := range t {
		t[i] = 16
	}
	for i := 0; i < 10; i++ {
		t['0'+i] = byte(i)
	}
	for i := 0; i < 6; i++ {
		t['a'+i] = byte(10 + i)
		t['A'+i] = byte(10 + i)
	}
	return t
}()

// toLowerTable and toUpperTable fold ASCII letters and leave every other byte.
var toLowerTable, toUpperTable = func() (lo, up [256]byte) {
	for i := range lo {
		c := byte(i)
		lo[i], up[i] = c, c
		if c >= 'A' && c <= 'Z' {
			lo[i] = c + 32
		}
		if c >= 'a' && c <= 'z' {
			up[i] = c - 32
		}
	}
	return
}()

func lowercaseBytes(b []byte) {
	for i, c := range b {
		b[i] = toLowerTable[c]
	}
}

// equalFoldASCII reports whether a and b are equal ignoring ASCII case.
func equalFoldASCII(a, b []byte) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if toLowerTable[a[i]] != toLowerTable[b[i]] {
			return false
		}
	}
	return true
}

// equalFoldString is equalFoldASCII against a string.
func equalFoldString(a []byte, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if toLowerTable[a[i]] != toLowerTable[b[i]] {
			return false
		}
	}
	return true
}

// AppendHTMLEscape appends s to dst with <, >, ", ' and & escaped.
func AppendHTMLEscape(dst []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); i++ {
		var rep string
		switch s[i] {
		case '<':
			rep = "&lt;"
		case '>':
			rep = "&gt;"
		case '"':
			rep = "&#34;"
		case '\'':
			rep = "&#39;"
		case '&':
			rep = "&amp;"
		default:
			continue
		}
		dst = append(dst, s[start:i]...)
		dst = append(dst, rep...)
		start = i + 1
	}
	return append(dst, s[start:]...)
}

// AppendHTMLEscapeBytes is AppendHTMLEscape for a byte slice.
func AppendHTMLEscapeBytes(dst, s []byte) []byte {
	return AppendHTMLEscape(dst, b2s(s))
}

// unreservedQuery marks bytes that pass unescaped in a query argument
// (RFC 3986 unreserved characters).
var unreservedQuery = func() (t [256]bool) {
	for c := 'a'; c <= 'z'; c++ {
		t[c] = true
	}
	for c := 'A'; c <= 'Z'; c++ {
		t[c] = true
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for _, c := range "-_.~" {
		t[c] = true
	}
	return
}()

// pathSafe marks bytes that pass unescaped in a path.
var pathSafe = func() (t [256]bool) {
	t = unreservedQuery
	for _, c := range "/!$&'()*+,;=:@" {
		t[c] = true
	}
	return
}()

// AppendQuotedArg appends src to dst percent-encoded as a query argument:
// unreserved bytes stay, a space becomes %20 and everything else %XX.
func AppendQuotedArg(dst, src []byte) []byte {
	for _, c := range src {
		if unreservedQuery[c] {
			dst = append(dst, c)
		} else {
			dst = append(dst, '%', upperHex[c>>4], upperHex[c&0xf])
		}
	}
	return dst
}

// appendQuotedPath appends src percent-encoded for use as a URI path.
func appendQuotedPath(dst, src []byte) []byte {
	for _, c := range src {
		if pathSafe[c] {
			dst = append(dst, c)
		} else {
			dst = append(dst, '%', upperHex[c>>4], upperHex[c&0xf])
		}
	}
	return dst
}

// AppendUnquotedArg appends src to dst with %XX sequences decoded and '+'
// turned into a space, as in form-encoded query arguments.
func AppendUnquotedArg(dst, src []byte) []byte {
	return decodeArgAppend(dst, src)
}

// decodeArgAppend decodes a form-encoded value ('+' is a space).
func decodeArgAppend(dst, src []byte) []byte {
	return percentDecodeAppend(dst, src, true)
}

// decodeArgAppendNoPlus decodes %XX sequences and keeps '+' as it is, as a
// path needs.
func decodeArgAppendNoPlus(dst, src []byte) []byte {
	return percentDecodeAppend(dst, src, false)
}

func percentDecodeAppend(dst, src []byte, plusIsSpace bool) []byte {
	// Fast path: nothing to decode.
	i := 0
	for ; i < len(src); i++ {
		c := src[i]
		if c == '%' || (c == '+' && plusIsSpace) {
			break
		}
	}
	if i == len(src) {
		return append(dst, src...)
	}
	dst = append(dst, src[:i]...)
	for ; i < len(src); i++ {
		c := src[i]
		switch {
		case c == '+' && plusIsSpace:
			dst = append(dst, ' ')
		case c == '%' && i+2 < len(src) && hexValue[src[i+1]] < 16 && hexValue[src[i+2]] < 16:
			dst = append(dst, hexValue[src[i+1]]<<4|hexValue[src[i+2]])
			i += 2
		default:
			dst = append(dst, c)
		}
	}
	return dst
}
