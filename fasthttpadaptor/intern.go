package fasthttpadaptor

import "net/http"

// The tables below turn the byte slices of common methods, versions and
// field names into shared strings, so converting a typical request
// allocates only for the values.

func internMethod(m []byte) string {
	switch string(m) {
	case http.MethodGet:
		return http.MethodGet
	case http.MethodPost:
		return http.MethodPost
	case http.MethodHead:
		return http.MethodHead
	case http.MethodPut:
		return http.MethodPut
	case http.MethodDelete:
		return http.MethodDelete
	case http.MethodPatch:
		return http.MethodPatch
	case http.MethodOptions:
		return http.MethodOptions
	case http.MethodConnect:
		return http.MethodConnect
	case http.MethodTrace:
		return http.MethodTrace
	case "":
		return http.MethodGet
	}
	return string(m)
}

// protoVersion returns the protocol string and its numbers.
func protoVersion(p []byte) (string, int, int) {
	switch string(p) {
	case "HTTP/1.1", "":
		return "HTTP/1.1", 1, 1
	case "HTTP/1.0":
		return "HTTP/1.0", 1, 0
	}
	s := string(p)
	if major, minor, ok := http.ParseHTTPVersion(s); ok {
		return s, major, minor
	}
	return "HTTP/1.1", 1, 1
}

var commonHeaderKeys = func() map[string]string {
	m := make(map[string]string)
	for _, k := range []string{
		"Accept", "Accept-Charset", "Accept-Encoding", "Accept-Language",
		"Authorization", "Cache-Control", "Connection", "Content-Encoding",
		"Content-Length", "Content-Type", "Cookie", "Date", "Expect", "Host",
		"If-Match", "If-Modified-Since", "If-None-Match", "If-Range",
		"If-Unmodified-Since", "Origin", "Pragma", "Range", "Referer",
		"Sec-Websocket-Key", "Sec-Websocket-Version", "Sec-Websocket-Protocol",
		"Sec-Websocket-Extensions", "Te", "Trailer", "Transfer-Encoding", "Upgrade",
		"User-Agent", "Via", "X-Forwarded-For", "X-Forwarded-Host",
		"X-Forwarded-Proto", "X-Real-Ip", "X-Request-Id",
	} {
		m[k] = k
	}
	return m
}()

// internHeaderKey returns k in net/http's canonical form.
func internHeaderKey(k []byte) string {
	if s, ok := commonHeaderKeys[string(k)]; ok {
		return s
	}
	return http.CanonicalHeaderKey(string(k))
}
