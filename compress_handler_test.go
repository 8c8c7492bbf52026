package fasthttp

import (
	"bufio"
	"bytes"
	stdgzip "compress/gzip"
	"errors"
	"io"
	"net/http"
	"os/exec"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/zstd"
)

func TestCompressNegotiateCoding(t *testing.T) {
	t.Parallel()
	all := handlerCodingsBrotli
	cases := []struct {
		ae   string
		set  codingSet
		want coding
	}{
		{"", all, codingIdentity},
		{"gzip", all, codingGzip},
		{"GZIP", all, codingGzip},
		{"gzip, deflate, br, zstd", all, codingBrotli},
		{"gzip, deflate, br, zstd", handlerCodings, codingGzip},
		{"zstd", handlerCodings, codingZstd},
		{"br", handlerCodings, codingIdentity},
		{"gzip;q=0.5, deflate", all, codingDeflate},
		{"gzip;q=0.5, br;q=0.8", all, codingBrotli},
		{"br;q=0, gzip", all, codingGzip},
		{"gzip;q=0", all, codingIdentity},
		{"gzip;q=0.000", all, codingIdentity},
		{"gzip; q=0", all, codingIdentity},
		{"gzip;Q=0", all, codingIdentity},
		{"*", all, codingBrotli},
		{"*;q=0", all, codingIdentity},
		{"gzip;q=0, *", all, codingBrotli},
		{"br;q=0, zstd;q=0, *;q=0.5", all, codingGzip},
		{"identity", all, codingIdentity},
		{"gzip;q=0.5, identity", all, codingIdentity},
		{"gzip;q=1.5", all, codingIdentity}, // malformed weight: not permission
		{"gzip;q=abc", all, codingIdentity},
		{"gzip;level=1", all, codingGzip},
		{" , gzip ,, ", all, codingGzip},
		{"x-gzip", all, codingGzip},
		{"compress, gzip;q=0.1", all, codingGzip},
	}
	for _, c := range cases {
		if got := negotiateCoding([]byte(c.ae), c.set, handlerPrefs); got != c.want {
			t.Errorf("%q: got %v, want %v", c.ae, got, c.want)
		}
	}
}

// cfsBodyHandler answers with n bytes of text, shaped by the query:
// ct (Content-Type), ce (Content-Encoding), status, etag, stream=1
// (SetBodyStream, known size), 2 (SetBodyStreamWriter), 3 (unknown size).
func cfsBodyHandler(ctx *RequestCtx) {
	q := ctx.QueryArgs()
	n := q.GetUintOrZero("n")
	body := bytes.Repeat([]byte("0123456789abcdef"), n/16+1)[:n]
	if ct := q.Peek("ct"); len(ct) > 0 {
		ctx.SetContentTypeBytes(ct)
	}
	if ce := q.Peek("ce"); len(ce) > 0 {
		ctx.Response.Header.SetContentEncodingBytes(ce)
	}
	if st := q.GetUintOrZero("status"); st > 0 {
		ctx.SetStatusCode(st)
	}
	if et := q.Peek("etag"); len(et) > 0 {
		ctx.Response.Header.SetBytesV(HeaderETag, et)
	}
	switch string(q.Peek("stream")) {
	case "1":
		ctx.SetBodyStream(bytes.NewReader(body), len(body))
	case "2":
		ctx.SetBodyStreamWriter(func(w *bufio.Writer) { _, _ = w.Write(body) })
	case "3":
		ctx.SetBodyStream(bytes.NewReader(body), -1)
	default:
		ctx.SetBody(body)
	}
}

func cfsDecode(t *testing.T, ce string, b []byte) []byte {
	t.Helper()
	var r io.Reader
	switch ce {
	case "gzip":
		zr, err := stdgzip.NewReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		r = zr
	case "br":
		r = brotli.NewReader(bytes.NewReader(b))
	case "zstd":
		zr, err := zstd.NewReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		defer zr.Close()
		r = zr
	case "deflate":
		out, err := AppendInflateBytes(nil, b)
		if err != nil {
			t.Fatal(err)
		}
		return out
	default:
		return b
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("decoding %s: %v", ce, err)
	}
	return out
}

func TestCompressHandlerOverServer(t *testing.T) {
	t.Parallel()
	addr := cfsServer(t, CompressHandlerBrotliLevel(cfsBodyHandler, CompressBrotliBestSpeed, CompressBestSpeed))
	want := func(n int) []byte { return bytes.Repeat([]byte("0123456789abcdef"), n/16+1)[:n] }
	cases := []struct {
		query, ae, wantCE string
		vary              bool
		chunked           bool
	}{
		{"n=5000", "gzip, deflate, br, zstd", "br", true, false},
		{"n=5000", "gzip", "gzip", true, false},
		{"n=5000", "deflate", "deflate", true, false},
		{"n=5000", "zstd", "zstd", true, false},
		{"n=5000", "gzip;q=0.2, zstd;q=0.9", "zstd", true, false},
		{"n=5000", "gzip;q=0, br;q=0", "", true, false},
		{"n=5000", "", "", true, false},
		{"n=199", "gzip", "", false, false},
		{"n=200", "gzip", "gzip", true, false},
		{"n=5000&ct=image/png", "gzip", "", false, false},
		{"n=5000&ct=video/mp4", "gzip", "", false, false},
		{"n=5000&ct=application/zip", "gzip", "", false, false},
		{"n=5000&ct=image/svg%2Bxml", "gzip", "gzip", true, false},
		{"n=5000&ct=application/json", "gzip", "gzip", true, false},
		{"n=5000&ce=gzip", "gzip", "gzip", false, false}, // already encoded: left alone
		{"n=5000&status=206", "gzip", "", false, false},
		{"n=5000&status=204", "gzip", "", false, false},
		{"n=5000&stream=1", "gzip", "gzip", true, true},
		{"n=5000&stream=2", "br", "br", true, true},
		{"n=5000&stream=3", "zstd", "zstd", true, true},
		{"n=10&stream=1", "gzip", "", false, false},
	}
	for _, c := range cases {
		resp, body := cfsGet(t, "http://"+addr+"/?"+c.query, "Accept-Encoding: "+c.ae)
		if got := resp.Header.Get("Content-Encoding"); got != c.wantCE && !strings.Contains(c.query, "ce=") {
			t.Errorf("%s with %q: Content-Encoding %q, want %q", c.query, c.ae, got, c.wantCE)
			continue
		}
		if got := resp.Header.Get("Vary") == "Accept-Encoding"; got != c.vary {
			t.Errorf("%s with %q: Vary %q", c.query, c.ae, resp.Header.Get("Vary"))
		}
		if c.chunked != (len(resp.TransferEncoding) > 0) {
			t.Errorf("%s: Transfer-Encoding %v", c.query, resp.TransferEncoding)
		}
		if strings.Contains(c.query, "ce=") || resp.StatusCode == http.StatusNoContent {
			continue
		}
		n := 5000
		if strings.HasPrefix(c.query, "n=199") {
			n = 199
		} else if strings.HasPrefix(c.query, "n=200") {
			n = 200
		} else if strings.HasPrefix(c.query, "n=10&") {
			n = 10
		}
		if got := cfsDecode(t, c.wantCE, body); !bytes.Equal(got, want(n)) {
			t.Errorf("%s with %q: body differs after decoding (%d bytes)", c.query, c.ae, len(got))
		}
		if c.wantCE != "" && len(body) >= n {
			t.Errorf("%s: %d compressed bytes for %d", c.query, len(body), n)
		}
	}
}

// Go's own client asks for gzip and decodes it transparently: what it
// reads must be the handler's body.
func TestCompressHandlerNetHTTPClientDecodes(t *testing.T) {
	t.Parallel()
	addr := cfsServer(t, CompressHandler(cfsBodyHandler))
	for _, q := range []string{"n=100000", "n=100000&stream=1", "n=100000&stream=2"} {
		resp, body := cfsDo(t, cfsClient(true), http.MethodGet, "http://"+addr+"/?"+q)
		if !resp.Uncompressed {
			t.Fatalf("%s: net/http did not see a gzip body", q)
		}
		if !bytes.Equal(body, bytes.Repeat([]byte("0123456789abcdef"), 100000/16+1)[:100000]) {
			t.Fatalf("%s: body differs", q)
		}
	}
}

// curl, as a browser would, accepts br, zstd and gzip and decodes them.
func TestCompressHandlerCurl(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("curl not installed")
	}
	addr := cfsServer(t, CompressHandlerBrotliLevel(cfsBodyHandler, 4, 6))
	want := bytes.Repeat([]byte("0123456789abcdef"), 50000/16+1)[:50000]
	for _, ae := range []string{"gzip", "br", "zstd", "deflate"} {
		out, err := exec.Command("curl", "-sS", "--max-time", "10", "--compressed",
			"-H", "Accept-Encoding: "+ae, "http://"+addr+"/?n=50000&stream=2").Output()
		if err != nil {
			t.Fatalf("curl %s: %v", ae, err)
		}
		if !bytes.Equal(out, want) {
			t.Fatalf("curl %s: %d bytes, body differs", ae, len(out))
		}
	}
}

// A strong ETag gets a value of its own per coding, and stays strong (so
// that Fiber's compress middleware, which recomputes strong tags over the
// encoded body, still does); weak tags and identity responses keep theirs.
func TestCompressHandlerStrongETagPerCoding(t *testing.T) {
	t.Parallel()
	addr := cfsServer(t, CompressHandlerBrotliLevel(cfsBodyHandler, CompressBrotliBestSpeed, CompressBestSpeed))
	for _, ae := range []string{"gzip", "br", "zstd", "deflate"} {
		resp, _ := cfsGet(t, "http://"+addr+"/?n=1000&etag=%22v1%22", "Accept-Encoding: "+ae)
		if got, want := resp.Header.Get("ETag"), `"v1-`+ae+`"`; got != want || resp.Header.Get("Content-Encoding") != ae {
			t.Fatalf("%s: ETag %q (want %q), Content-Encoding %q", ae, got, want, resp.Header.Get("Content-Encoding"))
		}
	}
	resp, _ := cfsGet(t, "http://"+addr+"/?n=1000&etag=%22v1%22")
	if got := resp.Header.Get("ETag"); got != `"v1"` {
		t.Fatalf("uncompressed ETag %q", got)
	}
	resp, _ = cfsGet(t, "http://"+addr+"/?n=1000&etag=W/%22v1%22", "Accept-Encoding: gzip")
	if got := resp.Header.Get("ETag"); got != `W/"v1"` {
		t.Fatalf("weak ETag %q", got)
	}
}

// A stream writer's Flush must still reach the client at once when the
// stream is compressed: the client reads the first part, decoded, while
// the handler waits for it.
func TestCompressHandlerStreamFlushReachesClient(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	addr := cfsServer(t, CompressHandler(func(ctx *RequestCtx) {
		ctx.SetBodyStreamWriter(func(w *bufio.Writer) {
			_, _ = w.WriteString("first part;")
			_ = w.Flush()
			select {
			case <-release:
			case <-time.After(5 * time.Second):
			}
			_, _ = w.WriteString(strings.Repeat("rest ", 100))
		})
	}))
	req, _ := http.NewRequest(http.MethodGet, "http://"+addr+"/", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := cfsClient(false).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("not compressed: %v", resp.Header)
	}
	zr, err := stdgzip.NewReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	first := make([]byte, len("first part;"))
	got := make(chan error, 1)
	go func() {
		_, err := io.ReadFull(zr, first)
		got <- err
	}()
	select {
	case err := <-got:
		if err != nil || string(first) != "first part;" {
			t.Fatalf("first part: %q %v", first, err)
		}
	case <-time.After(3 * time.Second):
		close(release)
		t.Fatal("flushed data did not reach the client while the handler waited")
	}
	close(release)
	rest, err := io.ReadAll(zr)
	if err != nil || string(rest) != strings.Repeat("rest ", 100) {
		t.Fatalf("rest: %d bytes, %v", len(rest), err)
	}
}

// cfsCloseTracker is a body stream that records being closed.
type cfsCloseTracker struct {
	io.Reader
	closed *atomic.Bool
}

func (c cfsCloseTracker) Close() error {
	c.closed.Store(true)
	return nil
}

func TestCompressHandlerClosesOriginalStream(t *testing.T) {
	t.Parallel()
	var closed, closedHead atomic.Bool
	addr := cfsServer(t, CompressHandler(func(ctx *RequestCtx) {
		flag := &closed
		if ctx.IsHead() {
			flag = &closedHead
		}
		ctx.SetBodyStream(cfsCloseTracker{bytes.NewReader(cfsText), flag}, len(cfsText))
	}))
	_, body := cfsGet(t, "http://"+addr+"/", "Accept-Encoding: gzip")
	if !bytes.Equal(cfsDecode(t, "gzip", body), cfsText) {
		t.Fatal("body differs")
	}
	resp, body := cfsDo(t, cfsClient(false), http.MethodHead, "http://"+addr+"/", "Accept-Encoding: gzip")
	if len(body) != 0 || resp.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("HEAD: %v, %d body bytes", resp.Header, len(body))
	}
	deadline := time.Now().Add(2 * time.Second)
	for !(closed.Load() && closedHead.Load()) && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if !closed.Load() || !closedHead.Load() {
		t.Fatalf("original stream not closed: GET %v HEAD %v", closed.Load(), closedHead.Load())
	}
}

// Inside a server, the Body* methods without a limit are bounded by the
// server's MaxRequestBodySize, so a small upload cannot inflate to
// gigabytes in a handler; multipart decoding is bounded the same way.
func TestCompressRequestBombOverServer(t *testing.T) {
	bomb := cfsBomb(t, codingGzip, 1<<30)
	s := &Server{
		MaxRequestBodySize: 2 << 20,
		Handler: func(ctx *RequestCtx) {
			var err error
			if ctx.QueryArgs().Has("multipart") {
				_, err = ctx.MultipartForm()
			} else {
				var b []byte
				b, err = ctx.Request.BodyUncompressed()
				if err == nil {
					ctx.SetBodyString("decoded " + strconv.Itoa(len(b)))
				}
			}
			if errors.Is(err, ErrBodyTooLarge) {
				ctx.Error("too large", StatusRequestEntityTooLarge)
				return
			}
			if err != nil {
				ctx.Error(err.Error(), StatusBadRequest)
			}
		},
	}
	addr := cfsServe(t, s, "", "")
	for _, q := range []string{"", "?multipart"} {
		ct, body := "application/octet-stream", bomb
		if q != "" {
			// A file part whose content is the gigabyte of zeros: gzip
			// members concatenate into one stream.
			ct = "multipart/form-data; boundary=xyz"
			head := AppendGzipBytes(nil, []byte("--xyz\r\nContent-Disposition: form-data; name=\"f\"; filename=\"f\"\r\n\r\n"))
			body = append(head, bomb...)
		}
		req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/"+q, bytes.NewReader(body))
		req.Header.Set("Content-Encoding", "gzip")
		req.Header.Set("Content-Type", ct)
		start := time.Now()
		resp, err := cfsClient(false).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		if resp.StatusCode != StatusRequestEntityTooLarge {
			t.Fatalf("%s: status %d, want 413", q, resp.StatusCode)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Fatalf("%s: took %v", q, d)
		}
	}
	// A legitimate compressed multipart upload still parses.
	var mp bytes.Buffer
	mp.WriteString("--xyz\r\nContent-Disposition: form-data; name=\"field\"\r\n\r\nvalue\r\n--xyz--\r\n")
	s2 := &Server{Handler: func(ctx *RequestCtx) {
		f, err := ctx.MultipartForm()
		if err != nil {
			ctx.Error(err.Error(), StatusBadRequest)
			return
		}
		ctx.SetBodyString(f.Value["field"][0])
	}}
	addr2 := cfsServe(t, s2, "", "")
	req, _ := http.NewRequest(http.MethodPost, "http://"+addr2+"/", bytes.NewReader(AppendGzipBytes(nil, mp.Bytes())))
	req.Header.Set("Content-Encoding", "gzip")
	req.Header.Set("Content-Type", "multipart/form-data; boundary=xyz")
	resp, err := cfsClient(false).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if b, _ := io.ReadAll(resp.Body); string(b) != "value" {
		t.Fatalf("multipart: %d %q", resp.StatusCode, b)
	}
}
