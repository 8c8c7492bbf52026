package fasthttp

import "testing"

func BenchmarkArgsParse(b *testing.B) {
	s := []byte("foo=bar&baz=123&aaaaaaaaaaaaa=bbbbbbbbbbbbbbbbbbbbbbbbbbb&q=hello%20world&x=1+2")
	var a Args
	a.ParseBytes(s)
	b.ReportAllocs()
	b.SetBytes(int64(len(s)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		a.ParseBytes(s)
	}
}

func BenchmarkArgsPeekAndEncode(b *testing.B) {
	var a Args
	a.Parse("foo=bar&baz=123&aaaaaaaaaaaaa=bbbbbbbbbbbbbbbbbbbbbbbbbbb&q=hello%20world&x=1+2")
	var buf []byte
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if len(a.Peek("q")) == 0 {
			b.Fatal("missing q")
		}
		buf = a.AppendBytes(buf[:0])
	}
}
