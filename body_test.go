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
