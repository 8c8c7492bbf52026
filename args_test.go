package fasthttp

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
)

func argsPairs(a *Args) string {
	var parts []string
	for k, v := range a.All() {
		parts = append(parts, fmt.Sprintf("%q=%q", k, v))
	}
	return strings.Join(parts, " ")
}

func TestArgsParse(t *testing.T) {
	t.Parallel()
	cases := []struct{ in, pairs, encoded string }{
		{"", "", ""},
		{"a", `"a"=""`, "a"},
		{"a=", `"a"=""`, "a="},
		{"=b", `""="b"`, "=b"},
		{"=", "", ""},
		{"&", "", ""},
		{"a=b", `"a"="b"`, "a=b"},
		{"a==b", `"a"="=b"`, "a=%3Db"},
		{"&&a=1&&", `"a"="1"`, "a=1"},
		{"a=1&a=2", `"a"="1" "a"="2"`, "a=1&a=2"},
		{"a+b=c+d", `"a b"="c d"`, "a+b=c+d"},
		{"a%20=%20b", `"a "=" b"`, "a+=+b"},
		{"%zz=%zz", `"%zz"="%zz"`, "%25zz=%25zz"},
		{"a=1;b=2", `"a"="1;b=2"`, "a=1%3Bb%3D2"},
		{"k&=v", `"k"="" ""="v"`, "k&=v"},
		{"a=%", `"a"="%"`, "a=%25"},
		{"\u00fc=\u00e9", `"ü"="é"`, "%C3%BC=%C3%A9"},
		{"a=1&A=2", `"a"="1" "A"="2"`, "a=1&A=2"},
		{"x=%E2%82%AC", `"x"="€"`, "x=%E2%82%AC"},
	}
	for _, c := range cases {
		var a Args
		a.Parse(c.in)
		if got := argsPairs(&a); got != c.pairs {
			t.Errorf("Parse(%q) = %s, want %s", c.in, got, c.pairs)
		}
		if got := a.String(); got != c.encoded {
			t.Errorf("Parse(%q).String() = %q, want %q", c.in, got, c.encoded)
		}
		// What String writes parses back to the same pairs.
		var b Args
		b.ParseBytes(a.QueryString())
		if argsPairs(&b) != argsPairs(&a) {
			t.Errorf("round trip of %q: %s then %s", c.in, argsPairs(&a), argsPairs(&b))
		}
	}
}

func TestArgsPeek(t *testing.T) {
	t.Parallel()
	var a Args
	a.Parse("a=1&b=&c&a=2")
	if string(a.Peek("a")) != "1" || string(a.PeekBytes([]byte("a"))) != "1" {
		t.Fatal("Peek returns the first value")
	}
	if v := a.Peek("b"); v == nil || len(v) != 0 {
		t.Fatalf("empty value: %q (nil=%v)", v, v == nil)
	}
	if a.Peek("c") != nil || !a.Has("c") || !a.HasBytes([]byte("c")) {
		t.Fatal("bare key: Peek must be nil, Has true")
	}
	if a.Peek("zz") != nil || a.Has("zz") {
		t.Fatal("missing key")
	}
	if got := a.PeekMulti("a"); len(got) != 2 || string(got[1]) != "2" {
		t.Fatalf("PeekMulti = %q", got)
	}
	if got := a.PeekMultiBytes([]byte("zz")); got != nil {
		t.Fatalf("PeekMultiBytes(missing) = %q", got)
	}
}

func TestArgsSetAddDel(t *testing.T) {
	t.Parallel()
	var a Args
	a.Add("a", "1")
	a.AddNoValue("nv")
	a.Set("b", "x y")
	a.Add("a", "2")
	a.SetNoValue("a")
	a.SetUint("n", 42)
	// Set changes the first argument of the name and removes later ones.
	if got := a.String(); got != "a&nv&b=x+y&n=42" {
		t.Fatalf("String = %q", got)
	}
	a.Add("a", "4")
	a.Set("a", "3")
	if got := a.String(); got != "a=3&nv&b=x+y&n=42" {
		t.Fatalf("Set on duplicate: %q", got)
	}
	a.Del("a")
	if got := a.String(); got != "nv&b=x+y&n=42" {
		t.Fatalf("Del = %q", got)
	}
	a.AddBytesK([]byte("k1"), "v1")
	a.AddBytesV("k2", []byte("v2"))
	a.AddBytesKV([]byte("k3"), []byte("v3"))
	a.AddBytesKNoValue([]byte("k4"))
	a.SetBytesK([]byte("k1"), "w1")
	a.SetBytesV("k2", []byte("w2"))
	a.SetBytesKV([]byte("k3"), []byte("w3"))
	a.SetBytesKNoValue([]byte("k5"))
	a.SetUintBytes([]byte("n"), 7)
	a.DelBytes([]byte("nv"))
	if got := a.String(); got != "b=x+y&n=7&k1=w1&k2=w2&k3=w3&k4&k5" {
		t.Fatalf("byte-slice variants: %q", got)
	}
	if a.Len() != 7 {
		t.Fatalf("Len = %d", a.Len())
	}
	var d Args
	d.Parse("old=1")
	a.CopyTo(&d)
	if d.String() != a.String() {
		t.Fatalf("CopyTo: %q", d.String())
	}
	d.Reset()
	if d.Len() != 0 || d.String() != "" {
		t.Fatal("Reset")
	}
	var b bytes.Buffer
	if n, err := a.WriteTo(&b); err != nil || int(n) != b.Len() || b.String() != a.String() {
		t.Fatalf("WriteTo = %d %v %q", n, err, b.String())
	}
	if got := string(a.AppendBytes([]byte("?"))); got != "?"+a.String() {
		t.Fatalf("AppendBytes = %q", got)
	}
	seen := 0
	a.VisitAll(func(k, v []byte) { seen++ })
	if seen != a.Len() {
		t.Fatalf("VisitAll saw %d", seen)
	}
	for range a.All() {
		break // stopping early must be allowed
	}
}

func TestArgsGetters(t *testing.T) {
	t.Parallel()
	var a Args
	for _, v := range []string{"1", "t", "T", "true", "True", "TRUE", "y", "Y", "yes", "Yes", "YES"} {
		a.Set("b", v)
		if !a.GetBool("b") {
			t.Errorf("GetBool(%q) = false", v)
		}
	}
	for _, v := range []string{"0", "f", "false", "no", "off", "on", "On", "tRUE", "x", "", "2", " 1"} {
		a.Set("b", v)
		if a.GetBool("b") {
			t.Errorf("GetBool(%q) = true", v)
		}
	}
	if a.GetBool("missing") {
		t.Error("GetBool(missing) = true")
	}
	a.Set("n", "123")
	if n, err := a.GetUint("n"); n != 123 || err != nil {
		t.Fatalf("GetUint = %d %v", n, err)
	}
	a.Set("n", "")
	if _, err := a.GetUint("n"); !errors.Is(err, ErrNoArgValue) {
		t.Fatalf("GetUint(empty) = %v", err)
	}
	if _, err := a.GetUint("zz"); !errors.Is(err, ErrNoArgValue) || err.Error() != "fasthttp: no args value for the given key" {
		t.Fatalf("GetUint(missing) = %v", err)
	}
	a.Set("n", "-1")
	if n, err := a.GetUint("n"); err == nil || n != -1 || a.GetUintOrZero("n") != 0 {
		t.Fatalf("GetUint(-1) = %d %v", n, err)
	}
	a.Set("f", "1.5e2")
	if f, err := a.GetUfloat("f"); f != 150 || err != nil || a.GetUfloatOrZero("f") != 150 {
		t.Fatalf("GetUfloat = %v %v", f, err)
	}
	a.Set("f", "-1")
	if _, err := a.GetUfloat("f"); err == nil || a.GetUfloatOrZero("f") != 0 {
		t.Fatal("negative float accepted")
	}
	if _, err := a.GetUfloat("zz"); !errors.Is(err, ErrNoArgValue) {
		t.Fatalf("GetUfloat(missing) = %v", err)
	}
}

func TestArgsSort(t *testing.T) {
	t.Parallel()
	var a Args
	a.Parse("z=1&y=2&x=3&y=1")
	a.Sort(bytes.Compare)
	if got := a.String(); got != "x=3&y=1&y=2&z=1" {
		t.Fatalf("Sort = %q", got)
	}
	a.Parse("z=1&y=2&x=3&y=1")
	a.SortKeys(bytes.Compare)
	if got := a.String(); got != "x=3&y=2&y=1&z=1" {
		t.Fatalf("SortKeys = %q", got)
	}
}

func TestArgsPool(t *testing.T) {
	t.Parallel()
	a := AcquireArgs()
	a.Parse("a=1")
	ReleaseArgs(a)
	a = AcquireArgs()
	defer ReleaseArgs(a)
	if a.Len() != 0 {
		t.Fatal("pooled Args not reset")
	}
}

// Parsing and encoding reuse their buffers: no allocation once warm.
func TestArgsParseAllocs(t *testing.T) {
	var a Args
	in := []byte("foo=bar&baz=123&a%20b=c+d&e&long=" + strings.Repeat("x", 100))
	a.ParseBytes(in)
	_ = a.QueryString()
	n := testing.AllocsPerRun(100, func() {
		a.ParseBytes(in)
		_ = a.Peek("baz")
		_ = a.QueryString()
	})
	if n != 0 {
		t.Fatalf("Args parse+encode allocates %v times", n)
	}
}

// Every Set-style method leaves one argument of its name: the first takes
// the value, later duplicates go (net/http's Header.Set semantics); a new
// name is appended.
func TestArgsSetRemovesLaterDuplicates(t *testing.T) {
	t.Parallel()
	for name, c := range map[string]struct {
		set  func(a *Args)
		want string
	}{
		"Set":              {func(a *Args) { a.Set("x", "9") }, "x=9&y=2&z=4"},
		"SetBytesK":        {func(a *Args) { a.SetBytesK([]byte("x"), "9") }, "x=9&y=2&z=4"},
		"SetBytesV":        {func(a *Args) { a.SetBytesV("x", []byte("9")) }, "x=9&y=2&z=4"},
		"SetBytesKV":       {func(a *Args) { a.SetBytesKV([]byte("x"), []byte("9")) }, "x=9&y=2&z=4"},
		"SetNoValue":       {func(a *Args) { a.SetNoValue("x") }, "x&y=2&z=4"},
		"SetBytesKNoValue": {func(a *Args) { a.SetBytesKNoValue([]byte("x")) }, "x&y=2&z=4"},
		"SetUint":          {func(a *Args) { a.SetUint("x", 7) }, "x=7&y=2&z=4"},
		"SetUintBytes":     {func(a *Args) { a.SetUintBytes([]byte("x"), 7) }, "x=7&y=2&z=4"},
		"Set new":          {func(a *Args) { a.Set("n", "1") }, "x=1&y=2&x=3&z=4&x&n=1"},
	} {
		var a Args
		a.Parse("x=1&y=2&x=3&z=4&x")
		c.set(&a)
		if got := a.String(); got != c.want {
			t.Errorf("%s: %q", name, got)
		}
	}
	// The query of a URI is an Args too.
	var u URI
	if err := u.Parse(nil, []byte("http://h/p?x=1&x=2&y=3&x=4")); err != nil {
		t.Fatal(err)
	}
	u.QueryArgs().Set("x", "9")
	if got := u.String(); got != "http://h/p?x=9&y=3" {
		t.Errorf("URI query: %q", got)
	}
}
