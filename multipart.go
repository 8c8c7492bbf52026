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
// given boundary: the values, then the files, each in key order.
func WriteMultipartForm(w io.Writer, f *multipart.Form, boundary string) error {
	if boundary == "" {
		return errors.New("form boundary cannot be empty")
	}
	mw := multipart.NewWriter(w)
	if err := mw.SetBoundary(boundary); err != nil {
		return fmt.Errorf("cannot use form boundary %q: %w", boundary, err)
	}
	for _, k := range sortedKeys(f.Value) {
		for _, v := range f.Value[k] {
			if err := mw.WriteField(k, v); err != nil {
				return fmt.Errorf("cannot write form field %q value %q: %w", k, v, err)
			}
		}
	}
	for _, k := range sortedKeys(f.File) {
		for _, fv := range f.File[k] {
			if err := writeFormFile(mw, k, fv); err != nil {
				return err
			}
		}
	}
	return mw.Close()
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// writeFormFile writes one file part, its content read from fv.
func writeFormFile(mw *multipart.Writer, key string, fv *multipart.FileHeader) error {
	h := make(textproto.MIMEHeader)
	h.Set("Content-Disposition", `form-data; name="`+escapeQuotes(key)+`"; filename="`+escapeQuotes(fv.Filename)+`"`)
	ct := fv.Header.Get("Content-Type")
	if ct == "" {
		ct = "application/octet-stream"
	}
	h.Set("Content-Type", ct)
	vw, err := mw.CreatePart(h)
	if err != nil {
		return fmt.Errorf("cannot create form file %q (%q): %w", key, fv.Filename, err)
	}
	fh, err := fv.Open()
	if err != nil {
		return fmt.Errorf("cannot open form file %q (%q): %w", key, fv.Filename, err)
	}
	_, err = copyBody(vw, fh)
	_ = fh.Close()
	if err != nil {
		return fmt.Errorf("cannot copy form file %q (%q): %w", key, fv.Filename, err)
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
