package fasthttp

import (
	"strings"
	"testing"
)

// FuzzArgsParse: Parse never panics and what String writes parses back to
// the same arguments.
func FuzzArgsParse(f *testing.F) {
	for _, s := range []string{"", "a=1&b=2", "a", "a=", "=b", "a==b", "&&a=1&&", "a+b=c%20d", "%zz=%", "k&=v", "\xff=\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var a, b Args
		a.Parse(s)
		b.Parse(a.String())
		if a.Len() != b.Len() {
			t.Fatalf("%q: %d args, then %d through %q", s, a.Len(), b.Len(), a.String())
		}
		for i := range a.args {
			x, y := &a.args[i], &b.args[i]
			if string(x.key) != string(y.key) || string(x.value) != string(y.value) || x.noValue != y.noValue {
				t.Fatalf("%q: arg %d changed through %q", s, i, a.String())
			}
		}
		// Set leaves one argument of the name, where the first one was,
		// and keeps the others in order.
		if a.Len() == 0 {
			return
		}
		key := string(a.args[0].key)
		var others []string
		for k, v := range a.All() {
			if string(k) != key {
				others = append(others, string(k)+"="+string(v))
			}
		}
		a.Set(key, "set")
		if got := a.PeekMulti(key); len(got) != 1 || string(got[0]) != "set" || string(a.args[0].key) != key {
			t.Fatalf("%q: Set(%q) left %q", s, key, got)
		}
		var after []string
		for k, v := range a.All() {
			if string(k) != key {
				after = append(after, string(k)+"="+string(v))
			}
		}
		if strings.Join(after, "&") != strings.Join(others, "&") {
			t.Fatalf("%q: Set(%q) changed the others: %q", s, key, after)
		}
	})
}
