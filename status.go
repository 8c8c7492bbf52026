package fasthttp

// HTTP status codes (RFC 9110 and the registered extensions).
const (
	StatusContinue                      = 100 // Continue
	StatusSwitchingProtocols            = 101 // Switching Protocols
	StatusProcessing                    = 102 // Processing
	StatusEarlyHints                    = 103 // Early Hints
	StatusOK                            = 200 // OK
	StatusCreated                       = 201 // Created
	StatusAccepted                      = 202 // Accepted
	StatusNonAuthoritativeInfo          = 203 // Non-Authoritative Information
	StatusNoContent                     = 204 // No Content
	StatusResetContent                  = 205 // Reset Content
	StatusPartialContent                = 206 // Partial Content
	StatusMultiStatus                   = 207 // Multi-Status
	StatusAlreadyReported               = 208 // Already Reported
	StatusIMUsed                        = 226 // IM Used
	StatusMultipleChoices               = 300 // Multiple Choices
	StatusMovedPermanently              = 301 // Moved Permanently
	StatusFound                         = 302 // Found
	StatusSeeOther                      = 303 // See Other
	StatusNotModified                   = 304 // Not Modified
	StatusUseProxy                      = 305 // Use Proxy
	StatusTemporaryRedirect             = 307 // Temporary Redirect
	StatusPermanentRedirect             = 308 // Permanent Redirect
	StatusBadRequest                    = 400 // Bad Request
	StatusUnauthorized                  = 401 // Unauthorized
	StatusPaymentRequired               = 402 // Payment Required
	StatusForbidden                     = 403 // Forbidden
	StatusNotFound                      = 404 // Not Found
	StatusMethodNotAllowed              = 405 // Method Not Allowed
	StatusNotAcceptable                 = 406 // Not Acceptable
	StatusProxyAuthRequired             = 407 // Proxy Authentication Required
	StatusRequestTimeout                = 408 // Request Timeout
	StatusConflict                      = 409 // Conflict
	StatusGone                          = 410 // Gone
	StatusLengthRequired                = 411 // Length Required
	StatusPreconditionFailed            = 412 // Precondition Failed
	StatusRequestEntityTooLarge         = 413 // Request Entity Too Large
	StatusRequestURITooLong             = 414 // Request URI Too Long
	StatusUnsupportedMediaType          = 415 // Unsupported Media Type
	StatusRequestedRangeNotSatisfiable  = 416 // Requested Range Not Satisfiable
	StatusExpectationFailed             = 417 // Expectation Failed
	StatusTeapot                        = 418 // I'm a teapot
	StatusMisdirectedRequest            = 421 // Misdirected Request
	StatusUnprocessableEntity           = 422 // Unprocessable Entity
	StatusLocked                        = 423 // Locked
	StatusFailedDependency              = 424 // Failed Dependency
	StatusUpgradeRequired               = 426 // Upgrade Required
	StatusPreconditionRequired          = 428 // Precondition Required
	StatusTooManyRequests               = 429 // Too Many Requests
	StatusRequestHeaderFieldsTooLarge   = 431 // Request Header Fields Too Large
	StatusUnavailableForLegalReasons    = 451 // Unavailable For Legal Reasons
	StatusInternalServerError           = 500 // Internal Server Error
	StatusNotImplemented                = 501 // Not Implemented
	StatusBadGateway                    = 502 // Bad Gateway
	StatusServiceUnavailable            = 503 // Service Unavailable
	StatusGatewayTimeout                = 504 // Gateway Timeout
	StatusHTTPVersionNotSupported       = 505 // HTTP Version Not Supported
	StatusVariantAlsoNegotiates         = 506 // Variant Also Negotiates
	StatusInsufficientStorage           = 507 // Insufficient Storage
	StatusLoopDetected                  = 508 // Loop Detected
	StatusNotExtended                   = 510 // Not Extended
	StatusNetworkAuthenticationRequired = 511 // Network Authentication Required
)

// statusMessages holds the reason phrase of every known status code.
var statusMessages = [...]string{
	100: "Continue",
	101: "Switching Protocols",
	102: "Processing",
	103: "Early Hints",
	200: "OK",
	201: "Created",
	202: "Accepted",
	203: "Non-Authoritative Information",
	204: "No Content",
	205: "Reset Content",
	206: "Partial Content",
	207: "Multi-Status",
	208: "Already Reported",
	226: "IM Used",
	300: "Multiple Choices",
	301: "Moved Permanently",
	302: "Found",
	303: "See Other",
	304: "Not Modified",
	305: "Use Proxy",
	307: "Temporary Redirect",
	308: "Permanent Redirect",
	400: "Bad Request",
	401: "Unauthorized",
	402: "Payment Required",
	403: "Forbidden",
	404: "Not Found",
	405: "Method Not Allowed",
	406: "Not Acceptable",
	407: "Proxy Authentication Required",
	408: "Request Timeout",
	409: "Conflict",
	410: "Gone",
	411: "Length Required",
	412: "Precondition Failed",
	413: "Request Entity Too Large",
	414: "Request URI Too Long",
	415: "Unsupported Media Type",
	416: "Requested Range Not Satisfiable",
	417: "Expectation Failed",
	418: "I'm a teapot",
	421: "Misdirected Request",
	422: "Unprocessable Entity",
	423: "Locked",
	424: "Failed Dependency",
	426: "Upgrade Required",
	428: "Precondition Required",
	429: "Too Many Requests",
	431: "Request Header Fields Too Large",
	451: "Unavailable For Legal Reasons",
	500: "Internal Server Error",
	501: "Not Implemented",
	502: "Bad Gateway",
	503: "Service Unavailable",
	504: "Gateway Timeout",
	505: "HTTP Version Not Supported",
	506: "Variant Also Negotiates",
	507: "Insufficient Storage",
	508: "Loop Detected",
	510: "Not Extended",
	511: "Network Authentication Required",
}

// statusLines caches "HTTP/1.1 <code> <reason>\r\n" for every code below 600,
// so writing a status line costs one copy.
var statusLines = func() (t [600][]byte) {
	for code := range t {
		if code < 100 {
			continue
		}
		t[code] = appendStatusLine(nil, code, s2b(StatusMessage(code)))
	}
	return t
}()

// StatusMessage returns the reason phrase for statusCode, or "Unknown Status
// Code" when it has none.
func StatusMessage(statusCode int) string {
	if statusCode >= 0 && statusCode < len(statusMessages) {
		if m := statusMessages[statusCode]; m != "" {
			return m
		}
	}
	return "Unknown Status Code"
}

// StatusCodeIsRedirect reports whether statusCode is a redirect that carries
// a Location: 301, 302, 303, 307 or 308.
func StatusCodeIsRedirect(statusCode int) bool {
	switch statusCode {
	case StatusMovedPermanently, StatusFound, StatusSeeOther, StatusTemporaryRedirect, StatusPermanentRedirect:
		return true
	}
	return false
}

// statusLine returns the cached status line for code, or builds one into dst.
func appendStatusLineCached(dst []byte, code int, msg []byte) []byte {
	if len(msg) == 0 && code >= 100 && code < len(statusLines) {
		return append(dst, statusLines[code]...)
	}
	return appendStatusLine(dst, code, msg)
}

func appendStatusLine(dst []byte, code int, msg []byte) []byte {
	dst = append(dst, "HTTP/1.1 "...)
	dst = AppendUint(dst, code)
	dst = append(dst, ' ')
	if len(msg) == 0 {
		msg = s2b(StatusMessage(code))
	}
	dst = append(dst, msg...)
	return append(dst, "\r\n"...)
}
