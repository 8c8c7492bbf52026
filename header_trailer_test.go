package fasthttp

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"testing"
)

// trailerView is what a header reports about the field name: PeekTrailer,
// PeekAllTrailer, Peek and PeekAll, in that order.
type trailerView interface {
	PeekTrailer(string) []byte
	PeekAllTrailer(string) [][]byte
	Peek(string) []byte
	PeekAll(string) [][]byte
}

func viewOf(h trailerView, name string) string {
	// Each result is formatted before the next call: the slices of
	// PeekAll and PeekAllTrailer share the header's buffer.
	a := fmt.Sprintf("%q", h.PeekTrailer(name))
	b := fmt.Sprintf("%q", h.PeekAllTrailer(name))
	c := fmt.Sprintf("%q", h.Peek(name))
	return fmt.Sprintf("%s %s %s %q", a, b, c, h.PeekAll(name))
}

// PeekTrailer and PeekAllTrailer search the trailer section only: the
// fields received after the body, never a field of the same name that came
// in the header section, which Peek finds first.
func TestPeekTrailerReceived(t *testing.T) {
	t.Parallel()
	const fields = "Transfer-Encoding: chunked\r\nTrailer: Foo\r\nFoo: head\r\nX: h\r\n\r\n" +
		"2\r\nhi\r\n0\r\nFoo: t1\r\nfoo: t2\r\nBar: b\r\n\r\n"
	var resp Response
	if err := resp.Read(bufio.NewReader(strings.NewReader("HTTP/1.1 200 OK\r\n" + fields))); err != nil {
		t.Fatal(err)
	}
	var req Request
	if err := req.Read(bufio.NewReader(strings.NewReader("POST / HTTP/1.1\r\nHost: a\r\n" + fields))); err != nil {
		t.Fatal(err)
	}
	for name, h := range map[string]interface {
		trailerView
		TrailerHeader() []byte
		Len() int
	}{"response": &resp.Header, "request": &req.Header} {
		if got := viewOf(h, "foo"); got != `"t1" ["t1" "t2"] "head" ["head" "t1" "t2"]` {
			t.Errorf("%s Foo: %s", name, got)
		}
		if got := viewOf(h, "Bar"); got != `"b" ["b"] "b" ["b"]` {
			t.Errorf("%s Bar: %s", name, got)
		}
		if got := viewOf(h, "X"); got != `"" [] "h" ["h"]` {
			t.Errorf("%s X (header section only): %s", name, got)
		}
		if got := viewOf(h, "Nope"); got != `"" [] "" []` {
			t.Errorf("%s Nope: %s", name, got)
		}
		// The header section keeps "Foo: head"; the trailer section is
		// what came after the body.
		if got := string(h.TrailerHeader()); got != "Foo: t1\r\nFoo: t2\r\nBar: b\r\n\r\n" {
			t.Errorf("%s TrailerHeader = %q", name, got)
		}
	}
	// Forwarding the message keeps each field in its section.
	var out strings.Builder
	bw := bufio.NewWriter(&out)
	if err := resp.Write(bw); err != nil {
		t.Fatal(err)
	}
	_ = bw.Flush()
	if s := out.String(); !strings.Contains(s, "Foo: head\r\n") || !strings.HasSuffix(s, "0\r\nFoo: t1\r\nFoo: t2\r\nBar: b\r\n\r\n") {
		t.Errorf("forwarded: %q", s)
	}
}

// For a header built by hand, a field is in the trailer section when the
// Trailer field announces its name, whatever came first; Set replaces only
// trailer-section values of an announced name.
func TestPeekTrailerFollowsAnnouncement(t *testing.T) {
	t.Parallel()
	var h ResponseHeader
	h.Set("Foo", "a")
	if got := viewOf(&h, "Foo"); got != `"" [] "a" ["a"]` {
		t.Fatalf("not announced: %s", got)
	}
	_ = h.SetTrailer("Foo")
	if got := viewOf(&h, "Foo"); got != `"a" ["a"] "a" ["a"]` {
		t.Fatalf("announced after Set: %s", got)
	}
	h.Add("Foo", "b")
	if got := viewOf(&h, "Foo"); got != `"a" ["a" "b"] "a" ["a" "b"]` {
		t.Fatalf("Add: %s", got)
	}
	h.Set("Foo", "c")
	if got := viewOf(&h, "Foo"); got != `"c" ["c"] "c" ["c"]` {
		t.Fatalf("Set drops the later value: %s", got)
	}
	h.Del("Trailer")
	if got := viewOf(&h, "Foo"); got != `"" [] "c" ["c"]` {
		t.Fatalf("announcement removed: %s", got)
	}

	// Received: Set on an announced name leaves the header section's value.
	var resp Response
	raw := "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: Foo\r\nFoo: head\r\n\r\n0\r\nFoo: t\r\n\r\n"
	if err := resp.Read(bufio.NewReader(strings.NewReader(raw))); err != nil {
		t.Fatal(err)
	}
	resp.Header.Set("Foo", "S")
	if got := viewOf(&resp.Header, "Foo"); got != `"S" ["S"] "head" ["head" "S"]` {
		t.Fatalf("Set after receiving: %s", got)
	}
	var cp ResponseHeader
	resp.Header.CopyTo(&cp)
	if got := viewOf(&cp, "Foo"); got != `"S" ["S"] "head" ["head" "S"]` {
		t.Fatalf("CopyTo: %s", got)
	}

	// A trailer read into a header comes after every field it already
	// had, even one set by hand under the same name.
	var rh RequestHeader
	rh.Set("Q", "head")
	if err := rh.ReadTrailer(bufio.NewReader(strings.NewReader("Q: tr\r\n\r\n"))); err != nil {
		t.Fatal(err)
	}
	if err := rh.ReadTrailer(bufio.NewReader(strings.NewReader("Q: tr2\r\n\r\n"))); err != nil {
		t.Fatal(err)
	}
	if got := viewOf(&rh, "Q"); got != `"tr" ["tr" "tr2"] "head" ["head" "tr" "tr2"]` {
		t.Fatalf("ReadTrailer after Set: %s", got)
	}
	rh.Reset()
	if got := viewOf(&rh, "Q"); got != `"" [] "" []` {
		t.Fatalf("Reset: %s", got)
	}

	// Names compare as the header stores them.
	var raw1 ResponseHeader
	raw1.DisableNormalizing()
	if err := raw1.ReadTrailer(bufio.NewReader(strings.NewReader("foo: t\r\n\r\n"))); err != nil {
		t.Fatal(err)
	}
	if raw1.PeekTrailer("Foo") != nil || string(raw1.PeekTrailer("foo")) != "t" {
		t.Fatalf("DisableNormalizing: %q %q", raw1.PeekTrailer("Foo"), raw1.PeekTrailer("foo"))
	}
}

// Over real connections: a handler reads a request's trailer with
// PeekTrailer once the body is in, buffered or streamed, and a client
// reads a response's trailer the same way.
func TestPeekTrailerOverSockets(t *testing.T) {
	t.Parallel()
	for _, stream := range []bool{false, true} {
		s := &Server{StreamRequestBody: stream, Handler: func(ctx *RequestCtx) {
			if bs := ctx.RequestBodyStream(); bs != nil {
				_, _ = io.Copy(io.Discard, bs)
			}
			h := &ctx.Request.Header
			seen := fmt.Sprintf("%q %q", h.PeekTrailer("X-Sum"), h.PeekAllTrailer("X-Sum"))
			seen += fmt.Sprintf(" %q", h.PeekTrailer("X-Head"))
			ctx.Response.Header.Set("Trailer", "X-Reply")
			ctx.Response.Header.Set("X-Reply", "done")
			ctx.Response.SetBodyStream(strings.NewReader(seen), -1)
		}}
		addr := srvStart(t, s, "127.0.0.1")
		c := srvDial(t, addr)
		req := "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTrailer: X-Sum\r\nX-Head: h\r\nX-Sum: early\r\n\r\n" +
			"5\r\nhello\r\n0\r\nX-Sum: s1\r\nX-Sum: s2\r\n\r\n"
		if _, err := io.WriteString(c, req); err != nil {
			t.Fatal(err)
		}
		var resp Response
		if err := resp.Read(bufio.NewReader(c)); err != nil {
			t.Fatal(err)
		}
		if got := string(resp.Body()); got != `"s1" ["s1" "s2"] ""` {
			t.Errorf("stream=%v: handler saw %s", stream, got)
		}
		if got := string(resp.Header.PeekTrailer("X-Reply")); got != "done" {
			t.Errorf("stream=%v: response trailer %q", stream, got)
		}
	}

	// Through Client.Do.
	rs := startRawServer(t, serveCanned("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-Sum\r\n\r\n"+
		"2\r\nok\r\n0\r\nX-Sum: 42\r\n\r\n"))
	req := AcquireRequest()
	resp := AcquireResponse()
	defer ReleaseRequest(req)
	defer ReleaseResponse(resp)
	req.SetRequestURI("http://" + rs.addr + "/")
	if err := (&Client{}).Do(req, resp); err != nil {
		t.Fatal(err)
	}
	if string(resp.Body()) != "ok" || string(resp.Header.PeekTrailer("X-Sum")) != "42" {
		t.Fatalf("client: %q, trailer %q", resp.Body(), resp.Header.PeekTrailer("X-Sum"))
	}
}
