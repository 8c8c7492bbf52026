package fasthttp

import (
	"bytes"
	"encoding/binary"
	"errors"
	"net/netip"
	"unicode/utf8"
)

// This file holds what request and response headers share: the RFC 9110
// character classes, header-name normalization, the lookup of fields with
// dedicated storage, and the checks that keep control bytes off the wire.

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

// validHeaderName reports whether key can be written as a field name.
func validHeaderName(key []byte) bool {
	return validToken(key)
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

// badValueByte reports whether c may not appear in a field value.
func badValueByte(c byte) bool {
	return (c < 0x20 && c != '\t') || c == 0x7f
}

// validFieldValue reports whether b may appear in a field value: visible
// ASCII, obs-text (0x80-0xFF), SP and HTAB. CR, LF, NUL and the other
// control bytes are refused, which is what keeps a value from splitting a
// header or a message (RFC 9110 §5.5).
func validFieldValue(b []byte) bool {
	return controlIndex(b) == len(b)
}

// validTargetBytes reports whether b holds no control byte, space, DEL or
// '#' (a fragment is never sent), and any bytes from 0x80 up form valid
// UTF-8: raw UTF-8 paths are let through, as fasthttp and the frameworks on
// it accept them, but not stray high bytes.
func validTargetBytes(b []byte) bool {
	high := false
	i := 0
	for ; i+8 <= len(b); i += 8 {
		x := binary.LittleEndian.Uint64(b[i:])
		if swarHasLess(x, 0x21) || swarHasByte(x, 0x7f) || swarHasByte(x, '#') {
			return false
		}
		high = high || x&swarHigh != 0
	}
	for _, c := range b[i:] {
		if c < 0x21 || c == 0x7f || c == '#' {
			return false
		}
		high = high || c >= 0x80
	}
	return !high || utf8.Valid(b)
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

// fieldNameTable maps each byte of a field name to its canonical form:
// row 1 after '-' or at the start (upper case), row 0 elsewhere (lower
// case). Bytes that may not appear in a name map to 0, so one lookup both
// checks and rewrites a byte.
var fieldNameTable = func() (t [2][256]byte) {
	for c := 0; c < 256; c++ {
		if tokenTable[c] {
			t[0][c] = toLowerTable[c]
			t[1][c] = toUpperTable[c]
		}
	}
	return
}()

// appendFieldName appends the field name key to dst, in canonical form
// when normalize is set, and reports whether key is a valid token. Checking
// and rewriting happen in the same pass over the name.
func appendFieldName(dst, key []byte, normalize bool) ([]byte, bool) {
	if len(key) == 0 {
		return dst, false
	}
	if !normalize {
		for _, c := range key {
			if !tokenTable[c] {
				return dst, false
			}
		}
		return append(dst, key...), true
	}
	n := len(dst)
	if cap(dst)-n < len(key) {
		dst = append(dst, key...)
	} else {
		dst = dst[:n+len(key)]
	}
	// Read from key and write to dst: no store-to-load round trip.
	b := dst[n:]
	b = b[:len(key)]
	row := 1
	for i, c := range key {
		x := fieldNameTable[row][c]
		if x == 0 {
			return dst[:n], false
		}
		b[i] = x
		row = int(fieldNameAfter[c])
	}
	return dst, true
}

// fieldNameFlat is fieldNameTable flattened, indexed by row<<8|c, with
// fieldNameNext giving the next row already shifted: one load per byte on
// the parser's hot loop.
var fieldNameFlat = func() (t [512]byte) {
	copy(t[:256], fieldNameTable[0][:])
	copy(t[256:], fieldNameTable[1][:])
	return
}()

var fieldNameNext = func() (t [256]uint16) {
	t['-'] = 256
	return
}()

// fieldNameAfter is 1 for '-', after which a name letter is upper case.
var fieldNameAfter = func() (t [256]uint8) {
	t['-'] = 1
	return
}()

// isCanonicalKey reports whether key is a token already in canonical form,
// so that the common case of a well-spelled name needs no copy.
func isCanonicalKey(key []byte) bool {
	row := uint(256)
	for _, c := range key {
		// A byte outside tchar maps to 0, which NUL itself would equal.
		if x := fieldNameFlat[(row|uint(c))&511]; x != c || x == 0 {
			return false
		}
		row = uint(fieldNameNext[c])
	}
	return true
}

// canonicalName returns key as a header stores it: unchanged when it is
// already canonical or normalize is off, else normalized into *buf. ok is
// false when key is not a valid field name, which no stored field has.
func canonicalName(buf *[]byte, key []byte, normalize bool) ([]byte, bool) {
	if !normalize {
		return key, validToken(key)
	}
	if isCanonicalKey(key) {
		return key, len(key) > 0
	}
	var ok bool
	*buf, ok = appendFieldName((*buf)[:0], key, true)
	return *buf, ok
}

// AppendNormalizedHeaderKey appends key to dst in canonical form:
// "content-type" becomes "Content-Type". A key holding bytes that may not
// appear in a field name is appended unchanged.
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

// fieldID names the fields that a header keeps apart from the ordinary
// list because they frame, route or describe the message.
type fieldID uint8

const (
	fieldOther fieldID = iota
	fieldHost
	fieldDate
	fieldCookie
	fieldServer
	fieldTrailer
	fieldConnection
	fieldSetCookie
	fieldUserAgent
	fieldContentType
	fieldContentLength
	fieldContentEncoding
	fieldTransferEncoding
)

// lookupField returns the fieldID of the name key. A canonical key (one
// stored by a normalizing header) is compared exactly, which the compiler
// turns into a few word compares; otherwise case is ignored. Dispatching on
// the length first means an ordinary name costs one switch and rarely a
// comparison. Every special name is a token, so a match also proves key is
// a valid field name.
func lookupField(key []byte, canonical bool) fieldID {
	switch len(key) {
	case 4:
		if nameIs(key, HeaderHost, canonical) {
			return fieldHost
		}
		if nameIs(key, HeaderDate, canonical) {
			return fieldDate
		}
	case 6:
		if nameIs(key, HeaderCookie, canonical) {
			return fieldCookie
		}
		if nameIs(key, HeaderServer, canonical) {
			return fieldServer
		}
	case 7:
		if nameIs(key, HeaderTrailer, canonical) {
			return fieldTrailer
		}
	case 10:
		switch toLowerTable[key[0]] {
		case 'c':
			if nameIs(key, HeaderConnection, canonical) {
				return fieldConnection
			}
		case 's':
			if nameIs(key, HeaderSetCookie, canonical) {
				return fieldSetCookie
			}
		case 'u':
			if nameIs(key, HeaderUserAgent, canonical) {
				return fieldUserAgent
			}
		}
	case 12:
		if nameIs(key, HeaderContentType, canonical) {
			return fieldContentType
		}
	case 14:
		if nameIs(key, HeaderContentLength, canonical) {
			return fieldContentLength
		}
	case 16:
		if nameIs(key, HeaderContentEncoding, canonical) {
			return fieldContentEncoding
		}
	case 17:
		if nameIs(key, HeaderTransferEncoding, canonical) {
			return fieldTransferEncoding
		}
	}
	return fieldOther
}

// nameIs compares key with the canonical name, exactly or ignoring case.
func nameIs(key []byte, name string, canonical bool) bool {
	if canonical {
		return string(key) == name
	}
	return equalFoldString(key, name)
}

// cutListItem splits the first item off a comma-separated list: the item as
// it stands (callers trim what they need) and the rest after the comma.
func cutListItem(list []byte) (item, rest []byte) {
	if i := bytes.IndexByte(list, ','); i >= 0 {
		return list[:i], list[i+1:]
	}
	return list, nil
}

// hasTokenFold reports whether the comma-separated list value holds token,
// compared case-insensitively (as Connection options are).
func hasTokenFold(value []byte, token string) bool {
	for len(value) > 0 {
		var item []byte
		item, value = cutListItem(value)
		if equalFoldString(trimOWS(item), token) {
			return true
		}
	}
	return false
}

// appendWithoutToken appends the comma-separated list value to dst without
// the items equal to token.
func appendWithoutToken(dst, value []byte, token string) []byte {
	n := len(dst)
	for len(value) > 0 {
		var item []byte
		item, value = cutListItem(value)
		item = trimOWS(item)
		if len(item) == 0 || equalFoldString(item, token) {
			continue
		}
		if len(dst) > n {
			dst = append(dst, ',', ' ')
		}
		dst = append(dst, item...)
	}
	return dst
}

// validHost reports whether b is a valid Host field value: empty, or a
// reg-name, IPv4 address or bracketed IPv6 literal, with an optional
// numeric port. Userinfo, paths, spaces and lists are all refused
// (RFC 9112 §3.2, RFC 3986 §3.2.2), and so are percent-encodings and IPv6
// zones: what is accepted here is exactly what URI.Host reports, in lower
// case, never a decoded or emptied form of it.
func validHost(b []byte) bool {
	i := 0
	if len(b) > 0 && b[0] == '[' {
		end := bytes.IndexByte(b, ']')
		if end < 0 || !validBracketedIPv6(b[1:end]) {
			return false
		}
		i = end + 1
	} else {
		for i < len(b) && regNameTable[b[i]] {
			i++
		}
	}
	if i == len(b) {
		return true
	}
	if b[i] != ':' {
		return false
	}
	port := b[i+1:]
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

// validBracketedIPv6 reports whether b, the text between '[' and ']', is
// an IPv6 address without a zone.
func validBracketedIPv6(b []byte) bool {
	for _, c := range b {
		if hexValue[c] >= 16 && c != ':' && c != '.' {
			return false
		}
	}
	a, err := netip.ParseAddr(b2s(b))
	return err == nil && a.Is6() && a.Zone() == ""
}

// regNameTable marks the bytes a Host reg-name may hold: unreserved and
// sub-delims (percent-encodings are refused, see validHost).
var regNameTable = func() (t [256]bool) {
	for c := range t {
		b := byte(c)
		t[c] = b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9'
	}
	for _, c := range "-._~!$&'()*+,;=" {
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

// sanitizeFieldValue returns value with every control byte but HTAB (CR,
// LF and NUL above all) replaced by a space, copying into *buf only when a
// replacement is needed. No setter can thus smuggle a line break onto the
// wire.
func sanitizeFieldValue(buf *[]byte, value []byte) []byte {
	if validFieldValue(value) {
		return value
	}
	b := append((*buf)[:0], value...)
	sanitizeInPlace(b)
	*buf = b
	return b
}

// storedFieldValue is the value a setter stores for a field: value
// itself when it holds no control byte (the common case, checked first).
// Otherwise CR and LF always become spaces, so that no setter can break a
// line; in an ordinary field the other control bytes (NUL above all) stay,
// so that Peek returns what was set as upstream's does, and *ctlKept is
// set: writing the header blanks them (blankLineControls), so they never
// reach the wire. Special fields are written apart and get every control
// byte replaced at once.
func storedFieldValue(buf *[]byte, value []byte, ordinary bool, ctlKept *bool) []byte {
	if validFieldValue(value) {
		return value
	}
	b := append((*buf)[:0], value...)
	*buf = b
	if !ordinary {
		return sanitizeInPlace(b)
	}
	for i, c := range b {
		if c == '\r' || c == '\n' {
			b[i] = ' '
		}
	}
	if !validFieldValue(b) {
		*ctlKept = true
	}
	return b
}

// blankLineControls replaces by spaces the control bytes of serialized
// header lines that are not their line ends: what storedFieldValue let an
// ordinary field keep. CR and LF can only be line ends there, since no
// stored value holds them.
func blankLineControls(b []byte) {
	for i, c := range b {
		if badValueByte(c) && c != '\r' && c != '\n' {
			b[i] = ' '
		}
	}
}

// sanitizeInPlace replaces the control bytes of a stored value by spaces
// and returns it.
func sanitizeInPlace(b []byte) []byte {
	if validFieldValue(b) {
		return b
	}
	for i, c := range b {
		if badValueByte(c) {
			b[i] = ' '
		}
	}
	return b
}

// setSanitized stores value into *dst with control bytes replaced.
func setSanitized(dst *[]byte, value []byte) {
	*dst = sanitizeInPlace(append((*dst)[:0], value...))
}

// appendHeaderLine appends "key: value\r\n".
func appendHeaderLine(dst, key, value []byte) []byte {
	dst = append(dst, key...)
	dst = append(dst, ':', ' ')
	dst = append(dst, value...)
	return append(dst, '\r', '\n')
}

// inTrailer reports whether the field key is announced by the Trailer list
// names, and so travels after the body instead of in the header section.
func inTrailer(names []argsKV, key []byte) bool {
	for i := range names {
		if equalFoldASCII(names[i].key, key) {
			return true
		}
	}
	return false
}

// keepFieldInHeader reports whether an ordinary field is written in the
// header section: trailer-section fields are not, and neither is a
// "Connection: keep-alive" that a pending close contradicts.
func keepFieldInHeader(kv *argsKV, trailer []argsKV, closing bool) bool {
	if len(trailer) > 0 && inTrailerSection(kv, trailer) {
		return false
	}
	if closing && len(kv.key) == len(HeaderConnection) && equalFoldString(kv.key, HeaderConnection) &&
		equalFoldString(trimOWS(kv.value), "keep-alive") {
		return false
	}
	return true
}

// connectionListed reports whether list holds a Connection field with the
// option token, and whether it holds a Connection field at all.
func connectionListed(list []argsKV, token string) (hasToken, hasField bool) {
	for i := range list {
		kv := &list[i]
		if len(kv.key) == len(HeaderConnection) && equalFoldString(kv.key, HeaderConnection) {
			hasField = true
			if hasTokenFold(kv.value, token) {
				return true, true
			}
		}
	}
	return false, hasField
}

// dropConnectionClose removes the "close" option from the Connection fields
// of list, deleting fields left empty.
func dropConnectionClose(list []argsKV, scratch *[]byte) []argsKV {
	for i := 0; i < len(list); i++ {
		kv := &list[i]
		if !equalFoldString(kv.key, HeaderConnection) || !hasTokenFold(kv.value, "close") {
			continue
		}
		*scratch = appendWithoutToken((*scratch)[:0], kv.value, "close")
		if len(*scratch) == 0 {
			list = delKVAt(list, i)
			i--
			continue
		}
		kv.value = append(kv.value[:0], *scratch...)
	}
	return list
}
