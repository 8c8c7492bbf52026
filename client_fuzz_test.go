package fasthttp

import (
	"bufio"
	"net"
	"testing"
	"time"
)

// FuzzClientResponse feeds arbitrary bytes to the client as a server's
// answer: whatever they are, the client must neither panic nor hang.
func FuzzClientResponse(f *testing.F) {
	for _, seed := range []string{
		"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\nX: y\r\n\r\n",
		"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n",
		"HTTP/1.0 200 OK\r\n\r\nbody until close",
		"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
		"HTTP/1.1 301 Moved\r\nLocation: /x\r\nContent-Length: 0\r\n\r\n",
		"HTTP/1.1 999 \r\n\r\n",
		"\r\n\r\nHTTP/1.1 200 OK\r\n\r\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, answer []byte) {
		dial := func(string) (net.Conn, error) {
			client, server := net.Pipe()
			go func() {
				defer server.Close()
				br := bufio.NewReader(server)
				if _, err := readRequestHead(br); err != nil {
					return
				}
				_ = server.SetWriteDeadline(time.Now().Add(time.Second))
				_, _ = server.Write(answer)
			}()
			return client, nil
		}
		hc := &HostClient{Addr: "fuzz.test:80", Dial: dial, MaxResponseBodySize: 1 << 20, MaxIdemponentCallAttempts: 1}
		req := AcquireRequest()
		resp := AcquireResponse()
		defer ReleaseRequest(req)
		defer ReleaseResponse(resp)
		req.SetRequestURI("http://fuzz.test/")
		start := time.Now()
		_ = hc.DoTimeout(req, resp, time.Second)
		if time.Since(start) > 3*time.Second {
			t.Fatal("client hung on a bad answer")
		}
	})
}

// FuzzRedirectLocation resolves arbitrary Location values the way the
// clients follow redirects: whatever the value, resolving never panics; a
// Location that is followed leads to an http or https URI with a host, and
// one that is refused leaves the request's URI as it was.
func FuzzRedirectLocation(f *testing.F) {
	for _, seed := range []string{
		"/next", "rel", "../up", "?q=1", "#frag", "//other.test/x", "https://a.test:8443/p?q#f",
		"http://[::1]:80/", "http://[::1", "http://a b/", "http:///path", "https:relative",
		"mailto:x@y", "ftp://x/", "javascript:alert(1)", "http://%zz/", "http://u:p@a.test/",
		"\x00", "http://a.test/\x00", "1http://x/", ":", "//", "http://a.test:80:80/",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, location []byte) {
		for _, c := range []redirectDoer{&Client{}, &HostClient{}} {
			var u URI
			u.Parse(nil, []byte("http://start.test/dir/page?x=1")) //nolint:errcheck // a fixed, valid URI
			before := u.String()
			err := resolveLocation(c, &u, location, false)
			if err != nil {
				if after := u.String(); after != before {
					t.Fatalf("Location %q refused (%v) but the URI changed to %q", location, err, after)
				}
				continue
			}
			if s := string(u.Scheme()); s != "http" && s != "https" {
				t.Fatalf("Location %q followed to scheme %q", location, s)
			}
			if len(u.Host()) == 0 {
				t.Fatalf("Location %q followed to a URI without host: %q", location, u.String())
			}
		}
	})
}
