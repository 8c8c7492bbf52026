package websocket

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/valyala/fasthttp"
)

// startServer serves Accept(opts, handler) on a fresh 127.0.0.1 port and
// returns its address. acceptErr, when non-nil, receives Accept's errors.
func startServer(t testing.TB, opts *AcceptOptions, handler func(*Conn)) string {
	t.Helper()
	return startServerWith(t, &fasthttp.Server{}, opts, handler)
}

func startServerWith(t testing.TB, s *fasthttp.Server, opts *AcceptOptions, handler func(*Conn)) string {
	t.Helper()
	ln := listenT(t)
	s.Handler = func(ctx *fasthttp.RequestCtx) {
		_ = Accept(ctx, opts, handler)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = s.Serve(ln)
	}()
	t.Cleanup(func() {
		_ = ln.Close()
		<-done
	})
	return ln.Addr().String()
}

// listenT listens on a fresh 127.0.0.1 port, closed when the test ends.
func listenT(t testing.TB) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	return ln
}

// echo is a handler that sends every message back.
func echo(c *Conn) {
	ctx := c.Context()
	for {
		typ, msg, err := c.Read(ctx)
		if err != nil || c.Write(ctx, typ, msg) != nil {
			return
		}
	}
}

func dialT(t testing.TB, addr string, opts *DialOptions) *Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, err := Dial(ctx, "ws://"+addr+"/", opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.CloseNow() })
	return c
}

func testCtx(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

const handshakeKey = "dGhlIHNhbXBsZSBub25jZQ=="

// rawHandshake sends a handshake request with extra header lines (each
// ending in \r\n) and returns the response head and a reader positioned
// after it.
func rawHandshake(t testing.TB, addr, extra string) (net.Conn, *bufio.Reader, string) {
	t.Helper()
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = nc.Close() })
	_ = nc.SetDeadline(time.Now().Add(10 * time.Second))
	req := "GET / HTTP/1.1\r\nHost: " + addr + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Key: " + handshakeKey + "\r\nSec-WebSocket-Version: 13\r\n" + extra + "\r\n"
	if _, err := io.WriteString(nc, req); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(nc)
	var head strings.Builder
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			t.Fatalf("reading response: %v (so far %q)", err, head.String())
		}
		head.WriteString(line)
		if line == "\r\n" {
			break
		}
	}
	return nc, br, head.String()
}

// readCloseFrame reads frames from a raw server connection until a close
// frame and returns its code and reason (StatusNoStatusReceived when it
// has none).
func readCloseFrame(t testing.TB, br *bufio.Reader) (StatusCode, string) {
	t.Helper()
	for {
		op, p, err := readRawFrame(br)
		if err != nil {
			t.Fatalf("reading frames: %v", err)
		}
		if op == opClose {
			if len(p) < 2 {
				return StatusNoStatusReceived, ""
			}
			return StatusCode(int(p[0])<<8 | int(p[1])), string(p[2:])
		}
	}
}

// readRawFrame reads one frame (unmasking it if needed).
func readRawFrame(br *bufio.Reader) (opcode, []byte, error) {
	var b [maxHeaderSize]byte
	if _, err := io.ReadFull(br, b[:2]); err != nil {
		return 0, nil, err
	}
	n := headerLen(b[1])
	if _, err := io.ReadFull(br, b[2:n]); err != nil {
		return 0, nil, err
	}
	h, bad := parseHeader(b[:n])
	if bad != "" {
		return 0, nil, io.ErrUnexpectedEOF
	}
	p := make([]byte, h.length)
	if _, err := io.ReadFull(br, p); err != nil {
		return 0, nil, err
	}
	if h.masked {
		maskBytes(h.maskKey, 0, p)
	}
	return h.op, p, nil
}

func bufioReader(b []byte) *bufio.Reader { return bufio.NewReader(bytes.NewReader(b)) }
