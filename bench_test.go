package fasthttp_test

// In-memory server benchmarks.
//
// The real Server.Serve loop (accept, worker hand-off, parsing, handler,
// response writing) runs over an in-memory listener, so the numbers are the
// server's own cost: no syscalls, no client parsing. Writes are counted and
// dropped, connections are reused, and the client side allocates nothing,
// so allocs/op is the server's alone.
//
// This file uses only the exported API and the standard library on purpose:
// bench/ links it (a symlink) into a module that builds it once against this
// repository and once against upstream fasthttp, so both are measured on the
// very same workload. It also holds the net/http reference for that reason.

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/valyala/fasthttp"
)

// ---------------------------------------------------------------- workload

// benchRequest is a browser-like GET: a query, a handful of header fields.
const benchRequest = "GET /hello?name=gopher&lang=go HTTP/1.1\r\n" +
	"Host: localhost:8080\r\n" +
	"User-Agent: bench/1.0\r\n" +
	"Accept: text/plain,*/*;q=0.8\r\n" +
	"Accept-Encoding: gzip, deflate\r\n" +
	"X-Request-Id: 7f3c2a\r\n" +
	"\r\n"

// benchCloseRequest is benchRequest asking to close after the response,
// as a client making one request per connection does.
const benchCloseRequest = "GET /hello?name=gopher&lang=go HTTP/1.1\r\n" +
	"Host: localhost:8080\r\n" +
	"User-Agent: bench/1.0\r\n" +
	"Accept: text/plain,*/*;q=0.8\r\n" +
	"Accept-Encoding: gzip, deflate\r\n" +
	"X-Request-Id: 7f3c2a\r\n" +
	"Connection: close\r\n" +
	"\r\n"

const (
	benchBody      = "Hello, gopher!"
	benchRequestID = "7f3c2a"
	benchTLSHeader = "TLS 1.3"
)

// benchMode is how requests arrive on a connection.
type benchMode struct {
	name        string
	request     string // one request
	reqsPerConn int    // requests before the client closes
	perRead     int    // requests readable in one Read (pipelining)
}

var benchModes = []benchMode{
	{name: "1ReqPerConn", request: benchCloseRequest, reqsPerConn: 1, perRead: 1},
	{name: "KeepAlive", request: benchRequest, reqsPerConn: 1000, perRead: 1},
	{name: "Pipeline16", request: benchRequest, reqsPerConn: 1024, perRead: 16},
}

// benchConnKind is what the server sees of a connection and how it limits it.
type benchConnKind struct {
	name  string
	perIP bool // Server.MaxConnsPerIP set
	tls   bool // the connection has ConnectionState; the handler looks it up
}

var benchConnKinds = []benchConnKind{
	{name: "Plain"},
	{name: "PerIP", perIP: true},
	{name: "TLS", tls: true},
	{name: "PerIPTLS", perIP: true, tls: true},
}

// benchHandler reads a query argument and a header field, echoes the field
// and answers a short text; with lookupTLS it also reads the TLS state and
// reports the version it saw.
func benchHandler(lookupTLS bool) fasthttp.RequestHandler {
	return func(ctx *fasthttp.RequestCtx) {
		name := ctx.QueryArgs().Peek("name")
		ctx.Response.Header.SetBytesV("X-Request-Id", ctx.Request.Header.Peek("X-Request-Id"))
		if lookupTLS {
			if st := ctx.TLSConnectionState(); st != nil && ctx.IsTLS() && st.Version == tls.VersionTLS13 {
				ctx.Response.Header.Set("X-Tls", benchTLSHeader)
			}
		}
		ctx.SetContentType("text/plain; charset=utf-8")
		_, _ = ctx.WriteString("Hello, ")
		_, _ = ctx.Write(name)
		_, _ = ctx.WriteString("!")
	}
}

// benchNetHTTPHandler is benchHandler written the usual net/http way.
func benchNetHTTPHandler(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("name")
	h := w.Header()
	h.Set("X-Request-Id", r.Header.Get("X-Request-Id"))
	h.Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = io.WriteString(w, "Hello, ")
	_, _ = io.WriteString(w, name)
	_, _ = io.WriteString(w, "!")
}

// ---------------------------------------------------------------- in-memory connections

// benchListener hands the harness's connections to Serve.
type benchListener struct {
	conns  chan net.Conn
	closed chan struct{}
	once   sync.Once
}

func newBenchListener() *benchListener {
	return &benchListener{conns: make(chan net.Conn), closed: make(chan struct{})}
}

func (l *benchListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.closed:
		return nil, net.ErrClosed
	}
}

func (l *benchListener) Close() error {
	l.once.Do(func() { close(l.closed) })
	return nil
}

func (l *benchListener) Addr() net.Addr { return benchServerAddr }

var (
	benchServerAddr = &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 8080}
	benchDeadline   = os.ErrDeadlineExceeded
)

// benchConn is one client connection, reused from connection to connection.
//
// The client sends its next batch of requests only after the server wrote
// something since the previous batch, as a real client waits for the
// response; a server that reads ahead (net/http's background read) blocks
// there until it answers, or until it sets a read deadline in the past.
type benchConn struct {
	raddr *net.TCPAddr
	batch []byte // perRead requests back to back

	// Per connection; set by reset before the connection is handed out.
	reqSize int
	perRead int
	left    int    // requests not yet sent
	sent    int    // batches sent
	cur     []byte // what is left of the batch being read
	open    atomic.Bool

	written  atomic.Int64
	capture  *bytes.Buffer // sanity checks only: every byte written
	captured sync.Mutex

	wrote chan struct{} // a token: the server wrote since the last batch
	abort chan struct{} // a token: a read deadline in the past was set
	done  chan struct{} // a token: the server closed the connection
}

func newBenchConn(port int, mode benchMode) *benchConn {
	return &benchConn{
		raddr:   &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: port},
		batch:   bytes.Repeat([]byte(mode.request), mode.perRead),
		reqSize: len(mode.request),
		perRead: mode.perRead,
		wrote:   make(chan struct{}, 1),
		abort:   make(chan struct{}, 1),
		done:    make(chan struct{}, 1),
	}
}

// reset prepares c to carry n requests on a fresh connection.
func (c *benchConn) reset(n int) {
	c.left = n
	c.sent = 0
	c.cur = nil
	c.written.Store(0)
	benchDrain(c.wrote)
	benchDrain(c.abort)
	c.open.Store(true)
}

// benchTake takes ch's token if it has one; unlike a two-way select it is
// cheap enough to keep the harness out of the profile.
func benchTake(ch chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

func benchDrain(ch chan struct{}) { benchTake(ch) }

func benchSignal(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}

func (c *benchConn) Read(p []byte) (int, error) {
	if len(c.cur) == 0 {
		if c.left == 0 {
			return 0, io.EOF
		}
		if c.sent > 0 && !benchTake(c.wrote) {
			select {
			case <-c.wrote:
			case <-c.abort:
				return 0, benchDeadline
			}
		}
		c.sent++
		k := min(c.left, c.perRead)
		c.left -= k
		c.cur = c.batch[:k*c.reqSize]
	}
	n := copy(p, c.cur)
	c.cur = c.cur[n:]
	return n, nil
}

func (c *benchConn) Write(p []byte) (int, error) {
	if !c.open.Load() {
		return 0, net.ErrClosed
	}
	if c.capture != nil {
		c.captured.Lock()
		c.capture.Write(p)
		c.captured.Unlock()
	}
	c.written.Add(int64(len(p)))
	benchSignal(c.wrote)
	return len(p), nil
}

func (c *benchConn) Close() error {
	if c.open.CompareAndSwap(true, false) {
		benchSignal(c.done)
	}
	return nil
}

func (c *benchConn) LocalAddr() net.Addr  { return benchServerAddr }
func (c *benchConn) RemoteAddr() net.Addr { return c.raddr }

func (c *benchConn) SetDeadline(t time.Time) error {
	return c.SetReadDeadline(t)
}

// SetReadDeadline with a time in the past makes a waiting Read fail with a
// timeout, as net/http expects when it cancels its background read; any
// other deadline withdraws that.
func (c *benchConn) SetReadDeadline(t time.Time) error {
	if !t.IsZero() && !t.After(time.Now()) {
		benchSignal(c.abort)
	} else {
		benchDrain(c.abort)
	}
	return nil
}

func (c *benchConn) SetWriteDeadline(time.Time) error { return nil }

// benchTLSConn is a benchConn that reports a completed TLS 1.3 handshake
// and has the methods of *tls.Conn that servers look for, so the server's
// TLS paths run without crypto.
type benchTLSConn struct {
	*benchConn
}

var benchTLSState = tls.ConnectionState{
	Version:            tls.VersionTLS13,
	HandshakeComplete:  true,
	CipherSuite:        tls.TLS_AES_128_GCM_SHA256,
	NegotiatedProtocol: "http/1.1",
	ServerName:         "localhost",
}

func (c benchTLSConn) ConnectionState() tls.ConnectionState { return benchTLSState }

func (c benchTLSConn) Handshake() error { return nil }

func (c benchTLSConn) HandshakeContext(context.Context) error { return nil }

// ---------------------------------------------------------------- harness

// benchHarness drives one server with a fixed set of client connections.
type benchHarness struct {
	mode    benchMode
	ln      *benchListener
	clients []benchClient
	stop    func()
}

type benchClient struct {
	conn  *benchConn
	nc    net.Conn    // conn as the server sees it; kept to hand out without allocating
	timer *time.Timer // bounds each wait; reused so that waiting allocates nothing
}

// newFastHTTPHarness starts a fasthttp.Server on an in-memory listener with
// clients connections from 127.0.0.1.
func newFastHTTPHarness(tb testing.TB, kind benchConnKind, mode benchMode, clients int) *benchHarness {
	s := &fasthttp.Server{Handler: benchHandler(kind.tls)}
	if kind.perIP {
		// Every connection is counted, none refused: the server releases a
		// count just after closing, so a client reconnecting at once may
		// briefly have more connections counted than open.
		s.MaxConnsPerIP = 1024
	}
	h := newBenchHarness(mode, kind.tls, clients)
	served := make(chan error, 1)
	go func() { served <- s.Serve(h.ln) }()
	h.stop = func() {
		_ = h.ln.Close()
		_ = s.Shutdown()
		benchWaitServed(tb, served)
	}
	return h
}

// newNetHTTPHarness is newFastHTTPHarness for net/http.
func newNetHTTPHarness(tb testing.TB, mode benchMode, clients int) *benchHarness {
	s := &http.Server{Handler: http.HandlerFunc(benchNetHTTPHandler)}
	h := newBenchHarness(mode, false, clients)
	served := make(chan error, 1)
	go func() { served <- s.Serve(h.ln) }()
	h.stop = func() {
		_ = s.Close()
		benchWaitServed(tb, served)
	}
	return h
}

func benchWaitServed(tb testing.TB, served chan error) {
	select {
	case <-served:
	case <-time.After(5 * time.Second):
		tb.Errorf("Serve did not return within 5s of Shutdown")
	}
}

func newBenchHarness(mode benchMode, isTLS bool, clients int) *benchHarness {
	h := &benchHarness{mode: mode, ln: newBenchListener()}
	for i := range clients {
		c := newBenchConn(40000+i, mode)
		var nc net.Conn = c
		if isTLS {
			nc = benchTLSConn{c}
		}
		timer := time.NewTimer(time.Hour)
		timer.Stop()
		h.clients = append(h.clients, benchClient{conn: c, nc: nc, timer: timer})
	}
	return h
}

var (
	// errBenchTimeout ends a run whose server stopped answering.
	errBenchTimeout = errors.New("server did not close the connection within 10s")
	// errBenchNoResponse ends a run whose server closed without answering.
	errBenchNoResponse = errors.New("server closed the connection without writing a response")
)

// serveOne hands out one connection carrying n requests and waits until
// the server has closed it.
func (h *benchHarness) serveOne(cl benchClient, n int) error {
	timer := cl.timer
	cl.conn.reset(n)
	timer.Reset(10 * time.Second)
	defer timer.Stop()
	select {
	case h.ln.conns <- cl.nc:
	case <-timer.C:
		return errBenchTimeout
	}
	select {
	case <-cl.conn.done:
	case <-timer.C:
		return errBenchTimeout
	}
	if cl.conn.written.Load() == 0 {
		return errBenchNoResponse
	}
	return nil
}

// run serves n requests spread over the clients, reqsPerConn per
// connection, all clients at once.
func (h *benchHarness) run(n int) error {
	if len(h.clients) == 1 {
		return h.runClient(h.clients[0], n, nil)
	}
	var left atomic.Int64
	left.Store(int64(n))
	errs := make(chan error, len(h.clients))
	for _, cl := range h.clients {
		go func() { errs <- h.runClient(cl, 0, &left) }()
	}
	var err error
	for range h.clients {
		if e := <-errs; e != nil && err == nil {
			err = e
		}
	}
	return err
}

// runClient serves n requests on cl, or, when shared is set, takes
// connections' worth of requests from it until none are left.
func (h *benchHarness) runClient(cl benchClient, n int, shared *atomic.Int64) error {
	per := h.mode.reqsPerConn
	for {
		k := per
		if shared != nil {
			rem := shared.Add(int64(-per))
			if rem < 0 {
				k += int(rem)
			}
		} else {
			k = min(per, n)
			n -= k
		}
		if k <= 0 {
			return nil
		}
		if err := h.serveOne(cl, k); err != nil {
			return err
		}
	}
}

// ---------------------------------------------------------------- benchmarks

// BenchmarkServer measures Server.Serve per request over in-memory
// connections: GOMAXPROCS connections at once, each carrying requests as
// its mode says.
func BenchmarkServer(b *testing.B) {
	for _, kind := range benchConnKinds {
		for _, mode := range benchModes {
			b.Run(kind.name+"/"+mode.name, func(b *testing.B) {
				h := newFastHTTPHarness(b, kind, mode, runtime.GOMAXPROCS(0))
				defer h.stop()
				benchRun(b, h)
			})
		}
	}
}

// BenchmarkNetHTTP is BenchmarkServer's plain workload served by net/http,
// for reference. net/http has no per-IP limit and sees TLS only on a
// *tls.Conn, so the other kinds have no counterpart.
func BenchmarkNetHTTP(b *testing.B) {
	for _, mode := range benchModes {
		b.Run("Plain/"+mode.name, func(b *testing.B) {
			h := newNetHTTPHarness(b, mode, runtime.GOMAXPROCS(0))
			defer h.stop()
			benchRun(b, h)
		})
	}
}

func benchRun(b *testing.B, h *benchHarness) {
	// Warm the server's pools and worker goroutines first, so that the
	// timed part is the steady state.
	if err := h.run(4 * h.mode.reqsPerConn * len(h.clients)); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	if err := h.run(b.N); err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
}

// ---------------------------------------------------------------- checks

// TestBenchWorkloadResponses replays every benchmark case and parses what
// the server wrote with net/http: the timings mean nothing if the answers
// are wrong.
func TestBenchWorkloadResponses(t *testing.T) {
	for _, kind := range benchConnKinds {
		for _, mode := range benchModes {
			t.Run("fasthttp/"+kind.name+"/"+mode.name, func(t *testing.T) {
				h := newFastHTTPHarness(t, kind, mode, 1)
				defer h.stop()
				checkBenchResponses(t, h, kind.tls)
			})
		}
	}
	for _, mode := range benchModes {
		t.Run("nethttp/Plain/"+mode.name, func(t *testing.T) {
			h := newNetHTTPHarness(t, mode, 1)
			defer h.stop()
			checkBenchResponses(t, h, false)
		})
	}
}

// checkBenchResponses runs two connections' worth of requests (plus a
// short last connection when pipelining, so a partial batch is covered) and
// checks every response.
func checkBenchResponses(t *testing.T, h *benchHarness, wantTLS bool) {
	t.Helper()
	c := h.clients[0].conn
	var buf bytes.Buffer
	c.capture = &buf
	n := 2 * h.mode.reqsPerConn
	if h.mode.perRead > 1 {
		n += h.mode.perRead/2 + 1
	}
	if err := h.run(n); err != nil {
		t.Fatal(err)
	}
	c.captured.Lock()
	defer c.captured.Unlock()
	br := bufio.NewReader(&buf)
	for i := range n {
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatalf("response %d of %d: %v", i+1, n, err)
		}
		body, err := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if err != nil {
			t.Fatalf("response %d body: %v", i+1, err)
		}
		if resp.StatusCode != http.StatusOK || string(body) != benchBody ||
			resp.ContentLength != int64(len(benchBody)) ||
			resp.Header.Get("X-Request-Id") != benchRequestID {
			t.Fatalf("response %d: status %d, Content-Length %d, X-Request-Id %q, body %q; want 200, %d, %q, %q",
				i+1, resp.StatusCode, resp.ContentLength, resp.Header.Get("X-Request-Id"), body,
				len(benchBody), benchRequestID, benchBody)
		}
		if got, want := resp.Header.Get("X-Tls") == benchTLSHeader, wantTLS; got != want {
			t.Fatalf("response %d: handler saw TLS = %v, want %v", i+1, got, want)
		}
	}
	if rest, _ := io.ReadAll(br); len(rest) > 0 {
		t.Fatalf("%d unexpected bytes after the last response: %q", len(rest), rest)
	}
}

// TestServerSteadyStateAllocs guards the zero-allocation claim that the
// benchmarks report: once pools are warm, serving requests allocates
// nothing. One client runs on the test goroutine so that the harness adds
// no allocation of its own.
//
// The one allowance: with MaxConnsPerIP, each connection gets a freshly
// allocated wrapper (perip_conn.go: never pooled, so a wrapper user code
// kept can never describe another client). That is one allocation per
// connection, never per request.
func TestServerSteadyStateAllocs(t *testing.T) {
	if benchRaceEnabled() {
		t.Skip("the race detector allocates and drops pooled objects on purpose")
	}
	if testing.Short() {
		t.Skip("-short")
	}
	for _, kind := range benchConnKinds {
		for _, mode := range benchModes {
			t.Run(kind.name+"/"+mode.name, func(t *testing.T) {
				h := newFastHTTPHarness(t, kind, mode, 1)
				defer h.stop()
				n := 4 * mode.reqsPerConn
				if mode.reqsPerConn == 1 {
					n = 1000
				}
				if err := h.run(n); err != nil { // warm up
					t.Fatal(err)
				}
				var runErr error
				allocs := testing.AllocsPerRun(5, func() {
					if err := h.run(n); err != nil && runErr == nil {
						runErr = err
					}
				})
				if runErr != nil {
					t.Fatal(runErr)
				}
				conns := (n + mode.reqsPerConn - 1) / mode.reqsPerConn
				allowed := 0
				if kind.perIP {
					allowed = conns
				}
				// A GC in the middle of a run empties the pools once in a
				// while; anything per request or per connection shows far
				// above this slack.
				if extra := allocs - float64(allowed); extra > 0.05*float64(n) {
					t.Errorf("%.0f allocations for %d requests on %d connections, want at most %d",
						allocs, n, conns, allowed)
				}
			})
		}
	}
}

// benchRaceEnabled reports whether the test binary was built with -race.
func benchRaceEnabled() bool {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return false
	}
	for _, s := range bi.Settings {
		if s.Key == "-race" {
			v, _ := strconv.ParseBool(s.Value)
			return v
		}
	}
	return false
}
