package fasthttp

import (
	"bufio"
	"bytes"
	"io"
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

	responseValues
	responseState
	responseSettings

	bufK      []byte
	bufV      []byte
	bufS      []byte
	mulHeader [][]byte
}

// responseState is what a ResponseHeader knows of one message besides its
// field values: cleared for every message, copied whole.
type responseState struct {
	statusCode       int
	contentLength    int // -1: chunked, -2: until the connection closes
	noHTTP11         bool
	connectionClose  bool
	keepAlive        bool
	hasContentLength bool
	noDefaultDate    bool
	ctlKept          bool // an ordinary field holds a control byte for writing to blank
}

// responseSettings are the choices made on a ResponseHeader that outlive a
// message: reading the next one keeps them, Reset clears them.
type responseSettings struct {
	noDefaultContentType bool
	disableNormalizing   bool
}

// responseValues are the byte fields of a response message: the status
// line's and those of the fields with storage of their own.
type responseValues struct {
	protocol           []byte
	statusMessage      []byte
	contentType        []byte
	contentEncoding    []byte
	server             []byte
	contentLengthBytes []byte
}

// empty truncates every value, keeping its capacity.
func (v *responseValues) empty() {
	v.protocol, v.statusMessage, v.contentType = v.protocol[:0], v.statusMessage[:0], v.contentType[:0]
	v.contentEncoding, v.server, v.contentLengthBytes = v.contentEncoding[:0], v.server[:0], v.contentLengthBytes[:0]
}

// copyFrom makes v hold the values of src, reusing v's capacity.
func (v *responseValues) copyFrom(src *responseValues) {
	v.protocol = append(v.protocol[:0], src.protocol...)
	v.statusMessage = append(v.statusMessage[:0], src.statusMessage...)
	v.contentType, v.server = append(v.contentType[:0], src.contentType...), append(v.server[:0], src.server...)
	v.contentEncoding = append(v.contentEncoding[:0], src.contentEncoding...)
	v.contentLengthBytes = append(v.contentLengthBytes[:0], src.contentLengthBytes...)
}

// Reset clears the header for reuse, the settings made with
// DisableNormalizing and SetNoDefaultContentType included.
func (h *ResponseHeader) Reset() {
	h.responseSettings = responseSettings{}
	h.resetSkipNormalize()
}

// resetSkipNormalize clears the message but keeps the settings, for
// reading the next message into the same header.
func (h *ResponseHeader) resetSkipNormalize() {
	h.h, h.cookies, h.trailer = h.h[:0], h.cookies[:0], h.trailer[:0]
	h.responseValues.empty()
	h.responseState = responseState{}
}

// CopyTo copies the whole header, settings included, into dst.
func (h *ResponseHeader) CopyTo(dst *ResponseHeader) {
	dst.h = copyKVs(dst.h, h.h)
	dst.cookies = copyKVs(dst.cookies, h.cookies)
	dst.trailer = copyKVs(dst.trailer, h.trailer)
	dst.responseValues.copyFrom(&h.responseValues)
	dst.responseState = h.responseState
	dst.responseSettings = h.responseSettings
}

// DisableNormalizing keeps header names exactly as given or received
// instead of rewriting them to the canonical Upper-Case-Form.
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
	setSanitized(&h.protocol, protocol)
	h.noHTTP11 = !bytes.Equal(h.protocol, strHTTP11)
}

// StatusCode returns the status code, 200 unless set to a positive value.
func (h *ResponseHeader) StatusCode() int {
	if code := h.statusCode; code > 0 {
		return code
	}
	return StatusOK
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
	setSanitized(&h.statusMessage, statusMessage)
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
// and -2 a body ended by closing the connection (which also marks the
// connection to close). With a status that forbids a body (1xx, 204, 304)
// the length is 0 whatever the argument.
func (h *ResponseHeader) SetContentLength(contentLength int) {
	h.contentLengthBytes = h.contentLengthBytes[:0]
	h.hasContentLength = false
	switch {
	case h.mustSkipContentLength():
		h.contentLength = 0
	case contentLength >= 0:
		h.contentLength = contentLength
		h.contentLengthBytes = AppendUint(h.contentLengthBytes, contentLength)
		h.hasContentLength = true
	case contentLength == -2:
		h.contentLength = -2
		h.connectionClose = true
	default:
		h.contentLength = -1
	}
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
	setSanitized(&h.contentType, s2b(contentType))
}

// SetContentTypeBytes sets Content-Type.
func (h *ResponseHeader) SetContentTypeBytes(contentType []byte) {
	setSanitized(&h.contentType, contentType)
}

// ContentEncoding returns Content-Encoding.
func (h *ResponseHeader) ContentEncoding() []byte {
	return h.contentEncoding
}

// SetContentEncoding sets Content-Encoding.
func (h *ResponseHeader) SetContentEncoding(contentEncoding string) {
	setSanitized(&h.contentEncoding, s2b(contentEncoding))
}

// SetContentEncodingBytes sets Content-Encoding.
func (h *ResponseHeader) SetContentEncodingBytes(contentEncoding []byte) {
	setSanitized(&h.contentEncoding, contentEncoding)
}

// Server returns the Server field.
func (h *ResponseHeader) Server() []byte {
	return h.server
}

// SetServer sets the Server field.
func (h *ResponseHeader) SetServer(server string) {
	setSanitized(&h.server, s2b(server))
}

// SetServerBytes sets the Server field.
func (h *ResponseHeader) SetServerBytes(server []byte) {
	setSanitized(&h.server, server)
}

// SetContentRange sets "Content-Range: bytes start-end/contentLength".
func (h *ResponseHeader) SetContentRange(startPos, endPos, contentLength int) {
	b := appendByteSpan(append(h.bufV[:0], "bytes "...), startPos, endPos)
	h.bufV = AppendUint(append(b, '/'), contentLength)
	h.h = setKVFold(h.h, strContentRange, h.bufV)
}

// SetLastModified sets Last-Modified to t, in the HTTP date format.
func (h *ResponseHeader) SetLastModified(t time.Time) {
	h.bufV = AppendHTTPDate(h.bufV[:0], t)
	h.h = setKVFold(h.h, strLastModified, h.bufV)
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

// ResetConnectionClose clears "Connection: close", keeping the other
// Connection options.
func (h *ResponseHeader) ResetConnectionClose() {
	h.connectionClose = false
	h.h = dropConnectionClose(h.h, &h.bufS)
}

// ConnectionUpgrade reports whether the Connection field lists "Upgrade".
func (h *ResponseHeader) ConnectionUpgrade() bool {
	ok, _ := connectionListed(h.h, "upgrade")
	return ok
}

// SetTrailer sets the trailer names announced by the Trailer field. Names
// that may not appear in a trailer are left out and reported with
// ErrBadTrailer.
func (h *ResponseHeader) SetTrailer(trailer string) error {
	return h.SetTrailerBytes(s2b(trailer))
}

// SetTrailerBytes is SetTrailer for a byte slice.
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

// String returns the header as it would be written.
func (h *ResponseHeader) String() string {
	return string(h.Header())
}

// Header returns the header as it would be written. The result is valid
// until the next change of h.
func (h *ResponseHeader) Header() []byte {
	b := h.AppendBytes(h.bufV[:0])
	h.bufV = b
	return b
}

// Write writes the header to w.
func (h *ResponseHeader) Write(w *bufio.Writer) error {
	_, err := h.WriteTo(w)
	return err
}

// WriteTo writes the header to w.
func (h *ResponseHeader) WriteTo(w io.Writer) (int64, error) {
	return writeFull(w, h.Header())
}

// TrailerHeader returns the trailer fields as they are written after a
// chunked body, ending with the empty line.
func (h *ResponseHeader) TrailerHeader() []byte {
	h.bufV = appendTrailerFields(h.bufV[:0], h.trailer, h.h)
	if h.ctlKept {
		blankLineControls(h.bufV)
	}
	return h.bufV
}

// Read reads a response header from r, skipping 1xx informational
// responses other than 101.
func (h *ResponseHeader) Read(r *bufio.Reader) error {
	return h.readLimited(r, defaultMaxHeaderBytes(r.Size()))
}

// ReadTrailer reads the trailer section that follows a chunked body. Its
// fields become ordinary fields and their names join the Trailer list; a
// field that may not appear in a trailer fails the read.
func (h *ResponseHeader) ReadTrailer(r *bufio.Reader) error {
	var err error
	h.h, h.trailer, err = readTrailerSection(r, h.h, h.trailer, h.disableNormalizing)
	return err
}
