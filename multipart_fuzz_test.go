package fasthttp

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"testing"
)

// FuzzMultipartForm: parsing never panics, and a parsed form written with
// WriteMultipartForm parses back to the same values.
func FuzzMultipartForm(f *testing.F) {
	f.Add(mdlFormBody)
	f.Add("--XX\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n\r\n--XX--\r\n")
	f.Add("garbage")
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
			return // e.g. a file part that cannot be reopened
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
