package fasthttp

import (
	"bufio"
	"bytes"
	"strings"
	"testing"
)

// FuzzResponseRead: reading never panics, and a response read and written
// again reads back with the same status and body.
func FuzzResponseRead(f *testing.F) {
	for _, s := range []string{
		"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-T\r\n\r\n5\r\nhello\r\n0\r\nX-T: v\r\n\r\n",
		"HTTP/1.1 200 OK\r\n\r\nuntil eof",
		"HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\nhello",
		"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\nno",
	} {
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, s string, stream bool) {
		var resp Response
		resp.StreamBody = stream
		if err := resp.ReadLimitBody(bufio.NewReader(strings.NewReader(s)), 1<<20); err != nil {
			return
		}
		code := resp.StatusCode()
		if code < 100 || code > 999 {
			// The header parser's business: such a status line should
			// not have been accepted in the first place.
			return
		}
		body := string(resp.Body())
		if stream && resp.Header.ContentLength() == -2 {
			// The body ran to the end of the input: its length is known now.
			resp.Header.SetContentLength(len(body))
		}
		var buf bytes.Buffer
		if _, err := resp.WriteTo(&buf); err != nil {
			return
		}
		var again Response
		if err := again.ReadLimitBody(bufio.NewReader(&buf), 1<<20); err != nil {
			t.Fatalf("%q wrote %q, which does not read: %v", s, buf.String(), err)
		}
		if again.StatusCode() != code || (!resp.Header.mustSkipContentLength() && string(again.Body()) != body) {
			t.Fatalf("%q: %d %q became %d %q", s, code, body, again.StatusCode(), again.Body())
		}
	})
}
