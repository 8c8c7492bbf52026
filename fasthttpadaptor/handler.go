package fasthttpadaptor

import (
	"context"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"runtime/debug"
	"sync"

	"github.com/valyala/fasthttp"
)

// NewFastHTTPHandlerFunc is NewFastHTTPHandler for a handler function.
func NewFastHTTPHandlerFunc(h http.HandlerFunc) fasthttp.RequestHandler {
	return NewFastHTTPHandler(h)
}

// NewFastHTTPHandler returns a fasthttp handler that serves requests with
// the net/http handler h.
//
// h runs on a goroutine of its own, so that it can keep going after the
// fasthttp handler has returned: a Flush sends the header and what was
// written so far and streams the rest of the body, and a Hijack hands h the
// connection. Without either, the whole response is buffered and sent once
// h returns, with an exact Content-Length.
//
// A panic in h before it flushed or hijacked is logged and re-raised in the
// fasthttp handler, as if h had been a fasthttp handler; later panics end
// the response with a broken connection. http.ErrAbortHandler drops the
// connection without a response and without a log line, as in net/http.
func NewFastHTTPHandler(h http.Handler) fasthttp.RequestHandler {
	return func(ctx *fasthttp.RequestCtx) {
		x := &exchange{ctx: ctx, handoff: make(chan handoff, 1)}
		x.rctx = &x.rctxState
		x.rctx.init(ctx)
		var base http.Request
		r := base.WithContext(x.rctx)
		if err := convertRequest(ctx, r, true); err != nil {
			ctx.Error("Bad Request: "+err.Error(), fasthttp.StatusBadRequest)
			return
		}
		if r.Body != http.NoBody {
			x.body.r = r.Body
			x.body.streamed = ctx.Request.IsBodyStream()
			r.Body = &x.body
		}
		x.w.init(x)

		go x.serve(h, r)

		ho := <-x.handoff
		if ho.kind != handoffDone || ho.panicked == nil {
			return
		}
		if ho.panicked == http.ErrAbortHandler { //nolint:errorlint // net/http compares the same way
			abortConnection(ctx)
			return
		}
		panic(ho.panicked)
	}
}

// exchange is one request served by an http.Handler: the state shared by
// the fasthttp handler goroutine and the goroutine running h.
//
// Ownership of ctx passes with the handoff: until the handler goroutine
// sends on handoff it alone touches ctx; after a stream handoff the server
// reads the body through the pipe and waits, in streamBody.Close, for the
// handler goroutine to finish; after a hijack handoff ctx is not touched
// again.
type exchange struct {
	ctx  *fasthttp.RequestCtx
	rctx *requestContext
	body requestBody
	// rctxState holds the context, saving an allocation.
	rctxState requestContext
	w         responseWriter
	handoff   chan handoff
	// finished is closed when the handler goroutine is done with ctx.
	finished chan struct{}
}

type handoffKind int

const (
	handoffDone   handoffKind = iota // h returned; the response is in ctx
	handoffStream                    // h flushed; the body follows through a pipe
	handoffHijack                    // h hijacked the connection
)

type handoff struct {
	kind     handoffKind
	panicked any
}

// serve runs h on the handler goroutine.
func (x *exchange) serve(h http.Handler, r *http.Request) {
	defer func() {
		p := recover()
		x.finish(p)
	}()
	h.ServeHTTP(&x.w, r)
}

// finish ends the exchange on the handler goroutine, after h returned or
// panicked with p.
func (x *exchange) finish(p any) {
	w := &x.w
	switch w.state {
	case stateBuffered:
		if p == nil {
			w.complete()
		} else if p != http.ErrAbortHandler { //nolint:errorlint
			x.ctx.Logger().Printf("panic in net/http handler: %v\n%s", p, debug.Stack())
		}
		w.state = stateFinished
		x.rctx.detach()
		x.rctx.cancel(context.Canceled)
		x.handoff <- handoff{kind: handoffDone, panicked: p}
	case stateStreaming:
		var err error
		if p == nil {
			err = w.push()
		} else {
			if p != http.ErrAbortHandler { //nolint:errorlint
				x.ctx.Logger().Printf("panic in net/http handler after Flush: %v\n%s", p, debug.Stack())
			}
			err = errHandlerPanicked
		}
		w.state = stateFinished
		x.rctx.detach()
		x.rctx.cancel(context.Canceled)
		// An error makes the server cut the connection rather than end
		// the body as if it were complete.
		_ = w.pw.CloseWithError(err)
		close(x.finished)
	case stateHijacked:
		if p != nil && p != http.ErrAbortHandler { //nolint:errorlint
			// ctx may serve another connection by now: log without it.
			log.Printf("fasthttpadaptor: panic in net/http handler after Hijack: %v\n%s", p, debug.Stack())
		}
		w.state = stateFinished
		x.rctx.cancel(context.Canceled)
	}
}

var errHandlerPanicked = errors.New("fasthttpadaptor: net/http handler panicked")

// abortConnection closes the connection without sending a response.
func abortConnection(ctx *fasthttp.RequestCtx) {
	ctx.Response.Reset()
	ctx.HijackSetNoResponse(true)
	ctx.Hijack(func(c net.Conn) { _ = c.Close() })
}

// requestBody is the Request.Body given to h. It stops reading once the
// memory or connection behind it may belong to someone else: after a
// Hijack, and after a Flush for a body streamed from the connection (the
// server then drains what is left).
type requestBody struct {
	r        io.ReadCloser
	streamed bool
	detached bool
}

var errBodyDetached = errors.New("fasthttpadaptor: request body is no longer readable after Flush or Hijack")

func (b *requestBody) Read(p []byte) (int, error) {
	if b.detached {
		return 0, errBodyDetached
	}
	return b.r.Read(p)
}

func (b *requestBody) Close() error { return nil }

// streamBody is the response body stream of a flushed response: the server
// reads what h writes through the pipe.
type streamBody struct {
	pr        *io.PipeReader
	x         *exchange
	closeOnce sync.Once
}

var errClientGone = errors.New("fasthttpadaptor: the response is no longer being sent")

func (s *streamBody) Read(p []byte) (int, error) { return s.pr.Read(p) }

// Close is called by the server once the body is sent, or abandoned. It
// fails further writes of h, cancels its context and waits for it to
// return, since h may still read memory owned by ctx.
func (s *streamBody) Close() error {
	s.closeOnce.Do(func() {
		_ = s.pr.CloseWithError(errClientGone)
		s.x.rctx.cancel(context.Canceled)
		<-s.x.finished
	})
	return nil
}

// logf reports a misuse of the ResponseWriter, as net/http does.
func (x *exchange) logf(format string, args ...any) {
	if x.w.state != stateBuffered {
		// ctx is in use by the server or by another request by now.
		log.Printf("fasthttpadaptor: "+format, args...)
		return
	}
	x.ctx.Logger().Printf(format, args...)
}
