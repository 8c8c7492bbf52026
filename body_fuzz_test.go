package fasthttp

import (
	"bufio"
	"bytes"
	"io"
	"strings"
	"testing"
)

// FuzzChunkedDecode: decoding never panics and never reads past the body;
// the buffering decoder and the stream handlers read agree on every input;
// what they accept keeps within the line limit and the framing budget,
// recounted here on their own; and a decoded body encodes and decodes
// back to itself.
func FuzzChunkedDecode(f *testing.F) {
	for _, s := range []string{
		"5\r\nhello\r\n0\r\n\r\n", "5;ext=1\r\nhello\r\n0\r\nX-T: v\r\n\r\n", "fffffffffffffffffff\r\n",
		"5\nhello\r\n0\r\n\r\n", "5\r\nhelloXX", "0\r\n\r\n", "1\r\n\x00\r\n0\r\n\r\n",
		chunkedBody(3, 1, 30), chunkedBody(2, 100, 300), "0;" + strings.Repeat("e", 4100) + "\r\n\r\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		in := s + "NEXT"
		br := bufio.NewReader(strings.NewReader(in))
		var scratch []byte
		body, err := appendBodyChunked(br, nil, 1<<20, &scratch)
		if err == nil {
			_, err = readTrailerFields(br, nil, false)
		}
		rs := acquireRequestStream(bufio.NewReader(strings.NewReader(in)), -1, 0)
		streamed, serr := io.ReadAll(rs)
		releaseRequestStream(rs)
		if len(body) <= 1<<20 && ((err == nil) != (serr == nil) || (err == nil && !bytes.Equal(body, streamed))) {
			t.Fatalf("%q: buffered %q, %v; streamed %q, %v", s, body, err, streamed, serr)
		}
		if err != nil {
			return
		}
		if rest, _ := io.ReadAll(br); string(rest) != "NEXT" && !strings.HasSuffix(string(rest), "NEXT") {
			t.Fatalf("%q: read past the body, left %q", s, rest)
		}
		if why := chunkFramingOverLimit(in); why != "" {
			t.Fatalf("%q accepted: %s", s, why)
		}
		var buf bytes.Buffer
		w := bufio.NewWriter(&buf)
		_ = writeChunk(w, body)
		_ = writeLastChunk(w, nil)
		_ = w.Flush()
		again, err := appendBodyChunked(bufio.NewReader(&buf), nil, 0, &scratch)
		if err != nil || !bytes.Equal(again, body) {
			t.Fatalf("%q: body %q re-encoded decodes to %q, %v", s, body, again, err)
		}
	})
}

// chunkFramingOverLimit walks the chunk lines of a body the decoder
// accepted and says which limit it broke, if any: a line longer than
// maxChunkLineBytes, or framing overhead past maxChunkOverhead by
// net/http's count (line length plus the CRLF after the data, less 16 and
// twice the size, never below zero).
func chunkFramingOverLimit(s string) string {
	overhead := 0
	for {
		i := strings.Index(s, "\r\n")
		if i < 0 {
			return ""
		}
		line := s[:i]
		if len(line)+2 > maxChunkLineBytes {
			return "line too long"
		}
		size := 0
		for _, c := range []byte(line) {
			v := hexValue[c]
			if v >= 16 {
				break
			}
			size = size*16 + int(v)
		}
		overhead = max(overhead+len(line)+2-16-2*size, 0)
		if overhead > maxChunkOverhead {
			return "too much framing"
		}
		if size == 0 {
			return ""
		}
		s = s[i+2+size+2:]
	}
}
