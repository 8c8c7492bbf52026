package fasthttp

import (
	"bufio"
	"bytes"
	"testing"
)

// hdrBrowserRequest is a request header as a desktop browser sends it.
const hdrBrowserRequest = "GET /static/app.js?v=1234 HTTP/1.1\r\n" +
	"Host: www.example.com\r\n" +
	"Connection: keep-alive\r\n" +
	"sec-ch-ua: \"Chromium\";v=\"124\", \"Google Chrome\";v=\"124\", \"Not-A.Brand\";v=\"99\"\r\n" +
	"sec-ch-ua-mobile: ?0\r\n" +
	"User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36\r\n" +
	"sec-ch-ua-platform: \"Linux\"\r\n" +
	"Accept: */*\r\n" +
	"Sec-Fetch-Site: same-origin\r\n" +
	"Sec-Fetch-Mode: no-cors\r\n" +
	"Sec-Fetch-Dest: script\r\n" +
	"Referer: https://www.example.com/index.html\r\n" +
	"Accept-Encoding: gzip, deflate, br, zstd\r\n" +
	"Accept-Language: en-US,en;q=0.9,de;q=0.8\r\n" +
	"Cookie: session=0123456789abcdef; theme=dark; _ga=GA1.2.123456789.1700000000\r\n" +
	"\r\n"

// hdrRepeatReader serves the same bytes forever without allocating.
type hdrRepeatReader struct {
	b []byte
	n int
}

func (r *hdrRepeatReader) Read(p []byte) (int, error) {
	n := copy(p, r.b[r.n:])
	r.n = (r.n + n) % len(r.b)
	return n, nil
}

func BenchmarkRequestHeaderRead(b *testing.B) {
	br := bufio.NewReaderSize(&hdrRepeatReader{b: []byte(hdrBrowserRequest)}, 4096)
	var h RequestHeader
	b.SetBytes(int64(len(hdrBrowserRequest)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if err := h.Read(br); err != nil {
			b.Fatal(err)
		}
	}
	if string(h.Host()) != "www.example.com" {
		b.Fatal("parse went wrong")
	}
}

func BenchmarkRequestHeaderReadPeek(b *testing.B) {
	br := bufio.NewReaderSize(&hdrRepeatReader{b: []byte(hdrBrowserRequest)}, 4096)
	var h RequestHeader
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if err := h.Read(br); err != nil {
			b.Fatal(err)
		}
		if len(h.Peek("Accept-Language")) == 0 || len(h.Cookie("theme")) == 0 || !h.HasAcceptEncoding("br") {
			b.Fatal("lookup failed")
		}
	}
}

func BenchmarkResponseHeaderWrite(b *testing.B) {
	var h ResponseHeader
	var dst []byte
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		h.Reset()
		h.SetContentType("text/html; charset=utf-8")
		h.SetServer("fasthttp")
		h.Set("Cache-Control", "no-cache")
		h.SetBytesV("X-Request-Id", []byte("7f3c9a1e"))
		h.Set("Vary", "Accept-Encoding")
		h.SetContentLength(1234)
		dst = h.AppendBytes(dst[:0])
	}
	if !bytes.Contains(dst, []byte("\r\nX-Request-Id: 7f3c9a1e\r\n")) {
		b.Fatal("write went wrong")
	}
}

func BenchmarkRequestHeaderWrite(b *testing.B) {
	h := RequestHeader{}
	if err := h.Read(bufio.NewReader(bytes.NewReader([]byte(hdrBrowserRequest)))); err != nil {
		b.Fatal(err)
	}
	var dst []byte
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		dst = h.AppendBytes(dst[:0])
	}
}

// hdrArgsRequest is the request of the server benchmarks' Args case.
const hdrArgsRequest = "GET /bench?name=gopher&id=42 HTTP/1.1\r\nHost: example.com\r\n" +
	"User-Agent: Mozilla/5.0 (X11; Linux x86_64) bench/1.0\r\n" +
	"Accept: text/plain,*/*;q=0.8\r\n" +
	"Accept-Encoding: gzip, deflate\r\n" +
	"Cookie: session=abc123; theme=dark\r\n" +
	"X-Request-Id: 7f3c9a1e\r\n\r\n"

// BenchmarkArgsHeaderWork is the header share of one Args request: parse
// the request header, look a field up, build and write the response header.
func BenchmarkArgsHeaderWork(b *testing.B) {
	br := bufio.NewReaderSize(&hdrRepeatReader{b: []byte(hdrArgsRequest)}, 4096)
	var req RequestHeader
	var resp ResponseHeader
	var dst []byte
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if err := req.Read(br); err != nil {
			b.Fatal(err)
		}
		rid := req.Peek("X-Request-Id")
		resp.Reset()
		resp.SetContentType("text/plain; charset=utf-8")
		resp.SetBytesV("X-Request-Id", rid)
		resp.SetContentLength(14)
		dst = resp.AppendBytes(dst[:0])
	}
}

// BenchmarkPlainHeaderWork is the header share of the smallest request:
// one Host field in, a content type and length out.
func BenchmarkPlainHeaderWork(b *testing.B) {
	br := bufio.NewReaderSize(&hdrRepeatReader{b: []byte("GET / HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n")}, 4096)
	var req RequestHeader
	var resp ResponseHeader
	var dst []byte
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if err := req.Read(br); err != nil {
			b.Fatal(err)
		}
		resp.Reset()
		resp.SetContentType("text/plain")
		resp.SetContentLength(13)
		dst = resp.AppendBytes(dst[:0])
	}
}

func TestHeaderHotPathsDoNotAllocate(t *testing.T) {
	br := bufio.NewReaderSize(&hdrRepeatReader{b: []byte(hdrBrowserRequest)}, 4096)
	var req RequestHeader
	var resp ResponseHeader
	var dst []byte
	run := func() {
		if err := req.Read(br); err != nil {
			t.Fatal(err)
		}
		_ = req.Peek("accept-language")
		_ = req.Cookie("theme")
		resp.Reset()
		resp.SetContentType("text/plain")
		resp.SetBytesV("X-Request-Id", req.Peek("X-Request-Id"))
		resp.Set("cache-control", "no-cache")
		resp.SetContentLength(10)
		dst = resp.AppendBytes(dst[:0])
		dst = req.AppendBytes(dst[:0])
	}
	run() // warm the buffers
	if n := testing.AllocsPerRun(100, run); n != 0 {
		t.Fatalf("%v allocations per request", n)
	}
}
