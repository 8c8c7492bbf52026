package fasthttp_test

// In-memory client benchmarks.
//
// The client's Do runs against a scripted peer: every connection it dials is
// a benchPeerConn that answers each complete request it is written with one
// canned response. No sockets and no server code are involved, so ns/op and
// allocs/op are the client's own (request writing, response parsing, the
// connection pool). Like bench_test.go, this file uses only the exported API
// and the standard library: bench/ links it into a module built once against
// this repository and once against upstream fasthttp, so both clients are
// measured on the same workload, and net/http's client is the reference.

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/valyala/fasthttp"
)

// ---------------------------------------------------------------- peer

var errPeerClosed = errors.New("bench peer: closed")

// benchPeerConn is the server end as the client sees it. Write consumes
// requests (header, then Content-Length bytes of body); Read hands out one
// canned response per consumed request, blocking while none is due, as a
// real server would make an idle keep-alive connection wait.
type benchPeerConn struct {
	resp []byte

	mu      sync.Mutex
	cond    sync.Cond
	due     int    // responses owed to the client
	pos     int    // read offset into resp of the response being read
	hdr     []byte // partial request header carried across writes
	skip    int    // request body bytes still to consume
	closed  bool
	written int64
}

func newBenchPeerConn(resp []byte) *benchPeerConn {
	c := &benchPeerConn{resp: resp, hdr: make([]byte, 0, 1024)}
	c.cond.L = &c.mu
	return c
}

func (c *benchPeerConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return 0, errPeerClosed
	}
	n := len(p)
	c.written += int64(n)
	for len(p) > 0 {
		if c.skip > 0 {
			k := min(c.skip, len(p))
			c.skip -= k
			p = p[k:]
			if c.skip == 0 {
				c.due++
			}
			continue
		}
		// Header bytes: collect them until a blank line ends a request.
		c.hdr = append(c.hdr, p...)
		p = nil
		for c.skip == 0 {
			end := bytes.Index(c.hdr, []byte("\r\n\r\n"))
			if end < 0 {
				break
			}
			rest := c.hdr[end+4:]
			body := benchContentLength(c.hdr[:end+4])
			k := min(body, len(rest))
			rest = rest[k:]
			if c.skip = body - k; c.skip == 0 {
				c.due++
			}
			// Whatever follows starts the next request.
			c.hdr = append(c.hdr[:0], rest...)
		}
	}
	c.cond.Broadcast()
	return n, nil
}

// benchContentLength finds the Content-Length of a request header, 0 when
// it has none. It looks for the name's tail with bytes.Index and checks the
// rest, so that the peer's own cost stays small next to the client's.
func benchContentLength(head []byte) int {
	const name = "\r\ncontent-length:"
	for off := 0; ; {
		i := bytes.Index(head[off:], []byte("ength:"))
		if i < 0 {
			return 0
		}
		end := off + i + len("ength:")
		off = end
		if end < len(name) || !bytesEqualFold(head[end-len(name):end], name) {
			continue
		}
		n := 0
		for _, d := range head[end:] {
			switch {
			case d >= '0' && d <= '9':
				n = n*10 + int(d-'0')
			case d == ' ' || d == '\t':
			default:
				return n
			}
		}
		return n
	}
}

func bytesEqualFold(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := range b {
		c := b[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != s[i] {
			return false
		}
	}
	return true
}

func (c *benchPeerConn) Read(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for c.due == 0 && !c.closed {
		c.cond.Wait()
	}
	if c.due == 0 {
		return 0, io.EOF
	}
	n := copy(p, c.resp[c.pos:])
	c.pos += n
	if c.pos == len(c.resp) {
		c.pos = 0
		c.due--
	}
	return n, nil
}

func (c *benchPeerConn) Close() error {
	c.mu.Lock()
	c.closed = true
	c.mu.Unlock()
	c.cond.Broadcast()
	return nil
}

type benchAddr struct{}

func (benchAddr) Network() string { return "tcp" }
func (benchAddr) String() string  { return "127.0.0.1:8080" }

func (c *benchPeerConn) LocalAddr() net.Addr              { return benchAddr{} }
func (c *benchPeerConn) RemoteAddr() net.Addr             { return benchAddr{} }
func (c *benchPeerConn) SetDeadline(time.Time) error      { return nil }
func (c *benchPeerConn) SetReadDeadline(time.Time) error  { return nil }
func (c *benchPeerConn) SetWriteDeadline(time.Time) error { return nil }

// ---------------------------------------------------------------- workload

// benchClientCase is one request/response shape.
type benchClientCase struct {
	name   string
	method string
	body   []byte // request body
	resp   []byte // the canned response
	want   int    // response body length the client must see
}

func benchResponse(body int, extra string) []byte {
	return []byte("HTTP/1.1 200 OK\r\n" +
		"Server: bench\r\n" +
		"Date: Thu, 26 Nov 2026 00:00:00 GMT\r\n" +
		"Content-Type: text/plain; charset=utf-8\r\n" +
		extra +
		"Content-Length: " + strconv.Itoa(body) + "\r\n" +
		"\r\n" + strings.Repeat("x", body))
}

var benchClientCases = []benchClientCase{
	{name: "GET", method: "GET", resp: benchResponse(13, ""), want: 13},
	{name: "GET4KiB", method: "GET", resp: benchResponse(4096, "Cache-Control: no-cache\r\nX-Trace: 1f2e3d\r\n"), want: 4096},
	{name: "POST1KiB", method: "POST", body: bytes.Repeat([]byte("p"), 1024), resp: benchResponse(2, ""), want: 2},
}

const benchClientURL = "http://127.0.0.1:8080/api/items?page=2&sort=desc"

// ---------------------------------------------------------------- benchmarks

// BenchmarkClient measures HostClient.Do per request over one keep-alive
// connection to the scripted peer.
func BenchmarkClient(b *testing.B) {
	for _, bc := range benchClientCases {
		b.Run("HostClient/"+bc.name, func(b *testing.B) {
			hc := &fasthttp.HostClient{
				Addr: "127.0.0.1:8080",
				Dial: func(string) (net.Conn, error) { return newBenchPeerConn(bc.resp), nil },
			}
			benchClientRun(b, bc, hc.Do)
		})
		b.Run("Client/"+bc.name, func(b *testing.B) {
			c := &fasthttp.Client{
				Dial: func(string) (net.Conn, error) { return newBenchPeerConn(bc.resp), nil },
			}
			benchClientRun(b, bc, c.Do)
		})
	}
}

func benchClientRun(b *testing.B, bc benchClientCase, do func(*fasthttp.Request, *fasthttp.Response) error) {
	req := fasthttp.AcquireRequest()
	resp := fasthttp.AcquireResponse()
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(resp)
	req.SetRequestURI(benchClientURL)
	req.Header.SetMethod(bc.method)
	req.Header.Set("User-Agent", "bench/1.0")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("X-Request-Id", "7f3c2a")
	if bc.body != nil {
		req.Header.SetContentType("application/octet-stream")
		req.SetBody(bc.body)
	}
	one := func() {
		if err := do(req, resp); err != nil {
			b.Fatal(err)
		}
		if resp.StatusCode() != 200 || len(resp.Body()) != bc.want {
			b.Fatalf("status %d, %d body bytes; want 200, %d", resp.StatusCode(), len(resp.Body()), bc.want)
		}
	}
	benchLoop(b, one)
}

// benchLoop warms one up, then times b.N calls of it.
func benchLoop(b *testing.B, one func()) {
	for range 100 {
		one()
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		one()
	}
}

// BenchmarkNetHTTPClient is BenchmarkClient's workload on net/http's
// client, for reference.
func BenchmarkNetHTTPClient(b *testing.B) {
	for _, bc := range benchClientCases {
		b.Run("HostClient/"+bc.name, func(b *testing.B) {
			tr := &http.Transport{
				DialContext: func(context.Context, string, string) (net.Conn, error) {
					return newBenchPeerConn(bc.resp), nil
				},
				DisableCompression: true,
			}
			defer tr.CloseIdleConnections()
			cl := &http.Client{Transport: tr}
			one := func() {
				var body io.Reader
				if bc.body != nil {
					body = bytes.NewReader(bc.body)
				}
				req, err := http.NewRequest(bc.method, benchClientURL, body)
				if err != nil {
					b.Fatal(err)
				}
				req.Header.Set("User-Agent", "bench/1.0")
				req.Header.Set("Accept", "application/json")
				req.Header.Set("X-Request-Id", "7f3c2a")
				if bc.body != nil {
					req.Header.Set("Content-Type", "application/octet-stream")
				}
				resp, err := cl.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				n, err := io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if err != nil || resp.StatusCode != 200 || int(n) != bc.want {
					b.Fatalf("status %d, %d body bytes, %v", resp.StatusCode, n, err)
				}
			}
			benchLoop(b, one)
		})
	}
}

// ---------------------------------------------------------------- checks

// TestBenchClientPeer checks the scripted peer: it must see every request
// whole (the header and exactly its body) before it answers, or the client
// numbers would be measuring a broken exchange.
func TestBenchClientPeer(t *testing.T) {
	for _, bc := range benchClientCases {
		t.Run(bc.name, func(t *testing.T) {
			var conns []*benchPeerConn
			hc := &fasthttp.HostClient{
				Addr: "127.0.0.1:8080",
				Dial: func(string) (net.Conn, error) {
					c := newBenchPeerConn(bc.resp)
					conns = append(conns, c)
					return c, nil
				},
			}
			req := fasthttp.AcquireRequest()
			resp := fasthttp.AcquireResponse()
			req.SetRequestURI(benchClientURL)
			req.Header.SetMethod(bc.method)
			req.SetBody(bc.body)
			for i := range 5 {
				if err := hc.Do(req, resp); err != nil {
					t.Fatalf("request %d: %v", i, err)
				}
				if resp.StatusCode() != 200 || len(resp.Body()) != bc.want {
					t.Fatalf("request %d: status %d, %d body bytes", i, resp.StatusCode(), len(resp.Body()))
				}
			}
			if len(conns) != 1 {
				t.Fatalf("%d connections dialed for 5 keep-alive requests", len(conns))
			}
			c := conns[0]
			c.mu.Lock()
			defer c.mu.Unlock()
			if c.due != 0 || c.skip != 0 || len(c.hdr) != 0 {
				t.Fatalf("peer left with due=%d skip=%d partial=%q", c.due, c.skip, c.hdr)
			}
			if per := c.written / 5; per < int64(len(bc.body))+40 {
				t.Fatalf("only %d bytes written per request", per)
			}
		})
	}
}
