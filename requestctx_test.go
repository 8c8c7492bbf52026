package fasthttp

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"strings"
	"testing"
	"time"
)

// srvCtx returns a RequestCtx prepared with Init for the raw request.
func srvCtx(t testing.TB, raw string) *RequestCtx {
	t.Helper()
	var req Request
	if err := req.Read(bufio.NewReader(strings.NewReader(raw))); err != nil {
		t.Fatalf("parsing %q: %v", raw, err)
	}
	ctx := &RequestCtx{}
	ctx.Init(&req, &net.TCPAddr{IP: net.IPv4(192, 0, 2, 1), Port: 4321}, &srvLog{})
	return ctx
}

func TestRequestCtxRequestAccessors(t *testing.T) {
	t.Parallel()
	ctx := srvCtx(t, "POST /a/../b%20c?x=1&y=2 HTTP/1.1\r\nHost: Example.com:8080\r\nReferer: http://r/\r\n"+
		"User-Agent: ua/1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 7\r\n\r\nz=3&x=9")
	checks := []struct {
		name string
		got  any
		want any
	}{
		{"Method", string(ctx.Method()), "POST"},
		{"IsPost", ctx.IsPost(), true},
		{"IsGet", ctx.IsGet(), false},
		{"RequestURI", string(ctx.RequestURI()), "/a/../b%20c?x=1&y=2"},
		{"Path", string(ctx.Path()), "/b c"},
		{"Host", string(ctx.Host()), "example.com:8080"}, // URI hosts are lowercased
		{"QueryArgs", string(ctx.QueryArgs().Peek("y")), "2"},
		{"PostArgs", string(ctx.PostArgs().Peek("z")), "3"},
		{"PostBody", string(ctx.PostBody()), "z=3&x=9"},
		{"FormValue query first", string(ctx.FormValue("x")), "1"},
		{"FormValue body", string(ctx.FormValue("z")), "3"},
		{"Referer", string(ctx.Referer()), "http://r/"},
		{"UserAgent", string(ctx.UserAgent()), "ua/1"},
		{"RemoteAddr", ctx.RemoteAddr().String(), "192.0.2.1:4321"},
		{"RemoteIP", ctx.RemoteIP().String(), "192.0.2.1"},
		{"LocalIP", ctx.LocalIP().String(), "0.0.0.0"},
		{"IsTLS", ctx.IsTLS(), false},
		{"TLSConnectionState", ctx.TLSConnectionState() == nil, true},
		{"IsBodyStream", ctx.IsBodyStream(), false},
		{"RequestBodyStream", ctx.RequestBodyStream() == nil, true},
	}
	for _, c := range checks {
		if fmt.Sprint(c.got) != fmt.Sprint(c.want) {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	methods := map[string]func(*RequestCtx) bool{
		"GET": (*RequestCtx).IsGet, "PUT": (*RequestCtx).IsPut, "DELETE": (*RequestCtx).IsDelete,
		"CONNECT": (*RequestCtx).IsConnect, "OPTIONS": (*RequestCtx).IsOptions, "TRACE": (*RequestCtx).IsTrace,
		"PATCH": (*RequestCtx).IsPatch, "HEAD": (*RequestCtx).IsHead, "QUERY": (*RequestCtx).IsQuery,
	}
	for m, is := range methods {
		ctx.Request.Header.SetMethod(m)
		if !is(ctx) || (m != "POST" && ctx.IsPost()) {
			t.Errorf("Is%s wrong for %s", m, m)
		}
	}
	ctx.SetRemoteAddr(&net.TCPAddr{IP: net.ParseIP("2001:db8::9"), Port: 1})
	if ctx.RemoteIP().String() != "2001:db8::9" {
		t.Errorf("SetRemoteAddr not used: %v", ctx.RemoteIP())
	}
}

func TestRequestCtxFormValueFunc(t *testing.T) {
	t.Parallel()
	raw := "POST /?k=query HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 6\r\n\r\nk=body"
	ctx := srvCtx(t, raw)
	if v := string(ctx.FormValue("k")); v != "query" {
		t.Fatalf("default order: %q", v)
	}
	ctx.formValueFunc = NetHttpFormValueFunc
	if v := string(ctx.FormValue("k")); v != "body" {
		t.Fatalf("net/http order: %q", v)
	}
	// Set on the server, it applies to its requests.
	addr := srvStart(t, &Server{FormValueFunc: NetHttpFormValueFunc, Handler: func(ctx *RequestCtx) {
		ctx.Write(ctx.FormValue("k"))
	}}, "127.0.0.1")
	if got := srvRaw(t, addr, strings.Replace(raw, "Host: x\r\n", "Host: x\r\nConnection: close\r\n", 1)); !strings.HasSuffix(got, "\r\n\r\nbody") {
		t.Fatalf("Server.FormValueFunc not used: %q", got)
	}
}

func TestRequestCtxMultipart(t *testing.T) {
	t.Parallel()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("name", "gopher")
	fw, _ := mw.CreateFormFile("upload", "a.txt")
	fw.Write([]byte("file contents"))
	mw.Close()
	raw := fmt.Sprintf("POST / HTTP/1.1\r\nHost: x\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n%s",
		mw.FormDataContentType(), body.Len(), body.String())
	ctx := srvCtx(t, raw)
	if v := string(ctx.FormValue("name")); v != "gopher" {
		t.Fatalf("FormValue from multipart: %q", v)
	}
	fh, err := ctx.FormFile("upload")
	if err != nil || fh.Filename != "a.txt" || fh.Size != 13 {
		t.Fatalf("FormFile: %+v %v", fh, err)
	}
	if _, err := ctx.FormFile("missing"); !errors.Is(err, ErrMissingFile) {
		t.Fatalf("missing file: %v", err)
	}
	if mf, err := ctx.MultipartFormWithLimit(1); err != nil || len(mf.Value["name"]) != 1 {
		t.Fatalf("MultipartFormWithLimit: %v", err)
	}
	plain := srvCtx(t, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	if _, err := plain.FormFile("upload"); err == nil {
		t.Fatal("FormFile on a request without a form succeeded")
	}
}

func TestRequestCtxResponseHelpers(t *testing.T) {
	t.Parallel()
	ctx := srvCtx(t, "GET /dir/page?q=1 HTTP/1.1\r\nHost: h.example\r\n\r\n")
	ctx.SetStatusCode(201)
	ctx.SetContentType("application/json")
	ctx.WriteString(`{"a":`)
	ctx.Write([]byte(`1}`))
	if ctx.Response.StatusCode() != 201 || string(ctx.Response.Body()) != `{"a":1}` ||
		string(ctx.Response.Header.ContentType()) != "application/json" {
		t.Fatalf("response %d %q %q", ctx.Response.StatusCode(), ctx.Response.Body(), ctx.Response.Header.ContentType())
	}
	ctx.ResetBody()
	if len(ctx.Response.Body()) != 0 {
		t.Fatal("ResetBody")
	}
	ctx.Success("text/html", []byte("<p>"))
	if string(ctx.Response.Body()) != "<p>" || string(ctx.Response.Header.ContentType()) != "text/html" {
		t.Fatal("Success")
	}
	ctx.SuccessString("text/csv", "a,b")
	if string(ctx.Response.Body()) != "a,b" || string(ctx.Response.Header.ContentType()) != "text/csv" {
		t.Fatal("SuccessString")
	}
	ctx.SetBody([]byte("x"))
	ctx.SetBodyString("y")
	if string(ctx.Response.Body()) != "y" {
		t.Fatal("SetBodyString")
	}
	ctx.Response.Header.Set("X-Old", "1")
	ctx.Error("nope", 418)
	if ctx.Response.StatusCode() != 418 || string(ctx.Response.Body()) != "nope" ||
		len(ctx.Response.Header.Peek("X-Old")) != 0 || string(ctx.Response.Header.ContentType()) != "text/plain; charset=utf-8" {
		t.Fatalf("Error: %d %q", ctx.Response.StatusCode(), ctx.Response.Body())
	}
	ctx.NotFound()
	if ctx.Response.StatusCode() != 404 || string(ctx.Response.Body()) != "404 Page not found" {
		t.Fatal("NotFound")
	}
	ctx.SetBodyString("stale")
	ctx.NotModified()
	if ctx.Response.StatusCode() != 304 || len(ctx.Response.Body()) != 0 {
		t.Fatal("NotModified")
	}
	ctx.SetConnectionClose()
	if !ctx.Response.ConnectionClose() {
		t.Fatal("SetConnectionClose")
	}
	ctx.SetBodyStream(strings.NewReader("streamed"), 8)
	if !ctx.IsBodyStream() {
		t.Fatal("IsBodyStream after SetBodyStream")
	}
	ctx.SetBodyStreamWriter(func(w *bufio.Writer) { w.WriteString("sw") })
	if !ctx.IsBodyStream() {
		t.Fatal("IsBodyStream after SetBodyStreamWriter")
	}
}

func TestRequestCtxRedirect(t *testing.T) {
	t.Parallel()
	tests := []struct {
		uri, to string
		code    int
		want    string
		status  int
	}{
		{"/a/b?q=1", "/foo?x=1", 200, "http://h.example/foo?x=1", 302}, // not a redirect code: 302
		{"/a/b/c", "../x", 301, "http://h.example/a/x", 301},
		{"/a/b/c", "d", 307, "http://h.example/a/b/d", 307},
		{"/a", "https://other.example/z", 308, "https://other.example/z", 308},
		{"/a", "//cdn.example/p", 303, "http://cdn.example/p", 303},
	}
	for _, tt := range tests {
		ctx := srvCtx(t, "GET "+tt.uri+" HTTP/1.1\r\nHost: h.example\r\n\r\n")
		ctx.Redirect(tt.to, tt.code)
		if got := string(ctx.Response.Header.Peek("Location")); got != tt.want || ctx.Response.StatusCode() != tt.status {
			t.Errorf("Redirect(%q, %d) from %s: %q %d, want %q %d", tt.to, tt.code, tt.uri, got, ctx.Response.StatusCode(), tt.want, tt.status)
		}
		ctx.RedirectBytes([]byte(tt.to), tt.code)
		if got := string(ctx.Response.Header.Peek("Location")); got != tt.want {
			t.Errorf("RedirectBytes: %q", got)
		}
	}
}

func TestRequestCtxIfModifiedSince(t *testing.T) {
	t.Parallel()
	last := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	ctx := srvCtx(t, "GET / HTTP/1.1\r\nHost: x\r\nIf-Modified-Since: "+last.Format(time.RFC1123)[:26]+"GMT\r\n\r\n")
	if ctx.IfModifiedSince(last) || ctx.IfModifiedSince(last.Add(500*time.Millisecond)) {
		t.Fatal("not modified since: must report false")
	}
	if !ctx.IfModifiedSince(last.Add(2 * time.Second)) {
		t.Fatal("modified later: must report true")
	}
	if !srvCtx(t, "GET / HTTP/1.1\r\nHost: x\r\n\r\n").IfModifiedSince(last) {
		t.Fatal("no If-Modified-Since: must report true")
	}
	if !srvCtx(t, "GET / HTTP/1.1\r\nHost: x\r\nIf-Modified-Since: junk\r\n\r\n").IfModifiedSince(last) {
		t.Fatal("bad If-Modified-Since: must report true")
	}
}

type closeCounter struct{ n *int }

func (c closeCounter) Close() error { *c.n++; return nil }

func TestRequestCtxUserValues(t *testing.T) {
	t.Parallel()
	ctx := srvCtx(t, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	type key struct{}
	ctx.SetUserValue("s", 1)
	ctx.SetUserValueBytes([]byte("b"), 2)
	ctx.SetUserValue(key{}, 3)
	if ctx.UserValue("s") != 1 || ctx.UserValueBytes([]byte("b")) != 2 || ctx.UserValue(key{}) != 3 || ctx.UserValue("b") != 2 {
		t.Fatal("UserValue lookups")
	}
	// Value makes user values visible through context.Context.
	var c context.Context = ctx
	if c.Value(key{}) != 3 || c.Value("missing") != nil {
		t.Fatal("Value")
	}
	strKeys, all := 0, 0
	ctx.VisitUserValues(func(k []byte, v any) { strKeys++ })
	ctx.VisitUserValuesAll(func(k, v any) { all++ })
	if strKeys != 2 || all != 3 {
		t.Fatalf("visited %d string keys, %d in all", strKeys, all)
	}
	ctx.RemoveUserValue("s")
	ctx.RemoveUserValueBytes([]byte("b"))
	if ctx.UserValue("s") != nil || ctx.UserValue("b") != nil || ctx.UserValue(key{}) != 3 {
		t.Fatal("Remove")
	}
	closed := 0
	ctx.SetUserValue("c", closeCounter{&closed})
	ctx.ResetUserValues()
	if closed != 1 || ctx.UserValue(key{}) != nil {
		t.Fatalf("ResetUserValues closed %d", closed)
	}

	// The server closes io.Closer values when the request ends, and the
	// next request on the connection starts with none.
	var serverClosed int
	addr := srvStart(t, &Server{Handler: func(ctx *RequestCtx) {
		if ctx.ConnRequestNum() == 1 {
			ctx.SetUserValue("c", closeCounter{&serverClosed})
			return
		}
		fmt.Fprintf(ctx, "closed=%d leftover=%v", serverClosed, ctx.UserValue("c") != nil)
	}}, "127.0.0.1")
	got := srvRaw(t, addr, "GET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
	if !strings.HasSuffix(got, "closed=1 leftover=false") {
		t.Fatalf("got %q", got)
	}
}

func TestRequestCtxConnectionFacts(t *testing.T) {
	t.Parallel()
	type facts struct {
		id, connID, num  uint64
		connTime, reqT   time.Time
		local, remote, s string
	}
	got := make(chan facts, 4)
	for _, lazy := range []bool{false, true} {
		addr := srvStart(t, &Server{LazyRequestTime: lazy, Handler: func(ctx *RequestCtx) {
			got <- facts{ctx.ID(), ctx.ConnID(), ctx.ConnRequestNum(), ctx.ConnTime(), ctx.Time(),
				ctx.LocalAddr().String(), ctx.RemoteAddr().String(), ctx.String()}
		}}, "127.0.0.1")
		c := srvDial(t, addr)
		before := time.Now()
		io.WriteString(c, "GET /p?q HTTP/1.1\r\nHost: h\r\n\r\nGET /p?q HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n")
		io.ReadAll(c)
		f1, f2 := srvRecv(t, got, "request 1"), srvRecv(t, got, "request 2")
		if f1.connID != f2.connID || f1.num != 1 || f2.num != 2 || f1.id == f2.id {
			t.Fatalf("ids %+v %+v", f1, f2)
		}
		if f1.id != f1.connID<<32|1 {
			t.Fatalf("ID %x for connection %x request 1", f1.id, f1.connID)
		}
		if f1.connTime.Before(before.Add(-time.Second)) || f1.reqT.Before(f1.connTime) || !f1.connTime.Equal(f2.connTime) {
			t.Fatalf("times: conn %v request %v", f1.connTime, f1.reqT)
		}
		if f1.local != addr || f1.remote != c.LocalAddr().String() {
			t.Fatalf("addresses %s %s", f1.local, f1.remote)
		}
		want := fmt.Sprintf("#%016X - %s<->%s - GET http://h/p?q", f1.id, addr, c.LocalAddr())
		if f1.s != want {
			t.Fatalf("String() = %q, want %q", f1.s, want)
		}
	}
}

func TestRequestCtxLogger(t *testing.T) {
	t.Parallel()
	log := &srvLog{}
	addr := srvStart(t, &Server{Logger: log, Handler: func(ctx *RequestCtx) {
		ctx.Logger().Printf("hello %d", 42)
	}}, "127.0.0.1")
	srvRaw(t, addr, "GET /logged HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n")
	lines := log.all()
	if len(lines) != 1 || !strings.Contains(lines[0], "GET http://h/logged") || !strings.HasSuffix(lines[0], "hello 42") {
		t.Fatalf("log %q", lines)
	}
	// Init's logger is used outside a server.
	ctx := srvCtx(t, "GET /x HTTP/1.1\r\nHost: h\r\n\r\n")
	ctx.Logger().Printf("outside")
	if l := ctx.logger.logger.(*srvLog).all(); len(l) != 1 || !strings.HasSuffix(l[0], "outside") {
		t.Fatalf("Init logger: %q", l)
	}
}

func TestRequestCtxDeadlinesAndNilConn(t *testing.T) {
	t.Parallel()
	var ctx RequestCtx
	if ctx.SetReadDeadline(time.Now()) != ErrNilConnection || ctx.SetWriteDeadline(time.Now()) != ErrNilConnection {
		t.Fatal("deadlines on a ctx without a connection")
	}
	if ctx.RemoteAddr().String() != "0.0.0.0:0" || ctx.LocalAddr().String() != "0.0.0.0:0" || ctx.IsTLS() {
		t.Fatal("zero ctx addresses")
	}
	if ctx.Done() != nil || ctx.Err() != nil {
		t.Fatal("zero ctx Done/Err")
	}
	// On a live connection, SetReadDeadline lets a handler wait for a slow
	// streamed body longer than ReadTimeout.
	addr := srvStart(t, &Server{ReadTimeout: 100 * time.Millisecond, StreamRequestBody: true, Handler: func(ctx *RequestCtx) {
		ctx.SetReadDeadline(time.Now().Add(srvWait))
		b, err := io.ReadAll(ctx.RequestBodyStream())
		fmt.Fprintf(ctx, "%s %v", b, err)
	}}, "127.0.0.1")
	c := srvDial(t, addr)
	io.WriteString(c, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nConnection: close\r\n\r\nab")
	time.Sleep(300 * time.Millisecond)
	io.WriteString(c, "cd")
	b, _ := io.ReadAll(c)
	if !strings.HasSuffix(string(b), "abcd <nil>") {
		t.Fatalf("%q", b)
	}
}

func TestRequestCtxEarlyHints(t *testing.T) {
	t.Parallel()
	addr := srvStart(t, &Server{Handler: func(ctx *RequestCtx) {
		ctx.Response.Header.Add("Link", "</a.css>; rel=preload")
		ctx.Response.Header.Add("Link", "</b.js>; rel=preload")
		if err := ctx.EarlyHints(); err != nil {
			ctx.Error(err.Error(), 500)
			return
		}
		ctx.WriteString("final")
	}}, "127.0.0.1")
	// On the very first request of a connection too.
	got := srvRaw(t, addr, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
	want := "HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\nLink: </b.js>; rel=preload\r\n\r\nHTTP/1.1 200 OK\r\n"
	if !strings.HasPrefix(got, want) || !strings.HasSuffix(got, "final") {
		t.Fatalf("got %q", got)
	}
	// Never to HTTP/1.0.
	got = srvRaw(t, addr, "GET / HTTP/1.0\r\n\r\n")
	if strings.Contains(got, "103") || !strings.HasSuffix(got, "final") {
		t.Fatalf("HTTP/1.0: %q", got)
	}
	// Outside a server it does nothing.
	ctx := srvCtx(t, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	ctx.Response.Header.Add("Link", "</a.css>")
	if err := ctx.EarlyHints(); err != nil {
		t.Fatal(err)
	}
}

func TestRequestCtxInit2(t *testing.T) {
	t.Parallel()
	a, b := net.Pipe()
	defer a.Close()
	defer b.Close()
	var ctx RequestCtx
	ctx.Init2(a, nil, false)
	ctx.Request.Header.SetMethod("PUT")
	if !ctx.IsPut() || ctx.Conn() != a || ctx.ConnID() == 0 || ctx.Time().IsZero() {
		t.Fatal("Init2")
	}
	id := ctx.ConnID()
	ctx.Init2(a, nil, false)
	if ctx.ConnID() == id || ctx.IsPut() {
		t.Fatal("Init2 must start a fresh request")
	}
}
