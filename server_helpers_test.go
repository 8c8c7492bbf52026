package fasthttp

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// Helpers shared by the server tests. Names start with "srv" to keep them
// apart from the helpers of other test files in the package.

// srvWait bounds every network wait in the tests, so that a bug fails a
// test instead of hanging it.
const srvWait = 5 * time.Second

// srvLoopbacks returns the loopback hosts to test on: 127.0.0.1 and, when
// the machine has an IPv6 loopback, ::1.
func srvLoopbacks(t testing.TB) []string {
	hosts := []string{"127.0.0.1"}
	if ln, err := net.Listen("tcp", "[::1]:0"); err == nil {
		_ = ln.Close()
		hosts = append(hosts, "::1")
	} else {
		t.Logf("no IPv6 loopback, testing 127.0.0.1 only: %v", err)
	}
	return hosts
}

// srvListen listens on host:0 (host may be an IPv6 literal).
func srvListen(t testing.TB, host string) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		t.Fatalf("listen on %s: %v", host, err)
	}
	return ln
}

// srvServe serves ln with s on a goroutine. Cleanup shuts s down and checks
// that Serve returned nil.
func srvServe(t testing.TB, s *Server, ln net.Listener) {
	t.Helper()
	errc := make(chan error, 1)
	go func() { errc <- s.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), srvWait)
		defer cancel()
		if err := s.ShutdownWithContext(ctx); err != nil {
			t.Errorf("Shutdown: %v", err)
		}
		select {
		case err := <-errc:
			if err != nil {
				t.Errorf("Serve returned %v", err)
			}
		case <-time.After(srvWait):
			t.Errorf("Serve did not return after Shutdown")
		}
	})
}

// srvStart serves s on a fresh port of host and returns its address.
func srvStart(t testing.TB, s *Server, host string) string {
	t.Helper()
	ln := srvListen(t, host)
	srvServe(t, s, ln)
	return ln.Addr().String()
}

// srvDial connects to addr with a deadline for the whole exchange.
func srvDial(t testing.TB, addr string) net.Conn {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, srvWait)
	if err != nil {
		t.Fatalf("dial %s: %v", addr, err)
	}
	_ = c.SetDeadline(time.Now().Add(srvWait))
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// srvRaw sends req on a new connection and returns everything the server
// sends until it closes the connection.
func srvRaw(t testing.TB, addr, req string) string {
	t.Helper()
	c := srvDial(t, addr)
	if _, err := io.WriteString(c, req); err != nil {
		t.Fatalf("write: %v", err)
	}
	b, err := io.ReadAll(c)
	if err != nil {
		t.Fatalf("read after %q: %v (got %q)", b, err, b)
	}
	return string(b)
}

// srvReadResponse reads one response from br with net/http's parser, body
// included.
func srvReadResponse(t testing.TB, br *bufio.Reader, method string) (*http.Response, string) {
	t.Helper()
	resp, err := http.ReadResponse(br, &http.Request{Method: method})
	if err != nil {
		t.Fatalf("reading response: %v", err)
	}
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("reading body: %v", err)
	}
	return resp, string(body)
}

// srvExpectClosed checks that the server closes c without sending more.
func srvExpectClosed(t testing.TB, c net.Conn, br *bufio.Reader) {
	t.Helper()
	_ = c.SetReadDeadline(time.Now().Add(srvWait))
	var rest []byte
	var err error
	if br != nil {
		rest, err = io.ReadAll(br)
	} else {
		rest, err = io.ReadAll(c)
	}
	if err != nil {
		t.Fatalf("connection not closed by the server: %v", err)
	}
	if len(rest) > 0 {
		t.Fatalf("unexpected bytes before close: %q", rest)
	}
}

// srvLog is a Logger that keeps what it is given.
type srvLog struct {
	mu    sync.Mutex
	lines []string
}

func (l *srvLog) Printf(format string, args ...any) {
	l.mu.Lock()
	l.lines = append(l.lines, fmt.Sprintf(format, args...))
	l.mu.Unlock()
}

func (l *srvLog) all() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.lines...)
}

func (l *srvLog) count(substr string) int {
	n := 0
	for _, s := range l.all() {
		if strings.Contains(s, substr) {
			n++
		}
	}
	return n
}

// srvEventually polls cond until it holds or srvWait passes.
func srvEventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(srvWait)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// srvCA is a throw-away certificate authority for TLS tests.
type srvCA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	pool *x509.CertPool
	pem  []byte
}

func srvNewCA(t testing.TB) *srvCA {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "fasthttp test CA"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &srvCA{cert: cert, key: key, pool: pool,
		pem: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})}
}

var srvSerial struct {
	sync.Mutex
	n int64
}

// issue returns PEM certificate and key signed by the CA, for a server
// (names are DNS names or IPs) or a client (cn only).
func (ca *srvCA) issue(t testing.TB, cn string, client bool, names ...string) (certPEM, keyPEM []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	srvSerial.Lock()
	srvSerial.n++
	serial := srvSerial.n + 1
	srvSerial.Unlock()
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(serial),
		Subject:      pkix.Name{CommonName: cn},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	if client {
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
	}
	for _, n := range names {
		if ip := net.ParseIP(n); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, n)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})
}

// srvServeTLS serves s over TLS on a fresh port of host with a certificate
// for localhost and the loopback IPs, and returns the address.
func srvServeTLS(t testing.TB, s *Server, host string, ca *srvCA) string {
	t.Helper()
	certPEM, keyPEM := ca.issue(t, "localhost", false, "localhost", "127.0.0.1", "::1")
	ln := srvListen(t, host)
	errc := make(chan error, 1)
	go func() { errc <- s.ServeTLSEmbed(ln, certPEM, keyPEM) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), srvWait)
		defer cancel()
		if err := s.ShutdownWithContext(ctx); err != nil {
			t.Errorf("Shutdown: %v", err)
		}
		select {
		case err := <-errc:
			if err != nil {
				t.Errorf("ServeTLSEmbed returned %v", err)
			}
		case <-time.After(srvWait):
			t.Errorf("ServeTLSEmbed did not return after Shutdown")
		}
	})
	return ln.Addr().String()
}

// srvHTTPClient returns a net/http client trusting ca, presenting the
// given client certificate (optional), with keep-alive.
func srvHTTPClient(t testing.TB, ca *srvCA, clientCert *tls.Certificate) *http.Client {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if ca != nil {
		cfg.RootCAs = ca.pool
	}
	if clientCert != nil {
		cfg.Certificates = []tls.Certificate{*clientCert}
	}
	tr := &http.Transport{TLSClientConfig: cfg, MaxIdleConnsPerHost: 4, DisableCompression: true}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr, Timeout: srvWait}
}

// srvGet does a GET with c and returns status and body.
func srvGet(t testing.TB, c *http.Client, url string) (int, string) {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s body: %v", url, err)
	}
	return resp.StatusCode, string(b)
}

// srvURL builds a URL for addr.
func srvURL(scheme, addr, path string) string {
	return scheme + "://" + addr + path
}

// srvIsTimeout reports whether err is a network timeout.
func srvIsTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// srvRecv receives from ch, failing the test after srvWait.
func srvRecv[T any](t testing.TB, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(srvWait):
		t.Fatalf("timed out waiting for %s", what)
		panic("unreachable")
	}
}
