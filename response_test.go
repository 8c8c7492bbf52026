package fasthttp

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

// mdlWriteResponse returns what resp.Write sends, with the Date value
// replaced by "X".
func mdlWriteResponse(t *testing.T, resp *Response) (string, error) {
	t.Helper()
	var b bytes.Buffer
	w := bufio.NewWriter(&b)
	err := resp.Write(w)
	_ = w.Flush()
	return mdlMaskDate(b.String()), err
}

func mdlMaskDate(s string) string {
	if i := strings.Index(s, "Date: "); i >= 0 {
		j := strings.Index(s[i:], "\r\n")
		s = s[:i] + "Date: X" + s[i+j:]
	}
	return s
}

func TestResponseWrite(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		setup func(r *Response)
		want  string
	}{
		{"body", func(r *Response) { r.SetBodyString("hello") },
			"HTTP/1.1 200 OK\r\nDate: X\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 5\r\n\r\nhello"},
		{"204 drops body", func(r *Response) { r.SetStatusCode(204); r.SetBodyString("x") },
			"HTTP/1.1 204 No Content\r\nDate: X\r\n\r\n"},
		{"304 drops body", func(r *Response) { r.SetStatusCode(304); r.SetBodyString("x") },
			"HTTP/1.1 304 Not Modified\r\nDate: X\r\n\r\n"},
		{"101", func(r *Response) { r.SetStatusCode(101) },
			"HTTP/1.1 101 Switching Protocols\r\nDate: X\r\n\r\n"},
		{"SkipBody keeps length", func(r *Response) { r.SetBodyString("hello"); r.SkipBody = true },
			"HTTP/1.1 200 OK\r\nDate: X\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 5\r\n\r\n"},
		{"stream sized", func(r *Response) { r.SetBodyStream(strings.NewReader("abcdef"), 6) },
			"HTTP/1.1 200 OK\r\nDate: X\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 6\r\n\r\nabcdef"},
		{"stream chunked", func(r *Response) { r.SetBodyStream(&onlyReadReader{strings.NewReader("abcdef")}, -1) },
			"HTTP/1.1 200 OK\r\nDate: X\r\nContent-Type: text/plain; charset=utf-8\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nabcdef\r\n0\r\n\r\n"},
		{"stream until close", func(r *Response) { r.SetBodyStream(&onlyReadReader{strings.NewReader("abcdef")}, -2) },
			"HTTP/1.1 200 OK\r\nDate: X\r\nContent-Type: text/plain; charset=utf-8\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n6\r\nabcdef\r\n0\r\n\r\n"},
		{"stream skip", func(r *Response) { r.SetBodyStream(strings.NewReader("abc"), 3); r.SkipBody = true },
			"HTTP/1.1 200 OK\r\nDate: X\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 3\r\n\r\n"},
		{"stream writer", func(r *Response) {
			r.SetBodyStreamWriter(func(w *bufio.Writer) { _, _ = w.WriteString("one"); _ = w.Flush(); _, _ = w.WriteString("two") })
		}, "HTTP/1.1 200 OK\r\nDate: X\r\nContent-Type: text/plain; charset=utf-8\r\nTransfer-Encoding: chunked\r\n\r\n3\r\none\r\n3\r\ntwo\r\n0\r\n\r\n"},
		{"stream writer trailer", func(r *Response) {
			_ = r.Header.SetTrailer("X-T")
			r.SetBodyStreamWriter(func(w *bufio.Writer) { _, _ = w.WriteString("one"); r.Header.Set("X-T", "v") })
		}, "HTTP/1.1 200 OK\r\nDate: X\r\nContent-Type: text/plain; charset=utf-8\r\nTransfer-Encoding: chunked\r\nTrailer: X-T\r\n\r\n3\r\none\r\n0\r\nX-T: v\r\n\r\n"},
		{"connection close", func(r *Response) { r.SetConnectionClose(); r.SetBodyString("x") },
			"HTTP/1.1 200 OK\r\nDate: X\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 1\r\nConnection: close\r\n\r\nx"},
		{"append after stream", func(r *Response) { r.SetBodyStream(strings.NewReader("abc"), 3); r.AppendBodyString("x") },
			"HTTP/1.1 200 OK\r\nDate: X\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 1\r\n\r\nx"},
		{"raw", func(r *Response) { r.SetBodyRaw([]byte("raw")) },
			"HTTP/1.1 200 OK\r\nDate: X\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 3\r\n\r\nraw"},
		{"length follows body", func(r *Response) { r.Header.SetContentLength(100); r.SetBodyString("x") },
			"HTTP/1.1 200 OK\r\nDate: X\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 1\r\n\r\nx"},
		{"length -2 with body", func(r *Response) { r.Header.SetContentLength(-2); r.SetBodyString("abc") },
			"HTTP/1.1 200 OK\r\nDate: X\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc"},
		{"content type", func(r *Response) { r.Header.SetContentType("a/b"); r.SetBodyString("x") },
			"HTTP/1.1 200 OK\r\nDate: X\r\nContent-Type: a/b\r\nContent-Length: 1\r\n\r\nx"},
	}
	for _, c := range cases {
		var r Response
		c.setup(&r)
		got, err := mdlWriteResponse(t, &r)
		if err != nil || got != c.want {
			t.Errorf("%s:\n got %q %v\nwant %q", c.name, got, err, c.want)
		}
	}
}

func TestResponseWriteTrailerInMemory(t *testing.T) {
	t.Parallel()
	var r Response
	_ = r.Header.SetTrailer("X-T")
	r.Header.Set("X-T", "v")
	r.SetBodyString("hello")
	got, err := mdlWriteResponse(t, &r)
	if err != nil || !strings.Contains(got, "Transfer-Encoding: chunked\r\n") || !strings.HasSuffix(got, "\r\n\r\n5\r\nhello\r\n0\r\nX-T: v\r\n\r\n") {
		t.Fatalf("got %q %v", got, err)
	}
}

func TestResponseWriteStreamErrors(t *testing.T) {
	t.Parallel()
	cr := &closeRecorder{Reader: strings.NewReader("abc")}
	var r Response
	r.SetBodyStream(cr, 6)
	if _, err := mdlWriteResponse(t, &r); err == nil {
		t.Fatal("short stream accepted")
	}
	if closed, err := cr.state(); !closed || err == nil {
		t.Fatalf("stream closed=%v with %v: the write error must reach it", closed, err)
	}
	var r2 Response
	r2.SetBodyStreamWriter(func(w *bufio.Writer) { panic("boom") })
	var pe ErrBodyStreamWritePanic
	if _, err := mdlWriteResponse(t, &r2); !errors.As(err, &pe) {
		t.Fatalf("panic: %v", err)
	}
}

func TestResponseImmediateHeaderFlush(t *testing.T) {
	t.Parallel()
	pr, pw := io.Pipe()
	var out bytes.Buffer
	fw := &flushRecorder{w: &out}
	bw := bufio.NewWriter(fw)
	var r Response
	r.ImmediateHeaderFlush = true
	r.SetBodyStream(&onlyReadReader{pr}, -1)
	done := make(chan error, 1)
	go func() { done <- r.Write(bw) }()
	deadline := time.Now().Add(mdlWait)
	for fw.writes() == 0 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if fw.writes() == 0 {
		t.Fatal("header not flushed before the body")
	}
	_ = pw.Close()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// flushRecorder counts the writes a bufio.Writer makes to it (flushes).
type flushRecorder struct {
	w  io.Writer
	mu sync.Mutex
	n  int
}

func (f *flushRecorder) Write(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.n++
	return f.w.Write(p)
}

func (f *flushRecorder) writes() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.n
}

func TestResponseRead(t *testing.T) {
	t.Parallel()
	cases := []struct {
		raw        string
		code       int
		body, rest string
		cl         int
		trailer    string
		close      bool
	}{
		{"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloNEXT", 200, "hello", "NEXT", 5, "", false},
		{"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\nNEXT", 200, "hello", "NEXT", -1, "", false},
		{"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-T\r\n\r\n5\r\nhello\r\n0\r\nX-T: v\r\n\r\n", 200, "hello", "", -1, "v", false},
		{"HTTP/1.1 200 OK\r\n\r\nuntil eof", 200, "until eof", "", 9, "", true},
		{"HTTP/1.0 200 OK\r\n\r\nuntil eof", 200, "until eof", "", 9, "", true},
		{"HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\nhello", 204, "", "hello", 5, "", false},
		{"HTTP/1.1 304 Not Modified\r\n\r\nNEXT", 304, "", "NEXT", 0, "", false},
		{"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", 200, "ok", "", 2, "", false},
	}
	for _, c := range cases {
		var r Response
		br := bufio.NewReader(strings.NewReader(c.raw))
		if err := r.Read(br); err != nil {
			t.Errorf("Read(%q): %v", c.raw, err)
			continue
		}
		rest, _ := io.ReadAll(br)
		if r.StatusCode() != c.code || string(r.Body()) != c.body || string(rest) != c.rest ||
			string(r.Header.Peek("X-T")) != c.trailer || r.ConnectionClose() != c.close {
			t.Errorf("Read(%q) = %d body %q rest %q trailer %q close %v", c.raw, r.StatusCode(), r.Body(), rest, r.Header.Peek("X-T"), r.ConnectionClose())
		}
		if c.cl != 0 && r.Header.ContentLength() != c.cl {
			t.Errorf("Read(%q): ContentLength %d", c.raw, r.Header.ContentLength())
		}
	}
}

func TestResponseReadErrors(t *testing.T) {
	t.Parallel()
	for _, raw := range []string{
		"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloXX",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
	} {
		var r Response
		if err := r.Read(bufio.NewReader(strings.NewReader(raw))); err == nil {
			t.Errorf("accepted %q", raw)
		}
	}
	var r Response
	if err := r.ReadLimitBody(bufio.NewReader(strings.NewReader("HTTP/1.1 200 OK\r\n\r\n0123456789")), 5); !errors.Is(err, ErrBodyTooLarge) {
		t.Fatalf("limit until EOF: %v", err)
	}
	if err := r.ReadLimitBody(bufio.NewReader(strings.NewReader("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789")), 5); !errors.Is(err, ErrBodyTooLarge) {
		t.Fatalf("limit CL: %v", err)
	}
}

func TestResponseReadSkipAndStream(t *testing.T) {
	t.Parallel()
	var r Response
	r.SkipBody = true
	br := bufio.NewReader(strings.NewReader("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"))
	if err := r.Read(br); err != nil || len(r.Body()) != 0 {
		t.Fatalf("SkipBody: %q %v", r.Body(), err)
	}
	if rest, _ := io.ReadAll(br); string(rest) != "hello" {
		t.Fatalf("SkipBody consumed the body: %q", rest)
	}
	for _, raw := range []string{
		"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloNEXT",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-T\r\n\r\n3\r\nhel\r\n2\r\nlo\r\n0\r\nX-T: v\r\n\r\nNEXT",
	} {
		var s Response
		s.StreamBody = true
		br := bufio.NewReader(strings.NewReader(raw))
		if err := s.Read(br); err != nil || !s.IsBodyStream() {
			t.Fatalf("StreamBody: stream=%v %v", s.IsBodyStream(), err)
		}
		body, err := io.ReadAll(s.BodyStream())
		if err != nil || string(body) != "hello" {
			t.Fatalf("streamed %q %v", body, err)
		}
		if rest, _ := io.ReadAll(br); string(rest) != "NEXT" {
			t.Fatalf("stream overran the body: %q", rest)
		}
		if strings.Contains(raw, "Trailer") && string(s.Header.Peek("X-T")) != "v" {
			t.Fatal("trailer of a streamed body lost")
		}
		if _, ok := s.BodyStream().(ReadCloserWithError); !ok {
			t.Fatal("streamed body must implement ReadCloserWithError")
		}
		_ = s.CloseBodyStream()
	}
}

func TestResponseBodyOps(t *testing.T) {
	t.Parallel()
	var r Response
	r.SetBodyStreamWriter(func(w *bufio.Writer) { _, _ = w.WriteString("sw") })
	if !r.IsBodyStream() || string(r.Body()) != "sw" || r.IsBodyStream() {
		t.Fatal("Body must run the StreamWriter")
	}
	r.SetBodyStreamWriter(func(w *bufio.Writer) { _, _ = w.WriteString("sw2") })
	var b bytes.Buffer
	if err := r.BodyWriteTo(&b); err != nil || b.String() != "sw2" {
		t.Fatalf("BodyWriteTo: %q %v", b.String(), err)
	}
	r.SetBodyStreamWriter(func(w *bufio.Writer) { _, _ = w.WriteString("sw3") })
	if s, err := io.ReadAll(r.BodyStream()); err != nil || string(s) != "sw3" {
		t.Fatalf("BodyStream: %q %v", s, err)
	}
	_ = r.CloseBodyStream()
	r.SetBodyStream(iotestErrReader{}, -1)
	if got := string(r.Body()); got != "boom" {
		t.Fatalf("stream error body = %q", got)
	}
	r.SetBodyString("abc")
	if old := r.SwapBody([]byte("x")); string(old) != "abc" || string(r.Body()) != "x" {
		t.Fatal("SwapBody")
	}
	r.KeepBodyBuffer = true
	buf := r.body
	r.Reset()
	if r.body != buf || !r.KeepBodyBuffer {
		t.Fatal("KeepBodyBuffer")
	}
	r.SetBody(make([]byte, 1000))
	r.ReleaseBody(100)
	if r.body != nil {
		t.Fatal("ReleaseBody kept a large buffer")
	}
	_, _ = r.BodyWriter().Write([]byte("w"))
	if string(r.Body()) != "w" {
		t.Fatal("BodyWriter")
	}
}

func TestResponseCopyToAndPool(t *testing.T) {
	t.Parallel()
	var r, d Response
	r.SetStatusCode(201)
	r.Header.Set("X", "y")
	r.SetBodyString("b")
	c1, c2 := net.Pipe()
	r.ParseNetConn(c1)
	_ = c1.Close()
	_ = c2.Close()
	r.CopyTo(&d)
	r.SetBodyString("changed")
	got, err := mdlWriteResponse(t, &d)
	if err != nil || got != "HTTP/1.1 201 Created\r\nDate: X\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 1\r\nX: y\r\n\r\nb" {
		t.Fatalf("copy wrote %q %v", got, err)
	}
	if d.LocalAddr() == nil || d.RemoteAddr() == nil {
		t.Fatal("CopyTo lost addresses")
	}
	if !strings.HasPrefix(mdlMaskDate(d.String()), "HTTP/1.1 201 Created\r\n") {
		t.Fatal("String")
	}
	p := AcquireResponse()
	p.SetBodyString("x")
	p.SkipBody = true
	ReleaseResponse(p)
	p = AcquireResponse()
	defer ReleaseResponse(p)
	if len(p.Body()) != 0 || p.SkipBody || p.StatusCode() != 200 {
		t.Fatal("pooled response not reset")
	}
}

// What Response.Write sends is what net/http reads, over a real socket,
// including a chunked body with trailers.
func TestResponseWriteNetHTTPClient(t *testing.T) {
	t.Parallel()
	for _, host := range mdlHosts(t) {
		ln, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
		if err != nil {
			t.Fatal(err)
		}
		go func() {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close()
			_ = c.SetDeadline(time.Now().Add(mdlWait))
			br := bufio.NewReader(c)
			var req Request
			if err := req.Read(br); err != nil {
				return
			}
			var r Response
			_ = r.Header.SetTrailer("X-Sum")
			r.Header.SetContentType("text/x")
			r.SetBodyStreamWriter(func(w *bufio.Writer) {
				_, _ = w.WriteString("path=" + string(req.URI().Path()))
				r.Header.Set("X-Sum", "42")
			})
			bw := bufio.NewWriter(c)
			_ = r.Write(bw)
			_ = bw.Flush()
		}()
		t.Cleanup(func() { _ = ln.Close() })
		resp, err := mdlHTTPClient().Get("http://" + ln.Addr().String() + "/a%20b")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if string(body) != "path=/a b" || resp.Header.Get("Content-Type") != "text/x" || resp.Trailer.Get("X-Sum") != "42" {
			t.Fatalf("%s: body %q ct %q trailer %v", host, body, resp.Header.Get("Content-Type"), resp.Trailer)
		}
	}
}
