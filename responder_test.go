package fasthttp

import (
	"bufio"
	"context"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

// recordingResponder is a protocol that is not HTTP/1: it records what
// RequestCtx asks of it.
type recordingResponder struct {
	mu      sync.Mutex
	interim []string
	readDL  time.Time
	writeDL time.Time
}

func (r *recordingResponder) writeInterim(status int, key string, values [][]byte) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	line := AppendUint(nil, status)
	for _, v := range values {
		line = append(line, ' ')
		line = append(line, key...)
		line = append(line, '=')
		line = append(line, v...)
	}
	r.interim = append(r.interim, string(line))
	return nil
}

func (r *recordingResponder) setReadDeadline(t time.Time) error  { r.readDL = t; return nil }
func (r *recordingResponder) setWriteDeadline(t time.Time) error { r.writeDL = t; return nil }

// TestRequestCtxWithoutHTTP1 drives a RequestCtx through the
// protocol-neutral steps with a responder that is not an HTTP/1
// connection: nothing reaches a wire but through the responder.
func TestRequestCtxWithoutHTTP1(t *testing.T) {
	t.Parallel()
	s := &Server{Name: "seam", Handler: func(ctx *RequestCtx) {
		ctx.Response.Header.Add(HeaderLink, "</a.css>; rel=preload")
		if err := ctx.EarlyHints(); err != nil {
			t.Errorf("EarlyHints: %v", err)
		}
		dl := time.Now().Add(time.Minute)
		if ctx.SetReadDeadline(dl) != nil || ctx.SetWriteDeadline(dl) != nil {
			t.Error("deadlines")
		}
		ctx.WriteString("body")
	}}
	s.init()
	transport := &watchedConn{fakeAddrConn: fakeAddrConn{raddr: zeroTCPAddr, laddr: zeroTCPAddr}}
	rec := &recordingResponder{}
	ctx := s.acquireCtx(transport, 7, time.Now())
	ctx.rw = rec
	br := bufio.NewReader(strings.NewReader("POST /up HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n"))
	if err := ctx.Request.Header.Read(br); err != nil {
		t.Fatal(err)
	}
	if err := s.checkBodyAllowed(&ctx.Request.Header, 10); err != nil {
		t.Fatalf("checkBodyAllowed: %v", err)
	}
	if err := s.checkBodyAllowed(&ctx.Request.Header, 2); err != ErrBodyTooLarge {
		t.Fatalf("over the limit: %v", err)
	}
	if got := s.expectOutcome(ctx, ctx.Request.Header.Peek(HeaderExpect)); got != StatusContinue {
		t.Fatalf("expectOutcome = %d, want 100", got)
	}
	s.callHandler(ctx)
	if len(rec.interim) != 1 || rec.interim[0] != "103 Link=</a.css>; rel=preload" {
		t.Fatalf("interim responses %q", rec.interim)
	}
	if rec.readDL.IsZero() || rec.writeDL.IsZero() {
		t.Fatal("the deadlines did not reach the responder")
	}
	if transport.wrote {
		t.Fatal("RequestCtx wrote to its transport itself")
	}
	s.applyResponseDefaults(&ctx.Response, false)
	if string(ctx.Response.Header.Server()) != "seam" || string(ctx.Response.Body()) != "body" {
		t.Fatalf("defaults: server %q body %q", ctx.Response.Header.Server(), ctx.Response.Body())
	}

	// Once detached (a timed-out handler), the handler's calls go nowhere.
	ctx.detachWire()
	ctx.Response.Header.Add(HeaderLink, "</b.js>")
	if err := ctx.EarlyHints(); err != nil || len(rec.interim) != 1 {
		t.Fatalf("EarlyHints after detach: %v, %q", err, rec.interim)
	}
	rec.readDL = time.Time{}
	if err := ctx.SetReadDeadline(time.Now()); err != nil || !rec.readDL.IsZero() {
		t.Fatalf("SetReadDeadline after detach: %v", err)
	}
	ctx.detachWire() // twice is fine
}

// TestTimedOutHandlerCannotWriteToTheConnection: a handler that keeps
// sending Early Hints and moving deadlines after TimeoutHandler gave up on
// it must not put a byte on the connection, which serves the next request
// meanwhile.
func TestTimedOutHandlerCannotWriteToTheConnection(t *testing.T) {
	t.Parallel()
	stop := make(chan struct{})
	stopped := make(chan struct{})
	var once sync.Once
	h := func(ctx *RequestCtx) {
		if string(ctx.Path()) != "/slow" {
			ctx.WriteString("next")
			return
		}
		ctx.Response.Header.Add(HeaderLink, "</late.css>")
		defer close(stopped)
		select {
		case <-ctx.Done():
		case <-time.After(srvWait):
			t.Error("the handler's context was not cancelled")
			return
		}
		if ctx.Err() != context.DeadlineExceeded {
			t.Errorf("Err after the timeout: %v", ctx.Err())
		}
		for {
			select {
			case <-stop:
				return
			default:
			}
			_ = ctx.EarlyHints()
			_ = ctx.SetReadDeadline(time.Now().Add(-time.Second))
			_ = ctx.SetWriteDeadline(time.Now().Add(-time.Second))
			time.Sleep(time.Millisecond)
		}
	}
	addr := srvStart(t, &Server{Handler: TimeoutHandler(h, 30*time.Millisecond, "gave up")}, "127.0.0.1")
	c := srvDial(t, addr)
	defer once.Do(func() { close(stop) })
	br := bufio.NewReader(c)
	io.WriteString(c, "GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
	var resp Response
	if err := resp.Read(br); err != nil {
		t.Fatalf("reading: %v", err)
	}
	if resp.StatusCode() != StatusRequestTimeout || string(resp.Body()) != "gave up" {
		t.Fatalf("got %d %q", resp.StatusCode(), resp.Body())
	}
	// The connection serves the next requests with nothing in between,
	// and the deadlines the late handler set did not reach it.
	for i := 0; i < 5; i++ {
		time.Sleep(20 * time.Millisecond)
		io.WriteString(c, "GET /next HTTP/1.1\r\nHost: x\r\n\r\n")
		if err := resp.Read(br); err != nil {
			t.Fatalf("request %d after the timeout: %v", i, err)
		}
		if resp.StatusCode() != StatusOK || string(resp.Body()) != "next" {
			t.Fatalf("request %d after the timeout: %d %q", i, resp.StatusCode(), resp.Body())
		}
	}
	once.Do(func() { close(stop) })
	<-stopped
	_ = c.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
	if n, err := br.Read(make([]byte, 1)); n != 0 || !srvIsTimeout(err) {
		t.Fatalf("stray bytes after the late handler stopped: %d %v", n, err)
	}
}

// watchedConn is a transport that notes whether anything wrote to it.
type watchedConn struct {
	fakeAddrConn
	wrote bool
}

func (c *watchedConn) Write(p []byte) (int, error) {
	c.wrote = true
	return len(p), nil
}

var _ net.Conn = (*watchedConn)(nil)
