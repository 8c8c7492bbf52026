package fasthttp

import (
	"math"
	"net"
	"testing"
	"time"
)

func TestParseUint(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in   string
		n    int
		fail bool
	}{
		{"0", 0, false}, {"1", 1, false}, {"123", 123, false}, {"01", 1, false},
		{"9223372036854775807", math.MaxInt64, false},
		{"9223372036854775808", -1, true}, {"18446744073709551616", -1, true},
		{"", -1, true}, {"-1", -1, true}, {"+1", -1, true}, {" 1", -1, true},
		{"1 ", -1, true}, {"1a", -1, true}, {"a1", -1, true},
	}
	for _, c := range cases {
		n, err := ParseUint([]byte(c.in))
		if (err != nil) != c.fail || n != c.n {
			t.Errorf("ParseUint(%q) = %d, %v", c.in, n, err)
		}
	}
	if _, err := ParseUint(nil); err == nil || err.Error() != "empty integer" {
		t.Errorf("ParseUint(nil) error = %v", err)
	}
}

func TestAppendUint(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, 7, 10, 99, 12345, math.MaxInt64} {
		got := string(AppendUint([]byte("x"), n))
		want := "x" + itoaForTest(n)
		if got != want {
			t.Errorf("AppendUint(%d) = %q", n, got)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("AppendUint(-1) did not panic")
		}
	}()
	AppendUint(nil, -1)
}

func itoaForTest(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

func TestParseUfloat(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in   string
		f    float64
		fail bool
	}{
		{"0", 0, false}, {"1.5", 1.5, false}, {"1e3", 1000, false}, {"1E-2", 0.01, false},
		{".5", 0.5, false}, {"5.", 5, false}, {"00.5", 0.5, false}, {"+1", 1, false},
		{"1e+2", 100, false}, {"123.456", 123.456, false}, {"0.1", 0.1, false},
		{"99999999999999999999", 1e20, false}, {"1.7976931348623157e308", math.MaxFloat64, false},
		{"-1", -1, true}, {"1..2", -1, true}, {"abc", -1, true}, {"", -1, true},
		{"1e", -1, true}, {"1.5e", -1, true}, {".", -1, true}, {"e5", -1, true},
		{"1e400", -1, true}, {"0x10", -1, true},
	}
	for _, c := range cases {
		f, err := ParseUfloat([]byte(c.in))
		if (err != nil) != c.fail || f != c.f {
			t.Errorf("ParseUfloat(%q) = %v, %v", c.in, f, err)
		}
	}
	if _, err := ParseUfloat([]byte("-2")); err == nil || err.Error() != "negative input is invalid" {
		t.Errorf("ParseUfloat(-2) error = %v", err)
	}
}

func TestParseIPv4(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in, want string
		fail     bool
	}{
		{"1.2.3.4", "1.2.3.4", false},
		{"255.255.255.255", "255.255.255.255", false},
		{"0.0.0.0", "0.0.0.0", false},
		{"01.2.3.04", "1.2.3.4", false},
		{"256.1.1.1", "0.0.0.0", true},
		{"1.2.3", "1.2.0.0", true},
		{"1.2.3.4.5", "1.2.3.0", true},
		{"a.b.c.d", "0.0.0.0", true},
		{" 1.2.3.4", "0.0.0.0", true},
	}
	for _, c := range cases {
		ip, err := ParseIPv4(nil, []byte(c.in))
		if (err != nil) != c.fail || ip.String() != c.want {
			t.Errorf("ParseIPv4(%q) = %v, %v", c.in, ip, err)
		}
	}
	if _, err := ParseIPv4(nil, nil); err == nil {
		t.Error("empty accepted")
	}
	// dst memory is reused.
	dst := make(net.IP, 4)
	ip, err := ParseIPv4(dst, []byte("9.8.7.6"))
	if err != nil || &ip[0] != &dst[0] {
		t.Errorf("dst not reused: %v %v", ip, err)
	}
	if got := string(AppendIPv4(nil, net.IPv4(1, 2, 3, 4))); got != "1.2.3.4" {
		t.Errorf("AppendIPv4 = %q", got)
	}
	if got := string(AppendIPv4(nil, net.ParseIP("::1"))); got != "non-v4 ip passed to AppendIPv4" {
		t.Errorf("AppendIPv4(v6) = %q", got)
	}
}

func TestHTTPDate(t *testing.T) {
	t.Parallel()
	want := time.Date(2006, 1, 2, 15, 4, 5, 0, time.UTC)
	for _, s := range []string{
		"Mon, 02 Jan 2006 15:04:05 GMT",
		"Mon, 02 Jan 2006 15:04:05 UTC", // time.RFC1123 of a UTC time
		"Monday, 02-Jan-06 15:04:05 GMT",
		"Mon Jan  2 15:04:05 2006",
	} {
		got, err := ParseHTTPDate([]byte(s))
		if err != nil || !got.Equal(want) {
			t.Errorf("ParseHTTPDate(%q) = %v, %v", s, got, err)
		}
	}
	for _, s := range []string{"Mon, 02 Jan 2006 15:04:05 CET", "Mon, 02 Jan 2006 15:04:05 +0000", "garbage", "Mon, 2 Jan 2006 15:04:05 GMT", ""} {
		if _, err := ParseHTTPDate([]byte(s)); err == nil {
			t.Errorf("ParseHTTPDate(%q) accepted", s)
		}
	}
	got := string(AppendHTTPDate([]byte("x"), time.Date(2030, 1, 2, 3, 4, 5, 0, time.FixedZone("X", 3600))))
	if got != "xWed, 02 Jan 2030 02:04:05 GMT" {
		t.Errorf("AppendHTTPDate = %q", got)
	}
}

func TestQuoting(t *testing.T) {
	t.Parallel()
	if got := string(AppendQuotedArg(nil, []byte("a b*~-._/?=&+é"))); got != "a+b%2A~-._%2F%3F%3D%26%2B%C3%A9" {
		t.Errorf("AppendQuotedArg = %q", got)
	}
	unq := []struct{ in, want string }{
		{"a%20b", "a b"}, {"a+b", "a b"}, {"%zz", "%zz"}, {"%4", "%4"}, {"%", "%"},
		{"%41%42", "AB"}, {"%e2%82%ac", "€"}, {"a%2Bb", "a+b"}, {"%00", "\x00"}, {"%%41", "%A"}, {"%4g", "%4g"},
	}
	for _, c := range unq {
		if got := string(AppendUnquotedArg(nil, []byte(c.in))); got != c.want {
			t.Errorf("AppendUnquotedArg(%q) = %q", c.in, got)
		}
	}
	// dst may be src: decoding never writes ahead of reading.
	b := []byte("a%20b%2Bc")
	if got := string(AppendUnquotedArg(b[:0], b)); got != "a b+c" {
		t.Errorf("in-place AppendUnquotedArg = %q", got)
	}
	if got := string(AppendHTMLEscape(nil, `<a href='x'>&"</a>`)); got != "&lt;a href=&#39;x&#39;&gt;&amp;&#34;&lt;/a&gt;" {
		t.Errorf("AppendHTMLEscape = %q", got)
	}
	if got := string(AppendHTMLEscapeBytes([]byte("x"), []byte("plain"))); got != "xplain" {
		t.Errorf("AppendHTMLEscapeBytes = %q", got)
	}
}

func TestTimersAndCoarseTime(t *testing.T) {
	t.Parallel()
	tm := AcquireTimer(time.Millisecond)
	select {
	case <-tm.C:
	case <-time.After(5 * time.Second):
		t.Fatal("timer did not fire")
	}
	ReleaseTimer(tm)
	tm = AcquireTimer(time.Hour)
	ReleaseTimer(tm)
	tm = AcquireTimer(time.Millisecond)
	select {
	case <-tm.C:
	case <-time.After(5 * time.Second):
		t.Fatal("reused timer did not fire")
	}
	ReleaseTimer(tm)
	now := CoarseTimeNow()
	if now.Nanosecond() != 0 || time.Since(now) > 2*time.Second {
		t.Fatalf("CoarseTimeNow = %v", now)
	}
}

func TestStatusMessage(t *testing.T) {
	t.Parallel()
	cases := map[int]string{
		0: "Unknown Status Code", 99: "Unknown Status Code", 100: "Continue", 200: "OK",
		299: "Unknown Status Code", 418: "I'm a teapot", 425: "Unknown Status Code",
		599: "Unknown Status Code", 600: "Unknown Status Code", -1: "Unknown Status Code",
		404: "Not Found", 511: "Network Authentication Required",
	}
	for code, want := range cases {
		if got := StatusMessage(code); got != want {
			t.Errorf("StatusMessage(%d) = %q, want %q", code, got, want)
		}
	}
	for code := 0; code < 700; code++ {
		want := code == 301 || code == 302 || code == 303 || code == 307 || code == 308
		if StatusCodeIsRedirect(code) != want {
			t.Errorf("StatusCodeIsRedirect(%d) = %v", code, !want)
		}
	}
}
