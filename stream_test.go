package fasthttp

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Helpers of the message-model tests start with "mdl" to stay apart from
// the helpers of other test files in the package.

// mdlWait bounds every network wait, so a bug fails instead of hanging.
const mdlWait = 5 * time.Second

// mdlHosts returns the loopback hosts to test on.
func mdlHosts(t testing.TB) []string {
	hosts := []string{"127.0.0.1"}
	if ln, err := net.Listen("tcp", "[::1]:0"); err == nil {
		_ = ln.Close()
		hosts = append(hosts, "::1")
	}
	return hosts
}

// mdlServe serves s on a fresh port of host and returns "host:port". The
// server is shut down when the test ends.
func mdlServe(t testing.TB, s *Server, host string) string {
	t.Helper()
	ln, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	errc := make(chan error, 1)
	go func() { errc <- s.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), mdlWait)
		defer cancel()
		_ = s.ShutdownWithContext(ctx)
		select {
		case <-errc:
		case <-time.After(mdlWait):
			t.Errorf("Serve did not return")
		}
	})
	return ln.Addr().String()
}

// mdlHTTPClient is a net/http client with bounded waits.
func mdlHTTPClient() *http.Client {
	return &http.Client{Timeout: mdlWait, Transport: &http.Transport{DisableKeepAlives: false}}
}

func TestNewStreamReader(t *testing.T) {
	t.Parallel()
	r := NewStreamReader(func(w *bufio.Writer) {
		fmt.Fprintf(w, "Hello, world\n")
		_ = w.Flush()
		fmt.Fprintf(w, "Line #2\n")
	})
	data, err := io.ReadAll(r)
	if err != nil || string(data) != "Hello, world\nLine #2\n" {
		t.Fatalf("data %q err %v", data, err)
	}
	if err := r.(io.Closer).Close(); err != nil {
		t.Fatal(err)
	}
}

// Closing the reader early makes the writer's flushes fail, so a writer
// that honours errors returns and its goroutine ends.
func TestStreamReaderCloseStopsWriter(t *testing.T) {
	t.Parallel()
	for _, bounded := range []bool{false, true} {
		done := make(chan error, 1)
		sw := func(w *bufio.Writer) {
			for i := 0; ; i++ {
				_, _ = w.WriteString(strings.Repeat("x", 1000))
				if err := w.Flush(); err != nil {
					done <- err
					return
				}
				if i > 1e6 {
					done <- nil
					return
				}
			}
		}
		var r io.ReadCloser
		if bounded {
			r = NewBoundedStreamReader(sw)
		} else {
			r = NewStreamReader(sw)
		}
		buf := make([]byte, 10)
		if _, err := io.ReadFull(r, buf); err != nil {
			t.Fatal(err)
		}
		closed := make(chan struct{})
		go func() { _ = r.Close(); close(closed) }()
		select {
		case err := <-done:
			if err == nil {
				t.Fatalf("bounded=%v: writer never saw an error", bounded)
			}
		case <-time.After(mdlWait):
			t.Fatalf("bounded=%v: writer kept running after Close", bounded)
		}
		select {
		case <-closed:
		case <-time.After(mdlWait):
			t.Fatalf("bounded=%v: Close did not return", bounded)
		}
	}
}

func TestStreamWriterPanicBecomesError(t *testing.T) {
	t.Parallel()
	for _, bounded := range []bool{false, true} {
		sw := func(w *bufio.Writer) {
			_, _ = w.WriteString("partial")
			_ = w.Flush()
			panic("boom")
		}
		var r io.ReadCloser
		if bounded {
			r = NewBoundedStreamReader(sw)
		} else {
			r = NewStreamReader(sw)
		}
		data, err := io.ReadAll(r)
		var pe ErrBodyStreamWritePanic
		if !errors.As(err, &pe) || string(data) != "partial" {
			t.Errorf("bounded=%v: data %q err %v", bounded, data, err)
		}
		_ = r.Close()
	}
}

// A writer far ahead of its reader is held back: at most a few blocks
// are queued, whatever it wants to write.
func TestBoundedStreamReaderBoundsMemory(t *testing.T) {
	t.Parallel()
	var written atomic.Int64
	r := NewBoundedStreamReader(func(w *bufio.Writer) {
		chunk := bytes.Repeat([]byte("y"), 1024)
		for i := 0; i < 10*1024; i++ { // 10 MiB
			n, err := w.Write(chunk)
			written.Add(int64(n))
			if err != nil {
				return
			}
		}
	})
	defer r.Close()
	buf := make([]byte, 1)
	if _, err := io.ReadFull(r, buf); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(200 * time.Millisecond)
	for time.Now().Before(deadline) {
		runtime.Gosched()
		time.Sleep(5 * time.Millisecond)
	}
	// bufio buffer + queued blocks + the block being read.
	limit := int64((boundedStreamBlocks + 3) * boundedStreamBlockSize)
	if got := written.Load(); got > limit {
		t.Fatalf("writer ran %d bytes ahead, limit %d", got, limit)
	}
	// The rest still arrives, through WriteTo as well.
	var sink countingSink
	n, err := r.(io.WriterTo).WriteTo(&sink)
	if err != nil || n+1 != 10*1024*1024 {
		t.Fatalf("WriteTo = %d, %v", n, err)
	}
	if !r.(BodyWriterTo).SupportsBodyWriteTo() {
		t.Fatal("bounded reader must allow WriteTo")
	}
}

// WriteTo of a bounded stream reports a destination that takes less than
// it was given, and of a plain body stream, as io.ErrShortWrite, instead
// of dropping or resending bytes.
func TestStreamWriteToReportsShortWrites(t *testing.T) {
	t.Parallel()
	data := bytes.Repeat([]byte("z"), 100)
	r := NewBoundedStreamReader(func(w *bufio.Writer) { _, _ = w.Write(data) })
	defer r.Close()
	sw := &shortWriter{n: 7}
	if n, err := r.(io.WriterTo).WriteTo(sw); !errors.Is(err, io.ErrShortWrite) || n != 7 {
		t.Errorf("bounded WriteTo = %d, %v", n, err)
	}
	var resp Response
	resp.SetBodyStream(NewBoundedStreamReader(func(w *bufio.Writer) { _, _ = w.Write(data) }), -1)
	if err := resp.BodyWriteTo(&shortWriter{n: 7}); !errors.Is(err, io.ErrShortWrite) {
		t.Errorf("bounded body: %v", err)
	}
	resp.Reset()
	resp.SetBody(data)
	if err := resp.BodyWriteTo(&shortWriter{n: 7}); !errors.Is(err, io.ErrShortWrite) {
		t.Errorf("plain body: %v", err)
	}
}

type countingSink struct{ n int64 }

func (c *countingSink) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

func TestRequestStreamModes(t *testing.T) {
	t.Parallel()
	cases := []struct {
		cl         int
		in         string
		body, rest string
		fail       bool
	}{
		{5, "helloNEXT", "hello", "NEXT", false},
		{0, "NEXT", "", "NEXT", false},
		{10, "abc", "abc", "", true},
		{-1, "5\r\nhello\r\n2\r\n!!\r\n0\r\n\r\nNEXT", "hello!!", "NEXT", false},
		{-1, "5\r\nhelloXX", "hello", "", true},
		{-1, "zz\r\n", "", "", true},
		{-2, "until the end", "until the end", "", false},
	}
	for _, c := range cases {
		br := bufio.NewReader(strings.NewReader(c.in))
		s := acquireRequestStream(br, c.cl, 0)
		body, err := io.ReadAll(s)
		if (err != nil) != c.fail || string(body) != c.body {
			t.Errorf("cl %d %q: body %q err %v", c.cl, c.in, body, err)
		}
		if !c.fail {
			rest, _ := io.ReadAll(br)
			if string(rest) != c.rest || !s.complete() {
				t.Errorf("cl %d %q: rest %q complete %v", c.cl, c.in, rest, s.complete())
			}
		}
		releaseRequestStream(s)
	}
	// Closing before the end makes later reads fail and the stream
	// incomplete, so the connection is not reused.
	br := bufio.NewReader(strings.NewReader("helloworld"))
	s := acquireRequestStream(br, 10, 0)
	buf := make([]byte, 3)
	_, _ = s.Read(buf)
	_ = s.CloseWithError(nil)
	if _, err := s.Read(buf); err == nil || s.complete() {
		t.Fatalf("read after close: %v complete=%v", err, s.complete())
	}
	if s.drain(1 << 20) {
		t.Fatal("drain reported a clean end after Close")
	}
}

// Server.StreamRequestBody hands the handler the body while the client is
// still sending it, chunked or not.
func TestStreamRequestBodyRealSocket(t *testing.T) {
	t.Parallel()
	for _, host := range mdlHosts(t) {
		firstSeen := make(chan struct{})
		var got atomic.Value
		s := &Server{
			StreamRequestBody:  true,
			MaxRequestBodySize: 16,
			Handler: func(ctx *RequestCtx) {
				r := ctx.RequestBodyStream()
				if r == nil {
					ctx.SetStatusCode(StatusInternalServerError)
					return
				}
				buf := make([]byte, 5)
				if _, err := io.ReadFull(r, buf); err != nil {
					ctx.Error(err.Error(), StatusBadRequest)
					return
				}
				close(firstSeen)
				rest, err := io.ReadAll(r)
				if err != nil {
					ctx.Error(err.Error(), StatusBadRequest)
					return
				}
				got.Store(string(buf) + string(rest))
				ctx.SetBodyString("ok")
			},
		}
		addr := mdlServe(t, s, host)
		pr, pw := io.Pipe()
		go func() {
			_, _ = pw.Write([]byte("first"))
			select {
			case <-firstSeen:
			case <-time.After(mdlWait):
			}
			_, _ = pw.Write([]byte(strings.Repeat("z", 100))) // past MaxRequestBodySize
			_ = pw.Close()
		}()
		req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/up", pr)
		resp, err := mdlHTTPClient().Do(req)
		if err != nil {
			t.Fatalf("%s: %v", host, err)
		}
		body, _ := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if resp.StatusCode != 200 || string(body) != "ok" || got.Load() != "first"+strings.Repeat("z", 100) {
			t.Fatalf("%s: status %d body %q got %q", host, resp.StatusCode, body, got.Load())
		}
	}
}

// SetBodyStreamWriter: each Flush reaches the client at once, so a client
// sees the first part before the handler writes the second.
func TestResponseStreamWriterFlushReachesClient(t *testing.T) {
	t.Parallel()
	for _, host := range mdlHosts(t) {
		release := make(chan struct{})
		s := &Server{Handler: func(ctx *RequestCtx) {
			ctx.Response.Header.SetTrailer("X-Done")
			ctx.SetBodyStreamWriter(func(w *bufio.Writer) {
				_, _ = w.WriteString("part1\n")
				_ = w.Flush()
				select {
				case <-release:
				case <-time.After(mdlWait):
				}
				_, _ = w.WriteString("part2\n")
				ctx.Response.Header.Set("X-Done", "yes")
			})
		}}
		addr := mdlServe(t, s, host)
		resp, err := mdlHTTPClient().Get("http://" + addr + "/")
		if err != nil {
			t.Fatalf("%s: %v", host, err)
		}
		br := bufio.NewReader(resp.Body)
		line, err := br.ReadString('\n')
		if err != nil || line != "part1\n" {
			t.Fatalf("%s: first line %q %v", host, line, err)
		}
		close(release)
		rest, err := io.ReadAll(br)
		_ = resp.Body.Close()
		if err != nil || string(rest) != "part2\n" {
			t.Fatalf("%s: rest %q %v", host, rest, err)
		}
		if len(resp.TransferEncoding) != 1 || resp.TransferEncoding[0] != "chunked" {
			t.Fatalf("%s: transfer encoding %v", host, resp.TransferEncoding)
		}
		if resp.Trailer.Get("X-Done") != "yes" {
			t.Fatalf("%s: trailer set inside the writer was lost: %v", host, resp.Trailer)
		}
	}
}

// closeRecorder records how a body stream was closed.
type closeRecorder struct {
	io.Reader
	mu     sync.Mutex
	closed bool
	err    error
}

func (c *closeRecorder) CloseWithError(err error) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closed, c.err = true, err
	return nil
}

func (c *closeRecorder) state() (bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.closed, c.err
}

// SetBodyStream with a size and without: the client gets exactly the body,
// and the stream is closed after it was sent.
func TestResponseBodyStreamRealSocket(t *testing.T) {
	t.Parallel()
	for _, host := range mdlHosts(t) {
		var streams sync.Map
		s := &Server{Handler: func(ctx *RequestCtx) {
			cr := &closeRecorder{Reader: &onlyReadReader{strings.NewReader("streamed body")}}
			streams.Store(string(ctx.Path()), cr)
			size := -1
			if string(ctx.Path()) == "/sized" {
				size = len("streamed body")
			}
			ctx.SetBodyStream(cr, size)
		}}
		addr := mdlServe(t, s, host)
		for _, path := range []string{"/sized", "/chunked"} {
			resp, err := mdlHTTPClient().Get("http://" + addr + path)
			if err != nil {
				t.Fatalf("%s%s: %v", host, path, err)
			}
			body, _ := io.ReadAll(resp.Body)
			_ = resp.Body.Close()
			if string(body) != "streamed body" {
				t.Fatalf("%s%s: body %q", host, path, body)
			}
			if (path == "/sized") != (resp.ContentLength == 13) {
				t.Fatalf("%s%s: content length %d", host, path, resp.ContentLength)
			}
			v, _ := streams.Load(path)
			closed, cerr := v.(*closeRecorder).state()
			if !closed || cerr != nil {
				t.Fatalf("%s%s: stream closed=%v err=%v", host, path, closed, cerr)
			}
		}
	}
}

// TestContinueReadBodyStreamOverLimit: over a real connection, a body
// larger than maxBodySize is handed over as a stream (fixed length and
// chunked alike) instead of failing, the stream ends exactly where the
// body does, and the next request on the connection reads intact. A
// request without a body gets no stream.
func TestContinueReadBodyStreamOverLimit(t *testing.T) {
	t.Parallel()
	ln := srvListen(t, "127.0.0.1")
	defer ln.Close()
	type seen struct {
		stream bool
		body   string
		err    error
	}
	results := make(chan seen, 8)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		br := bufio.NewReaderSize(c, 64)
		for {
			var req Request
			if err := req.Header.Read(br); err != nil {
				return
			}
			if err := req.ContinueReadBodyStream(br, 8); err != nil {
				results <- seen{err: err}
				return
			}
			var got seen
			if s := req.BodyStream(); s != nil {
				got.stream = true
				b, err := io.ReadAll(s)
				got.body, got.err = string(b), err
			}
			results <- got
		}
	}()
	c := srvDial(t, ln.Addr().String())
	body := strings.Repeat("0123456789", 30) // 300 bytes: over the limit and the buffer
	io.WriteString(c, "POST /fixed HTTP/1.1\r\nHost: x\r\nContent-Length: 300\r\n\r\n"+body)
	io.WriteString(c, "POST /chunked HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n12c\r\n"+body+"\r\n0\r\n\r\n")
	io.WriteString(c, "GET /nobody HTTP/1.1\r\nHost: x\r\n\r\n")
	for _, want := range []seen{{true, body, nil}, {true, body, nil}, {false, "", nil}} {
		got := srvRecv(t, results, "the request")
		if got != want {
			t.Fatalf("got stream=%v body %d bytes err %v; want stream=%v body %d bytes", got.stream, len(got.body), got.err, want.stream, len(want.body))
		}
	}
}

// TestStreamRequestBodyOverLimit: with StreamRequestBody, the server hands
// a body over MaxRequestBodySize to the handler as a stream, with or
// without Expect: 100-continue.
func TestStreamRequestBodyOverLimit(t *testing.T) {
	t.Parallel()
	addr := srvStart(t, &Server{StreamRequestBody: true, MaxRequestBodySize: 8, Handler: func(ctx *RequestCtx) {
		b, err := io.ReadAll(ctx.RequestBodyStream())
		fmt.Fprintf(ctx, "%d %v", len(b), err)
	}}, "127.0.0.1")
	body := strings.Repeat("x", 5000)
	for _, framing := range []string{
		"Content-Length: 5000\r\n\r\n" + body,
		"Transfer-Encoding: chunked\r\n\r\n1388\r\n" + body + "\r\n0\r\n\r\n",
		"Content-Length: 5000\r\nExpect: 100-continue\r\n\r\n" + body,
	} {
		got := srvRaw(t, addr, "POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"+framing)
		if !strings.HasSuffix(got, "\r\n\r\n5000 <nil>") {
			t.Fatalf("%q: got %q", strings.SplitN(framing, "\r\n", 2)[0], got)
		}
	}
}
