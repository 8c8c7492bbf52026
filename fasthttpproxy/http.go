package fasthttpproxy

import (
	"bufio"
	"encoding/base64"
	"errors"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/valyala/fasthttp"
)

// FasthttpHTTPDialer returns a dial function that reaches every target
// through the HTTP proxy at proxy, given as "[user:password@]host:port" or
// as a URL ("http://..." or "https://...").
//
//	c := &fasthttp.Client{
//		Dial: fasthttpproxy.FasthttpHTTPDialer("user:pass@localhost:3128"),
//	}
func FasthttpHTTPDialer(proxy string) fasthttp.DialFunc {
	return FasthttpHTTPDialerTimeout(proxy, 0)
}

// FasthttpHTTPDialerTimeout is FasthttpHTTPDialer with timeout bounding
// both the dial to the proxy and the CONNECT exchange.
func FasthttpHTTPDialerTimeout(proxy string, timeout time.Duration) fasthttp.DialFunc {
	return fixedProxyDialer(&Dialer{Timeout: timeout, ConnectTimeout: timeout}, proxy, "http")
}

// FasthttpHTTPDialerDualStack is FasthttpHTTPDialer reaching the proxy
// over IPv4 or IPv6.
func FasthttpHTTPDialerDualStack(proxy string) fasthttp.DialFunc {
	return FasthttpHTTPDialerDualStackTimeout(proxy, 0)
}

// FasthttpHTTPDialerDualStackTimeout is FasthttpHTTPDialerTimeout reaching
// the proxy over IPv4 or IPv6.
func FasthttpHTTPDialerDualStackTimeout(proxy string, timeout time.Duration) fasthttp.DialFunc {
	return fixedProxyDialer(&Dialer{Timeout: timeout, ConnectTimeout: timeout, DialDualStack: true}, proxy, "http")
}

// fixedProxyDialer sends every target through one proxy. Unlike the
// environment-driven dialers it makes no exception for loopback targets.
func fixedProxyDialer(d *Dialer, proxy, defaultScheme string) fasthttp.DialFunc {
	u, err := parseProxy(proxy, defaultScheme)
	if err != nil {
		return func(string) (net.Conn, error) { return nil, err }
	}
	return func(addr string) (net.Conn, error) { return d.dialVia(u, addr) }
}

// parseProxy parses a proxy given as a URL or as "[user:pass@]host:port".
func parseProxy(proxy, defaultScheme string) (*url.URL, error) {
	if !strings.Contains(proxy, "://") {
		proxy = defaultScheme + "://" + proxy
	}
	u, err := url.Parse(proxy)
	if err != nil {
		return nil, errors.New("fasthttpproxy: invalid proxy address: " + err.Error())
	}
	if u.Hostname() == "" {
		return nil, errors.New("fasthttpproxy: proxy address has no host")
	}
	switch u.Scheme {
	case "http", "https", "socks5", "socks5h":
		return u, nil
	}
	return nil, errors.New("fasthttpproxy: unsupported proxy scheme " + strconv.Quote(u.Scheme))
}

// proxyAuthorization returns the Proxy-Authorization value for the
// credentials in u, or "".
func proxyAuthorization(u *url.URL) string {
	if u.User == nil {
		return ""
	}
	password, _ := u.User.Password()
	creds := u.User.Username() + ":" + password
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(creds))
}

// httpConnect asks the proxy on conn to open a tunnel to addr (RFC 9110
// §9.3.6) and returns the tunnel. The exchange is bounded by timeout.
func httpConnect(conn net.Conn, addr, auth string, timeout time.Duration) (net.Conn, error) {
	if !validAuthority(addr) {
		_ = conn.Close()
		return nil, errors.New("fasthttpproxy: invalid target address for CONNECT")
	}
	if err := conn.SetDeadline(time.Now().Add(timeout)); err != nil {
		_ = conn.Close()
		return nil, err
	}
	msg := make([]byte, 0, 128+len(addr)*2+len(auth))
	msg = append(msg, "CONNECT "...)
	msg = append(msg, addr...)
	msg = append(msg, " HTTP/1.1\r\nHost: "...)
	msg = append(msg, addr...)
	msg = append(msg, "\r\n"...)
	if auth != "" {
		msg = append(msg, "Proxy-Authorization: "...)
		msg = append(msg, auth...)
		msg = append(msg, "\r\n"...)
	}
	msg = append(msg, "\r\n"...)
	if _, err := conn.Write(msg); err != nil {
		_ = conn.Close()
		return nil, err
	}
	br := bufio.NewReader(conn)
	var h fasthttp.ResponseHeader
	if err := h.Read(br); err != nil {
		_ = conn.Close()
		return nil, errors.New("fasthttpproxy: cannot read the proxy's CONNECT response: " + err.Error())
	}
	if code := h.StatusCode(); code < 200 || code > 299 {
		_ = conn.Close()
		return nil, errors.New("fasthttpproxy: proxy refused CONNECT to " + addr + " with status " + strconv.Itoa(code))
	}
	if err := conn.SetDeadline(time.Time{}); err != nil {
		_ = conn.Close()
		return nil, err
	}
	// Whatever came with the answer is the proxy's (some send a body with
	// their 200, against RFC 9110 §9.3.6), never the target's: the
	// protocols spoken through the tunnel, HTTP and TLS, have the client
	// talk first, so nothing the target sends can precede the request.
	// Dropping it, as net/http does, keeps those bytes from being taken
	// for the answer to that request.
	return conn, nil
}

// validAuthority reports whether addr can go into a CONNECT line as is:
// visible ASCII only, so it cannot split the request.
func validAuthority(addr string) bool {
	if addr == "" {
		return false
	}
	for i := 0; i < len(addr); i++ {
		if c := addr[i]; c <= ' ' || c >= 0x7f {
			return false
		}
	}
	return true
}
