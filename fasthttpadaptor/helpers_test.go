package fasthttpadaptor_test

import (
	"crypto/tls"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/valyala/fasthttp"
)

// startServer serves h on a fresh 127.0.0.1 port, over TLS when withTLS,
// and returns the base URL. The server is shut down when the test ends.
func startServer(t *testing.T, h fasthttp.RequestHandler, withTLS bool, configure ...func(*fasthttp.Server)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &fasthttp.Server{Handler: h, ReadTimeout: 10 * time.Second, WriteTimeout: 10 * time.Second}
	for _, f := range configure {
		f(s)
	}
	scheme := "http"
	if withTLS {
		cert, key, err := fasthttp.GenerateTestCertificate("127.0.0.1")
		if err != nil {
			t.Fatal(err)
		}
		scheme = "https"
		go s.ServeTLSEmbed(ln, cert, key)
	} else {
		go s.Serve(ln)
	}
	t.Cleanup(func() { _ = s.Shutdown() })
	return scheme + "://" + ln.Addr().String()
}

// testClient is a net/http client that trusts the test certificate and
// gives up after a few seconds, so a bug fails instead of hanging.
func testClient() *http.Client {
	return &http.Client{
		Timeout: 5 * time.Second,
		Transport: &http.Transport{
			TLSClientConfig:   &tls.Config{InsecureSkipVerify: true}, //nolint:gosec // test certificate
			DisableKeepAlives: false,
		},
	}
}

// dialRaw opens a plain TCP connection to base with a deadline.
func dialRaw(t *testing.T, base string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", base[len("http://"):])
	if err != nil {
		t.Fatal(err)
	}
	c.SetDeadline(time.Now().Add(5 * time.Second))
	t.Cleanup(func() { c.Close() })
	return c
}
