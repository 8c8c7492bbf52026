package fasthttp

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// Test helpers shared by the compression and FS tests: a real server on
// a loopback port of its own, and clients that either go through net/http
// or send exact bytes.

// cfsServe starts s with handler h on network/addr ("tcp4" 127.0.0.1:0 by
// default) and returns its address; the server stops with the test.
func cfsServe(t testing.TB, s *Server, network, addr string) string {
	t.Helper()
	if network == "" {
		network, addr = "tcp4", "127.0.0.1:0"
	}
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
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = s.ShutdownWithContext(ctx)
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Errorf("server did not stop")
		}
	})
	return ln.Addr().String()
}

// cfsServer starts a default server with handler h.
func cfsServer(t testing.TB, h RequestHandler) string {
	return cfsServe(t, &Server{Handler: h}, "", "")
}

// cfsClient is a net/http client that never waits long and does not
// decode bodies itself unless asked to.
func cfsClient(decode bool) *http.Client {
	return &http.Client{
		Timeout: 10 * time.Second,
		Transport: &http.Transport{
			DisableCompression: !decode,
			DisableKeepAlives:  true,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// cfsGet sends a GET with the given header lines ("Name: value") through
// net/http and returns the response with its body read.
func cfsGet(t testing.TB, url string, header ...string) (*http.Response, []byte) {
	t.Helper()
	return cfsDo(t, cfsClient(false), http.MethodGet, url, header...)
}

func cfsDo(t testing.TB, c *http.Client, method, url string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range header {
		k, v, _ := strings.Cut(h, ":")
		req.Header.Set(k, strings.TrimSpace(v))
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("reading body of %s: %v", url, err)
	}
	return resp, body
}

// cfsRaw sends raw request bytes to addr and parses the one response.
// It is for paths net/http would clean or refuse to send.
func cfsRaw(t testing.TB, addr, raw string) (*http.Response, []byte) {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(c, raw); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(c)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatalf("reading response to %q: %v", raw, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("reading body: %v", err)
	}
	return resp, body
}

// cfsGetPath sends "GET path" exactly as written.
func cfsGetPath(t testing.TB, addr, path string, header ...string) (*http.Response, []byte) {
	t.Helper()
	raw := "GET " + path + " HTTP/1.1\r\nHost: test\r\nConnection: close\r\n"
	for _, h := range header {
		raw += h + "\r\n"
	}
	return cfsRaw(t, addr, raw+"\r\n")
}
