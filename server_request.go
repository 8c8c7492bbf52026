package fasthttp

import (
	"net"
	"runtime/debug"
	"time"
)

// This file is what the server does with a request whatever protocol
// carried it: acquiring its RequestCtx, the rules checked before its body
// is read, running the handler, the answer to a request that could not be
// read, and the defaults every response gets. The protocol connections
// (http1Conn) call these between their own reads and writes.

// acquireCtx returns a RequestCtx for a request that came on transport,
// the connection id-th accepted at connTime. The caller sets ctx.rw.
func (s *Server) acquireCtx(transport net.Conn, id uint64, connTime time.Time) *RequestCtx {
	v := s.ctxPool.Get()
	var ctx *RequestCtx
	if v == nil {
		ctx = &RequestCtx{s: s}
	} else {
		ctx = v.(*RequestCtx)
	}
	ctx.c = transport
	ctx.s = s
	ctx.connID = id
	ctx.connTime = connTime
	ctx.timeoutResponse = nil
	if s.FormValueFunc != nil {
		ctx.formValueFunc = s.FormValueFunc
	}
	ctx.Request.Header.disableNormalizing = s.DisableHeaderNamesNormalizing
	ctx.Response.Header.disableNormalizing = s.DisableHeaderNamesNormalizing
	return ctx
}

// releaseCtx gives ctx back to the pool, emptied, unless a handler that
// timed out may still use it.
func (s *Server) releaseCtx(ctx *RequestCtx) {
	if ctx.timeoutResponse != nil {
		return
	}
	ctx.userValues.Reset()
	ctx.clear(nil)
	ctx.logger = ctxLogger{}
	s.ctxPool.Put(ctx)
}

// checkBodyAllowed applies the rules a request meets before anything of
// its body is read or answered: GetOnly (ErrGetOnly) and the size limit
// (ErrBodyTooLarge, before any 100 Continue; a streamed body is not
// limited here).
func (s *Server) checkBodyAllowed(hdr *RequestHeader, maxBody int) error {
	if s.GetOnly && !hdr.IsGet() && !hdr.IsHead() {
		return ErrGetOnly
	}
	if hdr.contentLength > maxBody && !s.StreamRequestBody {
		return ErrBodyTooLarge
	}
	return nil
}

// expectOutcome decides what the Expect field of a request asks for: 0 to
// go on reading the body, StatusContinue to send "100 Continue" first, or
// a final status that refuses the body.
func (s *Server) expectOutcome(ctx *RequestCtx, expect []byte) int {
	hdr := &ctx.Request.Header
	status := 0
	if s.ExpectHandler != nil {
		status = s.ExpectHandler(ctx)
	}
	if status != 0 && status != StatusContinue {
		return status
	}
	switch {
	case !equalFoldString(expect, "100-continue"):
		if s.ExpectHandler == nil {
			return StatusExpectationFailed
		}
		return 0
	case hdr.noHTTP11 || hdr.contentLength == 0:
		// 1xx is never sent to HTTP/1.0 clients, nor when no body is
		// coming.
		return 0
	case s.ContinueHandler != nil && !s.ContinueHandler(hdr):
		return StatusExpectationFailed
	}
	return StatusContinue
}

// refuseBody makes ctx's response the refusal of a body with status (a
// refused Expect). The body was not read, so the connection cannot carry
// another request.
func refuseBody(ctx *RequestCtx, status int) {
	ctx.Response.Reset()
	ctx.SetStatusCode(status)
	ctx.SetBodyString(StatusMessage(status))
	ctx.Response.Header.connectionClose = true
}

// callHandler runs the handler. A panic is logged with its stack and
// answered with 500, and the connection is then closed, so one bad request
// cannot take the server down.
func (s *Server) callHandler(ctx *RequestCtx) {
	defer func() {
		if r := recover(); r != nil {
			s.logPanic(ctx, r)
			ctx.hijackHandler = nil
			ctx.Response.Reset()
			ctx.SetStatusCode(StatusInternalServerError)
			ctx.SetBodyString(StatusMessage(StatusInternalServerError))
			ctx.Response.Header.connectionClose = true
		}
	}()
	s.Handler(ctx)
}

func (s *Server) logPanic(ctx *RequestCtx, r any) {
	if s.SecureErrorLogMessage {
		s.logger().Printf("panic while serving a request from %q: %v\n%s", ctx.RemoteAddr(), r, debug.Stack())
		return
	}
	s.logger().Printf("panic while serving %q from %q: %v\n%s",
		ctx.Request.Header.RequestURI(), ctx.RemoteAddr(), r, debug.Stack())
}

// applyResponseDefaults applies what the server adds to every response it
// sends, before any protocol serialises it: the Server field, whether a
// Date and a default Content-Type go out, and no body for HEAD.
func (s *Server) applyResponseDefaults(resp *Response, isHead bool) {
	h := &resp.Header
	if !s.NoDefaultServerHeader && len(h.server) == 0 {
		h.server = append(h.server, s.serverName...)
	}
	if s.NoDefaultDate {
		h.noDefaultDate = true
	}
	if s.NoDefaultContentType {
		h.noDefaultContentType = true
	}
	if isHead {
		resp.SkipBody = true
	}
}

// errorResponse makes ctx's response the answer to a request that could
// not be read because of err: ErrorHandler's, or a plain-text status. The
// connection closes after it.
func (s *Server) errorResponse(ctx *RequestCtx, err error) {
	ctx.Response.Reset()
	if s.ErrorHandler == nil || !s.callErrorHandler(ctx, err) {
		status := statusForError(err)
		ctx.Response.Reset()
		ctx.SetStatusCode(status)
		ctx.SetContentTypeBytes(strDefaultContentType)
		ctx.SetBodyString(errorResponseText(status))
		if status == StatusMethodNotAllowed {
			ctx.Response.Header.SetCanonical(strAllow, strGetHead)
		}
	}
	ctx.Response.Header.connectionClose = true
}

var (
	strAllow   = []byte("Allow")
	strGetHead = []byte("GET, HEAD")
)

// callErrorHandler runs ErrorHandler; false means it panicked and the
// default answer is used.
func (s *Server) callErrorHandler(ctx *RequestCtx, err error) (ok bool) {
	defer func() {
		if r := recover(); r != nil {
			s.logPanic(ctx, r)
			ok = false
		}
	}()
	s.ErrorHandler(ctx, err)
	return true
}

func errorResponseText(status int) string {
	switch status {
	case StatusRequestHeaderFieldsTooLarge:
		return "Request Header Fields Too Large"
	case StatusRequestEntityTooLarge:
		return "Request Entity Too Large"
	case StatusRequestURITooLong:
		return "Request URI Too Long"
	case StatusRequestTimeout:
		return "Request timeout"
	case StatusNotImplemented:
		return "Not Implemented"
	case StatusHTTPVersionNotSupported:
		return "HTTP Version Not Supported"
	case StatusMethodNotAllowed:
		return "Method Not Allowed"
	}
	return "Error when parsing request"
}
