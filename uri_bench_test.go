package fasthttp

import "testing"

func BenchmarkURIParsePathQueryArgs(b *testing.B) {
	host := []byte("example.com")
	uri := []byte("/foo/bar/../baz//qux?arg1=value1&arg2=value%202&arg3")
	var u URI
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := u.Parse(host, uri); err != nil {
			b.Fatal(err)
		}
		if len(u.Path()) == 0 || u.QueryArgs().Len() != 3 {
			b.Fatal("bad parse")
		}
	}
}

func BenchmarkURIParseAbsolute(b *testing.B) {
	uri := []byte("https://user:pw@Example.COM:8443/a/b/c?x=1#frag")
	var u URI
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := u.Parse(nil, uri); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkURIFullURI(b *testing.B) {
	var u URI
	_ = u.Parse(nil, []byte("http://example.com/a%20b/c?x=1&y=2#frag"))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_ = u.FullURI()
	}
}
