package fasthttp

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"net"
	"strings"
	"time"
)

// This file holds the TLS side of the server: configuration, certificates
// (several, chosen by SNI) and the TLS entry points.

// configTLS makes sure s.TLSConfig exists, with HTTP/1.1 offered by ALPN.
func (s *Server) configTLS() {
	if s.TLSConfig == nil {
		s.TLSConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	if len(s.TLSConfig.NextProtos) == 0 {
		s.TLSConfig.NextProtos = []string{"http/1.1"}
	}
}

// AppendCert loads a certificate and its key from PEM files and adds them
// to the server's certificates. With several certificates, the one matching
// the client's SNI name is used.
func (s *Server) AppendCert(certFile, keyFile string) error {
	if certFile == "" && keyFile == "" {
		return errors.New("fasthttp: cert or key has not been provided")
	}
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return errors.New("fasthttp: cannot load TLS key pair from certFile=" + certFile + " and keyFile=" + keyFile + ": " + err.Error())
	}
	return s.appendCert(cert)
}

// AppendCertEmbed adds a certificate and its key given as PEM bytes.
func (s *Server) AppendCertEmbed(certData, keyData []byte) error {
	if len(certData) == 0 && len(keyData) == 0 {
		return errors.New("fasthttp: cert or key has not been provided")
	}
	cert, err := tls.X509KeyPair(certData, keyData)
	if err != nil {
		return errors.New("fasthttp: cannot load TLS key pair from the provided certData and keyData: " + err.Error())
	}
	return s.appendCert(cert)
}

func (s *Server) appendCert(cert tls.Certificate) error {
	if cert.Leaf == nil && len(cert.Certificate) > 0 {
		// A parsed leaf lets SNI selection skip re-parsing per handshake.
		if leaf, err := x509.ParseCertificate(cert.Certificate[0]); err == nil {
			cert.Leaf = leaf
		}
	}
	s.configTLS()
	s.TLSConfig.Certificates = append(s.TLSConfig.Certificates, cert)
	return nil
}

// ServeTLS serves HTTPS from ln with the certificate in certFile and
// keyFile (both may be empty when TLSConfig already has certificates).
func (s *Server) ServeTLS(ln net.Listener, certFile, keyFile string) error {
	if certFile != "" || keyFile != "" {
		if err := s.AppendCert(certFile, keyFile); err != nil {
			return err
		}
	}
	return s.serveTLS(ln)
}

// ServeTLSEmbed serves HTTPS from ln with the PEM certificate and key given
// as bytes (both may be empty when TLSConfig already has certificates).
func (s *Server) ServeTLSEmbed(ln net.Listener, certData, keyData []byte) error {
	if len(certData) != 0 || len(keyData) != 0 {
		if err := s.AppendCertEmbed(certData, keyData); err != nil {
			return err
		}
	}
	return s.serveTLS(ln)
}

func (s *Server) serveTLS(ln net.Listener) error {
	s.configTLS()
	cfg := s.TLSConfig
	if len(cfg.Certificates) == 0 && cfg.GetCertificate == nil && cfg.GetConfigForClient == nil {
		return errors.New("fasthttp: TLSConfig has no certificate: call AppendCert or set TLSConfig.Certificates")
	}
	return s.Serve(tls.NewListener(ln, cfg.Clone()))
}

// ListenAndServeTLS serves HTTPS on the TCP address addr.
func (s *Server) ListenAndServeTLS(addr, certFile, keyFile string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	return s.ServeTLS(ln, certFile, keyFile)
}

// ListenAndServeTLSEmbed serves HTTPS on addr with PEM certificate and key
// bytes.
func (s *Server) ListenAndServeTLSEmbed(addr string, certData, keyData []byte) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	return s.ServeTLSEmbed(ln, certData, keyData)
}

// ServeTLS serves HTTPS from ln with handler.
func ServeTLS(ln net.Listener, certFile, keyFile string, handler RequestHandler) error {
	s := &Server{Handler: handler}
	return s.ServeTLS(ln, certFile, keyFile)
}

// ServeTLSEmbed serves HTTPS from ln with handler and PEM bytes.
func ServeTLSEmbed(ln net.Listener, certData, keyData []byte, handler RequestHandler) error {
	s := &Server{Handler: handler}
	return s.ServeTLSEmbed(ln, certData, keyData)
}

// ListenAndServeTLS serves HTTPS on addr with handler.
func ListenAndServeTLS(addr, certFile, keyFile string, handler RequestHandler) error {
	s := &Server{Handler: handler}
	return s.ListenAndServeTLS(addr, certFile, keyFile)
}

// ListenAndServeTLSEmbed serves HTTPS on addr with handler and PEM bytes.
func ListenAndServeTLSEmbed(addr string, certData, keyData []byte, handler RequestHandler) error {
	s := &Server{Handler: handler}
	return s.ListenAndServeTLSEmbed(addr, certData, keyData)
}

// GenerateTestCertificate returns a self-signed certificate and its key,
// PEM-encoded, for host (several hosts or IPs may be given separated by
// commas). It is meant for tests and demos only.
func GenerateTestCertificate(host string) ([]byte, []byte, error) {
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 128))
	if err != nil {
		return nil, nil, err
	}
	now := time.Now()
	tmpl := x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{Organization: []string{"fasthttp test"}, CommonName: firstHost(host)},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(365 * 24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	for _, h := range strings.Split(host, ",") {
		h = strings.TrimSpace(h)
		if h == "" {
			continue
		}
		if ip := net.ParseIP(h); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, h)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, &tmpl, &tmpl, &priv.PublicKey, priv)
	if err != nil {
		return nil, nil, err
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return nil, nil, err
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})
	return certPEM, keyPEM, nil
}

func firstHost(host string) string {
	if i := strings.IndexByte(host, ','); i >= 0 {
		return strings.TrimSpace(host[:i])
	}
	return strings.TrimSpace(host)
}

// nextProtoHandler returns the handler registered with NextProto for the
// ALPN protocol the TLS connection negotiated, if any.
func (s *Server) nextProtoHandler(ts tlsStater) ServeHandler {
	if !s.hasNextProtos.Load() {
		return nil
	}
	proto := ts.ConnectionState().NegotiatedProtocol
	s.mu.Lock()
	h := s.nextProtos[proto]
	s.mu.Unlock()
	return h
}
