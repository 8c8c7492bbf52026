package fasthttp

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func tlsInfo(ctx *RequestCtx) {
	st := ctx.TLSConnectionState()
	if st == nil {
		fmt.Fprintf(ctx, "plain %v", ctx.IsTLS())
		return
	}
	fmt.Fprintf(ctx, "tls %v %s %v", ctx.IsTLS(), ctx.Request.URI().Scheme(), st.HandshakeComplete)
}

func TestServeTLSLoopback(t *testing.T) {
	t.Parallel()
	ca := srvNewCA(t)
	for _, host := range srvLoopbacks(t) {
		t.Run(host, func(t *testing.T) {
			t.Parallel()
			addr := srvServeTLS(t, &Server{Handler: tlsInfo}, host, ca)
			hc := srvHTTPClient(t, ca, nil)
			for i := 0; i < 2; i++ {
				code, body := srvGet(t, hc, srvURL("https", addr, "/"))
				if code != 200 || body != "tls true https true" {
					t.Fatalf("%d %q", code, body)
				}
			}
			// A plain server reports no TLS.
			plain := srvStart(t, &Server{Handler: tlsInfo}, host)
			if _, body := srvGet(t, hc, srvURL("http", plain, "/")); body != "plain false" {
				t.Fatalf("plain server: %q", body)
			}
		})
	}
}

func TestServerTLSClientCertificates(t *testing.T) {
	t.Parallel()
	ca := srvNewCA(t)
	other := srvNewCA(t)
	goodPEM, goodKey := ca.issue(t, "alice", true)
	badPEM, badKey := other.issue(t, "mallory", true)
	good, _ := tls.X509KeyPair(goodPEM, goodKey)
	bad, _ := tls.X509KeyPair(badPEM, badKey)
	for _, perIP := range []int{0, 10} {
		t.Run(fmt.Sprintf("MaxConnsPerIP=%d", perIP), func(t *testing.T) {
			t.Parallel()
			s := &Server{
				MaxConnsPerIP: perIP,
				Logger:        &srvLog{},
				TLSConfig:     &tls.Config{ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: ca.pool},
				Handler: func(ctx *RequestCtx) {
					st := ctx.TLSConnectionState()
					if st == nil || len(st.PeerCertificates) == 0 || len(st.VerifiedChains) == 0 {
						ctx.Error("no verified client certificate visible", 500)
						return
					}
					ctx.WriteString(st.PeerCertificates[0].Subject.CommonName)
				},
			}
			addr := srvServeTLS(t, s, "127.0.0.1", ca)
			code, body := srvGet(t, srvHTTPClient(t, ca, &good), srvURL("https", addr, "/"))
			if code != 200 || body != "alice" {
				t.Fatalf("%d %q", code, body)
			}
			for name, c := range map[string]*tls.Certificate{"no certificate": nil, "untrusted certificate": &bad} {
				if _, err := srvHTTPClient(t, ca, c).Get(srvURL("https", addr, "/")); err == nil {
					t.Fatalf("%s: request succeeded", name)
				}
			}
		})
	}
}

func TestServerTLSSNI(t *testing.T) {
	t.Parallel()
	ca := srvNewCA(t)
	s := &Server{Handler: func(ctx *RequestCtx) { ctx.WriteString(ctx.TLSConnectionState().ServerName) }}
	for _, name := range []string{"a.example", "b.example"} {
		certPEM, keyPEM := ca.issue(t, name, false, name)
		if err := s.AppendCertEmbed(certPEM, keyPEM); err != nil {
			t.Fatal(err)
		}
	}
	ln := srvListen(t, "127.0.0.1")
	errc := make(chan error, 1)
	go func() { errc <- s.ServeTLS(ln, "", "") }()
	t.Cleanup(func() {
		s.Shutdown()
		if err := srvRecv(t, errc, "ServeTLS"); err != nil {
			t.Errorf("ServeTLS: %v", err)
		}
	})
	for _, name := range []string{"a.example", "b.example", "a.example"} {
		c, err := tls.DialWithDialer(&net.Dialer{Timeout: srvWait}, "tcp", ln.Addr().String(),
			&tls.Config{RootCAs: ca.pool, ServerName: name})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		leaf := c.ConnectionState().PeerCertificates[0]
		if leaf.Subject.CommonName != name || leaf.VerifyHostname(name) != nil {
			t.Fatalf("asked for %s, got the certificate of %s", name, leaf.Subject.CommonName)
		}
		c.SetDeadline(time.Now().Add(srvWait))
		io.WriteString(c, "GET / HTTP/1.1\r\nHost: "+name+"\r\nConnection: close\r\n\r\n")
		b, _ := io.ReadAll(c)
		if !strings.HasSuffix(string(b), "\r\n\r\n"+name) {
			t.Fatalf("handler saw SNI %q", b)
		}
		c.Close()
	}
}

func TestServerTLSFromFiles(t *testing.T) {
	t.Parallel()
	ca := srvNewCA(t)
	certPEM, keyPEM := ca.issue(t, "localhost", false, "localhost", "127.0.0.1")
	dir := t.TempDir()
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certFile, certPEM, 0o600)
	os.WriteFile(keyFile, keyPEM, 0o600)
	hc := srvHTTPClient(t, ca, nil)
	check := func(addr string) {
		t.Helper()
		var body string
		srvEventually(t, "the TLS server", func() bool {
			resp, err := hc.Get(srvURL("https", addr, "/"))
			if err != nil {
				return false
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			body = string(b)
			return true
		})
		if body != "tls true https true" {
			t.Fatalf("%s: %q", addr, body)
		}
	}

	s := &Server{Handler: tlsInfo}
	ln := srvListen(t, "127.0.0.1")
	go s.ServeTLS(ln, certFile, keyFile)
	check(ln.Addr().String())
	s.Shutdown()

	s = &Server{Handler: tlsInfo}
	addr := srvFreeAddr(t)
	go s.ListenAndServeTLS(addr, certFile, keyFile)
	check(addr)
	s.Shutdown()

	s = &Server{Handler: tlsInfo}
	addr = srvFreeAddr(t)
	go s.ListenAndServeTLSEmbed(addr, certPEM, keyPEM)
	check(addr)
	s.Shutdown()

	// The package-level forms.
	ln = srvListen(t, "127.0.0.1")
	go ServeTLS(ln, certFile, keyFile, tlsInfo)
	check(ln.Addr().String())
	ln.Close()
	ln = srvListen(t, "127.0.0.1")
	go ServeTLSEmbed(ln, certPEM, keyPEM, tlsInfo)
	check(ln.Addr().String())
	ln.Close()
	addr = srvFreeAddr(t)
	go ListenAndServeTLS(addr, certFile, keyFile, tlsInfo)
	check(addr)
	addr = srvFreeAddr(t)
	go ListenAndServeTLSEmbed(addr, certPEM, keyPEM, tlsInfo)
	check(addr)
}

func TestServerTLSErrors(t *testing.T) {
	t.Parallel()
	s := &Server{Handler: tlsInfo}
	if err := s.AppendCert("", ""); err == nil {
		t.Fatal("AppendCert with no files succeeded")
	}
	if err := s.AppendCert("/nonexistent/cert", "/nonexistent/key"); err == nil || !strings.Contains(err.Error(), "/nonexistent/cert") {
		t.Fatalf("AppendCert with missing files: %v", err)
	}
	if err := s.AppendCertEmbed(nil, nil); err == nil {
		t.Fatal("AppendCertEmbed with no data succeeded")
	}
	if err := s.AppendCertEmbed([]byte("junk"), []byte("junk")); err == nil {
		t.Fatal("AppendCertEmbed with junk succeeded")
	}
	ln := srvListen(t, "127.0.0.1")
	defer ln.Close()
	if err := s.ServeTLS(ln, "", ""); err == nil {
		t.Fatal("ServeTLS without any certificate succeeded")
	}
}

func TestGenerateTestCertificate(t *testing.T) {
	t.Parallel()
	certPEM, keyPEM, err := GenerateTestCertificate("localhost,127.0.0.1, ::1")
	if err != nil {
		t.Fatal(err)
	}
	pair, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		t.Fatalf("not a usable key pair: %v", err)
	}
	block, _ := pem.Decode(certPEM)
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range []string{"localhost", "127.0.0.1", "::1"} {
		if err := cert.VerifyHostname(h); err != nil {
			t.Errorf("certificate does not cover %s: %v", h, err)
		}
	}
	if time.Until(cert.NotAfter) < 24*time.Hour || time.Now().Before(cert.NotBefore) {
		t.Errorf("validity %v..%v", cert.NotBefore, cert.NotAfter)
	}
	// It serves a real handshake, trusted as its own root.
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	s := &Server{Handler: tlsInfo, TLSConfig: &tls.Config{Certificates: []tls.Certificate{pair}}}
	ln := srvListen(t, "127.0.0.1")
	srvServe(t, s, tls.NewListener(ln, s.TLSConfig))
	c, err := tls.Dial("tcp", ln.Addr().String(), &tls.Config{RootCAs: pool, ServerName: "localhost"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(srvWait))
	io.WriteString(c, "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
	if _, body := srvReadResponse(t, bufio.NewReader(c), "GET"); body != "tls true https true" {
		t.Fatalf("%q", body)
	}
}

func TestServerTLSWithCurl(t *testing.T) {
	t.Parallel()
	curl, err := exec.LookPath("curl")
	if err != nil {
		t.Skip("curl not installed")
	}
	ca := srvNewCA(t)
	certPEM, keyPEM := ca.issue(t, "curl-client", true)
	dir := t.TempDir()
	files := map[string][]byte{"ca.pem": ca.pem, "client.pem": certPEM, "client.key": keyPEM}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for _, host := range srvLoopbacks(t) {
		s := &Server{
			MaxConnsPerIP: 2,
			Logger:        &srvLog{},
			TLSConfig:     &tls.Config{ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: ca.pool},
			Handler: func(ctx *RequestCtx) {
				fmt.Fprintf(ctx, "%d %s|", ctx.ConnRequestNum(), ctx.TLSConnectionState().PeerCertificates[0].Subject.CommonName)
			},
		}
		addr := srvServeTLS(t, s, host, ca)
		url := srvURL("https", addr, "/")
		out, err := exec.Command(curl, "-sS", "--max-time", "5", "--http1.1", "--cacert", filepath.Join(dir, "ca.pem"),
			"--cert", filepath.Join(dir, "client.pem"), "--key", filepath.Join(dir, "client.key"), url, url).CombinedOutput()
		if err != nil || string(out) != "1 curl-client|2 curl-client|" {
			t.Fatalf("curl on %s: %v %q", host, err, out)
		}
		// Without the client certificate curl cannot get in.
		out, err = exec.Command(curl, "-sS", "--max-time", "5", "--cacert", filepath.Join(dir, "ca.pem"), url).CombinedOutput()
		if err == nil {
			t.Fatalf("curl without a client certificate got %q", out)
		}
	}
}

func TestServerNextProto(t *testing.T) {
	t.Parallel()
	ca := srvNewCA(t)
	s := &Server{Handler: tlsInfo}
	s.NextProto("x-echo", func(c net.Conn) error {
		_, isTLS := c.(interface{ ConnectionState() tls.ConnectionState })
		fmt.Fprintf(c, "echo proto tls=%v", isTLS)
		return nil
	})
	addr := srvServeTLS(t, s, "127.0.0.1", ca)
	for _, tt := range []struct {
		protos []string
		want   string
	}{
		{[]string{"x-echo"}, "echo proto tls=true"},
		{[]string{"http/1.1"}, "HTTP/1.1 200 OK"},
	} {
		c, err := tls.Dial("tcp", addr, &tls.Config{RootCAs: ca.pool, ServerName: "localhost", NextProtos: tt.protos})
		if err != nil {
			t.Fatal(err)
		}
		c.SetDeadline(time.Now().Add(srvWait))
		io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
		b, _ := io.ReadAll(c)
		c.Close()
		if !strings.HasPrefix(string(b), tt.want) {
			t.Fatalf("ALPN %v: %q", tt.protos, b)
		}
	}
}

func TestServerTLSHandshakeTimeout(t *testing.T) {
	// Not parallel: it measures time, which the other tests would skew.
	ca := srvNewCA(t)
	const rt = 200 * time.Millisecond
	addr := srvServeTLS(t, &Server{Handler: tlsInfo, ReadTimeout: rt, MaxConnsPerIP: 1, Logger: &srvLog{}}, "127.0.0.1", ca)
	// A client that connects and never says hello is dropped on time, and
	// its place is given back.
	c := srvDial(t, addr)
	start := time.Now()
	srvExpectClosed(t, c, nil)
	if d := time.Since(start); d > rt+time.Second {
		t.Fatalf("silent TLS client dropped after %v", d)
	}
	srvEventually(t, "the place to be free", func() bool {
		tc, err := tls.Dial("tcp", addr, &tls.Config{RootCAs: ca.pool, ServerName: "localhost"})
		if err != nil {
			return false
		}
		defer tc.Close()
		return tc.HandshakeContext(context.Background()) == nil
	})
}
