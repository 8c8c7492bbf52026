package fasthttpproxy

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"io"
	"net"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/valyala/fasthttp"
	"golang.org/x/net/http/httpproxy"
	"golang.org/x/net/proxy"
)

func echoHandler(ctx *fasthttp.RequestCtx) {
	ctx.SetBodyString("origin saw " + string(ctx.Host()) + string(ctx.RequestURI()))
}

func basic(creds string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(creds))
}

func get(t *testing.T, c *fasthttp.Client, url string) (string, error) {
	t.Helper()
	code, body, err := c.GetTimeout(nil, url, 5*time.Second)
	if err == nil && code != 200 {
		t.Fatalf("status %d", code)
	}
	return string(body), err
}

func TestHTTPDialer(t *testing.T) {
	t.Parallel()
	port := startOrigin(t, echoHandler)
	proxyAddr, log := startConnectProxy(t, basic("user:p@ss"))
	target := "backend.test:" + port

	c := &fasthttp.Client{Dial: FasthttpHTTPDialer("user:p%40ss@" + proxyAddr)}
	body, err := get(t, c, "http://"+target+"/a?b=1")
	if err != nil || body != "origin saw "+target+"/a?b=1" {
		t.Fatalf("got %q %v", body, err)
	}
	targets, auths := log.snapshot()
	if len(targets) != 1 || targets[0] != target || auths[0] != basic("user:p@ss") {
		t.Fatalf("proxy saw %v with %v", targets, auths)
	}

	// Wrong credentials: the proxy's refusal comes back as an error.
	bad := &fasthttp.Client{Dial: FasthttpHTTPDialerTimeout("user:wrong@"+proxyAddr, time.Second)}
	if _, err := get(t, bad, "http://"+target+"/"); err == nil || !strings.Contains(err.Error(), "407") {
		t.Fatalf("got %v, want the 407 refusal", err)
	}

	// The URL form and the dual-stack variants work the same.
	for _, dial := range []fasthttp.DialFunc{
		FasthttpHTTPDialerDualStack("http://user:p%40ss@" + proxyAddr),
		FasthttpHTTPDialerDualStackTimeout("user:p%40ss@"+proxyAddr, time.Second),
	} {
		c := &fasthttp.Client{Dial: dial}
		if body, err := get(t, c, "http://"+target+"/x"); err != nil || !strings.HasSuffix(body, "/x") {
			t.Fatalf("got %q %v", body, err)
		}
	}

	// A proxy address that cannot be parsed fails every dial.
	if _, err := FasthttpHTTPDialer("http://[::1")("x.test:80"); err == nil {
		t.Fatal("invalid proxy accepted")
	}
}

func TestHTTPDialerTLSThroughTunnel(t *testing.T) {
	t.Parallel()
	certPEM, keyPEM, err := fasthttp.GenerateTestCertificate("secure.test")
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &fasthttp.Server{Handler: func(ctx *fasthttp.RequestCtx) {
		ctx.SetBodyString("tls=" + map[bool]string{true: "yes", false: "no"}[ctx.IsTLS()])
	}}
	go func() { _ = s.ServeTLSEmbed(ln, certPEM, keyPEM) }()
	t.Cleanup(func() { _ = s.Shutdown() })
	_, port, _ := net.SplitHostPort(ln.Addr().String())

	proxyAddr, log := startConnectProxy(t, "")
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(certPEM)
	c := &fasthttp.Client{
		Dial:      FasthttpHTTPDialer(proxyAddr),
		TLSConfig: &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12},
	}
	body, err := get(t, c, "https://secure.test:"+port+"/")
	if err != nil || body != "tls=yes" {
		t.Fatalf("got %q %v", body, err)
	}
	if targets, _ := log.snapshot(); len(targets) != 1 || targets[0] != "secure.test:"+port {
		t.Fatalf("proxy saw %v", targets)
	}
}

func TestHTTPConnectEdgeCases(t *testing.T) {
	t.Parallel()
	// Bytes that come with the proxy's 200 (a body some proxies send, or
	// an answer forged before the request was even sent) are not the
	// origin's: the answer read is the one sent after the request.
	for _, extra := range []string{
		"Content-Length: 4\r\n\r\ntrue",
		"\r\nHTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nforged",
	} {
		eager := serveLoop(t, func(c net.Conn) {
			br := bufio.NewReader(c)
			if _, err := readHead(br); err != nil {
				return
			}
			_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\n"+extra)
			if _, err := readHead(br); err != nil { // the client's request
				return
			}
			_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\norigin")
		})
		c := &fasthttp.Client{Dial: FasthttpHTTPDialer(eager)}
		if body, err := get(t, c, "http://any.test:80/"); err != nil || body != "origin" {
			t.Fatalf("with %q after the 200: got %q %v", extra, body, err)
		}
	}

	// A proxy that never answers CONNECT is cut off by the timeout.
	silent := serveLoop(t, func(c net.Conn) {
		_, _ = io.Copy(io.Discard, c)
	})
	start := time.Now()
	if _, err := FasthttpHTTPDialerTimeout(silent, 100*time.Millisecond)("any.test:80"); err == nil {
		t.Fatal("silent proxy accepted")
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("took %v", d)
	}

	// A target that would split the CONNECT line is refused.
	proxyAddr, log := startConnectProxy(t, "")
	if _, err := FasthttpHTTPDialer(proxyAddr)("evil.test:80\r\nX-Injected: 1"); err == nil {
		t.Fatal("target with CRLF accepted")
	}
	if targets, _ := log.snapshot(); len(targets) != 0 {
		t.Fatalf("proxy received %v", targets)
	}
}

func TestSocksDialer(t *testing.T) {
	t.Parallel()
	port := startOrigin(t, echoHandler)
	target := "socks-backend.test:" + port

	open, log := startSOCKS5Proxy(t, "", "")
	for _, dial := range []fasthttp.DialFunc{
		FasthttpSocksDialer("socks5://" + open),
		FasthttpSocksDialer(open),
		FasthttpSocksDialerDualStack("socks5://" + open),
	} {
		c := &fasthttp.Client{Dial: dial}
		if body, err := get(t, c, "http://"+target+"/s"); err != nil || body != "origin saw "+target+"/s" {
			t.Fatalf("got %q %v", body, err)
		}
	}
	// The name went to the proxy to resolve.
	if targets, _ := log.snapshot(); len(targets) != 3 || targets[0] != target {
		t.Fatalf("proxy saw %v", targets)
	}

	locked, log2 := startSOCKS5Proxy(t, "alice", "s3cret")
	c := &fasthttp.Client{Dial: FasthttpSocksDialer("socks5://alice:s3cret@" + locked)}
	if body, err := get(t, c, "http://"+target+"/auth"); err != nil || !strings.HasSuffix(body, "/auth") {
		t.Fatalf("got %q %v", body, err)
	}
	if _, auths := log2.snapshot(); len(auths) != 1 || auths[0] != "alice:s3cret" {
		t.Fatalf("proxy saw credentials %v", auths)
	}
	bad := &fasthttp.Client{Dial: FasthttpSocksDialer("socks5://alice:wrong@" + locked)}
	if _, err := get(t, bad, "http://"+target+"/"); err == nil {
		t.Fatal("wrong SOCKS5 credentials accepted")
	}
}

// loopbackResolver resolves every name to 127.0.0.1.
type loopbackResolver struct{}

func (loopbackResolver) LookupIPAddr(context.Context, string) ([]net.IPAddr, error) {
	return []net.IPAddr{{IP: net.ParseIP("127.0.0.1")}}, nil
}

func TestDialerConfig(t *testing.T) {
	t.Parallel()
	port := startOrigin(t, echoHandler)
	httpProxy, httpLog := startConnectProxy(t, "")
	httpsProxy, httpsLog := startConnectProxy(t, basic("u:p"))
	socks, socksLog := startSOCKS5Proxy(t, "", "")

	d := &Dialer{
		TCPDialer: fasthttp.TCPDialer{Resolver: loopbackResolver{}},
		Config: httpproxy.Config{
			HTTPProxy:  httpProxy,
			HTTPSProxy: "http://u:p@" + httpsProxy,
			NoProxy:    "direct.test",
		},
	}
	dial, err := d.GetDialFunc(false)
	if err != nil {
		t.Fatal(err)
	}
	for _, addr := range []string{"plain.test:" + port, "direct.test:" + port} {
		conn, err := dial(addr)
		if err != nil {
			t.Fatalf("%s: %v", addr, err)
		}
		_ = conn.Close()
	}
	// Port 443 counts as a TLS target; nothing listens there behind the
	// proxy, so the proxy's 502 comes back, but it was asked.
	if _, err := dial("tls.test:443"); err == nil {
		t.Fatal("expected the proxy to fail reaching port 443")
	}
	if targets, _ := httpLog.snapshot(); len(targets) != 1 || targets[0] != "plain.test:"+port {
		t.Fatalf("HTTP proxy saw %v", targets)
	}
	if targets, _ := httpsLog.snapshot(); len(targets) != 1 || targets[0] != "tls.test:443" {
		t.Fatalf("HTTPS proxy saw %v", targets)
	}

	// GetDialFuncForTLS picks the proxy by the flag, whatever the port.
	tlsDial, err := d.GetDialFuncForTLS(false, true)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := tlsDial("forced.test:" + port)
	if err != nil {
		t.Fatal(err)
	}
	_ = conn.Close()
	if targets, _ := httpsLog.snapshot(); len(targets) != 2 || targets[1] != "forced.test:"+port {
		t.Fatalf("HTTPS proxy saw %v", targets)
	}

	// SOCKS5 proxies are named by scheme.
	sd := &Dialer{Config: httpproxy.Config{HTTPProxy: "socks5://" + socks}}
	sdial, err := sd.GetDialFunc(false)
	if err != nil {
		t.Fatal(err)
	}
	c := &fasthttp.Client{Dial: sdial}
	if body, err := get(t, c, "http://via-socks.test:"+port+"/"); err != nil || !strings.Contains(body, "via-socks.test") {
		t.Fatalf("got %q %v", body, err)
	}
	if targets, _ := socksLog.snapshot(); len(targets) != 1 {
		t.Fatalf("SOCKS5 proxy saw %v", targets)
	}

	// ProxyFunc exposes the choice.
	u, err := d.ProxyFunc()(mustURL(t, "http://plain.test/"))
	if err != nil || u == nil || u.Host != httpProxy {
		t.Fatalf("ProxyFunc: %v %v", u, err)
	}
	if u, _ := d.ProxyFunc()(mustURL(t, "http://direct.test/")); u != nil {
		t.Fatalf("NoProxy host got proxy %v", u)
	}

	// Invalid settings are reported by GetDialFunc.
	bad := &Dialer{Config: httpproxy.Config{HTTPProxy: "http://[::1"}}
	if _, err := bad.GetDialFunc(false); err == nil {
		t.Fatal("invalid proxy URL accepted")
	}
	for _, p := range []string{"gopher://" + httpProxy, "::bad url"} {
		d := &Dialer{Config: httpproxy.Config{HTTPSProxy: p}}
		if _, err := d.GetDialFunc(false); err == nil {
			t.Fatalf("proxy %q accepted", p)
		}
	}
}

func TestDialerDirectDials(t *testing.T) {
	t.Parallel()
	port := startOrigin(t, echoHandler)
	d := &Dialer{TCPDialer: fasthttp.TCPDialer{Resolver: loopbackResolver{}}, Timeout: time.Second}
	for _, network := range []string{"tcp", "tcp4"} {
		conn, err := d.Dial(network, "any.test:"+port)
		if err != nil {
			t.Fatalf("%s: %v", network, err)
		}
		_ = conn.Close()
	}
	if _, err := d.Dial("udp", "any.test:"+port); err == nil {
		t.Fatal("udp accepted")
	}
	conn, err := d.DialTimeout("any.test:"+port, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	_ = conn.Close()
	conn, err = d.DialDualStackTimeout("127.0.0.1:"+port, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	_ = conn.Close()
	d.FlushDNSCache()

	// DialerFunc makes a plain function a forward dialer for x/net/proxy.
	var calls int
	fwd := DialerFunc(func(network, addr string) (net.Conn, error) {
		calls++
		return net.Dial(network, addr)
	})
	socks, _ := startSOCKS5Proxy(t, "", "")
	pd, err := proxy.SOCKS5("tcp", socks, nil, fwd)
	if err != nil {
		t.Fatal(err)
	}
	conn, err = pd.Dial("tcp", "fwd.test:"+port)
	if err != nil {
		t.Fatal(err)
	}
	_ = conn.Close()
	if calls != 1 {
		t.Fatalf("forward dialer called %d times", calls)
	}
}

func TestProxyFromEnvironment(t *testing.T) {
	// t.Setenv rules out t.Parallel.
	port := startOrigin(t, echoHandler)
	httpProxy, httpLog := startConnectProxy(t, "")
	t.Setenv("HTTP_PROXY", "http://"+httpProxy)
	t.Setenv("HTTPS_PROXY", "")
	t.Setenv("NO_PROXY", "skip.test")

	c := &fasthttp.Client{Dial: FasthttpProxyHTTPDialer()}
	if body, err := get(t, c, "http://env.test:"+port+"/e"); err != nil || !strings.HasSuffix(body, "/e") {
		t.Fatalf("got %q %v", body, err)
	}
	c2 := &fasthttp.Client{Dial: FasthttpProxyHTTPDialerTimeout(time.Second)}
	if _, err := get(t, c2, "http://env2.test:"+port+"/"); err != nil {
		t.Fatal(err)
	}
	if targets, _ := httpLog.snapshot(); len(targets) != 2 || targets[0] != "env.test:"+port {
		t.Fatalf("proxy saw %v", targets)
	}

	// NO_PROXY and loopback targets are dialed directly.
	d := &Dialer{TCPDialer: fasthttp.TCPDialer{Resolver: loopbackResolver{}}}
	dial, err := d.GetDialFunc(true)
	if err != nil {
		t.Fatal(err)
	}
	for _, addr := range []string{"skip.test:" + port, "127.0.0.1:" + port} {
		conn, err := dial(addr)
		if err != nil {
			t.Fatalf("%s: %v", addr, err)
		}
		_ = conn.Close()
	}
	if targets, _ := httpLog.snapshot(); len(targets) != 2 {
		t.Fatalf("direct targets went through the proxy: %v", targets)
	}

	// A broken environment fails every dial of the convenience dialer.
	t.Setenv("HTTP_PROXY", "http://[::1")
	if _, err := FasthttpProxyHTTPDialer()("x.test:80"); err == nil {
		t.Fatal("invalid HTTP_PROXY accepted")
	}
}

// A path (or query) in a proxy URL says nothing about where the proxy
// is: it is ignored, for every form of proxy address.
func TestProxyURLPathIgnored(t *testing.T) {
	t.Parallel()
	port := startOrigin(t, echoHandler)
	target := "path.test:" + port
	connectProxy, connectLog := startConnectProxy(t, "")
	authProxy, authLog := startConnectProxy(t, basic("user:p@ss"))
	socks, socksLog := startSOCKS5Proxy(t, "", "")
	cfg := &Dialer{Config: httpproxy.Config{HTTPProxy: "http://" + connectProxy + "/cfg/path"}}
	cfgDial, err := cfg.GetDialFunc(false)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		dial fasthttp.DialFunc
		log  *proxyLog
	}{
		{"http URL", FasthttpHTTPDialer("http://" + connectProxy + "/some/path"), connectLog},
		{"http URL, slash", FasthttpHTTPDialer("http://" + connectProxy + "/"), connectLog},
		{"http URL, query", FasthttpHTTPDialerTimeout("http://"+connectProxy+"/p?q=1", time.Second), connectLog},
		{"bare, credentials", FasthttpHTTPDialer("user:p%40ss@" + authProxy + "/path"), authLog},
		{"URL, credentials", FasthttpHTTPDialerDualStack("http://user:p%40ss@" + authProxy + "/path"), authLog},
		{"socks5 URL", FasthttpSocksDialer("socks5://" + socks + "/path"), socksLog},
		{"socks5 bare", FasthttpSocksDialerDualStack(socks + "/path"), socksLog},
		{"Dialer.Config", cfgDial, connectLog},
	} {
		before, _ := tc.log.snapshot()
		c := &fasthttp.Client{Dial: tc.dial}
		if body, err := get(t, c, "http://"+target+"/x"); err != nil || body != "origin saw "+target+"/x" {
			t.Fatalf("%s: got %q %v", tc.name, body, err)
		}
		if after, _ := tc.log.snapshot(); len(after) != len(before)+1 || after[len(before)] != target {
			t.Fatalf("%s: proxy saw %v", tc.name, after[len(before):])
		}
	}
}

func TestProxyFromEnvironmentWithPath(t *testing.T) {
	// t.Setenv rules out t.Parallel.
	port := startOrigin(t, echoHandler)
	proxyAddr, log := startConnectProxy(t, basic("env:pw"))
	t.Setenv("HTTP_PROXY", "http://env:pw@"+proxyAddr+"/ignored/path?x=1")
	t.Setenv("HTTPS_PROXY", "")
	t.Setenv("NO_PROXY", "")
	c := &fasthttp.Client{Dial: FasthttpProxyHTTPDialer()}
	if body, err := get(t, c, "http://env-path.test:"+port+"/e"); err != nil || !strings.HasSuffix(body, "/e") {
		t.Fatalf("got %q %v", body, err)
	}
	if targets, auths := log.snapshot(); len(targets) != 1 || targets[0] != "env-path.test:"+port || auths[0] != basic("env:pw") {
		t.Fatalf("proxy saw %v with %v", targets, auths)
	}
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// readHead reads one message head (up to its empty line) from br.
func readHead(br *bufio.Reader) (string, error) {
	var sb strings.Builder
	for {
		line, err := br.ReadString('\n')
		sb.WriteString(line)
		if err != nil || line == "\r\n" {
			return sb.String(), err
		}
	}
}
