package fasthttp

import "time"

// TimeoutHandler runs h with a time limit: when h has not returned after
// timeout, the client gets 408 with msg while h goes on in the background
// (its later changes to the response are ignored).
func TimeoutHandler(h RequestHandler, timeout time.Duration, msg string) RequestHandler {
	return TimeoutWithCodeHandler(h, timeout, msg, StatusRequestTimeout)
}

// TimeoutWithCodeHandler is TimeoutHandler with a custom status code.
func TimeoutWithCodeHandler(h RequestHandler, timeout time.Duration, msg string, statusCode int) RequestHandler {
	if timeout <= 0 {
		return h
	}
	return func(ctx *RequestCtx) {
		ch := ctx.timeoutCh
		if ch == nil {
			ch = make(chan struct{}, 1)
			ctx.timeoutCh = ch
		}
		go func() {
			h(ctx)
			ch <- struct{}{}
		}()
		t := AcquireTimer(timeout)
		select {
		case <-ch:
		case <-t.C:
			// ctx now belongs to the handler's goroutine; the server answers
			// from a separate response and never reuses ctx.
			ctx.TimeoutErrorWithCode(msg, statusCode)
		}
		ReleaseTimer(t)
	}
}
