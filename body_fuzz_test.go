package fasthttp

import (
	"bufio"
	"bytes"
	"strings"
	"testing"
)

// FuzzChunkedDecode: decoding never panics, never reads past the body, and
// a decoded body encodes and decodes back to itself.
func FuzzChunkedDecode(f *testing.F) {
	for _, s := range []string{
		"5\r\nhello\r\n0\r\n\r\n", "5;ext=1\r\nhello\r\n0\r\nX-T: v\r\n\r\n", "fffffffffffffffffff\r\n",
		"5\nhello\r\n0\r\n\r\n", "5\r\nhelloXX", "0\r\n\r\n", "1\r\n\x00\r\n0\r\n\r\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		br := bufio.NewReader(strings.NewReader(s + "NEXT"))
		var scratch []byte
		body, err := appendBodyChunked(br, nil, 1<<20, &scratch)
		if err != nil {
			return
		}
		if _, err := readTrailerFields(br, nil, false); err != nil {
			return
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
