package fasthttp_test

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"log"
	"net"
	"time"

	"github.com/valyala/fasthttp"
)

// A Server serves a handler on any net.Listener. Here the listener is on
// 127.0.0.1 with a port the system picks; in production use
// ListenAndServe or Server.ListenAndServe with a fixed address.
func ExampleServer() {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	s := &fasthttp.Server{
		Handler: func(ctx *fasthttp.RequestCtx) {
			fmt.Fprintf(ctx, "Hello, %s!", ctx.QueryArgs().Peek("name"))
		},
		Name:         "example",
		ReadTimeout:  5 * time.Second,
		WriteTimeout: 5 * time.Second,
		IdleTimeout:  time.Minute,
	}
	go func() {
		if err := s.Serve(ln); err != nil {
			log.Print(err)
		}
	}()
	defer s.Shutdown() //nolint:errcheck // nothing left to report

	status, body, err := fasthttp.Get(nil, "http://"+ln.Addr().String()+"/?name=gopher")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(status, string(body))
	// Output: 200 Hello, gopher!
}

// ListenAndServe is the shortest way to a server: it listens on a TCP
// address and serves the handler until the process ends. Build a Server
// to set limits and timeouts, or to shut it down gracefully.
func ExampleListenAndServe() {
	handler := func(ctx *fasthttp.RequestCtx) {
		ctx.SetContentType("text/plain; charset=utf-8")
		fmt.Fprintf(ctx, "You asked for %q\n", ctx.Path())
	}
	if err := fasthttp.ListenAndServe(":8080", handler); err != nil {
		log.Fatalf("serving: %v", err)
	}
}

// Shutdown stops accepting connections, lets requests in flight finish
// and closes idle keep-alive connections; Serve then returns nil.
func ExampleServer_Shutdown() {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	s := &fasthttp.Server{Handler: func(ctx *fasthttp.RequestCtx) { ctx.SetBodyString("still here") }}
	served := make(chan error, 1)
	go func() { served <- s.Serve(ln) }()

	_, body, err := fasthttp.Get(nil, "http://"+ln.Addr().String()+"/")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(string(body))
	if err := s.Shutdown(); err != nil {
		log.Fatal(err)
	}
	fmt.Println("Serve returned:", <-served)
	// Output:
	// still here
	// Serve returned: <nil>
}

// An HTTPS server that asks clients for a certificate. The handler reads
// the TLS state and the client's certificate from RequestCtx, which works
// with MaxConnsPerIP set as well: the per-IP wrapper keeps the TLS
// connection visible.
func ExampleServer_tlsClientCertificate() {
	serverCert, serverKey, err := fasthttp.GenerateTestCertificate("127.0.0.1")
	if err != nil {
		log.Fatal(err)
	}
	clientCertPEM, clientKeyPEM, err := fasthttp.GenerateTestCertificate("example-client")
	if err != nil {
		log.Fatal(err)
	}
	clientCert, err := tls.X509KeyPair(clientCertPEM, clientKeyPEM)
	if err != nil {
		log.Fatal(err)
	}

	s := &fasthttp.Server{
		MaxConnsPerIP: 8,
		// A real server verifies client certificates against its own CA
		// (ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: pool).
		TLSConfig: &tls.Config{ClientAuth: tls.RequireAnyClientCert, MinVersion: tls.VersionTLS13},
		Handler: func(ctx *fasthttp.RequestCtx) {
			state := ctx.TLSConnectionState()
			if state == nil || len(state.PeerCertificates) == 0 {
				ctx.Error("client certificate required", fasthttp.StatusForbidden)
				return
			}
			fmt.Fprintf(ctx, "TLS: %v, %s, client %s", ctx.IsTLS(),
				tls.VersionName(state.Version), state.PeerCertificates[0].Subject.CommonName)
		},
	}
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	go func() {
		if err := s.ServeTLSEmbed(ln, serverCert, serverKey); err != nil {
			log.Print(err)
		}
	}()
	defer s.Shutdown() //nolint:errcheck // nothing left to report

	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(serverCert)
	c := &fasthttp.Client{TLSConfig: &tls.Config{RootCAs: roots, Certificates: []tls.Certificate{clientCert}}}
	status, body, err := c.Get(nil, "https://"+ln.Addr().String()+"/")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(status, string(body))
	// Output: 200 TLS: true, TLS 1.3, client example-client
}
