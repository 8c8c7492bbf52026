package fasthttp

import (
	"sync/atomic"
	"time"
)

// TimeoutHandler runs h with a time limit: when h has not returned after
// timeout, the client gets 408 with msg while h goes on in the background
// (its later changes to the response are ignored, and its RequestCtx is
// never reused). When more than Server.Concurrency calls of h are running
// at once, the request gets 429 with msg instead.
func TimeoutHandler(h RequestHandler, timeout time.Duration, msg string) RequestHandler {
	return TimeoutWithCodeHandler(h, timeout, msg, StatusRequestTimeout)
}

// TimeoutWithCodeHandler is TimeoutHandler answering statusCode instead of
// 408 on timeout.
func TimeoutWithCodeHandler(h RequestHandler, timeout time.Duration, msg string, statusCode int) RequestHandler {
	if timeout <= 0 {
		return h
	}
	// running counts the calls of h still going, timed out or not: they
	// are what a stuck backend piles up.
	var running atomic.Int64
	return func(ctx *RequestCtx) {
		limit := DefaultConcurrency
		if ctx.s != nil {
			limit = ctx.s.getConcurrency()
		}
		if running.Add(1) > int64(limit) {
			running.Add(-1)
			ctx.Error(msg, StatusTooManyRequests)
			return
		}
		ch := ctx.timeoutCh
		if ch == nil {
			ch = make(chan struct{}, 1)
			ctx.timeoutCh = ch
		}
		// state settles the race between h returning and the timer: 0
		// running, 1 h returned first, 2 the timer fired first. A panic in h
		// is handed back to the server goroutine, whose recovery answers
		// 500, unless the request already timed out.
		var state atomic.Int32
		var panicked any
		go func() {
			defer func() {
				r := recover()
				running.Add(-1)
				if state.CompareAndSwap(0, 1) {
					panicked = r
					ch <- struct{}{}
					return
				}
				if r != nil {
					logger := defaultLogger
					if ctx.s != nil {
						logger = ctx.s.logger()
					}
					logger.Printf("panic in a handler after its timeout: %v", r)
				}
			}()
			h(ctx)
		}()
		t := AcquireTimer(timeout)
		select {
		case <-ch:
		case <-t.C:
			if state.CompareAndSwap(0, 2) {
				ReleaseTimer(t)
				// ctx now belongs to the handler's goroutine; the server
				// answers from a separate response and never reuses ctx.
				ctx.TimeoutErrorWithCode(msg, statusCode)
				return
			}
			<-ch
		}
		ReleaseTimer(t)
		if panicked != nil {
			panic(panicked)
		}
	}
}
