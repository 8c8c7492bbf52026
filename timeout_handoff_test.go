package fasthttp

import (
	"bufio"
	"context"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/valyala/fasthttp/fasthttputil"
)

// A wrapper in the style of Fiber's timeout middleware: the work runs on a
// goroutine of its own under a context with a deadline; when the deadline
// passes, the wrapper answers with TimeoutErrorWithResponse and leaves the
// work behind. Both wake on the same deadline. The server yields before
// writing a timed-out answer, so the abandoned work has seen its
// cancellation by the time the client reads the 408.
//
// The client is in-process over an in-memory connection, as in Fiber's
// app.Test: its read is woken straight from the server's write, ahead of
// the abandoned work unless the server yields. With one P that order is
// the scheduler's alone; the test is not parallel so that setting
// GOMAXPROCS touches no other test.
func TestTimedOutAnswerFollowsTheAbandonedWorksCancellation(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	var seen atomic.Int32
	ln := fasthttputil.NewInmemoryListener()
	s := &Server{Handler: func(ctx *RequestCtx) {
		wctx, cancel := context.WithTimeout(context.Background(), 5*time.Millisecond)
		defer cancel()
		done := make(chan struct{})
		go func() {
			defer close(done)
			select {
			case <-wctx.Done():
				seen.Add(1)
			case <-time.After(time.Second):
			}
		}()
		select {
		case <-done:
			ctx.SetBodyString("completed")
		case <-wctx.Done():
			var r Response
			r.SetStatusCode(StatusRequestTimeout)
			ctx.TimeoutErrorWithResponse(&r)
		}
	}}
	go func() { _ = s.Serve(ln) }()
	defer func() { _ = s.Shutdown() }()
	c, err := ln.Dial()
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = c.Close() }()
	br := bufio.NewReader(c)
	const rounds = 10
	for i := 1; i <= rounds; i++ {
		if _, err := c.Write([]byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n")); err != nil {
			t.Fatal(err)
		}
		var resp Response
		if err := resp.Read(br); err != nil {
			t.Fatalf("round %d: %v", i, err)
		}
		if resp.StatusCode() != StatusRequestTimeout {
			t.Fatalf("round %d: status %d, want 408", i, resp.StatusCode())
		}
		if got := seen.Load(); got != int32(i) {
			t.Fatalf("round %d: the 408 arrived before the abandoned work saw its cancellation (%d of %d seen)", i, got, i)
		}
		if resp.ConnectionClose() {
			// A timed-out answer may close the connection; go on on a new one.
			_ = c.Close()
			if c, err = ln.Dial(); err != nil {
				t.Fatal(err)
			}
			br.Reset(c)
		}
	}
}
