package fasthttp

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// srvServeRaw serves s on a fresh loopback port without the cleanup of
// srvServe: the test shuts the server down itself.
func srvServeRaw(t *testing.T, s *Server) (string, <-chan error) {
	ln := srvListen(t, "127.0.0.1")
	errc := make(chan error, 1)
	go func() { errc <- s.Serve(ln) }()
	return ln.Addr().String(), errc
}

func TestShutdownFinishesInFlightRequests(t *testing.T) {
	t.Parallel()
	entered := make(chan struct{})
	proceed := make(chan struct{})
	var sawDone, sawErr atomic.Value
	s := &Server{Handler: func(ctx *RequestCtx) {
		if string(ctx.Path()) != "/slow" {
			return
		}
		close(entered)
		<-proceed
		select {
		case <-ctx.Done():
			sawDone.Store(true)
		case <-time.After(srvWait):
			sawDone.Store(false)
		}
		sawErr.Store(fmt.Sprint(ctx.Err()))
		ctx.WriteString("finished")
	}}
	addr, errc := srvServeRaw(t, s)

	busy := srvDial(t, addr)
	io.WriteString(busy, "GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
	idle := srvHeldConn(t, addr)
	silent := srvDial(t, addr) // connected, never sends
	srvRecv(t, entered, "the slow handler")
	srvEventually(t, "3 open connections", func() bool { return s.GetOpenConnectionsCount() == 3 })

	shutdownDone := make(chan error, 1)
	go func() { shutdownDone <- s.Shutdown() }()

	// Serve returns at once; idle and silent connections are closed.
	if err := srvRecv(t, errc, "Serve to return"); err != nil {
		t.Fatalf("Serve returned %v", err)
	}
	srvExpectClosed(t, idle, nil)
	srvExpectClosed(t, silent, nil)
	// New connections are refused.
	if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		c.Close()
		t.Fatal("listener still open after Shutdown")
	}
	select {
	case <-shutdownDone:
		t.Fatal("Shutdown returned while a request was in flight")
	default:
	}

	close(proceed)
	br := bufio.NewReader(busy)
	resp, body := srvReadResponse(t, br, "GET")
	if body != "finished" || !resp.Close {
		t.Fatalf("in-flight response %q, close %v", body, resp.Close)
	}
	srvExpectClosed(t, busy, br)
	if err := srvRecv(t, shutdownDone, "Shutdown"); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	if sawDone.Load() != true || sawErr.Load() != "context canceled" {
		t.Fatalf("handler saw Done %v, Err %v", sawDone.Load(), sawErr.Load())
	}
	if n := s.GetOpenConnectionsCount(); n != 0 {
		t.Fatalf("%d connections open after Shutdown", n)
	}
}

func TestShutdownWithContextGivesUp(t *testing.T) {
	// Not parallel: it measures time, which the other tests would skew.
	entered := make(chan struct{})
	proceed := make(chan struct{})
	s := &Server{Handler: func(ctx *RequestCtx) {
		close(entered)
		<-proceed
		ctx.WriteString("late")
	}}
	addr, errc := srvServeRaw(t, s)
	c := srvDial(t, addr)
	io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	srvRecv(t, entered, "the handler")

	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	if err := s.ShutdownWithContext(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("ShutdownWithContext returned %v", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Fatalf("gave up after %v", d)
	}
	srvRecv(t, errc, "Serve to return")
	// The request still completes, then its connection closes.
	close(proceed)
	br := bufio.NewReader(c)
	if resp, body := srvReadResponse(t, br, "GET"); body != "late" || !resp.Close {
		t.Fatalf("%q close=%v", body, resp.Close)
	}
	srvExpectClosed(t, c, br)
	srvEventually(t, "no open connection", func() bool { return s.GetOpenConnectionsCount() == 0 })
}

func TestShutdownWakesTLSHandshakeWait(t *testing.T) {
	// Not parallel: it measures time, which the other tests would skew.
	ca := srvNewCA(t)
	certPEM, keyPEM := ca.issue(t, "localhost", false, "127.0.0.1")
	s := &Server{Handler: echoIDs}
	ln := srvListen(t, "127.0.0.1")
	errc := make(chan error, 1)
	go func() { errc <- s.ServeTLSEmbed(ln, certPEM, keyPEM) }()
	c := srvDial(t, ln.Addr().String()) // never sends a ClientHello
	srvEventually(t, "the connection to be open", func() bool { return s.GetOpenConnectionsCount() == 1 })
	start := time.Now()
	if err := s.Shutdown(); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > time.Second {
		t.Fatalf("Shutdown waited %v for a client stuck before its handshake", d)
	}
	srvExpectClosed(t, c, nil)
	srvRecv(t, errc, "ServeTLSEmbed to return")
}

func TestShutdownCloseOnShutdownHeader(t *testing.T) {
	t.Parallel()
	for _, cos := range []bool{false, true} {
		entered := make(chan struct{})
		proceed := make(chan struct{})
		s := &Server{CloseOnShutdown: cos, Handler: func(ctx *RequestCtx) {
			close(entered)
			<-proceed
		}}
		addr, errc := srvServeRaw(t, s)
		c := srvDial(t, addr)
		io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
		srvRecv(t, entered, "the handler")
		go s.Shutdown()
		srvRecv(t, errc, "Serve to return")
		close(proceed)
		b, _ := io.ReadAll(c)
		// The connection closes after this response: the client is told.
		if !strings.Contains(string(b), "\r\nConnection: close\r\n") {
			t.Fatalf("CloseOnShutdown=%v: %q", cos, b)
		}
	}
}

// TestShutdownUnderLoad runs requests from many goroutines while the
// server shuts down (meant for -race): every request either completes or
// fails cleanly, and Shutdown returns.
func TestShutdownUnderLoad(t *testing.T) {
	t.Parallel()
	s := &Server{Handler: func(ctx *RequestCtx) {
		select {
		case <-ctx.Done():
		case <-time.After(time.Millisecond):
		}
		_ = ctx.Err()
		ctx.WriteString("ok")
	}, ReduceMemoryUsage: true}
	addr, errc := srvServeRaw(t, s)
	var wg sync.WaitGroup
	var served atomic.Int32
	stop := make(chan struct{})
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				c, err := net.DialTimeout("tcp", addr, time.Second)
				if err != nil {
					return
				}
				c.SetDeadline(time.Now().Add(srvWait))
				br := bufio.NewReader(c)
				for j := 0; j < 5; j++ {
					if _, err := io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
						break
					}
					line, err := br.ReadString('\n')
					if err != nil {
						break
					}
					if !strings.HasPrefix(line, "HTTP/1.1 200") {
						t.Errorf("bad status line %q", line)
					}
					served.Add(1)
					for {
						l, err := br.ReadString('\n')
						if err != nil || l == "\r\n" {
							break
						}
					}
					br.Discard(2)
				}
				c.Close()
			}
		}()
	}
	srvEventually(t, "some traffic", func() bool { return served.Load() > 50 })
	if err := s.Shutdown(); err != nil {
		t.Fatal(err)
	}
	close(stop)
	wg.Wait()
	if err := srvRecv(t, errc, "Serve to return"); err != nil {
		t.Fatal(err)
	}
	if n := s.GetOpenConnectionsCount(); n != 0 {
		t.Fatalf("%d open after Shutdown", n)
	}
}

func TestRequestCtxDoneBeforeShutdown(t *testing.T) {
	t.Parallel()
	res := make(chan string, 1)
	addr := srvStart(t, &Server{Handler: func(ctx *RequestCtx) {
		select {
		case <-ctx.Done():
			res <- "done fired early"
		default:
			if ctx.Err() != nil {
				res <- "Err set early"
			} else {
				res <- ""
			}
		}
		if _, ok := ctx.Deadline(); ok {
			res <- "a deadline"
		}
		// RequestCtx is a context.Context.
		var _ context.Context = ctx
	}}, "127.0.0.1")
	srvRaw(t, addr, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
	if msg := srvRecv(t, res, "the handler"); msg != "" {
		t.Fatal(msg)
	}
}

func TestServeAfterShutdown(t *testing.T) {
	t.Parallel()
	s := &Server{Handler: echoIDs}
	if err := s.Shutdown(); err != nil {
		t.Fatal(err)
	}
	ln := srvListen(t, "127.0.0.1")
	if err := s.Serve(ln); err != nil {
		t.Fatalf("Serve after Shutdown returned %v", err)
	}
	if _, err := ln.Accept(); err == nil {
		t.Fatal("Serve after Shutdown left the listener open")
	}
}
