package fasthttp

import (
	"bufio"
	"bytes"
	"testing"
)

func BenchmarkRequestWrite(b *testing.B) {
	var req Request
	req.SetRequestURI("http://example.com/foo/bar?baz=1")
	req.Header.SetMethod(MethodPost)
	req.Header.SetContentType("application/json")
	req.Header.Set("X-Request-Id", "1234")
	req.SetBodyString(`{"hello":"world"}`)
	w := bufio.NewWriterSize(discardWriter{}, 4096)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := req.Write(w); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRequestRead(b *testing.B) {
	raw := []byte("POST /foo/bar?baz=1 HTTP/1.1\r\nHost: example.com\r\nContent-Type: application/json\r\nContent-Length: 17\r\n\r\n{\"hello\":\"world\"}")
	r := bytes.NewReader(raw)
	br := bufio.NewReaderSize(r, 4096)
	var req Request
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r.Reset(raw)
		br.Reset(r)
		if err := req.Read(br); err != nil {
			b.Fatal(err)
		}
		if len(req.URI().Path()) == 0 || req.URI().QueryArgs().Len() != 1 {
			b.Fatal("bad request")
		}
	}
}
