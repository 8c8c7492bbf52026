package fasthttp

import "testing"

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
	})
}
