package fasthttp

import (
	"bytes"
	"errors"
	"io"
	"testing"
)

// shortWriter accepts at most n bytes of each write and reports no error,
// breaking io.Writer's contract; whoever writes to it must notice.
type shortWriter struct {
	n   int
	got bytes.Buffer
}

func (w *shortWriter) Write(p []byte) (int, error) {
	if len(p) > w.n {
		p = p[:w.n]
	}
	w.got.Write(p)
	return len(p), nil
}

// Every exported WriteTo reports a destination that takes less than it
// was given, without an error, as io.ErrShortWrite (as io.Copy does and
// upstream v1.79 does), never as success.
func TestWriteToReportsShortWrites(t *testing.T) {
	t.Parallel()
	var args Args
	args.Set("key", "value")
	var cookie Cookie
	cookie.SetKey("session")
	cookie.SetValue("abcdef")
	var rh RequestHeader
	rh.SetHost("example.com")
	var sh ResponseHeader
	sh.SetContentLength(5)
	var u URI
	if err := u.Parse(nil, []byte("http://example.com/path?q=1")); err != nil {
		t.Fatal(err)
	}
	var req Request
	req.SetRequestURI("http://example.com/")
	var resp Response
	resp.SetBodyString("hello, world")
	writers := map[string]io.WriterTo{
		"Args": &args, "Cookie": &cookie, "RequestHeader": &rh, "ResponseHeader": &sh,
		"URI": &u, "Request": &req, "Response": &resp,
	}
	for name, wt := range writers {
		w := &shortWriter{n: 3}
		n, err := wt.WriteTo(w)
		if !errors.Is(err, io.ErrShortWrite) || n > 3 || w.got.Len() != int(n) {
			t.Errorf("%s.WriteTo = %d, %v; want at most 3 and io.ErrShortWrite", name, n, err)
		}
	}
}
