package fasthttp

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const mdlFormBody = "--XX\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n" +
	"--XX\r\nContent-Disposition: form-data; name=\"f\"; filename=\"f.txt\"\r\nContent-Type: text/plain\r\n\r\nfiledata\r\n" +
	"--XX--\r\n"

func TestRequestMultipartForm(t *testing.T) {
	t.Parallel()
	var r Request
	r.Header.SetContentType("multipart/form-data; boundary=XX")
	r.SetBodyString(mdlFormBody)
	f, err := r.MultipartForm()
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Value["a"]) != 1 || f.Value["a"][0] != "1" || len(f.File["f"]) != 1 || f.File["f"][0].Filename != "f.txt" {
		t.Fatalf("form = %v %v", f.Value, f.File)
	}
	// Parsed once, then kept.
	if f2, err := r.MultipartFormWithLimit(10); err != nil || f2 != f {
		t.Fatalf("second call: %v", err)
	}
	defer r.RemoveMultipartFormFiles()

	var r2 Request
	r2.Header.SetContentType("multipart/form-data; boundary=XX")
	r2.SetBodyString(mdlFormBody)
	if _, err := r2.MultipartFormWithLimit(10); !errors.Is(err, ErrBodyTooLarge) {
		t.Fatalf("limit: %v", err)
	}
	var r3 Request
	if _, err := r3.MultipartForm(); !errors.Is(err, ErrNoMultipartForm) {
		t.Fatalf("no form: %v", err)
	}
	var r4 Request
	r4.Header.SetContentType("multipart/form-data; boundary=XX")
	r4.SetBodyString("garbage")
	if _, err := r4.MultipartForm(); err == nil || !strings.HasPrefix(err.Error(), "cannot read multipart/form-data body: ") {
		t.Fatalf("garbage: %v", err)
	}
	// A streamed body is parsed from its stream, within the limit.
	var r5 Request
	r5.Header.SetContentType("multipart/form-data; boundary=XX")
	r5.SetBodyStream(strings.NewReader(mdlFormBody), -1)
	if _, err := r5.MultipartFormWithLimit(10); !errors.Is(err, ErrBodyTooLarge) {
		t.Fatalf("stream limit: %v", err)
	}
}

func TestRequestReadPreParsesMultipart(t *testing.T) {
	t.Parallel()
	raw := fmt.Sprintf("POST / HTTP/1.1\r\nHost: h\r\nContent-Type: multipart/form-data; boundary=XX\r\nContent-Length: %d\r\n\r\n%s", len(mdlFormBody), mdlFormBody)
	var r Request
	if err := r.Read(bufio.NewReader(strings.NewReader(raw))); err != nil {
		t.Fatal(err)
	}
	defer r.RemoveMultipartFormFiles()
	if r.multipartForm == nil {
		t.Fatal("Read did not parse the form")
	}
	if string(r.Body()) != mdlFormBody {
		t.Fatalf("body = %q", r.Body())
	}
	bad := "POST / HTTP/1.1\r\nHost: h\r\nContent-Type: multipart/form-data; boundary=XX\r\nContent-Length: 7\r\n\r\ngarbage"
	var r2 Request
	if err := r2.Read(bufio.NewReader(strings.NewReader(bad))); err == nil {
		t.Fatal("malformed form accepted")
	}
	// Without pre-parsing the body is read and the form left for later.
	var r3 Request
	br := bufio.NewReader(strings.NewReader(bad))
	_ = r3.Header.Read(br)
	if err := r3.ContinueReadBody(br, 0, false); err != nil || string(r3.Body()) != "garbage" {
		t.Fatalf("no pre-parse: %v", err)
	}
}

func TestWriteMultipartForm(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	var r Request
	r.Header.SetContentType("multipart/form-data; boundary=XX")
	r.SetBodyString(mdlFormBody)
	f, err := r.MultipartForm()
	if err != nil {
		t.Fatal(err)
	}
	f.Value["b"] = []string{"x\"y", "2"}
	var b bytes.Buffer
	if err := WriteMultipartForm(&b, f, "BOUND"); err != nil {
		t.Fatal(err)
	}
	// The output parses back to the same form.
	back, err := multipart.NewReader(&b, "BOUND").ReadForm(1 << 20)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(back.Value) != fmt.Sprint(f.Value) || back.File["f"][0].Filename != "f.txt" {
		t.Fatalf("round trip: %v %v", back.Value, back.File)
	}
	fh, _ := back.File["f"][0].Open()
	data, _ := io.ReadAll(fh)
	_ = fh.Close()
	if string(data) != "filedata" {
		t.Fatalf("file data %q", data)
	}
	if err := WriteMultipartForm(&b, f, ""); err == nil {
		t.Fatal("empty boundary accepted")
	}
	// SaveMultipartFile copies, so a file can be saved twice.
	for _, name := range []string{"one.txt", "two.txt"} {
		p := filepath.Join(dir, name)
		if err := SaveMultipartFile(f.File["f"][0], p); err != nil {
			t.Fatal(err)
		}
		if got, _ := os.ReadFile(p); string(got) != "filedata" {
			t.Fatalf("%s holds %q", name, got)
		}
	}
	r.RemoveMultipartFormFiles()
	if r.multipartForm != nil {
		t.Fatal("RemoveMultipartFormFiles kept the form")
	}
}

// A form held without body bytes is written out for Body, Write and CopyTo.
func TestRequestFormWithoutBody(t *testing.T) {
	t.Parallel()
	var src Request
	src.Header.SetContentType("multipart/form-data; boundary=XX")
	src.SetBodyString(mdlFormBody)
	f, err := src.MultipartForm()
	if err != nil {
		t.Fatal(err)
	}
	defer src.RemoveMultipartFormFiles()
	var r Request
	r.SetRequestURI("http://h/up")
	r.Header.SetMethod(MethodPost)
	r.Header.SetContentType("multipart/form-data; boundary=XX")
	r.multipartForm = f
	r.multipartFormBoundary = "XX"
	body := string(r.Body())
	if !strings.Contains(body, "filedata") || !strings.HasSuffix(body, "--XX--\r\n") {
		t.Fatalf("Body = %q", body)
	}
	var d Request
	r.CopyTo(&d)
	if string(d.Body()) != body {
		t.Fatal("CopyTo lost the form")
	}
	out, err := mdlWriteRequest(t, &d)
	if err != nil || !strings.HasSuffix(out, body) {
		t.Fatalf("Write: %v", err)
	}
	r.multipartForm = nil // owned by src
}

// A browser-style upload through net/http reaches the handler's form.
func TestMultipartUploadRealSocket(t *testing.T) {
	t.Parallel()
	for _, host := range mdlHosts(t) {
		s := &Server{Handler: func(ctx *RequestCtx) {
			fh, err := ctx.FormFile("file")
			if err != nil {
				ctx.Error(err.Error(), StatusBadRequest)
				return
			}
			f, err := fh.Open()
			if err != nil {
				ctx.Error(err.Error(), StatusInternalServerError)
				return
			}
			data, _ := io.ReadAll(f)
			_ = f.Close()
			fmt.Fprintf(ctx, "%s|%s|%d|%s", ctx.FormValue("name"), fh.Filename, len(data), data[:5])
		}}
		addr := mdlServe(t, s, host)
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		_ = mw.WriteField("name", "gopher")
		fw, _ := mw.CreateFormFile("file", "up.bin")
		_, _ = fw.Write(bytes.Repeat([]byte("abcde"), 20000))
		_ = mw.Close()
		resp, err := mdlHTTPClient().Post("http://"+addr+"/upload", mw.FormDataContentType(), &body)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if resp.StatusCode != http.StatusOK || string(got) != "gopher|up.bin|100000|abcde" {
			t.Fatalf("%s: %d %q", host, resp.StatusCode, got)
		}
	}
}

// formFile makes the FileHeader of an uploaded file holding content.
func formFile(t *testing.T, name, content string) *multipart.FileHeader {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	w, _ := mw.CreateFormFile("f", name)
	_, _ = io.WriteString(w, content)
	_ = mw.Close()
	f, err := multipart.NewReader(&b, mw.Boundary()).ReadForm(1 << 20)
	if err != nil {
		t.Fatal(err)
	}
	return f.File["f"][0]
}

// WriteMultipartForm refuses a value or file holding the boundary's
// delimiter line, "--BOUND" at the start of the content or after an LF:
// what it wrote then never parses as a complete form, and never holds the
// smuggled delimiter. Near misses are written and read back unchanged.
func TestWriteMultipartFormRefusesBoundary(t *testing.T) {
	t.Parallel()
	for _, v := range []string{"--BOUND", "a\r\n--BOUND\r\nb", "\r\n--BOUND--", "\r\n--BOUNDX", "\n--BOUND\n", "a\r\n--BOUND"} {
		for _, asFile := range []bool{false, true} {
			f := &multipart.Form{Value: map[string][]string{"a": {"first"}}}
			if asFile {
				f.File = map[string][]*multipart.FileHeader{"f": {formFile(t, "n.txt", v)}}
			} else {
				f.Value["b"] = []string{v}
			}
			var out bytes.Buffer
			err := WriteMultipartForm(&out, f, "BOUND")
			if !errors.Is(err, errBoundaryInPart) {
				t.Errorf("%q (file %v): %v", v, asFile, err)
			}
			// The first part went out; of the refused one only a file's
			// part header did (it is written before the content is read).
			delimiters := 1
			if asFile {
				delimiters = 2
			}
			if !strings.HasPrefix(out.String(), "--BOUND\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nfirst") ||
				strings.Count(out.String(), "--BOUND") != delimiters || strings.Contains(out.String(), "--BOUND--") {
				t.Errorf("%q (file %v): wrote %q", v, asFile, out.String())
			}
			if _, err := multipart.NewReader(&out, "BOUND").ReadForm(1 << 20); err == nil {
				t.Errorf("%q (file %v): partial output parses as a form", v, asFile)
			}
		}
	}
	for _, v := range []string{"x--BOUND", "\r--BOUND", "\r\n--BOUN", "-\n-BOUND", "BOUND"} {
		f := &multipart.Form{
			Value: map[string][]string{"a": {v}},
			File:  map[string][]*multipart.FileHeader{"f": {formFile(t, "n.txt", v)}},
		}
		var out bytes.Buffer
		if err := WriteMultipartForm(&out, f, "BOUND"); err != nil {
			t.Fatalf("%q: %v", v, err)
		}
		back, err := multipart.NewReader(&out, "BOUND").ReadForm(1 << 20)
		if err != nil || back.Value["a"][0] != v {
			t.Fatalf("%q: read back %v, %v", v, back, err)
		}
		fh, _ := back.File["f"][0].Open()
		data, _ := io.ReadAll(fh)
		_ = fh.Close()
		if string(data) != v {
			t.Fatalf("%q: file read back %q", v, data)
		}
	}
}

// A file's delimiter is found wherever it falls in the pieces the content
// is copied in, even across two of them.
func TestWriteMultipartFormBoundaryAcrossPieces(t *testing.T) {
	t.Parallel()
	piece := 16 << 10 // the copy buffer
	for _, at := range []int{piece - 3, piece - 1, piece, 3*piece - 5} {
		content := strings.Repeat("y", at) + "\n--BOUND" + strings.Repeat("z", 100)
		var out bytes.Buffer
		err := WriteMultipartForm(&out, &multipart.Form{File: map[string][]*multipart.FileHeader{"f": {formFile(t, "n", content)}}}, "BOUND")
		if !errors.Is(err, errBoundaryInPart) || strings.Count(out.String(), "--BOUND") != 1 {
			t.Errorf("delimiter at %d: %v, %d bytes out", at, err, out.Len())
		}
	}
}
