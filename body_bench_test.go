package fasthttp

import (
	"bufio"
	"bytes"
	"strings"
	"testing"
)

func BenchmarkChunkedDecode(b *testing.B) {
	benchChunkedDecode(b, 16, 1000)
}

// BenchmarkChunkedDecodeSmallChunks is dominated by the chunk-size lines:
// what parsing and metering them costs.
func BenchmarkChunkedDecodeSmallChunks(b *testing.B) {
	benchChunkedDecode(b, 256, 16)
}

func benchChunkedDecode(b *testing.B, count, size int) {
	var src bytes.Buffer
	w := bufio.NewWriter(&src)
	for range count {
		_ = writeChunk(w, bytes.Repeat([]byte("x"), size))
	}
	_ = writeLastChunk(w, nil)
	_ = w.Flush()
	data := src.Bytes()
	r := bytes.NewReader(data)
	br := bufio.NewReaderSize(r, 4096)
	var body, scratch []byte
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r.Reset(data)
		br.Reset(r)
		var err error
		body, err = appendBodyChunked(br, body[:0], 0, &scratch)
		if err != nil || len(body) != count*size {
			b.Fatal(err)
		}
		if _, err := readTrailerFields(br, nil, false); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkChunkedEncode(b *testing.B) {
	chunk := []byte(strings.Repeat("y", 4096))
	w := bufio.NewWriterSize(discardWriter{}, 8192)
	b.ReportAllocs()
	b.SetBytes(int64(len(chunk)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := writeChunk(w, chunk); err != nil {
			b.Fatal(err)
		}
	}
}

type discardWriter struct{}

func (discardWriter) Write(p []byte) (int, error) { return len(p), nil }
