package fasthttp

import (
	"bufio"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// closingServer reads one request head per connection and closes it
// without answering.
func closingServer(t *testing.T) *rawServer {
	return startRawServer(t, func(c net.Conn) {
		_, _ = readRequestHead(bufio.NewReader(c))
	})
}

func TestClientRetriesIdempotentRequests(t *testing.T) {
	t.Parallel()
	rs := closingServer(t)
	url := "http://" + rs.addr + "/"
	cases := []struct {
		method   string
		attempts int
		want     int32
	}{
		{MethodGet, 0, DefaultMaxIdemponentCallAttempts},
		{MethodHead, 0, DefaultMaxIdemponentCallAttempts},
		{MethodPut, 2, 2},
		{MethodDelete, 3, 3},
		{MethodPost, 0, 1},
		{MethodPatch, 0, 1},
	}
	for _, tc := range cases {
		before := rs.accepts.Load()
		hc := &HostClient{Addr: rs.addr, MaxIdemponentCallAttempts: tc.attempts}
		req := AcquireRequest()
		resp := AcquireResponse()
		req.Header.SetMethod(tc.method)
		req.SetRequestURI(url)
		err := hc.Do(req, resp)
		if err != ErrConnectionClosed {
			t.Fatalf("%s: got %v, want ErrConnectionClosed", tc.method, err)
		}
		if n := rs.accepts.Load() - before; n != tc.want {
			t.Fatalf("%s: %d attempts, want %d", tc.method, n, tc.want)
		}
		ReleaseRequest(req)
		ReleaseResponse(resp)
	}
}

func TestClientRetryIfErr(t *testing.T) {
	t.Parallel()
	rs := closingServer(t)
	var seen []int
	hc := &HostClient{Addr: rs.addr, RetryIfErr: func(req *Request, attempts int, err error) (bool, bool) {
		if err != ErrConnectionClosed {
			t.Errorf("RetryIfErr got %v", err)
		}
		seen = append(seen, attempts)
		return false, attempts < 3
	}}
	req := AcquireRequest()
	resp := AcquireResponse()
	req.Header.SetMethod(MethodPost) // not idempotent, retried because RetryIfErr says so
	req.SetRequestURI("http://" + rs.addr + "/")
	req.SetBodyString("body")
	if err := hc.Do(req, resp); err != ErrConnectionClosed {
		t.Fatalf("got %v", err)
	}
	if got := rs.accepts.Load(); got != 3 || len(seen) != 3 || seen[0] != 1 || seen[2] != 3 {
		t.Fatalf("%d attempts, RetryIfErr saw %v", got, seen)
	}

	// RetryIfErrUpstream takes precedence and learns the address.
	var upstreams []string
	hc2 := &HostClient{Addr: rs.addr,
		RetryIfErr: func(*Request, int, error) (bool, bool) {
			t.Error("RetryIfErr called although RetryIfErrUpstream is set")
			return false, false
		},
		RetryIfErrUpstream: func(req *Request, attempts int, err error, upstream string) (bool, bool) {
			upstreams = append(upstreams, upstream)
			return false, attempts < 2
		}}
	if err := hc2.Do(req, resp); err != ErrConnectionClosed {
		t.Fatalf("got %v", err)
	}
	if len(upstreams) != 2 || upstreams[0] != rs.addr {
		t.Fatalf("upstreams %v, want [%s %s]", upstreams, rs.addr, rs.addr)
	}

	// The deprecated RetryIf still decides.
	before := rs.accepts.Load()
	hc3 := &HostClient{Addr: rs.addr, MaxIdemponentCallAttempts: 2, RetryIf: func(*Request) bool { return true }}
	if err := hc3.Do(req, resp); err != ErrConnectionClosed {
		t.Fatalf("got %v", err)
	}
	if n := rs.accepts.Load() - before; n != 2 {
		t.Fatalf("RetryIf: %d attempts, want 2", n)
	}
}

func TestClientRetryIfErrResetsTimeout(t *testing.T) {
	t.Parallel()
	// Each attempt fails after 60ms; with a 100ms timeout only a reset
	// lets the third attempt start.
	rs := startRawServer(t, func(c net.Conn) {
		_, _ = readRequestHead(bufio.NewReader(c))
		time.Sleep(60 * time.Millisecond)
	})
	for _, reset := range []bool{false, true} {
		var calls atomic.Int32
		hc := &HostClient{Addr: rs.addr, RetryIfErr: func(_ *Request, attempts int, _ error) (bool, bool) {
			calls.Add(1)
			return reset, attempts < 3
		}}
		req := AcquireRequest()
		resp := AcquireResponse()
		req.SetRequestURI("http://" + rs.addr + "/")
		err := hc.DoTimeout(req, resp, 100*time.Millisecond)
		if reset {
			if err != ErrConnectionClosed || calls.Load() != 3 {
				t.Fatalf("reset: %v after %d retry decisions", err, calls.Load())
			}
		} else if err != ErrTimeout {
			t.Fatalf("no reset: got %v, want ErrTimeout", err)
		}
	}
}

func TestClientStaleKeepAliveConnection(t *testing.T) {
	t.Parallel()
	// The server answers one request per connection with keep-alive and
	// then drops the connection without saying so, as servers do when
	// their idle timeout passes.
	rs := startRawServer(t, func(c net.Conn) {
		if _, err := readRequestHead(bufio.NewReader(c)); err != nil {
			return
		}
		_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
		time.Sleep(20 * time.Millisecond)
	})
	hc := &HostClient{Addr: rs.addr}
	for i := 0; i < 3; i++ {
		resp, err := doGet(t, hc, "http://"+rs.addr+"/")
		if err != nil || string(resp.Body()) != "ok" {
			t.Fatalf("request %d: %v", i, err)
		}
		time.Sleep(40 * time.Millisecond)
	}
	if n := rs.accepts.Load(); n < 3 {
		t.Fatalf("%d connections, want a new one per request", n)
	}
}

func TestClientDialErrorsAreNotRetried(t *testing.T) {
	t.Parallel()
	var dials atomic.Int32
	boom := errors.New("boom")
	hc := &HostClient{Addr: "unreachable.test:80", Dial: func(string) (net.Conn, error) {
		dials.Add(1)
		return nil, boom
	}}
	if _, err := doGet(t, hc, "http://unreachable.test/"); err != boom {
		t.Fatalf("got %v, want the dial error", err)
	}
	if dials.Load() != 1 {
		t.Fatalf("%d dials, want 1", dials.Load())
	}
	if hc.ConnsCount() != 0 {
		t.Fatal("failed dial kept its slot")
	}

	// The built-in dialer names the address.
	addr := refusedAddr
	var de *ErrDialWithUpstream
	if _, err := doGet(t, &HostClient{Addr: addr}, "http://"+addr+"/"); !errors.As(err, &de) || de.Upstream != addr {
		t.Fatalf("got %v, want ErrDialWithUpstream for %s", err, addr)
	}
	if !strings.Contains(de.Error(), addr) || de.Unwrap() == nil {
		t.Fatalf("ErrDialWithUpstream: %q, cause %v", de.Error(), de.Unwrap())
	}
}

func TestClientServerClosesMidResponse(t *testing.T) {
	t.Parallel()
	var n atomic.Int32
	rs := startRawServer(t, func(c net.Conn) {
		br := bufio.NewReader(c)
		for {
			if _, err := readRequestHead(br); err != nil {
				return
			}
			if n.Add(1) == 1 {
				// Half a body, then a reset.
				_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial")
				if tc, ok := c.(*net.TCPConn); ok {
					_ = tc.SetLinger(0)
				}
				return
			}
			_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nfull")
		}
	})
	hc := &HostClient{Addr: rs.addr}
	// The response started, so the request is not retried blindly.
	if _, err := doGet(t, hc, "http://"+rs.addr+"/"); err == nil {
		t.Fatal("truncated response accepted")
	}
	if hc.ConnsCount() != 0 {
		t.Fatal("broken connection kept")
	}
	resp, err := doGet(t, hc, "http://"+rs.addr+"/")
	if err != nil || string(resp.Body()) != "full" {
		t.Fatalf("next request: %v", err)
	}
	if n.Load() != 2 {
		t.Fatalf("%d requests reached the server, want 2", n.Load())
	}
}

func TestClientStrayBytesCloseConnection(t *testing.T) {
	t.Parallel()
	rs := startRawServer(t, serveCanned("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokEXTRA"))
	hc := &HostClient{Addr: rs.addr}
	for i := 0; i < 2; i++ {
		resp, err := doGet(t, hc, "http://"+rs.addr+"/")
		if err != nil || string(resp.Body()) != "ok" {
			t.Fatalf("request %d: %q %v", i, resp.Body(), err)
		}
	}
	// Bytes past the response mean the connection is out of step.
	if n := rs.accepts.Load(); n != 2 {
		t.Fatalf("%d connections, want 2", n)
	}
}

func TestClientBodyStreamNotRetried(t *testing.T) {
	t.Parallel()
	rs := closingServer(t)
	var reads atomic.Int32
	hc := &HostClient{Addr: rs.addr, RetryIf: func(*Request) bool { return true }}
	req := AcquireRequest()
	resp := AcquireResponse()
	req.Header.SetMethod(MethodPut)
	req.SetRequestURI("http://" + rs.addr + "/")
	req.SetBodyStream(countingReader{strings.NewReader("data"), &reads}, 4)
	if err := hc.Do(req, resp); err == nil {
		t.Fatal("no error")
	}
	if n := rs.accepts.Load(); n != 1 {
		t.Fatalf("%d attempts with a one-shot body stream, want 1", n)
	}
}

type countingReader struct {
	r io.Reader
	n *atomic.Int32
}

func (r countingReader) Read(p []byte) (int, error) {
	r.n.Add(1)
	return r.r.Read(p)
}

func TestClientCustomTransport(t *testing.T) {
	t.Parallel()
	ts := startServer(t, func(ctx *RequestCtx) { ctx.SetBody(ctx.Request.Header.Peek("X-Via")) })
	var mu sync.Mutex
	var calls int
	tr := transportFunc(func(hc *HostClient, req *Request, resp *Response) (bool, error) {
		mu.Lock()
		calls++
		mu.Unlock()
		req.Header.Set("X-Via", "wrapper")
		return DefaultTransport.RoundTrip(hc, req, resp)
	})
	c := &Client{Transport: tr}
	code, body, err := c.Get(nil, "http://"+ts.addr+"/")
	if err != nil || code != 200 || string(body) != "wrapper" || calls != 1 {
		t.Fatalf("got %d %q %v after %d calls", code, body, err, calls)
	}

	// A transport built on AcquireConn and friends.
	manual := transportFunc(func(hc *HostClient, req *Request, resp *Response) (bool, error) {
		cc, err := hc.AcquireConn(req.GetTimeOut(), false)
		if err != nil {
			return false, err
		}
		bw := hc.AcquireWriter(cc.c)
		if err := req.Write(bw); err != nil {
			hc.CloseConn(cc)
			return true, err
		}
		_ = bw.Flush()
		hc.ReleaseWriter(bw)
		br := hc.AcquireReader(cc.c)
		err = resp.Read(br)
		hc.ReleaseReader(br)
		if err != nil {
			hc.CloseConn(cc)
			return false, err
		}
		hc.ReleaseConn(cc)
		return false, nil
	})
	hc := &HostClient{Addr: ts.addr, Transport: manual}
	for i := 0; i < 3; i++ {
		req := AcquireRequest()
		resp := AcquireResponse()
		req.SetRequestURI("http://" + ts.addr + "/")
		req.Header.Set("X-Via", "manual")
		if err := hc.DoTimeout(req, resp, time.Second); err != nil || string(resp.Body()) != "manual" {
			t.Fatalf("manual transport: %q %v", resp.Body(), err)
		}
	}
	if hc.ConnsCount() != 1 {
		t.Fatalf("%d conns, want the one reused", hc.ConnsCount())
	}
}

type transportFunc func(hc *HostClient, req *Request, resp *Response) (bool, error)

func (f transportFunc) RoundTrip(hc *HostClient, req *Request, resp *Response) (bool, error) {
	return f(hc, req, resp)
}

func TestClientDetectsServerClosedIdleConn(t *testing.T) {
	t.Parallel()
	for _, useTLS := range []bool{false, true} {
		s := &Server{
			Handler:     func(ctx *RequestCtx) { ctx.SetBody(ctx.PostBody()) },
			IdleTimeout: 50 * time.Millisecond,
		}
		hc := &HostClient{}
		scheme := "http"
		if useTLS {
			certPEM, keyPEM, err := GenerateTestCertificate("localhost")
			if err != nil {
				t.Fatal(err)
			}
			if err := s.AppendCertEmbed(certPEM, keyPEM); err != nil {
				t.Fatal(err)
			}
			pool := x509.NewCertPool()
			pool.AppendCertsFromPEM(certPEM)
			hc.IsTLS = true
			hc.TLSConfig = &tls.Config{RootCAs: pool, ServerName: "localhost", MinVersion: tls.VersionTLS12}
			scheme = "https"
		}
		ln, err := net.Listen("tcp4", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		var accepts atomic.Int32
		cl := clientCountingListener{Listener: ln, n: &accepts}
		if useTLS {
			go func() { _ = s.serveTLS(cl) }()
		} else {
			go func() { _ = s.Serve(cl) }()
		}
		t.Cleanup(func() { _ = s.Shutdown() })
		hc.Addr = ln.Addr().String()
		for i := 0; i < 2; i++ {
			req := AcquireRequest()
			resp := AcquireResponse()
			req.Header.SetMethod(MethodPost)
			req.SetRequestURI(scheme + "://" + hc.Addr + "/")
			req.SetBodyString("once")
			// POST is never retried, so it must not be written to a
			// connection the server has already closed.
			if err := hc.DoTimeout(req, resp, 2*time.Second); err != nil || string(resp.Body()) != "once" {
				t.Fatalf("tls=%v request %d: %q %v", useTLS, i, resp.Body(), err)
			}
			ReleaseRequest(req)
			ReleaseResponse(resp)
			time.Sleep(150 * time.Millisecond)
		}
		if n := accepts.Load(); n != 2 {
			t.Fatalf("tls=%v: %d connections, want 2", useTLS, n)
		}
	}
}

// readFailConn accepts writes and fails every read before any byte: the
// request went out, nothing came back.
type readFailConn struct{ net.Conn }

func (readFailConn) Read([]byte) (int, error)         { return 0, errors.New("read failed") }
func (readFailConn) Write(p []byte) (int, error)      { return len(p), nil }
func (readFailConn) Close() error                     { return nil }
func (readFailConn) SetDeadline(time.Time) error      { return nil }
func (readFailConn) SetReadDeadline(time.Time) error  { return nil }
func (readFailConn) SetWriteDeadline(time.Time) error { return nil }

// A response that never started may be sent again when RetryIf says so,
// even for POST.
func TestClientRetryIfAfterEmptyRead(t *testing.T) {
	ts := startServer(t, func(ctx *RequestCtx) { ctx.SetBodyString("ok") })
	dials := 0
	hc := &HostClient{
		Addr:    ts.addr,
		RetryIf: func(*Request) bool { return true },
		Dial: func(addr string) (net.Conn, error) {
			dials++
			if dials < 4 {
				return readFailConn{}, nil
			}
			return net.Dial("tcp", addr)
		},
	}
	req, resp := AcquireRequest(), AcquireResponse()
	defer ReleaseRequest(req)
	defer ReleaseResponse(resp)
	req.Header.SetMethod(MethodPost)
	req.SetRequestURI("http://" + ts.addr + "/")
	if err := hc.Do(req, resp); err != nil {
		t.Fatalf("Do: %v (after %d dials)", err, dials)
	}
	if dials != 4 || string(resp.Body()) != "ok" {
		t.Fatalf("dials %d body %q; want 4 dials and ok", dials, resp.Body())
	}
}

// The response header must fit in the client's read buffer, as upstream's
// HostClient.ReadBufferSize documents.
func TestClientResponseHeaderBoundByReadBuffer(t *testing.T) {
	long := strings.Repeat("x", 5000)
	ts := startServer(t, func(ctx *RequestCtx) {
		ctx.Response.Header.Set("Very-Long-Header", long)
		ctx.SetBodyString("ok")
	})
	for _, tc := range []struct {
		size int
		ok   bool
	}{{0, false}, {8 << 10, true}} {
		hc := &HostClient{Addr: ts.addr, ReadBufferSize: tc.size}
		req, resp := AcquireRequest(), AcquireResponse()
		req.SetRequestURI("http://" + ts.addr + "/")
		err := hc.Do(req, resp)
		if (err == nil) != tc.ok {
			t.Errorf("ReadBufferSize %d: err %v, want ok=%v", tc.size, err, tc.ok)
		}
		ReleaseRequest(req)
		ReleaseResponse(resp)
	}
}
