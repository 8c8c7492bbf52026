package fasthttp

import (
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

var (
	// cfsPNGHead is the start of a PNG file, enough for sniffing.
	cfsPNGHead = "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
	cfsHTML    = "<!DOCTYPE html><html><body>" + strings.Repeat("<p>hello</p>", 40) + "</body></html>"
)

// Content-Type comes from the extension when Go's mime table knows it, and
// from the content otherwise (a PNG without an extension is image/png),
// for in-memory and handle-backed files alike, from the OS and from an
// fs.FS; a compressed copy keeps its source's type.
func TestFSContentTypeFromExtensionOrContent(t *testing.T) {
	t.Parallel()
	bigPNG := cfsPNGHead + strings.Repeat("\x00", fsMemFileSize+100) // read at an offset, not held
	files := map[string]string{
		"pic":              cfsPNGHead,
		"big-pic":          bigPNG,
		"fiberpng.jpeg":    cfsPNGHead, // the extension wins over the content
		"page.notvalidext": cfsHTML,
		"notes.unknownext": strings.Repeat("plain words ", 50),
		"blob":             "\x00\x01\x02\x03\xff\xfe",
		"style.css":        "body{}",
	}
	want := map[string]string{
		"pic":              "image/png",
		"big-pic":          "image/png",
		"fiberpng.jpeg":    "image/jpeg",
		"page.notvalidext": "text/html; charset=utf-8",
		"notes.unknownext": "text/plain; charset=utf-8",
		"blob":             "application/octet-stream",
		"style.css":        "text/css; charset=utf-8",
	}
	mfs := fstest.MapFS{}
	for name, content := range files {
		mfs[name] = &fstest.MapFile{Data: []byte(content), ModTime: cfsMTime}
	}
	root := cfsTree(t, files)
	handlers := map[string]RequestHandler{
		"os":    (&FS{Root: root, Compress: true}).NewRequestHandler(),
		"fs.FS": (&FS{FS: mfs, Compress: true}).NewRequestHandler(),
		"ServeFile": func(ctx *RequestCtx) {
			ServeFile(ctx, filepath.Join(root, string(ctx.Path()[1:])))
		},
		"ServeFS": func(ctx *RequestCtx) { ServeFS(ctx, mfs, string(ctx.Path())) },
	}
	for hname, h := range handlers {
		addr := cfsServer(t, h)
		for name, ct := range want {
			for round := 0; round < 2; round++ { // the second one is cached
				resp, body := cfsGet(t, "http://"+addr+"/"+name)
				if resp.StatusCode != 200 || string(body) != files[name] {
					t.Fatalf("%s %s: %d, %d bytes", hname, name, resp.StatusCode, len(body))
				}
				if got := resp.Header.Get("Content-Type"); got != ct {
					t.Errorf("%s %s: Content-Type %q, want %q", hname, name, got, ct)
				}
			}
		}
		resp, body := cfsGet(t, "http://"+addr+"/notes.unknownext", "Accept-Encoding: gzip")
		if resp.Header.Get("Content-Encoding") != "gzip" || resp.Header.Get("Content-Type") != want["notes.unknownext"] ||
			string(cfsDecode(t, "gzip", body)) != files["notes.unknownext"] {
			t.Errorf("%s: compressed copy: %v", hname, resp.Header)
		}
	}
}

// A zero or Unix-epoch modification time (embed.FS reports the zero time)
// means "unknown": no Last-Modified, no ETag, and If-Modified-Since cannot
// turn the answer into a 304. Any other time, 1970 included, is sent.
func TestFSNoLastModifiedForUnknownTimes(t *testing.T) {
	t.Parallel()
	epoch := time.Unix(0, 0)
	mfs := fstest.MapFS{
		"zero.txt":  {Data: []byte("zero")},
		"epoch.txt": {Data: []byte("epoch"), ModTime: epoch},
		"one.txt":   {Data: []byte("one"), ModTime: time.Unix(1, 0)},
		"known.txt": {Data: []byte("known"), ModTime: cfsMTime},
	}
	root := cfsTree(t, map[string]string{"epoch.txt": "epoch", "known.txt": "known"})
	if err := os.Chtimes(filepath.Join(root, "epoch.txt"), epoch, epoch); err != nil {
		t.Fatal(err)
	}
	check := func(hname string, h RequestHandler, files map[string]string) {
		addr := cfsServer(t, h)
		for name, lm := range files {
			resp, _ := cfsGet(t, "http://"+addr+"/"+name, "If-Modified-Since: "+time.Now().UTC().Format(http.TimeFormat))
			if lm == "" {
				if resp.StatusCode != 200 || resp.Header.Get("Last-Modified") != "" || resp.Header.Get("ETag") != "" {
					t.Errorf("%s %s: %d, Last-Modified %q, ETag %q", hname, name, resp.StatusCode,
						resp.Header.Get("Last-Modified"), resp.Header.Get("ETag"))
				}
				continue
			}
			if resp.StatusCode != 304 || resp.Header.Get("Last-Modified") != lm {
				t.Errorf("%s %s: %d, Last-Modified %q, want 304 and %q", hname, name, resp.StatusCode, resp.Header.Get("Last-Modified"), lm)
			}
		}
	}
	known := cfsMTime.Format(http.TimeFormat)
	check("fs.FS", (&FS{FS: mfs, GenerateETag: true}).NewRequestHandler(), map[string]string{
		"zero.txt": "", "epoch.txt": "", "one.txt": "Thu, 01 Jan 1970 00:00:01 GMT", "known.txt": known,
	})
	check("ServeFS", func(ctx *RequestCtx) { ServeFS(ctx, mfs, string(ctx.Path())) }, map[string]string{
		"zero.txt": "", "epoch.txt": "", "known.txt": known,
	})
	check("os", (&FS{Root: root, GenerateETag: true}).NewRequestHandler(), map[string]string{
		"epoch.txt": "", "known.txt": known,
	})

	var resp Response
	if err := resp.SendFile(filepath.Join(root, "epoch.txt")); err != nil {
		t.Fatal(err)
	}
	if got := resp.Header.Peek(HeaderLastModified); got != nil {
		t.Errorf("SendFile of an epoch file: Last-Modified %q", got)
	}
	resp.Reset()
	if err := resp.SendFile(filepath.Join(root, "known.txt")); err != nil {
		t.Fatal(err)
	}
	if got := string(resp.Header.Peek(HeaderLastModified)); got != known {
		t.Errorf("SendFile: Last-Modified %q", got)
	}
	resp.Reset()
	if err := resp.SendFile(root); err == nil {
		t.Error("SendFile of a directory succeeded")
	}
}

// FS.Root naming a file of an fs.FS serves that file for every request,
// as it does for the OS file system.
func TestFSRootIsAFileOfAnFS(t *testing.T) {
	t.Parallel()
	mfs := fstest.MapFS{
		"site/index.html": {Data: []byte(cfsHTML), ModTime: cfsMTime},
		"site/other.txt":  {Data: []byte("other"), ModTime: cfsMTime},
	}
	addr := cfsServer(t, (&FS{FS: mfs, Root: "site/index.html"}).NewRequestHandler())
	for _, p := range []string{"/", "/test/john/doe", "/other.txt", "/site/index.html"} {
		resp, body := cfsGet(t, "http://"+addr+p)
		if resp.StatusCode != 200 || string(body) != cfsHTML || resp.Header.Get("Content-Type") != "text/html; charset=utf-8" {
			t.Errorf("%s: %d %q, %d bytes", p, resp.StatusCode, resp.Header.Get("Content-Type"), len(body))
		}
	}
	// A directory Root still means a subtree.
	addr = cfsServer(t, (&FS{FS: mfs, Root: "site"}).NewRequestHandler())
	if resp, body := cfsGet(t, "http://"+addr+"/other.txt"); resp.StatusCode != 200 || string(body) != "other" {
		t.Errorf("subtree: %d %q", resp.StatusCode, body)
	}
}

// Every FS body, whether held in memory, read from a handle, a range or a
// compressed copy, reports io.ErrShortWrite to BodyWriteTo's caller
// when the destination takes less than it was given.
func TestFSBodiesReportShortWrites(t *testing.T) {
	t.Parallel()
	root := cfsTree(t, cfsStdFiles())
	h := (&FS{Root: root, AcceptByteRange: true, Compress: true, CompressBrotli: true, CompressZstd: true}).NewRequestHandler()
	cases := []struct {
		name, path string
		header     []string
	}{
		{"in memory", "/a.txt", nil},
		{"from a handle", "/big.txt", nil},
		{"range of a handle", "/big.txt", []string{HeaderRange, "bytes=10-5000"}},
		{"range in memory", "/a.txt", []string{HeaderRange, "bytes=10-500"}},
		{"gzip copy", "/big.txt", []string{HeaderAcceptEncoding, "gzip"}},
		{"brotli copy", "/a.txt", []string{HeaderAcceptEncoding, "br"}},
		{"zstd copy", "/big.txt", []string{HeaderAcceptEncoding, "zstd"}},
	}
	for _, c := range cases {
		var ctx RequestCtx
		ctx.Request.SetRequestURI(c.path)
		ctx.Request.Header.SetHost("test")
		for i := 0; i < len(c.header); i += 2 {
			ctx.Request.Header.Set(c.header[i], c.header[i+1])
		}
		h(&ctx)
		if code := ctx.Response.StatusCode(); code != 200 && code != 206 {
			t.Fatalf("%s: status %d", c.name, code)
		}
		w := &shortWriter{n: 7}
		if err := ctx.Response.BodyWriteTo(w); !errors.Is(err, io.ErrShortWrite) {
			t.Errorf("%s: BodyWriteTo error %v, want io.ErrShortWrite", c.name, err)
		}
		if w.got.Len() != 7 {
			t.Errorf("%s: %d bytes written before the short write", c.name, w.got.Len())
		}
		ctx.Response.Reset()
	}
}
