package fasthttp

import (
	"bytes"
	"errors"
	"net/http"
	"strings"
	"testing"
)

func TestURIParse(t *testing.T) {
	t.Parallel()
	cases := []struct {
		host, uri                          string
		scheme, gotHost, path, orig, query string
		hash, requestURI, full             string
	}{
		{"", "http://Example.COM/a/../b//c?x=1#frag", "http", "example.com", "/b/c", "/a/../b//c", "x=1", "frag", "/b/c?x=1", "http://example.com/b/c?x=1#frag"},
		{"", "HTTPS://example.com:443/", "https", "example.com:443", "/", "/", "", "", "/", "https://example.com:443/"},
		{"", "http://host", "http", "host", "/", "/", "", "", "/", "http://host/"},
		{"", "http://host?x", "http", "host", "/", "", "x", "", "/?x", "http://host/?x"},
		{"", "http://host#x", "http", "host", "/", "", "", "x", "/", "http://host/#x"},
		{"", "http://[::1]:8080/x", "http", "[::1]:8080", "/x", "/x", "", "", "/x", "http://[::1]:8080/x"},
		{"", "http://[fe80::1%25eth0]:8080/", "http", "[fe80::1%eth0]:8080", "/", "/", "", "", "/", "http://[fe80::1%eth0]:8080/"},
		{"", "ftp://host/x", "ftp", "host", "/x", "/x", "", "", "/x", "ftp://host/x"},
		{"", "//host/x", "http", "host", "/x", "/x", "", "", "/x", "http://host/x"},
		{"given", "//other/x", "http", "given", "/other/x", "//other/x", "", "", "/other/x", "http://given/other/x"},
		{"Host.COM", "/a/b?c", "http", "host.com", "/a/b", "/a/b", "c", "", "/a/b?c", "http://host.com/a/b?c"},
		{"Host.COM", "a/b", "http", "host.com", "/a/b", "a/b", "", "", "/a/b", "http://host.com/a/b"},
		{"h", "/a/./b/../../../c", "http", "h", "/c", "/a/./b/../../../c", "", "", "/c", "http://h/c"},
		{"h", "/a/%2e%2e/b", "http", "h", "/b", "/a/%2e%2e/b", "", "", "/b", "http://h/b"},
		{"h", "/a/..", "http", "h", "/", "/a/..", "", "", "/", "http://h/"},
		{"h", "/a/.", "http", "h", "/a/", "/a/.", "", "", "/a/", "http://h/a/"},
		{"h", "/a//b///c/", "http", "h", "/a/b/c/", "/a//b///c/", "", "", "/a/b/c/", "http://h/a/b/c/"},
		{"h", "/a%20b+c%zz%4", "http", "h", "/a b+c%zz%4", "/a%20b+c%zz%4", "", "", "/a%20b+c%25zz%254", "http://h/a%20b+c%25zz%254"},
		{"h", "/%2F%2f", "http", "h", "/", "/%2F%2f", "", "", "/", "http://h/"},
		{"h", "/..%2f..%2fetc/passwd", "http", "h", "/etc/passwd", "/..%2f..%2fetc/passwd", "", "", "/etc/passwd", "http://h/etc/passwd"},
		{"h", "/a?b?c#d#e", "http", "h", "/a", "/a", "b?c", "d#e", "/a?b?c", "http://h/a?b?c#d#e"},
		{"h", "/a#b?c", "http", "h", "/a", "/a", "", "b?c", "/a", "http://h/a#b?c"},
		{"h", "/\u043f\u0440", "http", "h", "/\u043f\u0440", "/\u043f\u0440", "", "", "/%D0%BF%D1%80", "http://h/%D0%BF%D1%80"},
		{"h", "/a\\b\\..\\c", "http", "h", "/a\\b\\..\\c", "/a\\b\\..\\c", "", "", "/a%5Cb%5C..%5Cc", "http://h/a%5Cb%5C..%5Cc"},
		{"h", "*", "http", "h", "/*", "*", "", "", "/%2A", "http://h/%2A"},
		{"", "http://h/p;param?q", "http", "h", "/p;param", "/p;param", "q", "", "/p;param?q", "http://h/p;param?q"},
		{"", "mailto:x@y", "http", "", "/mailto:x@y", "mailto:x@y", "", "", "/mailto:x@y", "http:///mailto:x@y"},
		{"", "a+b.c-d://x/", "a+b.c-d", "x", "/", "/", "", "", "/", "a+b.c-d://x/"},
	}
	for _, c := range cases {
		var u URI
		var host []byte
		if c.host != "" {
			host = []byte(c.host)
		}
		if err := u.Parse(host, []byte(c.uri)); err != nil {
			t.Errorf("Parse(%q, %q): %v", c.host, c.uri, err)
			continue
		}
		got := []string{string(u.Scheme()), string(u.Host()), string(u.Path()), string(u.PathOriginal()),
			string(u.QueryString()), string(u.Hash()), string(u.RequestURI()), string(u.FullURI())}
		want := []string{c.scheme, c.gotHost, c.path, c.orig, c.query, c.hash, c.requestURI, c.full}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("Parse(%q, %q) part %d = %q, want %q", c.host, c.uri, i, got[i], want[i])
			}
		}
		if u.String() != c.full {
			t.Errorf("String() = %q, want %q", u.String(), c.full)
		}
	}
}

func TestURIParseUserinfo(t *testing.T) {
	t.Parallel()
	var u URI
	if err := u.Parse(nil, []byte("https://us%20er:pa%3Ass@host.com:8080/p")); err != nil {
		t.Fatal(err)
	}
	if string(u.Username()) != "us er" || string(u.Password()) != "pa:ss" {
		t.Fatalf("userinfo = %q %q", u.Username(), u.Password())
	}
	// FullURI never carries the credentials.
	if got := string(u.FullURI()); got != "https://host.com:8080/p" {
		t.Fatalf("FullURI = %q", got)
	}
	if err := u.Parse(nil, []byte("http://a@b@h/")); err != nil || string(u.Username()) != "a@b" || string(u.Host()) != "h" {
		t.Fatalf("last @ splits userinfo: %v %q %q", err, u.Username(), u.Host())
	}
}

func TestURIParseRefuses(t *testing.T) {
	t.Parallel()
	cases := []struct {
		host, uri string
		invalid   bool // errors.Is(err, ErrorInvalidURI)
	}{
		{"", "http://x\ty/", true},
		{"", "http://x\ny/", true},
		{"h", "/x\ny", true},
		{"h", "/x\x00y", true},
		{"h", "/x\ry", true},
		{"h", "/x\x7fy", true},
		{"h\r\n", "/x", true},
		{"", "1http://x/", false},
		{"", "ht_tp://x/", false},
		{"", "http://h:abc/", false},
		{"", "http://h:-1/", false},
		{"", "http://[::1/", false},
		{"", "http://[::1]x/", false},
		{"", "http://[v1.x]/", false},
		{"", "http://[]/", false},
		{"", "http://h:80:80/", false},
		{"", "http://h%41/", false},
		{"", "http://x y/", false},
		{"", "http://ho<st/", false},
		{"h/x", "/", false},
	}
	for _, c := range cases {
		var u URI
		var host []byte
		if c.host != "" {
			host = []byte(c.host)
		}
		err := u.Parse(host, []byte(c.uri))
		if err == nil {
			t.Errorf("Parse(%q, %q) accepted: %q", c.host, c.uri, u.FullURI())
			continue
		}
		if c.invalid != errors.Is(err, ErrorInvalidURI) {
			t.Errorf("Parse(%q, %q) = %v, want ErrorInvalidURI: %v", c.host, c.uri, err, c.invalid)
		}
		// A refused URI leaves nothing behind.
		if len(u.Host()) != 0 || string(u.Path()) != "/" {
			t.Errorf("Parse(%q, %q) left %q", c.host, c.uri, u.FullURI())
		}
	}
	// Empty ports and unusual but legal hosts are accepted.
	for _, h := range []string{"h:", "[::1]:", "h:0", "h_x", "1.2.3.4:65535", "xn--d1acufc.xn--p1ai"} {
		var u URI
		if err := u.Parse([]byte(h), []byte("/")); err != nil {
			t.Errorf("host %q refused: %v", h, err)
		}
	}
}

func TestURIDisablePathNormalizing(t *testing.T) {
	t.Parallel()
	var u URI
	u.DisablePathNormalizing = true
	if err := u.Parse(nil, []byte("http://h/a//b/../c%2f?q=1")); err != nil {
		t.Fatal(err)
	}
	// Parse starts from a reset URI, the flag included.
	if u.DisablePathNormalizing {
		t.Fatal("Parse kept DisablePathNormalizing")
	}
	u.DisablePathNormalizing = true
	if got := string(u.RequestURI()); got != "/a//b/../c%2f?q=1" {
		t.Fatalf("RequestURI = %q", got)
	}
	// Path is normalized whatever the flag says.
	if got := string(u.Path()); got != "/a/c/" {
		t.Fatalf("Path = %q", got)
	}
	u.SetPath("/x y//z")
	if got := string(u.RequestURI()); got != "/x%20y//z?q=1" {
		t.Fatalf("RequestURI after SetPath = %q", got)
	}
	var d URI
	u.CopyTo(&d)
	if !d.DisablePathNormalizing {
		t.Fatal("CopyTo lost DisablePathNormalizing")
	}
	d.Reset()
	if d.DisablePathNormalizing {
		t.Fatal("Reset kept DisablePathNormalizing")
	}
}

func TestURIUpdate(t *testing.T) {
	t.Parallel()
	cases := []struct{ base, update, want string }{
		{"http://base.com/a/b/c?q=1#h", "http://other.com/x?y#z", "http://other.com/x?y#z"},
		{"http://base.com/a/b/c?q=1#h", "//other.com/p", "http://other.com/p"},
		{"https://base.com/a/b/c?q=1#h", "//other.com/p", "https://other.com/p"},
		{"http://base.com/a/b/c?q=1#h", "/abs?q=2", "http://base.com/abs?q=2"},
		{"http://base.com/a/b/c?q=1#h", "?only", "http://base.com/a/b/c?only#h"},
		{"http://base.com/a/b/c?q=1#h", "?q#n", "http://base.com/a/b/c?q#n"},
		{"http://base.com/a/b/c?q=1#h", "#frag", "http://base.com/a/b/c?q=1#frag"},
		{"http://base.com/a/b/c?q=1#h", "rel", "http://base.com/a/b/rel"},
		{"http://base.com/a/b/c?q=1#h", "rel?x=1", "http://base.com/a/b/rel?x=1"},
		{"http://base.com/a/b/c?q=1#h", "../up", "http://base.com/a/up"},
		{"http://base.com/a/b/c?q=1#h", "../../../../up", "http://base.com/up"},
		{"http://base.com/a/b/c?q=1#h", "./same", "http://base.com/a/b/same"},
		{"http://base.com/a/b/c?q=1#h", "", "http://base.com/a/b/c?q=1#h"},
		{"http://base.com/a/b/c?q=1#h", "a b", "http://base.com/a/b/a%20b"},
		{"http://base.com/dir/", "x/../y", "http://base.com/dir/y"},
		{"http://base.com/dir/", "..", "http://base.com/"},
		{"http://base.com/a%2Fb/c", "d", "http://base.com/a/b/d"},
		{"http://base.com/a%25b/c", "d", "http://base.com/a%25b/d"},
		{"http://base.com", "https://o.com", "https://o.com/"},
		{"http://base.com", "mailto:x", "http://base.com/mailto:x"},
	}
	for _, c := range cases {
		var u URI
		if err := u.Parse(nil, []byte(c.base)); err != nil {
			t.Fatal(err)
		}
		if err := u.UpdateBytesErr([]byte(c.update)); err != nil {
			t.Errorf("UpdateBytesErr(%q): %v", c.update, err)
		}
		if got := string(u.FullURI()); got != c.want {
			t.Errorf("%q + %q = %q, want %q", c.base, c.update, got, c.want)
		}
		var u2 URI
		_ = u2.Parse(nil, []byte(c.base))
		u2.Update(c.update)
		if got := string(u2.FullURI()); got != c.want {
			t.Errorf("Update: %q + %q = %q, want %q", c.base, c.update, got, c.want)
		}
	}
}

func TestURIUpdateUserinfo(t *testing.T) {
	t.Parallel()
	var u URI
	_ = u.Parse(nil, []byte("https://u:p@base.com/dir/"))
	u.Update("?q")
	if string(u.Username()) != "u" {
		t.Fatal("query update dropped the userinfo")
	}
	u.Update("/other")
	if len(u.Username()) != 0 || len(u.Password()) != 0 {
		t.Fatal("path update kept the userinfo")
	}
	u.Update("//user:pw@o.com/x")
	if string(u.Username()) != "user" || string(u.Host()) != "o.com" || string(u.Scheme()) != "https" {
		t.Fatalf("scheme-relative update: %q %q %q", u.Username(), u.Host(), u.Scheme())
	}
}

func TestURIUpdateRefusesControlBytes(t *testing.T) {
	t.Parallel()
	for _, up := range []string{"/p\nq", "?a\rb", "#a\x00b", "http://h/\r\n", "rel\x7f"} {
		var u URI
		_ = u.Parse(nil, []byte("http://base.com/a?q=1#h"))
		if err := u.UpdateBytesErr([]byte(up)); !errors.Is(err, ErrorInvalidURI) {
			t.Errorf("UpdateBytesErr(%q) = %v", up, err)
		}
		u.Update(up)
		if got := string(u.FullURI()); got != "http://base.com/a?q=1#h" {
			t.Errorf("Update(%q) changed the URI to %q", up, got)
		}
	}
	var u URI
	if err := u.UpdateBytesErr([]byte("1x://h/")); err == nil {
		t.Fatal("bad scheme accepted")
	}
}

func TestURIQueryArgs(t *testing.T) {
	t.Parallel()
	var u URI
	_ = u.Parse(nil, []byte("http://h/p?a=1&b"))
	qa := u.QueryArgs()
	if qa.Len() != 2 || string(qa.Peek("a")) != "1" || !qa.Has("b") {
		t.Fatalf("QueryArgs = %q", qa.String())
	}
	qa.Add("c", "x y")
	if got := string(u.RequestURI()); got != "/p?a=1&b&c=x+y" {
		t.Fatalf("RequestURI = %q", got)
	}
	// QueryString keeps the text parsed or set; args changes show in
	// RequestURI and FullURI only.
	if got := string(u.QueryString()); got != "a=1&b" {
		t.Fatalf("QueryString = %q", got)
	}
	qa.Reset()
	if got := string(u.RequestURI()); got != "/p" {
		t.Fatalf("RequestURI after Reset = %q", got)
	}
	u.SetQueryString("n=2")
	if string(u.QueryArgs().Peek("n")) != "2" || string(u.FullURI()) != "http://h/p?n=2" {
		t.Fatalf("SetQueryString: %q", u.FullURI())
	}
	var d URI
	u.QueryArgs().Set("m", "3")
	u.CopyTo(&d)
	if got := string(d.RequestURI()); got != "/p?n=2&m=3" {
		t.Fatalf("CopyTo RequestURI = %q", got)
	}
}

func TestURISetters(t *testing.T) {
	t.Parallel()
	var u URI
	u.SetScheme("HTTPS")
	u.SetHost("EXAMPLE.com:8443")
	u.SetPath("/a b/../c%20d")
	u.SetQueryString("x=1")
	u.SetHash("h")
	u.SetUsername("us")
	u.SetPassword("pw")
	if got := string(u.FullURI()); got != "https://example.com:8443/c%20d?x=1#h" {
		t.Fatalf("FullURI = %q", got)
	}
	if string(u.Path()) != "/c d" || string(u.LastPathSegment()) != "c d" {
		t.Fatalf("Path %q LastPathSegment %q", u.Path(), u.LastPathSegment())
	}
	u.SetPathBytes([]byte("/foo/bar/"))
	if len(u.LastPathSegment()) != 0 {
		t.Fatalf("LastPathSegment = %q", u.LastPathSegment())
	}
	var empty URI
	if string(empty.FullURI()) != "http:///" || string(empty.Path()) != "/" || string(empty.Scheme()) != "http" {
		t.Fatalf("empty URI: %q", empty.FullURI())
	}
	var b bytes.Buffer
	if _, err := u.WriteTo(&b); err != nil || b.String() != "https://example.com:8443/foo/bar/?x=1#h" {
		t.Fatalf("WriteTo = %q, %v", b.String(), err)
	}
	if got := string(u.AppendBytes([]byte("x:"))); got != "x:https://example.com:8443/foo/bar/?x=1#h" {
		t.Fatalf("AppendBytes = %q", got)
	}
}

// Whatever a setter is given, RequestURI and FullURI hold no CR, LF or
// NUL: they are percent-encoded.
func TestURIOutputHasNoControlBytes(t *testing.T) {
	t.Parallel()
	evil := "a\r\nX-Injected: 1\x00"
	for _, nonorm := range []bool{false, true} {
		var u URI
		u.SetHost("h")
		u.SetPath("/" + evil)
		u.SetQueryString(evil)
		u.SetHash(evil)
		u.DisablePathNormalizing = nonorm
		for _, out := range [][]byte{u.RequestURI(), u.FullURI()} {
			if bytes.ContainsAny(out, "\r\n\x00") {
				t.Errorf("nonorm=%v: output %q holds control bytes", nonorm, out)
			}
		}
		u.SetHost(evil)
		if bytes.ContainsAny(u.FullURI(), "\r\n\x00") {
			t.Errorf("host control bytes reached FullURI: %q", u.FullURI())
		}
	}
}

func TestURIPool(t *testing.T) {
	t.Parallel()
	u := AcquireURI()
	_ = u.Parse(nil, []byte("http://h/x?y#z"))
	u.DisablePathNormalizing = true
	ReleaseURI(u)
	u = AcquireURI()
	defer ReleaseURI(u)
	if string(u.FullURI()) != "http:///" || u.DisablePathNormalizing {
		t.Fatalf("pooled URI not reset: %q", u.FullURI())
	}
}

func TestAddMissingPort(t *testing.T) {
	t.Parallel()
	cases := []struct{ in, http, https string }{
		{"host", "host:80", "host:443"},
		{"host:8080", "host:8080", "host:8080"},
		{"[::1]", "[::1]:80", "[::1]:443"},
		{"[::1]:8080", "[::1]:8080", "[::1]:8080"},
		{"[::1%lo0]", "[::1%lo0]:80", "[::1%lo0]:443"},
		{"::1", "::1", "::1"},
		{"", "", ""},
		{"host:", "host:", "host:"},
	}
	for _, c := range cases {
		if got := AddMissingPort(c.in, false); got != c.http {
			t.Errorf("AddMissingPort(%q, false) = %q, want %q", c.in, got, c.http)
		}
		if got := AddMissingPort(c.in, true); got != c.https {
			t.Errorf("AddMissingPort(%q, true) = %q, want %q", c.in, got, c.https)
		}
	}
}

func TestNormalizePathProperties(t *testing.T) {
	t.Parallel()
	for _, p := range []string{"", "/", "//", "/..", "/../..", "/a/../..", "/./././", "/...", "/.a/..b/", "a/b", "/%2e%2E/x", "/a%00/b"} {
		got := string(normalizePath(nil, []byte(p)))
		if !strings.HasPrefix(got, "/") {
			t.Errorf("normalizePath(%q) = %q: no leading slash", p, got)
		}
		if strings.Contains(got, "//") || strings.Contains(got, "/../") || strings.HasSuffix(got, "/..") || strings.Contains(got, "/./") {
			t.Errorf("normalizePath(%q) = %q: not normalized", p, got)
		}
		// Normalizing is idempotent on a path without '%'.
		if !strings.Contains(got, "%") {
			if again := string(normalizePath(nil, []byte(got))); again != got {
				t.Errorf("normalizePath(%q) = %q, then %q", p, got, again)
			}
		}
	}
}

// A redirect target can never put a line break into Location: the URI
// refuses control bytes, and what it writes is percent-encoded.
func TestRedirectLocationNoInjection(t *testing.T) {
	t.Parallel()
	for _, host := range mdlHosts(t) {
		s := &Server{Handler: func(ctx *RequestCtx) {
			ctx.Redirect(string(ctx.QueryArgs().Peek("to")), StatusFound)
		}}
		addr := mdlServe(t, s, host)
		c := mdlHTTPClient()
		c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		cases := []struct{ to, want string }{
			{"/x%0D%0ASet-Cookie:%20evil=1", "http://" + addr + "/?to=%2Fx%0D%0ASet-Cookie%3A+evil%3D1"},
			{"/a%20b?q=1", "http://" + addr + "/a%20b?q=1"},
			{"rel", "http://" + addr + "/rel"},
			{"https://other.example/p", "https://other.example/p"},
		}
		for _, tc := range cases {
			resp, err := c.Get("http://" + addr + "/?to=" + tc.to)
			if err != nil {
				t.Fatalf("%s: %v", host, err)
			}
			_ = resp.Body.Close()
			loc := resp.Header.Get("Location")
			if resp.StatusCode != StatusFound || len(resp.Cookies()) != 0 || strings.ContainsAny(loc, "\r\n") {
				t.Fatalf("%s %q: status %d cookies %v location %q", host, tc.to, resp.StatusCode, resp.Cookies(), loc)
			}
			if loc != tc.want {
				t.Errorf("%s %q: Location %q, want %q", host, tc.to, loc, tc.want)
			}
		}
	}
}

// Path decodes every percent-encoding but "%00": a decoded path never
// holds a NUL.
func TestURIPathKeepsEncodedNUL(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"http://h/a%00b":      "/a%00b",
		"http://h/%00/../c":   "/c",
		"http://h/%2500":      "/%00",
		"http://h/a%20%00%41": "/a %00A",
		"http://h/%0":         "/%0",
	} {
		var u URI
		if err := u.Parse(nil, []byte(in)); err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		if got := string(u.Path()); got != want {
			t.Errorf("%s: Path %q, want %q", in, got, want)
		}
	}
}
