package fasthttp

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"net"
	"strconv"
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

// Texts follow upstream fasthttp, since callers may print or compare them.
var (
	errEmptyInt        = errors.New("empty integer")
	errUnexpectedFirst = errors.New("unexpected first char found: expecting 0-9")
	errUnexpectedTrail = errors.New("unexpected trailing char found: expecting 0-9")
	errNegativeFloat   = errors.New("negative input is invalid")
	errEmptyIPv4       = errors.New("empty ip address string")
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

// ParseUint parses a non-negative decimal integer made of digits only.
// Signs, spaces and values that overflow an int are errors.
func ParseUint(buf []byte) (int, error) {
	v, n, err := parseUintPrefix(buf)
	if err != nil {
		if err == errEmptyInt {
			return -1, err
		}
		return -1, errUnexpectedTrail
	}
	if n != len(buf) {
		return -1, errUnexpectedTrail
	}
	return v, nil
}

// parseUintPrefix parses the leading digits of buf and reports how many
// bytes it consumed.
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
			return -1, i, errUnexpectedTrail
		}
		v = v*10 + int(d)
	}
	return v, len(buf), nil
}

// ParseUfloat parses an unsigned decimal float such as "12.5" or "1e3".
// Plain forms are parsed here without allocating; anything else goes to
// strconv.ParseFloat, and a leading '-' is refused.
func ParseUfloat(buf []byte) (float64, error) {
	if len(buf) > 0 && buf[0] == '-' {
		return -1, errNegativeFloat
	}
	if f, ok := parseSimpleUfloat(buf); ok {
		return f, nil
	}
	f, err := strconv.ParseFloat(b2s(buf), 64)
	if err != nil {
		return -1, err
	}
	if f < 0 {
		return -1, errNegativeFloat
	}
	return f, nil
}

// parseSimpleUfloat handles digits[.digits][e[+-]digits] when the mantissa
// fits 15 decimal digits, so the result is exact as strconv would give it.
func parseSimpleUfloat(buf []byte) (float64, bool) {
	var mant uint64
	digits, frac := 0, 0
	seenDot := false
	i := 0
	for ; i < len(buf); i++ {
		c := buf[i]
		if c == '.' {
			if seenDot {
				return 0, false
			}
			seenDot = true
			continue
		}
		if c < '0' || c > '9' {
			break
		}
		if mant != 0 || c != '0' {
			digits++
		}
		mant = mant*10 + uint64(c-'0')
		if seenDot {
			frac++
		}
		if digits > 15 {
			return 0, false
		}
	}
	if i == 0 || (seenDot && i == 1) {
		return 0, false
	}
	exp := 0
	if i < len(buf) {
		if buf[i] != 'e' && buf[i] != 'E' {
			return 0, false
		}
		i++
		neg := false
		if i < len(buf) && (buf[i] == '+' || buf[i] == '-') {
			neg = buf[i] == '-'
			i++
		}
		if i == len(buf) {
			return 0, false
		}
		for ; i < len(buf); i++ {
			c := buf[i]
			if c < '0' || c > '9' || exp > 1000 {
				return 0, false
			}
			exp = exp*10 + int(c-'0')
		}
		if neg {
			exp = -exp
		}
	}
	exp -= frac
	f := float64(mant)
	switch {
	case exp == 0:
	case exp > 0 && exp <= 22:
		f *= float64pow10[exp]
	case exp < 0 && exp >= -22:
		f /= float64pow10[-exp]
	default:
		return 0, false
	}
	return f, true
}

// float64pow10 holds the powers of ten that float64 represents exactly.
var float64pow10 = [...]float64{
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
}

// AppendIPv4 appends the dotted form of an IPv4 address to dst.
func AppendIPv4(dst []byte, ip net.IP) []byte {
	ip4 := ip.To4()
	if ip4 == nil {
		return append(dst, "non-v4 ip passed to AppendIPv4"...)
	}
	dst = AppendUint(dst, int(ip4[0]))
	for i := 1; i < 4; i++ {
		dst = append(dst, '.')
		dst = AppendUint(dst, int(ip4[i]))
	}
	return dst
}

// ParseIPv4 parses a dotted IPv4 address into dst (reusing its memory when
// it has room) and returns the result. Octets already parsed stay in dst
// when a later one is bad.
func ParseIPv4(dst net.IP, ipStr []byte) (net.IP, error) {
	if len(ipStr) == 0 {
		return dst, errEmptyIPv4
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
		part := b
		if i < 3 {
			end := bytes.IndexByte(b, '.')
			if end < 0 {
				return dst, fmt.Errorf("cannot find dot in ip string %q", ipStr)
			}
			part, b = b[:end], b[end+1:]
		}
		v, n, err := parseUintPrefix(part)
		if err == nil && n != len(part) {
			err = errUnexpectedTrail
		}
		if err != nil {
			return dst, fmt.Errorf("cannot parse ip string %q: %w", ipStr, err)
		}
		if v > 255 {
			return dst, fmt.Errorf("cannot parse ip string %q: ip part cannot exceed 255: parsed %d", ipStr, v)
		}
		dst[i] = byte(v)
	}
	return dst, nil
}

// AppendHTTPDate appends date in the IMF-fixdate form HTTP uses
// ("Mon, 02 Jan 2006 15:04:05 GMT").
func AppendHTTPDate(dst []byte, date time.Time) []byte {
	return date.UTC().AppendFormat(dst, httpDateLayout)
}

const httpDateLayout = "Mon, 02 Jan 2006 15:04:05 GMT"

// ParseHTTPDate parses an HTTP date (RFC 9110 §5.6.7): the IMF-fixdate
// "Mon, 02 Jan 2006 15:04:05 GMT", or one of the two obsolete forms,
// RFC 850 "Monday, 02-Jan-06 15:04:05 GMT" and asctime
// "Mon Jan  2 15:04:05 2006". Only GMT (or UTC, its same instant) is
// accepted as a zone.
func ParseHTTPDate(date []byte) (time.Time, error) {
	s := b2s(date)
	// " UTC" is taken as " GMT": Go's time.RFC1123 writes it for UTC times,
	// and clients formatting If-Modified-Since that way (Fiber's tests do)
	// mean the same instant.
	if len(s) == len(httpDateLayout) && (s[len(s)-4:] == " GMT" || s[len(s)-4:] == " UTC") {
		if t, err := time.Parse(time.RFC1123, s); err == nil {
			return t, nil
		}
	}
	if t, err := time.Parse(time.RFC850, s); err == nil {
		return t, nil
	}
	return time.Parse(time.ANSIC, string(date))
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
func equalFoldASCII(a, b []byte) bool { return equalFold(a, b) }

// equalFoldString is equalFoldASCII against a string.
func equalFoldString(a []byte, b string) bool { return equalFold(a, b) }

// equalFold compares a and b byte by byte through the lower-case table,
// for either kind of b: field and option names are ASCII, and only ASCII
// letters fold.
func equalFold[T ~string | ~[]byte](a []byte, b T) bool {
	if len(a) != len(b) {
		return false
	}
	for i, c := range a {
		if toLowerTable[c] != toLowerTable[b[i]] {
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

// pathSafe marks bytes that pass unescaped in a path: the unreserved ones,
// '/', and the sub-delims and ':' '@' that never need quoting there. The
// quote-like sub-delims ! ' ( ) * are escaped, as upstream fasthttp does.
var pathSafe = func() (t [256]bool) {
	t = unreservedQuery
	for _, c := range "/$&+,;=:@" {
		t[c] = true
	}
	return
}()

// AppendQuotedArg appends src to dst encoded as a form value: unreserved
// bytes stay, a space becomes '+' and everything else %XX.
func AppendQuotedArg(dst, src []byte) []byte {
	for _, c := range src {
		switch {
		case unreservedQuery[c]:
			dst = append(dst, c)
		case c == ' ':
			dst = append(dst, '+')
		default:
			dst = append(dst, '%', upperHex[c>>4], upperHex[c&0xf])
		}
	}
	return dst
}

// appendQuotedPath appends src percent-encoded for use as a URI path.
func appendQuotedPath(dst, src []byte) []byte {
	return appendPercentEncoded(dst, src, &pathSafe)
}

// appendPercentEncoded appends src with every byte that safe does not mark
// written as %XX. Runs of safe bytes, the usual case, are copied whole.
func appendPercentEncoded(dst, src []byte, safe *[256]bool) []byte {
	for len(src) > 0 {
		i := 0
		for i < len(src) && safe[src[i]] {
			i++
		}
		dst = append(dst, src[:i]...)
		if i == len(src) {
			break
		}
		c := src[i]
		dst = append(dst, '%', upperHex[c>>4], upperHex[c&0xf])
		src = src[i+1:]
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

// decodeArgAppendNoPlus decodes the %XX sequences of a path (or a
// userinfo) and keeps '+' as it is. "%00" is left as it stands: a decoded
// path never holds a NUL, which C libraries, file systems and logs behind
// a handler would take for its end.
func decodeArgAppendNoPlus(dst, src []byte) []byte {
	return percentDecodeAppend(dst, src, false)
}

// pctDecodeStop marks the bytes percentDecodeAppend must rewrite: '%', and
// '+' too in row 1 (form encoding).
var pctDecodeStop = func() (t [2][256]bool) {
	t[0]['%'] = true
	t[1]['%'] = true
	t[1]['+'] = true
	return
}()

func percentDecodeAppend(dst, src []byte, plusIsSpace bool) []byte {
	// Fast path: nothing to decode.
	stop := &pctDecodeStop[0]
	if plusIsSpace {
		stop = &pctDecodeStop[1]
	}
	i := 0
	for ; i < len(src); i++ {
		if stop[src[i]] {
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
			v := hexValue[src[i+1]]<<4 | hexValue[src[i+2]]
			if v == 0 && !plusIsSpace {
				dst = append(dst, c) // "%00" stays encoded, see decodeArgAppendNoPlus
				continue
			}
			dst = append(dst, v)
			i += 2
		default:
			dst = append(dst, c)
		}
	}
	return dst
}
