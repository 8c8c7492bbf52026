package fasthttp

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// ---------------------------------------------------------------- helpers

// testServer is a Server on a loopback listener of its own, counting the
// connections it accepted.
type testServer struct {
	s       *Server
	ln      net.Listener
	addr    string
	accepts atomic.Int32
}

// clientCountingListener counts accepted connections.
type clientCountingListener struct {
	net.Listener
	n *atomic.Int32
}

func (l clientCountingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err == nil {
		l.n.Add(1)
	}
	return c, err
}

// startServer serves h on 127.0.0.1 and stops at the end of the test.
func startServer(t testing.TB, h RequestHandler) *testServer {
	t.Helper()
	return startServerOn(t, "tcp4", "127.0.0.1:0", &Server{Handler: h})
}

func startServerOn(t testing.TB, network, addr string, s *Server) *testServer {
	t.Helper()
	ln, err := net.Listen(network, addr)
	if err != nil {
		t.Skipf("cannot listen on %s %s: %v", network, addr, err)
	}
	ts := &testServer{s: s, addr: ln.Addr().String()}
	ts.ln = clientCountingListener{Listener: ln, n: &ts.accepts}
	go func() { _ = s.Serve(ts.ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = s.ShutdownWithContext(ctx)
	})
	return ts
}

// rawServer accepts connections on 127.0.0.1 and hands each to serve in a
// goroutine of its own; it records how many it accepted.
type rawServer struct {
	addr    string
	accepts atomic.Int32
}

func startRawServer(t testing.TB, serve func(c net.Conn)) *rawServer {
	t.Helper()
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	rs := &rawServer{addr: ln.Addr().String()}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			rs.accepts.Add(1)
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				serve(c)
			}()
		}
	}()
	t.Cleanup(func() {
		_ = ln.Close()
		mu.Lock()
		for _, c := range conns {
			_ = c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	return rs
}

// refusedAddr is an address where nothing listens: port 1 is never handed
// out to a test's listener, unlike a port just closed.
const refusedAddr = "127.0.0.1:1"

// readRequestHead reads one request header from br and returns it raw.
func readRequestHead(br *bufio.Reader) (string, error) {
	var sb strings.Builder
	for {
		line, err := br.ReadString('\n')
		sb.WriteString(line)
		if err != nil {
			return sb.String(), err
		}
		if line == "\r\n" {
			return sb.String(), nil
		}
	}
}

// serveCanned answers every request on c with resp, reading request heads
// only (requests must have no body).
func serveCanned(resp string) func(c net.Conn) {
	return serveHeads(func(string) string { return resp })
}

// serveHeads answers every request on c with what answer returns for its
// head, reading request heads only (requests must have no body).
func serveHeads(answer func(head string) string) func(c net.Conn) {
	return func(c net.Conn) {
		br := bufio.NewReader(c)
		for {
			head, err := readRequestHead(br)
			if err != nil {
				return
			}
			if _, err := io.WriteString(c, answer(head)); err != nil {
				return
			}
		}
	}
}

func doGet(t testing.TB, c interface {
	Do(*Request, *Response) error
}, url string) (*Response, error) {
	t.Helper()
	req := AcquireRequest()
	defer ReleaseRequest(req)
	resp := &Response{}
	req.SetRequestURI(url)
	err := c.Do(req, resp)
	return resp, err
}

// ---------------------------------------------------------------- basics

func TestClientGetPostDo(t *testing.T) {
	t.Parallel()
	ts := startServer(t, func(ctx *RequestCtx) {
		switch string(ctx.Path()) {
		case "/get":
			fmt.Fprintf(ctx, "get %s q=%s", ctx.Method(), ctx.QueryArgs().Peek("q"))
		case "/post":
			fmt.Fprintf(ctx, "post %s ct=%s k=%s", ctx.Method(), ctx.Request.Header.ContentType(), ctx.PostArgs().Peek("k"))
		case "/echo":
			ctx.SetStatusCode(StatusCreated)
			ctx.Response.Header.Set("X-Method", string(ctx.Method()))
			ctx.SetBody(ctx.PostBody())
		}
	})
	base := "http://" + ts.addr
	var c Client

	code, body, err := c.Get([]byte("junk"), base+"/get?q=1")
	if err != nil || code != 200 || string(body) != "get GET q=1" {
		t.Fatalf("Get: %d %q %v", code, body, err)
	}

	args := AcquireArgs()
	defer ReleaseArgs(args)
	args.Set("k", "v w&x")
	code, body, err = c.Post(nil, base+"/post", args)
	if err != nil || code != 200 || string(body) != "post POST ct=application/x-www-form-urlencoded k=v w&x" {
		t.Fatalf("Post: %d %q %v", code, body, err)
	}

	req := AcquireRequest()
	resp := AcquireResponse()
	defer ReleaseRequest(req)
	defer ReleaseResponse(resp)
	req.Header.SetMethod(MethodPut)
	req.SetRequestURI(base + "/echo")
	req.SetBodyString("payload")
	if err := c.Do(req, resp); err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode() != StatusCreated || string(resp.Body()) != "payload" || string(resp.Header.Peek("X-Method")) != "PUT" {
		t.Fatalf("Do: %d %q %q", resp.StatusCode(), resp.Body(), resp.Header.Peek("X-Method"))
	}
	if resp.RemoteAddr() == nil || resp.RemoteAddr().String() != ts.addr {
		t.Fatalf("RemoteAddr %v, want %s", resp.RemoteAddr(), ts.addr)
	}

	// The package-level functions use a shared default client.
	code, body, err = Get(nil, base+"/get?q=2")
	if err != nil || code != 200 || string(body) != "get GET q=2" {
		t.Fatalf("package Get: %d %q %v", code, body, err)
	}
}

func TestClientIPv6Loopback(t *testing.T) {
	t.Parallel()
	ts := startServerOn(t, "tcp6", "[::1]:0", &Server{Handler: func(ctx *RequestCtx) {
		ctx.SetBodyString(ctx.RemoteIP().String())
	}})
	url := "http://" + ts.addr + "/"
	// The built-in dialer speaks IPv4 only unless told otherwise.
	if _, _, err := (&Client{}).Get(nil, url); err == nil {
		t.Fatal("IPv4-only dialer reached an IPv6 address")
	}
	c := &Client{DialDualStack: true}
	code, body, err := c.Get(nil, url)
	if err != nil || code != 200 || string(body) != "::1" {
		t.Fatalf("got %d %q %v", code, body, err)
	}
}

func TestClientKeepAliveReuse(t *testing.T) {
	t.Parallel()
	ts := startServer(t, func(ctx *RequestCtx) { ctx.SetBodyString("ok") })
	hc := &HostClient{Addr: ts.addr}
	for i := 0; i < 20; i++ {
		resp, err := doGet(t, hc, "http://"+ts.addr+"/")
		if err != nil || string(resp.Body()) != "ok" {
			t.Fatalf("request %d: %v", i, err)
		}
	}
	if n := ts.accepts.Load(); n != 1 {
		t.Fatalf("server accepted %d connections for 20 sequential requests, want 1", n)
	}
	if hc.ConnsCount() != 1 || hc.IdleConnsCount() != 1 {
		t.Fatalf("conns %d idle %d, want 1 and 1", hc.ConnsCount(), hc.IdleConnsCount())
	}
	if hc.LastUseTime().IsZero() || time.Since(hc.LastUseTime()) > time.Minute {
		t.Fatalf("LastUseTime %v", hc.LastUseTime())
	}
}

func TestClientUserAgent(t *testing.T) {
	t.Parallel()
	ts := startServer(t, func(ctx *RequestCtx) {
		ctx.SetBody(ctx.Request.Header.UserAgent())
	})
	url := "http://" + ts.addr + "/"
	cases := []struct {
		c    *Client
		set  string
		want string
	}{
		{&Client{}, "", "fasthttp"},
		{&Client{Name: "probe/1.0"}, "", "probe/1.0"},
		{&Client{NoDefaultUserAgentHeader: true}, "", ""},
		{&Client{Name: "ignored"}, "mine", "mine"},
	}
	for i, tc := range cases {
		req := AcquireRequest()
		resp := AcquireResponse()
		req.SetRequestURI(url)
		if tc.set != "" {
			req.Header.SetUserAgent(tc.set)
		}
		if err := tc.c.Do(req, resp); err != nil {
			t.Fatal(err)
		}
		if got := string(resp.Body()); got != tc.want {
			t.Errorf("case %d: User-Agent %q, want %q", i, got, tc.want)
		}
		ReleaseRequest(req)
		ReleaseResponse(resp)
	}
}

func TestClientResponsesWithoutBody(t *testing.T) {
	t.Parallel()
	ts := startServer(t, func(ctx *RequestCtx) {
		switch string(ctx.Path()) {
		case "/204":
			ctx.SetStatusCode(StatusNoContent)
		case "/304":
			ctx.SetStatusCode(StatusNotModified)
		default:
			ctx.SetBodyString(strings.Repeat("x", 100))
		}
	})
	hc := &HostClient{Addr: ts.addr}
	for _, tc := range []struct {
		method, path string
		code         int
	}{
		{MethodHead, "/", 200}, {MethodGet, "/204", 204}, {MethodGet, "/304", 304}, {MethodGet, "/", 200},
	} {
		req := AcquireRequest()
		resp := AcquireResponse()
		req.Header.SetMethod(tc.method)
		req.SetRequestURI("http://" + ts.addr + tc.path)
		if err := hc.DoTimeout(req, resp, 2*time.Second); err != nil {
			t.Fatalf("%s %s: %v", tc.method, tc.path, err)
		}
		wantBody := 0
		if tc.method == MethodGet && tc.code == 200 {
			wantBody = 100
		}
		if resp.StatusCode() != tc.code || len(resp.Body()) != wantBody {
			t.Fatalf("%s %s: %d with %d body bytes", tc.method, tc.path, resp.StatusCode(), len(resp.Body()))
		}
		if tc.method == MethodHead && resp.Header.ContentLength() != 100 {
			t.Fatalf("HEAD Content-Length %d, want 100", resp.Header.ContentLength())
		}
		ReleaseRequest(req)
		ReleaseResponse(resp)
	}
	// None of those left a body on the wire, so one connection served all.
	if n := ts.accepts.Load(); n != 1 {
		t.Fatalf("%d connections, want 1", n)
	}
}

// switchingServer answers its first request with 101 Switching Protocols
// followed by early bytes of the new protocol, and every later one with
// 200. closed gets a value each time a client closes a connection.
func switchingServer(t *testing.T, early string) (rs *rawServer, closed chan struct{}) {
	closed = make(chan struct{}, 16)
	var served atomic.Int32
	rs = startRawServer(t, func(c net.Conn) {
		br := bufio.NewReader(c)
		for {
			if _, err := readRequestHead(br); err != nil {
				closed <- struct{}{}
				return
			}
			resp := "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
			if served.Add(1) == 1 {
				resp = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n" + early
			}
			if _, err := io.WriteString(c, resp); err != nil {
				return
			}
		}
	})
	return rs, closed
}

func TestClientSwitchingProtocolsClosesConnection(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		c    interface {
			Do(*Request, *Response) error
		}
		stream bool
	}{
		{"HostClient", nil, false},
		{"HostClient streaming", nil, true},
		{"PipelineClient", nil, false},
	} {
		for _, early := range []string{"", "\x81\x05hello"} {
			rs, closed := switchingServer(t, early)
			name := fmt.Sprintf("%s, early bytes %q", tc.name, early)
			switch {
			case strings.HasPrefix(tc.name, "Pipeline"):
				tc.c = &PipelineClient{Addr: rs.addr, Logger: quietLogger}
			default:
				tc.c = &HostClient{Addr: rs.addr, StreamResponseBody: tc.stream}
			}
			for i, want := range []int{StatusSwitchingProtocols, StatusOK} {
				req := AcquireRequest()
				resp := AcquireResponse()
				req.SetRequestURI("http://" + rs.addr + "/")
				req.Header.Set(HeaderConnection, "Upgrade")
				req.Header.Set("Upgrade", "websocket")
				if err := tc.c.Do(req, resp); err != nil {
					t.Fatalf("%s, request %d: %v", name, i, err)
				}
				if resp.StatusCode() != want || (want == StatusOK && string(resp.Body()) != "ok") {
					t.Fatalf("%s, request %d: %d %q", name, i, resp.StatusCode(), resp.Body())
				}
				if want == StatusSwitchingProtocols {
					// The connection now speaks another protocol: the client
					// must close it rather than send another request on it.
					select {
					case <-closed:
					case <-time.After(5 * time.Second):
						t.Fatalf("%s: connection not closed after 101", name)
					}
					if hc, ok := tc.c.(*HostClient); ok && hc.ConnsCount() != 0 {
						t.Fatalf("%s: %d connections kept", name, hc.ConnsCount())
					}
				}
				ReleaseRequest(req)
				ReleaseResponse(resp)
			}
			if n := rs.accepts.Load(); n != 2 {
				t.Fatalf("%s: %d connections, want a new one after the 101", name, n)
			}
		}
	}
}

func TestClientResponseFraming(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, resp string
		body       string
		trailer    string
		reused     bool
	}{
		{"length", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", "hello", "", true},
		{"chunked+trailer", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-Sum\r\n\r\n" +
			"3\r\nhel\r\n2;ext=1\r\nlo\r\n0\r\nX-Sum: 42\r\n\r\n", "hello", "42", true},
		{"informational", "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n" +
			"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", "ok", "", true},
		{"close-delimited", "HTTP/1.1 200 OK\r\n\r\nuntil the end", "until the end", "", false},
		{"http10", "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok", "ok", "", false},
		{"connection-close", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok", "ok", "", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rs := startRawServer(t, func(c net.Conn) {
				br := bufio.NewReader(c)
				for {
					if _, err := readRequestHead(br); err != nil {
						return
					}
					_, _ = io.WriteString(c, tc.resp)
					if !tc.reused {
						return
					}
				}
			})
			hc := &HostClient{Addr: rs.addr, ReadTimeout: 2 * time.Second}
			for i := 0; i < 2; i++ {
				resp, err := doGet(t, hc, "http://"+rs.addr+"/")
				if err != nil {
					t.Fatalf("request %d: %v", i, err)
				}
				if string(resp.Body()) != tc.body {
					t.Fatalf("body %q, want %q", resp.Body(), tc.body)
				}
				if got := string(resp.Header.Peek("X-Sum")); got != tc.trailer {
					t.Fatalf("trailer %q, want %q", got, tc.trailer)
				}
			}
			want := int32(2)
			if tc.reused {
				want = 1
			}
			if n := rs.accepts.Load(); n != want {
				t.Fatalf("%d connections, want %d", n, want)
			}
		})
	}
}

func TestClientBadResponses(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, resp string
		headerErr  bool
	}{
		{"garbage", "garbage\r\n\r\n", true},
		{"bad-status", "HTTP/1.1 2x0 OK\r\n\r\n", true},
		{"bad-field", "HTTP/1.1 200 OK\r\nBad Field: x\r\nContent-Length: 0\r\n\r\n", true},
		{"partial-header", "HTTP/1.1 200 OK\r\nContent-Len", true},
		{"short-body", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", false},
		{"bad-chunk", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rs := startRawServer(t, func(c net.Conn) {
				br := bufio.NewReader(c)
				if _, err := readRequestHead(br); err != nil {
					return
				}
				_, _ = io.WriteString(c, tc.resp)
			})
			hc := &HostClient{Addr: rs.addr, ReadTimeout: 2 * time.Second}
			_, err := doGet(t, hc, "http://"+rs.addr+"/")
			if err == nil {
				t.Fatal("bad response accepted")
			}
			if got := errors.Is(err, ErrReadingResponseHeaders); got != tc.headerErr {
				t.Fatalf("errors.Is(%v, ErrReadingResponseHeaders) = %v", err, got)
			}
			if strings.Contains(err.Error(), "garbage") {
				t.Fatalf("error echoes response bytes: %v", err)
			}
			if hc.ConnsCount() != 0 {
				t.Fatalf("broken connection kept: %d", hc.ConnsCount())
			}
		})
	}
}

func TestClientBadTrailer(t *testing.T) {
	t.Parallel()
	rs := startRawServer(t, func(c net.Conn) {
		if _, err := readRequestHead(bufio.NewReader(c)); err != nil {
			return
		}
		_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n0\r\nbad trailer\r\n\r\n")
	})
	_, err := doGet(t, &HostClient{Addr: rs.addr}, "http://"+rs.addr+"/")
	if !errors.Is(err, ErrReadingResponseTrailer) {
		t.Fatalf("got %v, want ErrReadingResponseTrailer", err)
	}
}

func TestClientMaxResponseBodySize(t *testing.T) {
	t.Parallel()
	big := strings.Repeat("b", 1000)
	ts := startServer(t, func(ctx *RequestCtx) {
		switch string(ctx.Path()) {
		case "/small":
			ctx.SetBodyString("small")
		case "/chunked":
			ctx.SetBodyStreamWriter(func(w *bufio.Writer) {
				for i := 0; i < 10; i++ {
					_, _ = w.WriteString(big[:100])
					_ = w.Flush()
				}
			})
		default:
			ctx.SetBodyString(big)
		}
	})
	hc := &HostClient{Addr: ts.addr, MaxResponseBodySize: 500}
	for _, path := range []string{"/big", "/chunked"} {
		if _, err := doGet(t, hc, "http://"+ts.addr+path); !errors.Is(err, ErrBodyTooLarge) {
			t.Fatalf("%s: got %v, want ErrBodyTooLarge", path, err)
		}
	}
	resp, err := doGet(t, hc, "http://"+ts.addr+"/small")
	if err != nil || string(resp.Body()) != "small" {
		t.Fatalf("small body: %q %v", resp.Body(), err)
	}

	// The same limit for a body framed by closing the connection.
	rs := startRawServer(t, func(c net.Conn) {
		if _, err := readRequestHead(bufio.NewReader(c)); err != nil {
			return
		}
		_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\n\r\n"+big)
	})
	hc2 := &HostClient{Addr: rs.addr, MaxResponseBodySize: 500}
	if _, err := doGet(t, hc2, "http://"+rs.addr+"/"); !errors.Is(err, ErrBodyTooLarge) {
		t.Fatalf("close-delimited: got %v, want ErrBodyTooLarge", err)
	}
}

func TestClientStreamResponseBody(t *testing.T) {
	t.Parallel()
	const size = 256 << 10
	payload := bytes.Repeat([]byte("0123456789abcdef"), size/16)
	ts := startServer(t, func(ctx *RequestCtx) {
		if string(ctx.Path()) == "/chunked" {
			ctx.SetBodyStreamWriter(func(w *bufio.Writer) {
				for i := 0; i < len(payload); i += 10000 {
					_, _ = w.Write(payload[i:min(i+10000, len(payload))])
					_ = w.Flush()
				}
			})
			return
		}
		ctx.SetBody(payload)
	})
	c := &Client{StreamResponseBody: true}
	for _, path := range []string{"/fixed", "/chunked"} {
		req := AcquireRequest()
		resp := AcquireResponse()
		req.SetRequestURI("http://" + ts.addr + path)
		if err := c.Do(req, resp); err != nil {
			t.Fatal(err)
		}
		stream := resp.BodyStream()
		if stream == nil {
			t.Fatalf("%s: no body stream", path)
		}
		got, err := io.ReadAll(stream)
		if err != nil || !bytes.Equal(got, payload) {
			t.Fatalf("%s: read %d bytes, err %v", path, len(got), err)
		}
		ReleaseResponse(resp)
		ReleaseRequest(req)
	}
	// Both streams were read to the end, so the connection was reused.
	if n := ts.accepts.Load(); n != 1 {
		t.Fatalf("%d connections, want 1", n)
	}

	// A stream closed half-way closes its connection: the rest of the body
	// is still on it.
	req := AcquireRequest()
	resp := AcquireResponse()
	req.SetRequestURI("http://" + ts.addr + "/fixed")
	if err := c.Do(req, resp); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 100)
	if _, err := io.ReadFull(resp.BodyStream(), buf); err != nil {
		t.Fatal(err)
	}
	if err := resp.CloseBodyStream(); err != nil {
		t.Fatal(err)
	}
	if c.ConnsCount() != 0 {
		t.Fatalf("half-read connection kept: %d conns", c.ConnsCount())
	}
	ReleaseResponse(resp)
	// The next request works on a fresh connection.
	resp, err := doGet(t, &Client{}, "http://"+ts.addr+"/fixed")
	if err != nil || len(resp.Body()) != size {
		t.Fatalf("after early close: %v", err)
	}

	// The size limit applies to streams too.
	limited := &Client{StreamResponseBody: true, MaxResponseBodySize: 1000}
	req.SetRequestURI("http://" + ts.addr + "/chunked")
	resp = AcquireResponse()
	if err := limited.Do(req, resp); err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(resp.BodyStream())
	if !errors.Is(err, ErrBodyTooLarge) || len(got) != 1000 {
		t.Fatalf("limited stream: %d bytes, %v", len(got), err)
	}
	ReleaseResponse(resp)
	ReleaseRequest(req)
}

// ---------------------------------------------------------------- safety

func TestClientRefusesInjection(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var received []string
	rs := startRawServer(t, serveHeads(func(head string) string {
		mu.Lock()
		received = append(received, head)
		mu.Unlock()
		return "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
	}))
	base := "http://" + rs.addr
	cases := []struct {
		name  string
		setup func(req *Request)
	}{
		{"method CRLF", func(req *Request) { req.Header.SetMethod("GET / HTTP/1.1\r\nX: y\r\n\r\nGET") }},
		{"method space", func(req *Request) { req.Header.SetMethod("GE T") }},
		{"query CRLF", func(req *Request) { req.SetRequestURI(base + "/?a=1\r\nX-Injected: 1") }},
		{"raw path CRLF", func(req *Request) {
			req.SetRequestURI(base + "/a\r\nX: 1")
			req.URI().DisablePathNormalizing = true
		}},
		{"user-agent CRLF", func(req *Request) { req.Header.SetUserAgent("ua\r\nX-Injected: 1") }},
		{"content-type CRLF", func(req *Request) {
			req.Header.SetMethod(MethodPost)
			req.Header.SetContentType("text/plain\r\nX-Injected: 1")
		}},
		{"host header CRLF", func(req *Request) {
			req.UseHostHeader = true
			req.Header.SetHost("example.com\r\nX-Injected: 1")
		}},
		{"protocol CRLF", func(req *Request) { req.Header.SetProtocol("HTTP/1.1\r\nX: 1") }},
	}
	hc := &HostClient{Addr: rs.addr}
	// Each unsafe input is either refused or sent with its control bytes
	// neutralised; in no case may a forged field line reach the server.
	for _, tc := range cases {
		req := AcquireRequest()
		resp := AcquireResponse()
		req.SetRequestURI(base + "/")
		tc.setup(req)
		_ = hc.Do(req, resp)
		ReleaseRequest(req)
		ReleaseResponse(resp)
	}
	req := AcquireRequest()
	resp := AcquireResponse()
	req.SetRequestURI(base + "/")
	req.Header.Set("X-Value", "a\r\nX-Injected: 1")
	req.Header.SetCookie("c", "d\r\nX-Injected: 1")
	if err := hc.Do(req, resp); err != nil {
		t.Fatalf("sanitized value refused: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(received) == 0 {
		t.Fatal("the sanitized request never reached the server")
	}
	for _, head := range received {
		lines := strings.Split(strings.TrimSuffix(head, "\r\n\r\n"), "\r\n")
		for _, l := range lines[1:] {
			if strings.HasPrefix(l, "X-Injected") || strings.HasPrefix(l, "X:") {
				t.Errorf("injected field reached the server: %q", head)
			}
		}
		if strings.ContainsAny(strings.ReplaceAll(head, "\r\n", ""), "\r\n\x00") {
			t.Errorf("bare CR, LF or NUL reached the server: %q", head)
		}
		if strings.Count(lines[0], " ") != 2 {
			t.Errorf("request line broken: %q", lines[0])
		}
	}
}

func TestClientUnsupportedURIs(t *testing.T) {
	t.Parallel()
	var c Client
	for _, url := range []string{"ftp://example.com/", "/relative/only"} {
		if _, err := doGet(t, &c, url); err == nil {
			t.Errorf("%s: accepted", url)
		}
	}
	if err := c.Do(nil, nil); err == nil {
		t.Error("nil request accepted")
	}
}

// ---------------------------------------------------------------- TLS

func TestClientTLSWithFasthttpServer(t *testing.T) {
	t.Parallel()
	certPEM, keyPEM, err := GenerateTestCertificate("localhost")
	if err != nil {
		t.Fatal(err)
	}
	var sni atomic.Value
	s := &Server{Handler: func(ctx *RequestCtx) {
		fmt.Fprintf(ctx, "tls=%v", ctx.IsTLS())
	}}
	if err := s.AppendCertEmbed(certPEM, keyPEM); err != nil {
		t.Fatal(err)
	}
	s.TLSConfig.GetConfigForClient = func(hello *tls.ClientHelloInfo) (*tls.Config, error) {
		sni.Store(hello.ServerName)
		return nil, nil
	}
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = s.serveTLS(ln) }()
	t.Cleanup(func() { _ = s.Shutdown() })
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	url := "https://localhost:" + port + "/"

	// Go's default roots do not know the test certificate.
	if _, _, err := (&Client{}).Get(nil, url); err == nil {
		t.Fatal("self-signed certificate accepted without being trusted")
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(certPEM) {
		t.Fatal("cannot load test certificate")
	}
	c := &Client{TLSConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}
	code, body, err := c.Get(nil, url)
	if err != nil || code != 200 || string(body) != "tls=true" {
		t.Fatalf("got %d %q %v", code, body, err)
	}
	if got, _ := sni.Load().(string); got != "localhost" {
		t.Fatalf("SNI %q, want localhost", got)
	}
	// The caller's config is cloned, not modified.
	if c.TLSConfig.ServerName != "" {
		t.Fatalf("caller's TLSConfig changed: ServerName %q", c.TLSConfig.ServerName)
	}
}

func TestClientTLSWithNetHTTPServer(t *testing.T) {
	t.Parallel()
	var sni atomic.Value
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "proto=%s host=%s", r.Proto, r.Host)
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.TLS = &tls.Config{GetConfigForClient: func(hello *tls.ClientHelloInfo) (*tls.Config, error) {
		sni.Store(hello.ServerName)
		return nil, nil
	}}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	roots := srv.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs
	addr := srv.Listener.Addr().String()

	// example.com is in httptest's certificate; a dialer maps it to the
	// test server so the name is both sent as SNI and verified.
	c := &Client{
		TLSConfig: &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12},
		Dial:      func(string) (net.Conn, error) { return net.Dial("tcp", addr) },
	}
	code, body, err := c.GetTimeout(nil, "https://example.com/x", 5*time.Second)
	if err != nil || code != 200 || string(body) != "proto=HTTP/1.1 host=example.com" {
		t.Fatalf("got %d %q %v", code, body, err)
	}
	if got, _ := sni.Load().(string); got != "example.com" {
		t.Fatalf("SNI %q, want example.com", got)
	}
	// A name the certificate does not cover is refused.
	if _, _, err := c.GetTimeout(nil, "https://other.test/", 5*time.Second); err == nil {
		t.Fatal("certificate for the wrong name accepted")
	}

	// HostClient with IsTLS.
	hc := &HostClient{Addr: addr, IsTLS: true, TLSConfig: &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}}
	resp, err := doGet(t, hc, "https://"+addr+"/")
	if err != nil || resp.StatusCode() != 200 {
		t.Fatalf("HostClient IsTLS: %v", err)
	}
}

// ---------------------------------------------------------------- net/http peer

func TestClientAgainstNetHTTPServer(t *testing.T) {
	t.Parallel()
	var conns atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/stream":
			for i := 0; i < 5; i++ {
				fmt.Fprintf(w, "part%d;", i)
				w.(http.Flusher).Flush()
			}
		case "/echo":
			b, _ := io.ReadAll(r.Body)
			w.Header().Set("X-Len", fmt.Sprint(len(b)))
			w.Write(b)
		default:
			w.Header().Set("lower-case", "v")
			io.WriteString(w, r.Method+" "+r.URL.RequestURI())
		}
	}))
	srv.Config.ConnState = func(c net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	base := srv.URL

	var c Client
	code, body, err := c.Get(nil, base+"/a/b?x=1")
	if err != nil || code != 200 || string(body) != "GET /a/b?x=1" {
		t.Fatalf("get: %d %q %v", code, body, err)
	}
	code, body, err = c.Get(nil, base+"/stream")
	if err != nil || string(body) != "part0;part1;part2;part3;part4;" {
		t.Fatalf("chunked: %d %q %v", code, body, err)
	}
	req := AcquireRequest()
	resp := AcquireResponse()
	req.Header.SetMethod(MethodPost)
	req.SetRequestURI(base + "/echo")
	req.SetBodyStream(strings.NewReader(strings.Repeat("z", 100000)), -1)
	if err := c.Do(req, resp); err != nil {
		t.Fatal(err)
	}
	if string(resp.Header.Peek("X-Len")) != "100000" || len(resp.Body()) != 100000 {
		t.Fatalf("chunked upload: %q %d", resp.Header.Peek("X-Len"), len(resp.Body()))
	}
	if n := conns.Load(); n != 1 {
		t.Fatalf("%d connections to net/http, want 1", n)
	}

	// Header names as sent when normalizing is off.
	raw := &Client{DisableHeaderNamesNormalizing: true}
	req.Reset()
	req.SetRequestURI(base + "/")
	resp.Reset()
	if err := raw.Do(req, resp); err != nil {
		t.Fatal(err)
	}
	found := false
	for k := range resp.Header.All() {
		if string(k) == "Lower-Case" {
			found = true // net/http canonicalizes what it sends
		}
	}
	if !found {
		t.Fatalf("header names: %q", resp.Header.Header())
	}
}

func TestClientConcurrentRequests(t *testing.T) {
	t.Parallel()
	ts := startServer(t, func(ctx *RequestCtx) { ctx.SetBody(ctx.Path()) })
	c := &Client{MaxConnsPerHost: 8, MaxConnWaitTimeout: 5 * time.Second}
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			req := AcquireRequest()
			resp := AcquireResponse()
			defer ReleaseRequest(req)
			defer ReleaseResponse(resp)
			for i := 0; i < 50; i++ {
				path := fmt.Sprintf("/g%d/%d", g, i)
				req.SetRequestURI("http://" + ts.addr + path)
				if err := c.DoTimeout(req, resp, 5*time.Second); err != nil {
					errs <- err
					return
				}
				if string(resp.Body()) != path {
					errs <- fmt.Errorf("got %q for %s", resp.Body(), path)
					return
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if n := c.ConnsCount(); n > 8 {
		t.Fatalf("%d connections, cap is 8", n)
	}
}

func TestClientSkipBody(t *testing.T) {
	t.Parallel()
	// The body follows the header after a pause, so it is not yet
	// buffered when the header has been read.
	rs := startRawServer(t, func(c net.Conn) {
		br := bufio.NewReader(c)
		for {
			head, err := readRequestHead(br)
			if err != nil {
				return
			}
			path := strings.Fields(head)[1]
			fmt.Fprintf(c, "HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n", len(path))
			time.Sleep(20 * time.Millisecond)
			_, _ = io.WriteString(c, path)
		}
	})
	hc := &HostClient{Addr: rs.addr}
	req := AcquireRequest()
	resp := AcquireResponse()
	req.SetRequestURI("http://" + rs.addr + "/skipped")
	resp.SkipBody = true
	if err := hc.Do(req, resp); err != nil || len(resp.Body()) != 0 {
		t.Fatalf("SkipBody: %q %v", resp.Body(), err)
	}
	// The unread body must not be taken for the next response.
	resp.SkipBody = false
	req.SetRequestURI("http://" + rs.addr + "/next")
	if err := hc.Do(req, resp); err != nil || string(resp.Body()) != "/next" {
		t.Fatalf("next: %q %v", resp.Body(), err)
	}
}

func TestClientFailureLeavesNoStaleResponse(t *testing.T) {
	t.Parallel()
	ts := startServer(t, func(ctx *RequestCtx) {
		ctx.SetStatusCode(StatusAccepted)
		ctx.SetBodyString("first")
	})
	var c Client
	req := AcquireRequest()
	resp := AcquireResponse()
	req.SetRequestURI("http://" + ts.addr + "/")
	if err := c.Do(req, resp); err != nil || resp.StatusCode() != StatusAccepted {
		t.Fatal(err)
	}
	req.SetRequestURI("http://" + refusedAddr + "/")
	if err := c.Do(req, resp); err == nil {
		t.Fatal("dial to a closed port succeeded")
	}
	if resp.StatusCode() == StatusAccepted || len(resp.Body()) != 0 {
		t.Fatalf("failed call left the previous response: %d %q", resp.StatusCode(), resp.Body())
	}
}

func TestClientFailedDoLeavesNoStaleTarget(t *testing.T) {
	// The client builds the request target once per attempt; a call that
	// fails before writing must not leave it behind for a later Write of
	// the same request with another URI.
	hc := &HostClient{Addr: "example.com:80", Dial: func(string) (net.Conn, error) {
		return nil, errors.New("no network")
	}}
	req := AcquireRequest()
	defer ReleaseRequest(req)
	resp := AcquireResponse()
	defer ReleaseResponse(resp)
	req.SetRequestURI("http://example.com/first?a=1")
	if err := hc.Do(req, resp); err == nil {
		t.Fatal("Do succeeded without a network")
	}
	req.URI().SetPath("/second")
	var b bytes.Buffer
	w := bufio.NewWriter(&b)
	if err := req.Write(w); err != nil {
		t.Fatal(err)
	}
	w.Flush()
	if !strings.HasPrefix(b.String(), "GET /second?a=1 HTTP/1.1\r\n") {
		t.Fatalf("wrote %q", b.String())
	}
}
