package fasthttp

import (
	"bufio"
	"bytes"
	"strings"
	"testing"
)

// FuzzRequestRead: reading never panics, and a request that was read and
// can be written reads back with the same method, path and body.
func FuzzRequestRead(f *testing.F) {
	for _, s := range []string{
		"GET /x?a=1 HTTP/1.1\r\nHost: h.com\r\n\r\n",
		"POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\na=1&b",
		"POST /x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nTrailer: X-T\r\n\r\n5\r\nhello\r\n0\r\nX-T: v\r\n\r\n",
		"GET http://Other.com/abs?q HTTP/1.1\r\nHost: h\r\n\r\n",
		"POST / HTTP/1.1\r\nHost: h\r\nContent-Type: multipart/form-data; boundary=XX\r\nContent-Length: 7\r\n\r\ngarbage",
		"PUT /a%2fb/../c HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\nx",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var req Request
		if err := req.ReadLimitBody(bufio.NewReader(strings.NewReader(s)), 1<<20); err != nil {
			return
		}
		if req.MayContinue() {
			return
		}
		defer req.RemoveMultipartFormFiles()
		method := string(req.Header.Method())
		path := string(req.URI().Path())
		body := string(req.Body())
		var buf bytes.Buffer
		if _, err := req.WriteTo(&buf); err != nil {
			return
		}
		var again Request
		if err := again.ReadLimitBody(bufio.NewReader(&buf), 1<<20); err != nil {
			t.Fatalf("%q wrote %q, which does not read: %v", s, buf.String(), err)
		}
		defer again.RemoveMultipartFormFiles()
		if string(again.Header.Method()) != method || string(again.URI().Path()) != path || string(again.Body()) != body {
			t.Fatalf("%q: %s %q %q became %s %q %q", s, method, path, body, again.Header.Method(), again.URI().Path(), again.Body())
		}
	})
}
