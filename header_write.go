package fasthttp

import (
	"sync"
	"sync/atomic"
	"time"
)

// This file serializes header sections (the other half of the wire codec).

// AppendBytes appends the request header, as it is written on the wire, to
// dst.
func (h *RequestHeader) AppendBytes(dst []byte) []byte {
	dst = append(dst, h.Method()...)
	dst = append(dst, ' ')
	dst = append(dst, h.RequestURI()...)
	dst = append(dst, ' ')
	dst = append(dst, h.Protocol()...)
	dst = append(dst, '\r', '\n')

	if !h.disableSpecialHeader {
		if len(h.host) > 0 {
			dst = appendHeaderLine(dst, strHost, h.host)
		}
		if len(h.userAgent) > 0 {
			dst = appendHeaderLine(dst, strUserAgent, h.userAgent)
		}
		hasBody := !h.ignoreBody()
		ct := h.contentType
		if len(ct) == 0 && hasBody && !h.noDefaultContentType && h.contentLength != 0 {
			ct = strDefaultContentType
		}
		if len(ct) > 0 {
			dst = appendHeaderLine(dst, strContentType, ct)
		}
		switch {
		case h.contentLength == -1:
			dst = appendHeaderLine(dst, strTransferEncoding, strChunked)
		case len(h.contentLengthBytes) > 0 && (hasBody || h.contentLength > 0):
			dst = appendHeaderLine(dst, strContentLength, h.contentLengthBytes)
		}
		if len(h.trailer) > 0 {
			dst = append(dst, "Trailer: "...)
			dst = appendTrailerNames(dst, h.trailer)
			dst = append(dst, '\r', '\n')
		}
	}
	for i := range h.h {
		kv := &h.h[i]
		if h.connectionClose && equalFoldString(kv.key, HeaderConnection) {
			continue
		}
		dst = appendHeaderLine(dst, kv.key, kv.value)
	}
	if h.cookiesCollected && len(h.cookies) > 0 {
		dst = append(dst, "Cookie: "...)
		dst = appendRequestCookies(dst, h.cookies)
		dst = append(dst, '\r', '\n')
	}
	if h.connectionClose {
		dst = append(dst, "Connection: close\r\n"...)
	}
	return append(dst, '\r', '\n')
}

// ignoreBody reports whether the method carries no body (GET, HEAD).
func (h *RequestHeader) ignoreBody() bool {
	return h.IsGet() || h.IsHead()
}

// AppendBytes appends the response header, as it is written on the wire, to
// dst.
func (h *ResponseHeader) AppendBytes(dst []byte) []byte {
	code := h.StatusCode()
	if h.noHTTP11 && len(h.protocol) > 0 {
		dst = append(dst, h.protocol...)
		dst = append(dst, ' ')
		dst = AppendUint(dst, code)
		dst = append(dst, ' ')
		if len(h.statusMessage) > 0 {
			dst = append(dst, h.statusMessage...)
		} else {
			dst = append(dst, StatusMessage(code)...)
		}
		dst = append(dst, '\r', '\n')
	} else {
		dst = appendStatusLineCached(dst, code, h.statusMessage)
	}
	if len(h.server) > 0 {
		dst = appendHeaderLine(dst, strServer, h.server)
	}
	if !h.noDefaultDate {
		dst = append(dst, currentDateLine()...)
	}
	noBody := h.mustSkipContentLength()
	if ct := h.ContentType(); len(ct) > 0 && (!noBody || len(h.contentType) > 0) {
		dst = appendHeaderLine(dst, strContentType, ct)
	}
	if len(h.contentEncoding) > 0 {
		dst = appendHeaderLine(dst, strContentEncoding, h.contentEncoding)
	}
	if !noBody {
		switch {
		case h.contentLength == -1:
			dst = appendHeaderLine(dst, strTransferEncoding, strChunked)
		case h.contentLength >= 0:
			if len(h.contentLengthBytes) == 0 {
				dst = append(dst, "Content-Length: 0\r\n"...)
			} else {
				dst = appendHeaderLine(dst, strContentLength, h.contentLengthBytes)
			}
		}
	}
	if len(h.trailer) > 0 {
		dst = append(dst, "Trailer: "...)
		dst = appendTrailerNames(dst, h.trailer)
		dst = append(dst, '\r', '\n')
	}
	for i := range h.h {
		kv := &h.h[i]
		dst = appendHeaderLine(dst, kv.key, kv.value)
	}
	for i := range h.cookies {
		dst = appendHeaderLine(dst, strSetCookie, h.cookies[i].value)
	}
	if h.connectionClose {
		dst = append(dst, "Connection: close\r\n"...)
	} else if h.keepAlive {
		dst = append(dst, "Connection: keep-alive\r\n"...)
	}
	return append(dst, '\r', '\n')
}

// The Date field is rebuilt at most once a second and shared by every
// response: writing it costs one copy.
var (
	dateLine     atomic.Pointer[[]byte]
	dateLineOnce sync.Once
)

// currentDateLine returns "Date: <now>\r\n".
func currentDateLine() []byte {
	dateLineOnce.Do(startDateUpdater)
	return *dateLine.Load()
}

func startDateUpdater() {
	refreshDateLine()
	go func() {
		for {
			// Wake at the start of each second so the field is never more
			// than a few milliseconds stale.
			now := time.Now()
			time.Sleep(now.Truncate(time.Second).Add(time.Second).Sub(now))
			refreshDateLine()
		}
	}()
}

func refreshDateLine() {
	b := make([]byte, 0, 40)
	b = append(b, "Date: "...)
	b = AppendHTTPDate(b, time.Now())
	b = append(b, '\r', '\n')
	dateLine.Store(&b)
}
