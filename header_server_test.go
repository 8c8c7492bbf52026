package fasthttp

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// hdrServe runs a Server with handler on a fresh port of network/addr and
// returns its address; the server stops when the test ends.
func hdrServe(t *testing.T, network, addr string, s *Server) string {
	t.Helper()
	ln, err := net.Listen(network, addr)
	if err != nil {
		t.Skipf("cannot listen on %s %s: %v", network, addr, err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = s.Serve(ln)
	}()
	t.Cleanup(func() {
		_ = s.Shutdown()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Error("server did not stop")
		}
	})
	return ln.Addr().String()
}

// hdrRaw sends req on a new connection and returns everything the server
// writes until it closes the connection.
func hdrRaw(t *testing.T, addr, req string) string {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.WriteString(c, req); err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(c)
	if err != nil && len(b) == 0 {
		// Closing with request bytes still unread makes the kernel send a
		// reset, which may overtake the error response; only a response
		// that does arrive can be checked.
		t.Logf("reading response to %.40q: %v", req, err)
	}
	return string(b)
}

// hdrEchoHandler reports what the request header looked like to the
// handler, and answers with headers set through every kind of setter.
func hdrEchoHandler(ctx *RequestCtx) {
	h := &ctx.Request.Header
	fmt.Fprintf(ctx, "x-mixed=%s|host=%s|ua=%s|cookie=%s|ae-gzip=%v|keys=%q",
		h.Peek("x-mixed-case"), h.Host(), h.UserAgent(), h.Cookie("session"), h.HasAcceptEncoding("gzip"), h.PeekKeys())
	r := &ctx.Response.Header
	r.Set("X-Single", "one")
	r.Add("X-Multi", "a")
	r.Add("X-Multi", "b")
	r.SetContentType("text/x-test; charset=utf-8")
	c := AcquireCookie()
	c.SetKey("sid")
	c.SetValue("v1")
	r.SetCookie(c)
	c.SetKey("other")
	c.SetValue("v2")
	r.SetCookie(c)
	ReleaseCookie(c)
	// None of these may split the response.
	r.Set("X-Inject", "a\r\nX-Evil: 1")
	r.Set("Location", "/next\r\n\r\n<html>")
	r.SetStatusMessage([]byte("OK\r\nX-Evil: 2"))
}

func TestHeaderServerNetHTTPClient(t *testing.T) {
	for _, tc := range []struct{ network, addr string }{{"tcp4", "127.0.0.1:0"}, {"tcp6", "[::1]:0"}} {
		t.Run(tc.network, func(t *testing.T) {
			t.Parallel()
			addr := hdrServe(t, tc.network, tc.addr, &Server{Handler: hdrEchoHandler})
			req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, "http://"+addr+"/x", nil)
			req.Header["x-MIXED-case"] = []string{"m"}
			req.Header.Set("User-Agent", "go-test")
			req.Header.Set("Accept-Encoding", "br, gzip;q=0.5")
			req.AddCookie(&http.Cookie{Name: "session", Value: "s1"})
			client := &http.Client{Timeout: 5 * time.Second}
			resp, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if !strings.HasPrefix(string(body), "x-mixed=m|host="+addr+"|ua=go-test|cookie=s1|ae-gzip=true|") {
				t.Errorf("handler saw %s", body)
			}
			if resp.StatusCode != 200 || resp.Header.Get("X-Single") != "one" ||
				strings.Join(resp.Header.Values("X-Multi"), ",") != "a,b" ||
				resp.Header.Get("Content-Type") != "text/x-test; charset=utf-8" ||
				resp.Header.Get("Date") == "" || resp.Header.Get("Server") == "" {
				t.Errorf("response header %v", resp.Header)
			}
			if len(resp.Cookies()) != 2 || resp.Cookies()[0].Value != "v1" || resp.Cookies()[1].Name != "other" {
				t.Errorf("cookies %v", resp.Cookies())
			}
			if resp.Header.Get("X-Evil") != "" || resp.Header.Get("X-Inject") != "a  X-Evil: 1" ||
				resp.Header.Get("Location") != "/next    <html>" {
				t.Errorf("injection reached the client: %v", resp.Header)
			}
			if resp.ContentLength != int64(len(body)) {
				t.Errorf("Content-Length %d for %d bytes", resp.ContentLength, len(body))
			}
		})
	}
}

func TestHeaderServerCurl(t *testing.T) {
	curl, err := exec.LookPath("curl")
	if err != nil {
		t.Skip("curl not installed")
	}
	t.Parallel()
	addr := hdrServe(t, "tcp4", "127.0.0.1:0", &Server{Handler: hdrEchoHandler})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, curl, "-sS", "-i", "--max-time", "5", "-H", "x-Mixed-Case: curl",
		"-H", "Accept-Encoding: gzip;q=0", "-b", "session=c1", "http://"+addr+"/").CombinedOutput()
	if err != nil {
		t.Fatalf("curl: %v\n%s", err, out)
	}
	head, body, _ := strings.Cut(string(out), "\r\n\r\n")
	if !strings.HasPrefix(body, "x-mixed=curl|host="+addr+"|ua=curl/") || !strings.Contains(body, "|cookie=c1|ae-gzip=false|") {
		t.Errorf("handler saw %s", body)
	}
	for _, want := range []string{"\r\nX-Multi: a\r\nX-Multi: b\r\n", "\r\nSet-Cookie: sid=v1\r\n", "\r\nContent-Type: text/x-test; charset=utf-8\r\n"} {
		if !strings.Contains(head+"\r\n", want) {
			t.Errorf("response head lacks %q:\n%s", want, head)
		}
	}
	if strings.Contains(strings.ToLower(head), "\nx-evil") {
		t.Errorf("injected field reached curl:\n%s", head)
	}
}

func TestHeaderServerDisableHeaderNamesNormalizing(t *testing.T) {
	t.Parallel()
	s := &Server{DisableHeaderNamesNormalizing: true, Handler: func(ctx *RequestCtx) {
		fmt.Fprintf(ctx, "exact=%s normalized=%s", ctx.Request.Header.Peek("x-lower-Case"), ctx.Request.Header.Peek("X-Lower-Case"))
		ctx.Response.Header.Set("x-resp-CASE", "1")
	}}
	addr := hdrServe(t, "tcp4", "127.0.0.1:0", s)
	// Two requests on one connection: the setting must hold for every
	// request, not only the first.
	req := "GET / HTTP/1.1\r\nHost: h\r\nx-lower-Case: v\r\n\r\n"
	got := hdrRaw(t, addr, req+strings.Replace(req, "\r\n\r\n", "\r\nConnection: close\r\n\r\n", 1))
	if n := strings.Count(got, "\r\nx-resp-CASE: 1\r\n"); n != 2 || strings.Count(got, "exact=v normalized=") != 2 {
		t.Fatalf("response %q", got)
	}

	s2 := &Server{Handler: func(ctx *RequestCtx) {
		fmt.Fprintf(ctx, "normalized=%s raw=%q", ctx.Request.Header.Peek("X-Lower-Case"), ctx.Request.Header.RawHeaders())
		ctx.Response.Header.Set("x-resp-CASE", "1")
	}}
	addr2 := hdrServe(t, "tcp4", "127.0.0.1:0", s2)
	got = hdrRaw(t, addr2, "GET / HTTP/1.1\r\nHost: h\r\nx-lower-Case: v\r\nConnection: close\r\n\r\n")
	if !strings.Contains(got, "\r\nX-Resp-Case: 1\r\n") ||
		!strings.HasSuffix(got, `normalized=v raw="Host: h\r\nx-lower-Case: v\r\nConnection: close\r\n\r\n"`) {
		t.Fatalf("response %q", got)
	}
}

func TestHeaderServerRejectsBadHeaders(t *testing.T) {
	t.Parallel()
	called := make(chan struct{}, 16)
	addr := hdrServe(t, "tcp4", "127.0.0.1:0", &Server{Handler: func(ctx *RequestCtx) { called <- struct{}{} }})
	for _, tc := range []struct {
		req    string
		status string
	}{
		{"GET / HTTP/1.1\r\nHost: u@a\r\n\r\n", "400"},
		{"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", "400"},
		{"GET / HTTP/1.1\r\nHost: a\r\nX : y\r\n\r\n", "400"},
		{"GET / HTTP/1.1\r\nHost: a\r\nX: y\r\n folded\r\n\r\n", "400"},
		{"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", "400"},
		{"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", "501"},
		{"GET / HTTP/3.0\r\nHost: a\r\n\r\n", "505"},
		{"GET /" + strings.Repeat("a", 9000) + " HTTP/1.1\r\nHost: a\r\n\r\n", "414"},
		{"GET / HTTP/1.1\r\nHost: a\r\nX: " + strings.Repeat("a", 9000) + "\r\n\r\n", "431"},
	} {
		got := hdrRaw(t, addr, tc.req)
		line, _, _ := strings.Cut(got, "\r\n")
		if got == "" && len(tc.req) > 4096 {
			continue
		}
		if !strings.HasPrefix(line, "HTTP/1.1 "+tc.status+" ") || !strings.Contains(got, "\r\nConnection: close\r\n") {
			t.Errorf("%.50q: got %q", tc.req, line)
		}
	}
	select {
	case <-called:
		t.Error("a malformed request reached the handler")
	default:
	}
	// LF-only lines are fine, and answered.
	got := hdrRaw(t, addr, "GET / HTTP/1.1\nHost: a\nConnection: close\n\n")
	if !strings.HasPrefix(got, "HTTP/1.1 200 OK\r\n") {
		t.Errorf("LF-only request: %q", got)
	}
}
