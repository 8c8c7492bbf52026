// Command demo serves HTTP and HTTPS with this repository's fasthttp server
// and answers every request with what the handler can see of TLS: version,
// cipher suite, SNI name, ALPN protocol and client certificate, or that the
// request came over plain HTTP.
//
// The HTTPS side limits connections per client IP (Server.MaxConnsPerIP).
// Upstream fasthttp used to hide the TLS connection behind the wrapper that
// limit needs; here the handler still sees it.
//
//	go run ./cmd/demo                       # 127.0.0.1:8080 and 127.0.0.1:8443
//	go run ./cmd/demo -http [::1]:8080 -https [::1]:8443 -max-conns-per-ip 4
//
// Ctrl-C (or SIGTERM) stops it gracefully.
package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/valyala/fasthttp"
)

// config is what the flags set.
type config struct {
	httpAddr      string
	httpsAddr     string
	maxConnsPerIP int
}

func main() {
	var cfg config
	flag.StringVar(&cfg.httpAddr, "http", "127.0.0.1:8080", "address of the plain HTTP listener")
	flag.StringVar(&cfg.httpsAddr, "https", "127.0.0.1:8443", "address of the HTTPS listener")
	flag.IntVar(&cfg.maxConnsPerIP, "max-conns-per-ip", 16, "Server.MaxConnsPerIP of the HTTPS server")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, cfg, os.Stdout); err != nil {
		log.Fatal(err)
	}
}

// run serves until ctx ends or a server fails, then shuts both servers down.
func run(ctx context.Context, cfg config, out io.Writer) error {
	d, err := start(cfg)
	if err != nil {
		return err
	}
	d.printBanner(out)

	var serveErr error
	select {
	case <-ctx.Done():
	case serveErr = <-d.errs:
	}
	fmt.Fprintln(out, "shutting down...")
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := d.shutdown(sctx); err != nil && serveErr == nil {
		serveErr = err
	}
	if serveErr == nil {
		fmt.Fprintln(out, "stopped")
	}
	return serveErr
}

// demo is the pair of running servers and the client certificate files
// offered to curl.
type demo struct {
	plain, secure   *fasthttp.Server
	httpLn, httpsLn net.Listener
	tmpDir          string
	clientCert      string
	clientKey       string
	maxConnsPerIP   int
	errs            chan error
}

// start listens on both addresses and serves them in the background.
func start(cfg config) (*demo, error) {
	certPEM, keyPEM, err := fasthttp.GenerateTestCertificate("localhost,127.0.0.1,::1")
	if err != nil {
		return nil, fmt.Errorf("server certificate: %w", err)
	}
	d := &demo{maxConnsPerIP: cfg.maxConnsPerIP, errs: make(chan error, 2)}
	if err := d.writeClientCert(); err != nil {
		d.cleanup()
		return nil, err
	}

	d.plain = &fasthttp.Server{Handler: describeConnection, Name: "fasthttp-demo"}
	d.secure = &fasthttp.Server{
		Handler:       describeConnection,
		Name:          "fasthttp-demo",
		MaxConnsPerIP: cfg.maxConnsPerIP,
		// Asking for a certificate without verifying it lets any client
		// certificate through, so the handler has a subject to show.
		TLSConfig: &tls.Config{MinVersion: tls.VersionTLS12, ClientAuth: tls.RequestClientCert},
	}

	if d.httpLn, err = net.Listen("tcp", cfg.httpAddr); err != nil {
		d.cleanup()
		return nil, err
	}
	if d.httpsLn, err = net.Listen("tcp", cfg.httpsAddr); err != nil {
		_ = d.httpLn.Close()
		d.cleanup()
		return nil, err
	}
	go func() { d.errs <- d.plain.Serve(d.httpLn) }()
	go func() { d.errs <- d.secure.ServeTLSEmbed(d.httpsLn, certPEM, keyPEM) }()
	return d, nil
}

// writeClientCert writes a throwaway client certificate and key for curl's
// --cert and --key.
func (d *demo) writeClientCert() error {
	certPEM, keyPEM, err := fasthttp.GenerateTestCertificate("demo-client")
	if err != nil {
		return fmt.Errorf("client certificate: %w", err)
	}
	if d.tmpDir, err = os.MkdirTemp("", "fasthttp-demo-"); err != nil {
		return err
	}
	d.clientCert = filepath.Join(d.tmpDir, "client.pem")
	d.clientKey = filepath.Join(d.tmpDir, "client-key.pem")
	if err := os.WriteFile(d.clientCert, certPEM, 0o600); err != nil {
		return err
	}
	return os.WriteFile(d.clientKey, keyPEM, 0o600)
}

func (d *demo) cleanup() {
	if d.tmpDir != "" {
		_ = os.RemoveAll(d.tmpDir)
	}
}

// shutdown stops both servers, waiting for requests in flight, and removes
// the client certificate files.
func (d *demo) shutdown(ctx context.Context) error {
	defer d.cleanup()
	return errors.Join(d.plain.ShutdownWithContext(ctx), d.secure.ShutdownWithContext(ctx))
}

func (d *demo) printBanner(out io.Writer) {
	httpURL := "http://" + d.httpLn.Addr().String() + "/"
	httpsURL := "https://" + d.httpsLn.Addr().String() + "/"
	// Through the name, curl sends SNI, which the page then shows.
	curlURL := httpsURL
	if ta, ok := d.httpsLn.Addr().(*net.TCPAddr); ok && ta.IP.IsLoopback() && ta.IP.To4() != nil {
		curlURL = "https://localhost:" + strconv.Itoa(ta.Port) + "/"
	}
	fmt.Fprintf(out, "fasthttp demo: each response shows what the handler sees of TLS\n")
	fmt.Fprintf(out, "  HTTP   %s\n", httpURL)
	fmt.Fprintf(out, "  HTTPS  %s  (self-signed certificate, MaxConnsPerIP=%d, client certificate requested)\n",
		httpsURL, d.maxConnsPerIP)
	fmt.Fprintf(out, "Try:\n")
	fmt.Fprintf(out, "  curl %s\n", httpURL)
	fmt.Fprintf(out, "  curl -k --cert %s --key %s %s\n", d.clientCert, d.clientKey, curlURL)
	fmt.Fprintf(out, "Press Ctrl-C to stop.\n")
}

// describeConnection answers with what the request's connection shows of
// TLS.
func describeConnection(ctx *fasthttp.RequestCtx) {
	ctx.SetContentType("text/plain; charset=utf-8")
	fmt.Fprintf(ctx, "client:       %s\n", ctx.RemoteAddr())
	if !ctx.IsTLS() {
		fmt.Fprintf(ctx, "connection:   plain HTTP (no TLS)\n")
		return
	}
	st := ctx.TLSConnectionState()
	if st == nil {
		// The very bug this server exists to fix; say so loudly.
		ctx.SetStatusCode(fasthttp.StatusInternalServerError)
		fmt.Fprintf(ctx, "connection:   TLS, but its state is not visible to the handler\n")
		return
	}
	fmt.Fprintf(ctx, "connection:   TLS\n")
	fmt.Fprintf(ctx, "version:      %s\n", tls.VersionName(st.Version))
	fmt.Fprintf(ctx, "cipher suite: %s\n", tls.CipherSuiteName(st.CipherSuite))
	fmt.Fprintf(ctx, "SNI:          %s\n", orNone(st.ServerName, "none sent"))
	fmt.Fprintf(ctx, "ALPN:         %s\n", orNone(st.NegotiatedProtocol, "none negotiated"))
	if len(st.PeerCertificates) > 0 {
		fmt.Fprintf(ctx, "client cert:  %s\n", st.PeerCertificates[0].Subject)
	} else {
		fmt.Fprintf(ctx, "client cert:  none sent\n")
	}
}

func orNone(s, none string) string {
	if s == "" {
		return "(" + none + ")"
	}
	return s
}
