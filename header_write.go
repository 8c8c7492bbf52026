package fasthttp

import (
	"sync"
	"sync/atomic"
	"time"
)

// This file serializes header sections (the other half of the wire codec).
// Every value reaching it went through a setter that replaced CR and LF,
// or through the parser that refused every control byte; the other control
// bytes a setter kept in an ordinary field (ctlKept) are blanked here.

// AppendBytes appends the request header, as it is written on the wire, to
// dst.
func (h *RequestHeader) AppendBytes(dst []byte) []byte {
	dst = append(append(append(dst, h.Method()...), ' '), h.RequestURI()...)
	dst = append(append(append(dst, ' '), h.Protocol()...), '\r', '\n')

	special := !h.disableSpecialHeader
	if special {
		if len(h.userAgent) > 0 {
			dst = appendLine(dst, "User-Agent: ", h.userAgent)
		}
		if len(h.host) > 0 || h.hasHost {
			dst = appendLine(dst, "Host: ", h.host)
		}
		ct := h.contentType
		if len(ct) == 0 && h.contentLength > 0 && !h.noDefaultContentType {
			ct = strDefaultRequestContentType
		}
		if len(ct) > 0 {
			dst = appendLine(dst, "Content-Type: ", ct)
		}
		if h.hasContentLength && h.contentLength >= 0 {
			dst = appendLine(dst, "Content-Length: ", h.contentLengthBytes)
		}
	}
	dst = appendFields(dst, h.h, h.trailer, h.connectionClose, false, h.ctlKept)
	if special {
		if h.contentLength == -1 {
			dst = append(dst, "Transfer-Encoding: chunked\r\n"...)
		}
		if len(h.trailer) > 0 {
			dst = append(dst, "Trailer: "...)
			dst = appendTrailerNames(dst, h.trailer)
			dst = append(dst, '\r', '\n')
		}
	}
	if h.cookiesCollected && len(h.cookies) > 0 {
		dst = append(dst, "Cookie: "...)
		dst = appendRequestCookies(dst, h.cookies)
		dst = append(dst, '\r', '\n')
	}
	if h.connectionClose {
		if listed, _ := connectionListed(h.h, "close"); !listed {
			dst = append(dst, "Connection: close\r\n"...)
		}
	}
	return append(dst, '\r', '\n')
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
		dst = appendLine(dst, "Server: ", h.server)
	}
	if !h.noDefaultDate {
		dst = append(dst, currentDateLine()...)
	} else {
		// A Date set by hand or received takes the automatic one's place.
		for i := range h.h {
			if kv := &h.h[i]; isDateKey(kv.key) {
				dst = appendHeaderLine(dst, kv.key, kv.value)
			}
		}
	}
	bodyAllowed := !h.mustSkipContentLength()
	if len(h.contentType) > 0 {
		dst = appendLine(dst, "Content-Type: ", h.contentType)
	} else if bodyAllowed && h.contentLength != 0 && !h.noDefaultContentType {
		dst = appendLine(dst, "Content-Type: ", strDefaultContentType)
	}
	if len(h.contentEncoding) > 0 {
		dst = appendLine(dst, "Content-Encoding: ", h.contentEncoding)
	}
	if bodyAllowed && h.hasContentLength && h.contentLength >= 0 {
		dst = appendLine(dst, "Content-Length: ", h.contentLengthBytes)
	}
	closing := h.connectionClose
	dst = appendFields(dst, h.h, h.trailer, closing, h.noDefaultDate, h.ctlKept)
	if bodyAllowed && h.contentLength == -1 {
		dst = append(dst, "Transfer-Encoding: chunked\r\n"...)
	}
	if len(h.trailer) > 0 {
		dst = append(dst, "Trailer: "...)
		dst = appendTrailerNames(dst, h.trailer)
		dst = append(dst, '\r', '\n')
	}
	for i := range h.cookies {
		dst = appendLine(dst, "Set-Cookie: ", h.cookies[i].value)
	}
	if closing || h.keepAlive {
		dst = h.appendConnection(dst, closing)
	}
	return append(dst, '\r', '\n')
}

// appendFields writes the ordinary fields of list. The checks that may drop
// a field (see keepFieldInHeader; a Date already written when skipDate)
// and the blanking of kept control bytes (blankCtl, see storedFieldValue)
// are skipped in the common case where none can apply.
func appendFields(dst []byte, list, trailer []argsKV, closing, skipDate, blankCtl bool) []byte {
	if len(trailer) == 0 && !closing && !skipDate && !blankCtl {
		for i := range list {
			dst = appendHeaderLine(dst, list[i].key, list[i].value)
		}
		return dst
	}
	start := len(dst)
	for i := range list {
		kv := &list[i]
		if keepFieldInHeader(kv, trailer, closing) && !(skipDate && isDateKey(kv.key)) {
			dst = appendHeaderLine(dst, kv.key, kv.value)
		}
	}
	if blankCtl {
		blankLineControls(dst[start:])
	}
	return dst
}

// appendByteSpan appends "first-last", the span Range and Content-Range
// both name.
func appendByteSpan(dst []byte, first, last int) []byte {
	return AppendUint(append(AppendUint(dst, first), '-'), last)
}

// appendLine appends prefix (a field name and ": "), value and CRLF.
func appendLine(dst []byte, prefix string, value []byte) []byte {
	dst = append(dst, prefix...)
	dst = append(dst, value...)
	return append(dst, '\r', '\n')
}

// isDateKey reports whether key names the Date field.
func isDateKey(key []byte) bool {
	return len(key) == len(HeaderDate) && equalFoldString(key, HeaderDate)
}

// appendConnection writes the Connection field the connection state calls
// for, unless the ordinary fields already carry it.
func (h *ResponseHeader) appendConnection(dst []byte, closing bool) []byte {
	if closing {
		if listed, _ := connectionListed(h.h, "close"); !listed {
			dst = append(dst, "Connection: close\r\n"...)
		}
		return dst
	}
	if _, any := connectionListed(h.h, "keep-alive"); !any {
		dst = append(dst, "Connection: keep-alive\r\n"...)
	}
	return dst
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
