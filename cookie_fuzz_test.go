package fasthttp

import (
	"bytes"
	"strings"
	"testing"
)

// FuzzCookieParse: Parse never panics, the written cookie holds no control
// byte, and writing is stable: parsing what was written writes the same.
func FuzzCookieParse(f *testing.F) {
	for _, s := range []string{
		"id=1; Path=/; Max-Age=60; HttpOnly",
		"a=b; expires=Tue, 10 Nov 2009 23:00:00 GMT; domain=.x.com; secure; samesite=none; partitioned",
		`a="quoted"`, "novalue", "=v", ";", "a=b; max-age=0", "a=b\r\nX: y", "a=\"", "0\x7f", "a=b; path=/x\x7f",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var c Cookie
		if err := c.Parse(s); err != nil {
			return
		}
		out := append([]byte(nil), c.Cookie()...)
		if bytes.ContainsAny(out, "\r\n\x00") {
			t.Fatalf("control bytes: %q", out)
		}
		// A value with quotes, or "=" in a cookie without a name, cannot be
		// written unambiguously; upstream writes them as they are too.
		if len(out) == 0 || strings.Contains(string(c.Value()), `"`) ||
			(len(c.Key()) == 0 && strings.Contains(string(c.Value()), "=")) {
			return
		}
		var d Cookie
		if err := d.ParseBytes(out); err != nil {
			t.Fatalf("%q: written %q does not parse: %v", s, out, err)
		}
		if again := d.Cookie(); !bytes.Equal(again, out) {
			t.Fatalf("%q: %q then %q", s, out, again)
		}
	})
}
