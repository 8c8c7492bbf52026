package fasthttp

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// RequestHandler handles one request. It must not keep references to ctx
// or anything reached through it after returning: ctx is reused for the
// next request. Handlers that hand ctx to other goroutines must call
// TimeoutError (or a sibling) before returning.
type RequestHandler func(ctx *RequestCtx)

// ServeHandler serves a connection taken over by a NextProto protocol.
type ServeHandler func(c net.Conn) error

// RequestCtx carries one request and its response through a handler,
// together with facts about the connection. It also implements
// context.Context: Done fires when the server shuts down, and Value reads
// user values.
//
// RequestCtx is reused for the next request once the handler returns; it
// must not be used after that, and never from several goroutines at once.
type RequestCtx struct {
	noCopy noCopy

	// Request is the incoming request.
	Request Request

	// Response is the outgoing response.
	Response Response

	userValues userData

	connID         uint64
	connRequestNum uint64
	connTime       time.Time
	time           time.Time

	logger ctxLogger
	s      *Server
	// c is the transport the request came on, for the connection facts
	// (addresses, TLS); rw is the protocol connection that answers it.
	c    net.Conn
	rw   responder
	wire atomic.Uint32 // wireOpen, wireBusy or wireDetached

	remoteAddr net.Addr

	tlsState       tls.ConnectionState
	tlsStateCached bool

	hijackHandler    HijackHandler
	hijackNoResponse bool

	timeoutResponse *Response

	// The timeout wrappers' state: the handler call they watch, Done's
	// channel while it runs, and whether they gave up on it.
	run      *guardedRun
	doneCh   chan struct{}
	timedOut atomic.Bool

	formValueFunc FormValueFunc
}

// FormValueFunc returns the value of a form field for RequestCtx.FormValue.
type FormValueFunc func(ctx *RequestCtx, key string) []byte

var (
	// defaultFormValue looks in the query string, then the urlencoded
	// body, then multipart values.
	defaultFormValue = func(ctx *RequestCtx, key string) []byte {
		if v := ctx.QueryArgs().Peek(key); len(v) > 0 {
			return v
		}
		if v := ctx.PostArgs().Peek(key); len(v) > 0 {
			return v
		}
		return multipartFormValue(ctx, key)
	}

	// NetHttpFormValueFunc looks up form values in net/http's order: the
	// body (urlencoded, then multipart) before the query string.
	NetHttpFormValueFunc = func(ctx *RequestCtx, key string) []byte { //nolint:revive // upstream name
		if v := ctx.PostArgs().Peek(key); len(v) > 0 {
			return v
		}
		if v := multipartFormValue(ctx, key); len(v) > 0 {
			return v
		}
		return ctx.QueryArgs().Peek(key)
	}
)

func multipartFormValue(ctx *RequestCtx, key string) []byte {
	mf, err := ctx.MultipartForm()
	if err == nil && mf.Value != nil {
		if vv := mf.Value[key]; len(vv) > 0 {
			return s2b(vv[0])
		}
	}
	return nil
}

var ctxConnIDCounter atomic.Uint64

// String describes the request for logs: "#ID - local<->remote - METHOD URI".
func (ctx *RequestCtx) String() string {
	return fmt.Sprintf("#%016X - %s<->%s - %s %s", ctx.ID(), ctx.LocalAddr(), ctx.RemoteAddr(),
		ctx.Request.Header.Method(), ctx.URI().FullURI())
}

// ID returns a number unique to this request on this server: the
// connection id in the high 32 bits, the request number in the low.
func (ctx *RequestCtx) ID() uint64 {
	return ctx.connID<<32 | ctx.connRequestNum
}

// ConnID returns the id of the connection.
func (ctx *RequestCtx) ConnID() uint64 { return ctx.connID }

// ConnRequestNum returns the sequence number of this request on its
// connection, from 1.
func (ctx *RequestCtx) ConnRequestNum() uint64 { return ctx.connRequestNum }

// ConnTime returns when the connection was accepted.
func (ctx *RequestCtx) ConnTime() time.Time { return ctx.connTime }

// Time returns when the request started being processed.
func (ctx *RequestCtx) Time() time.Time {
	if ctx.time.IsZero() {
		ctx.time = time.Now()
	}
	return ctx.time
}

// Conn returns the connection the request came on: the per-IP wrapper when
// Server.MaxConnsPerIP is set, which keeps ConnectionState of a TLS
// connection.
func (ctx *RequestCtx) Conn() net.Conn { return ctx.c }

// IsTLS reports whether the request came over TLS: the connection, or a
// connection it wraps (found through NetConn), has ConnectionState.
func (ctx *RequestCtx) IsTLS() bool {
	return tlsStaterOf(ctx.c) != nil
}

// TLSConnectionState returns the TLS state of the connection, or nil for a
// plain one. The result is shared by the requests of one connection.
func (ctx *RequestCtx) TLSConnectionState() *tls.ConnectionState {
	ts := tlsStaterOf(ctx.c)
	if ts == nil {
		return nil
	}
	if !ctx.tlsStateCached {
		ctx.tlsState = ts.ConnectionState()
		ctx.tlsStateCached = ctx.tlsState.HandshakeComplete
	}
	return &ctx.tlsState
}

// LocalAddr returns the server's address of the connection.
func (ctx *RequestCtx) LocalAddr() net.Addr {
	if ctx.c == nil {
		return zeroTCPAddr
	}
	if a := ctx.c.LocalAddr(); a != nil {
		return a
	}
	return zeroTCPAddr
}

// RemoteAddr returns the client's address, or the one set with
// SetRemoteAddr.
func (ctx *RequestCtx) RemoteAddr() net.Addr {
	if ctx.remoteAddr != nil {
		return ctx.remoteAddr
	}
	if ctx.c == nil {
		return zeroTCPAddr
	}
	if a := ctx.c.RemoteAddr(); a != nil {
		return a
	}
	return zeroTCPAddr
}

// SetRemoteAddr overrides the address RemoteAddr and RemoteIP report, e.g.
// with the client address a proxy forwarded.
func (ctx *RequestCtx) SetRemoteAddr(remoteAddr net.Addr) { ctx.remoteAddr = remoteAddr }

// RemoteIP returns the client IP, or 0.0.0.0 when it is unknown.
func (ctx *RequestCtx) RemoteIP() net.IP { return addrIP(ctx.RemoteAddr()) }

// LocalIP returns the server IP, or 0.0.0.0 when it is unknown.
func (ctx *RequestCtx) LocalIP() net.IP { return addrIP(ctx.LocalAddr()) }

func addrIP(a net.Addr) net.IP {
	switch x := a.(type) {
	case *net.TCPAddr:
		return x.IP
	case *net.UDPAddr:
		return x.IP
	}
	return net.IPv4zero
}

var zeroTCPAddr = &net.TCPAddr{IP: net.IPv4zero}

// Logger returns a logger that prefixes messages with the request
// description.
func (ctx *RequestCtx) Logger() Logger {
	l := &ctx.logger
	l.ctx = ctx
	if l.logger == nil {
		l.logger = ctx.s.logger()
	}
	return l
}

// ctxLogger prefixes log lines with the request they are about.
type ctxLogger struct {
	ctx    *RequestCtx
	logger Logger
}

var ctxLoggerLock sync.Mutex

func (cl *ctxLogger) Printf(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	ctxLoggerLock.Lock()
	cl.logger.Printf("%.3f %s - %s", time.Since(cl.ctx.ConnTime()).Seconds(), cl.ctx.String(), msg)
	ctxLoggerLock.Unlock()
}

// Method returns the request method.
func (ctx *RequestCtx) Method() []byte { return ctx.Request.Header.Method() }

// IsGet reports whether the method is GET.
func (ctx *RequestCtx) IsGet() bool { return ctx.Request.Header.IsGet() }

// IsPost reports whether the method is POST.
func (ctx *RequestCtx) IsPost() bool { return ctx.Request.Header.IsPost() }

// IsPut reports whether the method is PUT.
func (ctx *RequestCtx) IsPut() bool { return ctx.Request.Header.IsPut() }

// IsDelete reports whether the method is DELETE.
func (ctx *RequestCtx) IsDelete() bool { return ctx.Request.Header.IsDelete() }

// IsConnect reports whether the method is CONNECT.
func (ctx *RequestCtx) IsConnect() bool { return ctx.Request.Header.IsConnect() }

// IsOptions reports whether the method is OPTIONS.
func (ctx *RequestCtx) IsOptions() bool { return ctx.Request.Header.IsOptions() }

// IsTrace reports whether the method is TRACE.
func (ctx *RequestCtx) IsTrace() bool { return ctx.Request.Header.IsTrace() }

// IsPatch reports whether the method is PATCH.
func (ctx *RequestCtx) IsPatch() bool { return ctx.Request.Header.IsPatch() }

// IsHead reports whether the method is HEAD.
func (ctx *RequestCtx) IsHead() bool { return ctx.Request.Header.IsHead() }

// IsQuery reports whether the method is QUERY.
func (ctx *RequestCtx) IsQuery() bool { return ctx.Request.Header.IsQuery() }

// RequestURI returns the request target as received.
func (ctx *RequestCtx) RequestURI() []byte { return ctx.Request.Header.RequestURI() }

// URI returns the parsed request URI.
func (ctx *RequestCtx) URI() *URI { return ctx.Request.URI() }

// Path returns the decoded, normalized request path.
func (ctx *RequestCtx) Path() []byte { return ctx.URI().Path() }

// Host returns the requested host: from an absolute-form target when there
// is one, else from the Host field.
func (ctx *RequestCtx) Host() []byte { return ctx.URI().Host() }

// QueryArgs returns the query arguments.
func (ctx *RequestCtx) QueryArgs() *Args { return ctx.URI().QueryArgs() }

// PostArgs returns the arguments of an urlencoded body.
func (ctx *RequestCtx) PostArgs() *Args { return ctx.Request.PostArgs() }

// PostBody returns the request body.
func (ctx *RequestCtx) PostBody() []byte { return ctx.Request.Body() }

// Referer returns the Referer field.
func (ctx *RequestCtx) Referer() []byte { return ctx.Request.Header.Referer() }

// UserAgent returns the User-Agent field.
func (ctx *RequestCtx) UserAgent() []byte { return ctx.Request.Header.UserAgent() }

// RequestBodyStream returns the body stream when Server.StreamRequestBody
// is set, or nil.
func (ctx *RequestCtx) RequestBodyStream() io.Reader { return ctx.Request.BodyStream() }

// MultipartForm returns the parsed multipart/form-data body.
func (ctx *RequestCtx) MultipartForm() (*multipart.Form, error) { return ctx.Request.MultipartForm() }

// MultipartFormWithLimit is MultipartForm with a custom in-memory limit.
func (ctx *RequestCtx) MultipartFormWithLimit(maxInMemoryFileSize int) (*multipart.Form, error) {
	return ctx.Request.MultipartFormWithLimit(maxInMemoryFileSize)
}

// FormFile returns the first uploaded file of the multipart field key, or
// ErrMissingFile.
func (ctx *RequestCtx) FormFile(key string) (*multipart.FileHeader, error) {
	form, err := ctx.Request.MultipartForm()
	if err != nil {
		return nil, err
	}
	if files := form.File[key]; len(files) > 0 {
		return files[0], nil
	}
	return nil, ErrMissingFile
}

// FormValue returns the first value of the form field key, looking in the
// query string, the urlencoded body and the multipart body (the order is
// Server.FormValueFunc's).
func (ctx *RequestCtx) FormValue(key string) []byte {
	if ctx.formValueFunc != nil {
		return ctx.formValueFunc(ctx, key)
	}
	return defaultFormValue(ctx, key)
}

// IfModifiedSince reports whether lastModified is newer than the request's
// If-Modified-Since, i.e. whether the full response should be sent.
func (ctx *RequestCtx) IfModifiedSince(lastModified time.Time) bool {
	ims := ctx.Request.Header.Peek(HeaderIfModifiedSince)
	if len(ims) == 0 {
		return true
	}
	t, err := ParseHTTPDate(ims)
	if err != nil {
		return true
	}
	return lastModified.Truncate(time.Second).After(t)
}

// SetUserValue stores value under key for the life of the request. Values
// that are io.Closers are closed when the request ends.
func (ctx *RequestCtx) SetUserValue(key, value any) { ctx.userValues.Set(key, value) }

// SetUserValueBytes stores value under key.
func (ctx *RequestCtx) SetUserValueBytes(key []byte, value any) { ctx.userValues.SetBytes(key, value) }

// UserValue returns the value stored under key, or nil.
func (ctx *RequestCtx) UserValue(key any) any { return ctx.userValues.Get(key) }

// UserValueBytes returns the value stored under key, or nil.
func (ctx *RequestCtx) UserValueBytes(key []byte) any { return ctx.userValues.GetBytes(key) }

// VisitUserValues calls f for each value stored under a string key.
func (ctx *RequestCtx) VisitUserValues(f func([]byte, any)) { ctx.userValues.VisitValues(f) }

// VisitUserValuesAll calls f for every stored value.
func (ctx *RequestCtx) VisitUserValuesAll(f func(any, any)) { ctx.userValues.VisitAll(f) }

// ResetUserValues drops every stored value, closing io.Closers.
func (ctx *RequestCtx) ResetUserValues() { ctx.userValues.Reset() }

// RemoveUserValue deletes key.
func (ctx *RequestCtx) RemoveUserValue(key any) { ctx.userValues.Remove(key) }

// RemoveUserValueBytes deletes key.
func (ctx *RequestCtx) RemoveUserValueBytes(key []byte) { ctx.userValues.RemoveBytes(key) }

// Deadline implements context.Context: requests have no deadline of their
// own.
func (ctx *RequestCtx) Deadline() (time.Time, bool) { return time.Time{}, false }

// Done implements context.Context: the channel is closed when the server
// starts shutting down, and, under TimeoutHandler, when the handler ran
// out of time.
func (ctx *RequestCtx) Done() <-chan struct{} {
	if ch := ctx.doneCh; ch != nil {
		return ch
	}
	if ctx.s == nil {
		return nil
	}
	return ctx.s.doneChan()
}

// Err implements context.Context: context.Canceled once the server shuts
// down, context.DeadlineExceeded once a TimeoutHandler gave up on the
// request, nil before.
func (ctx *RequestCtx) Err() error {
	switch {
	case ctx.s != nil && ctx.s.stopping.Load():
		return context.Canceled
	case ctx.timedOut.Load():
		return context.DeadlineExceeded
	}
	return nil
}

// Value implements context.Context: it returns the user value stored under
// key.
func (ctx *RequestCtx) Value(key any) any {
	return ctx.UserValue(key)
}

// SetStatusCode sets the response status code.
func (ctx *RequestCtx) SetStatusCode(statusCode int) { ctx.Response.SetStatusCode(statusCode) }

// SetContentType sets the response Content-Type.
func (ctx *RequestCtx) SetContentType(contentType string) {
	ctx.Response.Header.SetContentType(contentType)
}

// SetContentTypeBytes sets the response Content-Type.
func (ctx *RequestCtx) SetContentTypeBytes(contentType []byte) {
	ctx.Response.Header.SetContentTypeBytes(contentType)
}

// SetConnectionClose closes the connection after the response.
func (ctx *RequestCtx) SetConnectionClose() { ctx.Response.SetConnectionClose() }

// SetBody sets the response body to a copy of body.
func (ctx *RequestCtx) SetBody(body []byte) { ctx.Response.SetBody(body) }

// SetBodyString sets the response body.
func (ctx *RequestCtx) SetBodyString(body string) { ctx.Response.SetBodyString(body) }

// ResetBody clears the response body.
func (ctx *RequestCtx) ResetBody() { ctx.Response.ResetBody() }

// SetBodyStream sets the response body to be read from bodyStream; see
// Response.SetBodyStream.
func (ctx *RequestCtx) SetBodyStream(bodyStream io.Reader, bodySize int) {
	ctx.Response.SetBodyStream(bodyStream, bodySize)
}

// SetBodyStreamWriter sets the response body to be produced by sw; see
// Response.SetBodyStreamWriter.
func (ctx *RequestCtx) SetBodyStreamWriter(sw StreamWriter) {
	ctx.Response.SetBodyStreamWriter(sw)
}

// IsBodyStream reports whether the response body is a stream.
func (ctx *RequestCtx) IsBodyStream() bool { return ctx.Response.IsBodyStream() }

// Write appends p to the response body.
func (ctx *RequestCtx) Write(p []byte) (int, error) {
	ctx.Response.AppendBody(p)
	return len(p), nil
}

// WriteString appends s to the response body.
func (ctx *RequestCtx) WriteString(s string) (int, error) {
	ctx.Response.AppendBody(s2b(s))
	return len(s), nil
}

// Success sets the response Content-Type and body (a copy of body).
func (ctx *RequestCtx) Success(contentType string, body []byte) {
	resp := &ctx.Response
	resp.Header.SetContentType(contentType)
	resp.SetBody(body)
}

// SuccessString sets the response Content-Type and body.
func (ctx *RequestCtx) SuccessString(contentType, body string) {
	resp := &ctx.Response
	resp.Header.SetContentType(contentType)
	resp.SetBodyString(body)
}

// Error replaces the response with a plain-text message and status code.
func (ctx *RequestCtx) Error(msg string, statusCode int) {
	resp := &ctx.Response
	resp.Reset()
	resp.SetStatusCode(statusCode)
	resp.Header.SetContentTypeBytes(strDefaultContentType)
	resp.SetBodyString(msg)
}

// NotFound replaces the response with "404 Page not found".
func (ctx *RequestCtx) NotFound() {
	ctx.Response.Reset()
	ctx.SetStatusCode(StatusNotFound)
	ctx.SetBodyString("404 Page not found")
}

// NotModified replaces the response with an empty 304.
func (ctx *RequestCtx) NotModified() {
	ctx.Response.Reset()
	ctx.SetStatusCode(StatusNotModified)
}

// Redirect redirects to uri with statusCode (302 when it is not a redirect
// code). A relative uri is resolved against the request URI.
func (ctx *RequestCtx) Redirect(uri string, statusCode int) {
	target := AcquireURI()
	defer ReleaseURI(target)
	ctx.Request.URI().CopyTo(target)
	target.Update(uri)
	ctx.redirect(target.FullURI(), statusCode)
}

// RedirectBytes is Redirect for a byte slice.
func (ctx *RequestCtx) RedirectBytes(uri []byte, statusCode int) {
	ctx.Redirect(b2s(uri), statusCode)
}

func (ctx *RequestCtx) redirect(uri []byte, statusCode int) {
	if !StatusCodeIsRedirect(statusCode) {
		statusCode = StatusFound
	}
	ctx.Response.Header.SetCanonical(strLocation, uri)
	ctx.SetStatusCode(statusCode)
}

// EarlyHints sends a 103 Early Hints response carrying the Link fields
// set on the response so far, ahead of the final response. Nothing is
// sent to HTTP/1.0 clients, nor outside a server connection.
func (ctx *RequestCtx) EarlyHints() error {
	links := ctx.Response.Header.PeekAll(HeaderLink)
	if len(links) == 0 || !ctx.claimWire() {
		return nil
	}
	err := ctx.rw.writeInterim(StatusEarlyHints, HeaderLink, links)
	ctx.releaseWire()
	return err
}

// Hijack registers handler to take over the connection after the response
// is sent (or instead of it, with HijackSetNoResponse). The handler runs in
// its own goroutine; the server stops tracking the connection.
func (ctx *RequestCtx) Hijack(handler HijackHandler) { ctx.hijackHandler = handler }

// HijackSetNoResponse makes a hijacked connection skip the response.
func (ctx *RequestCtx) HijackSetNoResponse(noResponse bool) { ctx.hijackNoResponse = noResponse }

// Hijacked reports whether Hijack was called.
func (ctx *RequestCtx) Hijacked() bool { return ctx.hijackHandler != nil }

// SetReadDeadline sets the read deadline of the connection, e.g. to allow
// a long streamed request body. Once the request was given up on
// (TimeoutError), the connection has moved on and nothing is changed.
func (ctx *RequestCtx) SetReadDeadline(deadline time.Time) error {
	if ctx.c == nil {
		return ErrNilConnection
	}
	if ctx.rw == nil {
		return ctx.c.SetReadDeadline(deadline)
	}
	if !ctx.claimWire() {
		return nil
	}
	err := ctx.rw.setReadDeadline(deadline)
	ctx.releaseWire()
	return err
}

// SetWriteDeadline sets the write deadline of the connection; see
// SetReadDeadline.
func (ctx *RequestCtx) SetWriteDeadline(deadline time.Time) error {
	if ctx.c == nil {
		return ErrNilConnection
	}
	if ctx.rw == nil {
		return ctx.c.SetWriteDeadline(deadline)
	}
	if !ctx.claimWire() {
		return nil
	}
	err := ctx.rw.setWriteDeadline(deadline)
	ctx.releaseWire()
	return err
}

// ErrNilConnection is returned when an operation needs a connection and
// there is none.
var ErrNilConnection = errors.New("fasthttp: nil connection")

// TimeoutError answers the request with 408 and msg, and tells the server
// that the handler (or a goroutine it started) may still use ctx: the
// server will not reuse ctx for another request.
func (ctx *RequestCtx) TimeoutError(msg string) {
	ctx.giveUp(StatusRequestTimeout, msg, nil)
}

// TimeoutErrorWithCode is TimeoutError with a custom status code.
func (ctx *RequestCtx) TimeoutErrorWithCode(msg string, statusCode int) {
	ctx.giveUp(statusCode, msg, nil)
}

// TimeoutErrorWithResponse is TimeoutError with a complete response, which
// is copied.
func (ctx *RequestCtx) TimeoutErrorWithResponse(resp *Response) {
	ctx.giveUp(0, "", resp)
}

// giveUp records the answer the server sends in place of the handler's:
// a copy of answer when it is set, else statusCode with msg as the body.
// From then on ctx belongs to the handler's goroutines, cut off from the
// connection (see http1Conn.answerTimedOut).
func (ctx *RequestCtx) giveUp(statusCode int, msg string, answer *Response) {
	ctx.detachWire()
	r := new(Response)
	if answer == nil {
		r.SetStatusCode(statusCode)
		r.SetBodyString(msg)
	} else {
		answer.CopyTo(r)
	}
	ctx.timeoutResponse = r
}

// LastTimeoutErrorResponse returns the response set by the last
// TimeoutError call, or nil.
func (ctx *RequestCtx) LastTimeoutErrorResponse() *Response { return ctx.timeoutResponse }

// SendFile serves the file at path, as ServeFile does.
func (ctx *RequestCtx) SendFile(path string) { ServeFile(ctx, path) }

// SendFileBytes serves the file at path, as ServeFileBytes does.
func (ctx *RequestCtx) SendFileBytes(path []byte) { ServeFileBytes(ctx, path) }

// SendFileLiteral serves the file at path without decoding or rewriting
// it, as ServeFileLiteral does.
func (ctx *RequestCtx) SendFileLiteral(path string) { ServeFileLiteral(ctx, path) }

// Init prepares ctx for a handler outside a Server, e.g. in tests: it
// copies req and uses remoteAddr (optional) and logger (optional).
func (ctx *RequestCtx) Init(req *Request, remoteAddr net.Addr, logger Logger) {
	if remoteAddr == nil {
		remoteAddr = zeroTCPAddr
	}
	c := &fakeAddrConn{raddr: remoteAddr, laddr: zeroTCPAddr}
	ctx.Init2(c, logger, true)
	req.CopyTo(&ctx.Request)
}

// Init2 prepares ctx for a handler outside a Server; conn supplies the
// addresses.
func (ctx *RequestCtx) Init2(conn net.Conn, logger Logger, reduceMemoryUsage bool) {
	ctx.clear(conn)
	ctx.logger.logger = logger
	ctx.connID = ctxConnIDCounter.Add(1)
	ctx.s = fakeServer
	ctx.connRequestNum = 0
	ctx.connTime = time.Now()
	ctx.time = ctx.connTime
	ctx.timeoutResponse = nil
	ctx.timedOut.Store(false)
}

// clear empties the request, the response and what ties ctx to a
// connection, leaving it on transport (nil: none).
func (ctx *RequestCtx) clear(transport net.Conn) {
	ctx.Request.Reset()
	ctx.Response.Reset()
	ctx.hijackHandler = nil
	ctx.hijackNoResponse = false
	ctx.c = transport
	ctx.rw = nil
	ctx.wire.Store(wireOpen)
	ctx.doneCh = nil
	ctx.remoteAddr = nil
	ctx.tlsStateCached = false
}

// fakeServer serves the contexts prepared with Init.
var fakeServer = &Server{done: make(chan struct{})}

// fakeAddrConn is a connection that only has addresses, for Init.
type fakeAddrConn struct {
	net.Conn
	raddr net.Addr
	laddr net.Addr
}

func (c *fakeAddrConn) RemoteAddr() net.Addr             { return c.raddr }
func (c *fakeAddrConn) LocalAddr() net.Addr              { return c.laddr }
func (c *fakeAddrConn) Read(p []byte) (int, error)       { return 0, io.EOF }
func (c *fakeAddrConn) Write(p []byte) (int, error)      { return len(p), nil }
func (c *fakeAddrConn) Close() error                     { return nil }
func (c *fakeAddrConn) SetDeadline(time.Time) error      { return nil }
func (c *fakeAddrConn) SetReadDeadline(time.Time) error  { return nil }
func (c *fakeAddrConn) SetWriteDeadline(time.Time) error { return nil }
