package fasthttp

import (
	"errors"
)

// Errors returned by the clients (Client, HostClient, PipelineClient,
// LBClient) and the dialers. Their texts match upstream fasthttp v1.78 so
// that code matching on them keeps working, except ErrTimeout's and
// ErrTooManyRedirects': those keep the unprefixed texts fasthttp had for
// years, which Fiber surfaces to its clients and its tests expect.
var (
	// ErrNoFreeConns is returned when a host already has MaxConns
	// connections in use and no connection freed up within
	// MaxConnWaitTimeout.
	ErrNoFreeConns = errors.New("fasthttp: no free connections available to host")

	// ErrDialTimeout is returned when a TCP connection could not be set up
	// within the dial timeout.
	ErrDialTimeout = errors.New("fasthttp: dialing to the given tcp address timed out")

	// ErrTimeout is returned when a call did not finish before its
	// timeout or deadline. It reports Timeout() == true.
	ErrTimeout = &timeoutError{}

	// ErrTooManyRedirects is returned by the redirect-following calls when
	// the server keeps redirecting past the allowed number of hops.
	ErrTooManyRedirects = errors.New("too many redirects detected when doing the request")

	// ErrMissingLocation is returned for a redirect response without a
	// Location field.
	ErrMissingLocation = errors.New("fasthttp: missing location header for http redirect")

	// ErrHostClientRedirectToDifferentScheme is returned when a HostClient,
	// which talks to one scheme only, is redirected to the other one.
	ErrHostClientRedirectToDifferentScheme = errors.New("fasthttp: hostclient can't follow redirects to a different protocol, please use client instead")

	// ErrRedirectBodyStream is returned when a 307 or 308 redirect asks to
	// send the body again but the body was a stream that is already spent.
	ErrRedirectBodyStream = errors.New("fasthttp: cannot follow a body-preserving redirect for a request with a body stream")

	// ErrPipelineOverflow is returned by PipelineClient when its queues
	// are full.
	ErrPipelineOverflow = errors.New("fasthttp: pipelined requests' queue has been overflowed. increase maxconns and/or maxpendingrequests")

	// ErrNoAvailableClients is returned by LBClient when it has no client
	// to send the request to.
	ErrNoAvailableClients = errors.New("fasthttp: no available clients")

	// ErrConnPoolStrategyNotImpl is returned for a ConnPoolStrategy other
	// than FIFO and LIFO.
	ErrConnPoolStrategyNotImpl = errors.New("fasthttp: connection pool strategy is not implement")

	// ErrReadingResponseHeaders is matched (errors.Is) by every failure to
	// read or parse a response header; the cause is wrapped too.
	ErrReadingResponseHeaders = errors.New("fasthttp: error when reading response headers")

	// ErrReadingResponseTrailer is matched (errors.Is) by every failure to
	// read or parse the trailer of a chunked response.
	ErrReadingResponseTrailer = errors.New("fasthttp: error when reading response trailer")

	// ErrDeadlineUpdatesDisabled is returned when a deadline is set on a
	// connection whose deadlines are managed by the client.
	ErrDeadlineUpdatesDisabled = errors.New("fasthttp: deadline updates disabled")
)

// Client-side refusals of requests that cannot be written safely: a field
// holding CR or LF would let the caller's data split the message.
var (
	errClientBadMethod  = errors.New("fasthttp: request method is not a valid token")
	errClientBadTarget  = errors.New("fasthttp: request target holds bytes not allowed on the wire")
	errClientBadHost    = errors.New("fasthttp: request host is not valid")
	errClientBadField   = errors.New("fasthttp: request header field holds bytes not allowed on the wire")
	errClientNoHost     = errors.New("fasthttp: request URI has no host")
	errClientNilReqResp = errors.New("fasthttp: request and response must not be nil")
)

// timeoutError is the type of ErrTimeout. Its Timeout method lets callers
// that only know net.Error recognise it.
type timeoutError struct{}

// Error describes the timeout.
func (e *timeoutError) Error() string { return "timeout" }

// Timeout reports that the error is a timeout.
func (e *timeoutError) Timeout() bool { return true }

// ErrDialWithUpstream is the error of a failed dial with the address that
// was dialed. Use errors.As to get at Upstream; Unwrap gives the cause.
type ErrDialWithUpstream struct {
	// Upstream is the address that could not be dialed.
	Upstream string

	wrapErr error
}

// Error describes the failed dial.
func (e *ErrDialWithUpstream) Error() string {
	if e.wrapErr == nil {
		return "error when dialing " + e.Upstream
	}
	return "error when dialing " + e.Upstream + ": " + e.wrapErr.Error()
}

// Unwrap returns the cause of the failed dial.
func (e *ErrDialWithUpstream) Unwrap() error { return e.wrapErr }

// clientReadError ties a cause to the phase that failed, so that both
// errors.Is(err, ErrReadingResponseHeaders) and errors.Is(err, cause) hold.
type clientReadError struct {
	phase error
	cause error
}

// Error names the phase and the cause.
func (e *clientReadError) Error() string {
	return e.phase.Error() + ": " + e.cause.Error()
}

// Unwrap exposes both the phase and the cause to errors.Is and errors.As.
func (e *clientReadError) Unwrap() []error { return []error{e.phase, e.cause} }
