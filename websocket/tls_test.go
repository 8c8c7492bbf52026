package websocket

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"testing"
	"time"

	"github.com/valyala/fasthttp"
)

// clientCertificate makes a self-signed client certificate with the given
// common name.
func clientCertificate(t *testing.T, cn string) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(7),
		Subject:      pkix.Name{CommonName: cn},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

type tlsSeen struct {
	state   *tls.ConnectionState
	viaNet  bool
	subject string
}

// TestTLSVisibleBehindMaxConnsPerIP is the point of the package: the
// handler of a wss:// connection sees the TLS session, client certificate
// included, even when Server.MaxConnsPerIP wraps every connection.
func TestTLSVisibleBehindMaxConnsPerIP(t *testing.T) {
	t.Parallel()
	for _, perIP := range []int{0, 1, 5} {
		seen := make(chan tlsSeen, 1)
		s := &fasthttp.Server{
			MaxConnsPerIP: perIP,
			TLSConfig:     &tls.Config{ClientAuth: tls.RequireAnyClientCert, MinVersion: tls.VersionTLS12},
			Handler: func(ctx *fasthttp.RequestCtx) {
				_ = Accept(ctx, nil, func(c *Conn) {
					var s tlsSeen
					s.state = c.TLSConnectionState()
					_, s.viaNet = c.NetConn().(interface{ ConnectionState() tls.ConnectionState })
					if s.state != nil && len(s.state.PeerCertificates) > 0 {
						s.subject = s.state.PeerCertificates[0].Subject.CommonName
					}
					seen <- s
					echo(c)
				})
			},
		}
		certPEM, keyPEM, err := fasthttp.GenerateTestCertificate("localhost")
		if err != nil {
			t.Fatal(err)
		}
		ln := listenT(t)
		go func() { _ = s.ServeTLSEmbed(ln, certPEM, keyPEM) }()
		defer ln.Close()

		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		c, err := Dial(ctx, "wss://"+ln.Addr().String()+"/", &DialOptions{TLSConfig: &tls.Config{
			InsecureSkipVerify: true, // the test certificate is self-signed
			Certificates:       []tls.Certificate{clientCertificate(t, "ws-client")},
		}})
		if err != nil {
			cancel()
			t.Fatalf("MaxConnsPerIP=%d: %v", perIP, err)
		}
		got := <-seen
		if got.state == nil || !got.viaNet {
			t.Fatalf("MaxConnsPerIP=%d: TLS hidden (state %v, NetConn exposes ConnectionState: %v)", perIP, got.state, got.viaNet)
		}
		if got.state.Version < tls.VersionTLS12 || got.state.CipherSuite == 0 || got.subject != "ws-client" {
			t.Fatalf("MaxConnsPerIP=%d: version %x cipher %x client %q", perIP, got.state.Version, got.state.CipherSuite, got.subject)
		}
		// The client side sees its session too, and messages flow over TLS.
		if cs := c.TLSConnectionState(); cs == nil || !cs.HandshakeComplete {
			t.Fatalf("client TLS state %v", cs)
		}
		if err := c.Write(ctx, MessageText, []byte("over tls")); err != nil {
			t.Fatal(err)
		}
		if _, m, err := c.Read(ctx); err != nil || string(m) != "over tls" {
			t.Fatalf("%q %v", m, err)
		}
		_ = c.Close(ctx, StatusNormalClosure, "")
		cancel()
	}
}

func TestPlainConnHasNoTLSState(t *testing.T) {
	t.Parallel()
	got := make(chan *tls.ConnectionState, 1)
	addr := startServer(t, nil, func(c *Conn) { got <- c.TLSConnectionState() })
	c := dialT(t, addr, nil)
	if st := <-got; st != nil {
		t.Fatalf("plain connection reports TLS: %v", st)
	}
	if c.TLSConnectionState() != nil {
		t.Fatal("plain client reports TLS")
	}
}
