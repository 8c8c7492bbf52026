package fasthttp

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"io"
)

// This file is the wire codec for header sections (RFC 9112 §2-§6): it turns
// bytes from a bufio.Reader into RequestHeader and ResponseHeader values. It
// knows the grammar and the framing rules, and nothing about connections or
// timeouts.

// minMaxHeaderBytes is the smallest header-section limit used when the
// caller does not set one: enough for the 8000-octet request line RFC 9112
// recommends supporting.
const minMaxHeaderBytes = 8 << 10

// defaultMaxHeaderBytes returns the header limit for a reader of the given
// buffer size.
func defaultMaxHeaderBytes(bufSize int) int {
	if bufSize < minMaxHeaderBytes {
		return minMaxHeaderBytes
	}
	return bufSize
}

// headerSource abstracts what readHeaderBlock needs from a header type.
type headerSource interface {
	resetParse()
	parseFirstLine(line []byte) error
	// parseField parses the field line at the start of b and returns its
	// length with the line terminator, or 0 when b ends before the line
	// does; with atEnd, the end of b ends the line.
	parseField(b []byte, atEnd bool) (int, error)
	finish() error
	setRaw(raw []byte)
	appendRaw(line []byte)
}

// readHeaderBlock reads one header section from r into hs. limit bounds the
// whole section. The common case, a section already in r's buffer, is
// parsed in place in a single pass that also finds its end; a section that
// is still arriving is parsed again once more bytes are in, and one larger
// than the buffer is read line by line into scratch.
func readHeaderBlock(r *bufio.Reader, hs headerSource, limit int, scratch *[]byte, isRequest bool) error {
	if r.Buffered() == 0 {
		if _, err := r.Peek(1); err != nil {
			if r.Buffered() == 0 {
				return ErrNothingRead{err}
			}
			return err
		}
	}
	for attempt := 0; ; attempt++ {
		buf, _ := r.Peek(r.Buffered())
		// RFC 9112 §2.2: ignore empty lines before the start line.
		if c := buf[0]; c == '\r' || c == '\n' {
			if skip := leadingEmptyLines(buf); skip > 0 {
				if _, err := r.Discard(skip); err != nil {
					return err
				}
				if skip == len(buf) {
					if _, err := r.Peek(1); err != nil {
						return ErrNothingRead{err}
					}
				}
				continue
			}
		}
		if attempt > 0 {
			hs.resetParse()
		}
		end, err := parseHeaderBlock(hs, buf)
		if err != nil {
			// A complete line that breaks the grammar fails at once,
			// without waiting for the rest of a section that can never be
			// valid.
			return err
		}
		if end > 0 {
			if end > limit {
				return tooLargeError(buf[:end], limit, isRequest)
			}
			if _, err := r.Discard(end); err != nil {
				return err
			}
			return hs.finish()
		}
		if len(buf) >= r.Size() || len(buf) >= limit {
			if limit <= len(buf) {
				return tooLargeError(buf, limit, isRequest)
			}
			hs.resetParse()
			return readHeaderLines(r, hs, limit, scratch, isRequest)
		}
		if _, err := r.Peek(len(buf) + 1); err != nil {
			if errors.Is(err, io.EOF) {
				return errUnexpectedEOF
			}
			return err
		}
	}
}

// tooLargeError picks 414 when the start line alone overflows limit and
// its request target is what fills it, 431 otherwise: a tiny limit that
// cannot even hold a short request line is a header-size problem.
func tooLargeError(buf []byte, limit int, isRequest bool) error {
	if !isRequest {
		return errHeaderTooLarge
	}
	line := buf
	if i := bytes.IndexByte(buf, '\n'); i >= 0 {
		if i < limit {
			return errHeaderTooLarge
		}
		line = buf[:i]
	}
	sp := bytes.IndexByte(line, ' ')
	if target := len(line) - sp - 1; sp >= 0 && target >= max(limit/2, minURITooLong) {
		return errURITooLong
	}
	return errHeaderTooLarge
}

// minURITooLong is the shortest target seen that is answered 414.
const minURITooLong = 1 << 10

// leadingEmptyLines returns the length of the CRLF / LF run at the start of
// buf. A lone trailing CR is not counted: it may be the start of a CRLF.
func leadingEmptyLines(buf []byte) int {
	i := 0
	for i < len(buf) {
		switch {
		case buf[i] == '\n':
			i++
		case buf[i] == '\r' && i+1 < len(buf) && buf[i+1] == '\n':
			i += 2
		default:
			return i
		}
	}
	return i
}

// parseHeaderBlock parses the header section at the start of buf. It
// returns the length of the section, empty line included, or 0 when buf
// ends before the empty line does; the complete lines before that point
// have been checked and stored. Each field line is scanned once: finding
// its end, checking it and copying it are one pass.
func parseHeaderBlock(hs headerSource, buf []byte) (int, error) {
	line, rest, ok := nextLine(buf)
	if !ok {
		return 0, nil
	}
	if err := hs.parseFirstLine(line); err != nil {
		return 0, err
	}
	fields := len(buf) - len(rest)
	pos := fields
	for pos < len(buf) {
		end := 0
		switch buf[pos] {
		case '\n':
			end = pos + 1
		case '\r':
			if pos+1 == len(buf) {
				return 0, nil
			}
			if buf[pos+1] == '\n' {
				end = pos + 2
			}
		}
		if end > 0 {
			hs.setRaw(buf[fields:end])
			return end, nil
		}
		n, err := hs.parseField(buf[pos:], false)
		if err != nil || n == 0 {
			return 0, err
		}
		pos += n
	}
	return 0, nil
}

// readHeaderLines reads a header section that does not fit in r's buffer,
// one line at a time, keeping the whole section under limit.
func readHeaderLines(r *bufio.Reader, hs headerSource, limit int, scratch *[]byte, isRequest bool) error {
	line, err := readLineInto(r, limit, scratch)
	if err != nil {
		if errors.Is(err, errLineTooLong) {
			return tooLargeError(*scratch, limit, isRequest)
		}
		return err
	}
	total := len(line) + 2
	fields := 0
	if err := hs.parseFirstLine(line); err != nil {
		return err
	}
	hs.setRaw(nil)
	for {
		line, err = readLineInto(r, limit-total, scratch)
		if err != nil {
			return err
		}
		total += len(line) + 2
		if len(line) == 0 {
			if fields > 0 {
				hs.appendRaw(line)
			}
			return hs.finish()
		}
		fields++
		hs.appendRaw(line)
		if _, err := hs.parseField(line, true); err != nil {
			return err
		}
	}
}

var errLineTooLong = errHeaderTooLarge

// readLineInto reads one line of at most max bytes, without its CRLF or LF
// terminator. Lines longer than r's buffer are gathered in *scratch.
func readLineInto(r *bufio.Reader, max int, scratch *[]byte) ([]byte, error) {
	*scratch = (*scratch)[:0]
	if max <= 0 {
		return nil, errLineTooLong
	}
	line, err := r.ReadSlice('\n')
	if err == nil {
		if len(line) > max+1 {
			*scratch = append(*scratch, line...)
			return nil, errLineTooLong
		}
		return trimEOL(line), nil
	}
	if !errors.Is(err, bufio.ErrBufferFull) {
		if errors.Is(err, io.EOF) {
			return nil, errUnexpectedEOF
		}
		return nil, err
	}
	b := append((*scratch)[:0], line...)
	for {
		if len(b) > max+1 {
			*scratch = b
			return nil, errLineTooLong
		}
		line, err = r.ReadSlice('\n')
		b = append(b, line...)
		if err == nil {
			break
		}
		if !errors.Is(err, bufio.ErrBufferFull) {
			*scratch = b
			if errors.Is(err, io.EOF) {
				return nil, errUnexpectedEOF
			}
			return nil, err
		}
	}
	*scratch = b
	if len(b) > max+1 {
		return nil, errLineTooLong
	}
	return trimEOL(b), nil
}

// trimEOL removes a trailing LF or CRLF.
func trimEOL(line []byte) []byte {
	n := len(line)
	if n > 0 && line[n-1] == '\n' {
		n--
		if n > 0 && line[n-1] == '\r' {
			n--
		}
	}
	return line[:n]
}

// splitFieldLine splits "name: value" and checks both against RFC 9110:
// the name must be a token directly followed by ':' and the value may hold
// no control byte but HTAB.
func splitFieldLine(line []byte) (key, value []byte, err error) {
	key, value, err = cutFieldLine(line)
	if err == nil && !validToken(key) {
		err = errBadFieldName
	}
	return key, value, err
}

// cutFieldLine splits "name: value" and checks the value; the name is left
// for the caller to check, which it does while copying it. A line starting
// with whitespace is obs-fold (or a disguised first field) and is refused.
func cutFieldLine(line []byte) (key, value []byte, err error) {
	if line[0] == ' ' || line[0] == '\t' {
		return nil, nil, errObsFold
	}
	colon := bytes.IndexByte(line, ':')
	if colon <= 0 {
		return nil, nil, errBadFieldLine
	}
	value = trimOWS(line[colon+1:])
	if !validFieldValue(value) {
		return nil, nil, errBadFieldValue
	}
	return line[:colon], value, nil
}

// scanField reads the field line at the start of b (RFC 9112 §5.1): a
// token name directly followed by ':', then the value. The name is copied
// to dst, in canonical form when normalize is set, while it is checked and
// its end found, all with one table lookup per byte. The value is returned
// without the whitespace around it, and n is the length of the line with
// its CRLF or LF. When b ends before the line does, n is 0 and err nil;
// with atEnd set, the end of b ends the line instead.
func scanField(dst, b []byte, normalize, atEnd bool) (name, value []byte, n int, err error) {
	start := len(dst)
	// Find the end of the name, checking each byte and noting whether the
	// canonical form differs; names mostly arrive canonical already, so
	// they are then copied in one go.
	row := uint(256)
	i := len(b)
	var diff byte
	for k, c := range b {
		x := fieldNameFlat[(row|uint(c))&511]
		if x == 0 {
			i = k
			break
		}
		diff |= x ^ c
		row = uint(fieldNameNext[c])
	}
	dst = append(dst, b[:i]...)
	if normalize && diff != 0 {
		row = 256
		for k, c := range dst[start:] {
			dst[start+k] = fieldNameFlat[(row|uint(c))&511]
			row = uint(fieldNameNext[c])
		}
	}
	name = dst[start:]
	switch {
	case i == len(b):
		if atEnd {
			return name, nil, 0, errBadFieldLine
		}
		return name, nil, 0, nil
	case b[i] == ':':
		if i == 0 {
			return name, nil, 0, errBadFieldLine
		}
	case i == 0 && (b[0] == ' ' || b[0] == '\t'):
		// obs-fold, or whitespace hiding a field from some parsers.
		return name, nil, 0, errObsFold
	case b[i] == '\r' || b[i] == '\n':
		return name, nil, 0, errBadFieldLine
	default:
		// Includes whitespace between the name and the colon.
		return name, nil, 0, errBadFieldName
	}
	v := b[i+1:]
	j := 0
	for j < len(v) && (v[j] == ' ' || v[j] == '\t') {
		j++
	}
	k := j + controlIndex(v[j:])
	switch {
	case k == len(v):
		if !atEnd {
			return name, nil, 0, nil
		}
		n = len(b)
	case v[k] == '\n':
		n = i + 1 + k + 1
	case v[k] == '\r':
		if k+1 == len(v) {
			if atEnd {
				return name, nil, 0, errBadFieldValue
			}
			return name, nil, 0, nil
		}
		if v[k+1] != '\n' {
			return name, nil, 0, errBadFieldValue
		}
		n = i + 1 + k + 2
	default:
		return name, nil, 0, errBadFieldValue
	}
	for k > j && (v[k-1] == ' ' || v[k-1] == '\t') {
		k--
	}
	return name, v[j:k], n, nil
}

// controlIndex returns the index of the first byte of b that may not appear
// in a field value (a control byte other than HTAB, or DEL), or len(b).
// Eight bytes are checked at a time.
func controlIndex(b []byte) int {
	n := len(b)
	i := 0
	for ; i+8 <= n; i += 8 {
		if x := binary.LittleEndian.Uint64(b[i:]); swarHasLess(x, 0x20) || swarHasByte(x, 0x7f) {
			for j, c := range b[i : i+8] {
				if badValueByte(c) {
					return i + j
				}
			}
		}
	}
	if i < n && n >= 8 {
		// The tail in one overlapping word: the bytes before i are known
		// good, so a clean word means a clean tail.
		if x := binary.LittleEndian.Uint64(b[n-8:]); !swarHasLess(x, 0x20) && !swarHasByte(x, 0x7f) {
			return n
		}
	}
	for ; i < n; i++ {
		if badValueByte(b[i]) {
			return i
		}
	}
	return n
}

// parseContentLength checks one received Content-Length value: digits only,
// no overflow (RFC 9110 §8.6).
func parseContentLength(value []byte) (int, error) {
	n, err := ParseUint(value)
	if err != nil {
		return 0, errBadContentLength
	}
	return n, nil
}

// parseHTTPVersion accepts "HTTP/1.0" and "HTTP/1.1" (and later 1.x minor
// versions, answered as 1.1). Other majors get 505; anything not shaped
// like HTTP-version is a 400.
func parseHTTPVersion(v []byte) (http11 bool, err error) {
	if len(v) != 8 || string(v[:5]) != "HTTP/" || v[6] != '.' ||
		v[5] < '0' || v[5] > '9' || v[7] < '0' || v[7] > '9' {
		return false, errBadVersion
	}
	if v[5] != '1' {
		return false, errVersionNotSupp
	}
	return v[7] != '0', nil
}

// appendCookieName appends the name of a Set-Cookie value ("id=1; Path=/").
func appendCookieName(dst, setCookie []byte) []byte {
	end := bytes.IndexByte(setCookie, ';')
	if end < 0 {
		end = len(setCookie)
	}
	pair := setCookie[:end]
	if eq := bytes.IndexByte(pair, '='); eq >= 0 {
		return append(dst, trimOWS(pair[:eq])...)
	}
	return dst
}
