package fasthttp

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"strings"
	"sync"
	"testing"
)

// The tests of this file drive the HTTP/2 server with independent peers:
// Go's net/http client forced to HTTP/2 (golang.org/x/net/http2.Transport)
// and curl. Each runs the same handler over HTTP/1.1 too, so that both
// protocols are seen to behave the same.

// h2tEchoHandler answers what the handler sees of the request.
func h2tEchoHandler(ctx *RequestCtx) {
	switch string(ctx.Path()) {
	case "/echo":
		ctx.Response.Header.Set("X-Method", string(ctx.Method()))
		ctx.Response.Header.Set("X-Proto", string(ctx.Request.Header.Protocol()))
		ctx.Response.Header.Set("X-Host", string(ctx.Host()))
		ctx.Response.Header.Set("X-Query", string(ctx.QueryArgs().Peek("q")))
		ctx.Response.Header.Set("X-Agent", string(ctx.UserAgent()))
		ctx.Response.Header.Set("X-Cookie", string(ctx.Request.Header.Cookie("a"))+","+string(ctx.Request.Header.Cookie("b")))
		ctx.Response.Header.Set("X-TLS", fmt.Sprint(ctx.IsTLS(), ctx.TLSConnectionState() != nil))
		ctx.SetContentType("application/octet-stream")
		ctx.SetBody(ctx.PostBody())
	case "/big":
		ctx.SetBody(bytes.Repeat([]byte("0123456789abcdef"), 64<<10)) // 1 MiB
	case "/stream":
		ctx.SetBodyStreamWriter(func(w *bufio.Writer) {
			for i := 0; i < 5; i++ {
				fmt.Fprintf(w, "chunk %d\n", i)
				_ = w.Flush()
			}
		})
	case "/trailer":
		_ = ctx.Response.Header.SetTrailer("X-Sum")
		ctx.SetBodyString("body")
		ctx.Response.Header.Set("X-Sum", "42")
	case "/status":
		ctx.SetStatusCode(StatusCreated)
		ctx.SetBodyString("created")
	case "/panic":
		panic("boom")
	case "/bighdr":
		// More than a frame: HEADERS and CONTINUATION.
		ctx.Response.Header.Set("X-Big", strings.Repeat("h", 40<<10))
	case "/sized":
		ctx.SetBodyStream(strings.NewReader("exactly twenty bytes and then more"), 20)
	case "/short":
		ctx.SetBodyStream(strings.NewReader("too short"), 100)
	default:
		ctx.SetBodyString("hello " + string(ctx.Path()))
	}
}

func TestHTTP2NetHTTPClient(t *testing.T) {
	h2tModes(t, func(t *testing.T, useTLS bool) {
		s := &Server{Handler: h2tEchoHandler, Logger: &srvLog{}}
		ts := h2tStart(t, s, nil, useTLS)
		c := h2tClient(t, ts)

		// The same handler over HTTP/1.1: both protocols answer alike.
		s1 := &Server{Handler: h2tEchoHandler, Logger: &srvLog{}}
		addr1 := srvStart(t, s1, "127.0.0.1")

		body := strings.Repeat("payload-", 10000)
		for _, proto := range []string{"h2", "h1"} {
			url := ts.url("/echo?q=v")
			cl := c
			if proto == "h1" {
				url = "http://" + addr1 + "/echo?q=v"
				cl = http.DefaultClient
			}
			req, _ := http.NewRequest("POST", url, strings.NewReader(body))
			req.Header.Set("User-Agent", "h2test")
			req.Header.Add("Cookie", "a=1")
			req.Header.Add("Cookie", "b=2")
			resp, err := cl.Do(req)
			if err != nil {
				t.Fatalf("%s: %v", proto, err)
			}
			got, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			wantProto := "HTTP/2.0"
			if proto == "h1" {
				wantProto = "HTTP/1.1"
			}
			if resp.Proto != wantProto {
				t.Errorf("%s: response protocol %q", proto, resp.Proto)
			}
			if string(got) != body {
				t.Errorf("%s: echoed %d bytes, want %d", proto, len(got), len(body))
			}
			for k, want := range map[string]string{
				"X-Method": "POST", "X-Proto": wantProto, "X-Query": "v", "X-Agent": "h2test",
				"X-Cookie": "1,2", "Content-Type": "application/octet-stream", "Server": "fasthttp",
			} {
				if v := resp.Header.Get(k); v != want {
					t.Errorf("%s: %s = %q, want %q", proto, k, v, want)
				}
			}
			if proto == "h2" {
				wantTLS := fmt.Sprint(useTLS, useTLS)
				if v := resp.Header.Get("X-TLS"); v != wantTLS {
					t.Errorf("h2: IsTLS, TLSConnectionState = %q, want %q", v, wantTLS)
				}
				if v := resp.Header.Get("X-Host"); v != ts.addr {
					t.Errorf("h2: Host = %q, want %q", v, ts.addr)
				}
			}
			if resp.Header.Get("Date") == "" {
				t.Errorf("%s: no Date", proto)
			}
		}
	})
}

func TestHTTP2NetHTTPBodiesAndTrailers(t *testing.T) {
	h2tModes(t, func(t *testing.T, useTLS bool) {
		s := &Server{Handler: h2tEchoHandler, Logger: &srvLog{}}
		ts := h2tStart(t, s, nil, useTLS)
		c := h2tClient(t, ts)

		get := func(path string) (*http.Response, []byte) {
			t.Helper()
			resp, err := c.Get(ts.url(path))
			if err != nil {
				t.Fatalf("GET %s: %v", path, err)
			}
			b, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil {
				t.Fatalf("GET %s body: %v", path, err)
			}
			return resp, b
		}
		resp, b := get("/big")
		sum := sha256.Sum256(bytes.Repeat([]byte("0123456789abcdef"), 64<<10))
		if got := sha256.Sum256(b); got != sum || resp.ContentLength != 1<<20 {
			t.Errorf("/big: %d bytes, Content-Length %d, sha %s", len(b), resp.ContentLength, hex.EncodeToString(got[:4]))
		}
		resp, b = get("/stream")
		if string(b) != "chunk 0\nchunk 1\nchunk 2\nchunk 3\nchunk 4\n" || resp.ContentLength != -1 {
			t.Errorf("/stream: %q (Content-Length %d)", b, resp.ContentLength)
		}
		resp, b = get("/trailer")
		if string(b) != "body" || resp.Trailer.Get("X-Sum") != "42" {
			t.Errorf("/trailer: %q, trailer %v", b, resp.Trailer)
		}
		resp, b = get("/status")
		if resp.StatusCode != 201 || string(b) != "created" {
			t.Errorf("/status: %d %q", resp.StatusCode, b)
		}
		resp, b = get("/panic")
		if resp.StatusCode != 500 {
			t.Errorf("/panic: %d %q", resp.StatusCode, b)
		}
		resp, _ = get("/bighdr")
		if len(resp.Header.Get("X-Big")) != 40<<10 {
			t.Errorf("/bighdr: X-Big of %d bytes", len(resp.Header.Get("X-Big")))
		}
		resp, b = get("/sized")
		if string(b) != "exactly twenty bytes" || resp.ContentLength != 20 {
			t.Errorf("/sized: %q (Content-Length %d)", b, resp.ContentLength)
		}
		if resp, err := c.Get(ts.url("/short")); err == nil {
			b, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err == nil {
				t.Errorf("/short: a body stream shorter than its length read as complete: %q", b)
			}
		}
		req, _ := http.NewRequest("HEAD", ts.url("/big"), nil)
		hr, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		hb, _ := io.ReadAll(hr.Body)
		hr.Body.Close()
		if len(hb) != 0 || hr.ContentLength != 1<<20 {
			t.Errorf("HEAD /big: %d body bytes, Content-Length %d", len(hb), hr.ContentLength)
		}

		// Many streams at once on the one connection.
		var wg sync.WaitGroup
		errs := make(chan error, 64)
		for i := 0; i < 64; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				want := fmt.Sprintf("body-%d", i)
				resp, err := c.Post(ts.url("/echo"), "text/plain", strings.NewReader(want))
				if err != nil {
					errs <- err
					return
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if string(b) != want {
					errs <- fmt.Errorf("stream %d echoed %q", i, b)
				}
			}(i)
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
	})
}

// curl, when installed, must get the same answers over --http2 (TLS with
// ALPN) and --http2-prior-knowledge (h2c).
func TestHTTP2Curl(t *testing.T) {
	curl, err := exec.LookPath("curl")
	if err != nil {
		t.Skip("curl is not installed")
	}
	if out, err := exec.Command(curl, "--version").Output(); err != nil || !strings.Contains(string(out), "HTTP2") {
		t.Skip("curl has no HTTP/2 support")
	}
	h2tModes(t, func(t *testing.T, useTLS bool) {
		s := &Server{Handler: h2tEchoHandler, Logger: &srvLog{}}
		ts := h2tStart(t, s, nil, useTLS)
		args := []string{"-sS", "--max-time", "10", "-D", "-", "-H", "User-Agent: curl-h2", "--data-binary", "posted", ts.url("/echo?q=curl")}
		if useTLS {
			args = append([]string{"--http2", "-k"}, args...)
		} else {
			args = append([]string{"--http2-prior-knowledge"}, args...)
		}
		out, err := exec.Command(curl, args...).CombinedOutput()
		if err != nil {
			t.Fatalf("curl: %v\n%s", err, out)
		}
		got := string(out)
		for _, want := range []string{"HTTP/2 200", "x-method: POST", "x-proto: HTTP/2.0", "x-query: curl", "x-agent: curl-h2", "\r\n\r\nposted"} {
			if !strings.Contains(got, want) {
				t.Errorf("curl output lacks %q:\n%s", want, got)
			}
		}
	})
}

// h2load (nghttp2), when installed: many streams on several connections,
// every request answered.
func TestHTTP2H2Load(t *testing.T) {
	h2load, err := exec.LookPath("h2load")
	if err != nil {
		t.Skip("h2load is not installed")
	}
	h2tModes(t, func(t *testing.T, useTLS bool) {
		s := &Server{Handler: h2tEchoHandler, Logger: &srvLog{}}
		ts := h2tStart(t, s, nil, useTLS)
		out, err := exec.Command(h2load, "-n", "4000", "-c", "4", "-m", "100", ts.url("/hello")).CombinedOutput()
		if err != nil {
			t.Fatalf("h2load: %v\n%s", err, out)
		}
		if !strings.Contains(string(out), "4000 succeeded, 0 failed, 0 errored") {
			t.Errorf("h2load:\n%s", out)
		}
	})
}
