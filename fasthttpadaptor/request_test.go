package fasthttpadaptor_test

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/valyala/fasthttp"
	"github.com/valyala/fasthttp/fasthttpadaptor"
)

func newCtx(t *testing.T, raw string) *fasthttp.RequestCtx {
	t.Helper()
	var req fasthttp.Request
	if err := req.ReadLimitBody(bufio.NewReader(strings.NewReader(raw)), 1<<20); err != nil {
		t.Fatalf("parse %q: %v", raw, err)
	}
	ctx := &fasthttp.RequestCtx{}
	ctx.Init(&req, &net.TCPAddr{IP: net.IPv4(192, 0, 2, 1), Port: 5555}, nil)
	return ctx
}

func TestConvertRequestForServer(t *testing.T) {
	t.Parallel()
	ctx := newCtx(t, "POST /a/b%20c?x=1&y=2 HTTP/1.1\r\nHost: Example.com:8080\r\n"+
		"X-Multi: one\r\nX-Multi: two\r\nContent-Type: text/plain\r\nCookie: k=v\r\nContent-Length: 5\r\n\r\nhello")
	var r http.Request
	if err := fasthttpadaptor.ConvertRequest(ctx, &r, true); err != nil {
		t.Fatal(err)
	}
	if r.Method != "POST" || r.RequestURI != "/a/b%20c?x=1&y=2" || r.Proto != "HTTP/1.1" || r.ProtoMajor != 1 || r.ProtoMinor != 1 {
		t.Fatalf("request line: %q %q %q", r.Method, r.RequestURI, r.Proto)
	}
	if r.URL.Path != "/a/b c" || r.URL.RawQuery != "x=1&y=2" || r.URL.Host != "" {
		t.Fatalf("URL %#v", r.URL)
	}
	if r.Host != "Example.com:8080" {
		t.Fatalf("Host %q (net/http keeps the field as sent)", r.Host)
	}
	if _, ok := r.Header["Host"]; ok {
		t.Fatal("Host must be promoted to Request.Host, not kept in Header")
	}
	if got := r.Header["X-Multi"]; !reflect.DeepEqual(got, []string{"one", "two"}) {
		t.Fatalf("X-Multi = %q", got)
	}
	if r.Header.Get("Content-Type") != "text/plain" || r.Header.Get("Cookie") != "k=v" {
		t.Fatalf("header %v", r.Header)
	}
	if c, err := r.Cookie("k"); err != nil || c.Value != "v" {
		t.Fatalf("Cookie: %v %v", c, err)
	}
	if r.RemoteAddr != "192.0.2.1:5555" {
		t.Fatalf("RemoteAddr %q", r.RemoteAddr)
	}
	if r.TLS != nil {
		t.Fatal("TLS set for a plain request")
	}
	if r.ContentLength != 5 {
		t.Fatalf("ContentLength %d", r.ContentLength)
	}
	if b, _ := io.ReadAll(r.Body); string(b) != "hello" {
		t.Fatalf("body %q", b)
	}
	if r.Context() != ctx {
		t.Fatal("ConvertRequest should make ctx the request context")
	}
}

func TestConvertRequestDecodedChunkedBody(t *testing.T) {
	t.Parallel()
	ctx := newCtx(t, "PUT /u HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n")
	var r http.Request
	if err := fasthttpadaptor.ConvertRequest(ctx, &r, true); err != nil {
		t.Fatal(err)
	}
	if r.ContentLength != 5 || len(r.TransferEncoding) != 0 || r.Header.Get("Transfer-Encoding") != "" {
		t.Fatalf("CL %d TE %v header %v: the body reaches the handler decoded", r.ContentLength, r.TransferEncoding, r.Header)
	}
	if b, _ := io.ReadAll(r.Body); string(b) != "abcde" {
		t.Fatalf("body %q", b)
	}
}

func TestConvertRequestNoBodyIsNoBody(t *testing.T) {
	t.Parallel()
	ctx := newCtx(t, "GET / HTTP/1.0\r\n\r\n")
	var r http.Request
	if err := fasthttpadaptor.ConvertRequest(ctx, &r, true); err != nil {
		t.Fatal(err)
	}
	if r.Body != http.NoBody || r.ContentLength != 0 {
		t.Fatalf("Body %v CL %d, want http.NoBody, 0", r.Body, r.ContentLength)
	}
	if r.Proto != "HTTP/1.0" || r.ProtoMinor != 0 {
		t.Fatalf("Proto %q", r.Proto)
	}
}

func TestConvertRequestForClient(t *testing.T) {
	t.Parallel()
	ctx := newCtx(t, "GET /p?q=1 HTTP/1.1\r\nHost: h.example:81\r\n\r\n")
	var r http.Request
	if err := fasthttpadaptor.ConvertRequest(ctx, &r, false); err != nil {
		t.Fatal(err)
	}
	if r.RequestURI != "" {
		t.Fatalf("RequestURI %q must be empty for a client request", r.RequestURI)
	}
	// As upstream: the URL is the request target, the host is in r.Host.
	if r.URL.String() != "/p?q=1" || r.Host != "h.example:81" {
		t.Fatalf("URL %q Host %q", r.URL, r.Host)
	}
}

func TestConvertRequestAbsoluteTarget(t *testing.T) {
	t.Parallel()
	ctx := newCtx(t, "GET http://origin.example/x?y HTTP/1.1\r\nHost: origin.example\r\n\r\n")
	var r http.Request
	if err := fasthttpadaptor.ConvertRequest(ctx, &r, true); err != nil {
		t.Fatal(err)
	}
	if r.URL.Scheme != "http" || r.URL.Host != "origin.example" || r.URL.Path != "/x" || r.Host != "origin.example" {
		t.Fatalf("URL %#v Host %q", r.URL, r.Host)
	}
}

func TestConvertNetHTTPRequestToFastHTTPRequest(t *testing.T) {
	t.Parallel()
	hr, err := http.NewRequest("PUT", "https://user:pw@ex.com:8443/x/y?z=1", strings.NewReader("payload"))
	if err != nil {
		t.Fatal(err)
	}
	hr.Header.Add("X-A", "1")
	hr.Header.Add("X-A", "2")
	hr.Host = "other.example"
	var req fasthttp.Request
	fasthttpadaptor.ConvertNetHTTPRequestToFastHTTPRequest(hr, &req)

	if string(req.Header.Method()) != "PUT" || string(req.RequestURI()) != "/x/y?z=1" {
		t.Fatalf("request line %s %s", req.Header.Method(), req.RequestURI())
	}
	if string(req.Header.Host()) != "other.example" {
		t.Fatalf("Host %q: Request.Host wins over URL.Host", req.Header.Host())
	}
	if got := req.Header.PeekAll("X-A"); len(got) != 2 || string(got[0]) != "1" || string(got[1]) != "2" {
		t.Fatalf("X-A %q", got)
	}
	if string(req.Header.Peek("Authorization")) != "Basic dXNlcjpwdw==" {
		t.Fatalf("Authorization %q", req.Header.Peek("Authorization"))
	}
	if string(req.Body()) != "payload" {
		t.Fatalf("body %q", req.Body())
	}
	if string(req.URI().Scheme()) != "https" {
		t.Fatalf("scheme %q", req.URI().Scheme())
	}

	// A server-side request: no URL host, only RequestURI and Host.
	sr := &http.Request{Method: "", RequestURI: "/srv?x", Host: "h", Header: http.Header{"A": {"b"}}, Body: http.NoBody}
	sr.URL, _ = url.ParseRequestURI(sr.RequestURI)
	var req2 fasthttp.Request
	fasthttpadaptor.ConvertNetHTTPRequestToFastHTTPRequest(sr, &req2)
	if string(req2.Header.Method()) != "GET" || string(req2.RequestURI()) != "/srv?x" || string(req2.Header.Host()) != "h" ||
		string(req2.Header.Peek("A")) != "b" || len(req2.Body()) != 0 {
		t.Fatalf("converted %q", req2.String())
	}
}
