package fasthttp

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

// Shutdown and connections that have not finished sending a request
// header: what v1.79.0 does (a connection still sending its first
// request's header is closed after a grace instead of holding Shutdown
// forever), and what this module adds (the same for a later request, and
// a short grace for bytes on their way).

// srvClosedWithin reads c until it closes and reports what arrived and
// when.
func srvClosedWithin(t *testing.T, c net.Conn) (string, time.Time) {
	t.Helper()
	_ = c.SetReadDeadline(time.Now().Add(3 * shutdownHeaderGrace))
	b, err := io.ReadAll(c)
	if err != nil {
		t.Fatalf("the connection did not close: %v (got %q)", err, b)
	}
	return string(b), time.Now()
}

func TestShutdownGraceForRequestHeaders(t *testing.T) {
	t.Parallel()
	s := &Server{Handler: func(ctx *RequestCtx) { ctx.WriteString("served") }}
	addr, errc := srvServeRaw(t, s)

	// A keep-alive connection after one request, then a partial second
	// header; a connection that sends nothing; one whose first header is
	// half sent and never finished; one whose first header is finished
	// during the grace.
	later := srvDial(t, addr)
	io.WriteString(later, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	laterBr := bufio.NewReader(later)
	srvReadResponse(t, laterBr, "GET")
	io.WriteString(later, "GET / HTTP/1.1\r\nHo")
	silent := srvDial(t, addr)
	stuck := srvDial(t, addr)
	stuckOpened := time.Now()
	io.WriteString(stuck, "GET / HTTP/1.1\r\nHo")
	finishing := srvDial(t, addr)
	io.WriteString(finishing, "GET / HTTP/1.1\r\nHo")
	srvEventually(t, "4 open connections", func() bool { return s.GetOpenConnectionsCount() == 4 })

	start := time.Now()
	shutdownDone := make(chan error, 1)
	go func() { shutdownDone <- s.Shutdown() }()
	srvRecv(t, errc, "Serve to return")

	// Nothing of a request on the silent one: closed after the short
	// grace for bytes on their way.
	if got, at := srvClosedWithin(t, silent); got != "" || at.Sub(start) > shutdownWaitGrace+2*time.Second {
		t.Fatalf("silent connection: %q, closed after %v", got, at.Sub(start))
	}
	// Finishing the header during the grace gets the request served, on a
	// connection that then closes.
	io.WriteString(finishing, "st: x\r\n\r\n")
	br := bufio.NewReader(finishing)
	if resp, body := srvReadResponse(t, br, "GET"); body != "served" || !resp.Close {
		t.Fatalf("header finished during the grace: %q close=%v", body, resp.Close)
	}
	srvExpectClosed(t, finishing, br)
	// A header never finished: 408 once the connection is
	// shutdownHeaderGrace old, not before.
	got, at := srvClosedWithin(t, stuck)
	if !strings.HasPrefix(got, "HTTP/1.1 408 ") {
		t.Fatalf("stuck first header: %q", got)
	}
	if age := at.Sub(stuckOpened); age < shutdownHeaderGrace-500*time.Millisecond || age > shutdownHeaderGrace+3*time.Second {
		t.Fatalf("stuck first header closed when the connection was %v old", age)
	}
	// The later request's header had the same grace from Shutdown.
	if got, _ := srvClosedWithin(t, later); !strings.HasPrefix(got, "HTTP/1.1 408 ") {
		t.Fatalf("stuck later header: %q", got)
	}
	if err := srvRecv(t, shutdownDone, "Shutdown"); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	if n := s.GetOpenConnectionsCount(); n != 0 {
		t.Fatalf("%d connections open after Shutdown", n)
	}
}

// TestShutdownGraceKeepsReadTimeout: the grace never lengthens a shorter
// ReadTimeout.
func TestShutdownGraceKeepsReadTimeout(t *testing.T) {
	t.Parallel()
	const rt = 600 * time.Millisecond
	s := &Server{ReadTimeout: rt, Handler: func(ctx *RequestCtx) {}}
	addr, errc := srvServeRaw(t, s)
	c := srvDial(t, addr)
	opened := time.Now()
	io.WriteString(c, "GET / HTTP/1.1\r\nHo")
	srvEventually(t, "the connection open", func() bool { return s.GetOpenConnectionsCount() == 1 })
	go s.Shutdown()
	srvRecv(t, errc, "Serve to return")
	got, at := srvClosedWithin(t, c)
	if !strings.HasPrefix(got, "HTTP/1.1 408 ") || at.Sub(opened) > rt+2*time.Second {
		t.Fatalf("%q after %v with ReadTimeout %v", got, at.Sub(opened), rt)
	}
}

// TestShutdownWithContextRequestJustSent: a request sent just before
// Shutdown, not yet read by the server, is served; ShutdownWithContext
// then gives up with the context's error while it is in flight, and the
// request still completes.
func TestShutdownWithContextRequestJustSent(t *testing.T) {
	t.Parallel()
	entered := make(chan struct{})
	proceed := make(chan struct{})
	accepted := make(chan struct{})
	var once sync.Once
	s := &Server{
		ConnState: func(_ net.Conn, st ConnState) {
			if st == StateNew {
				once.Do(func() { close(accepted) })
			}
		},
		Handler: func(ctx *RequestCtx) {
			close(entered)
			<-proceed
			ctx.WriteString("done")
		},
	}
	addr, errc := srvServeRaw(t, s)
	c := srvDial(t, addr)
	srvRecv(t, accepted, "the accept")
	io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	if err := s.ShutdownWithContext(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("ShutdownWithContext with a request in flight: %v", err)
	}
	srvRecv(t, entered, "the handler")
	srvRecv(t, errc, "Serve to return")
	close(proceed)
	br := bufio.NewReader(c)
	if resp, body := srvReadResponse(t, br, "GET"); body != "done" || !resp.Close {
		t.Fatalf("%q close=%v", body, resp.Close)
	}
	if err := s.Shutdown(); err != nil {
		t.Fatalf("second Shutdown: %v", err)
	}

	// With no connection open, an expired context is no error.
	s2 := &Server{Handler: func(ctx *RequestCtx) {}}
	_, errc2 := srvServeRaw(t, s2)
	expired, cancel2 := context.WithTimeout(context.Background(), time.Nanosecond)
	defer cancel2()
	<-expired.Done()
	if err := s2.ShutdownWithContext(expired); err != nil {
		t.Fatalf("expired context, no connection: %v", err)
	}
	srvRecv(t, errc2, "Serve to return")
}
