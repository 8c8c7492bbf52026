package fasthttp

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// Tests of the server's timeouts and concurrency limits.

func TestServerReadTimeoutDrippingClient(t *testing.T) {
	// Not parallel: it measures time, which the other tests would skew.
	const rt = 300 * time.Millisecond
	var closedAt atomic.Int64
	addr := srvStart(t, &Server{Handler: echoIDs, ReadTimeout: rt, ConnState: func(c net.Conn, st ConnState) {
		if st == StateClosed {
			closedAt.Store(time.Now().UnixNano())
		}
	}}, "127.0.0.1")
	// The server counts ReadTimeout from the accept, which the dial can
	// only follow.
	start := time.Now()
	c := srvDial(t, addr)
	req := "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: " + strings.Repeat("a", 100)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; i < len(req); i++ {
			if _, err := c.Write([]byte{req[i]}); err != nil {
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
	}()
	b, _ := io.ReadAll(bufio.NewReader(c))
	elapsed := time.Since(start)
	if !strings.HasPrefix(string(b), "HTTP/1.1 408 ") {
		t.Fatalf("got %q", b)
	}
	if elapsed < rt || elapsed > rt+time.Second {
		t.Fatalf("dripping client closed after %v, ReadTimeout %v", elapsed, rt)
	}
	srvRecv(t, done, "the writer")
}

func TestServerIdleTimeout(t *testing.T) {
	// Not parallel: it measures time, which the other tests would skew.
	const it = 200 * time.Millisecond
	addr := srvStart(t, &Server{Handler: echoIDs, IdleTimeout: it}, "127.0.0.1")

	// After a request, an idle keep-alive connection is closed quietly.
	c := srvDial(t, addr)
	br := bufio.NewReader(c)
	io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	srvReadResponse(t, br, "GET")
	start := time.Now()
	srvExpectClosed(t, c, br)
	if d := time.Since(start); d < it-50*time.Millisecond || d > it+time.Second {
		t.Fatalf("idle connection closed after %v, IdleTimeout %v", d, it)
	}

	// A connection that never sends anything is closed too.
	c = srvDial(t, addr)
	start = time.Now()
	srvExpectClosed(t, c, nil)
	if d := time.Since(start); d > it+time.Second {
		t.Fatalf("silent connection closed after %v", d)
	}

	// A request slower than IdleTimeout but started in time is served:
	// IdleTimeout bounds only the wait.
	c = srvDial(t, addr)
	br = bufio.NewReader(c)
	io.WriteString(c, "GET /slow HTTP/1.1\r\n")
	time.Sleep(it + 100*time.Millisecond)
	io.WriteString(c, "Host: x\r\n\r\n")
	if resp, _ := srvReadResponse(t, br, "GET"); resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
}

func TestServerWriteTimeout(t *testing.T) {
	// Not parallel: it measures time, which the other tests would skew.
	const wt = 200 * time.Millisecond
	closed := make(chan time.Time, 1)
	big := bytes.Repeat([]byte("x"), 32<<20)
	addr := srvStart(t, &Server{
		WriteTimeout: wt,
		Handler:      func(ctx *RequestCtx) { ctx.SetBody(big) },
		ConnState: func(c net.Conn, st ConnState) {
			if st == StateClosed {
				closed <- time.Now()
			}
		},
	}, "127.0.0.1")
	c := srvDial(t, addr)
	// The client asks and never reads: the server's write must give up.
	start := time.Now()
	io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	select {
	case at := <-closed:
		if d := at.Sub(start); d > wt+2*time.Second {
			t.Fatalf("stuck write ended after %v, WriteTimeout %v", d, wt)
		}
	case <-time.After(srvWait):
		t.Fatal("a client that does not read kept the connection past WriteTimeout")
	}
}

func TestServerHeaderReceived(t *testing.T) {
	t.Parallel()
	addr := srvStart(t, &Server{
		MaxRequestBodySize: 4,
		HeaderReceived: func(h *RequestHeader) RequestConfig {
			if string(h.RequestURI()) == "/upload" {
				return RequestConfig{MaxRequestBodySize: 1 << 20, ReadTimeout: time.Second, WriteTimeout: time.Second}
			}
			return RequestConfig{}
		},
		Handler: func(ctx *RequestCtx) { ctx.SetBodyString(strconv.Itoa(len(ctx.PostBody()))) },
	}, "127.0.0.1")
	body := strings.Repeat("z", 1000)
	got := srvRaw(t, addr, "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n"+body+
		"POST /other HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n"+body)
	if !strings.Contains(got, "\r\n\r\n1000HTTP/1.1 413 ") {
		t.Fatalf("per-request limit not applied: %q", got)
	}
}

func TestServerConcurrencyLimit(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	entered := make(chan struct{}, 1)
	s := &Server{Concurrency: 1, Logger: &srvLog{}, Handler: func(ctx *RequestCtx) {
		entered <- struct{}{}
		<-release
	}}
	addr := srvStart(t, s, "127.0.0.1")
	c1 := srvDial(t, addr)
	io.WriteString(c1, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	srvRecv(t, entered, "the handler")
	if n := s.GetCurrentConcurrency(); n != 1 {
		t.Fatalf("GetCurrentConcurrency = %d", n)
	}
	if n := s.GetOpenConnectionsCount(); n != 1 {
		t.Fatalf("GetOpenConnectionsCount = %d", n)
	}
	got := srvRaw(t, addr, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	if !strings.HasPrefix(got, "HTTP/1.1 503 ") || !strings.Contains(got, "Connection: close") {
		t.Fatalf("over Concurrency: %q", got)
	}
	if n := s.GetRejectedConnectionsCount(); n != 1 {
		t.Fatalf("GetRejectedConnectionsCount = %d", n)
	}
	close(release)
	if resp, _ := srvReadResponse(t, bufio.NewReader(c1), "GET"); resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	c1.Close()
	srvEventually(t, "the connection count to drop", func() bool {
		return s.GetOpenConnectionsCount() == 0 && s.GetCurrentConcurrency() == 0
	})
}

func TestServerSleepWhenConcurrencyLimitsExceeded(t *testing.T) {
	// Not parallel: it measures time, which the other tests would skew.
	const pause = 400 * time.Millisecond
	release := make(chan struct{})
	entered := make(chan struct{}, 1)
	s := &Server{Concurrency: 1, SleepWhenConcurrencyLimitsExceeded: pause, Logger: &srvLog{}, Handler: func(ctx *RequestCtx) {
		if string(ctx.Path()) == "/hold" {
			entered <- struct{}{}
			<-release
		}
	}}
	addr := srvStart(t, s, "127.0.0.1")
	c1 := srvDial(t, addr)
	io.WriteString(c1, "GET /hold HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
	srvRecv(t, entered, "the handler")
	start := time.Now()
	if got := srvRaw(t, addr, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"); !strings.HasPrefix(got, "HTTP/1.1 503 ") {
		t.Fatalf("got %q", got)
	}
	close(release)
	io.ReadAll(c1)
	// The acceptor pauses after the refusal: the next connection waits.
	got := srvRaw(t, addr, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
	if !strings.HasPrefix(got, "HTTP/1.1 200 ") {
		t.Fatalf("got %q", got)
	}
	if d := time.Since(start); d < pause-50*time.Millisecond {
		t.Fatalf("next connection served after %v, before the %v pause ended", d, pause)
	}
}

func TestServerReadTimeoutBeforeFirstByte(t *testing.T) {
	// A connection whose first request never starts gets 408 when
	// ReadTimeout runs out, through ErrorHandler when one is set, as
	// fasthttp servers (and Fiber's tests) expect. Later idle waits stay quiet.
	for _, reduce := range []bool{false, true} {
		var handlerErr atomic.Value
		s := &Server{
			Handler:           echoIDs,
			ReadTimeout:       150 * time.Millisecond,
			ReduceMemoryUsage: reduce,
		}
		addr := srvStart(t, s, "127.0.0.1")
		c := srvDial(t, addr)
		b, _ := io.ReadAll(c)
		if !strings.HasPrefix(string(b), "HTTP/1.1 408 ") || !strings.Contains(string(b), "Connection: close\r\n") {
			t.Fatalf("reduce=%v: got %q", reduce, b)
		}

		s2 := &Server{
			Handler:     echoIDs,
			ReadTimeout: 150 * time.Millisecond,
			ErrorHandler: func(ctx *RequestCtx, err error) {
				handlerErr.Store(err)
				ctx.SetStatusCode(StatusServiceUnavailable)
				ctx.SetBodyString("custom")
			},
			ReduceMemoryUsage: reduce,
		}
		addr = srvStart(t, s2, "127.0.0.1")
		c = srvDial(t, addr)
		b, _ = io.ReadAll(c)
		if !strings.HasPrefix(string(b), "HTTP/1.1 503 ") || !strings.HasSuffix(string(b), "\r\n\r\ncustom") {
			t.Fatalf("reduce=%v: got %q", reduce, b)
		}
		var ne net.Error
		if err, _ := handlerErr.Load().(error); !errors.As(err, &ne) || !ne.Timeout() {
			t.Fatalf("reduce=%v: ErrorHandler got %v, want a timeout", reduce, handlerErr.Load())
		}

		// After a request, running out of time waiting for the next one
		// closes without an answer.
		c = srvDial(t, addr)
		br := bufio.NewReader(c)
		io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
		srvReadResponse(t, br, "GET")
		if rest, _ := io.ReadAll(br); len(rest) != 0 {
			t.Fatalf("reduce=%v: idle keep-alive connection got %q", reduce, rest)
		}
	}
}

// TestCoarseDeadline: a loop deadline is never earlier than asked, at most
// a sixteenth of the timeout (capped at 1s) later, and the same for calls
// close together, so that the connection's timer is left alone.
func TestCoarseDeadline(t *testing.T) {
	t.Parallel()
	for _, d := range []time.Duration{time.Millisecond, 100 * time.Millisecond, 5 * time.Second, time.Minute} {
		step := min(max(d/16, time.Millisecond), time.Second)
		before := time.Now()
		got := coarseDeadline(d)
		after := time.Now()
		if got.Before(before.Add(d)) || got.After(after.Add(d+step)) {
			t.Fatalf("d=%v: deadline %v outside [%v, %v]", d, got, before.Add(d), after.Add(d+step))
		}
	}
	same := 0
	for i := 0; i < 100; i++ {
		if coarseDeadline(time.Minute).Equal(coarseDeadline(time.Minute)) {
			same++
		}
	}
	if same < 90 {
		t.Fatalf("only %d of 100 back-to-back deadlines were equal", same)
	}
}
