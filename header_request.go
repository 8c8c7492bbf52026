package fasthttp

import (
	"bufio"
	"bytes"
	"io"
)

// RequestHeader is the header of an HTTP request: the request line and the
// header fields.
//
// Frequently used fields (Host, Content-Type, Content-Length, User-Agent,
// Cookie, Transfer-Encoding, Trailer) are kept apart from the rest so that
// reading them costs nothing. Slices returned by its methods are valid until
// the next change of the header. RequestHeader must not be copied by value;
// use CopyTo. It is not safe for concurrent use.
type RequestHeader struct {
	noCopy noCopy

	h       []argsKV // ordinary fields, in arrival order
	cookies []argsKV // parsed Cookie pairs, once cookiesCollected
	trailer []argsKV // names announced by the Trailer field

	requestValues
	requestState
	requestSettings

	bufK      []byte // scratch for key normalization
	bufV      []byte // scratch for values built on demand
	bufS      []byte // scratch for sanitized values
	mulHeader [][]byte
}

// requestState is what a RequestHeader knows of one message besides its
// field values: cleared for every message, copied whole.
type requestState struct {
	contentLength    int  // -1: chunked
	noBodyFraming    bool // received GET/HEAD without CL or TE: ContentLength reports -2
	noHTTP11         bool
	connectionClose  bool
	keepAlive        bool // HTTP/1.0 "Connection: keep-alive"
	hasHost          bool
	hasContentLength bool
	seenContentType  bool // while parsing: a Content-Type field was read
	cookiesCollected bool
	received         bool // the request line was read from the wire
	ctlKept          bool // an ordinary field holds a control byte for writing to blank
}

// requestSettings are the choices made on a RequestHeader that outlive a
// message: reading the next one keeps them, Reset clears them.
type requestSettings struct {
	noDefaultContentType bool
	disableNormalizing   bool
	disableSpecialHeader bool
}

// requestValues are the byte fields of a request message: the request
// line and the fields with storage of their own.
type requestValues struct {
	method             []byte
	requestURI         []byte
	proto              []byte
	host               []byte
	contentType        []byte
	userAgent          []byte
	rawHeaders         []byte
	contentLengthBytes []byte
}

// empty truncates every value, keeping its capacity.
func (v *requestValues) empty() {
	v.method, v.requestURI, v.proto, v.host = v.method[:0], v.requestURI[:0], v.proto[:0], v.host[:0]
	v.contentType, v.userAgent, v.rawHeaders = v.contentType[:0], v.userAgent[:0], v.rawHeaders[:0]
	v.contentLengthBytes = v.contentLengthBytes[:0]
}

// copyFrom makes v hold the values of src, reusing v's capacity.
func (v *requestValues) copyFrom(src *requestValues) {
	v.method, v.requestURI = append(v.method[:0], src.method...), append(v.requestURI[:0], src.requestURI...)
	v.proto, v.host = append(v.proto[:0], src.proto...), append(v.host[:0], src.host...)
	v.contentType = append(v.contentType[:0], src.contentType...)
	v.userAgent = append(v.userAgent[:0], src.userAgent...)
	v.rawHeaders = append(v.rawHeaders[:0], src.rawHeaders...)
	v.contentLengthBytes = append(v.contentLengthBytes[:0], src.contentLengthBytes...)
}

// strDefaultRequestContentType is written for a request body of unknown
// type.
var strDefaultRequestContentType = []byte("application/octet-stream")

// Reset clears the header for reuse, the settings made with
// DisableNormalizing, DisableSpecialHeader and SetNoDefaultContentType
// included.
func (h *RequestHeader) Reset() {
	h.requestSettings = requestSettings{}
	h.resetSkipNormalize()
}

// resetSkipNormalize clears the message but keeps the settings, for
// reading the next message into the same header.
func (h *RequestHeader) resetSkipNormalize() {
	h.h, h.cookies, h.trailer = h.h[:0], h.cookies[:0], h.trailer[:0]
	h.requestValues.empty()
	h.requestState = requestState{}
}

// CopyTo copies the whole header, settings included, into dst.
func (h *RequestHeader) CopyTo(dst *RequestHeader) {
	dst.h = copyKVs(dst.h, h.h)
	dst.cookies = copyKVs(dst.cookies, h.cookies)
	dst.trailer = copyKVs(dst.trailer, h.trailer)
	dst.requestValues.copyFrom(&h.requestValues)
	dst.requestState = h.requestState
	dst.requestSettings = h.requestSettings
}

// DisableNormalizing keeps header names exactly as given or received instead
// of rewriting them to the canonical Upper-Case-Form. Peek and Set then
// match names exactly. It returns true so that it can be used in
// expressions.
func (h *RequestHeader) DisableNormalizing() bool {
	h.disableNormalizing = true
	return true
}

// EnableNormalizing turns header-name normalization back on (the default).
func (h *RequestHeader) EnableNormalizing() bool {
	h.disableNormalizing = false
	return true
}

// DisableSpecialHeader makes Host, Content-Type, User-Agent, Cookie and the
// other fields with dedicated accessors behave like ordinary fields: they
// are kept and written in order, exactly as set or received, and nothing is
// added by default. Content-Length is still understood for framing.
func (h *RequestHeader) DisableSpecialHeader() bool {
	h.disableSpecialHeader = true
	return true
}

// EnableSpecialHeader restores the dedicated handling of special fields.
func (h *RequestHeader) EnableSpecialHeader() bool {
	h.disableSpecialHeader = false
	return true
}

// SetNoDefaultContentType stops the header from writing
// "Content-Type: application/octet-stream" for a request that carries a
// body but sets no content type.
func (h *RequestHeader) SetNoDefaultContentType(noDefaultContentType bool) {
	h.noDefaultContentType = noDefaultContentType
}

// IsHTTP11 reports whether the request is HTTP/1.1.
func (h *RequestHeader) IsHTTP11() bool {
	return !h.noHTTP11
}

// Protocol returns the request's protocol, "HTTP/1.1" unless set otherwise.
func (h *RequestHeader) Protocol() []byte {
	if len(h.proto) == 0 {
		return strHTTP11
	}
	return h.proto
}

// SetProtocol sets the protocol written in the request line.
func (h *RequestHeader) SetProtocol(protocol string) {
	h.SetProtocolBytes(s2b(protocol))
}

// SetProtocolBytes sets the protocol written in the request line.
func (h *RequestHeader) SetProtocolBytes(protocol []byte) {
	setSanitized(&h.proto, protocol)
	h.noHTTP11 = !bytes.Equal(h.proto, strHTTP11)
}

// Method returns the request method, "GET" unless set otherwise.
func (h *RequestHeader) Method() []byte {
	if len(h.method) == 0 {
		return strGet
	}
	return h.method
}

// SetMethod sets the request method.
func (h *RequestHeader) SetMethod(method string) {
	h.SetMethodBytes(s2b(method))
}

// SetMethodBytes sets the request method.
func (h *RequestHeader) SetMethodBytes(method []byte) {
	setSanitized(&h.method, method)
}

func (h *RequestHeader) isMethod(m string) bool {
	if len(h.method) == 0 {
		return m == MethodGet
	}
	return b2s(h.method) == m
}

// IsGet reports whether the method is GET.
func (h *RequestHeader) IsGet() bool { return h.isMethod(MethodGet) }

// IsPost reports whether the method is POST.
func (h *RequestHeader) IsPost() bool { return h.isMethod(MethodPost) }

// IsPut reports whether the method is PUT.
func (h *RequestHeader) IsPut() bool { return h.isMethod(MethodPut) }

// IsHead reports whether the method is HEAD.
func (h *RequestHeader) IsHead() bool { return h.isMethod(MethodHead) }

// IsDelete reports whether the method is DELETE.
func (h *RequestHeader) IsDelete() bool { return h.isMethod(MethodDelete) }

// IsConnect reports whether the method is CONNECT.
func (h *RequestHeader) IsConnect() bool { return h.isMethod(MethodConnect) }

// IsOptions reports whether the method is OPTIONS.
func (h *RequestHeader) IsOptions() bool { return h.isMethod(MethodOptions) }

// IsTrace reports whether the method is TRACE.
func (h *RequestHeader) IsTrace() bool { return h.isMethod(MethodTrace) }

// IsPatch reports whether the method is PATCH.
func (h *RequestHeader) IsPatch() bool { return h.isMethod(MethodPatch) }

// IsQuery reports whether the method is QUERY.
func (h *RequestHeader) IsQuery() bool { return h.isMethod(MethodQuery) }

// ignoreBody reports whether the method carries no body (GET, HEAD).
func (h *RequestHeader) ignoreBody() bool {
	return h.IsGet() || h.IsHead()
}

// RequestURI returns the request target as received or set, "/" when empty.
func (h *RequestHeader) RequestURI() []byte {
	if len(h.requestURI) == 0 {
		return strSlash
	}
	return h.requestURI
}

// SetRequestURI sets the request target written in the request line.
func (h *RequestHeader) SetRequestURI(requestURI string) {
	h.SetRequestURIBytes(s2b(requestURI))
}

// SetRequestURIBytes sets the request target written in the request line.
func (h *RequestHeader) SetRequestURIBytes(requestURI []byte) {
	setSanitized(&h.requestURI, requestURI)
}

// Host returns the Host field.
func (h *RequestHeader) Host() []byte {
	if h.disableSpecialHeader {
		return peekKVFold(h.h, HeaderHost)
	}
	return h.host
}

// SetHost sets the Host field.
func (h *RequestHeader) SetHost(host string) {
	h.SetHostBytes(s2b(host))
}

// SetHostBytes sets the Host field.
func (h *RequestHeader) SetHostBytes(host []byte) {
	if h.disableSpecialHeader {
		h.setOrdinary(strHost, host)
		return
	}
	setSanitized(&h.host, host)
	// A received empty Host is kept and written; an empty one set by hand
	// means none.
	h.hasHost = len(host) > 0
}

// UserAgent returns the User-Agent field.
func (h *RequestHeader) UserAgent() []byte {
	if h.disableSpecialHeader {
		return peekKVFold(h.h, HeaderUserAgent)
	}
	return h.userAgent
}

// SetUserAgent sets the User-Agent field.
func (h *RequestHeader) SetUserAgent(userAgent string) {
	h.SetUserAgentBytes(s2b(userAgent))
}

// SetUserAgentBytes sets the User-Agent field.
func (h *RequestHeader) SetUserAgentBytes(userAgent []byte) {
	if h.disableSpecialHeader {
		h.setOrdinary(strUserAgent, userAgent)
		return
	}
	setSanitized(&h.userAgent, userAgent)
}

// Referer returns the Referer field.
func (h *RequestHeader) Referer() []byte {
	return peekKVFold(h.h, HeaderReferer)
}

// SetReferer sets the Referer field.
func (h *RequestHeader) SetReferer(referer string) {
	h.SetRefererBytes(s2b(referer))
}

// SetRefererBytes sets the Referer field.
func (h *RequestHeader) SetRefererBytes(referer []byte) {
	h.setOrdinary(strReferer, referer)
}

// ContentType returns the Content-Type field.
func (h *RequestHeader) ContentType() []byte {
	if h.disableSpecialHeader {
		return peekKVFold(h.h, HeaderContentType)
	}
	return h.contentType
}

// SetContentType sets the Content-Type field.
func (h *RequestHeader) SetContentType(contentType string) {
	h.SetContentTypeBytes(s2b(contentType))
}

// SetContentTypeBytes sets the Content-Type field.
func (h *RequestHeader) SetContentTypeBytes(contentType []byte) {
	if h.disableSpecialHeader {
		h.setOrdinary(strContentType, contentType)
		return
	}
	setSanitized(&h.contentType, contentType)
}

// ContentEncoding returns the Content-Encoding field.
func (h *RequestHeader) ContentEncoding() []byte {
	return peekKVFold(h.h, HeaderContentEncoding)
}

// SetContentEncoding sets the Content-Encoding field.
func (h *RequestHeader) SetContentEncoding(contentEncoding string) {
	h.SetContentEncodingBytes(s2b(contentEncoding))
}

// SetContentEncodingBytes sets the Content-Encoding field.
func (h *RequestHeader) SetContentEncodingBytes(contentEncoding []byte) {
	h.setOrdinary(strContentEncoding, contentEncoding)
}

// setOrdinary sets a field kept in the ordinary list under its canonical
// name, replacing a received spelling in any case.
func (h *RequestHeader) setOrdinary(key, value []byte) {
	value = sanitizeFieldValue(&h.bufS, value)
	h.h = setKVFold(h.h, key, value)
}

// ContentLength returns the body length announced by Content-Length, -1 for
// a chunked body, -2 for a received GET or HEAD that announced no body, and
// 0 for other requests without a body.
func (h *RequestHeader) ContentLength() int {
	if h.noBodyFraming {
		return -2
	}
	return h.contentLength
}

// SetContentLength sets Content-Length. A negative value selects chunked
// transfer coding instead.
func (h *RequestHeader) SetContentLength(contentLength int) {
	h.noBodyFraming = false
	if contentLength < 0 {
		h.contentLength = -1
		h.contentLengthBytes = h.contentLengthBytes[:0]
		h.hasContentLength = false
		return
	}
	h.contentLength = contentLength
	h.contentLengthBytes = AppendUint(h.contentLengthBytes[:0], contentLength)
	h.hasContentLength = true
}

// ConnectionClose reports whether the request asks to close the connection
// after the response ("Connection: close", or HTTP/1.0 without keep-alive).
func (h *RequestHeader) ConnectionClose() bool {
	return h.connectionClose
}

// SetConnectionClose marks the request "Connection: close".
func (h *RequestHeader) SetConnectionClose() {
	h.connectionClose = true
}

// ResetConnectionClose clears "Connection: close", keeping the other
// Connection options.
func (h *RequestHeader) ResetConnectionClose() {
	h.connectionClose = false
	h.h = dropConnectionClose(h.h, &h.bufS)
}

// ConnectionUpgrade reports whether the Connection field lists "Upgrade".
func (h *RequestHeader) ConnectionUpgrade() bool {
	ok, _ := connectionListed(h.h, "upgrade")
	return ok
}

// MultipartFormBoundary returns the boundary of a multipart/form-data body,
// or nil when the request has none.
func (h *RequestHeader) MultipartFormBoundary() []byte {
	return multipartBoundary(h.ContentType())
}

// SetMultipartFormBoundary sets Content-Type to multipart/form-data with the
// given boundary.
func (h *RequestHeader) SetMultipartFormBoundary(boundary string) {
	h.SetMultipartFormBoundaryBytes(s2b(boundary))
}

// SetMultipartFormBoundaryBytes sets Content-Type to multipart/form-data
// with the given boundary.
func (h *RequestHeader) SetMultipartFormBoundaryBytes(boundary []byte) {
	h.bufV = append(append(h.bufV[:0], "multipart/form-data; boundary="...), boundary...)
	h.SetContentTypeBytes(h.bufV)
}

// HasAcceptEncoding reports whether Accept-Encoding accepts the coding
// acceptEncoding; a coding listed with q=0 is refused.
func (h *RequestHeader) HasAcceptEncoding(acceptEncoding string) bool {
	return hasAcceptEncoding(peekKVFold(h.h, HeaderAcceptEncoding), acceptEncoding)
}

// HasAcceptEncodingBytes is HasAcceptEncoding for a byte slice.
func (h *RequestHeader) HasAcceptEncodingBytes(acceptEncoding []byte) bool {
	return h.HasAcceptEncoding(b2s(acceptEncoding))
}

// SetByteRange sets "Range: bytes=start-end". A negative start asks for the
// last -start bytes; a negative end asks for everything from start.
func (h *RequestHeader) SetByteRange(startPos, endPos int) {
	b := append(h.bufV[:0], "bytes="...)
	switch {
	case startPos < 0:
		b = AppendUint(append(b, '-'), -startPos)
	case endPos < 0:
		b = append(AppendUint(b, startPos), '-')
	default:
		b = appendByteSpan(b, startPos, endPos)
	}
	h.bufV = b
	h.setOrdinary(strRange, b)
}

// RawHeaders returns the header fields exactly as received, without the
// request line but with the empty line that ends them. It is empty for
// headers not read from the wire.
func (h *RequestHeader) RawHeaders() []byte {
	return h.rawHeaders
}

// SetTrailer sets the list of field names the Trailer field announces,
// e.g. "Hash, Signature". Names that may not appear in a trailer are left
// out and reported with ErrBadTrailer.
func (h *RequestHeader) SetTrailer(trailer string) error {
	return h.SetTrailerBytes(s2b(trailer))
}

// SetTrailerBytes is SetTrailer for a byte slice.
func (h *RequestHeader) SetTrailerBytes(trailer []byte) error {
	h.trailer = h.trailer[:0]
	return h.AddTrailerBytes(trailer)
}

// AddTrailer adds field names to the Trailer field.
func (h *RequestHeader) AddTrailer(trailer string) error {
	return h.AddTrailerBytes(s2b(trailer))
}

// AddTrailerBytes adds field names to the Trailer field.
func (h *RequestHeader) AddTrailerBytes(trailer []byte) error {
	var err error
	h.trailer, err = addTrailerNames(h.trailer, trailer, h.disableNormalizing)
	return err
}

// String returns the header as it would be written.
func (h *RequestHeader) String() string {
	return string(h.Header())
}

// Header returns the header as it would be written. The result is valid
// until the next change of h.
func (h *RequestHeader) Header() []byte {
	b := h.AppendBytes(h.bufV[:0])
	h.bufV = b
	return b
}

// Write writes the header to w.
func (h *RequestHeader) Write(w *bufio.Writer) error {
	_, err := h.WriteTo(w)
	return err
}

// WriteTo writes the header to w.
func (h *RequestHeader) WriteTo(w io.Writer) (int64, error) {
	return writeFull(w, h.Header())
}

// TrailerHeader returns the trailer fields (the fields the Trailer field
// names, with their values) as they are written after a chunked body,
// ending with the empty line.
func (h *RequestHeader) TrailerHeader() []byte {
	h.bufV = appendTrailerFields(h.bufV[:0], h.trailer, h.h)
	if h.ctlKept {
		blankLineControls(h.bufV)
	}
	return h.bufV
}

// Read reads a request header from r. It returns io.EOF when r is at its
// end before the first byte.
func (h *RequestHeader) Read(r *bufio.Reader) error {
	return h.readLimited(r, defaultMaxHeaderBytes(r.Size()))
}

// ReadTrailer reads the trailer section that follows a chunked body. Its
// fields become ordinary fields and their names join the Trailer list; a
// field that may not appear in a trailer fails the read.
func (h *RequestHeader) ReadTrailer(r *bufio.Reader) error {
	var err error
	h.h, h.trailer, err = readTrailerSection(r, h.h, h.trailer, h.disableNormalizing)
	return err
}
