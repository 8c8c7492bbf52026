package fasthttp

import (
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// redirectServer answers /rNNN/...?to=L with status NNN to Location L, and
// any other request with a description of what it received.
func redirectServer(t *testing.T) *testServer {
	return startServer(t, func(ctx *RequestCtx) {
		path := string(ctx.Path())
		if to := ctx.QueryArgs().Peek("to"); len(to) > 0 && strings.HasPrefix(path, "/r") && len(path) >= 5 {
			var code int
			fmt.Sscanf(path[2:5], "%d", &code)
			ctx.Response.Header.SetBytesV(HeaderLocation, to)
			ctx.SetStatusCode(code)
			return
		}
		if path == "/noloc" {
			ctx.SetStatusCode(StatusFound)
			return
		}
		if path == "/loop" {
			ctx.Redirect("/loop", StatusFound)
			return
		}
		fmt.Fprintf(ctx, "%s %s body=%q auth=%q cookie=%q host=%s", ctx.Method(), ctx.RequestURI(),
			ctx.PostBody(), ctx.Request.Header.Peek(HeaderAuthorization), ctx.Request.Header.Peek(HeaderCookie),
			ctx.Host())
	})
}

func TestClientDoRedirectsMethodAndBody(t *testing.T) {
	t.Parallel()
	ts := redirectServer(t)
	base := "http://" + ts.addr
	cases := []struct {
		method string
		code   int
		want   string
	}{
		{MethodPost, 301, `GET /target body="" `},
		{MethodPost, 302, `GET /target body="" `},
		{MethodPut, 302, `PUT /target body="data" `},
		{MethodPost, 303, `GET /target body="" `},
		{MethodPut, 303, `GET /target body="" `},
		{MethodHead, 303, ``},
		{MethodPost, 307, `POST /target body="data" `},
		{MethodPut, 308, `PUT /target body="data" `},
		{MethodGet, 301, `GET /target body="" `},
	}
	var c Client
	for _, tc := range cases {
		req := AcquireRequest()
		resp := AcquireResponse()
		req.Header.SetMethod(tc.method)
		req.SetRequestURI(fmt.Sprintf("%s/r%d/x?to=/target", base, tc.code))
		if tc.method != MethodGet && tc.method != MethodHead {
			req.SetBodyString("data")
		}
		if err := c.DoRedirects(req, resp, 5); err != nil {
			t.Fatalf("%s %d: %v", tc.method, tc.code, err)
		}
		if resp.StatusCode() != 200 || !strings.HasPrefix(string(resp.Body()), tc.want) {
			t.Errorf("%s %d: got %d %q, want prefix %q", tc.method, tc.code, resp.StatusCode(), resp.Body(), tc.want)
		}
		if got := string(req.URI().Path()); got != "/target" {
			t.Errorf("%s %d: request URI left at %q", tc.method, tc.code, got)
		}
		ReleaseRequest(req)
		ReleaseResponse(resp)
	}
}

func TestClientRedirectLocationResolution(t *testing.T) {
	t.Parallel()
	ts := redirectServer(t)
	base := "http://" + ts.addr
	cases := []struct{ to, want string }{
		{"/abs?x=1", "GET /abs?x=1 "},
		{"rel", "GET /r302/dir/rel "},
		{"../up", "GET /r302/up "},
		{"?q=2", "GET /r302/dir/page?q=2 "},
		{"//" + ts.addr + "/scheme-relative", "GET /scheme-relative "},
		{base + "/full#frag", "GET /full "},
	}
	for _, tc := range cases {
		req := AcquireRequest()
		resp := AcquireResponse()
		req.SetRequestURI(base + "/r302/dir/page?to=" + string(AppendQuotedArg(nil, []byte(tc.to))))
		if err := DoRedirects(req, resp, 3); err != nil {
			t.Fatalf("%s: %v", tc.to, err)
		}
		if !strings.HasPrefix(string(resp.Body()), tc.want) {
			t.Errorf("Location %q: got %q, want prefix %q", tc.to, resp.Body(), tc.want)
		}
		ReleaseRequest(req)
		ReleaseResponse(resp)
	}
}

func TestClientRedirectLimits(t *testing.T) {
	t.Parallel()
	ts := redirectServer(t)
	base := "http://" + ts.addr
	var c Client
	req := AcquireRequest()
	resp := AcquireResponse()
	req.SetRequestURI(base + "/loop")
	if err := c.DoRedirects(req, resp, 3); err != ErrTooManyRedirects {
		t.Fatalf("got %v, want ErrTooManyRedirects", err)
	}
	if resp.StatusCode() != StatusFound {
		t.Fatalf("last response %d, want the redirect", resp.StatusCode())
	}
	// Zero redirects allowed: the first redirect is already too many.
	req.SetRequestURI(base + "/r301/a?to=/b")
	if err := c.DoRedirects(req, resp, 0); err != ErrTooManyRedirects {
		t.Fatalf("max 0: got %v", err)
	}
	req.SetRequestURI(base + "/noloc")
	if err := c.DoRedirects(req, resp, 3); err != ErrMissingLocation {
		t.Fatalf("got %v, want ErrMissingLocation", err)
	}
	// Do does not follow redirects at all.
	req.SetRequestURI(base + "/r302/a?to=/b")
	if err := c.Do(req, resp); err != nil || resp.StatusCode() != StatusFound {
		t.Fatalf("Do: %d %v", resp.StatusCode(), err)
	}
	// Get follows them.
	code, body, err := c.Get(nil, base+"/r307/a?to=/final")
	if err != nil || code != 200 || !strings.HasPrefix(string(body), "GET /final") {
		t.Fatalf("Get: %d %q %v", code, body, err)
	}
	// Unsupported schemes are refused.
	req.SetRequestURI(base + "/r302/a?to=" + string(AppendQuotedArg(nil, []byte("ftp://x/"))))
	if err := c.DoRedirects(req, resp, 3); err == nil || !strings.Contains(err.Error(), `"ftp"`) {
		t.Fatalf("ftp redirect: %v", err)
	}
}

func TestClientRedirectDropsCredentialsAcrossHosts(t *testing.T) {
	t.Parallel()
	ts := redirectServer(t)
	_, port, _ := net.SplitHostPort(ts.addr)
	var c Client
	for _, tc := range []struct {
		to   string
		keep bool
	}{
		{"/same", true},
		{"http://localhost:" + port + "/other", false},
	} {
		req := AcquireRequest()
		resp := AcquireResponse()
		req.SetRequestURI("http://" + ts.addr + "/r302/a?to=" + string(AppendQuotedArg(nil, []byte(tc.to))))
		req.Header.Set(HeaderAuthorization, "Bearer secret")
		req.Header.SetCookie("session", "s1")
		if err := c.DoRedirects(req, resp, 3); err != nil {
			t.Fatal(err)
		}
		body := string(resp.Body())
		hasCreds := strings.Contains(body, "secret") || strings.Contains(body, "s1")
		if hasCreds != tc.keep {
			t.Errorf("redirect to %s: got %q", tc.to, body)
		}
		if !tc.keep && !strings.Contains(body, "host=localhost:"+port) {
			t.Errorf("Host not updated: %q", body)
		}
		ReleaseRequest(req)
		ReleaseResponse(resp)
	}
}

func TestHostClientRedirects(t *testing.T) {
	t.Parallel()
	ts := redirectServer(t)
	hc := &HostClient{Addr: ts.addr}
	req := AcquireRequest()
	resp := AcquireResponse()
	req.SetRequestURI("http://" + ts.addr + "/r301/a?to=/b")
	if err := hc.DoRedirects(req, resp, 2); err != nil || !strings.HasPrefix(string(resp.Body()), "GET /b") {
		t.Fatalf("got %q %v", resp.Body(), err)
	}
	req.SetRequestURI("http://" + ts.addr + "/r302/a?to=" + string(AppendQuotedArg(nil, []byte("https://"+ts.addr+"/"))))
	if err := hc.DoRedirects(req, resp, 2); err != ErrHostClientRedirectToDifferentScheme {
		t.Fatalf("got %v, want ErrHostClientRedirectToDifferentScheme", err)
	}
	code, body, err := hc.Get(nil, "http://"+ts.addr+"/r308/a?to=/c")
	if err != nil || code != 200 || !strings.HasPrefix(string(body), "GET /c") {
		t.Fatalf("Get: %d %q %v", code, body, err)
	}
}

func TestClientRedirectBodyStream(t *testing.T) {
	t.Parallel()
	ts := redirectServer(t)
	var c Client
	for _, tc := range []struct {
		code int
		err  error
	}{{307, ErrRedirectBodyStream}, {308, ErrRedirectBodyStream}, {303, nil}} {
		req := AcquireRequest()
		resp := AcquireResponse()
		req.Header.SetMethod(MethodPost)
		req.SetRequestURI(fmt.Sprintf("http://%s/r%d/a?to=/b", ts.addr, tc.code))
		req.SetBodyStream(strings.NewReader("streamed"), -1)
		if err := c.DoRedirects(req, resp, 3); err != tc.err {
			t.Errorf("%d: got %v, want %v", tc.code, err, tc.err)
		}
		ReleaseRequest(req)
		ReleaseResponse(resp)
	}
}

func TestClientGetTimeoutCoversRedirects(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	hops := 0
	ts := startServer(t, func(ctx *RequestCtx) {
		mu.Lock()
		hops++
		mu.Unlock()
		time.Sleep(40 * time.Millisecond)
		ctx.Redirect("/again", StatusFound)
	})
	start := time.Now()
	_, _, err := GetTimeout(nil, "http://"+ts.addr+"/", 150*time.Millisecond)
	if err != ErrTimeout {
		t.Fatalf("got %v, want ErrTimeout", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Fatalf("took %v", d)
	}
	mu.Lock()
	defer mu.Unlock()
	if hops < 2 || hops > 5 {
		t.Fatalf("%d hops within the timeout", hops)
	}
}

func TestClientPostHelpersFollowRedirects(t *testing.T) {
	t.Parallel()
	ts := redirectServer(t)
	args := AcquireArgs()
	args.Set("a", "b")
	code, body, err := Post(nil, "http://"+ts.addr+"/r303/x?to=/done", args)
	if err != nil || code != 200 || !strings.HasPrefix(string(body), `GET /done body=""`) {
		t.Fatalf("Post: %d %q %v", code, body, err)
	}
	code, body, err = Post(nil, "http://"+ts.addr+"/echo", nil)
	if err != nil || code != 200 || !strings.HasPrefix(string(body), `POST /echo body=""`) {
		t.Fatalf("Post nil args: %d %q %v", code, body, err)
	}
	dst := make([]byte, 0, 512)
	code, body, err = GetDeadline(dst, "http://"+ts.addr+"/x", time.Now().Add(time.Second))
	if err != nil || code != 200 || &body[0] != &dst[:1][0] {
		t.Fatalf("GetDeadline did not append to dst: %d %v", code, err)
	}
}

func TestClientRedirectWithStreamedBodies(t *testing.T) {
	t.Parallel()
	ts := redirectServer(t)
	// One connection only: the redirect's body stream must give it back
	// before the next hop needs it.
	c := &Client{StreamResponseBody: true, MaxConnsPerHost: 1}
	req := AcquireRequest()
	resp := AcquireResponse()
	req.SetRequestURI("http://" + ts.addr + "/r302/a?to=/b")
	if err := c.DoRedirects(req, resp, 3); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(resp.Body()), "GET /b") {
		t.Fatalf("got %q", resp.Body())
	}
}

// redirectPeer is a net/http server, plain and TLS, reached by a Client
// whose dialer sends every host name to it (port 443 to the TLS one), so
// that redirects between names can be observed. /rNNN?to=L answers status
// NNN to Location L; any other path describes the request it received.
func redirectPeer(t *testing.T) *Client {
	t.Helper()
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p := r.URL.Path; strings.HasPrefix(p, "/r") && len(p) == 5 {
			code, _ := strconv.Atoi(p[2:])
			_, _ = io.Copy(io.Discard, r.Body)
			w.Header().Set("Location", r.URL.Query().Get("to"))
			w.WriteHeader(code)
			return
		}
		body, _ := io.ReadAll(r.Body)
		var fields []string
		for k := range r.Header {
			if k != "User-Agent" && k != "Accept-Encoding" {
				fields = append(fields, k)
			}
		}
		sort.Strings(fields)
		var trailers []string
		for k, v := range r.Trailer {
			trailers = append(trailers, k+"="+strings.Join(v, ","))
		}
		sort.Strings(trailers)
		fmt.Fprintf(w, "%s tls=%v host=%s path=%s body=%q te=%v fields=%v trailers=%v",
			r.Method, r.TLS != nil, r.Host, r.URL.Path, body, r.TransferEncoding, fields, trailers)
	})
	plain := httptest.NewServer(h)
	t.Cleanup(plain.Close)
	secure := httptest.NewTLSServer(h)
	t.Cleanup(secure.Close)
	plainAddr, secureAddr := plain.Listener.Addr().String(), secure.Listener.Addr().String()
	return &Client{
		TLSConfig: &tls.Config{InsecureSkipVerify: true, MinVersion: tls.VersionTLS12}, //nolint:gosec // test peer
		Dial: func(addr string) (net.Conn, error) {
			if strings.HasSuffix(addr, ":443") {
				return net.Dial("tcp", secureAddr)
			}
			return net.Dial("tcp", plainAddr)
		},
	}
}

// redirectVia is the URL of a hop on start's server that redirects with
// code to location.
func redirectVia(start string, code int, location string) string {
	return fmt.Sprintf("%s/r%d?to=%s", start, code, url.QueryEscape(location))
}

func TestClientRedirectMethodChangeDropsBodyFields(t *testing.T) {
	t.Parallel()
	c := redirectPeer(t)
	const keptBody = `body="data" te=[] fields=[Content-Encoding Content-Language Content-Length Content-Location Content-Type X-Other] trailers=[]`
	const dropped = `body="" te=[] fields=[X-Other] trailers=[]`
	cases := []struct {
		method string
		code   int
		want   string // the final request: what it carried
		final  string // its method
	}{
		{MethodPost, 301, dropped, MethodGet},
		{MethodPost, 302, dropped, MethodGet},
		{MethodPost, 303, dropped, MethodGet},
		{MethodPut, 303, dropped, MethodGet},
		{MethodDelete, 303, dropped, MethodGet},
		{MethodPatch, 303, dropped, MethodGet},
		{MethodOptions, 303, dropped, MethodGet},
		// RFC 9110 §15.4.2/3 let user agents change only POST on 301/302.
		{MethodPut, 301, keptBody, MethodPut},
		{MethodPatch, 302, keptBody, MethodPatch},
		{MethodPost, 307, keptBody, MethodPost},
		{MethodPost, 308, keptBody, MethodPost},
		{MethodPut, 307, keptBody, MethodPut},
		{MethodDelete, 308, keptBody, MethodDelete},
		{MethodHead, 303, "", MethodHead}, // no answer body: checked on req
	}
	for _, tc := range cases {
		req := AcquireRequest()
		resp := AcquireResponse()
		req.Header.SetMethod(tc.method)
		req.SetRequestURI(redirectVia("http://a.test", tc.code, "/target"))
		req.SetBodyString("data")
		req.Header.SetContentType("text/plain")
		req.Header.Set(HeaderContentEncoding, "identity")
		req.Header.Set(HeaderContentLanguage, "en")
		req.Header.Set(HeaderContentLocation, "/doc")
		req.Header.Set("X-Other", "kept")
		if err := c.DoRedirects(req, resp, 3); err != nil {
			t.Fatalf("%s %d: %v", tc.method, tc.code, err)
		}
		if got := string(req.Header.Method()); got != tc.final {
			t.Errorf("%s %d: request left as %s, want %s", tc.method, tc.code, got, tc.final)
		}
		got := string(resp.Body())
		if tc.method == MethodHead {
			if len(req.Header.ContentType()) > 0 || len(req.Header.Peek(HeaderContentLanguage)) > 0 || len(req.Body()) > 0 {
				t.Errorf("HEAD 303 kept the body or its fields: %q", req.Header.String())
			}
		} else if !strings.HasPrefix(got, tc.final+" ") || !strings.HasSuffix(got, tc.want) {
			t.Errorf("%s %d: got %q, want %s ... %q", tc.method, tc.code, got, tc.final, tc.want)
		}
		ReleaseRequest(req)
		ReleaseResponse(resp)
	}
}

func TestClientRedirectToGetDropsChunkedBodyAndTrailers(t *testing.T) {
	t.Parallel()
	c := redirectPeer(t)
	for _, stream := range []bool{false, true} {
		req := AcquireRequest()
		resp := AcquireResponse()
		req.Header.SetMethod(MethodPost)
		req.SetRequestURI(redirectVia("http://a.test", StatusFound, "/target"))
		if stream {
			req.SetBodyStream(strings.NewReader("streamed"), -1)
		} else {
			req.SetBodyString("data")
		}
		if err := req.Header.SetTrailer("X-Sig"); err != nil {
			t.Fatal(err)
		}
		req.Header.Set("X-Sig", "signature")
		if err := c.DoRedirects(req, resp, 3); err != nil {
			t.Fatalf("stream=%v: %v", stream, err)
		}
		want := `GET tls=false host=a.test path=/target body="" te=[] fields=[] trailers=[]`
		if got := string(resp.Body()); got != want {
			t.Errorf("stream=%v: got %q, want %q", stream, got, want)
		}
		ReleaseRequest(req)
		ReleaseResponse(resp)
	}
}

func TestClientRedirectCredentialsFollowTheHostName(t *testing.T) {
	t.Parallel()
	c := redirectPeer(t)
	cases := []struct {
		name, start, location string
		keep                  bool
	}{
		{"same host", "http://a.test", "/next", true},
		{"other port", "http://a.test", "http://a.test:8080/next", true},
		{"to https", "http://a.test", "https://a.test/next", true},
		{"to http", "https://a.test", "http://a.test/next", true},
		{"case differs", "http://a.test", "http://A.Test/next", true},
		{"subdomain", "http://a.test", "http://api.a.test/next", true},
		{"parent of the first host", "http://api.a.test", "http://a.test/next", false},
		{"other host", "http://a.test", "http://b.test/next", false},
		{"suffix but no subdomain", "http://a.test", "http://evila.test/next", false},
		{"IP literal to name", "http://127.0.0.1", "http://localhost/next", false},
		// Judged against the first host on every hop: leaving it once is
		// final, a subdomain on the way is not.
		{"back after another host", "http://a.test", redirectVia("http://b.test", 302, "http://a.test/next"), false},
		{"back after a subdomain", "http://a.test", redirectVia("http://api.a.test", 302, "http://a.test/next"), true},
	}
	for _, tc := range cases {
		req := AcquireRequest()
		resp := AcquireResponse()
		req.Header.SetMethod(MethodPut)
		req.SetRequestURI(redirectVia(tc.start, StatusTemporaryRedirect, tc.location))
		req.Header.Set(HeaderAuthorization, "Bearer secret")
		req.Header.Set(HeaderProxyAuthorization, "Basic cHJveHk=")
		req.Header.SetCookie("session", "s1")
		req.Header.Set("Cookie2", "legacy")
		req.Header.Set(HeaderWWWAuthenticate, "Basic")
		req.Header.Set(HeaderProxyAuthenticate, "Basic")
		req.Header.Set("X-Other", "kept")
		req.SetBodyString("data")
		req.Header.SetContentType("text/plain")
		if err := req.Header.SetTrailer("X-Sig"); err != nil {
			t.Fatal(err)
		}
		req.Header.Set("X-Sig", "signature")
		if err := c.DoRedirects(req, resp, 3); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		got := string(resp.Body())
		var want string
		if tc.keep {
			want = `body="data" te=[chunked] fields=[Authorization Content-Type Cookie Cookie2 Proxy-Authenticate Proxy-Authorization Www-Authenticate X-Other] trailers=[X-Sig=signature]`
		} else {
			want = `body="data" te=[] fields=[Content-Length Content-Type X-Other] trailers=[]`
		}
		if !strings.HasPrefix(got, "PUT ") || !strings.HasSuffix(got, want) {
			t.Errorf("%s: got %q, want suffix %q", tc.name, got, want)
		}
		ReleaseRequest(req)
		ReleaseResponse(resp)
	}
}

func TestClientRedirectToInvalidLocation(t *testing.T) {
	t.Parallel()
	cases := []struct {
		location    string
		invalidURI  bool // errors.Is(err, ErrorInvalidURI); else an unsupported scheme
		errContains string
	}{
		{"http://[::1/x", true, "missing ']'"},
		{"http://a b/", true, "invalid character"},
		{"http://host:port/", true, "port"},
		{"http://%zz/", true, "escape"},
		{"http://a.test:80:80/", true, "port"},
		{"http:///path", true, "no host"},
		{"https:relative", true, "no host"},
		{"mailto:someone@a.test", false, `"mailto"`},
		{"ftp://a.test/file", false, `"ftp"`},
		{"javascript:alert(1)", false, `"javascript"`},
	}
	rs := startRawServer(t, serveHeads(func(head string) string {
		var i int
		if _, err := fmt.Sscanf(head, "GET /loc%d ", &i); err == nil && i < len(cases) {
			return "HTTP/1.1 302 Found\r\nLocation: " + cases[i].location + "\r\nContent-Length: 0\r\n\r\n"
		}
		return "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
	}))
	c := &Client{Dial: func(string) (net.Conn, error) { return net.Dial("tcp4", rs.addr) }}
	for i, tc := range cases {
		req := AcquireRequest()
		resp := AcquireResponse()
		start := fmt.Sprintf("http://a.test/loc%d", i)
		req.SetRequestURI(start)
		err := c.DoRedirects(req, resp, 3)
		if err == nil || errors.Is(err, ErrorInvalidURI) != tc.invalidURI || !strings.Contains(err.Error(), tc.errContains) {
			t.Errorf("Location %q: got %v, want ErrorInvalidURI=%v mentioning %s", tc.location, err, tc.invalidURI, tc.errContains)
		}
		// The request is left as it was, for the caller to inspect.
		if got := req.URI().String(); got != start {
			t.Errorf("Location %q: request URI left at %q", tc.location, got)
		}
		if resp.StatusCode() != StatusFound {
			t.Errorf("Location %q: response %d, want the redirect", tc.location, resp.StatusCode())
		}
		ReleaseRequest(req)
		ReleaseResponse(resp)
	}
}

// locationTransport answers every request with a 302 to location, set the
// way a stub or middleware would set it.
type locationTransport struct{ location string }

func (lt locationTransport) RoundTrip(_ *HostClient, _ *Request, resp *Response) (bool, error) {
	resp.Reset()
	resp.SetStatusCode(StatusFound)
	resp.Header.Set(HeaderLocation, lt.location)
	return false, nil
}

func TestClientRedirectLocationWithControlByte(t *testing.T) {
	t.Parallel()
	// A NUL set on a Location stays visible, to the caller's own checks
	// and to the client's: following it fails as an invalid URI.
	hc := &HostClient{Addr: "a.test:80", Transport: locationTransport{"/bad\x00path"}}
	req := AcquireRequest()
	defer ReleaseRequest(req)
	resp := AcquireResponse()
	defer ReleaseResponse(resp)
	req.SetRequestURI("http://a.test/start")
	err := hc.DoRedirects(req, resp, 3)
	if !errors.Is(err, ErrorInvalidURI) {
		t.Fatalf("got %v, want ErrorInvalidURI", err)
	}
	if got := string(resp.Header.Peek(HeaderLocation)); got != "/bad\x00path" {
		t.Fatalf("Location read back as %q", got)
	}
	if got := req.URI().String(); got != "http://a.test/start" {
		t.Fatalf("request URI left at %q", got)
	}
}
