package fasthttp

import (
	"bufio"
	"fmt"
	"strings"
	"testing"
)

// The byte-slice and string variants of each setter must behave the same.
func TestRequestHeaderSetterVariants(t *testing.T) {
	set := map[string]func(h *RequestHeader){
		"Set":          func(h *RequestHeader) { h.Set("x-v", "1") },
		"SetBytesK":    func(h *RequestHeader) { h.SetBytesK([]byte("x-v"), "1") },
		"SetBytesV":    func(h *RequestHeader) { h.SetBytesV("x-v", []byte("1")) },
		"SetBytesKV":   func(h *RequestHeader) { h.SetBytesKV([]byte("x-v"), []byte("1")) },
		"Add":          func(h *RequestHeader) { h.Add("x-v", "1") },
		"AddBytesK":    func(h *RequestHeader) { h.AddBytesK([]byte("x-v"), "1") },
		"AddBytesV":    func(h *RequestHeader) { h.AddBytesV("x-v", []byte("1")) },
		"AddBytesKV":   func(h *RequestHeader) { h.AddBytesKV([]byte("x-v"), []byte("1")) },
		"SetCanonical": func(h *RequestHeader) { h.SetCanonical([]byte("X-V"), []byte("1")) },
	}
	for name, f := range set {
		var h RequestHeader
		f(&h)
		f(&h)
		want := `["1"]`
		if strings.HasPrefix(name, "Add") {
			want = `["1" "1"]`
		}
		if got := fmt.Sprintf("%q", h.PeekAll("X-V")); got != want {
			t.Errorf("%s twice: PeekAll = %s, want %s", name, got, want)
		}
	}
	var h RequestHeader
	h.SetCookieBytesK([]byte("k"), "v")
	h.SetCookieBytesKV([]byte("k2"), []byte("v2"))
	if string(h.Cookie("k")) != "v" || string(h.Cookie("k2")) != "v2" {
		t.Fatal("SetCookieBytes*")
	}
	// Special fields through the generic setters.
	h.AddBytesKV([]byte("host"), []byte("a"))
	h.AddBytesKV([]byte("host"), []byte("b"))
	h.SetBytesKV([]byte("user-agent"), []byte("u"))
	h.SetBytesK([]byte("content-type"), "t")
	if string(h.Host()) != "b" || string(h.UserAgent()) != "u" || string(h.ContentType()) != "t" {
		t.Fatalf("special fields via Set/Add: %q", h.String())
	}
	h.SetCanonical([]byte("content-type"), []byte("t2"))
	if string(h.ContentType()) != "t2" {
		t.Fatal("SetCanonical with a lower-case special name")
	}
}

func TestResponseHeaderSetterVariants(t *testing.T) {
	set := map[string]func(h *ResponseHeader){
		"Set":          func(h *ResponseHeader) { h.Set("x-v", "1") },
		"SetBytesK":    func(h *ResponseHeader) { h.SetBytesK([]byte("x-v"), "1") },
		"SetBytesV":    func(h *ResponseHeader) { h.SetBytesV("x-v", []byte("1")) },
		"SetBytesKV":   func(h *ResponseHeader) { h.SetBytesKV([]byte("x-v"), []byte("1")) },
		"SetCanonical": func(h *ResponseHeader) { h.SetCanonical([]byte("X-V"), []byte("1")) },
		"Add":          func(h *ResponseHeader) { h.Add("x-v", "1") },
		"AddBytesK":    func(h *ResponseHeader) { h.AddBytesK([]byte("x-v"), "1") },
		"AddBytesV":    func(h *ResponseHeader) { h.AddBytesV("x-v", []byte("1")) },
		"AddBytesKV":   func(h *ResponseHeader) { h.AddBytesKV([]byte("x-v"), []byte("1")) },
	}
	for name, f := range set {
		var h ResponseHeader
		f(&h)
		f(&h)
		want := `["1"]`
		if strings.HasPrefix(name, "Add") {
			want = `["1" "1"]`
		}
		if got := fmt.Sprintf("%q", h.PeekAll("X-V")); got != want {
			t.Errorf("%s twice: PeekAll = %s, want %s", name, got, want)
		}
	}
	var h ResponseHeader
	h.SetCanonical([]byte("content-length"), []byte("5"))
	h.AddBytesK([]byte("Content-Encoding"), "br")
	if h.ContentLength() != 5 || string(h.ContentEncoding()) != "br" {
		t.Fatal("special fields via SetCanonical/Add")
	}
	h.Set("Connection", "keep-alive")
	h.Add("Connection", "close")
	if !h.ConnectionClose() || fmt.Sprintf("%q", h.PeekAll("Connection")) != `["keep-alive" "close"]` {
		t.Fatalf("Add(Connection): %q", h.PeekAll("Connection"))
	}
	h.Del("Connection")
	h.SetConnectionClose()
	if fmt.Sprintf("%q", h.PeekAll("Connection")) != `["close"]` {
		t.Fatal("PeekAll(Connection) of the close flag")
	}
	if len(h.PeekAll("Date")) != 0 || len(h.PeekAll("Transfer-Encoding")) != 0 {
		t.Fatal("PeekAll of absent fields")
	}
}

func TestRequestHeaderSpecialPeekAllAndDel(t *testing.T) {
	h := hdrReadRequest(t, "POST / HTTP/1.1\r\nHost: h\r\nUser-Agent: u\r\nContent-Type: t\r\nCookie: a=1\r\nCookie: b=2\r\n"+
		"Trailer: X-T\r\nTransfer-Encoding: chunked\r\nConnection: keep-alive\r\nConnection: Upgrade\r\n\r\n")
	for key, want := range map[string]string{
		"host": `["h"]`, "User-Agent": `["u"]`, "content-type": `["t"]`, "Cookie": `["a=1; b=2"]`, "Trailer": `["X-T"]`,
		"Transfer-Encoding": `["chunked"]`, "Connection": `["keep-alive" "Upgrade"]`, "Content-Length": `[]`,
	} {
		if got := fmt.Sprintf("%q", h.PeekAll(key)); got != want {
			t.Errorf("PeekAll(%s) = %s, want %s", key, got, want)
		}
	}
	if !h.ConnectionUpgrade() || h.ConnectionClose() {
		t.Fatal("Connection flags")
	}
	for _, key := range []string{"Host", "User-Agent", "Content-Type", "Cookie", "Trailer", "Transfer-Encoding", "Connection"} {
		h.Del(key)
		if v := h.Peek(key); v != nil {
			t.Errorf("Del(%s) left %q", key, v)
		}
		if len(h.PeekAll(key)) != 0 {
			t.Errorf("Del(%s) left PeekAll %q", key, h.PeekAll(key))
		}
	}
	if h.ContentLength() != 0 || h.Len() != 0 || h.String() != "POST / HTTP/1.1\r\n\r\n" {
		t.Fatalf("after Del: %q", h.String())
	}

	// With special headers disabled every field is ordinary.
	var d RequestHeader
	d.DisableSpecialHeader()
	if err := d.Read(bufio.NewReader(strings.NewReader("GET / HTTP/1.1\r\nHost: h\r\nX: 1\r\nX: 2\r\nContent-Length: 0\r\n\r\n"))); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprintf("%q", d.PeekAll("Host")) != `["h"]` || fmt.Sprintf("%q", d.PeekAll("X")) != `["1" "2"]` ||
		string(d.Peek("Content-Length")) != "0" || d.Len() != 4 {
		t.Fatalf("DisableSpecialHeader PeekAll: %q", d.String())
	}
	d.Del("Content-Length")
	d.Del("X")
	if d.String() != "GET / HTTP/1.1\r\nHost: h\r\n\r\n" {
		t.Fatalf("DisableSpecialHeader Del: %q", d.String())
	}
}

func TestForbiddenTrailerNames(t *testing.T) {
	for _, name := range []string{"TE", "Host", "Range", "Cookie", "Expect", "Pragma", "Trailer", "Upgrade", "If-Match",
		"If-Range", "Connection", "Set-Cookie", "Keep-Alive", "Content-Type", "Max-Forwards", "Authorization",
		"Content-Range", "If-None-Match", "Cache-Control", "Content-Length", "Content-Encoding", "WWW-Authenticate",
		"Transfer-Encoding", "If-Modified-Since", "Proxy-Authenticate", "Proxy-Authorization", "If-Unmodified-Since"} {
		for _, n := range []string{name, strings.ToLower(name)} {
			var h ResponseHeader
			if err := h.SetTrailer(n); err == nil {
				t.Errorf("SetTrailer(%q) accepted", n)
			}
		}
	}
	for _, name := range []string{"X-Checksum", "Server-Timing", "Digest", "Expires"} {
		var h ResponseHeader
		if err := h.SetTrailer(name); err != nil {
			t.Errorf("SetTrailer(%q): %v", name, err)
		}
	}
}

func TestResponseHeaderLargeSection(t *testing.T) {
	// A response header larger than the reader's buffer is read line by
	// line, and one larger than the limit is refused.
	in := "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n" + strings.Repeat("X-Many: value\r\n", 400) + "\r\n"
	var h ResponseHeader
	if err := h.readLimited(bufio.NewReaderSize(strings.NewReader(in), 4096), 16<<10); err != nil {
		t.Fatal(err)
	}
	if len(h.PeekAll("X-Many")) != 400 || h.ContentLength() != 0 {
		t.Fatalf("%d fields", len(h.PeekAll("X-Many")))
	}
	if err := h.readLimited(bufio.NewReaderSize(strings.NewReader(in), 4096), 4<<10); err == nil {
		t.Fatal("oversized response header accepted")
	}
	if err := h.Read(bufio.NewReader(strings.NewReader(""))); err == nil || err.Error() != "EOF" {
		t.Fatalf("empty input: %v", err)
	}
}
