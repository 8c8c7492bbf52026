package fasthttp

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"syscall"
	"testing"
	"testing/iotest"
	"time"
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

// chunkedBody builds a chunked body of count chunks of size bytes each,
// every size line carrying an extension of ext bytes, then the last chunk.
func chunkedBody(count, size, ext int) string {
	var sb strings.Builder
	data := strings.Repeat("d", size)
	e := ""
	if ext > 0 {
		e = ";" + strings.Repeat("e", ext-1)
	}
	for range count {
		fmt.Fprintf(&sb, "%x%s\r\n%s\r\n", size, e, data)
	}
	sb.WriteString("0\r\n\r\n")
	return sb.String()
}

// decodeBoth decodes body with the buffering decoder and with the stream
// a handler or a client reads, and fails the test when they disagree.
func decodeBoth(t *testing.T, body string) (int, error) {
	t.Helper()
	var scratch []byte
	br := bufio.NewReader(strings.NewReader(body))
	got, err := appendBodyChunked(br, nil, 0, &scratch)
	if err == nil {
		_, err = readTrailerFields(br, nil, false)
	}
	s := acquireRequestStream(bufio.NewReader(strings.NewReader(body)), -1, 0)
	streamed, serr := io.ReadAll(s)
	releaseRequestStream(s)
	if (err == nil) != (serr == nil) || (err == nil && !bytes.Equal(got, streamed)) {
		t.Fatalf("buffered: %d bytes, %v; streamed: %d bytes, %v", len(got), err, len(streamed), serr)
	}
	return len(got), err
}

// The chunk-size line has a length limit and the framing of a chunked body
// a budget that grows with its data, as net/http's: each line costs its
// length, each chunk pays back 16 bytes and twice its size, and the body
// fails once the unpaid rest passes 16 KiB.
func TestChunkFramingLimits(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name       string
		body       string
		wantLength int // -1: refused with ErrBrokenChunk
	}{
		{"line at the limit", "5;" + strings.Repeat("e", maxChunkLineBytes-4) + "\r\nhello\r\n0\r\n\r\n", 5},
		{"line one past the limit", "5;" + strings.Repeat("e", maxChunkLineBytes-3) + "\r\nhello\r\n0\r\n\r\n", -1},
		{"size digits past the limit", strings.Repeat("0", maxChunkLineBytes) + "5\r\nhello\r\n0\r\n\r\n", -1},
		{"leading zeros", "0000000000000000005\r\nhello\r\n0\r\n\r\n", 5},
		{"one byte a chunk", chunkedBody(20000, 1, 0), 20000},
		// "1;" and 15 more bytes, CRLF: 20 bytes of line for 18 paid back.
		{"1-byte chunks, 17-byte extensions, at the budget", chunkedBody(8192, 1, 17), 8192},
		{"1-byte chunks, 17-byte extensions, past it", chunkedBody(8193, 1, 17), -1},
		{"1-byte chunks, 33-byte extensions", chunkedBody(910, 1, 33), 910},
		{"1-byte chunks, 33-byte extensions, past", chunkedBody(911, 1, 33), -1},
		// The same overhead is fine when real data pays for it.
		{"kilobyte chunks, 2000-byte extensions", chunkedBody(200, 1000, 2000), 200000},
		{"kilobyte chunks, 3000-byte extensions", chunkedBody(16, 1000, 3000), 16000},
		{"kilobyte chunks, 3000-byte extensions, past", chunkedBody(17, 1000, 3000), -1},
		{"extension on the last chunk", "0;" + strings.Repeat("e", 4000) + "\r\n\r\n", 0},
	}
	for _, c := range cases {
		n, err := decodeBoth(t, c.body)
		if c.wantLength < 0 {
			var bc ErrBrokenChunk
			if !errors.As(err, &bc) || statusForError(err) != StatusBadRequest {
				t.Errorf("%s: %d bytes, %v; want ErrBrokenChunk", c.name, n, err)
			}
			continue
		}
		if err != nil || n != c.wantLength {
			t.Errorf("%s: %d bytes, %v; want %d", c.name, n, err, c.wantLength)
		}
	}
}

// Every framing error is an ErrBrokenChunk that maps to 400; a body cut
// short stays io.ErrUnexpectedEOF.
func TestChunkFramingErrorsAreBrokenChunk(t *testing.T) {
	t.Parallel()
	for _, body := range []string{"5x\r\nhello\r\n0\r\n\r\n", "5\r\nhelloXX0\r\n\r\n", "5 \r\nhello\r\n0\r\n\r\n"} {
		_, err := decodeBoth(t, body)
		var bc ErrBrokenChunk
		if !errors.As(err, &bc) || statusForError(err) != StatusBadRequest {
			t.Errorf("%q: %v", body, err)
		}
	}
	_, err := decodeBoth(t, "5\r\nhel")
	var bc ErrBrokenChunk
	if !errors.Is(err, io.ErrUnexpectedEOF) || errors.As(err, &bc) {
		t.Errorf("cut short: %v", err)
	}
}

// Over a real connection: a request body past either limit is answered 400
// and the connection closed (a pipelined request behind it is never
// served), buffered or streamed to the handler, which then reads
// ErrBrokenChunk. A body that stays within them keeps the connection.
func TestServerChunkFramingLimits(t *testing.T) {
	t.Parallel()
	bad := map[string]string{
		"overhead":  chunkedBody(1000, 1, 33),
		"long line": "5;" + strings.Repeat("e", 5000) + "\r\nhello\r\n0\r\n\r\n",
	}
	good := chunkedBody(50, 1000, 2000)
	for _, stream := range []bool{false, true} {
		s := &Server{StreamRequestBody: stream, Logger: &srvLog{}, Handler: func(ctx *RequestCtx) {
			if !stream || ctx.RequestBodyStream() == nil {
				fmt.Fprintf(ctx, "read %d", len(ctx.PostBody()))
				return
			}
			n, err := io.Copy(io.Discard, ctx.RequestBodyStream())
			var bc ErrBrokenChunk
			if errors.As(err, &bc) {
				fmt.Fprintf(ctx, "broken after %d", n)
				return
			}
			if err != nil {
				fmt.Fprintf(ctx, "read %d, %v", n, err)
				return
			}
			fmt.Fprintf(ctx, "read %d", n)
		}}
		addr := srvStart(t, s, "127.0.0.1")
		send := func(body string) (string, int, string) {
			c := srvDial(t, addr)
			req := "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" + body +
				"GET /second HTTP/1.1\r\nHost: a\r\n\r\n"
			go func() { _, _ = io.WriteString(c, req) }()
			br := bufio.NewReader(c)
			resp, got := srvReadResponse(t, br, MethodPost)
			if resp.Close {
				// The server may close with the rest of the request
				// unread, which the kernel turns into a reset.
				_ = c.SetReadDeadline(time.Now().Add(srvWait))
				rest, err := io.ReadAll(br)
				if len(rest) > 0 || (err != nil && !errors.Is(err, syscall.ECONNRESET)) {
					t.Errorf("after the answer: %q, %v", rest, err)
				}
				return got, resp.StatusCode, "closed"
			}
			second, _ := srvReadResponse(t, br, MethodGet)
			return got, resp.StatusCode, fmt.Sprint("then ", second.StatusCode)
		}
		if got, code, after := send(good); code != StatusOK || got != "read 50000" || after != "then 200" {
			t.Errorf("stream=%v, good body: %d %q, %s", stream, code, got, after)
		}
		for name, body := range bad {
			got, code, after := send(body)
			wantCode, wantBody := StatusBadRequest, ""
			if stream {
				wantCode, wantBody = StatusOK, "broken after"
			}
			if code != wantCode || !strings.HasPrefix(got, wantBody) || after != "closed" {
				t.Errorf("stream=%v, %s: %d %q, %s", stream, name, code, got, after)
			}
		}
	}
}

// The client reading a response body past either limit fails with
// ErrBrokenChunk, whether it buffers the body or streams it.
func TestClientChunkFramingLimits(t *testing.T) {
	t.Parallel()
	head := "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
	for _, c := range []struct {
		name, body string
		broken     bool
	}{
		{"within", chunkedBody(50, 1000, 2000), false},
		{"overhead", chunkedBody(1000, 1, 33), true},
		{"long line", "5;" + strings.Repeat("e", 5000) + "\r\nhello\r\n0\r\n\r\n", true},
	} {
		for _, stream := range []bool{false, true} {
			rs := startRawServer(t, serveCanned(head+c.body))
			client := &Client{StreamResponseBody: stream}
			req := AcquireRequest()
			resp := AcquireResponse()
			req.SetRequestURI("http://" + rs.addr + "/")
			err := client.Do(req, resp)
			var n int
			if bs := resp.BodyStream(); err == nil && bs != nil {
				var m int64
				m, err = io.Copy(io.Discard, bs)
				n = int(m)
				_ = resp.CloseBodyStream()
			} else {
				n = len(resp.Body())
			}
			var bc ErrBrokenChunk
			if c.broken != errors.As(err, &bc) || (!c.broken && (err != nil || n != 50000)) {
				t.Errorf("%s, stream=%v: %d bytes, %v", c.name, stream, n, err)
			}
			ReleaseRequest(req)
			ReleaseResponse(resp)
		}
	}
}
