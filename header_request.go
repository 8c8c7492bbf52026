package fasthttp

import (
	"bufio"
	"bytes"
	"io"
	"iter"
	"sync"
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

	method      []byte
	requestURI  []byte
	proto       []byte
	host        []byte
	contentType []byte
	userAgent   []byte
	rawHeaders  []byte

	contentLengthBytes []byte
	contentLength      int // -1: chunked

	bufK      []byte // scratch for key normalization
	bufV      []byte // scratch for values built on demand
	mulHeader [][]byte

	noHTTP11             bool
	connectionClose      bool
	keepAlive            bool // HTTP/1.0 "Connection: keep-alive"
	hasHost              bool
	hasContentLength     bool
	cookiesCollected     bool
	noDefaultContentType bool
	disableNormalizing   bool
	disableSpecialHeader bool
	secureErrorLogMsg    bool
}

// Reset clears the header for reuse. Settings made with DisableNormalizing,
// DisableSpecialHeader and SetNoDefaultContentType survive.
func (h *RequestHeader) Reset() {
	h.resetSkipNormalize()
}

func (h *RequestHeader) resetSkipNormalize() {
	h.h = h.h[:0]
	h.cookies = h.cookies[:0]
	h.trailer = h.trailer[:0]
	h.method = h.method[:0]
	h.requestURI = h.requestURI[:0]
	h.proto = h.proto[:0]
	h.host = h.host[:0]
	h.contentType = h.contentType[:0]
	h.userAgent = h.userAgent[:0]
	h.rawHeaders = h.rawHeaders[:0]
	h.contentLengthBytes = h.contentLengthBytes[:0]
	h.contentLength = 0
	h.noHTTP11 = false
	h.connectionClose = false
	h.keepAlive = false
	h.hasHost = false
	h.hasContentLength = false
	h.cookiesCollected = false
}

// CopyTo copies the whole header into dst.
func (h *RequestHeader) CopyTo(dst *RequestHeader) {
	dst.Reset()
	dst.h = copyKVs(dst.h, h.h)
	dst.cookies = copyKVs(dst.cookies, h.cookies)
	dst.trailer = copyKVs(dst.trailer, h.trailer)
	dst.method = append(dst.method, h.method...)
	dst.requestURI = append(dst.requestURI, h.requestURI...)
	dst.proto = append(dst.proto, h.proto...)
	dst.host = append(dst.host, h.host...)
	dst.contentType = append(dst.contentType, h.contentType...)
	dst.userAgent = append(dst.userAgent, h.userAgent...)
	dst.rawHeaders = append(dst.rawHeaders, h.rawHeaders...)
	dst.contentLengthBytes = append(dst.contentLengthBytes, h.contentLengthBytes...)
	dst.contentLength = h.contentLength
	dst.noHTTP11 = h.noHTTP11
	dst.connectionClose = h.connectionClose
	dst.keepAlive = h.keepAlive
	dst.hasHost = h.hasHost
	dst.hasContentLength = h.hasContentLength
	dst.cookiesCollected = h.cookiesCollected
	dst.noDefaultContentType = h.noDefaultContentType
	dst.disableNormalizing = h.disableNormalizing
	dst.disableSpecialHeader = h.disableSpecialHeader
	dst.secureErrorLogMsg = h.secureErrorLogMsg
}

// DisableNormalizing keeps header names exactly as given or received instead
// of rewriting them to the canonical Upper-Case-Form. It returns true so
// that it can be used in expressions.
func (h *RequestHeader) DisableNormalizing() bool {
	h.disableNormalizing = true
	return true
}

// EnableNormalizing turns header-name normalization back on (the default).
func (h *RequestHeader) EnableNormalizing() bool {
	h.disableNormalizing = false
	return true
}

// DisableSpecialHeader makes Host, Content-Type, User-Agent and the other
// fields with dedicated accessors behave like ordinary fields: they are
// stored and written only as set, with nothing added by default.
func (h *RequestHeader) DisableSpecialHeader() bool {
	h.disableSpecialHeader = true
	return true
}

// EnableSpecialHeader restores the dedicated handling of special fields.
func (h *RequestHeader) EnableSpecialHeader() bool {
	h.disableSpecialHeader = false
	return true
}

// SetNoDefaultContentType stops Write from adding a Content-Type to requests
// that carry a body but set none.
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
	h.proto = append(h.proto[:0], protocol...)
	h.noHTTP11 = !bytes.Equal(protocol, strHTTP11)
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
	h.method = append(h.method[:0], method...)
}

// SetMethodBytes sets the request method.
func (h *RequestHeader) SetMethodBytes(method []byte) {
	h.method = append(h.method[:0], method...)
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

// RequestURI returns the request target as received or set, "/" when empty.
func (h *RequestHeader) RequestURI() []byte {
	if len(h.requestURI) == 0 {
		return strSlash
	}
	return h.requestURI
}

// SetRequestURI sets the request target written in the request line.
func (h *RequestHeader) SetRequestURI(requestURI string) {
	h.requestURI = append(h.requestURI[:0], requestURI...)
}

// SetRequestURIBytes sets the request target written in the request line.
func (h *RequestHeader) SetRequestURIBytes(requestURI []byte) {
	h.requestURI = append(h.requestURI[:0], requestURI...)
}

// Host returns the Host field.
func (h *RequestHeader) Host() []byte {
	if h.disableSpecialHeader {
		return peekKVString(h.h, HeaderHost)
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
		h.h = setKV(h.h, strHost, host, false)
		return
	}
	h.host = append(h.host[:0], host...)
	h.hasHost = true
}

// UserAgent returns the User-Agent field.
func (h *RequestHeader) UserAgent() []byte {
	if h.disableSpecialHeader {
		return peekKVString(h.h, HeaderUserAgent)
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
		h.h = setKV(h.h, strUserAgent, userAgent, false)
		return
	}
	h.userAgent = append(h.userAgent[:0], userAgent...)
}

// Referer returns the Referer field.
func (h *RequestHeader) Referer() []byte {
	return peekKVString(h.h, HeaderReferer)
}

// SetReferer sets the Referer field.
func (h *RequestHeader) SetReferer(referer string) {
	h.SetBytesK(strReferer, referer)
}

// SetRefererBytes sets the Referer field.
func (h *RequestHeader) SetRefererBytes(referer []byte) {
	h.SetCanonical(strReferer, referer)
}

// ContentType returns the Content-Type field.
func (h *RequestHeader) ContentType() []byte {
	if h.disableSpecialHeader {
		return peekKVString(h.h, HeaderContentType)
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
		h.h = setKV(h.h, strContentType, contentType, false)
		return
	}
	h.contentType = append(h.contentType[:0], contentType...)
}

// ContentEncoding returns the Content-Encoding field.
func (h *RequestHeader) ContentEncoding() []byte {
	return peekKVString(h.h, HeaderContentEncoding)
}

// SetContentEncoding sets the Content-Encoding field.
func (h *RequestHeader) SetContentEncoding(contentEncoding string) {
	h.SetBytesK(strContentEncoding, contentEncoding)
}

// SetContentEncodingBytes sets the Content-Encoding field.
func (h *RequestHeader) SetContentEncodingBytes(contentEncoding []byte) {
	h.SetCanonical(strContentEncoding, contentEncoding)
}

// ContentLength returns the body length announced by Content-Length, -1 for
// a chunked body and 0 when the request has no body.
func (h *RequestHeader) ContentLength() int {
	return h.contentLength
}

// SetContentLength sets Content-Length. A negative value selects chunked
// transfer coding instead.
func (h *RequestHeader) SetContentLength(contentLength int) {
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

// ResetConnectionClose clears "Connection: close".
func (h *RequestHeader) ResetConnectionClose() {
	if h.connectionClose {
		h.connectionClose = false
		h.h = delKV(h.h, strConnection)
	}
}

// ConnectionUpgrade reports whether the Connection field lists "Upgrade".
func (h *RequestHeader) ConnectionUpgrade() bool {
	return hasTokenFold(peekKVString(h.h, HeaderConnection), "upgrade")
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

// multipartBoundary extracts the boundary parameter of a multipart/form-data
// content type.
func multipartBoundary(ct []byte) []byte {
	i := bytes.IndexByte(ct, ';')
	mt := ct
	if i >= 0 {
		mt = ct[:i]
	}
	if !equalFoldString(trimOWS(mt), "multipart/form-data") {
		return nil
	}
	var boundary []byte
	VisitHeaderParams(ct, func(k, v []byte) bool {
		if equalFoldString(k, "boundary") {
			boundary = v
			return false
		}
		return true
	})
	return boundary
}

// HasAcceptEncoding reports whether Accept-Encoding lists acceptEncoding.
func (h *RequestHeader) HasAcceptEncoding(acceptEncoding string) bool {
	return hasAcceptEncoding(peekKVString(h.h, HeaderAcceptEncoding), acceptEncoding)
}

// HasAcceptEncodingBytes reports whether Accept-Encoding lists
// acceptEncoding.
func (h *RequestHeader) HasAcceptEncodingBytes(acceptEncoding []byte) bool {
	return h.HasAcceptEncoding(b2s(acceptEncoding))
}

// hasAcceptEncoding reports whether the Accept-Encoding value ae accepts the
// coding, honouring q-values: a coding listed with q=0 is refused.
func hasAcceptEncoding(ae []byte, coding string) bool {
	for len(ae) > 0 {
		var item []byte
		if i := bytes.IndexByte(ae, ','); i >= 0 {
			item, ae = ae[:i], ae[i+1:]
		} else {
			item, ae = ae, nil
		}
		name := item
		if i := bytes.IndexByte(item, ';'); i >= 0 {
			name = item[:i]
		}
		if !equalFoldString(trimOWS(name), coding) {
			continue
		}
		return !qValueIsZero(item)
	}
	return false
}

// qValueIsZero reports whether a list item carries q=0 (q=0.0, q=0.000...).
func qValueIsZero(item []byte) bool {
	zero := false
	VisitHeaderParams(item, func(k, v []byte) bool {
		if len(k) == 1 && (k[0] == 'q' || k[0] == 'Q') {
			f, err := ParseUfloat(v)
			zero = err == nil && f == 0
			return false
		}
		return true
	})
	return zero
}

// SetByteRange sets "Range: bytes=start-end". A negative start asks for the
// last -start bytes; a negative end asks for everything from start.
func (h *RequestHeader) SetByteRange(startPos, endPos int) {
	b := append(h.bufV[:0], "bytes="...)
	switch {
	case startPos < 0:
		b = append(b, '-')
		b = AppendUint(b, -startPos)
	case endPos < 0:
		b = AppendUint(b, startPos)
		b = append(b, '-')
	default:
		b = AppendUint(b, startPos)
		b = append(b, '-')
		b = AppendUint(b, endPos)
	}
	h.bufV = b
	h.SetCanonical(strRange, b)
}

// Len returns the number of fields, cookies counted as one field each.
func (h *RequestHeader) Len() int {
	n := 0
	for range h.All() {
		n++
	}
	return n
}

// RawHeaders returns the header fields exactly as received, without the
// request line. It is empty for headers not read from the wire.
func (h *RequestHeader) RawHeaders() []byte {
	return h.rawHeaders
}

// normKey returns key in the form the header stores it.
func (h *RequestHeader) normKey(key []byte) []byte {
	if h.disableNormalizing {
		return key
	}
	h.bufK = append(h.bufK[:0], key...)
	normalizeHeaderKey(h.bufK)
	return h.bufK
}

// Peek returns the value of the field key, or nil. The result is valid until
// the next change of h.
func (h *RequestHeader) Peek(key string) []byte {
	return h.PeekBytes(s2b(key))
}

// PeekBytes is Peek with a byte-slice key.
func (h *RequestHeader) PeekBytes(key []byte) []byte {
	return h.peek(h.normKey(key))
}

// PeekCanonical is Peek for a key already in canonical form; it skips
// normalization.
func (h *RequestHeader) PeekCanonical(key []byte) []byte {
	return h.peek(key)
}

func (h *RequestHeader) peek(key []byte) []byte {
	if !h.disableSpecialHeader {
		switch string(key) {
		case HeaderHost:
			return h.host
		case HeaderContentType:
			return h.contentType
		case HeaderUserAgent:
			return h.userAgent
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
		case HeaderCookie:
			if h.cookiesCollected {
				h.bufV = appendRequestCookies(h.bufV[:0], h.cookies)
				return h.bufV
			}
		case HeaderTrailer:
			h.bufV = appendTrailerNames(h.bufV[:0], h.trailer)
			return h.bufV
		}
	}
	return peekKV(h.h, key)
}

// PeekAll returns the values of every field named key. The result is valid
// until the next change of h.
func (h *RequestHeader) PeekAll(key string) [][]byte {
	k := h.normKey(s2b(key))
	h.mulHeader = h.mulHeader[:0]
	if !h.disableSpecialHeader {
		switch string(k) {
		case HeaderHost, HeaderContentType, HeaderUserAgent, HeaderContentLength,
			HeaderTransferEncoding, HeaderTrailer:
			if v := h.peek(k); len(v) > 0 || (string(k) == HeaderHost && h.hasHost) {
				h.mulHeader = append(h.mulHeader, v)
			}
			return h.mulHeader
		case HeaderCookie:
			if h.cookiesCollected {
				if v := h.peek(k); len(v) > 0 {
					h.mulHeader = append(h.mulHeader, v)
				}
				return h.mulHeader
			}
		}
	}
	for i := range h.h {
		if bytes.Equal(h.h[i].key, k) {
			h.mulHeader = append(h.mulHeader, h.h[i].value)
		}
	}
	return h.mulHeader
}

// PeekKeys returns the names of every field. The result is valid until the
// next change of h.
func (h *RequestHeader) PeekKeys() [][]byte {
	h.mulHeader = h.mulHeader[:0]
	for k := range h.All() {
		h.mulHeader = append(h.mulHeader, k)
	}
	return h.mulHeader
}

// PeekTrailerKeys returns the field names announced by Trailer.
func (h *RequestHeader) PeekTrailerKeys() [][]byte {
	h.mulHeader = h.mulHeader[:0]
	for i := range h.trailer {
		h.mulHeader = append(h.mulHeader, h.trailer[i].key)
	}
	return h.mulHeader
}

// Trailers returns an iterator over the field names announced by Trailer.
func (h *RequestHeader) Trailers() iter.Seq[[]byte] {
	return func(yield func([]byte) bool) {
		for i := range h.trailer {
			if !yield(h.trailer[i].key) {
				return
			}
		}
	}
}

// VisitAllTrailer calls f for each field name announced by Trailer.
//
// Deprecated: use Trailers.
func (h *RequestHeader) VisitAllTrailer(f func(value []byte)) {
	for k := range h.Trailers() {
		f(k)
	}
}

// All returns an iterator over every field as name/value pairs: the special
// fields first, then the others in arrival order. The slices are valid only
// inside the loop body.
func (h *RequestHeader) All() iter.Seq2[[]byte, []byte] {
	return func(yield func([]byte, []byte) bool) {
		if !h.disableSpecialHeader {
			if len(h.host) > 0 && !yield(strHost, h.host) {
				return
			}
			if len(h.contentType) > 0 && !yield(strContentType, h.contentType) {
				return
			}
			if len(h.contentLengthBytes) > 0 && !yield(strContentLength, h.contentLengthBytes) {
				return
			}
			if h.contentLength == -1 && !yield(strTransferEncoding, strChunked) {
				return
			}
			if len(h.userAgent) > 0 && !yield(strUserAgent, h.userAgent) {
				return
			}
			if len(h.trailer) > 0 {
				h.bufV = appendTrailerNames(h.bufV[:0], h.trailer)
				if !yield(strTrailer, h.bufV) {
					return
				}
			}
			if h.cookiesCollected && len(h.cookies) > 0 {
				h.bufV = appendRequestCookies(h.bufV[:0], h.cookies)
				if !yield(strCookie, h.bufV) {
					return
				}
			}
		}
		for i := range h.h {
			if !yield(h.h[i].key, h.h[i].value) {
				return
			}
		}
		if h.connectionClose && !hasKV(h.h, strConnection) {
			yield(strConnection, strClose)
		}
	}
}

// AllInOrder is All; fields other than the special ones come in arrival
// order.
func (h *RequestHeader) AllInOrder() iter.Seq2[[]byte, []byte] {
	return h.All()
}

// VisitAll calls f for each field.
//
// Deprecated: use All.
func (h *RequestHeader) VisitAll(f func(key, value []byte)) {
	for k, v := range h.All() {
		f(k, v)
	}
}

// VisitAllInOrder calls f for each field.
//
// Deprecated: use AllInOrder.
func (h *RequestHeader) VisitAllInOrder(f func(key, value []byte)) {
	for k, v := range h.AllInOrder() {
		f(k, v)
	}
}

// Del removes every field named key.
func (h *RequestHeader) Del(key string) {
	h.DelBytes(s2b(key))
}

// DelBytes removes every field named key.
func (h *RequestHeader) DelBytes(key []byte) {
	k := h.normKey(key)
	if !h.disableSpecialHeader {
		switch string(k) {
		case HeaderHost:
			h.host = h.host[:0]
			h.hasHost = false
			return
		case HeaderContentType:
			h.contentType = h.contentType[:0]
			return
		case HeaderUserAgent:
			h.userAgent = h.userAgent[:0]
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
		case HeaderConnection:
			h.connectionClose = false
		case HeaderCookie:
			h.cookies = h.cookies[:0]
		case HeaderTrailer:
			h.trailer = h.trailer[:0]
			return
		}
	}
	h.h = delKV(h.h, k)
}

// Set sets the field key to value, replacing earlier values.
func (h *RequestHeader) Set(key, value string) {
	h.SetCanonical(h.normKey(s2b(key)), s2b(value))
}

// SetBytesK is Set with a byte-slice key.
func (h *RequestHeader) SetBytesK(key []byte, value string) {
	h.SetCanonical(h.normKey(key), s2b(value))
}

// SetBytesV is Set with a byte-slice value.
func (h *RequestHeader) SetBytesV(key string, value []byte) {
	h.SetCanonical(h.normKey(s2b(key)), value)
}

// SetBytesKV is Set with byte-slice key and value.
func (h *RequestHeader) SetBytesKV(key, value []byte) {
	h.SetCanonical(h.normKey(key), value)
}

// SetCanonical is Set for a key already in canonical form.
func (h *RequestHeader) SetCanonical(key, value []byte) {
	if !validHeaderName(key) {
		return
	}
	value = sanitizeFieldValue(&h.bufV, value)
	if h.setSpecial(key, value) {
		return
	}
	h.h = setKV(h.h, key, value, false)
}

// Add appends a field, keeping earlier fields of the same name. Special
// fields such as Host or Content-Type still have a single value.
func (h *RequestHeader) Add(key, value string) {
	h.AddBytesKV(s2b(key), s2b(value))
}

// AddBytesK is Add with a byte-slice key.
func (h *RequestHeader) AddBytesK(key []byte, value string) {
	h.AddBytesKV(key, s2b(value))
}

// AddBytesV is Add with a byte-slice value.
func (h *RequestHeader) AddBytesV(key string, value []byte) {
	h.AddBytesKV(s2b(key), value)
}

// AddBytesKV is Add with byte-slice key and value.
func (h *RequestHeader) AddBytesKV(key, value []byte) {
	k := h.normKey(key)
	if !validHeaderName(k) {
		return
	}
	value = sanitizeFieldValue(&h.bufV, value)
	if h.setSpecial(k, value) {
		return
	}
	h.h = appendKV(h.h, k, value, false)
}

// setSpecial stores a field with dedicated handling and reports whether key
// was one.
func (h *RequestHeader) setSpecial(key, value []byte) bool {
	if h.disableSpecialHeader || len(key) == 0 {
		return false
	}
	switch key[0] | 0x20 {
	case 'c':
		switch {
		case equalFoldString(key, HeaderContentType):
			h.SetContentTypeBytes(value)
			return true
		case equalFoldString(key, HeaderContentLength):
			if n, err := ParseUint(value); err == nil {
				h.SetContentLength(n)
			}
			return true
		case equalFoldString(key, HeaderConnection):
			if hasTokenFold(value, "close") {
				h.connectionClose = true
			} else {
				h.connectionClose = false
			}
			h.h = setKV(h.h, strConnection, value, false)
			return true
		case equalFoldString(key, HeaderCookie):
			h.collectCookies()
			h.cookies = parseRequestCookies(h.cookies, value)
			return true
		}
	case 'h':
		if equalFoldString(key, HeaderHost) {
			h.SetHostBytes(value)
			return true
		}
	case 't':
		switch {
		case equalFoldString(key, HeaderTransferEncoding):
			// Only chunked is produced by this package.
			if hasTokenFold(value, "chunked") {
				h.SetContentLength(-1)
			}
			return true
		case equalFoldString(key, HeaderTrailer):
			_ = h.SetTrailerBytes(value)
			return true
		}
	case 'u':
		if equalFoldString(key, HeaderUserAgent) {
			h.SetUserAgentBytes(value)
			return true
		}
	}
	return false
}

// SetTrailer sets the list of field names the Trailer field announces,
// e.g. "Hash, Signature". Names that may not appear in a trailer are refused
// with ErrBadTrailer.
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

// Cookie returns the value of the request cookie key, or nil.
func (h *RequestHeader) Cookie(key string) []byte {
	h.collectCookies()
	return peekKVString(h.cookies, key)
}

// CookieBytes is Cookie with a byte-slice key.
func (h *RequestHeader) CookieBytes(key []byte) []byte {
	h.collectCookies()
	return peekKV(h.cookies, key)
}

// SetCookie sets the request cookie key to value.
func (h *RequestHeader) SetCookie(key, value string) {
	h.collectCookies()
	h.cookies = setKV(h.cookies, s2b(key), s2b(value), false)
}

// SetCookieBytesK is SetCookie with a byte-slice key.
func (h *RequestHeader) SetCookieBytesK(key []byte, value string) {
	h.collectCookies()
	h.cookies = setKV(h.cookies, key, s2b(value), false)
}

// SetCookieBytesKV is SetCookie with byte-slice key and value.
func (h *RequestHeader) SetCookieBytesKV(key, value []byte) {
	h.collectCookies()
	h.cookies = setKV(h.cookies, key, value, false)
}

// DelCookie removes the request cookie key.
func (h *RequestHeader) DelCookie(key string) {
	h.collectCookies()
	h.cookies = delKV(h.cookies, s2b(key))
}

// DelCookieBytes removes the request cookie key.
func (h *RequestHeader) DelCookieBytes(key []byte) {
	h.collectCookies()
	h.cookies = delKV(h.cookies, key)
}

// DelAllCookies removes every request cookie.
func (h *RequestHeader) DelAllCookies() {
	h.collectCookies()
	h.cookies = h.cookies[:0]
}

// Cookies returns an iterator over the request cookies as name/value pairs.
func (h *RequestHeader) Cookies() iter.Seq2[[]byte, []byte] {
	h.collectCookies()
	return func(yield func([]byte, []byte) bool) {
		for i := range h.cookies {
			if !yield(h.cookies[i].key, h.cookies[i].value) {
				return
			}
		}
	}
}

// VisitAllCookie calls f for each request cookie.
//
// Deprecated: use Cookies.
func (h *RequestHeader) VisitAllCookie(f func(key, value []byte)) {
	for k, v := range h.Cookies() {
		f(k, v)
	}
}

// collectCookies parses the received Cookie fields into h.cookies once, and
// from then on the cookie list is the only source of the Cookie field.
func (h *RequestHeader) collectCookies() {
	if h.cookiesCollected {
		return
	}
	h.cookies = h.cookies[:0]
	n := 0
	for i := range h.h {
		kv := &h.h[i]
		if equalFoldString(kv.key, HeaderCookie) {
			h.cookies = parseRequestCookies(h.cookies, kv.value)
			continue
		}
		if n != i {
			h.h[n], h.h[i] = h.h[i], h.h[n]
		}
		n++
	}
	h.h = h.h[:n]
	h.cookiesCollected = true
}

// String returns the header as it would be written.
func (h *RequestHeader) String() string {
	return string(h.Header())
}

// Header returns the header as it would be written. The result is valid
// until the next change of h.
func (h *RequestHeader) Header() []byte {
	h.bufV = h.AppendBytes(h.bufV[:0])
	return h.bufV
}

// Write writes the header to w.
func (h *RequestHeader) Write(w *bufio.Writer) error {
	_, err := w.Write(h.Header())
	return err
}

// WriteTo writes the header to w.
func (h *RequestHeader) WriteTo(w io.Writer) (int64, error) {
	n, err := w.Write(h.Header())
	return int64(n), err
}

// TrailerHeader returns the trailer fields (the values of the fields the
// Trailer field names) as they would be written after a chunked body.
func (h *RequestHeader) TrailerHeader() []byte {
	h.bufV = appendTrailerFields(h.bufV[:0], h.trailer, h.h)
	return h.bufV
}

// Read reads a request header from r. It returns io.EOF when r is at its
// end before the first byte.
func (h *RequestHeader) Read(r *bufio.Reader) error {
	return h.readLimited(r, defaultMaxHeaderBytes(r.Size()))
}

// ReadTrailer reads the trailer fields that follow a chunked body.
func (h *RequestHeader) ReadTrailer(r *bufio.Reader) error {
	kvs, err := readTrailerFields(r, h.h, h.disableNormalizing)
	h.h = kvs
	return err
}

var requestHeaderPool = sync.Pool{New: func() any { return &RequestHeader{} }}
