package fasthttp

import (
	"bufio"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// hdrParseRequest parses s in one piece and byte by byte, checks both agree,
// and returns the header and error of the first.
func hdrParseRequest(t *testing.T, s string) (*RequestHeader, error) {
	t.Helper()
	var h, slow RequestHeader
	err := h.Read(bufio.NewReader(strings.NewReader(s)))
	serr := slow.Read(bufio.NewReader(iotest.OneByteReader(strings.NewReader(s))))
	if (err == nil) != (serr == nil) || err == nil && h.String() != slow.String() {
		t.Errorf("%q: whole read (%v, %q) and byte-by-byte read (%v, %q) disagree", s, err, h.String(), serr, slow.String())
	}
	return &h, err
}

func TestRequestHeaderParseStrict(t *testing.T) {
	const host = "Host: h\r\n"
	for _, tc := range []struct {
		in     string
		status int
	}{
		{"GET / HTTP/1.1\r\n\r\n", 400},                            // missing Host
		{"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400},      // two Hosts
		{"GET / HTTP/1.1\r\nHost: u@a\r\n\r\n", 400},               // userinfo
		{"GET / HTTP/1.1\r\nHost: a b\r\n\r\n", 400},               // space
		{"GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", 400},               // path
		{"GET / HTTP/1.1\r\nHost: a:99999x\r\n\r\n", 400},          // port
		{"GET / HTTP/1.1\r\nHost: [::1\r\n\r\n", 400},              // IPv6
		{"GET / HTTP/1.1\r\nHost : h\r\n\r\n", 400},                // space before colon
		{"GET / HTTP/1.1\r\nHost\t: h\r\n\r\n", 400},               // tab before colon
		{"GET / HTTP/1.1\r\n" + host + " X: folded\r\n\r\n", 400},  // obs-fold
		{"GET / HTTP/1.1\r\n" + host + "X: a\r\n\tb\r\n\r\n", 400}, // obs-fold
		{"GET / HTTP/1.1\r\n" + host + "X: a\x00b\r\n\r\n", 400},   // NUL
		{"GET / HTTP/1.1\r\n" + host + "X: a\rb\r\n\r\n", 400},     // bare CR
		{"GET / HTTP/1.1\r\n" + host + "X: a\x7fb\r\n\r\n", 400},   // DEL
		{"GET / HTTP/1.1\r\n" + host + "X\x01Y: a\r\n\r\n", 400},   // control in name
		{"GET / HTTP/1.1\r\n" + host + ": a\r\n\r\n", 400},         // empty name
		{"GET / HTTP/1.1\r\n" + host + "NoColon\r\n\r\n", 400},     // no colon
		{"GET / HTTP/1.1\r\n" + host + "X(Y): a\r\n\r\n", 400},     // separator in name
		{"POST / HTTP/1.1\r\n" + host + "Content-Length: 1\r\nContent-Length: 1\r\n\r\n", 400},
		{"POST / HTTP/1.1\r\n" + host + "Content-Length: +1\r\n\r\n", 400},
		{"POST / HTTP/1.1\r\n" + host + "Content-Length: -1\r\n\r\n", 400},
		{"POST / HTTP/1.1\r\n" + host + "Content-Length: 1 2\r\n\r\n", 400},
		{"POST / HTTP/1.1\r\n" + host + "Content-Length: 0x10\r\n\r\n", 400},
		{"POST / HTTP/1.1\r\n" + host + "Content-Length: 99999999999999999999999\r\n\r\n", 400},
		{"POST / HTTP/1.1\r\n" + host + "Content-Length: \r\n\r\n", 400},
		{"POST / HTTP/1.1\r\n" + host + "Transfer-Encoding: gzip\r\n\r\n", 501},
		{"POST / HTTP/1.1\r\n" + host + "Transfer-Encoding: chunked, gzip\r\n\r\n", 400},
		{"POST / HTTP/1.1\r\n" + host + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", 400},
		{"POST / HTTP/1.1\r\n" + host + "Transfer-Encoding: \r\n\r\n", 501},
		{"POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400},
		{"POST / HTTP/1.1\r\n" + host + "Trailer: Content-Length\r\nTransfer-Encoding: chunked\r\n\r\n", 400},
		{"GET / HTTP/1.1 \r\n" + host + "\r\n", 400},
		{"GET  / HTTP/1.1\r\n" + host + "\r\n", 400},
		{"GET / http/1.1\r\n" + host + "\r\n", 400},
		{"GET / HTTP/1.10\r\n" + host + "\r\n", 400},
		{"GET / HTTP/1\r\n" + host + "\r\n", 400},
		{"GET / HTTP/2.0\r\n" + host + "\r\n", 505},
		{"GET /\r\n\r\n", 400},
		{"G(T / HTTP/1.1\r\n" + host + "\r\n", 400},
		{" GET / HTTP/1.1\r\n" + host + "\r\n", 400},
		{"GET /a b HTTP/1.1\r\n" + host + "\r\n", 400},
		{"GET /a#f HTTP/1.1\r\n" + host + "\r\n", 400},
		{"GET a HTTP/1.1\r\n" + host + "\r\n", 400},
		{"GET * HTTP/1.1\r\n" + host + "\r\n", 400},
		{"M-SEARCH * HTTP/1.1\r\n" + host + "\r\n", 400},
		{"GET /\x7f HTTP/1.1\r\n" + host + "\r\n", 400},
		{"GET http://u@h/ HTTP/1.1\r\n" + host + "\r\n", 400},
		{"CONNECT h HTTP/1.1\r\n" + host + "\r\n", 400},
	} {
		_, err := hdrParseRequest(t, tc.in)
		if err == nil {
			t.Errorf("accepted %q", tc.in)
			continue
		}
		if got := statusForError(err); got != tc.status {
			t.Errorf("%q: status %d (%v), want %d", tc.in, got, err, tc.status)
		}
	}
}

func TestRequestHeaderParseAccepts(t *testing.T) {
	for _, tc := range []struct {
		in          string
		method, uri string
		host        string
		cl          int
		close       bool
	}{
		// A GET without framing fields reports -2, as upstream's does.
		{"GET / HTTP/1.1\r\nHost: h\r\n\r\n", "GET", "/", "h", -2, false},
		{"GET / HTTP/1.1\nHost: h\nX: y\n\n", "GET", "/", "h", -2, false},             // LF-only lines
		{"\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n", "GET", "/", "h", -2, false},     // leading empty lines
		{"GET / HTTP/1.1\r\nHost:h\r\nX:\t v \t\r\n\r\n", "GET", "/", "h", -2, false}, // OWS
		{"GET / HTTP/1.1\r\nHost: \r\n\r\n", "GET", "/", "", -2, false},               // empty Host
		{"GET / HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n", "GET", "/", "[::1]:8080", -2, false},
		{"GET / HTTP/1.1\r\nHost: 127.0.0.1:80\r\n\r\n", "GET", "/", "127.0.0.1:80", -2, false},
		{"GET / HTTP/1.0\r\n\r\n", "GET", "/", "", -2, true}, // HTTP/1.0 closes by default
		{"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", "GET", "/", "", -2, false},
		{"GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n", "GET", "/", "h", -2, true},
		{"POST /p?q=1 HTTP/1.1\r\nHost: h\r\nContent-Length: 007\r\n\r\n", "POST", "/p?q=1", "h", 7, false},
		{"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n", "POST", "/", "h", -1, false},
		{"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: Chunked\r\n\r\n", "POST", "/", "h", -1, false},
		// Both framings: Transfer-Encoding wins and the connection closes.
		{"POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", "POST", "/", "h", -1, true},
		{"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n", "POST", "/", "h", -1, true},
		{"GET http://h/p HTTP/1.1\r\nHost: h\r\n\r\n", "GET", "http://h/p", "h", -2, false},
		{"OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n", "OPTIONS", "*", "h", 0, false},
		{"CONNECT h:443 HTTP/1.1\r\nHost: h:443\r\n\r\n", "CONNECT", "h:443", "h:443", 0, false},
		{"GET / HTTP/1.1\r\nHost: h\r\nX-Obs: caf\xc3\xa9\r\n\r\n", "GET", "/", "h", -2, false}, // obs-text
		{"M-SEARCH /x HTTP/1.1\r\nHost: h\r\n\r\n", "M-SEARCH", "/x", "h", 0, false},
	} {
		h, err := hdrParseRequest(t, tc.in)
		if err != nil {
			t.Errorf("rejected %q: %v", tc.in, err)
			continue
		}
		if string(h.Method()) != tc.method || string(h.RequestURI()) != tc.uri || string(h.Host()) != tc.host ||
			h.ContentLength() != tc.cl || h.ConnectionClose() != tc.close {
			t.Errorf("%q: method=%q uri=%q host=%q cl=%d close=%v", tc.in, h.Method(), h.RequestURI(), h.Host(),
				h.ContentLength(), h.ConnectionClose())
		}
	}
}

func TestRequestHeaderParseLimits(t *testing.T) {
	long := strings.Repeat("a", 9000)
	for _, tc := range []struct {
		in     string
		status int
	}{
		{"GET /" + long + " HTTP/1.1\r\nHost: h\r\n\r\n", 414},
		{"GET / HTTP/1.1\r\nHost: h\r\nX: " + long + "\r\n\r\n", 431},
		{"GET / HTTP/1.1\r\nHost: h\r\n" + strings.Repeat("X-Many: v\r\n", 1000) + "\r\n", 431},
	} {
		for _, size := range []int{4096, 64 << 10} {
			var h RequestHeader
			err := h.readLimited(bufio.NewReaderSize(strings.NewReader(tc.in), size), 8<<10)
			if err == nil || statusForError(err) != tc.status {
				t.Errorf("%.40q (buffer %d): %v, want status %d", tc.in, size, err, tc.status)
			}
		}
	}
	// A limit too small for even a short request line is a header-size
	// problem (431, as fasthttp answers), not a long target.
	for _, tc := range []struct {
		in         string
		size, lim  int
		wantStatus int
	}{
		{"GET /small-read-buffer HTTP/1.1\r\nHost: h\r\n\r\n", 16, 1, 431},
		{"GET /" + strings.Repeat("b", 300) + " HTTP/1.1\r\nHost: h\r\n\r\n", 256, 256, 431},
		{"GET /" + strings.Repeat("b", 3000) + " HTTP/1.1\r\nHost: h\r\n\r\n", 1024, 2048, 414},
		{"GET /" + strings.Repeat("b", 3000) + " HTTP/1.1\r\nHost: h\r\n\r\n", 4096, 2048, 414},
	} {
		var h RequestHeader
		err := h.readLimited(bufio.NewReaderSize(strings.NewReader(tc.in), tc.size), tc.lim)
		if err == nil || statusForError(err) != tc.wantStatus {
			t.Errorf("%.40q (buffer %d, limit %d): %v, want status %d", tc.in, tc.size, tc.lim, err, tc.wantStatus)
		}
	}

	// A section that fits the limit but not the reader's buffer is read
	// line by line.
	in := "GET / HTTP/1.1\r\nHost: h\r\n" + strings.Repeat("X-Many: value\r\n", 400) + "\r\n"
	var h RequestHeader
	if err := h.readLimited(bufio.NewReaderSize(strings.NewReader(in), 4096), 16<<10); err != nil {
		t.Fatal(err)
	}
	if len(h.PeekAll("X-Many")) != 400 || string(h.RawHeaders()) != in[len("GET / HTTP/1.1\r\n"):] {
		t.Fatalf("large section: %d fields, raw %d bytes", len(h.PeekAll("X-Many")), len(h.RawHeaders()))
	}
}

func TestRequestHeaderParseEndOfInput(t *testing.T) {
	var h RequestHeader
	if err := h.Read(bufio.NewReader(strings.NewReader(""))); err != io.EOF {
		t.Fatalf("empty input: %v", err)
	}
	if err := h.Read(bufio.NewReader(strings.NewReader("\r\n\r\n"))); err != io.EOF {
		t.Fatalf("only empty lines: %v", err)
	}
	for _, s := range []string{"G", "GET / HTTP/1.1", "GET / HTTP/1.1\r\n", "GET / HTTP/1.1\r\nHost: h\r\n", "GET / HTTP/1.1\r\nHost: h\r\n\r"} {
		err := h.Read(bufio.NewReader(strings.NewReader(s)))
		if err == nil || errors.Is(err, io.EOF) && err == io.EOF {
			t.Errorf("truncated %q: %v", s, err)
		}
	}
	// Two pipelined requests: the reader stops right after the first.
	br := bufio.NewReader(strings.NewReader("GET /1 HTTP/1.1\r\nHost: h\r\n\r\nGET /2 HTTP/1.1\r\nHost: h\r\n\r\n"))
	for _, want := range []string{"/1", "/2"} {
		if err := h.Read(br); err != nil || string(h.RequestURI()) != want {
			t.Fatalf("pipelined %s: %v %q", want, err, h.RequestURI())
		}
	}
	if err := h.Read(br); err != io.EOF {
		t.Fatalf("after pipeline: %v", err)
	}
}

func TestRequestHeaderTargetBytes(t *testing.T) {
	// Raw UTF-8 in the target is accepted, as fasthttp (and Fiber's routes
	// with non-ASCII paths) expect; control bytes, DEL, spaces, fragments
	// and high bytes that are not UTF-8 are not.
	var h RequestHeader
	in := "GET /cr\xc3\xa9er?q=\xc3\xa9 HTTP/1.1\r\nHost: h\r\n\r\n"
	if err := h.Read(bufio.NewReader(strings.NewReader(in))); err != nil {
		t.Fatalf("raw UTF-8 target: %v", err)
	}
	if string(h.RequestURI()) != "/cr\xc3\xa9er?q=\xc3\xa9" {
		t.Fatalf("target %q", h.RequestURI())
	}
	for _, target := range []string{"/a\x7fb", "/a\x01b", "/abcdefgh\x00ijklmn", "/a#b", "/abcdefghij\x7fklm", "/caf\xe9", "/abcdefgh\xc3", "/\xff\xfe"} {
		var h RequestHeader
		err := h.Read(bufio.NewReader(strings.NewReader("GET " + target + " HTTP/1.1\r\nHost: h\r\n\r\n")))
		if err == nil || statusForError(err) != StatusBadRequest {
			t.Errorf("target %q: %v, want 400", target, err)
		}
	}
}
