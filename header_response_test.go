package fasthttp

import (
	"bufio"
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"
)

var hdrDateLine = regexp.MustCompile(`Date: [A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT\r\n`)

// hdrNoDate returns the response header text with the automatic Date
// field replaced by "Date: <now>", after checking it is well formed.
func hdrNoDate(t testing.TB, h *ResponseHeader) string {
	t.Helper()
	return hdrDateLine.ReplaceAllString(h.String(), "Date: <now>\r\n")
}

func hdrReadResponse(t testing.TB, s string) *ResponseHeader {
	t.Helper()
	var h ResponseHeader
	if err := h.Read(bufio.NewReader(strings.NewReader(s))); err != nil {
		t.Fatalf("Read(%q): %v", s, err)
	}
	return &h
}

func TestResponseHeaderWriteCases(t *testing.T) {
	cookie := func(h *ResponseHeader) {
		c := AcquireCookie()
		defer ReleaseCookie(c)
		c.SetKey("k")
		c.SetValue("v")
		h.SetCookie(c)
	}
	for _, tc := range []struct {
		name string
		set  func(h *ResponseHeader)
		want string
	}{
		{"zero", func(h *ResponseHeader) {}, "HTTP/1.1 200 OK\r\nDate: <now>\r\n\r\n"},
		{"empty body", func(h *ResponseHeader) { h.SetContentLength(0) }, "HTTP/1.1 200 OK\r\nDate: <now>\r\nContent-Length: 0\r\n\r\n"},
		{"body", func(h *ResponseHeader) { h.SetContentLength(3) },
			"HTTP/1.1 200 OK\r\nDate: <now>\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 3\r\n\r\n"},
		{"explicit type", func(h *ResponseHeader) { h.SetContentType("a/b") }, "HTTP/1.1 200 OK\r\nDate: <now>\r\nContent-Type: a/b\r\n\r\n"},
		{"no default type", func(h *ResponseHeader) { h.SetNoDefaultContentType(true); h.SetContentLength(3) },
			"HTTP/1.1 200 OK\r\nDate: <now>\r\nContent-Length: 3\r\n\r\n"},
		{"204 drops length", func(h *ResponseHeader) { h.SetStatusCode(204); h.SetContentLength(3) },
			"HTTP/1.1 204 No Content\r\nDate: <now>\r\n\r\n"},
		{"length then 304", func(h *ResponseHeader) { h.SetContentLength(3); h.SetStatusCode(304); h.SetContentType("a/b") },
			"HTTP/1.1 304 Not Modified\r\nDate: <now>\r\nContent-Type: a/b\r\n\r\n"},
		{"101", func(h *ResponseHeader) {
			h.SetStatusCode(101)
			h.Set("Upgrade", "websocket")
			h.Set("Connection", "Upgrade")
		},
			"HTTP/1.1 101 Switching Protocols\r\nDate: <now>\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"},
		{"chunked", func(h *ResponseHeader) { h.SetContentLength(-1) },
			"HTTP/1.1 200 OK\r\nDate: <now>\r\nContent-Type: text/plain; charset=utf-8\r\nTransfer-Encoding: chunked\r\n\r\n"},
		{"until close", func(h *ResponseHeader) { h.SetContentLength(-2) },
			"HTTP/1.1 200 OK\r\nDate: <now>\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n"},
		{"status message", func(h *ResponseHeader) { h.SetStatusCode(299); h.SetStatusMessage([]byte("Custom")) },
			"HTTP/1.1 299 Custom\r\nDate: <now>\r\n\r\n"},
		{"unknown status", func(h *ResponseHeader) { h.SetStatusCode(299) }, "HTTP/1.1 299 Unknown Status Code\r\nDate: <now>\r\n\r\n"},
		{"negative status", func(h *ResponseHeader) { h.SetStatusCode(-5) }, "HTTP/1.1 200 OK\r\nDate: <now>\r\n\r\n"},
		{"HTTP/1.0", func(h *ResponseHeader) { h.SetProtocol([]byte("HTTP/1.0")) }, "HTTP/1.0 200 OK\r\nDate: <now>\r\n\r\n"},
		{"Date set by hand is ignored", func(h *ResponseHeader) { h.Set("Date", "Mon"); h.Add("Date", "Tue") }, "HTTP/1.1 200 OK\r\nDate: <now>\r\n\r\n"},
		{"Date deleted", func(h *ResponseHeader) { h.Set("Date", "Mon"); h.Del("Date") }, "HTTP/1.1 200 OK\r\nDate: <now>\r\n\r\n"},
		{"keep-alive", func(h *ResponseHeader) { h.Set("Connection", "keep-alive") }, "HTTP/1.1 200 OK\r\nDate: <now>\r\nConnection: keep-alive\r\n\r\n"},
		{"close beats keep-alive", func(h *ResponseHeader) { h.Set("Connection", "keep-alive"); h.SetConnectionClose() },
			"HTTP/1.1 200 OK\r\nDate: <now>\r\nConnection: close\r\n\r\n"},
		{"close keeps other options", func(h *ResponseHeader) { h.Set("Connection", "Upgrade"); h.SetConnectionClose() },
			"HTTP/1.1 200 OK\r\nDate: <now>\r\nConnection: Upgrade\r\nConnection: close\r\n\r\n"},
		{"reset close", func(h *ResponseHeader) { h.Set("Connection", "close"); h.ResetConnectionClose() }, "HTTP/1.1 200 OK\r\nDate: <now>\r\n\r\n"},
		{"order", func(h *ResponseHeader) {
			h.Set("X-A", "1")
			_ = h.SetTrailer("X-T")
			h.Set("X-T", "tv")
			cookie(h)
			h.SetServer("S")
			h.SetContentEncoding("gzip")
			h.SetContentLength(4)
			h.Set("X-B", "2")
			h.SetConnectionClose()
		}, "HTTP/1.1 200 OK\r\nServer: S\r\nDate: <now>\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Encoding: gzip\r\n" +
			"Content-Length: 4\r\nX-A: 1\r\nX-B: 2\r\nTrailer: X-T\r\nSet-Cookie: k=v\r\nConnection: close\r\n\r\n"},
		{"single-value fields", func(h *ResponseHeader) {
			h.Add("Content-Type", "a")
			h.Add("Content-Type", "b")
			h.Add("Server", "s1")
			h.Add("Server", "s2")
			h.Set("Transfer-Encoding", "chunked") // framing comes from the body
		}, "HTTP/1.1 200 OK\r\nServer: s2\r\nDate: <now>\r\nContent-Type: b\r\n\r\n"},
	} {
		var h ResponseHeader
		tc.set(&h)
		if got := hdrNoDate(t, &h); got != tc.want {
			t.Errorf("%s:\n got %q\nwant %q", tc.name, got, tc.want)
		}
	}
}

func TestResponseHeaderPeekAndAll(t *testing.T) {
	var h ResponseHeader
	if string(h.ContentType()) != "text/plain; charset=utf-8" || string(h.Peek("Content-Type")) != "text/plain; charset=utf-8" {
		t.Fatal("default content type")
	}
	if h.StatusCode() != 200 || h.ContentLength() != 0 || h.Peek("Content-Length") != nil || h.Peek("Date") != nil {
		t.Fatal("zero response header")
	}
	if hdrAll(h.All()) != "Content-Type=text/plain; charset=utf-8;" || h.Len() != 1 {
		t.Fatalf("zero All = %q", hdrAll(h.All()))
	}
	h.SetContentLength(7)
	h.SetServer("srv")
	h.Set("x-foo", "1")
	h.Add("X-Foo", "2")
	h.SetContentEncoding("gzip")
	h.Set("Connection", "close")
	if got := hdrAll(h.All()); got != "Content-Length=7;Content-Type=text/plain; charset=utf-8;Content-Encoding=gzip;Server=srv;X-Foo=1;X-Foo=2;Connection=close;" {
		t.Fatalf("All = %q", got)
	}
	if got := fmt.Sprintf("%q", h.PeekKeys()); got != `["Content-Length" "Content-Type" "Content-Encoding" "Server" "X-Foo" "X-Foo" "Connection"]` {
		t.Fatalf("PeekKeys = %s", got)
	}
	if string(h.Peek("server")) != "srv" || string(h.Peek("content-encoding")) != "gzip" || string(h.Peek("content-length")) != "7" ||
		string(h.PeekBytes([]byte("x-foo"))) != "1" || string(h.PeekCanonical([]byte("X-Foo"))) != "1" {
		t.Fatal("Peek")
	}
	if got := fmt.Sprintf("%q", h.PeekAll("x-foo")); got != `["1" "2"]` {
		t.Fatalf("PeekAll = %s", got)
	}
	if got := fmt.Sprintf("%q", h.PeekAll("Server")); got != `["srv"]` {
		t.Fatalf("PeekAll(Server) = %s", got)
	}
	if !h.ConnectionClose() || string(h.Peek("Connection")) != "close" {
		t.Fatal("Connection: close")
	}
	h.SetContentLength(-1)
	if string(h.Peek("Transfer-Encoding")) != "chunked" || h.Peek("Content-Length") != nil {
		t.Fatal("chunked Peek")
	}
	for _, k := range []string{"Content-Type", "Content-Encoding", "Server", "Transfer-Encoding", "Connection", "X-Foo"} {
		h.Del(k)
		if v := h.Peek(k); len(v) > 0 && k != "Content-Type" {
			t.Errorf("Del(%s) left %q", k, v)
		}
	}
	if h.ContentLength() != 0 || h.ConnectionClose() || h.Len() != 1 {
		t.Fatalf("after Del: CL=%d close=%v All=%q", h.ContentLength(), h.ConnectionClose(), hdrAll(h.All()))
	}
	n := 0
	h.VisitAll(func(k, v []byte) { n++ })
	if n != 1 {
		t.Fatal("VisitAll")
	}
}

func TestResponseHeaderCookies(t *testing.T) {
	var h ResponseHeader
	c := AcquireCookie()
	defer ReleaseCookie(c)
	for _, kv := range [][2]string{{"a", "1"}, {"b", "2"}, {"a", "3"}} {
		c.SetKey(kv[0])
		c.SetValue(kv[1])
		c.SetPath("/")
		h.SetCookie(c)
	}
	if got := hdrNoDate(t, &h); got != "HTTP/1.1 200 OK\r\nDate: <now>\r\nSet-Cookie: a=3; path=/\r\nSet-Cookie: b=2; path=/\r\n\r\n" {
		t.Fatalf("String = %q", got)
	}
	if string(h.PeekCookie("a")) != "a=3; path=/" || string(h.Peek("Set-Cookie")) != "a=3; path=/; b=2; path=/" {
		t.Fatal("PeekCookie")
	}
	if got := fmt.Sprintf("%q", h.PeekAll("Set-Cookie")); got != `["a=3; path=/" "b=2; path=/"]` {
		t.Fatalf("PeekAll(Set-Cookie) = %s", got)
	}
	got := AcquireCookie()
	defer ReleaseCookie(got)
	got.SetKey("b")
	if !h.Cookie(got) || string(got.Value()) != "2" || string(got.Path()) != "/" {
		t.Fatal("Cookie(b)")
	}
	got.SetKey("missing")
	if h.Cookie(got) {
		t.Fatal("Cookie(missing)")
	}
	h.Add("Set-Cookie", "z=9; HttpOnly")
	h.Add("Set-Cookie", "z=10")
	h.Set("Set-Cookie", "y=8")
	var names []string
	for k := range h.Cookies() {
		names = append(names, string(k))
	}
	if strings.Join(names, ",") != "a,b,z,z,y" {
		t.Fatalf("Cookies = %v", names)
	}
	h.DelClientCookie("a")
	if !strings.HasPrefix(string(h.PeekCookie("a")), "a=; expires=") {
		t.Fatalf("DelClientCookie: %q", h.PeekCookie("a"))
	}
	h.DelClientCookieBytes([]byte("y"))
	h.DelCookie("b")
	h.DelCookieBytes([]byte("z"))
	names = names[:0]
	h.VisitAllCookie(func(k, v []byte) { names = append(names, string(k)) })
	if strings.Join(names, ",") != "a,y" {
		t.Fatalf("after deletes: %v", names)
	}
	h.DelAllCookies()
	if h.Peek("Set-Cookie") != nil {
		t.Fatal("DelAllCookies")
	}
	h.Set("Set-Cookie", "a=1")
	h.Del("Set-Cookie")
	if h.PeekCookie("a") != nil {
		t.Fatal("Del(Set-Cookie)")
	}
}

func TestResponseHeaderMisc(t *testing.T) {
	var h ResponseHeader
	h.SetContentRange(0, 9, 100)
	if string(h.Peek("Content-Range")) != "bytes 0-9/100" {
		t.Fatalf("Content-Range %q", h.Peek("Content-Range"))
	}
	h.SetLastModified(time.Date(2020, 1, 2, 3, 4, 5, 0, time.FixedZone("X", 3600)))
	if string(h.Peek("Last-Modified")) != "Thu, 02 Jan 2020 02:04:05 GMT" {
		t.Fatalf("Last-Modified %q", h.Peek("Last-Modified"))
	}
	h.Set("Connection", "Upgrade")
	if !h.ConnectionUpgrade() || h.ConnectionClose() {
		t.Fatal("ConnectionUpgrade")
	}
	h.SetNoDefaultContentType(true)
	if h.ContentType() != nil {
		t.Fatal("SetNoDefaultContentType")
	}
	h.SetStatusCode(404)
	if h.StatusCode() != 404 || len(h.StatusMessage()) != 0 {
		t.Fatal("status")
	}
	if !h.IsHTTP11() || string(h.Protocol()) != "HTTP/1.1" {
		t.Fatal("protocol")
	}
	h.DisableNormalizing()
	h.Set("x-raw", "1")
	if string(h.Peek("x-raw")) != "1" || h.Peek("X-Raw") != nil || !strings.Contains(h.String(), "\r\nx-raw: 1\r\n") {
		t.Fatal("DisableNormalizing")
	}
	h.EnableNormalizing()
	var dst ResponseHeader
	h.CopyTo(&dst)
	if dst.String() != h.String() {
		t.Fatalf("CopyTo:\n got %q\nwant %q", dst.String(), h.String())
	}
	h.Reset()
	if hdrNoDate(t, &h) != "HTTP/1.1 200 OK\r\nDate: <now>\r\n\r\n" {
		t.Fatalf("Reset: %q", h.String())
	}
	// Reset also drops the settings.
	h.DisableNormalizing()
	h.SetNoDefaultContentType(true)
	h.Reset()
	h.Set("x-a", "1")
	h.SetContentLength(3)
	if got := hdrNoDate(t, &h); got != "HTTP/1.1 200 OK\r\nDate: <now>\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 3\r\nX-A: 1\r\n\r\n" {
		t.Fatalf("settings survived Reset: %q", got)
	}
}

func TestResponseHeaderTrailer(t *testing.T) {
	var h ResponseHeader
	if err := h.SetTrailer("X-A,X-B"); err != nil {
		t.Fatal(err)
	}
	h.Set("X-A", "1")
	h.Set("X-B", "2")
	h.SetContentLength(-1)
	if got := string(h.TrailerHeader()); got != "X-A: 1\r\nX-B: 2\r\n\r\n" {
		t.Fatalf("TrailerHeader = %q", got)
	}
	// Announced fields are sent after the body only.
	if got := hdrNoDate(t, &h); got != "HTTP/1.1 200 OK\r\nDate: <now>\r\nContent-Type: text/plain; charset=utf-8\r\n"+
		"Transfer-Encoding: chunked\r\nTrailer: X-A, X-B\r\n\r\n" {
		t.Fatalf("String = %q", got)
	}
	if err := h.AddTrailer("Content-Type"); err == nil {
		t.Fatal("forbidden trailer accepted")
	}
	if err := h.AddTrailerBytes([]byte("X-C")); err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprintf("%q", h.PeekTrailerKeys()); got != `["X-A" "X-B" "X-C"]` {
		t.Fatalf("PeekTrailerKeys = %s", got)
	}
	var n int
	for range h.Trailers() {
		n++
	}
	h.VisitAllTrailer(func([]byte) { n++ })
	if n != 6 {
		t.Fatal("Trailers")
	}
	if err := h.SetTrailerBytes([]byte("X-Z")); err != nil || string(h.Peek("Trailer")) != "X-Z" {
		t.Fatal("SetTrailerBytes")
	}

	r := hdrReadResponse(t, "HTTP/1.1 200 OK\r\nTrailer: X-A\r\nTransfer-Encoding: chunked\r\n\r\n")
	if err := r.ReadTrailer(bufio.NewReader(strings.NewReader("X-A: 1\nX-B: 2\n\n"))); err != nil {
		t.Fatal(err)
	}
	if string(r.Peek("X-A")) != "1" || string(r.Peek("X-B")) != "2" || string(r.TrailerHeader()) != "X-A: 1\r\nX-B: 2\r\n\r\n" {
		t.Fatalf("ReadTrailer: %q", r.TrailerHeader())
	}
	if err := r.ReadTrailer(bufio.NewReader(strings.NewReader("Set-Cookie: a=b\r\n\r\n"))); err == nil {
		t.Fatal("Set-Cookie accepted in a trailer")
	}
}

func TestResponseHeaderRead(t *testing.T) {
	h := hdrReadResponse(t, "HTTP/1.1 200 OK\r\nContent-Type: a/b\r\nContent-Length: 3\r\nSet-Cookie: a=1; Path=/\r\n"+
		"Set-Cookie: b=2\r\nServer: s\r\nX-Y: z\r\n\r\n")
	if h.StatusCode() != 200 || string(h.StatusMessage()) != "OK" || h.ContentLength() != 3 || string(h.ContentType()) != "a/b" ||
		string(h.Server()) != "s" || string(h.PeekCookie("b")) != "b=2" || h.ConnectionClose() {
		t.Fatal("parsed fields")
	}
	if got := hdrAll(h.All()); got != "Content-Length=3;Content-Type=a/b;Server=s;Set-Cookie=a=1; Path=/;Set-Cookie=b=2;X-Y=z;" {
		t.Fatalf("All = %q", got)
	}
	if got := hdrNoDate(t, h); got != "HTTP/1.1 200 OK\r\nServer: s\r\nDate: <now>\r\nContent-Type: a/b\r\nContent-Length: 3\r\n"+
		"X-Y: z\r\nSet-Cookie: a=1; Path=/\r\nSet-Cookie: b=2\r\n\r\n" {
		t.Fatalf("String = %q", got)
	}

	for _, tc := range []struct {
		in        string
		code, cl  int
		close     bool
		msg       string
		peekConn  string
		wantError bool
	}{
		{in: "HTTP/1.1 200 OK\r\nX: y\r\n\r\n", code: 200, cl: -2, close: true, msg: "OK"},
		{in: "HTTP/1.1 204 No Content\r\n\r\n", code: 204, cl: 0, msg: "No Content"},
		{in: "HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n", code: 304, cl: 10, msg: "Not Modified"},
		{in: "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n", code: 201, cl: 0, msg: "Created"},
		{in: "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n", code: 101, cl: 0,
			msg: "Switching Protocols", peekConn: "Upgrade"},
		{in: "HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\n", code: 200, cl: 1, close: true, msg: "OK"},
		{in: "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 1\r\n\r\n", code: 200, cl: 1, msg: "OK", peekConn: "keep-alive"},
		{in: "HTTP/1.1 200\r\nContent-Length: 1\r\n\r\n", code: 200, cl: 1},
		{in: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n", code: 200, cl: -1, msg: "OK"},
		{in: "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n", code: 200, cl: 5, msg: "OK"},
		{in: "HTTP/1.1 200 OK\r\nContent-Encoding: br\r\nConnection: close\r\n\r\n", code: 200, cl: -2, close: true, msg: "OK", peekConn: "close"},
		{in: "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n", wantError: true},
		{in: "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", wantError: true},
		{in: "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", wantError: true},
		{in: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", wantError: true},
		{in: "HTTP/1.1 2x0 OK\r\n\r\n", wantError: true},
		{in: "HTTP/1.1 099 Low\r\n\r\n", wantError: true},
		{in: "HTTP/2.0 200 OK\r\n\r\n", wantError: true},
		{in: "HTTP/1.1 200 O\x00K\r\n\r\n", wantError: true},
		{in: "HTTP/1.1 200 OK\r\n X: folded\r\n\r\n", wantError: true},
		{in: "HTTP/1.1 200 OK\r\nX : y\r\n\r\n", wantError: true},
		{in: "HTTP/1.1 200 OK\r\nX: a\rb\r\n\r\n", wantError: true},
	} {
		var h ResponseHeader
		err := h.Read(bufio.NewReader(strings.NewReader(tc.in)))
		if tc.wantError {
			if err == nil {
				t.Errorf("Read(%q) accepted", tc.in)
			}
			continue
		}
		if err != nil {
			t.Errorf("Read(%q): %v", tc.in, err)
			continue
		}
		if h.StatusCode() != tc.code || h.ContentLength() != tc.cl || h.ConnectionClose() != tc.close ||
			string(h.StatusMessage()) != tc.msg || string(h.Peek("Connection")) != tc.peekConn && tc.peekConn != "" {
			t.Errorf("Read(%q): code=%d cl=%d close=%v msg=%q conn=%q", tc.in, h.StatusCode(), h.ContentLength(),
				h.ConnectionClose(), h.StatusMessage(), h.Peek("Connection"))
		}
	}
}

func TestResponseHeaderWriteRoundTrip(t *testing.T) {
	var h ResponseHeader
	h.SetStatusCode(201)
	h.SetContentLength(5)
	h.SetContentType("application/json")
	h.Set("X-A", "1")
	h.Add("X-A", "2")
	h.Set("Set-Cookie", "s=1; HttpOnly")
	var buf bytes.Buffer
	bw := bufio.NewWriter(&buf)
	if err := h.Write(bw); err != nil {
		t.Fatal(err)
	}
	bw.Flush()
	var buf2 bytes.Buffer
	if n, err := h.WriteTo(&buf2); err != nil || int(n) != buf2.Len() {
		t.Fatal(err)
	}
	if hdrDateLine.ReplaceAllString(buf.String(), "") != hdrDateLine.ReplaceAllString(string(h.Header()), "") ||
		hdrDateLine.ReplaceAllString(buf2.String(), "") != hdrDateLine.ReplaceAllString(string(h.AppendBytes(nil)), "") {
		t.Fatal("Write / WriteTo / Header / AppendBytes disagree")
	}
	r := hdrReadResponse(t, buf.String())
	// A received Date is kept as a field and repeated, not replaced.
	date := hdrDateLine.Find(buf.Bytes())
	if !bytes.Equal(r.Peek("Date"), date[len("Date: "):len(date)-2]) || !bytes.Contains(r.Header(), date) {
		t.Fatalf("Date = %q", r.Peek("Date"))
	}
	r.Del("Date")
	if hdrAll(r.All()) != hdrAll(h.All()) || r.StatusCode() != 201 {
		t.Fatalf("round trip\n got %q\nwant %q", hdrAll(r.All()), hdrAll(h.All()))
	}
}

// Every Set-style method leaves one value of its field: the first takes
// the new value and later duplicates go, as net/http's Header.Set does.
func TestResponseHeaderSetRemovesLaterDuplicates(t *testing.T) {
	t.Parallel()
	for name, c := range map[string]struct {
		add  string
		set  func(h *ResponseHeader)
		want string
	}{
		"Set":                {"X-A", func(h *ResponseHeader) { h.Set("x-a", "9") }, "X-A: 9\r\nX-Other: o\r\n"},
		"SetBytesK":          {"X-A", func(h *ResponseHeader) { h.SetBytesK([]byte("X-A"), "9") }, "X-A: 9\r\nX-Other: o\r\n"},
		"SetBytesV":          {"X-A", func(h *ResponseHeader) { h.SetBytesV("X-A", []byte("9")) }, "X-A: 9\r\nX-Other: o\r\n"},
		"SetBytesKV":         {"X-A", func(h *ResponseHeader) { h.SetBytesKV([]byte("x-A"), []byte("9")) }, "X-A: 9\r\nX-Other: o\r\n"},
		"SetCanonical":       {"X-A", func(h *ResponseHeader) { h.SetCanonical([]byte("X-A"), []byte("9")) }, "X-A: 9\r\nX-Other: o\r\n"},
		"SetLastModified":    {"Last-Modified", func(h *ResponseHeader) { h.SetLastModified(time.Unix(0, 0)) }, "Last-Modified: Thu, 01 Jan 1970 00:00:00 GMT\r\nX-Other: o\r\n"},
		"SetContentRange":    {"Content-Range", func(h *ResponseHeader) { h.SetContentRange(1, 2, 3) }, "Content-Range: bytes 1-2/3\r\nX-Other: o\r\n"},
		"Set(Connection)":    {"Connection", func(h *ResponseHeader) { h.Set("Connection", "9") }, "Connection: 9\r\nX-Other: o\r\n"},
		"SetContentEncoding": {"Content-Encoding", func(h *ResponseHeader) { h.SetContentEncoding("9") }, "Content-Encoding: 9\r\nX-Other: o\r\n"},
	} {
		var h ResponseHeader
		for i, v := range []string{"1", "2", "3"} {
			h.Add(c.add, v)
			if i == 0 {
				h.Add("X-Other", "o")
			}
		}
		c.set(&h)
		got := h.String()
		got = got[strings.Index(got, "\r\n")+2:]
		got = strings.Replace(got, string(currentDateLine()), "", 1)
		if got != c.want+"\r\n" {
			t.Errorf("%s: %q", name, got)
		}
	}
	// SetCookie replaces the cookie of that name and drops later ones.
	var h ResponseHeader
	for _, v := range []string{"a=1", "b=1", "a=2"} {
		h.Add("Set-Cookie", v)
	}
	c := AcquireCookie()
	defer ReleaseCookie(c)
	c.SetKey("a")
	c.SetValue("9")
	h.SetCookie(c)
	if got := fmt.Sprintf("%q", h.PeekAll("Set-Cookie")); got != `["a=9" "b=1"]` {
		t.Errorf("SetCookie: %s", got)
	}
}
