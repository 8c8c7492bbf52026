package fasthttpproxy

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"net/url"
	"sync"
	"time"

	"github.com/valyala/fasthttp"
	"golang.org/x/net/http/httpproxy"
)

// Dialer dials through the proxy its Config (or the environment) names
// for each target. The embedded TCPDialer reaches the proxy, or the
// target itself when no proxy applies. A Dialer must not be copied after
// first use.
type Dialer struct {
	fasthttp.TCPDialer

	// Config names the proxies: HTTPProxy for plain targets, HTTPSProxy
	// for TLS targets, NoProxy for targets reached directly. Proxy URLs
	// may use the http, https, socks5 and socks5h schemes; without a
	// scheme, http is assumed.
	httpproxy.Config

	// Timeout bounds the TCP dial to the proxy or the target;
	// fasthttp.DefaultDialTimeout when 0.
	Timeout time.Duration

	// ConnectTimeout bounds the proxy handshake (the CONNECT exchange or
	// the SOCKS5 negotiation); Timeout, else 10 seconds, when 0.
	ConnectTimeout time.Duration

	// DialDualStack lets dials use IPv6 as well as IPv4.
	DialDualStack bool

	proxyOnce sync.Once
	proxyFunc func(*url.URL) (*url.URL, error)
}

// DialerFunc adapts a function to the Dial method that
// golang.org/x/net/proxy expects of a forward dialer.
type DialerFunc func(network, addr string) (net.Conn, error)

// Dial calls f.
func (f DialerFunc) Dial(network, addr string) (net.Conn, error) {
	return f(network, addr)
}

// defaultConnectTimeout bounds a proxy handshake when no timeout is set,
// so a proxy that never answers cannot hold a dial forever.
const defaultConnectTimeout = 10 * time.Second

// ProxyFunc returns the function that picks the proxy for a target URL
// from Config (nil: connect directly). It is built once.
func (d *Dialer) ProxyFunc() func(*url.URL) (*url.URL, error) {
	d.proxyOnce.Do(func() { d.proxyFunc = d.Config.ProxyFunc() })
	return d.proxyFunc
}

// GetDialFunc returns a dial function that sends each target through the
// proxy chosen for it: from Config, or from the HTTP_PROXY, HTTPS_PROXY
// and NO_PROXY environment variables when useEnv is set. Targets on port
// 443 are treated as TLS targets. Invalid proxy settings are reported
// here.
func (d *Dialer) GetDialFunc(useEnv bool) (fasthttp.DialFunc, error) {
	return d.dialFunc(useEnv, func(addr string) bool {
		_, port, err := net.SplitHostPort(addr)
		return err == nil && port == "443"
	})
}

// GetDialFuncForTLS is GetDialFunc with the kind of target given: isTLS
// picks HTTPSProxy, otherwise HTTPProxy.
func (d *Dialer) GetDialFuncForTLS(useEnv, isTLS bool) (fasthttp.DialFunc, error) {
	return d.dialFunc(useEnv, func(string) bool { return isTLS })
}

func (d *Dialer) dialFunc(useEnv bool, isTLS func(addr string) bool) (fasthttp.DialFunc, error) {
	cfg := &d.Config
	proxyFunc := d.ProxyFunc()
	if useEnv {
		cfg = httpproxy.FromEnvironment()
		proxyFunc = cfg.ProxyFunc()
	}
	// httpproxy forgives a lot (an unparsable proxy may mean "no proxy"):
	// check the settings here so that a typo is an error, not a silent
	// direct connection.
	for _, p := range []string{cfg.HTTPProxy, cfg.HTTPSProxy} {
		if p == "" {
			continue
		}
		if _, err := parseProxy(p, "http"); err != nil {
			return nil, err
		}
	}
	return func(addr string) (net.Conn, error) {
		scheme := "http"
		if isTLS(addr) {
			scheme = "https"
		}
		proxyURL, err := proxyFunc(&url.URL{Scheme: scheme, Host: addr})
		if err != nil {
			return nil, err
		}
		if proxyURL == nil {
			return d.dialDirect(addr)
		}
		return d.dialVia(proxyURL, addr)
	}, nil
}

// Dial dials addr directly, without a proxy; network is "tcp", "tcp4" or
// "tcp6". It lets a Dialer serve as the forward dialer of a SOCKS5 proxy.
func (d *Dialer) Dial(network, addr string) (net.Conn, error) {
	switch network {
	case "tcp4":
		return d.TCPDialer.DialTimeout(addr, d.timeout())
	case "tcp6":
		return d.TCPDialer.DialDualStackTimeout(addr, d.timeout())
	case "tcp":
		return d.dialDirect(addr)
	}
	return nil, errors.New("fasthttpproxy: unsupported network " + network)
}

// DialTimeout dials addr directly within timeout, over IPv6 too when
// DialDualStack is set.
func (d *Dialer) DialTimeout(addr string, timeout time.Duration) (net.Conn, error) {
	if d.DialDualStack {
		return d.TCPDialer.DialDualStackTimeout(addr, timeout)
	}
	return d.TCPDialer.DialTimeout(addr, timeout)
}

// DialDualStackTimeout dials addr directly over IPv4 or IPv6 within
// timeout.
func (d *Dialer) DialDualStackTimeout(addr string, timeout time.Duration) (net.Conn, error) {
	return d.TCPDialer.DialDualStackTimeout(addr, timeout)
}

// FlushDNSCache forgets the addresses the dialer has resolved.
func (d *Dialer) FlushDNSCache() {
	d.TCPDialer.FlushDNSCache()
}

func (d *Dialer) timeout() time.Duration {
	if d.Timeout > 0 {
		return d.Timeout
	}
	return fasthttp.DefaultDialTimeout
}

func (d *Dialer) connectTimeout() time.Duration {
	switch {
	case d.ConnectTimeout > 0:
		return d.ConnectTimeout
	case d.Timeout > 0:
		return d.Timeout
	}
	return defaultConnectTimeout
}

func (d *Dialer) dialDirect(addr string) (net.Conn, error) {
	return d.DialTimeout(addr, d.timeout())
}

// dialVia reaches addr through the proxy at proxyURL.
func (d *Dialer) dialVia(proxyURL *url.URL, addr string) (net.Conn, error) {
	switch proxyURL.Scheme {
	case "socks5", "socks5h":
		return d.dialSOCKS5(proxyURL, addr)
	case "http", "https", "":
		conn, err := d.dialDirect(proxyAddr(proxyURL))
		if err != nil {
			return nil, err
		}
		if proxyURL.Scheme == "https" {
			if conn, err = d.proxyTLS(conn, proxyURL.Hostname()); err != nil {
				return nil, err
			}
		}
		return httpConnect(conn, addr, proxyAuthorization(proxyURL), d.connectTimeout())
	}
	return nil, errors.New("fasthttpproxy: unsupported proxy scheme " + proxyURL.Scheme)
}

// proxyTLS secures the connection to an https:// proxy.
func (d *Dialer) proxyTLS(conn net.Conn, serverName string) (net.Conn, error) {
	tc := tls.Client(conn, &tls.Config{ServerName: serverName, MinVersion: tls.VersionTLS12})
	ctx, cancel := context.WithTimeout(context.Background(), d.connectTimeout())
	defer cancel()
	if err := tc.HandshakeContext(ctx); err != nil {
		_ = conn.Close()
		return nil, err
	}
	return tc, nil
}

// proxyAddr returns the host:port of a proxy URL, with the scheme's
// default port when it has none.
func proxyAddr(u *url.URL) string {
	if u.Port() != "" {
		return u.Host
	}
	port := "80"
	switch u.Scheme {
	case "https":
		port = "443"
	case "socks5", "socks5h":
		port = "1080"
	}
	return net.JoinHostPort(u.Hostname(), port)
}
