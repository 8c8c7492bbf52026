// Package fasthttpproxy provides dial functions that reach servers through
// proxies, for fasthttp.Client, HostClient and PipelineClient: HTTP and
// HTTPS proxies (a CONNECT tunnel), SOCKS5 proxies, and proxies chosen from
// the HTTP_PROXY, HTTPS_PROXY and NO_PROXY environment variables.
//
//	c := &fasthttp.Client{
//		Dial: fasthttpproxy.FasthttpHTTPDialer("user:pass@proxy.example:3128"),
//	}
//
// The dial functions return the tunnel; TLS to the origin server, for
// https:// URLs, is then negotiated through it by the client as usual.
package fasthttpproxy
