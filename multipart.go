package fasthttp

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/textproto"
	"os"
	"strings"
)

// WriteMultipartForm writes f to w as a multipart/form-data body with the
// given boundary: values first, then files read from their headers.
func WriteMultipartForm(w io.Writer, f *multipart.Form, boundary string) error {
	if boundary == "" {
		return errors.New("form boundary cannot be empty")
	}
	mw := multipart.NewWriter(w)
	if err := mw.SetBoundary(boundary); err != nil {
		return fmt.Errorf("cannot use form boundary %q: %w", boundary, err)
	}
	for k, vv := range f.Value {
		for _, v := range vv {
			if err := mw.WriteField(k, v); err != nil {
				return fmt.Errorf("cannot write form field %q: %w", k, err)
			}
		}
	}
	for k, fvv := range f.File {
		for _, fv := range fvv {
			h := make(textproto.MIMEHeader)
			h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="%s"; filename="%s"`,
				escapeQuotes(k), escapeQuotes(fv.Filename)))
			ct := fv.Header.Get("Content-Type")
			if ct == "" {
				ct = "application/octet-stream"
			}
			h.Set("Content-Type", ct)
			vw, err := mw.CreatePart(h)
			if err != nil {
				return fmt.Errorf("cannot create form file %q (%q): %w", k, fv.Filename, err)
			}
			fh, err := fv.Open()
			if err != nil {
				return fmt.Errorf("cannot open form file %q (%q): %w", k, fv.Filename, err)
			}
			_, err = io.Copy(vw, fh)
			_ = fh.Close()
			if err != nil {
				return fmt.Errorf("cannot copy form file %q (%q): %w", k, fv.Filename, err)
			}
		}
	}
	return mw.Close()
}

var quoteEscaper = strings.NewReplacer("\\", "\\\\", `"`, "\\\"", "\r", "", "\n", "")

func escapeQuotes(s string) string {
	return quoteEscaper.Replace(s)
}

// SaveMultipartFile saves the uploaded file fh to path.
func SaveMultipartFile(fh *multipart.FileHeader, path string) error {
	f, err := fh.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	if ff, ok := f.(*os.File); ok {
		// A file already on disk: try a rename first.
		if err := ff.Close(); err == nil {
			if err := os.Rename(ff.Name(), path); err == nil {
				return nil
			}
		}
		if f, err = fh.Open(); err != nil {
			return err
		}
		defer f.Close()
	}
	out, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(out, 32<<10)
	if _, err = io.Copy(bw, f); err == nil {
		err = bw.Flush()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return err
}
