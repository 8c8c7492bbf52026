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
	// Each value is built the way a user would, then written out.
	writers := map[string]func() io.WriterTo{
		"Args": func() io.WriterTo { a := &Args{}; a.Set("key", "value"); return a },
		"Cookie": func() io.WriterTo {
			c := AcquireCookie()
			c.SetKey("session")
			c.SetValue("abcdef")
			return c
		},
		"RequestHeader":  func() io.WriterTo { h := &RequestHeader{}; h.SetHost("example.com"); return h },
		"ResponseHeader": func() io.WriterTo { h := &ResponseHeader{}; h.SetContentLength(5); return h },
		"URI":            func() io.WriterTo { u := &URI{}; u.SetHost("example.com"); u.SetPath("/path"); return u },
		"Request":        func() io.WriterTo { r := &Request{}; r.SetRequestURI("http://example.com/"); return r },
		"Response":       func() io.WriterTo { r := &Response{}; r.SetBodyString("hello, world"); return r },
	}
	for name, build := range writers {
		w := &shortWriter{n: 3}
		n, err := build().WriteTo(w)
		if !errors.Is(err, io.ErrShortWrite) || n > 3 || w.got.Len() != int(n) {
			t.Errorf("%s.WriteTo = %d, %v; want at most 3 and io.ErrShortWrite", name, n, err)
		}
	}
}
