package fasthttp

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/textproto"
	"os"
	"slices"
	"strings"
)

// defaultMaxInMemoryFileSize is how much of a multipart form is held in
// memory; larger file parts go to temporary files.
const defaultMaxInMemoryFileSize = 16 * 1024 * 1024

// MultipartForm returns the multipart/form-data body parsed, with no body
// size limit; see MultipartFormWithLimit.
func (req *Request) MultipartForm() (*multipart.Form, error) {
	return req.MultipartFormWithLimit(0)
}

// MultipartFormWithLimit returns the multipart/form-data body parsed,
// reading at most maxBodySize bytes of it (0: no limit). It returns
// ErrNoMultipartForm when the Content-Type is not multipart/form-data with
// a boundary. Parts beyond 16 MiB in all go to temporary files: call
// RemoveMultipartFormFiles (or Reset) when done. The form is parsed once
// and kept.
func (req *Request) MultipartFormWithLimit(maxBodySize int) (*multipart.Form, error) {
	if req.multipartForm != nil {
		return req.multipartForm, nil
	}
	boundary := req.Header.MultipartFormBoundary()
	if len(boundary) == 0 {
		return nil, ErrNoMultipartForm
	}
	var body io.Reader
	var limited *limitedBodyReader
	if req.bodyStream != nil {
		body = req.bodyStream
		if maxBodySize > 0 {
			limited = &limitedBodyReader{r: body, n: int64(maxBodySize)}
			body = limited
		}
	} else {
		b := req.bodyBytes()
		if maxBodySize > 0 && len(b) > maxBodySize {
			return nil, fmt.Errorf("cannot read multipart/form-data body: %w", ErrBodyTooLarge)
		}
		body = bytes.NewReader(b)
	}
	if ce := req.Header.ContentEncoding(); len(ce) > 0 && !equalFoldString(ce, "identity") {
		dec, err := newLimitedDecodingReader(ce, body, req.bodyDecodeLimit)
		if err != nil {
			return nil, err
		}
		body = dec
	}
	f, err := multipart.NewReader(body, string(boundary)).ReadForm(defaultMaxInMemoryFileSize)
	if err != nil {
		if limited != nil && limited.exceeded {
			// The parser may report the cut as a syntax error.
			err = ErrBodyTooLarge
		}
		return nil, fmt.Errorf("cannot read multipart/form-data body: %w", err)
	}
	req.multipartForm = f
	req.multipartFormBoundary = string(boundary)
	return f, nil
}

// limitedBodyReader yields at most n bytes and then fails with
// ErrBodyTooLarge if the source holds more, where io.LimitReader would end
// quietly and let a truncated form pass.
type limitedBodyReader struct {
	r        io.Reader
	n        int64
	exceeded bool
}

func (l *limitedBodyReader) Read(p []byte) (int, error) {
	if l.n <= 0 {
		var one [1]byte
		n, err := l.r.Read(one[:])
		if n > 0 {
			l.exceeded = true
			return 0, ErrBodyTooLarge
		}
		return 0, err
	}
	if int64(len(p)) > l.n {
		p = p[:l.n]
	}
	n, err := l.r.Read(p)
	l.n -= int64(n)
	return n, err
}

// RemoveMultipartFormFiles removes the temporary files of the parsed
// multipart form and forgets the form.
func (req *Request) RemoveMultipartFormFiles() {
	if req.multipartForm != nil {
		_ = req.multipartForm.RemoveAll()
		req.multipartForm = nil
	}
	req.multipartFormBoundary = ""
}

// WriteMultipartForm writes f to w as a multipart/form-data body with the
// given boundary: the values, then the files, each in key order. A value
// or file whose content holds the boundary's delimiter line ("--" and the
// boundary at the start of a line) is refused with an error, since a
// reader would take it for the end of the part: nothing from that part's
// content on is written, so what w received never parses as a complete
// form.
func WriteMultipartForm(w io.Writer, f *multipart.Form, boundary string) error {
	mw, err := newFormWriter(w, boundary)
	if err != nil {
		return err
	}
	guard := boundaryGuard{dash: "--" + boundary}
	for _, name := range sortedKeys(f.Value) {
		for _, v := range f.Value[name] {
			if guard.reset(); guard.holdsDelimiter(s2b(v)) {
				return fmt.Errorf("cannot write form field %q: %w", name, errBoundaryInPart)
			}
			if err := mw.WriteField(name, v); err != nil {
				return fmt.Errorf("cannot write form field %q: %w", name, err)
			}
		}
	}
	for _, name := range sortedKeys(f.File) {
		for _, fh := range f.File[name] {
			if err := writeFormFile(mw, &guard, name, fh); err != nil {
				return err
			}
		}
	}
	return mw.Close()
}

// newFormWriter returns a multipart writer for w using boundary, which
// must be non-empty and valid for RFC 2046.
func newFormWriter(w io.Writer, boundary string) (*multipart.Writer, error) {
	if len(boundary) == 0 {
		return nil, errors.New("fasthttp: empty multipart form boundary")
	}
	mw := multipart.NewWriter(w)
	if err := mw.SetBoundary(boundary); err != nil {
		return nil, fmt.Errorf("fasthttp: multipart form boundary %q: %w", boundary, err)
	}
	return mw, nil
}

// errBoundaryInPart is returned by WriteMultipartForm for part content
// holding the boundary's delimiter line.
var errBoundaryInPart = errors.New("fasthttp: part content holds the multipart boundary")

// boundaryGuard watches a part's content, in as many pieces as it comes,
// for the boundary's delimiter: dash at the start of the content or right
// after an LF (a bare LF included, as Go's reader accepts one). It keeps
// the end of what it saw so that a delimiter split across pieces is found.
type boundaryGuard struct {
	dash   string // "--" + boundary
	window []byte // tail of the content so far, then the piece being checked
	tail   int    // how many bytes of window are that tail
}

// reset starts a new part: its content begins a line.
func (g *boundaryGuard) reset() {
	g.window = append(g.window[:0], '\n')
	g.tail = 1
}

// holdsDelimiter reports whether p, following what the guard saw of the
// part so far, completes a delimiter, and keeps the end of p for the next
// piece.
func (g *boundaryGuard) holdsDelimiter(p []byte) bool {
	g.window = append(g.window[:g.tail], p...)
	for rest := g.window; ; {
		i := bytes.IndexByte(rest, '\n')
		if i < 0 {
			break
		}
		rest = rest[i+1:]
		if len(rest) >= len(g.dash) && b2s(rest[:len(g.dash)]) == g.dash {
			return true
		}
	}
	// An LF and part of a delimiter may still be completed by the next
	// piece: keep as many bytes as a delimiter line takes.
	keep := min(len(g.window), len(g.dash))
	copy(g.window, g.window[len(g.window)-keep:])
	g.tail = keep
	return false
}

// guardedPart is a part's writer that refuses content completing a
// delimiter before writing any of it.
type guardedPart struct {
	w     io.Writer
	guard *boundaryGuard
}

func (gp guardedPart) Write(p []byte) (int, error) {
	if gp.guard.holdsDelimiter(p) {
		return 0, errBoundaryInPart
	}
	return gp.w.Write(p)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// writeFormFile writes one file part, its content read from fh and passed
// through guard.
func writeFormFile(mw *multipart.Writer, guard *boundaryGuard, key string, fh *multipart.FileHeader) error {
	ph := make(textproto.MIMEHeader)
	ph.Set("Content-Disposition", `form-data; name="`+escapeQuotes(key)+`"; filename="`+escapeQuotes(fh.Filename)+`"`)
	ct := fh.Header.Get("Content-Type")
	if ct == "" {
		ct = "application/octet-stream"
	}
	ph.Set("Content-Type", ct)
	part, err := mw.CreatePart(ph)
	if err != nil {
		return fmt.Errorf("cannot create form file %q (%q): %w", key, fh.Filename, err)
	}
	src, err := fh.Open()
	if err != nil {
		return fmt.Errorf("cannot open form file %q (%q): %w", key, fh.Filename, err)
	}
	guard.reset()
	_, err = copyBody(guardedPart{w: part, guard: guard}, src)
	_ = src.Close()
	if err != nil {
		return fmt.Errorf("cannot copy form file %q (%q): %w", key, fh.Filename, err)
	}
	return nil
}

// quoteEscaper escapes a quoted-string for Content-Disposition and drops
// line breaks, so a name cannot start a new part header.
var quoteEscaper = strings.NewReplacer("\\", "\\\\", `"`, "\\\"", "\r", "", "\n", "")

func escapeQuotes(s string) string {
	return quoteEscaper.Replace(s)
}

// SaveMultipartFile saves the uploaded file fh to path. path is used as
// given: never build it from fh.Filename without checking it, since the
// client chooses that name.
func SaveMultipartFile(fh *multipart.FileHeader, path string) error {
	// The part is copied, never moved from its temporary file, so that it
	// can be saved again and the form still cleans up after itself.
	f, err := fh.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	out, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(out, 32<<10)
	if _, err = copyBody(bw, f); err == nil {
		err = bw.Flush()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return err
}
