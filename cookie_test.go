package fasthttp

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
)

// The Set-Cookie strings below are exactly what upstream fasthttp writes;
// frameworks compare them in their tests.
func TestCookieAppendBytes(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		set  func(c *Cookie)
		want string
	}{
		{"plain", func(c *Cookie) {}, "k=v"},
		{"expire", func(c *Cookie) {
			c.SetExpire(time.Date(2030, 1, 2, 3, 4, 5, 0, time.FixedZone("X", 3600)))
		}, "k=v; expires=Wed, 02 Jan 2030 02:04:05 GMT"},
		{"expire delete", func(c *Cookie) { c.SetExpire(CookieExpireDelete) }, "k=v; expires=Tue, 10 Nov 2009 23:00:00 GMT"},
		{"expire unlimited", func(c *Cookie) { c.SetExpire(CookieExpireUnlimited) }, "k=v"},
		{"max-age", func(c *Cookie) { c.SetMaxAge(100) }, "k=v; max-age=100"},
		{"max-age negative", func(c *Cookie) { c.SetMaxAge(-1) }, "k=v; max-age=0"},
		{"max-age wins", func(c *Cookie) { c.SetMaxAge(100); c.SetExpire(CookieExpireDelete) }, "k=v; max-age=100"},
		{"all", func(c *Cookie) {
			c.SetDomain("example.com")
			c.SetPath("/p")
			c.SetHTTPOnly(true)
			c.SetSecure(true)
			c.SetSameSite(CookieSameSiteLaxMode)
			c.SetPartitioned(true)
			c.SetMaxAge(5)
		}, "k=v; max-age=5; domain=example.com; path=/; HttpOnly; secure; SameSite=Lax; Partitioned"},
		{"samesite default", func(c *Cookie) { c.SetSameSite(CookieSameSiteDefaultMode) }, "k=v; SameSite"},
		{"samesite strict", func(c *Cookie) { c.SetSameSite(CookieSameSiteStrictMode) }, "k=v; SameSite=Strict"},
		{"samesite none", func(c *Cookie) { c.SetSameSite(CookieSameSiteNoneMode) }, "k=v; secure; SameSite=None"},
		{"samesite none then not secure", func(c *Cookie) {
			c.SetSameSite(CookieSameSiteNoneMode)
			c.SetSecure(false)
		}, "k=v; SameSite=None"},
		{"samesite disabled", func(c *Cookie) {
			c.SetSameSite(CookieSameSiteLaxMode)
			c.SetSameSite(CookieSameSiteDisabled)
		}, "k=v"},
		{"partitioned", func(c *Cookie) { c.SetPartitioned(true) }, "k=v; path=/; secure; Partitioned"},
		{"partitioned off", func(c *Cookie) { c.SetPartitioned(true); c.SetPartitioned(false) }, "k=v; path=/; secure"},
		{"partitioned then path", func(c *Cookie) { c.SetPartitioned(true); c.SetPath("/x") }, "k=v; path=/x; secure; Partitioned"},
		{"no key", func(c *Cookie) { c.SetKey("") }, "v"},
		{"empty value", func(c *Cookie) { c.SetValue("") }, "k="},
		{"space value", func(c *Cookie) { c.SetValue("a b") }, "k=a b"},
		{"quoted value", func(c *Cookie) { c.SetValue(`"ab"`) }, `k="ab"`},
		{"utf8 value", func(c *Cookie) { c.SetValue("é") }, "k=é"},
	}
	for _, c := range cases {
		var ck Cookie
		ck.SetKey("k")
		ck.SetValue("v")
		c.set(&ck)
		if got := string(ck.Cookie()); got != c.want {
			t.Errorf("%s: Cookie() = %q, want %q", c.name, got, c.want)
		}
		if got := ck.String(); got != c.want {
			t.Errorf("%s: String() = %q", c.name, got)
		}
		if got := string(ck.AppendBytes([]byte("X"))); got != "X"+c.want {
			t.Errorf("%s: AppendBytes = %q", c.name, got)
		}
		var b bytes.Buffer
		if _, err := ck.WriteTo(&b); err != nil || b.String() != c.want {
			t.Errorf("%s: WriteTo = %q %v", c.name, b.String(), err)
		}
	}
}

func TestCookieParse(t *testing.T) {
	t.Parallel()
	gmt := time.Date(2009, 11, 10, 23, 0, 0, 0, time.UTC)
	cases := []struct {
		in               string
		key, value       string
		domain, path     string
		expire           time.Time
		maxAge           int
		httpOnly, secure bool
		sameSite         CookieSameSite
		partitioned      bool
		out              string
	}{
		{in: "id=1; Path=/; Max-Age=60; HttpOnly", key: "id", value: "1", path: "/", maxAge: 60, httpOnly: true, out: "id=1; max-age=60; path=/; HttpOnly"},
		{in: "a=b; expires=Tue, 10 Nov 2009 23:00:00 GMT", key: "a", value: "b", expire: gmt, out: "a=b; expires=Tue, 10 Nov 2009 23:00:00 GMT"},
		{in: "a=b; expires=Tue, 10-Nov-2009 23:00:00 GMT", key: "a", value: "b", expire: gmt, out: "a=b; expires=Tue, 10 Nov 2009 23:00:00 GMT"},
		{in: "a=b; Expires=Tuesday, 10-Nov-09 23:00:00 GMT", key: "a", value: "b", out: "a=b"},
		{in: "a=b; expires=garbage", key: "a", value: "b", out: "a=b"},
		{in: "a=b; Domain=.Example.com; path=/x; secure; httponly; samesite=lax", key: "a", value: "b", domain: ".Example.com", path: "/x", secure: true, httpOnly: true, sameSite: CookieSameSiteLaxMode, out: "a=b; domain=.Example.com; path=/x; HttpOnly; secure; SameSite=Lax"},
		{in: "a=b; SameSite=Strict", key: "a", value: "b", sameSite: CookieSameSiteStrictMode, out: "a=b; SameSite=Strict"},
		{in: "a=b; SameSite=None", key: "a", value: "b", sameSite: CookieSameSiteNoneMode, out: "a=b; SameSite=None"},
		{in: "a=b; SameSite", key: "a", value: "b", sameSite: CookieSameSiteDefaultMode, out: "a=b; SameSite"},
		{in: "a=b; SameSite=bogus", key: "a", value: "b", out: "a=b"},
		{in: "a=b; Partitioned; Secure", key: "a", value: "b", secure: true, partitioned: true, out: "a=b; secure; Partitioned"},
		{in: `a="quoted value"`, key: "a", value: "quoted value", out: "a=quoted value"},
		{in: "  a  =  b  ;  path = /p ", key: "a", value: "b", path: "/p", out: "a=b; path=/p"},
		{in: "novalue", value: "novalue", out: "novalue"},
		{in: "=v", value: "v", out: "v"},
		{in: ";", out: ""},
		{in: "a=b;;;path=/", key: "a", value: "b", path: "/", out: "a=b; path=/"},
		{in: "a=b; max-age=-1", key: "a", value: "b", maxAge: -1, out: "a=b; max-age=0"},
		{in: "a=b; max-age=0", key: "a", value: "b", maxAge: -1, out: "a=b; max-age=0"},
		{in: "a=b; max-age=abc", key: "a", value: "b", out: "a=b"},
		{in: "a=b; max-age=10; expires=Tue, 10 Nov 2009 23:00:00 GMT", key: "a", value: "b", maxAge: 10, expire: gmt, out: "a=b; max-age=10"},
		{in: "a=b=c", key: "a", value: "b=c", out: "a=b=c"},
		{in: "a=b; unknown=1; Foo", key: "a", value: "b", out: "a=b"},
		{in: "a=b; Path", key: "a", value: "b", out: "a=b"},
		{in: "a=b,c=d", key: "a", value: "b,c=d", out: "a=b,c=d"},
		{in: "\ta=b", key: "a", value: "b", out: "a=b"},
		{in: "a=b; Secure=1", key: "a", value: "b", secure: true, out: "a=b; secure"},
	}
	for _, c := range cases {
		var ck Cookie
		if err := ck.Parse(c.in); err != nil {
			t.Errorf("Parse(%q): %v", c.in, err)
			continue
		}
		if string(ck.Key()) != c.key || string(ck.Value()) != c.value || string(ck.Domain()) != c.domain ||
			string(ck.Path()) != c.path || !ck.Expire().Equal(c.expire) || ck.MaxAge() != c.maxAge ||
			ck.HTTPOnly() != c.httpOnly || ck.Secure() != c.secure || ck.SameSite() != c.sameSite ||
			ck.Partitioned() != c.partitioned {
			t.Errorf("Parse(%q) = key %q value %q domain %q path %q expire %v maxAge %d httpOnly %v secure %v sameSite %v partitioned %v",
				c.in, ck.Key(), ck.Value(), ck.Domain(), ck.Path(), ck.Expire(), ck.MaxAge(), ck.HTTPOnly(),
				ck.Secure(), ck.SameSite(), ck.Partitioned())
		}
		if got := string(ck.Cookie()); got != c.out {
			t.Errorf("Parse(%q).Cookie() = %q, want %q", c.in, got, c.out)
		}
	}
}

func TestCookieParseErrors(t *testing.T) {
	t.Parallel()
	var c Cookie
	if err := c.Parse(""); !errors.Is(err, ErrNoCookies) || err.Error() != "fasthttp: no cookies found" {
		t.Fatalf("Parse(\"\") = %v", err)
	}
	if err := c.ParseBytes([]byte("  ")); !errors.Is(err, ErrNoCookies) {
		t.Fatalf("Parse(spaces) = %v", err)
	}
	c.SetKey("old")
	if err := c.Parse(`a="q; path=/`); !errors.Is(err, ErrInvalidCookieValue) || err.Error() != "fasthttp: invalid cookie value" {
		t.Fatalf("unterminated quote: %v", err)
	}
	if len(c.Key()) != 0 {
		t.Fatal("a failed Parse must leave the cookie empty")
	}
}

// No setter and no parsed input can put a line break, NUL or an extra
// attribute into the Set-Cookie field.
func TestCookieNoInjection(t *testing.T) {
	t.Parallel()
	evil := "a\r\nSet-Cookie: x=y;\x00 domain=evil.com"
	setters := []func(c *Cookie){
		func(c *Cookie) { c.SetKey(evil) },
		func(c *Cookie) { c.SetKeyBytes([]byte(evil)) },
		func(c *Cookie) { c.SetValue(evil) },
		func(c *Cookie) { c.SetValueBytes([]byte(evil)) },
		func(c *Cookie) { c.SetPath(evil) },
		func(c *Cookie) { c.SetPathBytes([]byte(evil)) },
		func(c *Cookie) { c.SetDomain(evil) },
		func(c *Cookie) { c.SetDomainBytes([]byte(evil)) },
		func(c *Cookie) { _ = c.Parse("k=" + evil) },
		func(c *Cookie) { _ = c.Parse("k=v; path=/a\rb; domain=x\ny") },
	}
	for i, set := range setters {
		var c Cookie
		c.SetKey("k")
		c.SetValue("v")
		set(&c)
		out := c.Cookie()
		if bytes.ContainsAny(out, "\r\n\x00") {
			t.Errorf("setter %d: %q", i, out)
		}
		if strings.Count(string(out), ";") > strings.Count(string(out), "; ") || bytes.Contains(out, []byte("; domain=evil")) {
			t.Errorf("setter %d: attribute injected: %q", i, out)
		}
	}
	var c Cookie
	c.SetValue("a;b\tc")
	if got := string(c.Value()); got != "a b c" {
		t.Fatalf("SetValue sanitized to %q", got)
	}
}

func TestCookieCopyResetPool(t *testing.T) {
	t.Parallel()
	var src, dst Cookie
	_ = src.Parse("a=b; path=/; domain=x; max-age=3; secure; httponly; samesite=strict; partitioned")
	dst.SetValue("old")
	dst.CopyTo(&src)
	want := "a=b; max-age=3; domain=x; path=/; HttpOnly; secure; SameSite=Strict; Partitioned"
	if got := string(dst.Cookie()); got != want {
		t.Fatalf("CopyTo = %q", got)
	}
	dst.Reset()
	if got := string(dst.Cookie()); got != "" || !dst.Expire().IsZero() {
		t.Fatalf("Reset = %q", got)
	}
	c := AcquireCookie()
	c.SetKey("x")
	ReleaseCookie(c)
	c = AcquireCookie()
	defer ReleaseCookie(c)
	if len(c.Key()) != 0 {
		t.Fatal("pooled cookie not reset")
	}
}

func TestCookieParseAppendAllocs(t *testing.T) {
	var c Cookie
	in := []byte("session=abc123; Path=/; Domain=example.com; Max-Age=3600; Secure; HttpOnly; SameSite=Lax")
	var buf []byte
	_ = c.ParseBytes(in)
	buf = c.AppendBytes(buf[:0])
	n := testing.AllocsPerRun(100, func() {
		_ = c.ParseBytes(in)
		buf = c.AppendBytes(buf[:0])
	})
	if n != 0 {
		t.Fatalf("cookie parse+append allocates %v times", n)
	}
}

// Path is made absolute and cleaned, as upstream does: frameworks expect
// "path=/" for an empty path.
func TestCookieSetPathCleans(t *testing.T) {
	for in, want := range map[string]string{
		"": "/", "/": "/", "a/../b": "/b", "/a//b/": "/a/b/", "x": "/x", "/a b": "/a b",
	} {
		var c Cookie
		c.SetKey("k")
		c.SetPath(in)
		if got := string(c.Path()); got != want {
			t.Errorf("SetPath(%q): Path %q, want %q", in, got, want)
		}
		if got := c.String(); got != "k=; path="+want {
			t.Errorf("SetPath(%q): cookie %q", in, got)
		}
	}
}
