package fasthttp

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
)

// What a handler sees of a request is exactly what the parser checked:
// these tests send raw requests over real connections and compare what the
// handler reports with the bytes on the wire.

// viewServer answers every request with what its handler saw, one
// "name=value" line each, and returns the server's address.
func viewServer(t *testing.T, host string) string {
	t.Helper()
	s := &Server{Logger: &srvLog{}, Handler: func(ctx *RequestCtx) {
		fmt.Fprintf(ctx, "host=%q\nurihost=%q\npath=%q\nct=%q\n", ctx.Host(), ctx.URI().Host(), ctx.Path(),
			ctx.Request.Header.ContentType())
		for k, v := range ctx.Request.Header.Cookies() {
			fmt.Fprintf(ctx, "cookie=%q:%q\n", k, v)
		}
		for k, v := range ctx.QueryArgs().All() {
			fmt.Fprintf(ctx, "arg=%q:%q\n", k, v)
		}
	}}
	return srvStart(t, s, host)
}

// viewSend sends req on a fresh connection and returns the status and the
// handler's report; a 400 must come with the connection closing.
func viewSend(t *testing.T, addr, req string) (int, string) {
	t.Helper()
	c := srvDial(t, addr)
	if _, err := io.WriteString(c, req); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(c)
	resp, body := srvReadResponse(t, br, http.MethodGet)
	if resp.StatusCode == StatusBadRequest {
		if !resp.Close {
			t.Errorf("%q: 400 without closing", req)
		}
		srvExpectClosed(t, c, br)
	}
	return resp.StatusCode, body
}

// viewCases sends the request build makes of each case's key and checks
// the answer: a 400 (and the connection closed) where the case wants "",
// else a 200 whose report holds the wanted text. It returns each report.
func viewCases(t *testing.T, addr string, cases map[string]string, build func(string) string) map[string]string {
	t.Helper()
	reports := make(map[string]string, len(cases))
	for key, want := range cases {
		code, body := viewSend(t, addr, build(key))
		reports[key] = body
		switch {
		case want == "" && code != StatusBadRequest:
			t.Errorf("%q accepted: %d %q", key, code, body)
		case want != "" && (code != StatusOK || !strings.Contains(body, want)):
			t.Errorf("%q: %d %q, want %q", key, code, body, want)
		}
	}
	return reports
}

// A Host field is accepted only when the handler gets it back unchanged
// (host names compare without regard to case, and URI.Host documents lower
// case, so that is the one change): never decoded, never emptied. Userinfo,
// percent-encodings and IPv6 zones are refused.
func TestHandlerHostIsTheHostField(t *testing.T) {
	t.Parallel()
	accepted := []string{
		"example.com", "example.com:8080", "EXAMPLE.Com", "a_b~c.d-e", "x!$&'()*+,;=", "127.0.0.1:1",
		"[::1]", "[::1]:80", "[2001:DB8::1]:443", "[::ffff:1.2.3.4]", "h:", ":80", "example.com.", "",
	}
	refused := []string{
		"user@example.com", "user:pw@example.com:80", "@h", "ex%41mple.com", "a%00b", "a%2", "[fe80::1%25eth0]",
		"[fe80::1%eth0]", "[1.2.3.4]", "[::1", "[]", "a b", "a/b", "a?b", "h:80:80", "h:123456", "\xc3\xa9.com",
	}
	for _, host := range srvLoopbacks(t) {
		addr := viewServer(t, host)
		for _, h := range accepted {
			code, body := viewSend(t, addr, "GET /p HTTP/1.1\r\nHost: "+h+"\r\n\r\n")
			want := fmt.Sprintf("host=%q\nurihost=%q\n", strings.ToLower(h), strings.ToLower(h))
			if code != StatusOK || !strings.HasPrefix(body, want) {
				t.Errorf("[%s] Host %q: %d %q", host, h, code, body)
			}
		}
		for _, h := range refused {
			if code, body := viewSend(t, addr, "GET /p HTTP/1.1\r\nHost: "+h+"\r\n\r\n"); code != StatusBadRequest {
				t.Errorf("[%s] Host %q accepted: %d %q", host, h, code, body)
			}
		}
	}
}

// An origin-form target is all path, even when it starts with "//": the
// handler's host stays the Host field's, empty or absent included, never
// a name taken from the path (RFC 9112 §3.2.1).
func TestOriginFormDoubleSlashIsAPath(t *testing.T) {
	t.Parallel()
	addr := viewServer(t, "127.0.0.1")
	viewCases(t, addr, map[string]string{
		"GET //evil/x HTTP/1.1\r\nHost: good\r\n\r\n": "host=\"good\"\nurihost=\"good\"\npath=\"/evil/x\"",
		"GET //evil/x HTTP/1.1\r\nHost:\r\n\r\n":      "host=\"\"\nurihost=\"\"\npath=\"/evil/x\"",
		"GET //evil/x HTTP/1.0\r\n\r\n":               "host=\"\"\nurihost=\"\"\npath=\"/evil/x\"",
		"GET //evil:80/x?q=1 HTTP/1.0\r\n\r\n":        "host=\"\"\nurihost=\"\"\npath=\"/evil:80/x\"",
	}, func(req string) string { return req })
}

// In absolute form the request target names the host (RFC 9112 §3.2.2),
// whatever the Host field says; its authority may not carry userinfo, nor
// may an authority-form target.
func TestAbsoluteFormTargetNamesTheHost(t *testing.T) {
	t.Parallel()
	addr := viewServer(t, "127.0.0.1")
	viewCases(t, addr, map[string]string{
		"http://a.example/p?q=1":     "host=\"a.example\"\nurihost=\"a.example\"\npath=\"/p\"",
		"https://A.example:8443/p":   "host=\"a.example:8443\"\nurihost=\"a.example:8443\"\npath=\"/p\"",
		"http://a.example":           "host=\"a.example\"\nurihost=\"a.example\"\npath=\"/\"",
		"HTTP://[::1]:81/x":          "host=\"[::1]:81\"\nurihost=\"[::1]:81\"\npath=\"/x\"",
		"http://u@a.example/p":       "",
		"http://u:p@a.example/p":     "",
		"http://a%40b.example/":      "",
		"http:///p":                  "",
		"http://a.example:port/":     "",
		"http://[fe80::1%25lo]:80/p": "",
	}, func(target string) string { return "GET " + target + " HTTP/1.1\r\nHost: b.example\r\n\r\n" })
	if code, _ := viewSend(t, addr, "CONNECT u@a.example:443 HTTP/1.1\r\nHost: a.example:443\r\n\r\n"); code != StatusBadRequest {
		t.Errorf("CONNECT with userinfo: %d", code)
	}
}

// No NUL reaches ctx.Path(): "%00" stays encoded in the decoded path (a
// raw NUL never passes the parser), so a static-file handler looks up a
// name with "%00" in it and finds nothing. A query may carry a NUL (Args
// hold bytes).
func TestHandlerPathHasNoNUL(t *testing.T) {
	t.Parallel()
	addr := viewServer(t, "127.0.0.1")
	reports := viewCases(t, addr, map[string]string{
		"/a%00b":           "path=\"/a%00b\"",
		"/index.html%00.x": "path=\"/index.html%00.x\"",
		"/%00":             "path=\"/%00\"",
		"/a/%00/../b":      "path=\"/a/b\"",
		"http://h/a%00":    "path=\"/a%00\"",
		"/a?x=%00":         "path=\"/a\"",
		"/a%2500?x=%2500":  "path=\"/a%00\"",
		"/a%01b":           "path=\"/a\\x01b\"",
		"/a\x00b":          "",
	}, func(target string) string { return "GET " + target + " HTTP/1.1\r\nHost: h\r\n\r\n" })
	for target, body := range reports {
		for _, line := range strings.Split(body, "\n") {
			if strings.HasPrefix(line, "path=") && strings.Contains(line, `\x00`) {
				t.Errorf("%s: NUL reached the path: %q", target, body)
			}
		}
	}
}

// A cookie whose name is not an RFC 6265 token never reaches the handler.
func TestHandlerDropsBadCookieNames(t *testing.T) {
	t.Parallel()
	addr := viewServer(t, "127.0.0.1")
	_, body := viewSend(t, addr, "GET / HTTP/1.1\r\nHost: h\r\n"+
		"Cookie: a=1; b c=2; d@=3; e=4; \"f\"=5; =6; g; h(=7; i\xff=8\r\nCookie: j/k=9; l=10\r\n\r\n")
	var got []string
	for _, line := range strings.Split(body, "\n") {
		if v, ok := strings.CutPrefix(line, "cookie="); ok {
			got = append(got, v)
		}
	}
	if strings.Join(got, " ") != `"a":"1" "e":"4" "l":"10"` {
		t.Fatalf("handler saw cookies %v", got)
	}
}

// Two Content-Type fields that differ leave the body's type to whichever
// a reader picks: refused with 400. An exact repeat is harmless and kept
// once, as upstream does.
func TestConflictingContentTypeRefused(t *testing.T) {
	t.Parallel()
	addr := viewServer(t, "127.0.0.1")
	viewCases(t, addr, map[string]string{
		"Content-Type: text/plain\r\nContent-Type: application/json\r\n": "",
		"Content-Type: text/plain\r\nContent-Type: Text/Plain\r\n":       "",
		"Content-Type: text/plain\r\ncontent-type: text/html\r\n":        "",
		"Content-Type: text/plain\r\nContent-Type:\r\n":                  "",
		"Content-Type: text/plain\r\nContent-Type:   text/plain  \r\n":   `ct="text/plain"`,
		"Content-Type: text/plain, text/html\r\n":                        `ct="text/plain, text/html"`,
	}, func(fields string) string {
		return "POST / HTTP/1.1\r\nHost: h\r\n" + fields + "Content-Length: 2\r\n\r\nhi"
	})
	// The rule holds when the special fields are kept as received.
	var h RequestHeader
	h.DisableSpecialHeader()
	err := h.Read(bufio.NewReader(strings.NewReader("GET / HTTP/1.1\r\nHost: h\r\nContent-Type: a\r\nContent-Type: b\r\n\r\n")))
	if !errors.Is(err, errDupContentType) {
		t.Errorf("DisableSpecialHeader: %v", err)
	}
	h.Reset()
	h.DisableSpecialHeader()
	err = h.Read(bufio.NewReader(strings.NewReader("GET / HTTP/1.1\r\nHost: h\r\nContent-Type: a\r\nContent-Type: a\r\n\r\n")))
	if err != nil || fmt.Sprintf("%q", h.PeekAll("Content-Type")) != `["a"]` {
		t.Errorf("DisableSpecialHeader, repeat: %v %q", err, h.PeekAll("Content-Type"))
	}
}
