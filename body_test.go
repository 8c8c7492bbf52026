package fasthttp

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/valyala/bytebufferpool"
)

func TestChunkedDecode(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in, body, rest string
	}{
		{"5\r\nhello\r\n0\r\n\r\n", "hello", ""},
		{"5;ext=1\r\nhello\r\n0\r\n\r\n", "hello", ""},
		{"5 ;ext\r\nhello\r\n0\r\n\r\n", "hello", ""},
		{"5\t;a=\"b\"\r\nhello\r\n0\r\n\r\n", "hello", ""},
		{"A\r\n0123456789\r\n0\r\n\r\n", "0123456789", ""},
		{"a\r\n0123456789\r\n1\r\nx\r\n0\r\n\r\nNEXT", "0123456789x", "NEXT"},
		{"000\r\n\r\n", "", ""},
		{"0\r\nX-T: v\r\n\r\nNEXT", "", "NEXT"},
	}
	for _, c := range cases {
		br := bufio.NewReader(strings.NewReader(c.in))
		var scratch []byte
		body, err := appendBodyChunked(br, nil, 0, &scratch)
		if err == nil {
			_, err = readTrailerFields(br, nil, false)
		}
		rest, _ := io.ReadAll(br)
		if err != nil || string(body) != c.body || string(rest) != c.rest {
			t.Errorf("decode %q = %q rest %q err %v", c.in, body, rest, err)
		}
	}
}

// Malformed chunk framing is refused with a 400: a peer that disagrees with
// us about where the body ends could smuggle a request.
func TestChunkedDecodeStrict(t *testing.T) {
	t.Parallel()
	cases := []string{
		"fffffffffffffffffff\r\nhello\r\n0\r\n\r\n", // overflows
		"8000000000000000\r\nx",                     // more than we track
		"5\nhello\r\n0\r\n\r\n",                     // bare LF after size
		"5\rhello\r\n0\r\n\r\n",                     // bare CR
		"-5\r\nhello\r\n0\r\n\r\n",                  // sign
		"+5\r\nhello\r\n0\r\n\r\n",
		"0x5\r\nhello\r\n0\r\n\r\n", // prefix
		"5 \r\nhello\r\n0\r\n\r\n",  // whitespace without an extension
		"5x\r\nhello\r\n0\r\n\r\n",  // junk
		"\r\nhello\r\n0\r\n\r\n",    // no digits
		"5;a\rb\r\nhello\r\n0\r\n\r\n",
		"5;a\x00\r\nhello\r\n0\r\n\r\n",
		"5\r\nhelloXX0\r\n\r\n",                                     // data not followed by CRLF
		"5\r\nhello\n0\r\n\r\n",                                     // bare LF after data
		"5\r\nhello\r0\r\n\r\n",                                     // bare CR after data
		"5\r\nhel",                                                  // cut short
		"5\r\nhello\r\n",                                            // no last chunk
		"5\r\nhello\r\n0\r\n",                                       // no end of trailer section
		"5;" + strings.Repeat("e", 5000) + "\r\nhello\r\n0\r\n\r\n", // endless extension
	}
	for _, in := range cases {
		br := bufio.NewReader(strings.NewReader(in))
		var scratch []byte
		_, err := appendBodyChunked(br, nil, 0, &scratch)
		if err == nil {
			_, err = readTrailerFields(br, nil, false)
		}
		if err == nil {
			t.Errorf("accepted %q", in)
			continue
		}
		if st := statusForError(err); st != StatusBadRequest && !strings.Contains(in, "eeee") {
			t.Errorf("%q: status %d for %v", in, st, err)
		}
	}
}

func TestChunkedDecodeLimit(t *testing.T) {
	t.Parallel()
	br := bufio.NewReader(strings.NewReader("3\r\nabc\r\n3\r\ndef\r\n0\r\n\r\n"))
	var scratch []byte
	if _, err := appendBodyChunked(br, nil, 5, &scratch); !errors.Is(err, ErrBodyTooLarge) {
		t.Fatalf("limit: %v", err)
	}
	// A single chunk announcing more than the limit is refused before any
	// of it is read.
	br = bufio.NewReader(strings.NewReader("100000\r\n"))
	if _, err := appendBodyChunked(br, nil, 5, &scratch); !errors.Is(err, ErrBodyTooLarge) {
		t.Fatalf("announced chunk: %v", err)
	}
}

func TestFixedSizeBody(t *testing.T) {
	t.Parallel()
	br := bufio.NewReader(strings.NewReader("abcdef"))
	body, err := appendBodyFixedSize(br, nil, 3)
	if err != nil || string(body) != "abc" {
		t.Fatalf("fixed = %q %v", body, err)
	}
	// Read one byte at a time from the source.
	br = bufio.NewReaderSize(iotest.OneByteReader(strings.NewReader(strings.Repeat("x", 10000))), 16)
	body, err = appendBodyFixedSize(br, nil, 10000)
	if err != nil || len(body) != 10000 {
		t.Fatalf("slow source: %d %v", len(body), err)
	}
	br = bufio.NewReader(strings.NewReader("abc"))
	if _, err := appendBodyFixedSize(br, nil, 10); err == nil || statusForError(err) != StatusBadRequest {
		t.Fatalf("cut short: %v", err)
	}
}

// A peer announcing a large body and sending little must not make us
// allocate what it announced: buffers grow with the bytes that arrive.
func TestBodyGrowthFollowsReceivedBytes(t *testing.T) {
	t.Parallel()
	const declared = 4 << 20
	br := bufio.NewReader(strings.NewReader("x")) // one byte, then EOF
	body, err := appendBodyFixedSize(br, nil, declared)
	if err == nil {
		t.Fatal("short body accepted")
	}
	if cap(body) > 8<<10 {
		t.Fatalf("1 byte of a declared 4 MB grew the buffer to %d bytes", cap(body))
	}
	var req Request
	// Start from an empty buffer: a pooled one may come with the capacity
	// of earlier bodies.
	req.body = &bytebufferpool.ByteBuffer{}
	req.Header.contentLength = declared
	err = req.ReadBody(bufio.NewReader(strings.NewReader("x")), declared, 0)
	if err == nil {
		t.Fatal("short body accepted")
	}
	if req.body != nil && cap(req.body.B) > 8<<10 {
		t.Fatalf("Request.ReadBody grew to %d bytes", cap(req.body.B))
	}
	// The same for chunked: a huge chunk size with a few bytes behind it.
	var scratch []byte
	body, err = appendBodyChunked(bufio.NewReader(strings.NewReader("400000\r\nabc")), nil, 0, &scratch)
	if err == nil || cap(body) > 8<<10 {
		t.Fatalf("chunked: cap %d err %v", cap(body), err)
	}
}

func TestWriteChunk(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	w := bufio.NewWriter(&b)
	_ = writeChunk(w, []byte("hello"))
	_ = writeChunk(w, nil) // writes nothing: it would end the body
	_ = writeChunk(w, bytes.Repeat([]byte("x"), 300))
	_ = writeLastChunk(w, []byte("X-T: v\r\n\r\n"))
	_ = w.Flush()
	want := "5\r\nhello\r\n12c\r\n" + strings.Repeat("x", 300) + "\r\n0\r\nX-T: v\r\n\r\n"
	if b.String() != want {
		t.Fatalf("chunks = %q", b.String())
	}
	// What we write, we read back.
	var scratch []byte
	got, err := appendBodyChunked(bufio.NewReader(&b), nil, 0, &scratch)
	if err != nil || string(got) != "hello"+strings.Repeat("x", 300) {
		t.Fatalf("round trip: %q %v", got, err)
	}
}

func TestWriteBodyFixedSize(t *testing.T) {
	t.Parallel()
	cases := []struct {
		src  string
		size int64
		err  string
	}{
		{"abcdef", 6, ""},
		{"abc", 6, "copied 3 bytes from body stream instead of 6 bytes"},
		{"abcdefgh", 6, "fasthttp: body stream exceeds content-length"},
		{"", 0, ""},
	}
	for _, c := range cases {
		var b bytes.Buffer
		w := bufio.NewWriter(&b)
		err := writeBodyFixedSize(w, strings.NewReader(c.src), c.size)
		_ = w.Flush()
		if (err == nil) != (c.err == "") || (err != nil && err.Error() != c.err) {
			t.Errorf("%q/%d: err %v", c.src, c.size, err)
		}
		if int64(b.Len()) > c.size {
			t.Errorf("%q/%d: wrote %d bytes", c.src, c.size, b.Len())
		}
	}
}

type onlyReadReader struct{ r io.Reader }

func (o *onlyReadReader) Read(p []byte) (int, error) { return o.r.Read(p) }

// writerToStream opts in or out of WriteTo framing.
type writerToStream struct {
	*strings.Reader
	allow   bool
	usedWTo bool
}

func (s *writerToStream) SupportsBodyWriteTo() bool { return s.allow }

func (s *writerToStream) WriteTo(w io.Writer) (int64, error) {
	s.usedWTo = true
	return s.Reader.WriteTo(w)
}

func TestWriteBodyChunkedWriterTo(t *testing.T) {
	t.Parallel()
	for _, allow := range []bool{true, false} {
		s := &writerToStream{Reader: strings.NewReader("payload"), allow: allow}
		var b bytes.Buffer
		w := bufio.NewWriter(&b)
		if err := writeBodyChunked(w, s); err != nil {
			t.Fatal(err)
		}
		_ = w.Flush()
		if s.usedWTo != allow {
			t.Errorf("allow=%v: WriteTo used=%v", allow, s.usedWTo)
		}
		if b.String() != "7\r\npayload\r\n" {
			t.Errorf("allow=%v: %q", allow, b.String())
		}
	}
	var b bytes.Buffer
	w := bufio.NewWriter(&b)
	if err := writeBodyChunked(w, &onlyReadReader{iotest.ErrReader(errors.New("boom"))}); err == nil {
		t.Fatal("read error lost")
	}
}

func TestCutOffBodyIsUnexpectedEOF(t *testing.T) {
	// Callers check a cut-off message against io.ErrUnexpectedEOF.
	var resp Response
	for _, in := range []string{
		"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab",
	} {
		err := resp.Read(bufio.NewReader(strings.NewReader(in)))
		if !errors.Is(err, io.ErrUnexpectedEOF) || statusForError(err) != StatusBadRequest {
			t.Errorf("%q: %v", in, err)
		}
	}
	var req Request
	err := req.Read(bufio.NewReader(strings.NewReader("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc")))
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("request: %v", err)
	}
}
