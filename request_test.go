package fasthttp

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// mdlWriteRequest returns what req.Write sends.
func mdlWriteRequest(t *testing.T, req *Request) (string, error) {
	t.Helper()
	var b bytes.Buffer
	w := bufio.NewWriter(&b)
	err := req.Write(w)
	_ = w.Flush()
	return b.String(), err
}

func TestRequestWrite(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		setup func(r *Request)
		want  string
	}{
		{"absolute", func(r *Request) { r.SetRequestURI("http://Example.com/a/../b?x=1#frag") },
			"GET /b?x=1 HTTP/1.1\r\nHost: example.com\r\n\r\n"},
		{"userinfo", func(r *Request) { r.SetRequestURI("http://us:pw@example.com/x") },
			"GET /x HTTP/1.1\r\nHost: example.com\r\nAuthorization: Basic dXM6cHc=\r\n\r\n"},
		{"relative with Host", func(r *Request) { r.SetRequestURI("/x?y"); r.Header.SetHost("h.com") },
			"GET /x?y HTTP/1.1\r\nHost: h.com\r\n\r\n"},
		{"SetHost", func(r *Request) { r.SetRequestURI("http://a.com/x"); r.SetHost("b.com") },
			"GET /x HTTP/1.1\r\nHost: b.com\r\n\r\n"},
		{"UseHostHeader", func(r *Request) {
			r.SetRequestURI("http://a.com/x")
			r.Header.SetHost("b.com")
			r.UseHostHeader = true
			r.URI()
		}, "GET /x HTTP/1.1\r\nHost: b.com\r\n\r\n"},
		{"parsed URI wins over Host", func(r *Request) {
			r.SetRequestURI("http://a.com/x")
			r.Header.SetHost("b.com")
			r.URI()
		}, "GET /x HTTP/1.1\r\nHost: a.com\r\n\r\n"},
		{"post empty", func(r *Request) { r.SetRequestURI("http://a.com/x"); r.Header.SetMethod(MethodPost) },
			"POST /x HTTP/1.1\r\nHost: a.com\r\nContent-Length: 0\r\n\r\n"},
		{"head", func(r *Request) { r.SetRequestURI("http://a.com/x"); r.Header.SetMethod(MethodHead) },
			"HEAD /x HTTP/1.1\r\nHost: a.com\r\n\r\n"},
		{"json body", func(r *Request) {
			r.SetRequestURI("http://a.com/x")
			r.Header.SetMethod(MethodPost)
			r.Header.SetContentType("application/json")
			r.SetBodyString("{}")
		}, "POST /x HTTP/1.1\r\nHost: a.com\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"},
		{"post args", func(r *Request) {
			r.SetRequestURI("http://a.com/x")
			r.Header.SetMethod(MethodPost)
			r.PostArgs().Add("a", "1 2")
			r.PostArgs().Add("b", "&")
		}, "POST /x HTTP/1.1\r\nHost: a.com\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 11\r\n\r\na=1+2&b=%26"},
		{"query args", func(r *Request) {
			r.SetRequestURI("http://a.com/x?z=1")
			r.URI().QueryArgs().Add("k", "v w")
		}, "GET /x?z=1&k=v+w HTTP/1.1\r\nHost: a.com\r\n\r\n"},
		{"SetURI", func(r *Request) {
			var u URI
			_ = u.Parse(nil, []byte("https://q.com/a?b"))
			r.SetURI(&u)
		}, "GET /a?b HTTP/1.1\r\nHost: q.com\r\n\r\n"},
		{"DisablePathNormalizing", func(r *Request) {
			r.SetRequestURI("http://a.com/a//b/../c%2f")
			r.URI().DisablePathNormalizing = true
		}, "GET /a//b/../c%2f HTTP/1.1\r\nHost: a.com\r\n\r\n"},
		{"connection close", func(r *Request) { r.SetRequestURI("http://a.com/x"); r.SetConnectionClose() },
			"GET /x HTTP/1.1\r\nHost: a.com\r\nConnection: close\r\n\r\n"},
		{"stream sized", func(r *Request) {
			r.SetRequestURI("http://a.com/x")
			r.Header.SetMethod(MethodPut)
			r.Header.SetContentType("a/b")
			r.SetBodyStream(strings.NewReader("abcdef"), 6)
		}, "PUT /x HTTP/1.1\r\nHost: a.com\r\nContent-Type: a/b\r\nContent-Length: 6\r\n\r\nabcdef"},
		{"stream chunked", func(r *Request) {
			r.SetRequestURI("http://a.com/x")
			r.Header.SetMethod(MethodPut)
			r.Header.SetContentType("a/b")
			r.SetBodyStream(&onlyReadReader{strings.NewReader("abcdef")}, -1)
		}, "PUT /x HTTP/1.1\r\nHost: a.com\r\nContent-Type: a/b\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nabcdef\r\n0\r\n\r\n"},
		{"stream writer", func(r *Request) {
			r.SetRequestURI("http://a.com/x")
			r.Header.SetMethod(MethodPost)
			r.Header.SetContentType("a/b")
			r.SetBodyStreamWriter(func(w *bufio.Writer) { _, _ = w.WriteString("onetwo") })
		}, "POST /x HTTP/1.1\r\nHost: a.com\r\nContent-Type: a/b\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nonetwo\r\n0\r\n\r\n"},
		{"raw then append", func(r *Request) {
			r.SetRequestURI("http://a.com/x")
			r.Header.SetMethod(MethodPost)
			r.Header.SetContentType("a/b")
			r.SetBodyRaw([]byte("raw"))
			r.AppendBodyString("+more")
			_, _ = r.BodyWriter().Write([]byte("+w"))
		}, "POST /x HTTP/1.1\r\nHost: a.com\r\nContent-Type: a/b\r\nContent-Length: 10\r\n\r\nraw+more+w"},
	}
	for _, c := range cases {
		var r Request
		c.setup(&r)
		got, err := mdlWriteRequest(t, &r)
		if err != nil || got != c.want {
			t.Errorf("%s:\n got %q %v\nwant %q", c.name, got, err, c.want)
		}
	}
}

func TestRequestWriteTrailers(t *testing.T) {
	t.Parallel()
	// In-memory body with declared trailers: sent chunked.
	var r Request
	r.SetRequestURI("http://a.com/x")
	r.Header.SetMethod(MethodPut)
	r.Header.SetContentType("a/b")
	if err := r.Header.SetTrailer("X-T"); err != nil {
		t.Fatal(err)
	}
	r.SetBodyString("abc")
	r.Header.Set("X-T", "1")
	got, err := mdlWriteRequest(t, &r)
	if err != nil || !strings.HasSuffix(got, "\r\n\r\n3\r\nabc\r\n0\r\nX-T: 1\r\n\r\n") ||
		!strings.Contains(got, "Transfer-Encoding: chunked\r\n") {
		t.Fatalf("trailer body: %q %v", got, err)
	}
	// A StreamWriter may set the trailer value while it runs.
	var r2 Request
	r2.SetRequestURI("http://a/x")
	r2.Header.SetMethod(MethodPost)
	_ = r2.Header.SetTrailer("X-T")
	r2.SetBodyStreamWriter(func(w *bufio.Writer) { _, _ = w.WriteString("zz"); r2.Header.Set("X-T", "late") })
	got, err = mdlWriteRequest(t, &r2)
	if err != nil || !strings.HasSuffix(got, "2\r\nzz\r\n0\r\nX-T: late\r\n\r\n") {
		t.Fatalf("late trailer: %q %v", got, err)
	}
}

func TestRequestWriteErrors(t *testing.T) {
	t.Parallel()
	var r Request
	if _, err := mdlWriteRequest(t, &r); err == nil || err.Error() != "missing required host header in request" {
		t.Fatalf("no host: %v", err)
	}
	r.SetRequestURI("/x")
	if _, err := mdlWriteRequest(t, &r); err == nil {
		t.Fatal("relative target without host accepted")
	}
	var short, long Request
	short.SetRequestURI("http://a.com/x")
	short.Header.SetMethod(MethodPut)
	short.SetBodyStream(strings.NewReader("abc"), 6)
	if _, err := mdlWriteRequest(t, &short); err == nil || err.Error() != "copied 3 bytes from body stream instead of 6 bytes" {
		t.Fatalf("short stream: %v", err)
	}
	long.SetRequestURI("http://a.com/x")
	long.Header.SetMethod(MethodPut)
	long.SetBodyStream(strings.NewReader("abcdefgh"), 6)
	if out, err := mdlWriteRequest(t, &long); err == nil || strings.HasSuffix(out, "gh") {
		t.Fatalf("long stream: %q %v", out, err)
	}
}

// No request setter lets CR, LF or NUL reach the request line or the Host
// field: the request is refused or the bytes are neutralised.
func TestRequestWriteNoInjection(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		setup  func(r *Request)
		refuse bool
	}{
		{"SetRequestURI absolute", func(r *Request) { r.SetRequestURI("http://a.com/x\r\nX-Evil: 1") }, true},
		{"SetRequestURI relative", func(r *Request) { r.SetRequestURI("/x\r\nX-Evil: 1"); r.Header.SetHost("a.com") }, true},
		{"SetRequestURIBytes NUL", func(r *Request) { r.SetRequestURIBytes([]byte("/x\x00y")); r.Header.SetHost("a.com") }, true},
		{"raw path", func(r *Request) {
			r.SetRequestURI("http://a.com/a\r\nX: 1")
			r.URI().DisablePathNormalizing = true
		}, true},
		{"URI SetPath", func(r *Request) { r.SetRequestURI("http://a.com/"); r.URI().SetPath("/p\r\nX-Evil: 1") }, false},
		{"URI SetPath nonorm", func(r *Request) {
			r.SetRequestURI("http://a.com/")
			r.URI().DisablePathNormalizing = true
			r.URI().SetPath("/p\r\nX-Evil: 1")
		}, false},
		{"URI SetQueryString", func(r *Request) { r.SetRequestURI("http://a.com/"); r.URI().SetQueryString("a=\r\nX-Evil: 1") }, false},
		{"URI SetHost", func(r *Request) { r.SetRequestURI("http://a.com/"); r.URI().SetHost("evil\r\nX-Evil: 1") }, true},
		{"SetHost", func(r *Request) { r.SetRequestURI("http://a.com/"); r.SetHost("evil\nX-Evil: 1") }, true},
		{"Host header with UseHostHeader", func(r *Request) {
			r.SetRequestURI("http://a.com/")
			r.UseHostHeader = true
			r.Header.SetHost("evil\r\nX-Evil: 1")
		}, true},
		{"space in raw target", func(r *Request) { r.SetRequestURI("/a b"); r.Header.SetHost("a.com") }, false},
		{"Update", func(r *Request) { r.SetRequestURI("http://a.com/"); r.URI().Update("/p\r\nX-Evil: 1") }, false},
	}
	for _, c := range cases {
		var r Request
		c.setup(&r)
		out, err := mdlWriteRequest(t, &r)
		// refuse marks inputs that may be either refused or sent with the
		// control bytes neutralised: both keep the wire safe, checked below.
		if !c.refuse && err != nil {
			t.Errorf("%s: refused: %v", c.name, err)
		}
		head, _, _ := strings.Cut(out, "\r\n\r\n")
		if strings.Contains(out, "X-Evil") && strings.Contains(head, "\nX-Evil") ||
			strings.ContainsAny(strings.ReplaceAll(head, "\r\n", ""), "\r\n\x00") {
			t.Errorf("%s: injected: %q", c.name, out)
		}
		if strings.Count(strings.SplitN(out, "\r\n", 2)[0], " ") > 2 {
			t.Errorf("%s: request line broken: %q", c.name, out)
		}
	}
}

func TestRequestRead(t *testing.T) {
	t.Parallel()
	cases := []struct {
		raw                   string
		body, uri, host, rest string
		cl                    int
	}{
		{"GET /x?a=1 HTTP/1.1\r\nHost: h.com\r\n\r\n", "", "http://h.com/x?a=1", "h.com", "", -2},
		{"POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhelloNEXT", "hello", "http://h/x", "h", "NEXT", 5},
		{"POST /x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\nNEXT", "hello", "http://h/x", "h", "NEXT", -1},
		{"GET http://Other.com/abs?q HTTP/1.1\r\nHost: h\r\n\r\n", "", "http://other.com/abs?q", "other.com", "", -2},
		{"GET /a%2fb/../c HTTP/1.1\r\nHost: h\r\n\r\n", "", "http://h/a/c", "h", "", -2},
	}
	for _, c := range cases {
		var r Request
		br := bufio.NewReader(strings.NewReader(c.raw))
		if err := r.Read(br); err != nil {
			t.Errorf("Read(%q): %v", c.raw, err)
			continue
		}
		rest, _ := io.ReadAll(br)
		if string(r.Body()) != c.body || string(r.URI().FullURI()) != c.uri || string(r.Host()) != c.host ||
			string(rest) != c.rest || r.Header.ContentLength() != c.cl {
			t.Errorf("Read(%q) = body %q uri %q host %q rest %q cl %d", c.raw, r.Body(), r.URI().FullURI(), r.Host(), rest, r.Header.ContentLength())
		}
	}
	var r Request
	if err := r.Read(bufio.NewReader(strings.NewReader(""))); !errors.Is(err, io.EOF) {
		t.Fatalf("empty input: %v", err)
	}
}

func TestRequestReadTrailer(t *testing.T) {
	t.Parallel()
	var r Request
	raw := "POST /x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nTrailer: X-T\r\n\r\n5\r\nhello\r\n0\r\nX-T: v\r\n\r\n"
	if err := r.Read(bufio.NewReader(strings.NewReader(raw))); err != nil {
		t.Fatal(err)
	}
	if string(r.Header.Peek("X-T")) != "v" || string(r.Body()) != "hello" {
		t.Fatalf("trailer %q body %q", r.Header.Peek("X-T"), r.Body())
	}
	// Written again, it keeps its trailer.
	out, err := mdlWriteRequest(t, &r)
	if err != nil || !strings.HasSuffix(out, "5\r\nhello\r\n0\r\nX-T: v\r\n\r\n") {
		t.Fatalf("rewrite: %q %v", out, err)
	}
}

func TestRequestReadErrors(t *testing.T) {
	t.Parallel()
	for _, raw := range []string{
		"POST /x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloXX0\r\n\r\n",
		"POST /x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffffff\r\nhello\r\n0\r\n\r\n",
		"POST /x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\nhello\r\n0\r\n\r\n",
		"POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\nabc",
	} {
		var r Request
		err := r.Read(bufio.NewReader(strings.NewReader(raw)))
		if err == nil {
			t.Errorf("accepted %q", raw)
			continue
		}
		// A failed read leaves nothing of the request behind.
		if len(r.Body()) != 0 || len(r.Header.Host()) != 0 {
			t.Errorf("%q left body %q host %q", raw, r.Body(), r.Header.Host())
		}
	}
	var r Request
	err := r.ReadLimitBody(bufio.NewReader(strings.NewReader("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n0123456789")), 5)
	if !errors.Is(err, ErrBodyTooLarge) {
		t.Fatalf("limit CL: %v", err)
	}
	err = r.ReadLimitBody(bufio.NewReader(strings.NewReader("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n3\r\ndef\r\n0\r\n\r\n")), 5)
	if !errors.Is(err, ErrBodyTooLarge) {
		t.Fatalf("limit chunked: %v", err)
	}
}

func TestRequestExpectContinue(t *testing.T) {
	t.Parallel()
	var r Request
	br := bufio.NewReader(strings.NewReader("POST /x HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\nhello"))
	if err := r.Read(br); err != nil {
		t.Fatal(err)
	}
	if !r.MayContinue() || len(r.Body()) != 0 {
		t.Fatalf("Read must stop before the body: MayContinue %v body %q", r.MayContinue(), r.Body())
	}
	if err := r.ContinueReadBody(br, 0); err != nil || string(r.Body()) != "hello" {
		t.Fatalf("ContinueReadBody: %q %v", r.Body(), err)
	}
	var r10 Request
	if err := r10.Read(bufio.NewReader(strings.NewReader("POST /x HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\nhello"))); err != nil {
		t.Fatal(err)
	}
	if r10.MayContinue() || string(r10.Body()) != "hello" {
		t.Fatal("HTTP/1.0 must ignore Expect")
	}
	var r3 Request
	_ = r3.Read(bufio.NewReader(strings.NewReader("POST /x HTTP/1.1\r\nHost: h\r\nExpect: 100-Continue\r\nContent-Length: 5\r\n\r\nhello")))
	if !r3.MayContinue() {
		t.Fatal("Expect value is case-insensitive")
	}
	if err := r3.ContinueReadBody(bufio.NewReader(strings.NewReader("hello")), 3); !errors.Is(err, ErrBodyTooLarge) {
		t.Fatalf("ContinueReadBody limit: %v", err)
	}
}

func TestRequestContinueReadBodyStream(t *testing.T) {
	t.Parallel()
	// A body already buffered in full is a stream too, which Body reads.
	var r Request
	br := bufio.NewReader(strings.NewReader("POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello"))
	_ = r.Header.Read(br)
	if err := r.ContinueReadBodyStream(br, 0); err != nil || !r.IsBodyStream() || string(r.Body()) != "hello" {
		t.Fatalf("buffered: stream=%v body %q %v", r.IsBodyStream(), r.Body(), err)
	}
	// A chunked body from a slow source is streamed, trailers included.
	pr, pw := io.Pipe()
	go func() {
		_, _ = pw.Write([]byte("POST /x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nTrailer: X-T\r\n\r\n"))
		_, _ = pw.Write([]byte("3\r\nabc\r\n"))
		_, _ = pw.Write([]byte("2\r\nde\r\n0\r\nX-T: v\r\n\r\n"))
		_ = pw.Close()
	}()
	var r2 Request
	br = bufio.NewReader(pr)
	if err := r2.Header.Read(br); err != nil {
		t.Fatal(err)
	}
	if err := r2.ContinueReadBodyStream(br, 0); err != nil || !r2.IsBodyStream() {
		t.Fatalf("chunked: stream=%v %v", r2.IsBodyStream(), err)
	}
	body, err := io.ReadAll(r2.BodyStream())
	if err != nil || string(body) != "abcde" || string(r2.Header.Peek("X-T")) != "v" {
		t.Fatalf("streamed body %q trailer %q err %v", body, r2.Header.Peek("X-T"), err)
	}
	if err := r2.CloseBodyStream(); err != nil || r2.IsBodyStream() {
		t.Fatal("CloseBodyStream")
	}
}

func TestRequestPostArgs(t *testing.T) {
	t.Parallel()
	cases := []struct{ method, ct, want string }{
		{MethodPost, "application/x-www-form-urlencoded", "a=1&b=2"},
		{MethodPost, "application/x-www-form-urlencoded; charset=utf-8", "a=1&b=2"},
		{MethodPost, "APPLICATION/X-WWW-FORM-URLENCODED", "a=1&b=2"},
		{MethodGet, "application/x-www-form-urlencoded", "a=1&b=2"},
		{MethodPost, "", ""},
		{MethodPost, "application/json", ""},
		{MethodPost, "application/x-www-form-urlencodedX", ""},
	}
	for _, c := range cases {
		var r Request
		r.Header.SetMethod(c.method)
		if c.ct != "" {
			r.Header.SetContentType(c.ct)
		}
		r.SetBodyString("a=1&b=2")
		if got := r.PostArgs().String(); got != c.want {
			t.Errorf("%s %q: PostArgs = %q", c.method, c.ct, got)
		}
	}
}

func TestRequestBodyOps(t *testing.T) {
	t.Parallel()
	var r Request
	r.SetBodyString("abc")
	if old := r.SwapBody([]byte("xyz")); string(old) != "abc" || string(r.Body()) != "xyz" {
		t.Fatalf("SwapBody: %q %q", old, r.Body())
	}
	r.SetBodyRaw([]byte("raw"))
	if old := r.SwapBody([]byte("new")); string(old) != "raw" || string(r.Body()) != "new" {
		t.Fatalf("SwapBody raw: %q %q", old, r.Body())
	}
	r.SetBodyStream(strings.NewReader("streamed"), -1)
	if !r.IsBodyStream() || string(r.Body()) != "streamed" || r.IsBodyStream() {
		t.Fatal("Body must read the stream and drop it")
	}
	r.SetBodyStream(strings.NewReader("s2"), 2)
	if old := r.SwapBody([]byte("n")); string(old) != "s2" || string(r.Body()) != "n" {
		t.Fatalf("SwapBody stream: %q %q", old, r.Body())
	}
	r.SetBodyStream(iotestErrReader{}, -1)
	if got := string(r.Body()); got != "boom" {
		t.Fatalf("stream error body = %q", got)
	}
	r.SetBody([]byte("x"))
	var b bytes.Buffer
	if err := r.BodyWriteTo(&b); err != nil || b.String() != "x" {
		t.Fatalf("BodyWriteTo: %q %v", b.String(), err)
	}
	r.ResetBody()
	if len(r.Body()) != 0 {
		t.Fatal("ResetBody")
	}
	// ReleaseBody drops a large buffer only.
	r.SetBody(make([]byte, 1000))
	r.ReleaseBody(10000)
	if r.body == nil {
		t.Fatal("small buffer released")
	}
	r.ReleaseBody(100)
	if r.body != nil {
		t.Fatal("large buffer kept")
	}
}

type iotestErrReader struct{}

func (iotestErrReader) Read([]byte) (int, error) { return 0, errors.New("boom") }

func TestRequestKeepBodyBuffer(t *testing.T) {
	t.Parallel()
	var r Request
	r.KeepBodyBuffer = true
	r.SetBodyString("some body")
	buf := r.body
	r.Reset()
	if r.body != buf || len(r.Body()) != 0 || !r.KeepBodyBuffer {
		t.Fatal("Reset must keep the buffer and the setting")
	}
	r.SetBodyString("again")
	r.ResetBody()
	if r.body != buf {
		t.Fatal("ResetBody must keep the buffer")
	}
	var d Request
	r.CopyTo(&d)
	if d.KeepBodyBuffer {
		t.Fatal("CopyTo copied KeepBodyBuffer")
	}
	r.KeepBodyBuffer = false
	r.ResetBody()
	if r.body != nil {
		t.Fatal("buffer kept without KeepBodyBuffer")
	}
}

func TestRequestCopyTo(t *testing.T) {
	t.Parallel()
	var r, d Request
	r.SetRequestURI("http://x.com/y?z=1")
	r.Header.Set("X-A", "b")
	r.Header.SetContentType("a/b")
	r.SetBodyString("copied")
	r.SetUserValue("k", "v")
	r.UseHostHeader = true
	r.SetTimeout(time.Second)
	r.CopyTo(&d)
	r.SetBodyString("changed")
	r.URI().SetPath("/other")
	out, err := mdlWriteRequest(t, &d)
	want := "GET /y?z=1 HTTP/1.1\r\nHost: x.com\r\nContent-Type: a/b\r\nContent-Length: 6\r\nX-A: b\r\n\r\ncopied"
	if err != nil || out != want {
		t.Fatalf("copy wrote %q %v", out, err)
	}
	if d.UserValue("k") != nil || !d.UseHostHeader || d.GetTimeOut() != time.Second {
		t.Fatal("CopyTo settings")
	}
	if !strings.HasPrefix(d.String(), "GET /y?z=1 HTTP/1.1\r\n") {
		t.Fatalf("String = %q", d.String())
	}
}

func TestRequestPool(t *testing.T) {
	t.Parallel()
	r := AcquireRequest()
	r.SetRequestURI("http://h/x")
	r.SetBodyString("b")
	r.KeepBodyBuffer = true
	ReleaseRequest(r)
	r = AcquireRequest()
	defer ReleaseRequest(r)
	if len(r.Body()) != 0 || r.KeepBodyBuffer || string(r.RequestURI()) != "/" {
		t.Fatal("pooled request not reset")
	}
}

func TestRequestUserValues(t *testing.T) {
	t.Parallel()
	var r Request
	closed := false
	r.SetUserValue("a", 1)
	r.SetUserValueBytes([]byte("b"), 2)
	r.SetUserValue(3, mdlCloser{&closed})
	if r.UserValue("a") != 1 || r.UserValueBytes([]byte("b")) != 2 || r.UserValue([]byte("a")) != 1 {
		t.Fatal("UserValue")
	}
	n := 0
	r.VisitUserValues(func(k []byte, v any) { n++ })
	m := 0
	r.VisitUserValuesAll(func(k, v any) { m++ })
	if n != 2 || m != 3 {
		t.Fatalf("visit %d %d", n, m)
	}
	r.RemoveUserValue("a")
	r.RemoveUserValueBytes([]byte("b"))
	if r.UserValue("a") != nil || r.UserValue("b") != nil {
		t.Fatal("RemoveUserValue")
	}
	r.SetUserValue("nil", 1)
	r.SetUserValue("nil", nil)
	if r.UserValue("nil") != nil {
		t.Fatal("nil value must remove")
	}
	r.ResetUserValues()
	if !closed || r.UserValue(3) != nil {
		t.Fatal("ResetUserValues must close io.Closers")
	}
}

type mdlCloser struct{ closed *bool }

func (c mdlCloser) Close() error { *c.closed = true; return nil }

// A request written by Request.Write is what net/http reads, and a
// request net/http writes is what Request.Read reads, over a real socket.
func TestRequestWriteReadNetHTTP(t *testing.T) {
	t.Parallel()
	for _, host := range mdlHosts(t) {
		got := make(chan string, 1)
		srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, hr *http.Request) {
			b, _ := io.ReadAll(hr.Body)
			got <- hr.Method + " " + hr.URL.String() + " " + hr.Host + " " + hr.Header.Get("Content-Type") + " " + string(b) + " " + hr.Trailer.Get("X-T")
		})}
		ln, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
		if err != nil {
			t.Fatal(err)
		}
		go func() { _ = srv.Serve(ln) }()
		t.Cleanup(func() { _ = srv.Close() })
		c, err := net.DialTimeout("tcp", ln.Addr().String(), mdlWait)
		if err != nil {
			t.Fatal(err)
		}
		_ = c.SetDeadline(time.Now().Add(mdlWait))
		var r Request
		r.SetRequestURI("http://" + ln.Addr().String() + "/p%20q?a=b")
		r.Header.SetMethod(MethodPost)
		r.Header.SetContentType("text/x")
		_ = r.Header.SetTrailer("X-T")
		r.SetBodyStreamWriter(func(w *bufio.Writer) { _, _ = w.WriteString("streamed"); r.Header.Set("X-T", "tv") })
		bw := bufio.NewWriter(c)
		if err := r.Write(bw); err != nil {
			t.Fatal(err)
		}
		_ = bw.Flush()
		select {
		case s := <-got:
			want := "POST /p%20q?a=b " + ln.Addr().String() + " text/x streamed tv"
			if s != want {
				t.Fatalf("%s: net/http saw %q, want %q", host, s, want)
			}
		case <-time.After(mdlWait):
			t.Fatalf("%s: net/http saw nothing", host)
		}
		var resp Response
		if err := resp.Read(bufio.NewReader(c)); err != nil || resp.StatusCode() != 200 {
			t.Fatalf("%s: response %v %d", host, err, resp.StatusCode())
		}
		_ = c.Close()

		// The other way: net/http writes, Request.Read reads.
		pr, pw := net.Pipe()
		go func() {
			hr, _ := http.NewRequest(http.MethodPut, "http://example.com/x?y=1", strings.NewReader("body!"))
			hr.Header.Set("Content-Type", "a/b")
			_ = hr.Write(pw)
			_ = pw.Close()
		}()
		var rr Request
		_ = pr.SetDeadline(time.Now().Add(mdlWait))
		if err := rr.Read(bufio.NewReader(pr)); err != nil {
			t.Fatal(err)
		}
		if string(rr.Header.Method()) != "PUT" || string(rr.URI().FullURI()) != "http://example.com/x?y=1" || string(rr.Body()) != "body!" {
			t.Fatalf("read net/http request: %s %q %q", rr.Header.Method(), rr.URI().FullURI(), rr.Body())
		}
		_ = pr.Close()
	}
}
