package fasthttp

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"strings"
	"testing"
)

// FuzzMultipartForm: parsing never panics, and a parsed form written with
// WriteMultipartForm parses back to the same values.
func FuzzMultipartForm(f *testing.F) {
	f.Add(mdlFormBody)
	f.Add("--XX\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n\r\n--XX--\r\n")
	f.Add("garbage")
	f.Add("--XX\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--BOUND\r\n--XX--\r\n")
	f.Fuzz(func(t *testing.T, body string) {
		var req Request
		req.Header.SetContentType("multipart/form-data; boundary=XX")
		req.SetBodyString(body)
		form, err := req.MultipartFormWithLimit(1 << 20)
		if err != nil {
			return
		}
		defer req.RemoveMultipartFormFiles()
		var buf bytes.Buffer
		if err := WriteMultipartForm(&buf, form, "BOUND"); err != nil {
			if errors.Is(err, errBoundaryInPart) && bytes.Contains(buf.Bytes(), []byte("--BOUND--")) {
				t.Fatalf("refused form ends like a whole one: %q", buf.Bytes())
			}
			return // refused, or a file part that cannot be reopened
		}
		back, err := multipart.NewReader(&buf, "BOUND").ReadForm(1 << 20)
		if err != nil {
			t.Fatalf("written form does not parse: %v", err)
		}
		defer back.RemoveAll()
		if fmt.Sprint(back.Value) != fmt.Sprint(form.Value) || len(back.File) != len(form.File) {
			t.Fatalf("values %v became %v", form.Value, back.Value)
		}
	})
}

// FuzzWriteMultipartFormContent: content holding the delimiter line
// ("--BOUND" at its start or after an LF) is refused, as a value and as a
// file, leaving no closing delimiter; any other content is written and
// read back unchanged.
func FuzzWriteMultipartFormContent(f *testing.F) {
	for _, s := range []string{"", "v", "--BOUND", "a\r\n--BOUND--", "a\n--BOUNDX", "a\r--BOUND", "x--BOUND", "\r\n--BOUN"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, content string) {
		holds := strings.HasPrefix(content, "--BOUND") || strings.Contains(content, "\n--BOUND")
		var b bytes.Buffer
		mw := multipart.NewWriter(&b)
		fw, _ := mw.CreateFormFile("f", "n")
		_, _ = io.WriteString(fw, content)
		_ = mw.Close()
		src, err := multipart.NewReader(&b, mw.Boundary()).ReadForm(1 << 20)
		if err != nil {
			t.Skip("the standard library cannot carry this content")
		}
		defer src.RemoveAll()
		for _, form := range []*multipart.Form{
			{Value: map[string][]string{"v": {content}}},
			{File: src.File},
		} {
			var out bytes.Buffer
			err := WriteMultipartForm(&out, form, "BOUND")
			if holds {
				if !errors.Is(err, errBoundaryInPart) || bytes.Contains(out.Bytes(), []byte("--BOUND--")) {
					t.Fatalf("%q: %v, wrote %q", content, err, out.Bytes())
				}
				continue
			}
			if err != nil {
				t.Fatalf("%q: %v", content, err)
			}
			back, err := multipart.NewReader(&out, "BOUND").ReadForm(1 << 20)
			if err != nil {
				t.Fatalf("%q: written form does not parse: %v", content, err)
			}
			got := ""
			if form.Value != nil {
				got = back.Value["v"][0]
			} else {
				fh, _ := back.File["f"][0].Open()
				data, _ := io.ReadAll(fh)
				_ = fh.Close()
				got = string(data)
			}
			_ = back.RemoveAll()
			if got != content {
				t.Fatalf("%q read back as %q", content, got)
			}
		}
	})
}
