package fasthttp

import (
	"strings"
	"testing"
)

func TestVisitHeaderParams(t *testing.T) {
	for in, want := range map[string]string{
		`text/html; charset=utf-8; q="0.5"`:   "charset=utf-8,q=0.5",
		"a;b=1;c=2":                           "b=1,c=2",
		"a ; b=1":                             "b=1",
		"a;;b=1":                              "b=1",
		"a; b=1;":                             "b=1",
		"a; B=1":                              "B=1",
		`a; b=""; c=1`:                        "b=,c=1",
		`a; b="x\"y"; c=3`:                    `b=x\"y,c=3`,
		`a; b="x;y"; c=3`:                     "b=x;y,c=3",
		"a; b=1 2; c=3":                       "b=1,c=3",
		`text/html; charset="utf-8"x; c=1`:    "charset=utf-8,c=1",
		"a; b=1,c=2":                          "b=1",
		"nosemi=1":                            "",
		"a; b=":                               "", // malformed: stop
		"a; =c; d=1":                          "",
		"a; b = 1 ; c=2":                      "",
		"a; b":                                "",
		`a=1; b="unterminated; c=3`:           "",
		"multipart/form-data; boundary=----x": "boundary=----x",
	} {
		var got []string
		VisitHeaderParams([]byte(in), func(k, v []byte) bool {
			got = append(got, string(k)+"="+string(v))
			return true
		})
		if strings.Join(got, ",") != want {
			t.Errorf("VisitHeaderParams(%q) = %q, want %q", in, got, want)
		}
	}
	n := 0
	VisitHeaderParams([]byte("a; b=1; c=2; d=3"), func(k, v []byte) bool {
		n++
		return n < 2
	})
	if n != 2 {
		t.Fatalf("stop after false: %d calls", n)
	}
}

func TestAppendNormalizedHeaderKey(t *testing.T) {
	for in, want := range map[string]string{
		"content-type":     "Content-Type",
		"x-foo-BAR":        "X-Foo-Bar",
		"-a--b-":           "-A--B-",
		"x_foo_bar":        "X_foo_bar",
		"www-authenticate": "Www-Authenticate",
		"x foo":            "x foo", // not a token: unchanged
		"ä-ü":              "ä-ü",
		"x:y":              "x:y",
		"":                 "",
	} {
		if got := string(AppendNormalizedHeaderKey([]byte("pre:"), in)); got != "pre:"+want {
			t.Errorf("AppendNormalizedHeaderKey(%q) = %q", in, got)
		}
		if got := string(AppendNormalizedHeaderKeyBytes(nil, []byte(in))); got != want {
			t.Errorf("AppendNormalizedHeaderKeyBytes(%q) = %q", in, got)
		}
	}
}

func TestLookupFieldIsExact(t *testing.T) {
	names := map[string]fieldID{
		HeaderHost: fieldHost, HeaderDate: fieldDate, HeaderCookie: fieldCookie, HeaderServer: fieldServer,
		HeaderTrailer: fieldTrailer, HeaderConnection: fieldConnection, HeaderSetCookie: fieldSetCookie,
		HeaderUserAgent: fieldUserAgent, HeaderContentType: fieldContentType, HeaderContentLength: fieldContentLength,
		HeaderContentEncoding: fieldContentEncoding, HeaderTransferEncoding: fieldTransferEncoding,
	}
	for name, id := range names {
		for _, v := range []string{name, strings.ToLower(name), strings.ToUpper(name)} {
			if got := lookupField([]byte(v), false); got != id {
				t.Errorf("lookupField(%q) = %d, want %d", v, got, id)
			}
		}
		// A control byte that folds onto '-' or a letter under a naive
		// case-insensitive compare must not match.
		for i := range name {
			b := []byte(name)
			b[i] ^= 0x20
			if got := lookupField(b, false); got != fieldOther && strings.ToLower(string(b)) != strings.ToLower(name) {
				t.Errorf("lookupField(%q) = %d", b, got)
			}
		}
	}
	// A canonical key is compared exactly.
	if lookupField([]byte("Content-Type"), true) != fieldContentType || lookupField([]byte("content-type"), true) != fieldOther {
		t.Error("canonical lookup is not exact")
	}
	for _, other := range []string{"", "X", "Hosts", "Content-Typ", "Accept", "Content\rType"} {
		if got := lookupField([]byte(other), false); got != fieldOther {
			t.Errorf("lookupField(%q) = %d", other, got)
		}
	}
}

func TestHeaderNameConstantsFoundInAnyCase(t *testing.T) {
	// Set with any spelling, Peek with the constant: normalization must map
	// both onto the same stored name.
	for _, name := range []string{HeaderAccept, HeaderAuthorization, HeaderCacheControl, HeaderContentDisposition,
		HeaderXForwardedFor, HeaderXRequestedWith, HeaderLastModified, HeaderIfModifiedSince, HeaderLocation,
		HeaderAccessControlAllowOrigin, HeaderStrictTransportSecurity, HeaderXContentTypeOptions} {
		if got := string(AppendNormalizedHeaderKey(nil, strings.ToLower(name))); got != name {
			t.Errorf("%s normalizes to %s", name, got)
		}
		var h RequestHeader
		h.Set(strings.ToUpper(name), "v")
		var r ResponseHeader
		r.Set(strings.ToLower(name), "v")
		if string(h.Peek(name)) != "v" || string(r.Peek(name)) != "v" {
			t.Errorf("Peek(%s) after Set in another case", name)
		}
	}
}

func TestValidHost(t *testing.T) {
	for host, want := range map[string]bool{
		"": true, "example.com": true, "example.com:80": true, "127.0.0.1:8080": true, "[::1]": true,
		"[::1]:443": true, "[2001:db8::1]": true, "[::ffff:1.2.3.4]": true, "a_b-c~d.e": true, "x!$&'()*+,;=": true,
		"h:": true, "h:65535": true,
		"u@h": false, "a b": false, "a/b": false, "a?b": false, "a#b": false, "h:123456": false,
		"h:8a": false, "a:b:80": false, "[::1": false, "[]": false, "[::1]x": false, "[g::1]": false,
		// Percent-encodings and zones would not read back as sent.
		"a%20b": false, "a%2": false, "a%zz": false, "[fe80::1%25eth0]": false, "[1.2.3.4]": false, "[1::2::3]": false, "h\x00": false, "h\r": false, "\xc3\xa9": false,
	} {
		if got := validHost([]byte(host)); got != want {
			t.Errorf("validHost(%q) = %v, want %v", host, got, want)
		}
	}
}
