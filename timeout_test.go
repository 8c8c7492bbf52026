package fasthttp

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestTimeoutHandler(t *testing.T) {
	t.Parallel()
	lateDone := make(chan struct{}, 4)
	h := func(ctx *RequestCtx) {
		if string(ctx.Path()) == "/slow" {
			time.Sleep(200 * time.Millisecond)
			// Changes after the timeout are ignored.
			ctx.SetStatusCode(200)
			ctx.SetBodyString("too late")
			lateDone <- struct{}{}
			return
		}
		ctx.WriteString("quick")
	}
	addr := srvStart(t, &Server{Handler: TimeoutHandler(h, 50*time.Millisecond, "timed out")}, "127.0.0.1")
	c := srvDial(t, addr)
	br := bufio.NewReader(c)
	// The connection stays usable after a timeout, and the late handler
	// does not disturb the next response.
	io.WriteString(c, "GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
	resp, body := srvReadResponse(t, br, "GET")
	if resp.StatusCode != 408 || body != "timed out" || resp.Close {
		t.Fatalf("timeout response: %d %q close=%v", resp.StatusCode, body, resp.Close)
	}
	if resp.Header.Get("Server") == "" {
		t.Fatal("timeout response lacks the server's default fields")
	}
	io.WriteString(c, "GET /fast HTTP/1.1\r\nHost: x\r\n\r\n")
	if _, body := srvReadResponse(t, br, "GET"); body != "quick" {
		t.Fatalf("after a timeout: %q", body)
	}
	srvRecv(t, lateDone, "the late handler")
	io.WriteString(c, "GET /fast HTTP/1.1\r\nHost: x\r\n\r\n")
	if _, body := srvReadResponse(t, br, "GET"); body != "quick" {
		t.Fatalf("after the late handler returned: %q", body)
	}
}

func TestTimeoutWithCodeHandler(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	defer close(release)
	h := TimeoutWithCodeHandler(func(ctx *RequestCtx) { <-release }, 30*time.Millisecond, "busy", StatusServiceUnavailable)
	addr := srvStart(t, &Server{Handler: h}, "127.0.0.1")
	got := srvRaw(t, addr, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
	if !strings.HasPrefix(got, "HTTP/1.1 503 ") || !strings.HasSuffix(got, "busy") {
		t.Fatalf("got %q", got)
	}
	// A zero timeout means no limit: the handler itself is returned.
	plain := func(ctx *RequestCtx) {}
	if fmt.Sprintf("%p", TimeoutHandler(plain, 0, "")) != fmt.Sprintf("%p", plain) {
		t.Fatal("TimeoutHandler with no timeout wraps the handler")
	}
}

func TestTimeoutHandlerPanics(t *testing.T) {
	t.Parallel()
	log := &srvLog{}
	h := TimeoutHandler(func(ctx *RequestCtx) {
		if string(ctx.Path()) == "/late" {
			time.Sleep(100 * time.Millisecond)
		}
		panic("inner boom")
	}, 50*time.Millisecond, "timed out")
	addr := srvStart(t, &Server{Handler: h, Logger: log}, "127.0.0.1")
	// Before the timeout: the server's recovery answers 500.
	if got := srvRaw(t, addr, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"); !strings.HasPrefix(got, "HTTP/1.1 500 ") {
		t.Fatalf("got %q", got)
	}
	// After it: 408 was sent; the panic is only logged.
	if got := srvRaw(t, addr, "GET /late HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"); !strings.HasPrefix(got, "HTTP/1.1 408 ") {
		t.Fatalf("got %q", got)
	}
	srvEventually(t, "both panics logged", func() bool { return log.count("inner boom") == 2 })
}

func TestTimeoutHandlerConcurrencyLimit(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	var running atomic.Int32
	h := TimeoutHandler(func(ctx *RequestCtx) {
		running.Add(1)
		<-release
	}, 20*time.Millisecond, "overloaded")
	addr := srvStart(t, &Server{Handler: h, Concurrency: 2}, "127.0.0.1")
	// Two calls time out but keep running; a third is refused with 429.
	for i := 0; i < 2; i++ {
		if got := srvRaw(t, addr, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"); !strings.HasPrefix(got, "HTTP/1.1 408 ") {
			t.Fatalf("call %d: %q", i, got)
		}
	}
	srvEventually(t, "two running handlers", func() bool { return running.Load() == 2 })
	if got := srvRaw(t, addr, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"); !strings.HasPrefix(got, "HTTP/1.1 429 ") || !strings.HasSuffix(got, "overloaded") {
		t.Fatalf("over the limit: %q", got)
	}
	close(release)
	srvEventually(t, "a free slot", func() bool {
		got := srvRaw(t, addr, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
		return strings.HasPrefix(got, "HTTP/1.1 200 ")
	})
}

func TestRequestCtxTimeoutError(t *testing.T) {
	t.Parallel()
	var seen atomic.Pointer[RequestCtx]
	done := make(chan struct{})
	addr := srvStart(t, &Server{Handler: func(ctx *RequestCtx) {
		if string(ctx.Path()) == "/bg" {
			// The handler hands ctx to a goroutine: it must not be reused.
			seen.Store(ctx)
			go func() {
				time.Sleep(50 * time.Millisecond)
				ctx.SetBodyString("from the goroutine")
				close(done)
			}()
			resp := &Response{}
			resp.SetStatusCode(StatusGatewayTimeout)
			resp.SetBodyString("gave up")
			ctx.TimeoutErrorWithResponse(resp)
			if ctx.LastTimeoutErrorResponse() == nil || ctx.LastTimeoutErrorResponse() == resp {
				t.Error("LastTimeoutErrorResponse must be a copy")
			}
			return
		}
		if ctx == seen.Load() {
			t.Error("a RequestCtx given to a goroutine was reused")
		}
		ctx.WriteString("next")
	}}, "127.0.0.1")
	c := srvDial(t, addr)
	br := bufio.NewReader(c)
	io.WriteString(c, "GET /bg HTTP/1.1\r\nHost: x\r\n\r\n")
	if resp, body := srvReadResponse(t, br, "GET"); resp.StatusCode != 504 || body != "gave up" {
		t.Fatalf("%d %q", resp.StatusCode, body)
	}
	srvRecv(t, done, "the goroutine")
	for i := 0; i < 3; i++ {
		io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
		if _, body := srvReadResponse(t, br, "GET"); body != "next" {
			t.Fatalf("%q", body)
		}
	}

	ctx := srvCtx(t, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	ctx.TimeoutError("slow")
	if r := ctx.LastTimeoutErrorResponse(); r == nil || r.StatusCode() != 408 || string(r.Body()) != "slow" {
		t.Fatalf("TimeoutError: %v", r)
	}
	ctx.TimeoutErrorWithCode("slower", 503)
	if r := ctx.LastTimeoutErrorResponse(); r.StatusCode() != 503 || string(r.Body()) != "slower" {
		t.Fatalf("TimeoutErrorWithCode: %v", r)
	}
}

func TestTimeoutHandlerStreamedBodyClosesConnection(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	defer close(release)
	h := TimeoutHandler(func(ctx *RequestCtx) {
		<-release
		io.Copy(io.Discard, ctx.RequestBodyStream())
	}, 30*time.Millisecond, "timed out")
	addr := srvStart(t, &Server{Handler: h, StreamRequestBody: true}, "127.0.0.1")
	c := srvDial(t, addr)
	io.WriteString(c, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\npartial")
	br := bufio.NewReader(c)
	// The body still belongs to the timed-out handler: the connection
	// cannot be reused and is closed after the answer.
	resp, _ := srvReadResponse(t, br, "POST")
	if resp.StatusCode != 408 || !resp.Close {
		t.Fatalf("%d close=%v", resp.StatusCode, resp.Close)
	}
	srvExpectClosed(t, c, br)
}

// TestTimeoutHandlerCancelsContext: a handler that TimeoutHandler (or
// TimeoutWithCodeHandler) gives up on sees its context end with
// DeadlineExceeded; one that finishes in time sees none, and the next
// request on the connection starts with a live context; a wrapped handler
// still sees the server's shutdown.
func TestTimeoutHandlerCancelsContext(t *testing.T) {
	t.Parallel()
	for _, code := range []int{0, StatusServiceUnavailable} {
		seen := make(chan error, 4)
		h := func(ctx *RequestCtx) {
			if string(ctx.Path()) == "/fast" {
				seen <- ctx.Err()
				select {
				case <-ctx.Done():
					seen <- errors.New("Done closed for a live request")
				default:
				}
				return
			}
			select {
			case <-ctx.Done():
				seen <- ctx.Err()
			case <-time.After(srvWait):
				seen <- errors.New("not cancelled")
			}
		}
		var wrapped RequestHandler
		want := StatusRequestTimeout
		if code == 0 {
			wrapped = TimeoutHandler(h, 30*time.Millisecond, "late")
		} else {
			wrapped = TimeoutWithCodeHandler(h, 30*time.Millisecond, "late", code)
			want = code
		}
		addr := srvStart(t, &Server{Handler: wrapped}, "127.0.0.1")
		c := srvDial(t, addr)
		br := bufio.NewReader(c)
		for _, path := range []string{"/fast", "/slow", "/fast"} {
			io.WriteString(c, "GET "+path+" HTTP/1.1\r\nHost: x\r\n\r\n")
			resp, _ := srvReadResponse(t, br, "GET")
			err := srvRecv(t, seen, "the handler's report")
			switch {
			case path == "/fast" && (resp.StatusCode != 200 || err != nil):
				t.Fatalf("%s: status %d, Err %v", path, resp.StatusCode, err)
			case path == "/slow" && (resp.StatusCode != want || err != context.DeadlineExceeded):
				t.Fatalf("%s: status %d, Err %v; want %d, DeadlineExceeded", path, resp.StatusCode, err, want)
			}
		}
		select {
		case err := <-seen:
			t.Fatalf("unexpected report: %v", err)
		default:
		}
	}

	// Shutdown reaches a wrapped handler too.
	seen := make(chan error, 1)
	started := make(chan struct{})
	s := &Server{Handler: TimeoutHandler(func(ctx *RequestCtx) {
		close(started)
		select {
		case <-ctx.Done():
			seen <- ctx.Err()
		case <-time.After(srvWait):
			seen <- errors.New("not cancelled")
		}
	}, srvWait, "late")}
	ln := srvListen(t, "127.0.0.1")
	go s.Serve(ln)
	c := srvDial(t, ln.Addr().String())
	io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	srvRecv(t, started, "the request")
	go s.Shutdown()
	if err := srvRecv(t, seen, "the handler's report"); err != context.Canceled {
		t.Fatalf("Err on shutdown: %v", err)
	}
}
