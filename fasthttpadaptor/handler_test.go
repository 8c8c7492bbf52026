package fasthttpadaptor_test

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/valyala/fasthttp"
	"github.com/valyala/fasthttp/fasthttpadaptor"
)

func get(t *testing.T, c *http.Client, method, url string, body io.Reader) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

func TestHandlerResponseSemantics(t *testing.T) {
	t.Parallel()
	h := fasthttpadaptor.NewFastHTTPHandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/headers":
			w.Header().Add("Set-Cookie", "a=1")
			w.Header().Add("Set-Cookie", "b=2")
			w.Header().Add("X-Multi", "1")
			w.Header().Add("X-Multi", "2")
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusCreated)
			io.WriteString(w, `{"ok":true}`)
		case "/sniff":
			w.Write([]byte("<!DOCTYPE html><html><body>hi</body></html>"))
		case "/empty":
		case "/notype":
			w.Header()["Content-Type"] = nil
			io.WriteString(w, "<html>")
		case "/frozen":
			w.Write([]byte("x"))
			w.Header().Set("X-Late", "1") // ignored: the header is frozen
			w.WriteHeader(http.StatusTeapot)
		case "/nobody":
			w.WriteHeader(http.StatusNoContent)
			if _, err := w.Write([]byte("x")); !errors.Is(err, http.ErrBodyNotAllowed) {
				panic(fmt.Sprintf("Write on 204: %v", err))
			}
		case "/injection":
			w.Header().Set("X-Evil", "a\r\nInjected: yes")
		case "/echo":
			b, _ := io.ReadAll(r.Body)
			fmt.Fprintf(w, "%s %s %d %q", r.Method, r.URL.RawQuery, r.ContentLength, b)
		}
	})
	base := startServer(t, h, false)
	c := testClient()

	resp, body := get(t, c, "GET", base+"/headers", nil)
	if resp.StatusCode != 201 || body != `{"ok":true}` || resp.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("/headers: %d %q %v", resp.StatusCode, body, resp.Header)
	}
	if got := resp.Header.Values("Set-Cookie"); !reflect.DeepEqual(got, []string{"a=1", "b=2"}) {
		t.Fatalf("Set-Cookie %q", got)
	}
	if got := resp.Header.Values("X-Multi"); !reflect.DeepEqual(got, []string{"1", "2"}) {
		t.Fatalf("X-Multi %q", got)
	}

	resp, _ = get(t, c, "GET", base+"/sniff", nil)
	if ct := resp.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Fatalf("sniffed Content-Type %q", ct)
	}

	// An empty body gets no sniffed type: whatever the server does for an
	// empty fasthttp response.
	resp, body = get(t, c, "GET", base+"/empty", nil)
	plainResp, _ := get(t, c, "GET", startServer(t, func(*fasthttp.RequestCtx) {}, false), nil)
	if resp.StatusCode != 200 || body != "" || resp.Header.Get("Content-Type") != plainResp.Header.Get("Content-Type") {
		t.Fatalf("/empty: %d %q Content-Type %q", resp.StatusCode, body, resp.Header.Get("Content-Type"))
	}

	// A nil Content-Type entry suppresses the field, as in net/http.
	resp, body = get(t, c, "GET", base+"/notype", nil)
	if body != "<html>" || len(resp.Header.Values("Content-Type")) != 0 {
		t.Fatalf("/notype: %q %v", body, resp.Header)
	}

	resp, body = get(t, c, "GET", base+"/frozen", nil)
	if resp.StatusCode != 200 || body != "x" || resp.Header.Get("X-Late") != "" {
		t.Fatalf("/frozen: %d %q %v", resp.StatusCode, body, resp.Header)
	}

	resp, _ = get(t, c, "GET", base+"/nobody", nil)
	if resp.StatusCode != 204 {
		t.Fatalf("/nobody: %d", resp.StatusCode)
	}

	resp, _ = get(t, c, "GET", base+"/injection", nil)
	if resp.Header.Get("Injected") != "" {
		t.Fatal("a CRLF in a header value started a new field")
	}

	_, body = get(t, c, "POST", base+"/echo?a=b", strings.NewReader("payload"))
	if body != `POST a=b 7 "payload"` {
		t.Fatalf("/echo: %q", body)
	}
}

// TestHandlerFlushStreams proves a Flush reaches the client while the
// handler is still running.
func TestHandlerFlushStreams(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	h := fasthttpadaptor.NewFastHTTPHandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Stream", "yes")
		io.WriteString(w, "first;")
		w.(http.Flusher).Flush()
		select {
		case <-release:
		case <-time.After(5 * time.Second):
		}
		io.WriteString(w, "second")
	})
	base := startServer(t, h, false)
	resp, err := testClient().Get(base + "/")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.Header.Get("X-Stream") != "yes" || len(resp.TransferEncoding) == 0 {
		t.Fatalf("header %v TE %v", resp.Header, resp.TransferEncoding)
	}
	buf := make([]byte, len("first;"))
	if _, err := io.ReadFull(resp.Body, buf); err != nil || string(buf) != "first;" {
		t.Fatalf("first part %q, %v (must arrive before the handler returns)", buf, err)
	}
	close(release)
	rest, err := io.ReadAll(resp.Body)
	if err != nil || string(rest) != "second" {
		t.Fatalf("rest %q, %v", rest, err)
	}
}

// TestHandlerStreamCancelledOnDisconnect checks that a streaming handler
// learns through r.Context that the client went away, so it returns
// instead of running forever.
func TestHandlerStreamCancelledOnDisconnect(t *testing.T) {
	t.Parallel()
	returned := make(chan error, 1)
	h := fasthttpadaptor.NewFastHTTPHandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-r.Context().Done():
				returned <- r.Context().Err()
				return
			case <-tick.C:
				io.WriteString(w, "data: tick\n\n")
				w.(http.Flusher).Flush()
			}
		}
	})
	base := startServer(t, h, false)
	c := dialRaw(t, base)
	io.WriteString(c, "GET /events HTTP/1.1\r\nHost: x\r\n\r\n")
	br := bufio.NewReader(c)
	if line, err := br.ReadString('\n'); err != nil || !strings.HasPrefix(line, "HTTP/1.1 200") {
		t.Fatalf("status line %q, %v", line, err)
	}
	c.Close()
	select {
	case err := <-returned:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("context error %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("handler was not cancelled after the client disconnected")
	}
}

func TestHandlerStreamDeclaredLength(t *testing.T) {
	t.Parallel()
	h := fasthttpadaptor.NewFastHTTPHandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "10")
		io.WriteString(w, "01234")
		w.(http.Flusher).Flush()
		io.WriteString(w, "56789")
	})
	base := startServer(t, h, false)
	resp, body := get(t, testClient(), "GET", base, nil)
	if resp.ContentLength != 10 || body != "0123456789" {
		t.Fatalf("CL %d body %q", resp.ContentLength, body)
	}
}

func TestHandlerHijack(t *testing.T) {
	t.Parallel()
	h := fasthttpadaptor.NewFastHTTPHandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/tunnel" {
			// A CONNECT-style answer: status first, then raw bytes.
			w.WriteHeader(http.StatusOK)
		}
		c, brw, err := w.(http.Hijacker).Hijack()
		if err != nil {
			panic(err)
		}
		if _, err := w.Write([]byte("x")); !errors.Is(err, http.ErrHijacked) {
			panic(fmt.Sprintf("Write after Hijack: %v", err))
		}
		// Serve the connection after ServeHTTP returned, as WebSocket
		// libraries do.
		go func() {
			defer c.Close()
			line, err := brw.ReadString('\n')
			if err != nil {
				return
			}
			brw.WriteString("echo:" + line)
			brw.Flush()
		}()
	})
	base := startServer(t, h, false)

	c := dialRaw(t, base)
	// The line after the request arrives in the same packet: the server
	// must hand it over with the connection.
	io.WriteString(c, "GET /upgrade HTTP/1.1\r\nHost: x\r\n\r\nhello\n")
	got, err := io.ReadAll(c)
	if err != nil || string(got) != "echo:hello\n" {
		t.Fatalf("hijacked exchange %q, %v", got, err)
	}

	c = dialRaw(t, base)
	io.WriteString(c, "GET /tunnel HTTP/1.1\r\nHost: x\r\n\r\n")
	br := bufio.NewReader(c)
	if line, _ := br.ReadString('\n'); line != "HTTP/1.1 200 OK\r\n" {
		t.Fatalf("status line %q", line)
	}
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		if line == "\r\n" {
			break
		}
	}
	io.WriteString(c, "ping\n")
	if line, _ := br.ReadString('\n'); line != "echo:ping\n" {
		t.Fatalf("tunnel line %q", line)
	}
}

func TestHandlerTLS(t *testing.T) {
	t.Parallel()
	type seen struct {
		tls       bool
		hijackTLS bool
	}
	got := make(chan seen, 1)
	h := fasthttpadaptor.NewFastHTTPHandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := seen{tls: r.TLS != nil && r.TLS.HandshakeComplete}
		if r.URL.Path == "/hijack" {
			c, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				_, s.hijackTLS = c.(interface{ ConnectionState() tls.ConnectionState })
				c.Write([]byte("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"))
				c.Close()
			}
		}
		got <- s
		io.WriteString(w, "ok")
	})
	for _, limit := range []int{0, 4} {
		base := startServer(t, h, true, func(s *fasthttp.Server) { s.MaxConnsPerIP = limit })
		_, body := get(t, testClient(), "GET", base+"/plain", nil)
		if s := <-got; !s.tls || body != "ok" {
			t.Fatalf("MaxConnsPerIP=%d: r.TLS not set (%+v)", limit, s)
		}
		_, body = get(t, testClient(), "GET", base+"/hijack", nil)
		if s := <-got; !s.hijackTLS || body != "ok" {
			t.Fatalf("MaxConnsPerIP=%d: hijacked conn hides ConnectionState (%+v)", limit, s)
		}
	}
}

func TestHandlerPanicReachesFasthttpHandler(t *testing.T) {
	t.Parallel()
	inner := fasthttpadaptor.NewFastHTTPHandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		panic("boom")
	})
	recovered := make(chan any, 1)
	h := func(ctx *fasthttp.RequestCtx) {
		defer func() {
			p := recover()
			recovered <- p
			ctx.Error("recovered", fasthttp.StatusInternalServerError)
		}()
		inner(ctx)
	}
	base := startServer(t, h, false, func(s *fasthttp.Server) { s.Logger = discardLogger{} })
	resp, body := get(t, testClient(), "GET", base, nil)
	if p := <-recovered; p != "boom" {
		t.Fatalf("recovered %v, want the handler's panic value", p)
	}
	if resp.StatusCode != 500 || body != "recovered" {
		t.Fatalf("%d %q", resp.StatusCode, body)
	}
}

func TestHandlerAbortDropsConnection(t *testing.T) {
	t.Parallel()
	h := fasthttpadaptor.NewFastHTTPHandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "partial")
		panic(http.ErrAbortHandler)
	})
	base := startServer(t, h, false)
	c := dialRaw(t, base)
	io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	got, err := io.ReadAll(c)
	if err != nil || len(got) != 0 {
		t.Fatalf("got %q, %v; want the connection closed without a response", got, err)
	}
}

func TestHandlerContextValues(t *testing.T) {
	t.Parallel()
	type key struct{}
	var mu sync.Mutex
	var lateValue any
	done := make(chan struct{})
	inner := fasthttpadaptor.NewFastHTTPHandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v := r.Context().Value(key{})
		la, _ := r.Context().Value(http.LocalAddrContextKey).(net.Addr)
		fmt.Fprintf(w, "%v %v", v, la != nil && strings.HasPrefix(la.String(), "127.0.0.1:"))
		ctx := r.Context()
		go func() {
			// Outlives the request: must see the snapshot, not the next
			// request's values.
			time.Sleep(20 * time.Millisecond)
			mu.Lock()
			lateValue = ctx.Value(key{})
			mu.Unlock()
			close(done)
		}()
	})
	var n int
	h := func(ctx *fasthttp.RequestCtx) {
		n++
		ctx.SetUserValue(key{}, fmt.Sprint("v", n))
		inner(ctx)
	}
	base := startServer(t, h, false)
	c := testClient()
	_, body := get(t, c, "GET", base, nil)
	if body != "v1 true" {
		t.Fatalf("body %q", body)
	}
	<-done
	mu.Lock()
	defer mu.Unlock()
	if lateValue != "v1" {
		t.Fatalf("value read after the request ended: %v", lateValue)
	}
}

func TestHandlerStreamedRequestBody(t *testing.T) {
	t.Parallel()
	h := fasthttpadaptor.NewFastHTTPHandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, err := io.Copy(io.Discard, r.Body)
		fmt.Fprintf(w, "%d %v %d", n, err, r.ContentLength)
	})
	base := startServer(t, h, false, func(s *fasthttp.Server) {
		s.StreamRequestBody = true
		s.MaxRequestBodySize = 1 << 10 // the body is streamed, not limited
	})
	const size = 3 << 20
	_, body := get(t, testClient(), "POST", base, io.LimitReader(zeros{}, size))
	if body != fmt.Sprintf("%d <nil> -1", size) {
		t.Fatalf("body %q", body)
	}
}

// TestHandlerConcurrentKeepAlive runs many requests over shared keep-alive
// connections (meaningful under -race).
func TestHandlerConcurrentKeepAlive(t *testing.T) {
	t.Parallel()
	h := fasthttpadaptor.NewFastHTTPHandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		w.Header().Set("X-Path", r.URL.Path)
		if r.URL.Query().Get("flush") != "" {
			w.(http.Flusher).Flush()
		}
		w.Write(b)
	})
	base := startServer(t, h, false)
	c := testClient()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 20 {
				path := fmt.Sprintf("/%d/%d", i, j)
				q := ""
				if j%2 == 0 {
					q = "?flush=1"
				}
				resp, body := get(t, c, "POST", base+path+q, strings.NewReader(path))
				if body != path || resp.Header.Get("X-Path") != path {
					t.Errorf("%s: %q %v", path, body, resp.Header)
					return
				}
			}
		}()
	}
	wg.Wait()
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

type discardLogger struct{}

func (discardLogger) Printf(string, ...any) {}

// TestHandlerEmptyFlushSendsHeader: a Flush before any Write still sends
// the status and header at once, as net/http does.
func TestHandlerEmptyFlushSendsHeader(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	h := fasthttpadaptor.NewFastHTTPHandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusAccepted)
		w.(http.Flusher).Flush()
		select {
		case <-release:
		case <-time.After(5 * time.Second):
		}
	})
	base := startServer(t, h, false)
	c := &http.Client{Timeout: 2 * time.Second}
	resp, err := c.Get(base)
	close(release)
	if err != nil {
		t.Fatalf("header did not arrive before the handler returned: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("status %d", resp.StatusCode)
	}
}

// TestHandlerIPv6Addresses checks RemoteAddr and the local address over a
// real [::1] connection: net/http's bracketed host:port form.
func TestHandlerIPv6Addresses(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp6", "[::1]:0")
	if err != nil {
		t.Skipf("no IPv6 loopback: %v", err)
	}
	h := fasthttpadaptor.NewFastHTTPHandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		la := r.Context().Value(http.LocalAddrContextKey).(net.Addr)
		fmt.Fprintf(w, "%s|%s|%s", r.RemoteAddr, la, r.Host)
	})
	s := &fasthttp.Server{Handler: h}
	go s.Serve(ln)
	defer s.Shutdown()
	_, body := get(t, testClient(), "GET", "http://"+ln.Addr().String()+"/", nil)
	parts := strings.Split(body, "|")
	if len(parts) != 3 {
		t.Fatalf("body %q", body)
	}
	host, _, err := net.SplitHostPort(parts[0])
	if err != nil || host != "::1" {
		t.Fatalf("RemoteAddr %q: %v", parts[0], err)
	}
	if parts[1] != ln.Addr().String() || parts[2] != ln.Addr().String() {
		t.Fatalf("local %q host %q, want %q", parts[1], parts[2], ln.Addr())
	}
}

// TestHandlerStreamWithCurl: curl, a non-Go peer, sees the first flushed
// event while the handler still runs, then the rest.
func TestHandlerStreamWithCurl(t *testing.T) {
	t.Parallel()
	curl, err := exec.LookPath("curl")
	if err != nil {
		t.Skip("curl not installed")
	}
	release := make(chan struct{})
	h := fasthttpadaptor.NewFastHTTPHandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		io.WriteString(w, "data: one\n\n")
		w.(http.Flusher).Flush()
		select {
		case <-release:
		case <-time.After(5 * time.Second):
		}
		io.WriteString(w, "data: two\n\n")
	})
	base := startServer(t, h, false)
	cmd := exec.Command(curl, "-sSN", "--max-time", "10", base+"/events")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Wait()
	br := bufio.NewReader(out)
	first, err := br.ReadString('\n')
	if err != nil || first != "data: one\n" {
		t.Fatalf("first line %q, %v", first, err)
	}
	close(release)
	rest, _ := io.ReadAll(br)
	if string(rest) != "\ndata: two\n\n" {
		t.Fatalf("rest %q", rest)
	}
}
