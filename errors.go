package fasthttp

import (
	"errors"
	"io"
	"strconv"
)

// Exported errors of the server and the message parsers. Their texts follow
// upstream fasthttp where a user might match on them.
var (
	// ErrBodyTooLarge is returned when a body exceeds the configured limit.
	// Its text is the long-standing unprefixed one, which Fiber expects.
	ErrBodyTooLarge = errors.New("body size exceeds the given limit")

	// ErrGetOnly is returned by a server with GetOnly set for any method
	// other than GET or HEAD.
	ErrGetOnly = errors.New("fasthttp: non-get request received")

	// ErrPerIPConnLimit is returned by ServeConn when the client already
	// holds Server.MaxConnsPerIP connections.
	ErrPerIPConnLimit = errors.New("fasthttp: too many connections per ip")

	// ErrConcurrencyLimit is returned by ServeConn when Server.Concurrency
	// connections are already being served.
	ErrConcurrencyLimit = errors.New("fasthttp: cannot serve the connection because server.concurrency concurrent connections are served")

	// ErrAlreadyServing is returned by calls that cannot be made once the
	// server is serving.
	ErrAlreadyServing = errors.New("fasthttp: server is already serving connections")

	// ErrDuplicateContentLength is returned for a message with more than
	// one Content-Length field.
	ErrDuplicateContentLength = errors.New("fasthttp: duplicate content-length header")

	// ErrNonNumericChars is returned for a Content-Length (or other numeric
	// field) holding anything but digits.
	ErrNonNumericChars = errors.New("fasthttp: non-numeric chars found")

	// ErrUnsupportedTransferEncoding is returned for a transfer coding other
	// than chunked.
	ErrUnsupportedTransferEncoding = errors.New("fasthttp: unsupported transfer-encoding")

	// ErrEmptyRequestURI is returned for a request line without a target.
	ErrEmptyRequestURI = errors.New("fasthttp: requesturi cannot be empty")

	// ErrExtraWhitespaceInRequestLine is returned for a request line with
	// more than two single spaces.
	ErrExtraWhitespaceInRequestLine = errors.New("fasthttp: extra whitespace in request line")

	// ErrMissingRequestMethod is returned for a request line without a
	// method.
	ErrMissingRequestMethod = errors.New("fasthttp: cannot find http request method")

	// ErrUnsupportedRequestMethod is returned for a method that is not a
	// valid token.
	ErrUnsupportedRequestMethod = errors.New("fasthttp: unsupported http request method")

	// ErrUnexpectedStatusCodeChar is returned for a status code that is not
	// three digits.
	ErrUnexpectedStatusCodeChar = errors.New("fasthttp: unexpected char at the end of status code")

	// ErrResponseFirstLineMissingSpace is returned for a status line
	// without the space after the protocol.
	ErrResponseFirstLineMissingSpace = errors.New("fasthttp: cannot find whitespace in the first line of response")

	// ErrorInvalidURI is returned for a URI that cannot be parsed.
	ErrorInvalidURI = errors.New("fasthttp: invalid uri")

	// ErrSmallReadBuffer is returned when the read buffer cannot hold a
	// whole message header.
	ErrSmallReadBuffer = errors.New("fasthttp: small read buffer. increase readbuffersize")

	// ErrTLSHandshakeTimeout is returned when a TLS handshake does not
	// finish in time.
	ErrTLSHandshakeTimeout = errors.New("fasthttp: tls handshake timed out")

	// ErrConnectionClosed is returned when the peer closes the connection
	// before a response arrives.
	ErrConnectionClosed = errors.New("fasthttp: the server closed connection before returning the first response byte. make sure the server returns 'connection: close' response header before closing the connection")

	// ErrMissingFile is returned by FormFile when the form has no such
	// file.
	ErrMissingFile = errors.New("fasthttp: there is no uploaded file associated with the given key")

	// ErrNoMultipartForm is returned when a request is not
	// multipart/form-data.
	ErrNoMultipartForm = errors.New("fasthttp: request content-type has bad boundary or is not multipart/form-data")

	// ErrContentEncodingUnsupported is returned when a body uses a content
	// coding this package cannot decode.
	ErrContentEncodingUnsupported = errors.New("fasthttp: unsupported content-encoding")
)

// ErrSmallBuffer is returned when a message header does not fit in the read
// buffer; the server answers it with 431.
type ErrSmallBuffer struct {
	error
}

// Error describes the failure.
func (e ErrSmallBuffer) Error() string {
	if e.error != nil {
		return e.error.Error()
	}
	return ErrSmallReadBuffer.Error()
}

// Unwrap returns the underlying error.
func (e ErrSmallBuffer) Unwrap() error { return e.error }

// ErrNothingRead is returned when the peer closed or timed out before
// sending the first byte of a message.
type ErrNothingRead struct {
	error
}

// Error describes the failure.
func (e ErrNothingRead) Error() string {
	if e.error != nil {
		return "nothing read: " + e.error.Error()
	}
	return "nothing read"
}

// Unwrap returns the underlying error.
func (e ErrNothingRead) Unwrap() error { return e.error }

// ErrBrokenChunk is returned for a malformed chunked body.
type ErrBrokenChunk struct {
	error
}

// Error describes the failure.
func (e ErrBrokenChunk) Error() string {
	if e.error != nil {
		return "broken chunk: " + e.error.Error()
	}
	return "broken chunk"
}

// Unwrap returns the underlying error.
func (e ErrBrokenChunk) Unwrap() error { return e.error }

// ErrBodyStreamWritePanic is returned when a body stream writer panics.
type ErrBodyStreamWritePanic struct {
	error
}

// Error describes the failure.
func (e ErrBodyStreamWritePanic) Error() string {
	if e.error != nil {
		return "panic while writing body stream: " + e.error.Error()
	}
	return "panic while writing body stream"
}

// Unwrap returns the underlying error.
func (e ErrBodyStreamWritePanic) Unwrap() error { return e.error }

// EscapeError reports a bad percent-escape in a URI component.
type EscapeError string

// Error describes the bad escape.
func (e EscapeError) Error() string {
	return "invalid URL escape " + strconv.Quote(string(e))
}

// InvalidHostError reports a host with bytes that are not allowed.
type InvalidHostError string

// Error describes the bad host.
func (e InvalidHostError) Error() string {
	return "invalid character " + strconv.Quote(string(e)) + " in host name"
}

// protocolError is a parse failure that carries the status code the server
// answers with. Its text names the rule that was broken and never echoes
// the input.
type protocolError struct {
	status int
	text   string
	cause  error // what errors.Is also matches, if anything
}

func (e *protocolError) Error() string { return "fasthttp: " + e.text }

func (e *protocolError) Unwrap() error { return e.cause }

func newProtocolError(status int, text string) error {
	return &protocolError{status: status, text: text}
}

// smallBuffer is a header that does not fit: a *ErrSmallBuffer, which is
// what ErrorHandlers written for fasthttp (Fiber's among them) look for,
// around the protocol error that carries the status.
func smallBuffer(status int, text string) error {
	return &ErrSmallBuffer{error: newProtocolError(status, text)}
}

// Parse failures, each tied to the status the server answers with.
var (
	errBadRequestLine    = newProtocolError(StatusBadRequest, "invalid request line")
	errBadMethod         = newProtocolError(StatusBadRequest, "invalid request method")
	errBadTarget         = newProtocolError(StatusBadRequest, "invalid request target")
	errBadVersion        = newProtocolError(StatusBadRequest, "invalid HTTP version")
	errVersionNotSupp    = newProtocolError(StatusHTTPVersionNotSupported, "unsupported HTTP version")
	errURITooLong        = smallBuffer(StatusRequestURITooLong, "request target too long")
	errHeaderTooLarge    = smallBuffer(StatusRequestHeaderFieldsTooLarge, "header fields too large")
	errBadFieldLine      = newProtocolError(StatusBadRequest, "invalid header field line")
	errBadFieldName      = newProtocolError(StatusBadRequest, "invalid header field name")
	errBadFieldValue     = newProtocolError(StatusBadRequest, "invalid header field value")
	errObsFold           = newProtocolError(StatusBadRequest, "obsolete line folding is not accepted")
	errBadHost           = newProtocolError(StatusBadRequest, "invalid Host")
	errDupHost           = newProtocolError(StatusBadRequest, "more than one Host field")
	errMissingHost       = newProtocolError(StatusBadRequest, "missing Host field in HTTP/1.1 request")
	errBadContentLength  = newProtocolError(StatusBadRequest, "invalid Content-Length")
	errDupContentLength  = newProtocolError(StatusBadRequest, "more than one Content-Length field")
	errDupContentType    = newProtocolError(StatusBadRequest, "conflicting Content-Type fields")
	errChunkedNotFinal   = newProtocolError(StatusBadRequest, "chunked must be the final transfer coding, applied once")
	errUnsupportedTE     = newProtocolError(StatusNotImplemented, "unsupported transfer coding")
	errTEInHTTP10        = newProtocolError(StatusBadRequest, "transfer coding in an HTTP/1.0 request")
	errBadTrailerSection = newProtocolError(StatusBadRequest, "invalid trailer section")
	// errUnexpectedEOF is also io.ErrUnexpectedEOF to errors.Is, which is
	// what callers of fasthttp check a cut-off body against.
	errUnexpectedEOF = &protocolError{status: StatusBadRequest, text: "message ended early", cause: io.ErrUnexpectedEOF}
	errBadStatusLine = newProtocolError(StatusBadRequest, "invalid status line")
)

// statusForError maps a request-reading error to the status the server
// answers with.
func statusForError(err error) int {
	var pe *protocolError
	switch {
	case errors.As(err, &pe):
		return pe.status
	case errors.Is(err, ErrBodyTooLarge):
		return StatusRequestEntityTooLarge
	case errors.Is(err, ErrGetOnly):
		return StatusMethodNotAllowed
	case errors.Is(err, ErrUnsupportedTransferEncoding):
		return StatusNotImplemented
	}
	if isSmallBuffer(err) {
		return StatusRequestHeaderFieldsTooLarge
	}
	var te interface{ Timeout() bool }
	if errors.As(err, &te) && te.Timeout() {
		return StatusRequestTimeout
	}
	return StatusBadRequest
}

// isSmallBuffer reports whether err is an ErrSmallBuffer, by value or by
// pointer.
func isSmallBuffer(err error) bool {
	var sb ErrSmallBuffer
	var psb *ErrSmallBuffer
	return errors.As(err, &psb) || errors.As(err, &sb)
}
