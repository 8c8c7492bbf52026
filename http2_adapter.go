package fasthttp

import (
	"crypto/tls"
	"errors"
	"net"
	"runtime/debug"
	"time"
)

// PHASE B: this file is the temporary bridge between the HTTP/2 engine and
// RequestCtx. It fills a RequestCtx's fields directly, as the current code
// permits, and runs a RequestHandler on it. Once RequestCtx talks to its
// connection through the responder seam (interim 1xx, flush, hijack, the
// final write, the timeout hand-off), h2CtxDispatcher is replaced by an
// implementation of that seam on h2Stream, and the Server options below
// come from Server itself.

// h2CtxDispatcher serves HTTP/2 streams with a RequestHandler, as Server
// serves HTTP/1 requests: the same RequestCtx, the same defaults (Server,
// Date, Content-Type), ErrorHandler for requests that cannot be served,
// panics answered with 500.
type h2CtxDispatcher struct {
	s       *Server
	handler RequestHandler
}

func newH2CtxDispatcher(s *Server, handler RequestHandler) *h2CtxDispatcher {
	s.init()
	return &h2CtxDispatcher{s: s, handler: handler}
}

// newH2EngineForServer builds an engine that serves s's handler with cfg,
// taking the server's limits as phase B will.
func newH2EngineForServer(s *Server, cfg *HTTP2Config) *h2Engine {
	d := newH2CtxDispatcher(s, s.Handler)
	o := cfg.options(h2ServerLimits{
		ReadTimeout:                   s.ReadTimeout,
		WriteTimeout:                  s.WriteTimeout,
		IdleTimeout:                   s.idleTimeout(),
		MaxHeaderBytes:                s.maxHeaderBytes,
		MaxRequestBodySize:            s.MaxRequestBodySize,
		StreamRequestBody:             s.StreamRequestBody,
		DisableHeaderNamesNormalizing: s.DisableHeaderNamesNormalizing,
		Logger:                        s.Logger,
	})
	return newH2Engine(o, d)
}

func (d *h2CtxDispatcher) h2Begin(st *h2Stream) *Request {
	ctx, _ := d.s.ctxPool.Get().(*RequestCtx)
	if ctx == nil {
		ctx = &RequestCtx{}
	}
	sc := st.sc
	if sc.user == nil {
		sc.user = newH2ConnFacade(sc.c)
	}
	s := d.s
	ctx.c = sc.user.(net.Conn)
	ctx.s = s
	ctx.connID = sc.id
	ctx.connTime = sc.connTime
	ctx.connRequestNum = st.seq
	ctx.timeoutResponse = nil
	ctx.formValueFunc = s.FormValueFunc
	if s.LazyRequestTime {
		ctx.time = time.Time{}
	} else {
		ctx.time = time.Now()
	}
	ctx.Request.Header.disableNormalizing = s.DisableHeaderNamesNormalizing
	ctx.Response.Header.disableNormalizing = s.DisableHeaderNamesNormalizing
	ctx.Request.isTLS = tlsStaterOf(sc.c) != nil
	ctx.Request.bodyDecodeLimit = s.maxRequestBodySize()
	st.user = ctx
	return &ctx.Request
}

// h2Check applies the server's rules that refuse a request before its
// body: GetOnly and the Expect policy (ExpectHandler, ContinueHandler).
func (d *h2CtxDispatcher) h2Check(st *h2Stream) error {
	s := d.s
	ctx := st.user.(*RequestCtx)
	hdr := &ctx.Request.Header
	if s.GetOnly && !hdr.IsGet() && !hdr.IsHead() {
		return ErrGetOnly
	}
	expect := peekKVFold(hdr.h, HeaderExpect)
	if expect == nil {
		return nil
	}
	status := 0
	if s.ExpectHandler != nil {
		status = s.ExpectHandler(ctx)
	}
	if status == 0 || status == StatusContinue {
		switch {
		case !equalFoldString(expect, "100-continue"):
			if s.ExpectHandler == nil {
				status = StatusExpectationFailed
			}
		case s.ContinueHandler != nil && !s.ContinueHandler(hdr):
			status = StatusExpectationFailed
		}
	}
	if status == 0 || status == StatusContinue {
		return nil
	}
	return newProtocolError(status, StatusMessage(status))
}

func (d *h2CtxDispatcher) h2Serve(st *h2Stream) {
	ctx := st.user.(*RequestCtx)
	if err := st.requestErr(); err != nil {
		d.answerError(ctx, err)
		d.respond(st, ctx, &ctx.Response)
		return
	}
	d.callHandler(ctx)
	resp := &ctx.Response
	if ctx.timeoutResponse != nil {
		// The handler's goroutines may still use ctx: answer from the
		// copy TimeoutError made; h2End leaves ctx alone.
		resp = ctx.timeoutResponse
	}
	if ctx.hijackHandler != nil {
		// HTTP/2 multiplexes the connection: it cannot be handed over.
		ctx.hijackHandler = nil
		d.s.logger().Printf("fasthttp: Hijack is not supported on HTTP/2 streams; the response is sent instead")
	}
	d.respond(st, ctx, resp)
}

// respond applies the server's defaults to resp and sends it.
func (d *h2CtxDispatcher) respond(st *h2Stream, ctx *RequestCtx, resp *Response) {
	s := d.s
	// HEAD is left to st.respond, which sends no body for it.
	s.applyResponseDefaults(resp, false)
	if err := st.respond(resp); err != nil && s.LogAllErrors {
		s.logger().Printf("fasthttp: HTTP/2 response to %q not completed: %v", ctx.RemoteAddr(), err)
	}
	// ctx.rw is nil here: EarlyHints and the handler's deadlines do
	// nothing until h2Stream implements the responder seam.
}

// callHandler runs the handler; a panic is logged and answered with 500.
func (d *h2CtxDispatcher) callHandler(ctx *RequestCtx) {
	defer func() {
		if r := recover(); r != nil {
			d.s.logger().Printf("panic while serving an HTTP/2 request from %q: %v\n%s", ctx.RemoteAddr(), r, debug.Stack())
			ctx.hijackHandler = nil
			ctx.Response.Reset()
			ctx.SetStatusCode(StatusInternalServerError)
			ctx.SetBodyString(StatusMessage(StatusInternalServerError))
		}
	}()
	d.handler(ctx)
}

// answerError builds the answer to a request refused before its handler
// ran, through ErrorHandler when the server has one.
func (d *h2CtxDispatcher) answerError(ctx *RequestCtx, err error) {
	s := d.s
	status := statusForError(err)
	ctx.Response.Reset()
	if s.ErrorHandler != nil {
		if s.callErrorHandler(ctx, err) {
			return
		}
		ctx.Response.Reset()
	}
	ctx.SetStatusCode(status)
	ctx.SetContentTypeBytes(strDefaultContentType)
	var pe *protocolError
	if errors.As(err, &pe) && !isSmallBuffer(err) {
		ctx.SetBodyString(pe.text)
	} else {
		ctx.SetBodyString(errorResponseText(status))
	}
	if status == StatusMethodNotAllowed {
		ctx.Response.Header.SetCanonical(strAllow, strGetHead)
	}
}

func (d *h2CtxDispatcher) h2End(st *h2Stream) {
	ctx, _ := st.user.(*RequestCtx)
	st.user = nil
	if ctx == nil || ctx.timeoutResponse != nil {
		return
	}
	ctx.Request.Reset()
	ctx.Response.Reset()
	ctx.userValues.Reset()
	ctx.hijackHandler = nil
	ctx.hijackNoResponse = false
	d.s.releaseCtx(ctx) // shared with HTTP/1
}

// errH2Multiplexed is what reads and writes on RequestCtx.Conn() return
// for an HTTP/2 request: the connection carries other streams, and bytes
// written to it directly would break them.
var errH2Multiplexed = errors.New("fasthttp: the connection of an HTTP/2 request is multiplexed; it cannot be read or written directly")

// h2ConnFacade is the connection RequestCtx sees for an HTTP/2 request:
// its addresses, and no way to read, write or close the shared connection.
type h2ConnFacade struct{ c net.Conn }

// h2TLSConnFacade adds the TLS state, for IsTLS and TLSConnectionState.
type h2TLSConnFacade struct {
	h2ConnFacade
	ts tlsStater
}

func newH2ConnFacade(c net.Conn) net.Conn {
	if ts := tlsStaterOf(c); ts != nil {
		return &h2TLSConnFacade{h2ConnFacade{c}, ts}
	}
	return &h2ConnFacade{c}
}

func (f *h2ConnFacade) Read([]byte) (int, error)         { return 0, errH2Multiplexed }
func (f *h2ConnFacade) Write([]byte) (int, error)        { return 0, errH2Multiplexed }
func (f *h2ConnFacade) Close() error                     { return errH2Multiplexed }
func (f *h2ConnFacade) LocalAddr() net.Addr              { return f.c.LocalAddr() }
func (f *h2ConnFacade) RemoteAddr() net.Addr             { return f.c.RemoteAddr() }
func (f *h2ConnFacade) SetDeadline(time.Time) error      { return nil }
func (f *h2ConnFacade) SetReadDeadline(time.Time) error  { return nil }
func (f *h2ConnFacade) SetWriteDeadline(time.Time) error { return nil }

// ConnectionState returns the TLS state of the connection.
func (f *h2TLSConnFacade) ConnectionState() tls.ConnectionState { return f.ts.ConnectionState() }
