package fasthttp

import (
	"bufio"
	"io"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestHijackKeepsBufferedBytes(t *testing.T) {
	t.Parallel()
	var states sync.Map
	var stateLog []ConnState
	var mu sync.Mutex
	s := &Server{
		ConnState: func(c net.Conn, st ConnState) {
			mu.Lock()
			stateLog = append(stateLog, st)
			mu.Unlock()
			states.Store(c, st)
		},
		Handler: func(ctx *RequestCtx) {
			if !ctx.Hijacked() {
				ctx.Hijack(func(c net.Conn) {
					// Bytes the client sent right after the request were
					// already buffered by the server: they come first.
					buf := make([]byte, 11)
					if _, err := io.ReadFull(c, buf); err != nil {
						return
					}
					c.Write([]byte("echo:" + string(buf)))
				})
			}
			if !ctx.Hijacked() {
				t.Error("Hijacked() false after Hijack")
			}
			ctx.WriteString("upgrading")
		},
	}
	addr := srvStart(t, s, "127.0.0.1")
	c := srvDial(t, addr)
	io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\nhello")
	br := bufio.NewReader(c)
	if _, body := srvReadResponse(t, br, "GET"); body != "upgrading" {
		t.Fatalf("response before the hijack: %q", body)
	}
	io.WriteString(c, " world")
	b, err := io.ReadAll(br)
	if err != nil || string(b) != "echo:hello world" {
		t.Fatalf("after hijack: %q %v (the connection must close when the handler returns)", b, err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(stateLog) != 3 || stateLog[2] != StateHijacked {
		t.Fatalf("states %v: Hijacked must be the last one reported", stateLog)
	}
	srvEventually(t, "the hijacked connection to leave the open count", func() bool { return s.GetOpenConnectionsCount() == 0 })
}

func TestHijackSetNoResponse(t *testing.T) {
	t.Parallel()
	addr := srvStart(t, &Server{Handler: func(ctx *RequestCtx) {
		ctx.HijackSetNoResponse(true)
		ctx.Hijack(func(c net.Conn) { c.Write([]byte("raw protocol")) })
	}}, "127.0.0.1")
	if got := srvRaw(t, addr, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"); got != "raw protocol" {
		t.Fatalf("got %q", got)
	}
}

func TestHijackKeepHijackedConns(t *testing.T) {
	t.Parallel()
	conns := make(chan net.Conn, 1)
	addr := srvStart(t, &Server{KeepHijackedConns: true, Handler: func(ctx *RequestCtx) {
		ctx.Hijack(func(c net.Conn) { conns <- c })
	}}, "127.0.0.1")
	c := srvDial(t, addr)
	io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	br := bufio.NewReader(c)
	srvReadResponse(t, br, "GET")
	hc := srvRecv(t, conns, "the hijack handler")
	// The handler returned; the connection is still the user's to use.
	time.Sleep(20 * time.Millisecond)
	if _, err := hc.Write([]byte("still open")); err != nil {
		t.Fatalf("kept connection closed: %v", err)
	}
	b := make([]byte, 10)
	if _, err := io.ReadFull(br, b); err != nil || string(b) != "still open" {
		t.Fatalf("%q %v", b, err)
	}
	hc.Close()
	srvExpectClosed(t, c, br)
}

func TestHijackHandlerPanicRecovered(t *testing.T) {
	t.Parallel()
	log := &srvLog{}
	addr := srvStart(t, &Server{Logger: log, Handler: func(ctx *RequestCtx) {
		ctx.Hijack(func(c net.Conn) { panic("hijack boom") })
	}}, "127.0.0.1")
	got := srvRaw(t, addr, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	if !strings.HasPrefix(got, "HTTP/1.1 200 OK") {
		t.Fatalf("got %q", got)
	}
	srvEventually(t, "the panic to be logged", func() bool { return log.count("hijack boom") == 1 })
}

func TestHijackDeadlinesCleared(t *testing.T) {
	t.Parallel()
	var readErr atomic.Value
	addr := srvStart(t, &Server{ReadTimeout: 100 * time.Millisecond, WriteTimeout: 100 * time.Millisecond, Handler: func(ctx *RequestCtx) {
		ctx.Hijack(func(c net.Conn) {
			// The HTTP timeouts must not cut the new protocol short.
			b := make([]byte, 4)
			_, err := io.ReadFull(c, b)
			readErr.Store(errString(err))
			c.Write(b)
		})
	}}, "127.0.0.1")
	c := srvDial(t, addr)
	io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	br := bufio.NewReader(c)
	srvReadResponse(t, br, "GET")
	time.Sleep(300 * time.Millisecond)
	io.WriteString(c, "late")
	b, _ := io.ReadAll(br)
	if string(b) != "late" {
		t.Fatalf("got %q, read error %v", b, readErr.Load())
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
