package fasthttp

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// hdrAll renders All() as "k=v;" pairs, the order included.
func hdrAll(seq func(func(k, v []byte) bool)) string {
	var b strings.Builder
	seq(func(k, v []byte) bool {
		fmt.Fprintf(&b, "%s=%s;", k, v)
		return true
	})
	return b.String()
}

// hdrReadRequest parses s as a request header.
func hdrReadRequest(t testing.TB, s string) *RequestHeader {
	t.Helper()
	var h RequestHeader
	if err := h.Read(bufio.NewReader(strings.NewReader(s))); err != nil {
		t.Fatalf("Read(%q): %v", s, err)
	}
	return &h
}

func TestRequestHeaderZeroValue(t *testing.T) {
	var h RequestHeader
	if got := h.String(); got != "GET / HTTP/1.1\r\n\r\n" {
		t.Fatalf("String() = %q", got)
	}
	if string(h.Method()) != "GET" || string(h.RequestURI()) != "/" || string(h.Protocol()) != "HTTP/1.1" {
		t.Fatalf("defaults: %q %q %q", h.Method(), h.RequestURI(), h.Protocol())
	}
	if h.Host() != nil || h.ContentType() != nil || h.UserAgent() != nil || h.ContentLength() != 0 || h.Len() != 0 {
		t.Fatal("zero header reports fields")
	}
	if !h.IsGet() || h.IsPost() || !h.IsHTTP11() || h.ConnectionClose() {
		t.Fatal("zero header flags")
	}
}

func TestRequestHeaderSetPeekNormalizes(t *testing.T) {
	var h RequestHeader
	h.Set("host", "example.com")
	h.Set("user-agent", "ua1")
	h.Set("content-type", "text/html")
	h.Set("x-foo", "bar")
	h.Add("X-FOO", "baz")
	h.Set("accept-encoding", "gzip")

	want := "GET / HTTP/1.1\r\nUser-Agent: ua1\r\nHost: example.com\r\nContent-Type: text/html\r\n" +
		"X-Foo: bar\r\nX-Foo: baz\r\nAccept-Encoding: gzip\r\n\r\n"
	if got := h.String(); got != want {
		t.Fatalf("String()\n got %q\nwant %q", got, want)
	}
	for _, k := range []string{"host", "Host", "HOST"} {
		if got := string(h.Peek(k)); got != "example.com" {
			t.Fatalf("Peek(%q) = %q", k, got)
		}
	}
	if got := string(h.Peek("x-foo")); got != "bar" {
		t.Fatalf("Peek(x-foo) = %q", got)
	}
	if got := fmt.Sprintf("%q", h.PeekAll("X-Foo")); got != `["bar" "baz"]` {
		t.Fatalf("PeekAll = %s", got)
	}
	if got := fmt.Sprintf("%q", h.PeekKeys()); got != `["Host" "Content-Type" "User-Agent" "X-Foo" "X-Foo" "Accept-Encoding"]` {
		t.Fatalf("PeekKeys = %s", got)
	}
	if h.Len() != 6 {
		t.Fatalf("Len = %d", h.Len())
	}
	if got := string(h.PeekBytes([]byte("USER-AGENT"))); got != "ua1" {
		t.Fatalf("PeekBytes = %q", got)
	}
	if got := h.PeekCanonical([]byte("x-foo")); got != nil {
		t.Fatalf("PeekCanonical with a non-canonical key found %q", got)
	}
	h.Del("x-foo")
	if h.Peek("X-Foo") != nil || len(h.PeekAll("X-Foo")) != 0 {
		t.Fatal("Del left X-Foo")
	}
	h.Set("X-Foo", "1")
	h.Set("X-Foo", "2")
	if got := fmt.Sprintf("%q", h.PeekAll("X-Foo")); got != `["2"]` {
		t.Fatalf("Set did not replace: %s", got)
	}
}

func TestRequestHeaderPeekValidUntilChange(t *testing.T) {
	var h RequestHeader
	h.Set("X-A", "first")
	v := h.Peek("X-A")
	if string(v) != "first" {
		t.Fatalf("Peek = %q", v)
	}
	// Peek must be a view, not a copy: no allocation.
	if n := testing.AllocsPerRun(100, func() { _ = h.Peek("X-A") }); n != 0 {
		t.Fatalf("Peek allocates %v times", n)
	}
}

func TestRequestHeaderContentLengthAndFraming(t *testing.T) {
	var h RequestHeader
	h.SetMethod(MethodPost)
	h.SetContentLength(3)
	if got := h.String(); got != "POST / HTTP/1.1\r\nContent-Type: application/octet-stream\r\nContent-Length: 3\r\n\r\n" {
		t.Fatalf("CL 3: %q", got)
	}
	if got := string(h.Peek("Content-Length")); got != "3" {
		t.Fatalf("Peek CL = %q", got)
	}
	h.SetNoDefaultContentType(true)
	if got := h.String(); got != "POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\n" {
		t.Fatalf("no default CT: %q", got)
	}
	h.SetContentLength(0)
	if got := h.String(); got != "POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n" {
		t.Fatalf("CL 0: %q", got)
	}
	h.SetContentLength(-1)
	if h.ContentLength() != -1 || string(h.Peek("Transfer-Encoding")) != "chunked" || h.Peek("Content-Length") != nil {
		t.Fatalf("chunked: CL=%d TE=%q", h.ContentLength(), h.Peek("Transfer-Encoding"))
	}
	h.Set("X-A", "1")
	if got := h.String(); got != "POST / HTTP/1.1\r\nX-A: 1\r\nTransfer-Encoding: chunked\r\n\r\n" {
		t.Fatalf("chunked: %q", got)
	}
	// Framing fields set by name: Content-Length is understood,
	// Transfer-Encoding is decided by the body and so ignored.
	h.Set("Content-Length", "12")
	if h.ContentLength() != 12 {
		t.Fatalf("Set(Content-Length) gave %d", h.ContentLength())
	}
	h.Set("Content-Length", "x1")
	h.Set("Transfer-Encoding", "chunked")
	if h.ContentLength() != 12 {
		t.Fatalf("bad Content-Length or TE changed framing: %d", h.ContentLength())
	}
	h.Del("Content-Length")
	if h.ContentLength() != 0 || h.Peek("Content-Length") != nil {
		t.Fatal("Del(Content-Length)")
	}
}

func TestRequestHeaderConnection(t *testing.T) {
	var h RequestHeader
	h.Set("Connection", "close")
	if !h.ConnectionClose() || string(h.Peek("Connection")) != "close" {
		t.Fatal("Set(Connection, close)")
	}
	if got := h.String(); got != "GET / HTTP/1.1\r\nConnection: close\r\n\r\n" {
		t.Fatalf("close: %q", got)
	}
	h.Set("Connection", "keep-alive, Upgrade")
	if h.ConnectionClose() || !h.ConnectionUpgrade() {
		t.Fatal("keep-alive, Upgrade")
	}
	h.SetConnectionClose()
	if got := h.String(); got != "GET / HTTP/1.1\r\nConnection: keep-alive, Upgrade\r\nConnection: close\r\n\r\n" {
		t.Fatalf("SetConnectionClose: %q", got)
	}
	h.ResetConnectionClose()
	if got := h.String(); got != "GET / HTTP/1.1\r\nConnection: keep-alive, Upgrade\r\n\r\n" {
		t.Fatalf("ResetConnectionClose: %q", got)
	}
	h.Set("Connection", "close, Upgrade")
	h.ResetConnectionClose()
	if h.ConnectionClose() || string(h.Peek("Connection")) != "Upgrade" {
		t.Fatalf("ResetConnectionClose kept %q", h.Peek("Connection"))
	}
	h.Del("Connection")
	if h.Peek("Connection") != nil || h.ConnectionUpgrade() {
		t.Fatal("Del(Connection)")
	}
}

func TestRequestHeaderCookies(t *testing.T) {
	var h RequestHeader
	h.SetCookie("a", "1")
	h.SetCookie("b", "2")
	h.Set("Cookie", "c=3; d=4")
	if got := h.String(); got != "GET / HTTP/1.1\r\nCookie: a=1; b=2; c=3; d=4\r\n\r\n" {
		t.Fatalf("String = %q", got)
	}
	if string(h.Peek("Cookie")) != "a=1; b=2; c=3; d=4" || string(h.Cookie("c")) != "3" ||
		string(h.CookieBytes([]byte("a"))) != "1" {
		t.Fatal("cookie lookup")
	}
	h.Add("Cookie", "a=9")
	h.DelCookie("b")
	h.DelCookieBytes([]byte("d"))
	var got []string
	for k, v := range h.Cookies() {
		got = append(got, string(k)+"="+string(v))
	}
	// Add keeps the earlier "a" and appends the new one.
	if strings.Join(got, ",") != "a=1,c=3,a=9" {
		t.Fatalf("Cookies = %v", got)
	}
	// SetCookie takes the first "a" and drops the later one.
	h.SetCookie("a", "9")
	if h.Len() != 1 || hdrAll(h.All()) != "Cookie=a=9; c=3;" {
		t.Fatalf("All = %q", hdrAll(h.All()))
	}
	var visited int
	h.VisitAllCookie(func(k, v []byte) { visited++ })
	if visited != 2 {
		t.Fatalf("VisitAllCookie visited %d", visited)
	}
	h.DelAllCookies()
	if got := h.String(); got != "GET / HTTP/1.1\r\n\r\n" {
		t.Fatalf("DelAllCookies: %q", got)
	}
	h.Set("Cookie", "noeq; k=v; =v2")
	got = got[:0]
	for k, v := range h.Cookies() {
		got = append(got, string(k)+"="+string(v))
	}
	// Set by the program, odd pairs are kept as given; only a peer's are
	// held to RFC 6265 §4.2.1 (see TestHandlerDropsBadCookieNames).
	if strings.Join(got, ",") != "=noeq,k=v,=v2" {
		t.Fatalf("odd cookies = %v", got)
	}
	h.Del("Cookie")
	if h.Cookie("k") != nil || h.Peek("Cookie") != nil {
		t.Fatal("Del(Cookie)")
	}
}

func TestRequestHeaderReceivedCookies(t *testing.T) {
	h := hdrReadRequest(t, "GET / HTTP/1.1\r\nHost: h\r\ncookie: a=1; b=2\r\nX: y\r\nCookie: c=3\r\n\r\n")
	// Before the cookies are touched they are written as received.
	if got := h.String(); got != "GET / HTTP/1.1\r\nHost: h\r\nCookie: a=1; b=2\r\nX: y\r\nCookie: c=3\r\n\r\n" {
		t.Fatalf("String = %q", got)
	}
	if string(h.Cookie("b")) != "2" || string(h.Cookie("c")) != "3" {
		t.Fatal("received cookies")
	}
	if got := h.String(); got != "GET / HTTP/1.1\r\nHost: h\r\nX: y\r\nCookie: a=1; b=2; c=3\r\n\r\n" {
		t.Fatalf("String after parsing cookies = %q", got)
	}
}

func TestRequestHeaderAllOrder(t *testing.T) {
	var h RequestHeader
	h.Set("X-A", "1")
	if err := h.SetTrailer("X-T"); err != nil {
		t.Fatal(err)
	}
	h.Set("X-T", "tv")
	h.SetCookie("c", "1")
	h.SetUserAgent("U")
	h.SetHost("H")
	h.SetContentType("T")
	h.SetContentLength(5)
	h.Set("X-B", "2")
	h.SetConnectionClose()
	h.SetMethod("POST")
	if got := hdrAll(h.All()); got != "Host=H;Content-Length=5;Content-Type=T;User-Agent=U;Trailer=X-T;Cookie=c=1;X-A=1;X-B=2;Connection=close;" {
		t.Fatalf("All = %q", got)
	}
	if got := hdrAll(h.AllInOrder()); got != hdrAll(h.All()) {
		t.Fatalf("AllInOrder = %q", got)
	}
	want := "POST / HTTP/1.1\r\nUser-Agent: U\r\nHost: H\r\nContent-Type: T\r\nContent-Length: 5\r\nX-A: 1\r\nX-B: 2\r\n" +
		"Trailer: X-T\r\nCookie: c=1\r\nConnection: close\r\n\r\n"
	if got := h.String(); got != want {
		t.Fatalf("String\n got %q\nwant %q", got, want)
	}
	// The announced trailer field travels after the body, not here.
	if got := string(h.TrailerHeader()); got != "X-T: tv\r\n\r\n" {
		t.Fatalf("TrailerHeader = %q", got)
	}
	if got := string(h.Peek("X-T")); got != "tv" {
		t.Fatalf("Peek(X-T) = %q", got)
	}
	var n int
	h.VisitAll(func(k, v []byte) { n++ })
	h.VisitAllInOrder(func(k, v []byte) { n++ })
	if n != 2*h.Len() {
		t.Fatalf("VisitAll visited %d of 2x%d", n, h.Len())
	}
	// Stopping early is honoured.
	n = 0
	for range h.All() {
		n++
		break
	}
	if n != 1 {
		t.Fatal("All ignored break")
	}
}

func TestRequestHeaderTrailer(t *testing.T) {
	var h RequestHeader
	if err := h.SetTrailer("x-a, X-B"); err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprintf("%q", h.PeekTrailerKeys()); got != `["X-A" "X-B"]` {
		t.Fatalf("PeekTrailerKeys = %s", got)
	}
	if string(h.Peek("Trailer")) != "X-A, X-B" {
		t.Fatalf("Peek(Trailer) = %q", h.Peek("Trailer"))
	}
	err := h.SetTrailer("Content-Length")
	if !errors.Is(err, ErrBadTrailer) || err.Error() != "fasthttp: contain forbidden trailer" {
		t.Fatalf("forbidden trailer: %v", err)
	}
	if len(h.PeekTrailerKeys()) != 0 {
		t.Fatal("forbidden trailer kept")
	}
	if err := h.AddTrailer("X-C, Host, X-D"); !errors.Is(err, ErrBadTrailer) {
		t.Fatalf("mixed: %v", err)
	}
	if err := h.AddTrailerBytes([]byte("X-C")); err != nil {
		t.Fatal(err)
	}
	var names []string
	for k := range h.Trailers() {
		names = append(names, string(k))
	}
	h.VisitAllTrailer(func(k []byte) { names = append(names, string(k)) })
	if strings.Join(names, ",") != "X-C,X-D,X-C,X-D" {
		t.Fatalf("Trailers = %v", names)
	}
	h.Set("Trailer", "X-E")
	h.Add("Trailer", "X-F")
	if string(h.Peek("Trailer")) != "X-E, X-F" {
		t.Fatalf("Set/Add Trailer = %q", h.Peek("Trailer"))
	}
	h.Del("Trailer")
	if h.Peek("Trailer") != nil {
		t.Fatal("Del(Trailer)")
	}
}

func TestRequestHeaderReadTrailer(t *testing.T) {
	h := hdrReadRequest(t, "POST / HTTP/1.1\r\nHost: h\r\nTrailer: X-A\r\nTransfer-Encoding: chunked\r\n\r\n")
	if err := h.ReadTrailer(bufio.NewReader(strings.NewReader("X-A: 1\r\nx-other: 2\r\n\r\n"))); err != nil {
		t.Fatal(err)
	}
	if string(h.Peek("X-A")) != "1" || string(h.Peek("X-Other")) != "2" {
		t.Fatalf("trailer values %q %q", h.Peek("X-A"), h.Peek("X-Other"))
	}
	if got := fmt.Sprintf("%q", h.PeekTrailerKeys()); got != `["X-A" "X-Other"]` {
		t.Fatalf("trailer names %s", got)
	}
	for _, bad := range []string{"Content-Length: 5\r\n\r\n", "Host: evil\r\n\r\n", "Set-Cookie: a=b\r\n\r\n",
		"Bad Name: a\r\n\r\n", "X: a\r\nb\r\n\r\n", "X: a\x00\r\n\r\n", "X: a\r\n"} {
		h := hdrReadRequest(t, "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n")
		if err := h.ReadTrailer(bufio.NewReader(strings.NewReader(bad))); err == nil {
			t.Errorf("ReadTrailer(%q) accepted", bad)
		}
		if string(h.Host()) != "h" || h.ContentLength() != -1 {
			t.Errorf("ReadTrailer(%q) changed Host/framing", bad)
		}
	}
}

func TestRequestHeaderSpecialAccessors(t *testing.T) {
	var h RequestHeader
	h.SetByteRange(0, 10)
	if string(h.Peek("Range")) != "bytes=0-10" {
		t.Fatalf("range %q", h.Peek("Range"))
	}
	h.SetByteRange(-5, 10)
	if string(h.Peek("Range")) != "bytes=-5" {
		t.Fatalf("suffix range %q", h.Peek("Range"))
	}
	h.SetByteRange(5, -1)
	if string(h.Peek("Range")) != "bytes=5-" {
		t.Fatalf("open range %q", h.Peek("Range"))
	}
	h.SetMultipartFormBoundary("abc")
	if string(h.ContentType()) != "multipart/form-data; boundary=abc" || string(h.MultipartFormBoundary()) != "abc" {
		t.Fatal("multipart boundary")
	}
	for ct, want := range map[string]string{
		`multipart/form-data; boundary="q u"`:            "q u",
		`multipart/form-data; charset=utf-8; boundary=z`: "z",
		`Multipart/Form-Data; BOUNDARY=zz`:               "zz",
		`multipart/mixed; boundary=zz`:                   "",
		`multipart/form-data`:                            "",
	} {
		h.SetContentType(ct)
		if got := string(h.MultipartFormBoundary()); got != want {
			t.Errorf("boundary of %q = %q, want %q", ct, got, want)
		}
	}
	h.SetReferer("http://r")
	h.SetRefererBytes([]byte("http://r2"))
	h.SetContentEncoding("gzip")
	if string(h.Referer()) != "http://r2" || string(h.ContentEncoding()) != "gzip" || string(h.Peek("Content-Encoding")) != "gzip" {
		t.Fatal("referer / content-encoding")
	}
	h.SetProtocol("HTTP/1.0")
	if h.IsHTTP11() || !strings.HasPrefix(h.String(), "GET / HTTP/1.0\r\n") {
		t.Fatalf("protocol: %q", h.String())
	}
	h.SetProtocolBytes([]byte("HTTP/1.1"))
	if !h.IsHTTP11() {
		t.Fatal("back to HTTP/1.1")
	}
	for _, m := range []struct {
		name string
		is   func() bool
	}{
		{MethodGet, h.IsGet}, {MethodPost, h.IsPost}, {MethodPut, h.IsPut}, {MethodHead, h.IsHead},
		{MethodDelete, h.IsDelete}, {MethodConnect, h.IsConnect}, {MethodOptions, h.IsOptions},
		{MethodTrace, h.IsTrace}, {MethodPatch, h.IsPatch}, {MethodQuery, h.IsQuery},
	} {
		h.SetMethodBytes([]byte(m.name))
		if !m.is() || string(h.Method()) != m.name {
			t.Errorf("method %s not recognized", m.name)
		}
	}
	h.SetRequestURIBytes([]byte("/x?y"))
	if string(h.RequestURI()) != "/x?y" {
		t.Fatal("request URI")
	}
}

func TestRequestHeaderHasAcceptEncoding(t *testing.T) {
	for ae, want := range map[string]bool{
		"gzip": true, "GZIP": true, " gzip ": true, "gzip;q=0": false, "gzip; q=0.0": false, "gzip;Q=0": false,
		"gzip;q=0.001": true, "gzip;q=": true, "x-gzip": false, "br, gzip;q=0.5": true, "identity": false,
		"*": false, "deflate,gzip": true,
	} {
		var h RequestHeader
		h.Set("Accept-Encoding", ae)
		if got := h.HasAcceptEncoding("gzip"); got != want {
			t.Errorf("HasAcceptEncoding(gzip) with %q = %v", ae, got)
		}
		if got := h.HasAcceptEncodingBytes([]byte("gzip")); got != want {
			t.Errorf("HasAcceptEncodingBytes(gzip) with %q = %v", ae, got)
		}
	}
}

func TestRequestHeaderDisableNormalizing(t *testing.T) {
	var h RequestHeader
	h.DisableNormalizing()
	h.Set("x-lower", "1")
	h.Set("X-LOWER", "2")
	h.Set("content-type", "ct")
	if got := h.String(); got != "GET / HTTP/1.1\r\nContent-Type: ct\r\nx-lower: 1\r\nX-LOWER: 2\r\n\r\n" {
		t.Fatalf("String = %q", got)
	}
	if string(h.Peek("x-lower")) != "1" || h.Peek("X-Lower") != nil || string(h.Peek("content-type")) != "ct" {
		t.Fatal("exact-name Peek")
	}
	h.EnableNormalizing()
	h.Set("x-new", "3")
	if string(h.Peek("X-New")) != "3" {
		t.Fatal("EnableNormalizing")
	}

	r := RequestHeader{}
	r.DisableNormalizing()
	if err := r.Read(bufio.NewReader(strings.NewReader("GET / HTTP/1.1\r\nhost: h\r\nx-mixed-CASE: v\r\naccept-encoding: br\r\n\r\n"))); err != nil {
		t.Fatal(err)
	}
	if string(r.Peek("x-mixed-CASE")) != "v" || string(r.Host()) != "h" || !r.HasAcceptEncoding("br") {
		t.Fatalf("received names: %q", r.String())
	}
	if !strings.Contains(r.String(), "\r\nx-mixed-CASE: v\r\n") {
		t.Fatalf("name case lost: %q", r.String())
	}
}

func TestRequestHeaderDisableSpecialHeader(t *testing.T) {
	var h RequestHeader
	h.DisableSpecialHeader()
	h.Set("Host", "h")
	h.Set("Content-Type", "ct")
	h.Set("User-Agent", "ua")
	h.Set("Content-Length", "5")
	h.Set("Connection", "close")
	if string(h.Host()) != "h" || string(h.ContentType()) != "ct" || string(h.UserAgent()) != "ua" || h.ContentLength() != 5 {
		t.Fatal("accessors with special headers disabled")
	}
	if got := h.String(); got != "GET / HTTP/1.1\r\nHost: h\r\nContent-Type: ct\r\nUser-Agent: ua\r\nContent-Length: 5\r\nConnection: close\r\n\r\n" {
		t.Fatalf("String = %q", got)
	}
	h.SetHost("h2")
	h.SetContentType("ct2")
	h.SetUserAgent("ua2")
	if got := h.String(); got != "GET / HTTP/1.1\r\nHost: h2\r\nContent-Type: ct2\r\nUser-Agent: ua2\r\nContent-Length: 5\r\nConnection: close\r\n\r\n" {
		t.Fatalf("String after setters = %q", got)
	}
	h.Del("Host")
	if h.Host() != nil {
		t.Fatal("Del(Host)")
	}
	// Nothing is added by default.
	var p RequestHeader
	p.DisableSpecialHeader()
	p.SetMethod("POST")
	p.SetContentLength(3)
	if got := p.String(); got != "POST / HTTP/1.1\r\n\r\n" {
		t.Fatalf("defaults added: %q", got)
	}
	p.EnableSpecialHeader()
	if got := p.String(); got != "POST / HTTP/1.1\r\nContent-Type: application/octet-stream\r\nContent-Length: 3\r\n\r\n" {
		t.Fatalf("EnableSpecialHeader: %q", got)
	}

	// A received header is kept as it came, and still validated.
	var r RequestHeader
	r.DisableSpecialHeader()
	in := "POST /x HTTP/1.1\r\nhost: h\r\ncontent-type: t\r\nuser-agent: u\r\ncontent-length: 2\r\ncookie: a=1\r\nx-y: z\r\n\r\n"
	if err := r.Read(bufio.NewReader(strings.NewReader(in))); err != nil {
		t.Fatal(err)
	}
	want := "POST /x HTTP/1.1\r\nHost: h\r\nContent-Type: t\r\nUser-Agent: u\r\nContent-Length: 2\r\nCookie: a=1\r\nX-Y: z\r\n\r\n"
	if got := r.String(); got != want || r.ContentLength() != 2 || string(r.Host()) != "h" {
		t.Fatalf("String = %q CL=%d", got, r.ContentLength())
	}
	var r2 RequestHeader
	r2.DisableSpecialHeader()
	if err := r2.Read(bufio.NewReader(strings.NewReader("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"))); err == nil {
		t.Fatal("duplicate Host accepted with special headers disabled")
	}
}

func TestRequestHeaderCopyToAndReset(t *testing.T) {
	h := hdrReadRequest(t, "POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nCookie: a=1\r\nX: y\r\n\r\n")
	h.DisableNormalizing()
	var dst RequestHeader
	dst.Set("Old", "field")
	h.CopyTo(&dst)
	if dst.String() != h.String() || !bytes.Equal(dst.RawHeaders(), h.RawHeaders()) || !dst.disableNormalizing {
		t.Fatalf("CopyTo\n got %q\nwant %q", dst.String(), h.String())
	}
	dst.Set("X", "changed")
	if string(h.Peek("X")) != "y" {
		t.Fatal("CopyTo shares storage")
	}
	h.Reset()
	if h.String() != "GET / HTTP/1.1\r\n\r\n" || len(h.RawHeaders()) != 0 {
		t.Fatalf("Reset: %q", h.String())
	}
	// Reset also drops the settings.
	h.DisableSpecialHeader()
	h.SetNoDefaultContentType(true)
	h.Reset()
	h.Set("x-a", "1")
	h.Set("Host", "h")
	h.SetMethod("POST")
	h.SetContentLength(3)
	if got := h.String(); got != "POST / HTTP/1.1\r\nHost: h\r\nContent-Type: application/octet-stream\r\nContent-Length: 3\r\nX-A: 1\r\n\r\n" {
		t.Fatalf("settings survived Reset: %q", got)
	}
}

func TestRequestHeaderReadWriteRoundTrip(t *testing.T) {
	in := "POST /a?b=c HTTP/1.1\r\nHost: ex.com\r\nUser-Agent: curl\r\nAccept: */*\r\nContent-Type: text/plain\r\n" +
		"Content-Length: 3\r\nX-Lower: v\r\n\r\n"
	h := hdrReadRequest(t, in)
	if got := string(h.RawHeaders()); got != in[len("POST /a?b=c HTTP/1.1\r\n"):] {
		t.Fatalf("RawHeaders = %q", got)
	}
	var buf bytes.Buffer
	bw := bufio.NewWriter(&buf)
	if err := h.Write(bw); err != nil {
		t.Fatal(err)
	}
	bw.Flush()
	if buf.String() != h.String() || string(h.Header()) != h.String() || string(h.AppendBytes(nil)) != h.String() {
		t.Fatal("Write / Header / AppendBytes disagree")
	}
	var buf2 bytes.Buffer
	if n, err := h.WriteTo(&buf2); err != nil || int(n) != buf2.Len() || buf2.String() != h.String() {
		t.Fatalf("WriteTo = %d, %v", n, err)
	}
	h2 := hdrReadRequest(t, buf.String())
	if hdrAll(h2.All()) != hdrAll(h.All()) || string(h2.RequestURI()) != "/a?b=c" {
		t.Fatalf("round trip\n got %q\nwant %q", hdrAll(h2.All()), hdrAll(h.All()))
	}
}

// Every Set-style method leaves one value of its field: the first takes
// the new value and later duplicates go, as net/http's Header.Set does.
func TestRequestHeaderSetRemovesLaterDuplicates(t *testing.T) {
	t.Parallel()
	for name, c := range map[string]struct {
		add  string // field added three times around an "X-Other"
		set  func(h *RequestHeader)
		want string
	}{
		"Set":                 {"X-A", func(h *RequestHeader) { h.Set("x-a", "9") }, "X-A: 9\r\nX-Other: o\r\n"},
		"SetBytesK":           {"X-A", func(h *RequestHeader) { h.SetBytesK([]byte("X-A"), "9") }, "X-A: 9\r\nX-Other: o\r\n"},
		"SetBytesV":           {"X-A", func(h *RequestHeader) { h.SetBytesV("X-A", []byte("9")) }, "X-A: 9\r\nX-Other: o\r\n"},
		"SetBytesKV":          {"X-A", func(h *RequestHeader) { h.SetBytesKV([]byte("x-A"), []byte("9")) }, "X-A: 9\r\nX-Other: o\r\n"},
		"SetCanonical":        {"X-A", func(h *RequestHeader) { h.SetCanonical([]byte("X-A"), []byte("9")) }, "X-A: 9\r\nX-Other: o\r\n"},
		"SetReferer":          {"Referer", func(h *RequestHeader) { h.SetReferer("9") }, "Referer: 9\r\nX-Other: o\r\n"},
		"SetContentEncoding":  {"Content-Encoding", func(h *RequestHeader) { h.SetContentEncoding("9") }, "Content-Encoding: 9\r\nX-Other: o\r\n"},
		"SetByteRange":        {"Range", func(h *RequestHeader) { h.SetByteRange(1, 2) }, "Range: bytes=1-2\r\nX-Other: o\r\n"},
		"Set(Connection)":     {"Connection", func(h *RequestHeader) { h.Set("Connection", "9") }, "Connection: 9\r\nX-Other: o\r\n"},
		"Set(User-Agent)":     {"User-Agent", func(h *RequestHeader) { h.Set("User-Agent", "9") }, "User-Agent: 9\r\nX-Other: o\r\n"},
		"SetCookie":           {"Cookie", func(h *RequestHeader) { h.SetCookie("c", "9") }, "X-Other: o\r\nCookie: c=9\r\n"},
		"SetCookieBytesK":     {"Cookie", func(h *RequestHeader) { h.SetCookieBytesK([]byte("c"), "9") }, "X-Other: o\r\nCookie: c=9\r\n"},
		"SetCookieBytesKV":    {"Cookie", func(h *RequestHeader) { h.SetCookieBytesKV([]byte("c"), []byte("9")) }, "X-Other: o\r\nCookie: c=9\r\n"},
		"Set, names as given": {"x-a", func(h *RequestHeader) { h.DisableNormalizing(); h.Set("x-a", "9") }, "x-a: 9\r\nX-Other: o\r\n"},
	} {
		var h RequestHeader
		if strings.HasPrefix(name, "Set, names") {
			h.DisableNormalizing()
		}
		for i, v := range []string{"c=1", "c=2", "c=3"} {
			h.Add(c.add, v)
			if i == 0 {
				h.Add("X-Other", "o")
			}
		}
		c.set(&h)
		if got := h.String(); got != "GET / HTTP/1.1\r\n"+c.want+"\r\n" {
			t.Errorf("%s: %q", name, got)
		}
	}
	// A received header: the same, whatever the spelling of the name.
	h := hdrReadRequest(t, "GET / HTTP/1.1\r\nHost: h\r\nX-A: 1\r\nX-B: 2\r\nx-a: 3\r\nCookie: a=1; b=2; a=3\r\n\r\n")
	h.Set("X-A", "9")
	h.SetCookie("a", "9")
	if got := h.String(); got != "GET / HTTP/1.1\r\nHost: h\r\nX-A: 9\r\nX-B: 2\r\nCookie: a=9; b=2\r\n\r\n" {
		t.Errorf("received: %q", got)
	}
}
