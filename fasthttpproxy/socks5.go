package fasthttpproxy

import (
	"context"
	"net"
	"net/url"

	"github.com/valyala/fasthttp"
	"golang.org/x/net/proxy"
)

// FasthttpSocksDialer returns a dial function that reaches every target
// through the SOCKS5 proxy at proxyAddr, given as a URL
// ("socks5://[user:password@]host:port") or as "host:port". Target names
// are resolved by the proxy.
//
//	c := &fasthttp.Client{
//		Dial: fasthttpproxy.FasthttpSocksDialer("socks5://localhost:1080"),
//	}
func FasthttpSocksDialer(proxyAddr string) fasthttp.DialFunc {
	return fixedProxyDialer(&Dialer{}, proxyAddr, "socks5")
}

// FasthttpSocksDialerDualStack is FasthttpSocksDialer reaching the proxy
// over IPv4 or IPv6.
func FasthttpSocksDialerDualStack(proxyAddr string) fasthttp.DialFunc {
	return fixedProxyDialer(&Dialer{DialDualStack: true}, proxyAddr, "socks5")
}

// dialSOCKS5 reaches addr through the SOCKS5 proxy at u, with d as the
// dialer to the proxy. The negotiation is bounded by the connect timeout.
func (d *Dialer) dialSOCKS5(u *url.URL, addr string) (net.Conn, error) {
	var auth *proxy.Auth
	if u.User != nil {
		auth = &proxy.Auth{User: u.User.Username()}
		auth.Password, _ = u.User.Password()
	}
	pd, err := proxy.SOCKS5("tcp", proxyAddr(u), auth, d)
	if err != nil {
		return nil, err
	}
	if cd, ok := pd.(proxy.ContextDialer); ok {
		ctx, cancel := context.WithTimeout(context.Background(), d.connectTimeout())
		defer cancel()
		return cd.DialContext(ctx, "tcp", addr)
	}
	return pd.Dial("tcp", addr)
}
