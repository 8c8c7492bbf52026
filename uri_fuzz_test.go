package fasthttp

import (
	"bytes"
	"testing"
)

// FuzzURIParse: Parse never panics, what it writes holds no control byte,
// and the path survives a round trip through RequestURI.
func FuzzURIParse(f *testing.F) {
	for _, s := range [][2]string{
		{"", "http://Example.COM/a/../b//c?x=1#frag"},
		{"", "https://user:pa%20ss@host.com:8080/p%2Fq?a=b#h"},
		{"", "http://[fe80::1%25eth0]:8080/"},
		{"h", "/a/%2e%2e/b"},
		{"h", "/..%2f..%2fetc/passwd"},
		{"h", "*"},
		{"h", "/\xff\x00"},
		{"", "//host/x"},
		{"", "1http://x/"},
		{"h:80", "/a?b#c"},
	} {
		f.Add(s[0], s[1], "../x?y#z")
	}
	f.Fuzz(func(t *testing.T, host, uri, update string) {
		var u URI
		if err := u.Parse([]byte(host), []byte(uri)); err != nil {
			return
		}
		full := append([]byte(nil), u.FullURI()...)
		reqURI := append([]byte(nil), u.RequestURI()...)
		if hasCTL(full) || hasCTL(reqURI) || bytes.IndexByte(reqURI, ' ') >= 0 {
			t.Fatalf("control bytes in output: %q %q", full, reqURI)
		}
		path := append([]byte(nil), u.Path()...)
		var v URI
		if err := v.Parse([]byte("h"), reqURI); err != nil {
			t.Fatalf("RequestURI %q of %q does not parse: %v", reqURI, uri, err)
		}
		if !bytes.Equal(v.Path(), path) {
			t.Fatalf("path %q became %q through %q", path, v.Path(), reqURI)
		}
		u.Update(update)
		if out := u.FullURI(); hasCTL(out) {
			t.Fatalf("control bytes after Update: %q", out)
		}
	})
}
