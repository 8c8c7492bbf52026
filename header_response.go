package fasthttp

import (
	"bufio"
	"bytes"
	"io"
	"iter"
	"time"
)

// ResponseHeader is the header of an HTTP response: the status line and the
// header fields.
//
// Content-Type, Content-Length, Content-Encoding, Server and Set-Cookie are
// kept apart from the other fields. Slices returned by its methods are valid
// until the next change of the header. ResponseHeader must not be copied by
// value; use CopyTo. It is not safe for concurrent use.
type ResponseHeader struct {
	noCopy noCopy

	h       []argsKV // ordinary fields, in order
	cookies []argsKV // Set-Cookie values keyed by cookie name
	trailer []argsKV // names announced by the Trailer field

	protocol           []byte
	statusMessage      []byte
	contentType        []byte
	contentEncoding    []byte
	server             []byte
	contentLengthBytes []byte

	statusCode    int
	contentLength int // -1: chunked, -2: until the connection closes

	bufK      []byte
	bufV      []byte
	mulHeader [][]byte

	noHTTP11             bool
	connectionClose      bool
	keepAlive            bool
	hasContentLength     bool
	noDefaultContentType bool
	noDefaultDate        bool
	disableNormalizing   bool
	secureErrorLogMsg    bool
}

// Reset clears the header for reuse. DisableNormalizing and
// SetNoDefaultContentType settings survive.
func (h *ResponseHeader) Reset() {
	h.noDefaultDate = false
	h.resetSkipNormalize()
}

func (h *ResponseHeader) resetSkipNormalize() {
	h.h = h.h[:0]
	h.cookies = h.cookies[:0]
	h.trailer = h.trailer[:0]
	h.protocol = h.protocol[:0]
	h.statusMessage = h.statusMessage[:0]
	h.contentType = h.contentType[:0]
	h.contentEncoding = h.contentEncoding[:0]
	h.server = h.server[:0]
	h.contentLengthBytes = h.contentLengthBytes[:0]
	h.statusCode = 0
	h.contentLength = 0
	h.noHTTP11 = false
	h.connectionClose = false
	h.keepAlive = false
	h.hasContentLength = false
}

// CopyTo copies the whole header into dst.
func (h *ResponseHeader) CopyTo(dst *ResponseHeader) {
	dst.Reset()
	dst.h = copyKVs(dst.h, h.h)
	dst.cookies = copyKVs(dst.cookies, h.cookies)
	dst.trailer = copyKVs(dst.trailer, h.trailer)
	dst.protocol = append(dst.protocol, h.protocol...)
	dst.statusMessage = append(dst.statusMessage, h.statusMessage...)
	dst.contentType = append(dst.contentType, h.contentType...)
	dst.contentEncoding = append(dst.contentEncoding, h.contentEncoding...)
	dst.server = append(dst.server, h.server...)
	dst.contentLengthBytes = append(dst.contentLengthBytes, h.contentLengthBytes...)
	dst.statusCode = h.statusCode
	dst.contentLength = h.contentLength
	dst.noHTTP11 = h.noHTTP11
	dst.connectionClose = h.connectionClose
	dst.keepAlive = h.keepAlive
	dst.hasContentLength = h.hasContentLength
	dst.noDefaultContentType = h.noDefaultContentType
	dst.noDefaultDate = h.noDefaultDate
	dst.disableNormalizing = h.disableNormalizing
	dst.secureErrorLogMsg = h.secureErrorLogMsg
}

// DisableNormalizing keeps header names exactly as given or received.
func (h *ResponseHeader) DisableNormalizing() bool {
	h.disableNormalizing = true
	return true
}

// EnableNormalizing turns header-name normalization back on (the default).
func (h *ResponseHeader) EnableNormalizing() bool {
	h.disableNormalizing = false
	return true
}

// SetNoDefaultContentType stops the header from reporting and writing the
// default Content-Type when none is set.
func (h *ResponseHeader) SetNoDefaultContentType(noDefaultContentType bool) {
	h.noDefaultContentType = noDefaultContentType
}

// IsHTTP11 reports whether the response is HTTP/1.1.
func (h *ResponseHeader) IsHTTP11() bool {
	return !h.noHTTP11
}

// Protocol returns the response protocol, "HTTP/1.1" unless set otherwise.
func (h *ResponseHeader) Protocol() []byte {
	if len(h.protocol) == 0 {
		return strHTTP11
	}
	return h.protocol
}

// SetProtocol sets the protocol of the status line.
func (h *ResponseHeader) SetProtocol(protocol []byte) {
	h.protocol = append(h.protocol[:0], protocol...)
	h.noHTTP11 = !bytes.Equal(protocol, strHTTP11)
}

// StatusCode returns the status code, 200 unless set otherwise.
func (h *ResponseHeader) StatusCode() int {
	if h.statusCode == 0 {
		return StatusOK
	}
	return h.statusCode
}

// SetStatusCode sets the status code.
func (h *ResponseHeader) SetStatusCode(statusCode int) {
	h.statusCode = statusCode
}

// StatusMessage returns the custom reason phrase, empty when the standard
// one is used.
func (h *ResponseHeader) StatusMessage() []byte {
	return h.statusMessage
}

// SetStatusMessage sets a custom reason phrase. Control bytes are replaced
// by spaces so the status line cannot be split.
func (h *ResponseHeader) SetStatusMessage(statusMessage []byte) {
	h.statusMessage = append(h.statusMessage[:0], statusMessage...)
	for i, c := range h.statusMessage {
		if (c < 0x20 && c != '\t') || c == 0x7f {
			h.statusMessage[i] = ' '
		}
	}
}

// mustSkipContentLength reports whether the status forbids a body:
// 1xx, 204 and 304.
func (h *ResponseHeader) mustSkipContentLength() bool {
	code := h.StatusCode()
	return code < 200 || code == StatusNoContent || code == StatusNotModified
}

// ContentLength returns the body length: -1 for chunked, -2 for a body
// that runs until the connection closes.
func (h *ResponseHeader) ContentLength() int {
	return h.contentLength
}

// SetContentLength sets Content-Length. -1 selects chunked transfer coding
// and -2 a body ended by closing the connection.
func (h *ResponseHeader) SetContentLength(contentLength int) {
	if contentLength < 0 {
		if contentLength < -2 {
			contentLength = -1
		}
		h.contentLength = contentLength
		h.contentLengthBytes = h.contentLengthBytes[:0]
		h.hasContentLength = false
		return
	}
	h.contentLength = contentLength
	h.contentLengthBytes = AppendUint(h.contentLengthBytes[:0], contentLength)
	h.hasContentLength = true
}

// ContentType returns Content-Type, or the default
// "text/plain; charset=utf-8" when none is set and defaults are on.
func (h *ResponseHeader) ContentType() []byte {
	if len(h.contentType) == 0 && !h.noDefaultContentType {
		return strDefaultContentType
	}
	return h.contentType
}

// SetContentType sets Content-Type.
func (h *ResponseHeader) SetContentType(contentType string) {
	h.contentType = append(h.contentType[:0], contentType...)
	h.contentType = sanitizeInPlace(h.contentType)
}

// SetContentTypeBytes sets Content-Type.
func (h *ResponseHeader) SetContentTypeBytes(contentType []byte) {
	h.contentType = append(h.contentType[:0], contentType...)
	h.contentType = sanitizeInPlace(h.contentType)
}

// sanitizeInPlace replaces control bytes of a stored value by spaces.
func sanitizeInPlace(b []byte) []byte {
	if validFieldValue(b) {
		return b
	}
	for i, c := range b {
		if (c < 0x20 && c != '\t') || c == 0x7f {
			b[i] = ' '
		}
	}
	return b
}

// ContentEncoding returns Content-Encoding.
func (h *ResponseHeader) ContentEncoding() []byte {
	return h.contentEncoding
}

// SetContentEncoding sets Content-Encoding.
func (h *ResponseHeader) SetContentEncoding(contentEncoding string) {
	h.contentEncoding = sanitizeInPlace(append(h.contentEncoding[:0], contentEncoding...))
}

// SetContentEncodingBytes sets Content-Encoding.
func (h *ResponseHeader) SetContentEncodingBytes(contentEncoding []byte) {
	h.contentEncoding = sanitizeInPlace(append(h.contentEncoding[:0], contentEncoding...))
}

// Server returns the Server field.
func (h *ResponseHeader) Server() []byte {
	return h.server
}

// SetServer sets the Server field.
func (h *ResponseHeader) SetServer(server string) {
	h.server = sanitizeInPlace(append(h.server[:0], server...))
}

// SetServerBytes sets the Server field.
func (h *ResponseHeader) SetServerBytes(server []byte) {
	h.server = sanitizeInPlace(append(h.server[:0], server...))
}

// SetContentRange sets "Content-Range: bytes start-end/contentLength".
func (h *ResponseHeader) SetContentRange(startPos, endPos, contentLength int) {
	b := append(h.bufV[:0], "bytes "...)
	b = AppendUint(b, startPos)
	b = append(b, '-')
	b = AppendUint(b, endPos)
	b = append(b, '/')
	b = AppendUint(b, contentLength)
	h.bufV = b
	h.h = setKV(h.h, strContentRange, b, false)
}

// SetLastModified sets Last-Modified.
func (h *ResponseHeader) SetLastModified(t time.Time) {
	h.bufV = AppendHTTPDate(h.bufV[:0], t)
	h.h = setKV(h.h, strLastModified, h.bufV, false)
}

// ConnectionClose reports whether the connection closes after this
// response.
func (h *ResponseHeader) ConnectionClose() bool {
	return h.connectionClose
}

// SetConnectionClose marks the response "Connection: close".
func (h *ResponseHeader) SetConnectionClose() {
	h.connectionClose = true
}

// ResetConnectionClose clears "Connection: close".
func (h *ResponseHeader) ResetConnectionClose() {
	if h.connectionClose {
		h.connectionClose = false
		h.h = delKV(h.h, strConnection)
	}
}

// ConnectionUpgrade reports whether the Connection field lists "Upgrade".
func (h *ResponseHeader) ConnectionUpgrade() bool {
	return hasTokenFold(peekKVString(h.h, HeaderConnection), "upgrade")
}

// Len returns the number of fields.
func (h *ResponseHeader) Len() int {
	n := 0
	for range h.All() {
		n++
	}
	return n
}

func (h *ResponseHeader) normKey(key []byte) []byte {
	if h.disableNormalizing {
		return key
	}
	h.bufK = append(h.bufK[:0], key...)
	normalizeHeaderKey(h.bufK)
	return h.bufK
}

// Peek returns the value of the field key, or nil. The result is valid until
// the next change of h.
func (h *ResponseHeader) Peek(key string) []byte {
	return h.peek(h.normKey(s2b(key)))
}

// PeekBytes is Peek with a byte-slice key.
func (h *ResponseHeader) PeekBytes(key []byte) []byte {
	return h.peek(h.normKey(key))
}

// PeekCanonical is Peek for a key already in canonical form.
func (h *ResponseHeader) PeekCanonical(key []byte) []byte {
	return h.peek(key)
}

func (h *ResponseHeader) peek(key []byte) []byte {
	switch string(key) {
	case HeaderContentType:
		return h.ContentType()
	case HeaderContentEncoding:
		return h.contentEncoding
	case HeaderServer:
		return h.server
	case HeaderContentLength:
		return h.contentLengthBytes
	case HeaderTransferEncoding:
		if h.contentLength == -1 {
			return strChunked
		}
		return nil
	case HeaderConnection:
		if v := peekKV(h.h, key); v != nil {
			return v
		}
		if h.connectionClose {
			return strClose
		}
		return nil
	case HeaderSetCookie:
		if len(h.cookies) > 0 {
			return h.cookies[0].value
		}
		return nil
	case HeaderTrailer:
		h.bufV = appendTrailerNames(h.bufV[:0], h.trailer)
		return h.bufV
	}
	return peekKV(h.h, key)
}

// PeekAll returns the values of every field named key.
func (h *ResponseHeader) PeekAll(key string) [][]byte {
	k := h.normKey(s2b(key))
	h.mulHeader = h.mulHeader[:0]
	switch string(k) {
	case HeaderSetCookie:
		for i := range h.cookies {
			h.mulHeader = append(h.mulHeader, h.cookies[i].value)
		}
		return h.mulHeader
	case HeaderContentType, HeaderContentEncoding, HeaderServer, HeaderContentLength,
		HeaderTransferEncoding, HeaderTrailer:
		if v := h.peek(k); len(v) > 0 {
			h.mulHeader = append(h.mulHeader, v)
		}
		return h.mulHeader
	}
	for i := range h.h {
		if bytes.Equal(h.h[i].key, k) {
			h.mulHeader = append(h.mulHeader, h.h[i].value)
		}
	}
	return h.mulHeader
}

// PeekKeys returns the names of every field.
func (h *ResponseHeader) PeekKeys() [][]byte {
	h.mulHeader = h.mulHeader[:0]
	for k := range h.All() {
		h.mulHeader = append(h.mulHeader, k)
	}
	return h.mulHeader
}

// PeekTrailerKeys returns the field names announced by Trailer.
func (h *ResponseHeader) PeekTrailerKeys() [][]byte {
	h.mulHeader = h.mulHeader[:0]
	for i := range h.trailer {
		h.mulHeader = append(h.mulHeader, h.trailer[i].key)
	}
	return h.mulHeader
}

// Trailers returns an iterator over the field names announced by Trailer.
func (h *ResponseHeader) Trailers() iter.Seq[[]byte] {
	return func(yield func([]byte) bool) {
		for i := range h.trailer {
			if !yield(h.trailer[i].key) {
				return
			}
		}
	}
}

// VisitAllTrailer calls f for each announced trailer name.
//
// Deprecated: use Trailers.
func (h *ResponseHeader) VisitAllTrailer(f func(value []byte)) {
	for k := range h.Trailers() {
		f(k)
	}
}

// All returns an iterator over every field as name/value pairs, special
// fields first, then the others in order, Set-Cookie fields last.
func (h *ResponseHeader) All() iter.Seq2[[]byte, []byte] {
	return func(yield func([]byte, []byte) bool) {
		if ct := h.ContentType(); len(ct) > 0 && !yield(strContentType, ct) {
			return
		}
		if len(h.contentEncoding) > 0 && !yield(strContentEncoding, h.contentEncoding) {
			return
		}
		if len(h.server) > 0 && !yield(strServer, h.server) {
			return
		}
		if len(h.contentLengthBytes) > 0 && !yield(strContentLength, h.contentLengthBytes) {
			return
		}
		if h.contentLength == -1 && !yield(strTransferEncoding, strChunked) {
			return
		}
		if len(h.trailer) > 0 {
			h.bufV = appendTrailerNames(h.bufV[:0], h.trailer)
			if !yield(strTrailer, h.bufV) {
				return
			}
		}
		for i := range h.h {
			if !yield(h.h[i].key, h.h[i].value) {
				return
			}
		}
		for i := range h.cookies {
			if !yield(strSetCookie, h.cookies[i].value) {
				return
			}
		}
		if h.connectionClose && !hasKV(h.h, strConnection) {
			yield(strConnection, strClose)
		}
	}
}

// VisitAll calls f for each field.
//
// Deprecated: use All.
func (h *ResponseHeader) VisitAll(f func(key, value []byte)) {
	for k, v := range h.All() {
		f(k, v)
	}
}

// Del removes every field named key.
func (h *ResponseHeader) Del(key string) {
	h.DelBytes(s2b(key))
}

// DelBytes removes every field named key.
func (h *ResponseHeader) DelBytes(key []byte) {
	k := h.normKey(key)
	switch string(k) {
	case HeaderContentType:
		h.contentType = h.contentType[:0]
		return
	case HeaderContentEncoding:
		h.contentEncoding = h.contentEncoding[:0]
		return
	case HeaderServer:
		h.server = h.server[:0]
		return
	case HeaderSetCookie:
		h.cookies = h.cookies[:0]
		return
	case HeaderContentLength:
		h.contentLength = 0
		h.contentLengthBytes = h.contentLengthBytes[:0]
		h.hasContentLength = false
		return
	case HeaderTransferEncoding:
		if h.contentLength == -1 {
			h.contentLength = 0
		}
		return
	case HeaderTrailer:
		h.trailer = h.trailer[:0]
		return
	case HeaderConnection:
		h.connectionClose = false
	}
	h.h = delKV(h.h, k)
}

// Set sets the field key to value, replacing earlier values.
func (h *ResponseHeader) Set(key, value string) {
	h.SetCanonical(h.normKey(s2b(key)), s2b(value))
}

// SetBytesK is Set with a byte-slice key.
func (h *ResponseHeader) SetBytesK(key []byte, value string) {
	h.SetCanonical(h.normKey(key), s2b(value))
}

// SetBytesV is Set with a byte-slice value.
func (h *ResponseHeader) SetBytesV(key string, value []byte) {
	h.SetCanonical(h.normKey(s2b(key)), value)
}

// SetBytesKV is Set with byte-slice key and value.
func (h *ResponseHeader) SetBytesKV(key, value []byte) {
	h.SetCanonical(h.normKey(key), value)
}

// SetCanonical is Set for a key already in canonical form.
func (h *ResponseHeader) SetCanonical(key, value []byte) {
	if !validHeaderName(key) {
		return
	}
	value = sanitizeFieldValue(&h.bufV, value)
	if h.setSpecial(key, value, false) {
		return
	}
	h.h = setKV(h.h, key, value, false)
}

// Add appends a field, keeping earlier fields of the same name.
func (h *ResponseHeader) Add(key, value string) {
	h.AddBytesKV(s2b(key), s2b(value))
}

// AddBytesK is Add with a byte-slice key.
func (h *ResponseHeader) AddBytesK(key []byte, value string) {
	h.AddBytesKV(key, s2b(value))
}

// AddBytesV is Add with a byte-slice value.
func (h *ResponseHeader) AddBytesV(key string, value []byte) {
	h.AddBytesKV(s2b(key), value)
}

// AddBytesKV is Add with byte-slice key and value.
func (h *ResponseHeader) AddBytesKV(key, value []byte) {
	k := h.normKey(key)
	if !validHeaderName(k) {
		return
	}
	value = sanitizeFieldValue(&h.bufV, value)
	if h.setSpecial(k, value, true) {
		return
	}
	h.h = appendKV(h.h, k, value, false)
}

// setSpecial stores fields with dedicated handling and reports whether key
// was one of them.
func (h *ResponseHeader) setSpecial(key, value []byte, add bool) bool {
	if len(key) == 0 {
		return false
	}
	switch key[0] | 0x20 {
	case 'c':
		switch {
		case equalFoldString(key, HeaderContentType):
			h.SetContentTypeBytes(value)
			return true
		case equalFoldString(key, HeaderContentEncoding):
			h.SetContentEncodingBytes(value)
			return true
		case equalFoldString(key, HeaderContentLength):
			if n, err := ParseUint(value); err == nil {
				h.SetContentLength(n)
			}
			return true
		case equalFoldString(key, HeaderConnection):
			if hasTokenFold(value, "close") {
				h.connectionClose = true
				h.h = delKV(h.h, strConnection)
				return true
			}
			h.connectionClose = false
			return false
		}
	case 's':
		switch {
		case equalFoldString(key, HeaderServer):
			h.SetServerBytes(value)
			return true
		case equalFoldString(key, HeaderSetCookie):
			var kv *argsKV
			name := appendCookieName(h.bufK[:0], value)
			if add {
				h.cookies, kv = allocKV(h.cookies)
				kv.key = append(kv.key[:0], name...)
				kv.value = append(kv.value[:0], value...)
			} else {
				h.cookies = setKV(h.cookies, name, value, false)
			}
			return true
		}
	case 't':
		switch {
		case equalFoldString(key, HeaderTransferEncoding):
			// The body decides the framing when the response is written.
			return true
		case equalFoldString(key, HeaderTrailer):
			_ = h.SetTrailerBytes(value)
			return true
		}
	case 'd':
		if equalFoldString(key, HeaderDate) {
			// An explicit Date replaces the automatic one.
			h.noDefaultDate = true
		}
	}
	return false
}

// SetTrailer sets the trailer names announced by the Trailer field.
func (h *ResponseHeader) SetTrailer(trailer string) error {
	return h.SetTrailerBytes(s2b(trailer))
}

// SetTrailerBytes sets the trailer names announced by the Trailer field.
func (h *ResponseHeader) SetTrailerBytes(trailer []byte) error {
	h.trailer = h.trailer[:0]
	return h.AddTrailerBytes(trailer)
}

// AddTrailer adds trailer names to the Trailer field.
func (h *ResponseHeader) AddTrailer(trailer string) error {
	return h.AddTrailerBytes(s2b(trailer))
}

// AddTrailerBytes adds trailer names to the Trailer field.
func (h *ResponseHeader) AddTrailerBytes(trailer []byte) error {
	var err error
	h.trailer, err = addTrailerNames(h.trailer, trailer, h.disableNormalizing)
	return err
}

// SetCookie adds cookie as a Set-Cookie field, replacing an earlier cookie
// of the same name.
func (h *ResponseHeader) SetCookie(cookie *Cookie) {
	h.cookies = setKV(h.cookies, cookie.Key(), cookie.Cookie(), false)
}

// Cookie fills cookie with the Set-Cookie field named cookie.Key() and
// reports whether there was one.
func (h *ResponseHeader) Cookie(cookie *Cookie) bool {
	v := peekKV(h.cookies, cookie.Key())
	if v == nil {
		return false
	}
	_ = cookie.ParseBytes(v)
	return true
}

// PeekCookie returns the Set-Cookie value of the cookie named key.
func (h *ResponseHeader) PeekCookie(key string) []byte {
	return peekKVString(h.cookies, key)
}

// DelCookie removes the Set-Cookie field of the cookie named key.
func (h *ResponseHeader) DelCookie(key string) {
	h.cookies = delKV(h.cookies, s2b(key))
}

// DelCookieBytes removes the Set-Cookie field of the cookie named key.
func (h *ResponseHeader) DelCookieBytes(key []byte) {
	h.cookies = delKV(h.cookies, key)
}

// DelClientCookie tells the client to delete its cookie named key, by
// sending it expired.
func (h *ResponseHeader) DelClientCookie(key string) {
	h.DelClientCookieBytes(s2b(key))
}

// DelClientCookieBytes tells the client to delete its cookie named key.
func (h *ResponseHeader) DelClientCookieBytes(key []byte) {
	h.cookies = delKV(h.cookies, key)
	c := AcquireCookie()
	c.SetKeyBytes(key)
	c.SetExpire(CookieExpireDelete)
	h.SetCookie(c)
	ReleaseCookie(c)
}

// DelAllCookies removes every Set-Cookie field.
func (h *ResponseHeader) DelAllCookies() {
	h.cookies = h.cookies[:0]
}

// Cookies returns an iterator over the Set-Cookie fields as cookie
// name/whole value pairs.
func (h *ResponseHeader) Cookies() iter.Seq2[[]byte, []byte] {
	return func(yield func([]byte, []byte) bool) {
		for i := range h.cookies {
			if !yield(h.cookies[i].key, h.cookies[i].value) {
				return
			}
		}
	}
}

// VisitAllCookie calls f for each Set-Cookie field.
//
// Deprecated: use Cookies.
func (h *ResponseHeader) VisitAllCookie(f func(key, value []byte)) {
	for k, v := range h.Cookies() {
		f(k, v)
	}
}

// String returns the header as it would be written.
func (h *ResponseHeader) String() string {
	return string(h.Header())
}

// Header returns the header as it would be written. The result is valid
// until the next change of h.
func (h *ResponseHeader) Header() []byte {
	h.bufV = h.AppendBytes(h.bufV[:0])
	return h.bufV
}

// Write writes the header to w.
func (h *ResponseHeader) Write(w *bufio.Writer) error {
	_, err := w.Write(h.Header())
	return err
}

// WriteTo writes the header to w.
func (h *ResponseHeader) WriteTo(w io.Writer) (int64, error) {
	n, err := w.Write(h.Header())
	return int64(n), err
}

// TrailerHeader returns the trailer fields as written after a chunked body.
func (h *ResponseHeader) TrailerHeader() []byte {
	h.bufV = appendTrailerFields(h.bufV[:0], h.trailer, h.h)
	return h.bufV
}

// Read reads a response header from r, skipping 1xx informational
// responses other than 101.
func (h *ResponseHeader) Read(r *bufio.Reader) error {
	return h.readLimited(r, defaultMaxHeaderBytes(r.Size()))
}

// ReadTrailer reads the trailer fields that follow a chunked body.
func (h *ResponseHeader) ReadTrailer(r *bufio.Reader) error {
	kvs, err := readTrailerFields(r, h.h, h.disableNormalizing)
	h.h = kvs
	return err
}
