package pprofhandler

import (
	"bytes"
	"compress/gzip"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/valyala/fasthttp"
)

func TestPprofHandler(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &fasthttp.Server{Handler: PprofHandler}
	go s.Serve(ln)
	defer s.Shutdown()
	base := "http://" + ln.Addr().String()
	c := &http.Client{Timeout: 10 * time.Second}

	for _, tc := range []struct {
		path, contentType, contains string
		status                      int
	}{
		{"/debug/pprof/", "text/html; charset=utf-8", "Types of profiles available", 200},
		{"/elsewhere", "text/html; charset=utf-8", "Types of profiles available", 200},
		{"/debug/pprof/cmdline", "text/plain; charset=utf-8", "pprofhandler.test", 200},
		{"/debug/pprof/goroutine?debug=1", "text/plain; charset=utf-8", "goroutine profile:", 200},
		{"/debug/pprof/heap?debug=1", "text/plain; charset=utf-8", "heap profile:", 200},
		{"/debug/pprof/symbol", "text/plain; charset=utf-8", "num_symbols:", 200},
		{"/debug/pprof/no-such-profile", "text/plain; charset=utf-8", "Unknown profile", 404},
	} {
		resp, err := c.Get(base + tc.path)
		if err != nil {
			t.Fatalf("%s: %v", tc.path, err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.status || resp.Header.Get("Content-Type") != tc.contentType || !strings.Contains(string(b), tc.contains) {
			t.Errorf("%s: %d %q, body starts %q", tc.path, resp.StatusCode, resp.Header.Get("Content-Type"), b[:min(len(b), 80)])
		}
	}

	// A binary profile: gzip-compressed protobuf.
	resp, err := c.Get(base + "/debug/pprof/allocs")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if _, err := gzip.NewReader(bytes.NewReader(b)); err != nil {
		t.Fatalf("allocs profile is not gzip: %v", err)
	}

	// The CPU profile honours a short duration (through r.Context).
	for _, p := range []string{"/debug/pprof/profile?seconds=1"} {
		start := time.Now()
		resp, err := c.Get(base + p)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || len(b) == 0 || time.Since(start) > 8*time.Second {
			t.Fatalf("%s: %d, %d bytes after %v", p, resp.StatusCode, len(b), time.Since(start))
		}
	}
}
