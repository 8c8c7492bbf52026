package fasthttp

import (
	"bufio"
	"bytes"
	"testing"
)

func BenchmarkResponseWrite(b *testing.B) {
	var resp Response
	resp.Header.SetContentType("text/plain")
	resp.Header.Set("X-Request-Id", "1234")
	resp.SetBodyString("Hello, world!")
	w := bufio.NewWriterSize(discardWriter{}, 4096)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := resp.Write(w); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkResponseWriteStreamWriter(b *testing.B) {
	var resp Response
	w := bufio.NewWriterSize(discardWriter{}, 4096)
	sw := func(bw *bufio.Writer) {
		_, _ = bw.WriteString("chunk one")
		_ = bw.Flush()
		_, _ = bw.WriteString("chunk two")
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		resp.SetBodyStreamWriter(sw)
		if err := resp.Write(w); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkResponseRead(b *testing.B) {
	raw := []byte("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n")
	r := bytes.NewReader(raw)
	br := bufio.NewReaderSize(r, 4096)
	var resp Response
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r.Reset(raw)
		br.Reset(r)
		if err := resp.Read(br); err != nil {
			b.Fatal(err)
		}
	}
}
