package websocket

import (
	"bytes"
	"context"
	"errors"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/valyala/fasthttp"
)

func TestReadContextCancelClosesConn(t *testing.T) {
	t.Parallel()
	serverErr := make(chan error, 1)
	addr := startServer(t, nil, func(c *Conn) {
		_, _, err := c.Read(context.Background())
		serverErr <- err
	})
	c := dialT(t, addr, nil)
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		time.Sleep(20 * time.Millisecond) // let Read block first; correctness does not depend on it
		cancel()
	}()
	if _, _, err := c.Read(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Read with cancelled ctx: %v", err)
	}
	if _, _, err := c.Read(context.Background()); !errors.Is(err, context.Canceled) {
		t.Fatalf("later Read: %v, want the sticky context.Canceled", err)
	}
	if err := c.Write(context.Background(), MessageText, []byte("x")); !errors.Is(err, context.Canceled) {
		t.Fatalf("later Write: %v", err)
	}
	if c.Context().Err() == nil {
		t.Fatal("Conn.Context not cancelled")
	}
	if err := <-serverErr; CloseStatus(err) != StatusAbnormalClosure {
		t.Fatalf("server saw %v, want an abnormal closure", err)
	}
}

func TestReadDeadlineContext(t *testing.T) {
	t.Parallel()
	addr := startServer(t, nil, func(c *Conn) { _, _, _ = c.Read(c.Context()) })
	c := dialT(t, addr, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, _, err := c.Read(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Fatalf("Read returned after %v", d)
	}
}

func TestWriteCancelledContext(t *testing.T) {
	t.Parallel()
	addr := startServer(t, nil, echo)
	c := dialT(t, addr, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := c.Write(ctx, MessageText, []byte("x")); !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v", err)
	}
	if _, _, err := c.Read(context.Background()); !errors.Is(err, context.Canceled) {
		t.Fatalf("Read after cancelled Write: %v", err)
	}
}

func TestReadTimeoutOption(t *testing.T) {
	t.Parallel()
	serverErr := make(chan error, 1)
	addr := startServer(t, &AcceptOptions{ReadTimeout: 50 * time.Millisecond}, func(c *Conn) {
		_, _, err := c.Read(context.Background())
		serverErr <- err
	})
	c := dialT(t, addr, nil)
	err := <-serverErr
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("server Read: %v, want a timeout", err)
	}
	if _, _, err := c.Read(testCtx(t)); CloseStatus(err) != StatusAbnormalClosure {
		t.Fatalf("client: %v", err)
	}
}

func TestCloseHandshake(t *testing.T) {
	t.Parallel()
	type result struct {
		err     error
		elapsed time.Duration
		after   error
	}
	res := make(chan result, 1)
	addr := startServer(t, nil, func(c *Conn) {
		_, _, _ = c.Read(c.Context())
		start := time.Now()
		err := c.Close(context.Background(), StatusGoingAway, "bye now")
		_, _, after := c.Read(context.Background())
		res <- result{err, time.Since(start), after}
	})
	c := dialT(t, addr, nil)
	ctx := testCtx(t)
	if err := c.Write(ctx, MessageText, []byte("hi")); err != nil {
		t.Fatal(err)
	}
	_, _, err := c.Read(ctx)
	var ce CloseError
	if !errors.As(err, &ce) || ce.Code != StatusGoingAway || ce.Reason != "bye now" {
		t.Fatalf("client Read: %v", err)
	}
	r := <-res
	if r.err != nil || r.elapsed > 2*time.Second {
		t.Fatalf("server Close: %v after %v", r.err, r.elapsed)
	}
	if CloseStatus(r.after) != StatusGoingAway {
		t.Fatalf("server Read after Close: %v", r.after)
	}
	if err := c.Write(ctx, MessageText, []byte("x")); CloseStatus(err) != StatusGoingAway {
		t.Fatalf("client Write after close: %v", err)
	}
	if err := c.Close(ctx, StatusNormalClosure, ""); err != nil {
		t.Fatalf("Close of a closed conn: %v", err)
	}
}

func TestCloseWithConcurrentReader(t *testing.T) {
	t.Parallel()
	addr := startServer(t, nil, echo)
	c := dialT(t, addr, nil)
	readErr := make(chan error, 1)
	go func() {
		_, _, err := c.Read(context.Background())
		readErr <- err
	}()
	start := time.Now()
	if err := c.Close(testCtx(t), StatusNormalClosure, "done"); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("Close took %v", d)
	}
	if err := <-readErr; CloseStatus(err) != StatusNormalClosure {
		t.Fatalf("concurrent Read: %v", err)
	}
}

func TestCloseSilentPeerDeadline(t *testing.T) {
	t.Parallel()
	hold := make(chan struct{})
	addr := startServer(t, nil, func(c *Conn) { <-hold }) // never reads: never answers the close
	defer close(hold)
	c := dialT(t, addr, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	if err := c.Close(ctx, StatusNormalClosure, ""); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Fatalf("Close waited %v", d)
	}
	if _, _, err := c.Read(context.Background()); err == nil {
		t.Fatal("Read after Close succeeded")
	}
}

func TestCloseValidation(t *testing.T) {
	t.Parallel()
	addr := startServer(t, nil, echo)
	c := dialT(t, addr, nil)
	ctx := testCtx(t)
	for _, tc := range []struct {
		code   StatusCode
		reason string
	}{{StatusNoStatusReceived, ""}, {StatusAbnormalClosure, ""}, {StatusTLSHandshake, ""}, {999, ""}, {5000, ""},
		{StatusNormalClosure, strings.Repeat("r", 124)}, {StatusNormalClosure, "\xff"}} {
		if err := c.Close(ctx, tc.code, tc.reason); err == nil {
			t.Errorf("Close(%d, %q) accepted", tc.code, tc.reason)
		}
	}
	// The connection is still usable.
	if err := c.Write(ctx, MessageText, []byte("still open")); err != nil {
		t.Fatal(err)
	}
	if _, m, err := c.Read(ctx); err != nil || string(m) != "still open" {
		t.Fatalf("%q %v", m, err)
	}
}

func TestHandlerReturnCloses(t *testing.T) {
	t.Parallel()
	addr := startServer(t, nil, func(c *Conn) {
		_ = c.Write(c.Context(), MessageText, []byte("bye"))
	})
	c := dialT(t, addr, nil)
	ctx := testCtx(t)
	if _, m, err := c.Read(ctx); err != nil || string(m) != "bye" {
		t.Fatalf("%q %v", m, err)
	}
	if _, _, err := c.Read(ctx); CloseStatus(err) != StatusNormalClosure {
		t.Fatalf("after handler returned: %v", err)
	}
}

func TestMaxMessageSize(t *testing.T) {
	t.Parallel()
	serverErr := make(chan error, 1)
	addr := startServer(t, &AcceptOptions{MaxMessageSize: 100}, func(c *Conn) {
		for {
			if _, _, err := c.Read(c.Context()); err != nil {
				serverErr <- err
				return
			}
		}
	})
	c := dialT(t, addr, nil)
	ctx := testCtx(t)
	if err := c.Write(ctx, MessageBinary, make([]byte, 100)); err != nil {
		t.Fatal(err)
	}
	// Fragments count together.
	w, _ := c.Writer(ctx, MessageBinary)
	_, _ = w.Write(make([]byte, 60))
	_ = w.Close()
	if err := c.Write(ctx, MessageBinary, make([]byte, 101)); err != nil {
		t.Fatal(err)
	}
	// The client reads (and so answers the close frame) while the server
	// fails the connection.
	if _, _, err := c.Read(ctx); CloseStatus(err) != StatusMessageTooBig {
		t.Fatalf("client: %v", err)
	}
	if err := <-serverErr; CloseStatus(err) != StatusMessageTooBig {
		t.Fatalf("server: %v", err)
	}
}

func TestMaxMessageSizeBeforeBuffering(t *testing.T) {
	t.Parallel()
	serverErr := make(chan error, 1)
	addr := startServer(t, &AcceptOptions{MaxMessageSize: 1 << 10}, func(c *Conn) {
		_, _, err := c.Read(c.Context())
		serverErr <- err
	})
	nc, br, head := rawHandshake(t, addr, "")
	if !strings.HasPrefix(head, "HTTP/1.1 101") {
		t.Fatal(head)
	}
	// A header declaring 1 GiB, and no payload: the server must refuse on
	// the header alone.
	hdr := make([]byte, maxHeaderSize)
	n := putHeader(hdr, true, false, opBinary, 1<<30, true, [4]byte{1, 2, 3, 4})
	if _, err := nc.Write(hdr[:n]); err != nil {
		t.Fatal(err)
	}
	code, _ := readCloseFrame(t, br)
	if code != StatusMessageTooBig {
		t.Fatalf("close code %d", code)
	}
	// Answer the close frame, as a client should.
	if _, err := nc.Write(maskedFrame(0x88, []byte{0x03, 0xf1})); err != nil {
		t.Fatal(err)
	}
	if err := <-serverErr; CloseStatus(err) != StatusMessageTooBig {
		t.Fatalf("server: %v", err)
	}
}

func TestPingPong(t *testing.T) {
	t.Parallel()
	addr := startServer(t, nil, echo)
	c := dialT(t, addr, nil)
	go func() {
		for {
			if _, _, err := c.Read(context.Background()); err != nil {
				return
			}
		}
	}()
	ctx := testCtx(t)
	var wg sync.WaitGroup
	for i := 0; i < 10; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := c.Ping(ctx); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	// Without a reader on this side, Ping times out but the conn lives.
	addr2 := startServer(t, nil, echo)
	c2 := dialT(t, addr2, nil)
	short, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := c2.Ping(short); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Ping without reader: %v", err)
	}
	if err := c2.Write(ctx, MessageText, []byte("alive")); err != nil {
		t.Fatal(err)
	}
	if _, m, err := c2.Read(ctx); err != nil || string(m) != "alive" {
		t.Fatalf("%q %v", m, err)
	}
}

func TestCloseRead(t *testing.T) {
	t.Parallel()
	addr := startServer(t, nil, func(c *Conn) {
		c.CloseRead(c.Context())
		for i := 0; ; i++ {
			if err := c.Write(c.Context(), MessageText, []byte("tick "+strconv.Itoa(i))); err != nil {
				return
			}
			select {
			case <-c.Context().Done():
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	})
	c := dialT(t, addr, nil)
	ctx := testCtx(t)
	if _, m, err := c.Read(ctx); err != nil || !strings.HasPrefix(string(m), "tick") {
		t.Fatalf("%q %v", m, err)
	}
	// Pings are answered by CloseRead's reader.
	go func() {
		for {
			if _, _, err := c.Read(context.Background()); err != nil {
				return
			}
		}
	}()
	if err := c.Ping(ctx); err != nil {
		t.Fatal(err)
	}
	if err := c.Write(ctx, MessageText, []byte("unexpected")); err != nil {
		t.Fatal(err)
	}
	select {
	case <-c.Context().Done():
	case <-ctx.Done():
		t.Fatal("connection not closed after a data message to CloseRead")
	}
	if _, _, err := c.Read(ctx); CloseStatus(err) != StatusPolicyViolation {
		t.Fatalf("got %v", err)
	}
}

func TestWriteChecks(t *testing.T) {
	t.Parallel()
	addr := startServer(t, nil, echo)
	c := dialT(t, addr, nil)
	ctx := testCtx(t)
	for _, typ := range []MessageType{0, 3, 9} {
		if err := c.Write(ctx, typ, nil); err == nil {
			t.Errorf("Write type %d accepted", typ)
		}
		if _, err := c.Writer(ctx, typ); err == nil {
			t.Errorf("Writer type %d accepted", typ)
		}
	}
	if err := c.Write(ctx, MessageText, []byte{0xff, 0xfe}); err == nil {
		t.Fatal("invalid UTF-8 text written")
	}
	w, _ := c.Writer(ctx, MessageText)
	_, _ = w.Write([]byte("ok"))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if _, err := w.Write([]byte("x")); err == nil {
		t.Fatal("Write after Close accepted")
	}
	if _, m, err := c.Read(ctx); err != nil || string(m) != "ok" {
		t.Fatalf("%q %v", m, err)
	}
}

func TestConcurrentWriters(t *testing.T) {
	t.Parallel()
	addr := startServer(t, &AcceptOptions{MaxMessageSize: -1}, echo)
	c := dialT(t, addr, &DialOptions{MaxMessageSize: -1})
	ctx := testCtx(t)
	const writers, each = 8, 20
	var wg sync.WaitGroup
	for g := 0; g < writers; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				tag := strconv.Itoa(g) + "/" + strconv.Itoa(i) + "/"
				msg := []byte(tag + strings.Repeat(tag, 3000*(i%3)))
				if i%2 == 0 {
					if err := c.Write(ctx, MessageText, msg); err != nil {
						t.Error(err)
						return
					}
					continue
				}
				w, err := c.Writer(ctx, MessageText)
				if err != nil {
					t.Error(err)
					return
				}
				for len(msg) > 0 {
					k := min(len(msg), 1000)
					_, _ = w.Write(msg[:k])
					msg = msg[k:]
				}
				_ = w.Close()
			}
		}()
	}
	go func() {
		for i := 0; i < 5; i++ {
			_ = c.Ping(ctx)
		}
	}()
	for n := 0; n < writers*each; n++ {
		_, m, err := c.Read(ctx)
		if err != nil {
			t.Fatal(err)
		}
		tag, _, _ := bytes.Cut(m, []byte("/"))
		_ = tag
		parts := strings.SplitN(string(m), "/", 3)
		prefix := parts[0] + "/" + parts[1] + "/"
		if strings.ReplaceAll(string(m), prefix, "") != "" {
			t.Fatalf("message interleaved: %.80q", m)
		}
	}
	wg.Wait()
}

func TestDialOptions(t *testing.T) {
	t.Parallel()
	got := make(chan string, 1)
	ln := listenT(t)
	s := &fasthttp.Server{Handler: func(ctx *fasthttp.RequestCtx) {
		if string(ctx.Path()) == "/refuse" {
			ctx.Error("go away", fasthttp.StatusForbidden)
			return
		}
		got <- string(ctx.Request.Header.Peek("X-Token")) + " " + string(ctx.Host()) + " " + string(ctx.RequestURI())
		_ = Accept(ctx, &AcceptOptions{Subprotocols: []string{"v2", "v1"}, CheckOrigin: func(*fasthttp.RequestCtx) bool { return true }}, echo)
	}}
	go func() { _ = s.Serve(ln) }()
	t.Cleanup(func() { _ = ln.Close() })
	addr := ln.Addr().String()
	ctx := testCtx(t)

	var h fasthttp.RequestHeader
	h.Set("X-Token", "secret")
	h.Set("Host", "virtual.example")
	var resp fasthttp.Response
	c, err := Dial(ctx, "ws://"+addr+"/path?q=1", &DialOptions{Header: &h, Response: &resp, Subprotocols: []string{"v1", "v2"}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseNow()
	if g := <-got; g != "secret virtual.example /path?q=1" {
		t.Fatalf("server saw %q", g)
	}
	if c.Subprotocol() != "v2" || resp.StatusCode() != 101 || string(resp.Header.Peek("Sec-WebSocket-Protocol")) != "v2" {
		t.Fatalf("subprotocol %q, response %d %q", c.Subprotocol(), resp.StatusCode(), resp.Header.Peek("Sec-WebSocket-Protocol"))
	}

	_, err = Dial(ctx, "ws://"+addr+"/refuse", &DialOptions{Response: &resp})
	if err == nil || resp.StatusCode() != 403 || string(resp.Body()) != "go away" {
		t.Fatalf("refusal: %v, %d %q", err, resp.StatusCode(), resp.Body())
	}
	var bad fasthttp.RequestHeader
	bad.Set("Sec-WebSocket-Protocol", "x")
	if _, err := Dial(ctx, "ws://"+addr+"/", &DialOptions{Header: &bad}); err == nil {
		t.Fatal("Header with Sec-WebSocket-Protocol accepted")
	}
	for _, u := range []string{"ftp://" + addr + "/", "ws:///nohost"} {
		if _, err := Dial(ctx, u, nil); err == nil {
			t.Errorf("Dial(%q) succeeded", u)
		}
	}
}

func TestDialBadAccept(t *testing.T) {
	t.Parallel()
	ln := listenT(t)
	go func() {
		for {
			nc, err := ln.Accept()
			if err != nil {
				return
			}
			buf := make([]byte, 4096)
			_, _ = nc.Read(buf)
			_, _ = nc.Write([]byte("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: xxx\r\n\r\n"))
			_ = nc.Close()
		}
	}()
	if _, err := Dial(testCtx(t), "ws://"+ln.Addr().String()+"/", nil); !errors.Is(err, errBadAccept) {
		t.Fatalf("got %v", err)
	}
}

func TestDialContextBoundsHandshake(t *testing.T) {
	t.Parallel()
	ln := listenT(t)
	hold := make(chan struct{})
	defer close(hold)
	go func() {
		nc, err := ln.Accept()
		if err == nil {
			<-hold
			nc.Close()
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := Dial(ctx, "ws://"+ln.Addr().String()+"/", nil); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v", err)
	}
}

// TestIPv6 runs a handshake and an echo over [::1], with a same-origin
// Origin naming the bracketed address.
func TestIPv6(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "[::1]:0")
	if err != nil {
		t.Skip("no IPv6 loopback:", err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	s := &fasthttp.Server{Handler: func(ctx *fasthttp.RequestCtx) { _ = Accept(ctx, nil, echo) }}
	go func() { _ = s.Serve(ln) }()
	addr := ln.Addr().String()
	var h fasthttp.RequestHeader
	h.Set("Origin", "https://"+addr)
	ctx := testCtx(t)
	c, err := Dial(ctx, "ws://"+addr+"/v6", &DialOptions{Header: &h})
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseNow()
	if err := c.Write(ctx, MessageText, []byte("over ipv6")); err != nil {
		t.Fatal(err)
	}
	if _, m, err := c.Read(ctx); err != nil || string(m) != "over ipv6" {
		t.Fatalf("%q %v", m, err)
	}
}

// TestCloseUnblocksStuckWrite: a peer that never reads leaves a large Write
// blocked; Close still returns within its deadline, and the Write fails.
func TestCloseUnblocksStuckWrite(t *testing.T) {
	t.Parallel()
	hold := make(chan struct{})
	defer close(hold)
	addr := startServer(t, nil, func(c *Conn) { <-hold })
	c := dialT(t, addr, nil)
	writeErr := make(chan error, 1)
	go func() {
		big := make([]byte, 64<<20) // more than the socket buffers hold
		writeErr <- c.Write(context.Background(), MessageBinary, big)
	}()
	time.Sleep(50 * time.Millisecond) // let the Write fill the buffers; the result does not depend on it
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	closed := make(chan struct{})
	go func() {
		_ = c.Close(ctx, StatusNormalClosure, "")
		close(closed)
	}()
	select {
	case <-closed:
	case <-time.After(5 * time.Second):
		_ = c.CloseNow()
		t.Fatal("Close blocked behind the stuck Write")
	}
	select {
	case err := <-writeErr:
		if err == nil {
			t.Fatal("the stuck Write succeeded")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the stuck Write is still blocked")
	}
}
