package fasthttp

import (
	"bufio"
	"bytes"
	"slices"
	"testing"
)

// Fuzz targets for the header codec. The seeds run in every plain
// `go test`; `go test -fuzz FuzzRequestHeaderRead` explores further.

var hdrFuzzRequestSeeds = []string{
	"GET / HTTP/1.1\r\nHost: h\r\n\r\n",
	"GET /bench?name=gopher&id=42 HTTP/1.1\r\nHost: example.com\r\nUser-Agent: Mozilla/5.0 (X11; Linux x86_64)\r\n" +
		"Accept: text/plain,*/*;q=0.8\r\nAccept-Encoding: gzip, deflate\r\nCookie: session=abc123; theme=dark\r\n" +
		"X-Request-Id: 7f3c9a1e\r\n\r\n",
	"POST /p HTTP/1.1\r\nHost: h\r\nContent-Type: text/plain\r\nContent-Length: 5\r\nConnection: close\r\n\r\n",
	"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nTrailer: X-A, X-B\r\nX-A: in-header\r\n\r\n",
	"POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n",
	"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
	"GET / HTTP/1.0\r\n\r\n",
	"GET http://h:80/p?q HTTP/1.1\r\nHost: h:80\r\n\r\n",
	"OPTIONS * HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n",
	"CONNECT h:443 HTTP/1.1\r\nHost: h:443\r\n\r\n",
	"GET / HTTP/1.1\nHost: h\nx-lower: v\n\n",
	"\r\nGET / HTTP/1.1\r\nHost: \r\nEmpty:\r\nX: \t v \t\r\nConnection: keep-alive, Upgrade\r\nConnection: close\r\n\r\n",
	"GET / HTTP/1.1\r\nHost: h\r\nX: obs-text \xc3\xa9\r\nCookie: a=1\r\ncookie: b=2\r\n\r\n",
	"GET / HTTP/1.1\r\nHost: u@h\r\n\r\n",
	"GET / HTTP/1.1\r\nHost: h\r\n folded\r\n\r\n",
	"GET / HTTP/1.1\r\nHost: h\r\nX: a\rb\r\n\r\n",
	"GET / HTTP/1.1\r\nHost: h\r\nX: a\x00\r\n\r\n",
	"GET / HTTP/1.1\r\nHost: h\r\nX : y\r\n\r\n",
	"POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\n",
	"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked, gzip\r\n\r\n",
	"GET / HTTP/2.0\r\n\r\n",
	"GET http://A.example:81/p HTTP/1.1\r\nHost: b\r\n\r\n",
	"GET http://u@a/ HTTP/1.1\r\nHost: a\r\n\r\n",
	"GET / HTTP/1.1\r\nHost: ex%41mple\r\n\r\n",
	"GET / HTTP/1.1\r\nHost: [1.2.3.4]\r\n\r\n",
	"GET /a%00b?x=%00 HTTP/1.1\r\nHost: h\r\n\r\n",
	"GET / HTTP/1.1\r\nHost: h\r\nCookie: a=1; b c=2; =3; d; e@=4\r\n\r\n",
	"POST / HTTP/1.1\r\nHost: h\r\nContent-Type: a\r\ncontent-type:  a \r\n\r\n",
	"POST / HTTP/1.1\r\nHost: h\r\nContent-Type: a\r\nContent-Type: A\r\n\r\n",
}

var hdrFuzzResponseSeeds = []string{
	"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
	"HTTP/1.1 200 OK\r\nServer: s\r\nDate: Mon, 02 Jan 2006 15:04:05 GMT\r\nContent-Type: text/html\r\n" +
		"Content-Length: 12\r\nSet-Cookie: a=1; Path=/\r\nSet-Cookie: b=2\r\nX-Y: z\r\n\r\n",
	"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-T\r\n\r\n",
	"HTTP/1.1 200 OK\r\nX: y\r\n\r\n",
	"HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n",
	"HTTP/1.1 304 Not Modified\r\n\r\n",
	"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 1\r\n\r\n",
	"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n",
	"HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 1\r\n\r\n",
	"HTTP/1.0 200 OK\r\n\r\n",
	"HTTP/1.1 200\r\nContent-Length: 1\r\n\r\n",
	"HTTP/1.1 404 Not Found\nContent-Encoding: br\nConnection: close\n\n",
	"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 5\r\nTransfer-Encoding: identity\r\n\r\n",
	"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n",
	"HTTP/1.1 2x0 OK\r\n\r\n",
	"HTTP/1.1 200 OK\r\n X: folded\r\n\r\n",
}

// hdrCheckLines fails unless wire is a header section whose every line is
// free of control bytes (HTAB aside) and, after the start line, a
// "token: value" field.
func hdrCheckLines(t *testing.T, wire []byte) {
	t.Helper()
	body, ok := bytes.CutSuffix(wire, []byte("\r\n\r\n"))
	if !ok {
		t.Fatalf("no terminating empty line: %q", wire)
	}
	for i, line := range bytes.Split(body, []byte("\r\n")) {
		for _, c := range line {
			if c < 0x20 && c != '\t' || c == 0x7f {
				t.Fatalf("control byte %#x in line %q of %q", c, line, wire)
			}
		}
		if i == 0 {
			continue
		}
		name, _, found := bytes.Cut(line, []byte(": "))
		if !found || !validToken(name) {
			t.Fatalf("malformed field line %q in %q", line, wire)
		}
	}
}

// hdrCheckFixpoint checks that writing a parsed header again gives the same
// lines (the synthesized ones may move once) and that a second round
// changes nothing at all.
func hdrCheckFixpoint(t *testing.T, wire, wire2 []byte, again func([]byte) []byte) {
	t.Helper()
	sorted := func(b []byte) string {
		lines := bytes.Split(b, []byte("\r\n"))
		slices.SortFunc(lines[1:], bytes.Compare)
		return string(bytes.Join(lines, []byte("\r\n")))
	}
	if sorted(wire) != sorted(wire2) {
		t.Fatalf("lines changed\nwire  %q\nwire2 %q", wire, wire2)
	}
	wire2 = append([]byte(nil), wire2...)
	if wire3 := again(wire2); !bytes.Equal(wire2, wire3) {
		t.Fatalf("not a fixpoint\nwire2 %q\nwire3 %q", wire2, wire3)
	}
}

func FuzzRequestHeaderRead(f *testing.F) {
	for _, s := range hdrFuzzRequestSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var h RequestHeader
		if err := h.Read(bufio.NewReaderSize(bytes.NewReader(data), 4096)); err != nil {
			return
		}
		wire := append([]byte(nil), h.Header()...)
		hdrCheckLines(t, wire)
		var h2 RequestHeader
		if err := h2.Read(bufio.NewReader(bytes.NewReader(wire))); err != nil {
			t.Fatalf("serialized header does not parse: %v\ninput %q\nwire  %q", err, data, wire)
		}
		hdrCheckFixpoint(t, wire, h2.Header(), func(b []byte) []byte {
			var h3 RequestHeader
			if err := h3.Read(bufio.NewReader(bytes.NewReader(b))); err != nil {
				t.Fatalf("second round does not parse: %v\n%q", err, b)
			}
			return h3.Header()
		})
		if !bytes.Equal(h.Method(), h2.Method()) || !bytes.Equal(h.RequestURI(), h2.RequestURI()) ||
			!bytes.Equal(h.Host(), h2.Host()) || h.ContentLength() != h2.ContentLength() ||
			h.ConnectionClose() != h2.ConnectionClose() || h.IsHTTP11() != h2.IsHTTP11() ||
			!bytes.Equal(h.UserAgent(), h2.UserAgent()) {
			t.Fatalf("fields changed\nwire %q\n h: %q\nh2: %q", wire, h.String(), h2.String())
		}
		for k, v := range h.All() {
			if bytes.Equal(k, strConnection) || bytes.Equal(k, strCookie) {
				continue // may be folded or moved, checked through the flags and cookies
			}
			if got := h2.PeekBytes(k); !bytes.Equal(got, v) && len(h2.PeekAll(string(k))) < 2 {
				t.Fatalf("field %q: %q became %q\nwire %q", k, v, got, wire)
			}
		}
		for k, v := range h.Cookies() {
			if !validToken(k) {
				t.Fatalf("cookie name %q is not a token\ninput %q", k, data)
			}
			// Names may repeat: the first value of each is what reads back.
			if first := h.CookieBytes(k); !bytes.Equal(h2.CookieBytes(k), first) && bytes.IndexByte(v, ';') < 0 {
				t.Fatalf("cookie %q: %q became %q", k, first, h2.CookieBytes(k))
			}
		}
		hdrCheckHandlerView(t, &h, data)
	})
}

// hdrCheckHandlerView checks what a handler would see of an accepted
// request: the host is the Host field, or the authority of an absolute
// target, in lower case and otherwise unchanged; the path holds no NUL;
// and the Content-Type fields received, if several, all agree.
func hdrCheckHandlerView(t *testing.T, h *RequestHeader, data []byte) {
	t.Helper()
	var req Request
	h.CopyTo(&req.Header)
	want := h.Host()
	target := h.RequestURI()
	if scheme, rest, _ := splitScheme(target); scheme != nil && !h.IsConnect() {
		if i := bytes.IndexAny(rest, "/?"); i >= 0 {
			rest = rest[:i]
		}
		want = rest
	}
	if got := req.URI().Host(); !bytes.Equal(got, bytes.ToLower(want)) {
		t.Fatalf("handler host %q, wire host %q\ninput %q", got, want, data)
	}
	if bytes.IndexByte(req.URI().Path(), 0) >= 0 {
		t.Fatalf("NUL in path %q\ninput %q", req.URI().Path(), data)
	}
	var first []byte
	seen := false
	for _, line := range bytes.Split(h.RawHeaders(), []byte("\n")) {
		name, value, ok := bytes.Cut(bytes.TrimSuffix(line, []byte("\r")), []byte(":"))
		if !ok || !equalFoldString(name, HeaderContentType) {
			continue
		}
		value = trimOWS(value)
		if seen && !bytes.Equal(value, first) {
			t.Fatalf("conflicting Content-Type %q and %q accepted\ninput %q", first, value, data)
		}
		first, seen = value, true
	}
}

func FuzzResponseHeaderRead(f *testing.F) {
	for _, s := range hdrFuzzResponseSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var h ResponseHeader
		if err := h.Read(bufio.NewReaderSize(bytes.NewReader(data), 4096)); err != nil {
			return
		}
		wire := append([]byte(nil), h.Header()...)
		hdrCheckLines(t, wire)
		var h2 ResponseHeader
		if err := h2.Read(bufio.NewReader(bytes.NewReader(wire))); err != nil {
			t.Fatalf("serialized header does not parse: %v\ninput %q\nwire  %q", err, data, wire)
		}
		hdrCheckFixpoint(t, wire, h2.Header(), func(b []byte) []byte {
			var h3 ResponseHeader
			if err := h3.Read(bufio.NewReader(bytes.NewReader(b))); err != nil {
				t.Fatalf("second round does not parse: %v\n%q", err, b)
			}
			return h3.Header()
		})
		bodyAllowed := !h.mustSkipContentLength()
		if h.StatusCode() != h2.StatusCode() || h.ConnectionClose() != h2.ConnectionClose() ||
			bodyAllowed && h.ContentLength() != h2.ContentLength() || !bytes.Equal(h.ContentType(), h2.ContentType()) ||
			!bytes.Equal(h.Server(), h2.Server()) || !bytes.Equal(h.ContentEncoding(), h2.ContentEncoding()) {
			t.Fatalf("fields changed\nwire %q\n h: %q\nh2: %q", wire, h.String(), h2.String())
		}
		for k, v := range h.All() {
			if bytes.Equal(k, strConnection) || bytes.Equal(k, strContentLength) || bytes.Equal(k, strSetCookie) {
				continue
			}
			if got := h2.PeekBytes(k); !bytes.Equal(got, v) && len(h2.PeekAll(string(k))) < 2 {
				t.Fatalf("field %q: %q became %q\nwire %q", k, v, got, wire)
			}
		}
		if len(h.PeekAll(HeaderSetCookie)) != len(h2.PeekAll(HeaderSetCookie)) {
			t.Fatalf("Set-Cookie count changed\nwire %q", wire)
		}
	})
}

// FuzzHeaderSet checks that whatever a setter is given, the written header
// keeps its shape and reads back to the sanitized value.
func FuzzHeaderSet(f *testing.F) {
	for _, kv := range [][2]string{
		{"X-A", "v"}, {"x-a", "a\r\nX-Evil: 1"}, {"Host", "h\n"}, {"Content-Type", "t\x00"}, {"X A", "v"},
		{"Cookie", "a=b; c\r\n"}, {"Set-Cookie", "s=1\rX"}, {"Connection", "close"}, {"Content-Length", "12"},
		{"Trailer", "X-T"}, {"Location", "/\r\n\r\n"}, {"User-Agent", "\t"}, {"", ""}, {"Date", "d"}, {"Host", "\""}, {"Host", ""}, {"\x00", "0"},
	} {
		f.Add(kv[0], kv[1])
	}
	f.Fuzz(func(t *testing.T, key, value string) {
		var req RequestHeader
		req.SetHost("h")
		req.Set(key, value)
		req.Add(key, value)
		wire := append([]byte(nil), req.Header()...)
		hdrCheckLines(t, wire)
		var req2 RequestHeader
		// Host is stored as given; the parser holds it to RFC 3986.
		// The reader is sized to the header: what a setter accepts must
		// parse back, whatever the default size limit.
		if err := req2.Read(bufio.NewReaderSize(bytes.NewReader(wire), len(wire)+16)); err != nil && len(req.Host()) > 0 && validHost(req.Host()) {
			t.Fatalf("request does not parse: %v\n%q", err, wire)
		}

		var resp ResponseHeader
		resp.Set(key, value)
		resp.Add(key, value)
		resp.SetStatusMessage([]byte(value))
		wire = append(wire[:0], resp.Header()...)
		hdrCheckLines(t, wire)
		var resp2 ResponseHeader
		if err := resp2.Read(bufio.NewReaderSize(bytes.NewReader(wire), len(wire)+16)); err != nil {
			t.Fatalf("response does not parse: %v\n%q", err, wire)
		}
		if lookupField([]byte(key), false) == fieldOther && validHeaderName([]byte(key)) {
			// Only OWS (SP, HTAB) is trimmed, not Unicode spaces such as
			// U+00A0, which bytes.TrimSpace would take.
			want := bytes.Trim(sanitizeInPlace([]byte(value)), " \t")
			if got := resp2.Peek(key); !bytes.Equal(got, want) {
				t.Fatalf("Peek(%q) = %q, want %q\n%q", key, got, want, wire)
			}
			// Add kept both values; Set leaves one, in either header.
			if n := len(resp.PeekAll(key)); n != 2 {
				t.Fatalf("%d values of %q after Set and Add", n, key)
			}
			resp.Set(key, "again")
			req.Set(key, "again")
			if got := resp.PeekAll(key); len(got) != 1 || string(got[0]) != "again" {
				t.Fatalf("response %q after a second Set: %q", key, got)
			}
			if got := req.PeekAll(key); len(got) != 1 || string(got[0]) != "again" {
				t.Fatalf("request %q after a second Set: %q", key, got)
			}
		}
	})
}
