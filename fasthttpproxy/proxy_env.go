package fasthttpproxy

import (
	"net"
	"time"

	"github.com/valyala/fasthttp"
)

// FasthttpProxyHTTPDialer returns a dial function that picks the proxy
// for each target from the HTTP_PROXY, HTTPS_PROXY and NO_PROXY
// environment variables (and their lower-case forms), read once now.
// Targets on port 443 use HTTPS_PROXY. Loopback targets are reached
// directly.
//
//	c := &fasthttp.Client{
//		Dial: fasthttpproxy.FasthttpProxyHTTPDialer(),
//	}
func FasthttpProxyHTTPDialer() fasthttp.DialFunc {
	return FasthttpProxyHTTPDialerTimeout(0)
}

// FasthttpProxyHTTPDialerTimeout is FasthttpProxyHTTPDialer with timeout
// bounding both the dial and the proxy handshake.
func FasthttpProxyHTTPDialerTimeout(timeout time.Duration) fasthttp.DialFunc {
	d := &Dialer{Timeout: timeout, ConnectTimeout: timeout}
	dial, err := d.GetDialFunc(true)
	if err != nil {
		return func(string) (net.Conn, error) { return nil, err }
	}
	return dial
}
