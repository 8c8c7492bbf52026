package fasthttp

import (
	"bufio"
	"errors"
	"io"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// hangServer reads request heads and never answers; it may first write
// prefix.
func hangServer(t *testing.T, prefix string) *rawServer {
	done := make(chan struct{})
	rs := startRawServer(t, func(c net.Conn) {
		if _, err := readRequestHead(bufio.NewReader(c)); err != nil {
			return
		}
		_, _ = io.WriteString(c, prefix)
		<-done
	})
	// Registered after the server's cleanup, so it runs first and lets
	// the handlers return.
	t.Cleanup(func() { close(done) })
	return rs
}

// assertTimeout checks that err is ErrTimeout and arrived close to want.
func assertTimeout(t *testing.T, err error, elapsed, want time.Duration) {
	t.Helper()
	if err != ErrTimeout {
		t.Fatalf("got %v, want ErrTimeout", err)
	}
	var te interface{ Timeout() bool }
	if !errors.As(err, &te) || !te.Timeout() {
		t.Fatal("ErrTimeout does not report Timeout()")
	}
	if elapsed < want-10*time.Millisecond || elapsed > want+time.Second {
		t.Fatalf("returned after %v, want about %v", elapsed, want)
	}
}

func TestClientDoTimeoutServerHangs(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, prefix string }{
		{"no answer", ""},
		{"header only", "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nabc"},
		{"chunked stalls", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rs := hangServer(t, tc.prefix)
			req := AcquireRequest()
			resp := AcquireResponse()
			defer ReleaseRequest(req)
			defer ReleaseResponse(resp)
			req.SetRequestURI("http://" + rs.addr + "/")
			var c Client
			start := time.Now()
			err := c.DoTimeout(req, resp, 150*time.Millisecond)
			assertTimeout(t, err, time.Since(start), 150*time.Millisecond)
			if c.ConnsCount() != 0 {
				t.Fatal("timed-out connection kept")
			}
			// DoDeadline and a timeout set on the request behave the same.
			start = time.Now()
			err = c.DoDeadline(req, resp, time.Now().Add(100*time.Millisecond))
			assertTimeout(t, err, time.Since(start), 100*time.Millisecond)
			req.SetTimeout(100 * time.Millisecond)
			start = time.Now()
			err = c.Do(req, resp)
			assertTimeout(t, err, time.Since(start), 100*time.Millisecond)
			if req.GetTimeOut() != 100*time.Millisecond {
				t.Fatalf("request timeout changed to %v", req.GetTimeOut())
			}
		})
	}
}

func TestClientDeadlineInPast(t *testing.T) {
	t.Parallel()
	var dials atomic.Int32
	c := &Client{Dial: func(string) (net.Conn, error) { dials.Add(1); return nil, errors.New("no") }}
	req := AcquireRequest()
	resp := AcquireResponse()
	req.SetRequestURI("http://example.com/")
	if err := c.DoDeadline(req, resp, time.Now().Add(-time.Second)); err != ErrTimeout {
		t.Fatalf("got %v", err)
	}
	if dials.Load() != 0 {
		t.Fatal("dialed for an expired request")
	}
}

func TestClientReadTimeout(t *testing.T) {
	t.Parallel()
	rs := hangServer(t, "")
	hc := &HostClient{Addr: rs.addr, ReadTimeout: 100 * time.Millisecond}
	start := time.Now()
	_, err := doGet(t, hc, "http://"+rs.addr+"/")
	assertTimeout(t, err, time.Since(start), 100*time.Millisecond)
}

func TestClientWriteTimeout(t *testing.T) {
	t.Parallel()
	// The server reads the head and then nothing: a large body fills the
	// socket buffers and the write blocks until WriteTimeout.
	rs := hangServer(t, "")
	hc := &HostClient{Addr: rs.addr, WriteTimeout: 150 * time.Millisecond}
	req := AcquireRequest()
	resp := AcquireResponse()
	req.Header.SetMethod(MethodPost)
	req.SetRequestURI("http://" + rs.addr + "/")
	req.SetBodyStream(zeroReader{}, -1)
	start := time.Now()
	err := hc.Do(req, resp)
	assertTimeout(t, err, time.Since(start), 150*time.Millisecond)
}

// zeroReader yields zero bytes forever.
type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

func TestClientDialBoundedByDeadline(t *testing.T) {
	t.Parallel()
	block := make(chan struct{})
	t.Cleanup(func() { close(block) })
	var closed atomic.Int32
	c := &Client{Dial: func(addr string) (net.Conn, error) {
		<-block
		a, b := net.Pipe()
		_ = b.Close()
		return clientCloseCounter{a, &closed}, nil
	}}
	req := AcquireRequest()
	resp := AcquireResponse()
	req.SetRequestURI("http://blackhole.test/")
	start := time.Now()
	err := c.DoTimeout(req, resp, 100*time.Millisecond)
	assertTimeout(t, err, time.Since(start), 100*time.Millisecond)
	if c.ConnsCount() != 0 {
		t.Fatalf("slot of the abandoned dial kept: %d", c.ConnsCount())
	}
}

type clientCloseCounter struct {
	net.Conn
	n *atomic.Int32
}

func (c clientCloseCounter) Close() error {
	c.n.Add(1)
	return c.Conn.Close()
}

func TestClientDialTimeoutGetsTimeLeft(t *testing.T) {
	t.Parallel()
	ts := startServer(t, func(ctx *RequestCtx) {})
	var got atomic.Int64
	c := &Client{DialTimeout: func(addr string, timeout time.Duration) (net.Conn, error) {
		got.Store(int64(timeout))
		return net.DialTimeout("tcp", addr, timeout)
	}}
	req := AcquireRequest()
	resp := AcquireResponse()
	req.SetRequestURI("http://" + ts.addr + "/")
	if err := c.DoTimeout(req, resp, 700*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if d := time.Duration(got.Load()); d <= 0 || d > 700*time.Millisecond {
		t.Fatalf("dial timeout %v, want the time left of 700ms", d)
	}
	// Without a request timeout the dial still gets a bound.
	c.CloseIdleConnections()
	if err := c.Do(req, resp); err != nil {
		t.Fatal(err)
	}
	if d := time.Duration(got.Load()); d != DefaultDialTimeout {
		t.Fatalf("dial timeout %v, want DefaultDialTimeout", d)
	}
	// A custom dialer's error comes back as is.
	sentinel := errors.New("sentinel dial failure")
	c2 := &Client{DialTimeout: func(string, time.Duration) (net.Conn, error) { return nil, sentinel }}
	if err := c2.Do(req, resp); err != sentinel {
		t.Fatalf("got %v, want the dialer's error", err)
	}
}

func TestClientTLSHandshakeBoundedByDeadline(t *testing.T) {
	t.Parallel()
	// A server that accepts TCP but never speaks TLS.
	rs := hangServer(t, "")
	c := &Client{}
	req := AcquireRequest()
	resp := AcquireResponse()
	_, port, _ := net.SplitHostPort(rs.addr)
	req.SetRequestURI("https://127.0.0.1:" + port + "/")
	start := time.Now()
	err := c.DoTimeout(req, resp, 150*time.Millisecond)
	assertTimeout(t, err, time.Since(start), 150*time.Millisecond)
}

func TestClientWaitForConnBoundedByDeadline(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	ts := startServer(t, func(ctx *RequestCtx) {
		if string(ctx.Path()) == "/block" {
			<-release
		}
	})
	t.Cleanup(func() { close(release) })
	hc := &HostClient{Addr: ts.addr, MaxConns: 1, MaxConnWaitTimeout: 10 * time.Second}
	go func() { _, _ = doGet(t, hc, "http://"+ts.addr+"/block") }()
	waitFor(t, func() bool { return hc.PendingRequests() == 1 && hc.ConnsCount() == 1 })
	req := AcquireRequest()
	resp := AcquireResponse()
	req.SetRequestURI("http://" + ts.addr + "/")
	start := time.Now()
	err := hc.DoTimeout(req, resp, 100*time.Millisecond)
	assertTimeout(t, err, time.Since(start), 100*time.Millisecond)
}

// waitFor polls cond for up to two seconds.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); time.Sleep(2 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatal("condition not reached in time")
}

func TestClientTimeoutLeavesPoolUsable(t *testing.T) {
	t.Parallel()
	ts := startServer(t, func(ctx *RequestCtx) {
		if string(ctx.Path()) == "/slow" {
			time.Sleep(300 * time.Millisecond)
		}
		ctx.SetBodyString(strings.TrimPrefix(string(ctx.Path()), "/"))
	})
	hc := &HostClient{Addr: ts.addr}
	req := AcquireRequest()
	resp := AcquireResponse()
	req.SetRequestURI("http://" + ts.addr + "/slow")
	if err := hc.DoTimeout(req, resp, 50*time.Millisecond); err != ErrTimeout {
		t.Fatalf("got %v", err)
	}
	// The late response must not be read as the answer to the next request.
	req.SetRequestURI("http://" + ts.addr + "/fast")
	if err := hc.DoTimeout(req, resp, time.Second); err != nil || string(resp.Body()) != "fast" {
		t.Fatalf("next request: %q %v", resp.Body(), err)
	}
}
