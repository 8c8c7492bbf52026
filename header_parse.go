package fasthttp

import (
	"bufio"
	"bytes"
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
	parseField(line []byte) error
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
	if _, err := r.Peek(1); err != nil {
		if r.Buffered() == 0 {
			return ErrNothingRead{err}
		}
		return err
	}
	for attempt := 0; ; attempt++ {
		buf, _ := r.Peek(r.Buffered())
		// RFC 9112 §2.2: ignore empty lines before the start line.
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

// tooLargeError picks 414 when even the start line does not fit in limit,
// 431 otherwise.
func tooLargeError(buf []byte, limit int, isRequest bool) error {
	if i := bytes.IndexByte(buf, '\n'); isRequest && (i < 0 || i >= limit) {
		return errURITooLong
	}
	return errHeaderTooLarge
}

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

// parseHeaderBlock parses the header section at the start of buf, line by
// line. It returns the length of the section, empty line included, or 0
// when buf ends before the empty line does; the complete lines before that
// point have been checked and stored.
func parseHeaderBlock(hs headerSource, buf []byte) (int, error) {
	line, rest, ok := nextLine(buf)
	if !ok {
		return 0, nil
	}
	if err := hs.parseFirstLine(line); err != nil {
		return 0, err
	}
	fields := len(buf) - len(rest)
	for {
		line, rest, ok = nextLine(rest)
		if !ok {
			return 0, nil
		}
		if len(line) == 0 {
			end := len(buf) - len(rest)
			hs.setRaw(buf[fields:end])
			return end, nil
		}
		if err := hs.parseField(line); err != nil {
			return 0, err
		}
	}
}

// readHeaderLines reads a header section that does not fit in r's buffer,
// one line at a time, keeping the whole section under limit.
func readHeaderLines(r *bufio.Reader, hs headerSource, limit int, scratch *[]byte, isRequest bool) error {
	line, err := readLineInto(r, limit, scratch)
	if err != nil {
		if isRequest && errors.Is(err, errLineTooLong) {
			return errURITooLong
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
		if err := hs.parseField(line); err != nil {
			return err
		}
	}
}

var errLineTooLong = errHeaderTooLarge

// readLineInto reads one line of at most max bytes, without its CRLF or LF
// terminator. Lines longer than r's buffer are gathered in *scratch.
func readLineInto(r *bufio.Reader, max int, scratch *[]byte) ([]byte, error) {
	if max <= 0 {
		return nil, errLineTooLong
	}
	line, err := r.ReadSlice('\n')
	if err == nil {
		if len(line) > max+1 {
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

// appendParsedField stores an ordinary received field at the end of list,
// its name normalized unless disableNormalizing. A name that is not a
// token fails the message.
func appendParsedField(list []argsKV, key, value []byte, disableNormalizing bool) ([]argsKV, error) {
	list, kv := allocKV(list)
	var ok bool
	kv.key, ok = appendFieldName(kv.key[:0], key, !disableNormalizing)
	if !ok {
		return list[:len(list)-1], errBadFieldName
	}
	kv.value = append(kv.value[:0], value...)
	return list, nil
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

// ---------------------------------------------------------------- request

func (h *RequestHeader) resetParse() { h.resetSkipNormalize() }

func (h *RequestHeader) setRaw(raw []byte) {
	if len(raw) <= 2 {
		// Only the empty line: there are no fields to keep.
		return
	}
	h.rawHeaders = append(h.rawHeaders[:0], raw...)
}

func (h *RequestHeader) appendRaw(line []byte) {
	h.rawHeaders = append(h.rawHeaders, line...)
	h.rawHeaders = append(h.rawHeaders, '\r', '\n')
}

// readLimited reads a request header whose section may take up to limit
// bytes.
func (h *RequestHeader) readLimited(r *bufio.Reader, limit int) error {
	h.resetSkipNormalize()
	err := readHeaderBlock(r, h, limit, &h.bufV, true)
	if err != nil {
		var nr ErrNothingRead
		if errors.As(err, &nr) && errors.Is(nr.error, io.EOF) {
			return io.EOF
		}
	}
	return err
}

// parseFirstLine parses "method SP request-target SP HTTP-version"
// (RFC 9112 §3), strictly: single spaces, a token method, a target of
// visible ASCII in one of the four forms, and an exact version.
func (h *RequestHeader) parseFirstLine(line []byte) error {
	sp := bytes.IndexByte(line, ' ')
	if sp < 0 {
		return errBadRequestLine
	}
	if sp == 0 {
		return ErrMissingRequestMethod
	}
	method := line[:sp]
	if !validToken(method) {
		return errBadMethod
	}
	rest := line[sp+1:]
	sp = bytes.IndexByte(rest, ' ')
	if sp < 0 {
		// HTTP/0.9 simple requests are not served.
		return errBadVersion
	}
	if sp == 0 {
		return ErrEmptyRequestURI
	}
	target, proto := rest[:sp], rest[sp+1:]
	http11, err := parseHTTPVersion(proto)
	if err != nil {
		if bytes.IndexByte(proto, ' ') >= 0 {
			return ErrExtraWhitespaceInRequestLine
		}
		return err
	}
	if err := checkRequestTarget(method, target); err != nil {
		return err
	}
	h.method = append(h.method[:0], method...)
	h.requestURI = append(h.requestURI[:0], target...)
	h.proto = append(h.proto[:0], proto...)
	h.noHTTP11 = !http11
	return nil
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

// checkRequestTarget accepts origin-form ("/path?q"), absolute-form
// ("http://host/path"), authority-form (CONNECT only) and asterisk-form
// (OPTIONS only), made of visible ASCII without a fragment.
func checkRequestTarget(method, target []byte) error {
	if !validTargetBytes(target) || bytes.IndexByte(target, '#') >= 0 {
		return errBadTarget
	}
	switch {
	case target[0] == '/':
		return nil
	case len(target) == 1 && target[0] == '*':
		if string(method) == MethodOptions {
			return nil
		}
		return errBadTarget
	case string(method) == MethodConnect:
		if validHost(target) && bytes.IndexByte(target, ':') > 0 {
			return nil
		}
		return errBadTarget
	}
	var rest []byte
	switch {
	case len(target) > 7 && equalFoldString(target[:7], "http://"):
		rest = target[7:]
	case len(target) > 8 && equalFoldString(target[:8], "https://"):
		rest = target[8:]
	default:
		return errBadTarget
	}
	authority := rest
	if i := bytes.IndexAny(rest, "/?"); i >= 0 {
		authority = rest[:i]
	}
	if len(authority) == 0 || !validHost(authority) {
		return errBadTarget
	}
	return nil
}

// parseField parses one request field line. Framing and routing fields are
// checked as they arrive: one valid Host, one digits-only Content-Length,
// and Transfer-Encoding with chunked as the single, final coding. With
// DisableSpecialHeader every field is also kept in the ordinary list, as
// received.
func (h *RequestHeader) parseField(line []byte) error {
	key, value, err := cutFieldLine(line)
	if err != nil {
		return err
	}
	special := !h.disableSpecialHeader
	switch lookupField(key) {
	case fieldOther, fieldCookie:
		// Cookies are parsed only when asked for.
	case fieldHost:
		if h.hasHost {
			return errDupHost
		}
		if !validHost(value) {
			return errBadHost
		}
		h.hasHost = true
		if special {
			h.host = append(h.host[:0], value...)
			return nil
		}
	case fieldUserAgent:
		if special {
			h.userAgent = append(h.userAgent[:0], value...)
			return nil
		}
	case fieldContentType:
		if special {
			h.contentType = append(h.contentType[:0], value...)
			return nil
		}
	case fieldContentLength:
		if h.hasContentLength {
			return errDupContentLength
		}
		n, err := parseContentLength(value)
		if err != nil {
			return err
		}
		if h.contentLength != -1 {
			// Transfer-Encoding, when present, frames the body.
			h.contentLength = n
		}
		h.contentLengthBytes = append(h.contentLengthBytes[:0], value...)
		h.hasContentLength = true
		if special {
			return nil
		}
	case fieldTransferEncoding:
		if err := h.parseTransferEncoding(value); err != nil {
			return err
		}
		if special {
			return nil
		}
	case fieldTrailer:
		var err error
		if h.trailer, err = addTrailerNames(h.trailer, value, h.disableNormalizing); err != nil {
			return errBadTrailerSection
		}
		if special {
			return nil
		}
	case fieldConnection:
		if hasTokenFold(value, "close") {
			h.connectionClose = true
		} else if hasTokenFold(value, "keep-alive") {
			h.keepAlive = true
		}
	}
	h.h, err = appendParsedField(h.h, key, value, h.disableNormalizing)
	return err
}

// parseTransferEncoding folds one Transfer-Encoding field into the framing
// state. contentLength -1 means chunked was seen (and must stay last);
// unsupported codings are refused with 501, codings after chunked with 400.
func (h *RequestHeader) parseTransferEncoding(value []byte) error {
	if h.noHTTP11 {
		return errTEInHTTP10
	}
	any := false
	for len(value) > 0 {
		var item []byte
		if i := bytes.IndexByte(value, ','); i >= 0 {
			item, value = value[:i], value[i+1:]
		} else {
			item, value = value, nil
		}
		item = trimOWS(item)
		if len(item) == 0 {
			continue
		}
		any = true
		if h.contentLength == -1 {
			return errChunkedNotFinal
		}
		if !equalFoldString(item, "chunked") {
			return errUnsupportedTE
		}
		h.contentLength = -1
	}
	if !any {
		return errUnsupportedTE
	}
	return nil
}

// finish applies the rules that need the whole section.
func (h *RequestHeader) finish() error {
	if h.contentLength == -1 && h.hasContentLength {
		// RFC 9112 §6.3: Transfer-Encoding overrides Content-Length, and
		// such a message must not be followed on this connection.
		h.hasContentLength = false
		h.contentLengthBytes = h.contentLengthBytes[:0]
		h.connectionClose = true
		if h.disableSpecialHeader {
			h.h = delKVFold(h.h, HeaderContentLength)
		}
	}
	if !h.noHTTP11 && !h.hasHost {
		return errMissingHost
	}
	if h.noHTTP11 && !h.keepAlive {
		h.connectionClose = true
	}
	return nil
}

// ---------------------------------------------------------------- response

func (h *ResponseHeader) resetParse() { h.resetSkipNormalize() }

func (h *ResponseHeader) setRaw(raw []byte) {}

func (h *ResponseHeader) appendRaw(line []byte) {}

// readLimited reads a response header whose section may take up to limit
// bytes. 1xx responses other than 101 are skipped.
func (h *ResponseHeader) readLimited(r *bufio.Reader, limit int) error {
	for {
		h.resetSkipNormalize()
		err := readHeaderBlock(r, h, limit, &h.bufV, false)
		if err != nil {
			var nr ErrNothingRead
			if errors.As(err, &nr) && errors.Is(nr.error, io.EOF) {
				return io.EOF
			}
			return err
		}
		if h.statusCode < 100 || h.statusCode >= 200 || h.statusCode == StatusSwitchingProtocols {
			return nil
		}
	}
}

// parseFirstLine parses "HTTP-version SP status-code SP [reason-phrase]".
func (h *ResponseHeader) parseFirstLine(line []byte) error {
	sp := bytes.IndexByte(line, ' ')
	if sp < 0 {
		return ErrResponseFirstLineMissingSpace
	}
	http11, err := parseHTTPVersion(line[:sp])
	if err != nil {
		return errBadStatusLine
	}
	rest := line[sp+1:]
	if len(rest) < 3 {
		return ErrUnexpectedStatusCodeChar
	}
	code := 0
	for _, c := range rest[:3] {
		if c < '0' || c > '9' {
			return ErrUnexpectedStatusCodeChar
		}
		code = code*10 + int(c-'0')
	}
	if code < 100 {
		return ErrUnexpectedStatusCodeChar
	}
	rest = rest[3:]
	if len(rest) > 0 {
		if rest[0] != ' ' {
			return ErrUnexpectedStatusCodeChar
		}
		rest = rest[1:]
	}
	if !validFieldValue(rest) {
		return errBadStatusLine
	}
	h.noHTTP11 = !http11
	h.protocol = append(h.protocol[:0], line[:sp]...)
	h.statusCode = code
	h.statusMessage = append(h.statusMessage[:0], rest...)
	return nil
}

// parseField parses one response field line.
func (h *ResponseHeader) parseField(line []byte) error {
	key, value, err := cutFieldLine(line)
	if err != nil {
		return err
	}
	switch lookupField(key) {
	case fieldServer:
		h.server = append(h.server[:0], value...)
		return nil
	case fieldContentType:
		h.contentType = append(h.contentType[:0], value...)
		return nil
	case fieldContentEncoding:
		h.contentEncoding = append(h.contentEncoding[:0], value...)
		return nil
	case fieldTrailer:
		var err error
		if h.trailer, err = addTrailerNames(h.trailer, value, h.disableNormalizing); err != nil {
			return errBadTrailerSection
		}
		return nil
	case fieldSetCookie:
		var kv *argsKV
		h.cookies, kv = allocKV(h.cookies)
		kv.key = appendCookieName(kv.key[:0], value)
		kv.value = append(kv.value[:0], value...)
		return nil
	case fieldContentLength:
		n, err := parseContentLength(value)
		if err != nil {
			return err
		}
		if h.hasContentLength {
			// Repeated identical values are a known sender quirk
			// (RFC 9110 §8.6); differing ones make the framing unknowable.
			if first, _ := ParseUint(h.contentLengthBytes); n != first {
				return ErrDuplicateContentLength
			}
			return nil
		}
		if h.contentLength != -1 {
			h.contentLength = n
		}
		h.contentLengthBytes = append(h.contentLengthBytes[:0], value...)
		h.hasContentLength = true
		return nil
	case fieldTransferEncoding:
		return h.parseTransferEncoding(value)
	case fieldConnection:
		if hasTokenFold(value, "close") {
			h.connectionClose = true
		} else if hasTokenFold(value, "keep-alive") {
			h.keepAlive = true
		}
	case fieldDate:
		// A received Date is kept, so that writing the header again
		// repeats it instead of stamping a new one.
		h.noDefaultDate = true
	}
	h.h, err = appendParsedField(h.h, key, value, h.disableNormalizing)
	return err
}

// parseTransferEncoding accepts a coding list that ends with chunked, and
// "identity" alone (a pre-RFC 7230 no-op).
func (h *ResponseHeader) parseTransferEncoding(value []byte) error {
	last := value
	if i := bytes.LastIndexByte(value, ','); i >= 0 {
		last = value[i+1:]
	}
	last = trimOWS(last)
	switch {
	case equalFoldString(last, "chunked"):
		if h.contentLength == -1 {
			return ErrUnsupportedTransferEncoding
		}
		h.contentLength = -1
		return nil
	case equalFoldString(trimOWS(value), "identity"):
		return nil
	}
	return ErrUnsupportedTransferEncoding
}

// finish decides how the body is framed once every field is known.
func (h *ResponseHeader) finish() error {
	switch {
	case h.contentLength == -1:
		h.hasContentLength = false
		h.contentLengthBytes = h.contentLengthBytes[:0]
	case !h.hasContentLength:
		if h.mustSkipContentLength() {
			h.contentLength = 0
		} else {
			// No framing: the body runs until the connection closes, so
			// the connection cannot be reused.
			h.contentLength = -2
			h.connectionClose = true
		}
	}
	if h.noHTTP11 && !h.keepAlive {
		h.connectionClose = true
	}
	return nil
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
