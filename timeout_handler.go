package fasthttp

import (
	"sync/atomic"
	"time"
)

// TimeoutHandler runs h with a time limit: when h has not returned after
// timeout, the client gets 408 with msg while h goes on in the background
// (its later changes to the response are ignored, and its RequestCtx is
// never reused). h sees the give-up: ctx.Done is closed and ctx.Err
// returns context.DeadlineExceeded, so work it started for the request can
// stop. When more than Server.Concurrency calls of h are running at once,
// the request gets 429 with msg instead.
func TimeoutHandler(h RequestHandler, timeout time.Duration, msg string) RequestHandler {
	return TimeoutWithCodeHandler(h, timeout, msg, StatusRequestTimeout)
}

// TimeoutWithCodeHandler is TimeoutHandler answering statusCode instead of
// 408 on timeout.
func TimeoutWithCodeHandler(h RequestHandler, timeout time.Duration, msg string, statusCode int) RequestHandler {
	if timeout <= 0 {
		return h
	}
	// inFlight counts the calls of h still going, timed out or not: they
	// are what a stuck backend piles up, so they are what is limited.
	var inFlight atomic.Int64
	return func(ctx *RequestCtx) {
		if inFlight.Add(1) > int64(ctx.concurrencyLimit()) {
			inFlight.Add(-1)
			ctx.Error(msg, StatusTooManyRequests)
			return
		}
		run := ctx.handlerRun()
		go run.call(h, ctx, &inFlight)
		if run.await(ctx, timeout) {
			// The answer is set and ctx cut off from the connection
			// before the handler learns of it, so that nothing it does
			// next can reach the wire.
			ctx.TimeoutErrorWithCode(msg, statusCode)
			ctx.timedOut.Store(true)
			run.cancelNow()
		}
	}
}

// concurrencyLimit is the server's Concurrency, or its default outside a
// server.
func (ctx *RequestCtx) concurrencyLimit() int {
	if ctx.s != nil {
		return ctx.s.getConcurrency()
	}
	return DefaultConcurrency
}

// guardedRun is one call of a handler on a goroutine of its own, watched
// by a timeout wrapper. A RequestCtx keeps one for the next wrapped call
// until a call is given up on, which leaves it (and the RequestCtx) to
// the handler's goroutine.
type guardedRun struct {
	// outcome settles who finished first: the handler (runReturned) or
	// the wrapper giving up on it (runAbandoned).
	outcome atomic.Int32
	// returned carries the handler's panic value (nil when it returned
	// normally) back to the wrapper.
	returned chan any
	// cancel is RequestCtx.Done while the handler runs: closed when the
	// wrapper gives up, or when the server shuts down.
	cancel    chan struct{}
	cancelled bool
}

const (
	runIdle int32 = iota // ready for the next call
	runGoing
	runReturned
	runAbandoned
)

// handlerRun returns the guardedRun for the next wrapped call of ctx and
// makes its cancel channel ctx's Done. A run still in use (a wrapper
// inside a wrapper) or cancelled is not reused.
func (ctx *RequestCtx) handlerRun() *guardedRun {
	run := ctx.run
	if run == nil || run.cancelled || run.outcome.Load() != runIdle {
		run = &guardedRun{returned: make(chan any, 1), cancel: make(chan struct{})}
		ctx.run = run
	}
	run.outcome.Store(runGoing)
	ctx.doneCh = run.cancel
	return run
}

// call runs h on the current goroutine. A panic is handed back to the
// wrapper, whose server goroutine answers it with 500, unless the wrapper
// has given up meanwhile: then it is only logged.
func (run *guardedRun) call(h RequestHandler, ctx *RequestCtx, inFlight *atomic.Int64) {
	defer func() {
		p := recover()
		inFlight.Add(-1)
		if run.outcome.CompareAndSwap(runGoing, runReturned) {
			run.returned <- p
			return
		}
		if p != nil {
			logger := defaultLogger
			if ctx.s != nil {
				logger = ctx.s.logger()
			}
			logger.Printf("panic in a handler after its timeout: %v", p)
		}
	}()
	h(ctx)
}

// await waits for the handler to return within timeout. It returns true
// when it gave up on it: ctx then belongs to the handler's goroutine.
// Otherwise it re-raises the handler's panic, if any.
func (run *guardedRun) await(ctx *RequestCtx, timeout time.Duration) bool {
	var stopping <-chan struct{}
	if ctx.s != nil {
		stopping = ctx.s.doneChan()
	}
	t := AcquireTimer(timeout)
	defer ReleaseTimer(t)
	for {
		select {
		case p := <-run.returned:
			if p != nil {
				panic(p)
			}
			run.outcome.Store(runIdle)
			return false
		case <-stopping:
			// The server is shutting down: the handler's Done fires, as
			// it would without the wrapper, and the wait goes on.
			run.cancelNow()
			stopping = nil
		case <-t.C:
			if !run.outcome.CompareAndSwap(runGoing, runAbandoned) {
				// The handler returned just now: take its outcome.
				continue
			}
			return true
		}
	}
}

// cancelNow closes the handler's Done channel once.
func (run *guardedRun) cancelNow() {
	if !run.cancelled {
		run.cancelled = true
		close(run.cancel)
	}
}
