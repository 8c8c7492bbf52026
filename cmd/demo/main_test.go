package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/valyala/fasthttp"
)

// startDemo starts the demo on free ports of host and stops it when the
// test ends.
func startDemo(t *testing.T, host string, maxConnsPerIP int) *demo {
	t.Helper()
	d, err := start(config{
		httpAddr:      net.JoinHostPort(host, "0"),
		httpsAddr:     net.JoinHostPort(host, "0"),
		maxConnsPerIP: maxConnsPerIP,
	})
	if err != nil {
		if host == "::1" {
			t.Skipf("no IPv6 loopback: %v", err)
		}
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := d.shutdown(ctx); err != nil {
			t.Errorf("shutdown: %v", err)
		}
	})
	return d
}

// get fetches url with a fresh client (one connection, closed after) and
// returns the status and body.
func get(t *testing.T, url string, tlsCfg *tls.Config) (int, string) {
	t.Helper()
	client := &http.Client{
		Timeout:   5 * time.Second,
		Transport: &http.Transport{TLSClientConfig: tlsCfg, DisableKeepAlives: true},
	}
	resp, err := client.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: reading body: %v", url, err)
	}
	return resp.StatusCode, string(body)
}

func wantLines(t *testing.T, body string, lines ...string) {
	t.Helper()
	for _, l := range lines {
		if !strings.Contains(body, l+"\n") {
			t.Errorf("response lacks line %q; got:\n%s", l, body)
		}
	}
}

func clientCert(t *testing.T, name string) tls.Certificate {
	t.Helper()
	certPEM, keyPEM, err := fasthttp.GenerateTestCertificate(name)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		t.Fatal(err)
	}
	return cert
}

func TestDemoDescribesConnections(t *testing.T) {
	t.Parallel()
	for _, host := range []string{"127.0.0.1", "::1"} {
		t.Run(host, func(t *testing.T) {
			t.Parallel()
			d := startDemo(t, host, 4)
			httpURL := "http://" + d.httpLn.Addr().String() + "/"
			httpsURL := "https://" + d.httpsLn.Addr().String() + "/"

			status, body := get(t, httpURL, nil)
			if status != http.StatusOK {
				t.Errorf("plain HTTP: status %d", status)
			}
			wantLines(t, body, "connection:   plain HTTP (no TLS)")
			if strings.Contains(body, "version:") {
				t.Errorf("plain HTTP response describes TLS:\n%s", body)
			}

			status, body = get(t, httpsURL, &tls.Config{
				InsecureSkipVerify: true,
				ServerName:         "localhost",
				NextProtos:         []string{"http/1.1"},
				Certificates:       []tls.Certificate{clientCert(t, "tester")},
			})
			if status != http.StatusOK {
				t.Errorf("TLS 1.3: status %d", status)
			}
			wantLines(t, body,
				"connection:   TLS",
				"version:      TLS 1.3",
				"cipher suite: "+tls.CipherSuiteName(tls.TLS_AES_128_GCM_SHA256),
				"SNI:          localhost",
				"ALPN:         http/1.1",
				"client cert:  CN=tester,O=fasthttp test")

			status, body = get(t, httpsURL, &tls.Config{
				InsecureSkipVerify: true,
				MaxVersion:         tls.VersionTLS12,
				CipherSuites:       []uint16{tls.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256},
			})
			if status != http.StatusOK {
				t.Errorf("TLS 1.2: status %d", status)
			}
			wantLines(t, body,
				"version:      TLS 1.2",
				"cipher suite: TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
				"SNI:          (none sent)",
				"ALPN:         (none negotiated)",
				"client cert:  none sent")
		})
	}
}

// TestDemoLimitsConnectionsPerIP checks that the HTTPS side really runs with
// MaxConnsPerIP, which is the point of showing TLS through it.
func TestDemoLimitsConnectionsPerIP(t *testing.T) {
	t.Parallel()
	d := startDemo(t, "127.0.0.1", 2)
	addr := d.httpsLn.Addr().String()
	dial := func() (*tls.Conn, error) {
		dialer := &net.Dialer{Timeout: 5 * time.Second}
		c, err := tls.DialWithDialer(dialer, "tcp", addr, &tls.Config{InsecureSkipVerify: true})
		if err == nil {
			_ = c.SetDeadline(time.Now().Add(5 * time.Second))
		}
		return c, err
	}
	var held []*tls.Conn
	defer func() {
		for _, c := range held {
			_ = c.Close()
		}
	}()
	for i := range 2 {
		c, err := dial()
		if err != nil {
			t.Fatalf("connection %d within the limit: %v", i+1, err)
		}
		held = append(held, c)
	}
	// The server counts a connection when it accepts it, and the
	// handshakes above finished after that, so the count is in place.
	if c, err := dial(); err == nil {
		// TLS 1.3 may complete the client side before the server closes;
		// the refusal then shows on the first read.
		_, _ = c.Write([]byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n"))
		_, rerr := c.Read(make([]byte, 1))
		_ = c.Close()
		if rerr == nil {
			t.Fatal("third connection from one IP was served, want it refused")
		}
	}

	// A served connection still answers, with its TLS state.
	_, _ = held[0].Write([]byte("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"))
	resp, err := http.ReadResponse(bufio.NewReader(held[0]), nil)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	_ = resp.Body.Close()
	wantLines(t, string(body), "connection:   TLS", "version:      TLS 1.3")
}

// TestDemoCurlLine runs the curl command the demo prints, as a newcomer
// would paste it.
func TestDemoCurlLine(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("curl not installed")
	}
	d := startDemo(t, "127.0.0.1", 4)
	var banner bytes.Buffer
	d.printBanner(&banner)
	var line string
	for _, l := range strings.Split(banner.String(), "\n") {
		if l = strings.TrimSpace(l); strings.HasPrefix(l, "curl -k ") {
			line = l
		}
	}
	if line == "" {
		t.Fatalf("banner has no curl line:\n%s", banner.String())
	}
	args := append(strings.Fields(line)[1:], "--silent", "--show-error", "--max-time", "5")
	out, err := exec.Command("curl", args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", line, err, out)
	}
	wantLines(t, string(out),
		"connection:   TLS",
		"SNI:          localhost",
		"ALPN:         http/1.1",
		"client cert:  CN=demo-client,O=fasthttp test")
}

// TestDemoRunStops checks that run returns once its context ends, with
// both ports closed and the certificate files gone.
func TestDemoRunStops(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	out := &syncBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, config{httpAddr: "127.0.0.1:0", httpsAddr: "127.0.0.1:0", maxConnsPerIP: 4}, out)
	}()
	url := waitForURL(t, out, "  HTTP   ")
	if status, _ := get(t, url, nil); status != http.StatusOK {
		t.Fatalf("status %d before stopping", status)
	}
	certDir := filepath.Dir(strings.Fields(waitForURL(t, out, "  curl -k --cert "))[0])
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("run did not return within 10s of its context ending")
	}
	if !strings.Contains(out.String(), "stopped\n") {
		t.Errorf("output does not say it stopped:\n%s", out.String())
	}
	host := strings.TrimSuffix(strings.TrimPrefix(url, "http://"), "/")
	if c, err := net.DialTimeout("tcp", host, time.Second); err == nil {
		_ = c.Close()
		t.Errorf("%s still accepts connections after stopping", host)
	}
	if _, err := os.Stat(certDir); !os.IsNotExist(err) {
		t.Errorf("client certificate directory %s left behind (stat: %v)", certDir, err)
	}
}

// TestDemoInterrupt runs the real program and stops it with SIGINT, as
// Ctrl-C in a terminal does.
func TestDemoInterrupt(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: builds the program")
	}
	t.Parallel()
	bin := filepath.Join(t.TempDir(), "demo")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out := &syncBuffer{}
	cmd := exec.Command(bin, "-http", "127.0.0.1:0", "-https", "127.0.0.1:0")
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer func() { _ = cmd.Process.Kill() }()
	waitForURL(t, out, "  HTTPS  ")
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("exit after SIGINT: %v\n%s", err, out.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("still running 10s after SIGINT\n%s", out.String())
	}
	if !strings.Contains(out.String(), "stopped\n") {
		t.Errorf("output does not say it stopped:\n%s", out.String())
	}
}

// waitForURL waits up to 10s for a line of out starting with prefix and
// returns the rest of it up to the first space.
func waitForURL(t *testing.T, out *syncBuffer, prefix string) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		for _, l := range strings.Split(out.String(), "\n") {
			if rest, ok := strings.CutPrefix(l, prefix); ok {
				return strings.Fields(rest)[0]
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("no line starting with %q within 10s; output:\n%s", prefix, out.String())
	return ""
}

// syncBuffer is a bytes.Buffer safe for one writer and one reader at once.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
