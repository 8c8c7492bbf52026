package fasthttp

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"
)

// cfsTree writes files (name -> content, '/'-separated) under a new
// temporary directory and returns it. Every file gets the same fixed
// modification time, so Last-Modified is predictable.
var cfsMTime = time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)

func cfsTree(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if strings.HasSuffix(name, "/") {
			if err := os.MkdirAll(p, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, cfsMTime, cfsMTime); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

var (
	cfsBig    = strings.Repeat("abcdefghijklmnopqrstuvwxyz\n", 2000) // 54000 bytes: served from a handle
	cfsMedium = strings.Repeat("0123456789", 104)                    // 1040 bytes: held in memory
	cfsPNG    = func() string {
		b := make([]byte, 3000)
		_, _ = rand.Read(b)
		return string(b)
	}()
)

func cfsStdFiles() map[string]string {
	return map[string]string{
		"a.txt":                cfsMedium,
		"big.txt":              cfsBig,
		"small.txt":            "tiny",
		"pic.png":              cfsPNG,
		"data.json":            `{"k":"` + strings.Repeat("v", 500) + `"}`,
		"noext":                "no extension here",
		"sub/x.js":             strings.Repeat("var x = 1;\n", 100),
		"sub/<b>&'\".txt":      "escape me",
		"withindex/index.html": "<html>index page</html>",
		"emptydir/":            "",
		"%61.txt":              "percent-a file",
	}
}

func TestFSServesFiles(t *testing.T) {
	t.Parallel()
	root := cfsTree(t, cfsStdFiles())
	fs := &FS{Root: root, IndexNames: []string{"index.html"}, AcceptByteRange: true, GenerateETag: true}
	addr := cfsServer(t, fs.NewRequestHandler())
	lastMod := cfsMTime.Format(http.TimeFormat)
	cases := []struct {
		path, body, ct string
	}{
		{"/a.txt", cfsMedium, "text/plain; charset=utf-8"},
		{"/big.txt", cfsBig, "text/plain; charset=utf-8"},
		{"/small.txt", "tiny", "text/plain; charset=utf-8"},
		{"/pic.png", cfsPNG, "image/png"},
		{"/data.json", `{"k":"` + strings.Repeat("v", 500) + `"}`, "application/json"},
		{"/noext", "no extension here", "text/plain; charset=utf-8"}, // sniffed
		{"/sub/x.js", strings.Repeat("var x = 1;\n", 100), "text/javascript; charset=utf-8"},
		{"/withindex/", "<html>index page</html>", "text/html; charset=utf-8"},
		{"/%2561.txt", "percent-a file", "text/plain; charset=utf-8"},
	}
	for round := 0; round < 2; round++ { // the second round hits the cache
		for _, c := range cases {
			resp, body := cfsGet(t, "http://"+addr+c.path)
			if resp.StatusCode != 200 || string(body) != c.body {
				t.Fatalf("%s: %d, %d bytes", c.path, resp.StatusCode, len(body))
			}
			if got := resp.Header.Get("Content-Type"); got != c.ct {
				t.Errorf("%s: Content-Type %q, want %q", c.path, got, c.ct)
			}
			if got := resp.Header.Get("Last-Modified"); got != lastMod {
				t.Errorf("%s: Last-Modified %q", c.path, got)
			}
			if got := resp.Header.Get("Accept-Ranges"); got != "bytes" {
				t.Errorf("%s: Accept-Ranges %q", c.path, got)
			}
			wantTag := fmt.Sprintf(`W/"%x-%x"`, cfsMTime.Unix(), len(c.body))
			if got := resp.Header.Get("ETag"); got != wantTag {
				t.Errorf("%s: ETag %q, want %q", c.path, got, wantTag)
			}
			if resp.Header.Get("Content-Encoding") != "" || resp.Header.Get("Vary") != "" {
				t.Errorf("%s: unexpected coding headers %v", c.path, resp.Header)
			}
		}
	}
	for _, p := range []string{"/missing.txt", "/sub/missing", "/a.txt/more"} {
		resp, body := cfsGet(t, "http://"+addr+p)
		if resp.StatusCode != 404 || string(body) != "Cannot open requested path" {
			t.Errorf("%s: %d %q", p, resp.StatusCode, body)
		}
	}
}

func TestFSDirectories(t *testing.T) {
	t.Parallel()
	root := cfsTree(t, cfsStdFiles())
	gen := &FS{Root: root, IndexNames: []string{"index.html"}, GenerateIndexPages: true, Compress: true}
	addr := cfsServer(t, gen.NewRequestHandler())

	resp, _ := cfsGet(t, "http://"+addr+"/sub?x=1")
	if resp.StatusCode != 302 || resp.Header.Get("Location") != "/sub/?x=1" {
		t.Fatalf("redirect: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	// The compressed copy a.txt.fasthttp.gz must not show in listings.
	cfsGet(t, "http://"+addr+"/a.txt", "Accept-Encoding: gzip")
	resp, body := cfsGet(t, "http://"+addr+"/")
	page := string(body)
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("listing: %d %v", resp.StatusCode, resp.Header)
	}
	for _, want := range []string{`href="./a.txt"`, `href="./sub/" class="dir"`, `href="./emptydir/"`, "1040 bytes"} {
		if !strings.Contains(page, want) {
			t.Errorf("root listing lacks %q:\n%s", want, page)
		}
	}
	if strings.Contains(page, "fasthttp.gz") || strings.Contains(page, `href="../"`) {
		t.Errorf("root listing shows a compressed copy or a parent link:\n%s", page)
	}
	_, body = cfsGet(t, "http://"+addr+"/sub/")
	page = string(body)
	if strings.Contains(page, "<b>") || strings.Contains(page, `'"`) {
		t.Fatalf("file name not escaped:\n%s", page)
	}
	for _, want := range []string{`&lt;b&gt;&amp;&#39;&#34;.txt</a>`, `href="./%3Cb%3E&amp;%27%22.txt"`, `href="../"`, "<title>/sub/</title>"} {
		if !strings.Contains(page, want) {
			t.Errorf("sub listing lacks %q:\n%s", want, page)
		}
	}
	// Following the escaped link reaches the file.
	_, body = cfsGetPath(t, addr, "/sub/%3Cb%3E&'%22.txt")
	if string(body) != "escape me" {
		t.Fatalf("escaped link: %q", body)
	}

	noGen := &FS{Root: root}
	addr2 := cfsServer(t, noGen.NewRequestHandler())
	resp, body = cfsGet(t, "http://"+addr2+"/emptydir/")
	if resp.StatusCode != 403 || string(body) != "Directory index is forbidden" {
		t.Fatalf("no index: %d %q", resp.StatusCode, body)
	}
}

func TestFSByteRanges(t *testing.T) {
	t.Parallel()
	root := cfsTree(t, cfsStdFiles())
	fs := &FS{Root: root, AcceptByteRange: true, Compress: true}
	addr := cfsServer(t, fs.NewRequestHandler())
	for _, file := range []string{"a.txt", "big.txt"} { // in memory and from a handle
		content := cfsMedium
		if file == "big.txt" {
			content = cfsBig
		}
		n := len(content)
		cases := []struct {
			rng, want, cr string
			status        int
		}{
			{"bytes=0-9", content[:10], fmt.Sprintf("bytes 0-9/%d", n), 206},
			{"bytes=10-", content[10:], fmt.Sprintf("bytes 10-%d/%d", n-1, n), 206},
			{"bytes=-5", content[n-5:], fmt.Sprintf("bytes %d-%d/%d", n-5, n-1, n), 206},
			{"bytes=5-999999", content[5:], fmt.Sprintf("bytes 5-%d/%d", n-1, n), 206},
			{fmt.Sprintf("bytes=%d-", n), "Range Not Satisfiable", fmt.Sprintf("bytes */%d", n), 416},
			{"bytes=9-2", "Range Not Satisfiable", fmt.Sprintf("bytes */%d", n), 416},
			{"bytes=-0", "Range Not Satisfiable", fmt.Sprintf("bytes */%d", n), 416},
			{"bytes=0-1,5-6", content, "", 200},
			{"items=0-1", content, "", 200},
		}
		for _, c := range cases {
			// Compression never applies to ranges: offsets are the file's.
			resp, body := cfsGet(t, "http://"+addr+"/"+file, "Range: "+c.rng, "Accept-Encoding: gzip")
			if resp.StatusCode != c.status || string(body) != c.want || resp.Header.Get("Content-Range") != c.cr {
				t.Errorf("%s %s: %d %q %q", file, c.rng, resp.StatusCode, resp.Header.Get("Content-Range"), body)
			}
			if resp.Header.Get("Content-Encoding") != "" {
				t.Errorf("%s %s: compressed range", file, c.rng)
			}
		}
		lm := cfsMTime.Format(http.TimeFormat)
		resp, body := cfsGet(t, "http://"+addr+"/"+file, "Range: bytes=0-3", "If-Range: "+lm)
		if resp.StatusCode != 206 || string(body) != content[:4] {
			t.Errorf("If-Range date match: %d", resp.StatusCode)
		}
		resp, _ = cfsGet(t, "http://"+addr+"/"+file, "Range: bytes=0-3", "If-Range: Mon, 01 Jan 2001 00:00:00 GMT")
		if resp.StatusCode != 200 {
			t.Errorf("If-Range date mismatch: %d", resp.StatusCode)
		}
	}
	off := &FS{Root: root}
	addr2 := cfsServer(t, off.NewRequestHandler())
	resp, body := cfsGet(t, "http://"+addr2+"/a.txt", "Range: bytes=0-9")
	if resp.StatusCode != 200 || string(body) != cfsMedium || resp.Header.Get("Accept-Ranges") != "" {
		t.Fatalf("ranges off: %d", resp.StatusCode)
	}
}

func TestParseByteRange(t *testing.T) {
	t.Parallel()
	ok := []struct {
		in       string
		cl, s, e int
	}{
		{"bytes=0-9", 100, 0, 9},
		{"bytes=-5", 100, 95, 99},
		{"bytes=5-", 100, 5, 99},
		{"bytes=-200", 100, 0, 99},
		{"bytes=0-200", 100, 0, 99},
		{"bytes=00-09", 100, 0, 9},
		{"bytes=99-99", 100, 99, 99},
		{"bytes=0-0", 100, 0, 0},
		{"Bytes=1-2", 100, 1, 2},
		{" bytes= 1-2 ", 100, 1, 2},
	}
	for _, c := range ok {
		s, e, err := ParseByteRange([]byte(c.in), c.cl)
		if err != nil || s != c.s || e != c.e {
			t.Errorf("%q/%d: %d %d %v", c.in, c.cl, s, e, err)
		}
	}
	bad := []struct {
		in string
		cl int
	}{
		{"bytes=9-0", 100}, {"bytes=100-", 100}, {"bytes=-0", 100}, {"bytes=a-b", 100},
		{"bytes=", 100}, {"bytes=-", 100}, {"bytes=+1-2", 100}, {"bytes=0-9,10-20", 100},
		{"items=0-1", 100}, {"bytes=0-", 0}, {"bytes=-1", 0}, {"bytes 0-1", 100},
		{"bytes=99999999999999999999999-", 100}, {"bytes=1-2-3", 100},
	}
	for _, c := range bad {
		if s, e, err := ParseByteRange([]byte(c.in), c.cl); err == nil {
			t.Errorf("%q/%d: accepted as %d-%d", c.in, c.cl, s, e)
		}
	}
}

func TestFSConditionalRequests(t *testing.T) {
	t.Parallel()
	root := cfsTree(t, cfsStdFiles())
	fs := &FS{Root: root, GenerateETag: true, Compress: true}
	addr := cfsServer(t, fs.NewRequestHandler())
	url := "http://" + addr + "/big.txt"
	tag := fmt.Sprintf(`W/"%x-%x"`, cfsMTime.Unix(), len(cfsBig))
	lm := cfsMTime.Format(http.TimeFormat)
	cases := []struct {
		method string
		hdr    []string
		status int
	}{
		{"GET", []string{"If-Modified-Since: " + lm}, 304},
		{"GET", []string{"If-Modified-Since: " + cfsMTime.Add(time.Hour).Format(http.TimeFormat)}, 304},
		{"GET", []string{"If-Modified-Since: " + cfsMTime.Add(-time.Hour).Format(http.TimeFormat)}, 200},
		{"GET", []string{"If-Modified-Since: garbage"}, 200},
		{"GET", []string{"If-None-Match: " + tag}, 304},
		{"GET", []string{"If-None-Match: \"other\", " + strings.TrimPrefix(tag, "W/")}, 304},
		{"GET", []string{"If-None-Match: *"}, 304},
		{"GET", []string{`If-None-Match: "other"`}, 200},
		// If-None-Match wins over If-Modified-Since.
		{"GET", []string{`If-None-Match: "other"`, "If-Modified-Since: " + lm}, 200},
		{"HEAD", []string{"If-None-Match: " + tag}, 304},
		{"POST", []string{"If-None-Match: " + tag}, 412},
		{"POST", []string{"If-Modified-Since: " + lm}, 200},
	}
	for _, c := range cases {
		resp, body := cfsDo(t, cfsClient(false), c.method, url, c.hdr...)
		if resp.StatusCode != c.status {
			t.Errorf("%s %v: %d, want %d", c.method, c.hdr, resp.StatusCode, c.status)
		}
		if c.status == 304 {
			if len(body) != 0 || resp.Header.Get("ETag") != tag {
				t.Errorf("%v: 304 with body %d, ETag %q", c.hdr, len(body), resp.Header.Get("ETag"))
			}
		}
	}
	// A compressed copy has its own tag, built from its own size.
	resp, body := cfsGet(t, url, "Accept-Encoding: gzip")
	if resp.Header.Get("Content-Encoding") != "gzip" || resp.Header.Get("ETag") != fmt.Sprintf(`W/"%x-%x"`, cfsMTime.Unix(), len(body)) {
		t.Fatalf("compressed ETag %q for %d bytes", resp.Header.Get("ETag"), len(body))
	}
	resp, _ = cfsGet(t, url, "Accept-Encoding: gzip", "If-None-Match: "+resp.Header.Get("ETag"))
	if resp.StatusCode != 304 || resp.Header.Get("Vary") != "Accept-Encoding" {
		t.Fatalf("compressed 304: %d %v", resp.StatusCode, resp.Header)
	}
}

func TestFSHead(t *testing.T) {
	t.Parallel()
	root := cfsTree(t, cfsStdFiles())
	fs := &FS{Root: root, Compress: true}
	addr := cfsServer(t, fs.NewRequestHandler())
	for _, f := range []string{"a.txt", "big.txt"} {
		resp, body := cfsDo(t, cfsClient(false), http.MethodHead, "http://"+addr+"/"+f)
		want := len(cfsMedium)
		if f == "big.txt" {
			want = len(cfsBig)
		}
		if resp.StatusCode != 200 || len(body) != 0 || resp.ContentLength != int64(want) {
			t.Fatalf("HEAD %s: %d, %d body bytes, length %d", f, resp.StatusCode, len(body), resp.ContentLength)
		}
		get, gbody := cfsGet(t, "http://"+addr+"/"+f, "Accept-Encoding: gzip")
		head, hbody := cfsDo(t, cfsClient(false), http.MethodHead, "http://"+addr+"/"+f, "Accept-Encoding: gzip")
		if len(hbody) != 0 || head.ContentLength != int64(len(gbody)) || head.Header.Get("Content-Encoding") != get.Header.Get("Content-Encoding") {
			t.Fatalf("HEAD gzip %s: length %d vs %d", f, head.ContentLength, len(gbody))
		}
	}
}

func TestFSCompressedCopies(t *testing.T) {
	t.Parallel()
	root := cfsTree(t, cfsStdFiles())
	fs := &FS{Root: root, Compress: true, CompressBrotli: true, CompressZstd: true, CacheDuration: 50 * time.Millisecond}
	addr := cfsServer(t, fs.NewRequestHandler())
	for _, c := range []struct{ ae, ce, suffix string }{
		{"gzip", "gzip", ".fasthttp.gz"},
		{"br", "br", ".fasthttp.br"},
		{"zstd", "zstd", ".fasthttp.zst"},
		{"gzip, br, zstd", "br", ".fasthttp.br"},
		{"gzip, zstd", "zstd", ".fasthttp.zst"},
		{"br;q=0.1, gzip", "gzip", ".fasthttp.gz"},
	} {
		for _, f := range []string{"a.txt", "big.txt"} {
			resp, body := cfsGet(t, "http://"+addr+"/"+f, "Accept-Encoding: "+c.ae)
			if resp.Header.Get("Content-Encoding") != c.ce || resp.Header.Get("Vary") != "Accept-Encoding" {
				t.Fatalf("%s %s: %v", f, c.ae, resp.Header)
			}
			want := cfsMedium
			if f == "big.txt" {
				want = cfsBig
			}
			if got := cfsDecode(t, c.ce, body); string(got) != want {
				t.Fatalf("%s %s: decoded body differs", f, c.ae)
			}
			copyPath := filepath.Join(root, f+c.suffix)
			st, err := os.Stat(copyPath)
			if err != nil {
				t.Fatalf("no stored copy %s: %v", copyPath, err)
			}
			if !st.ModTime().Equal(cfsMTime) {
				t.Errorf("copy dated %v, want the file's %v", st.ModTime(), cfsMTime)
			}
		}
	}
	// Files that do not compress, or are tiny, are sent as they are and
	// get no copy.
	for _, f := range []string{"pic.png", "small.txt"} {
		resp, body := cfsGet(t, "http://"+addr+"/"+f, "Accept-Encoding: gzip")
		if resp.Header.Get("Content-Encoding") != "" || len(body) != len(cfsStdFiles()[f]) {
			t.Fatalf("%s was compressed", f)
		}
		if _, err := os.Stat(filepath.Join(root, f+".fasthttp.gz")); err == nil {
			t.Fatalf("%s got a copy", f)
		}
	}
	// Generated listings are compressed in memory, never written.
	resp, body := cfsGet(t, "http://"+addr+"/sub/", "Accept-Encoding: gzip")
	if resp.StatusCode != 403 {
		// no GenerateIndexPages: forbidden, nothing compressed
		t.Fatalf("listing without GenerateIndexPages: %d %q", resp.StatusCode, body)
	}

	// A changed file gets a fresh copy once its cache entry expires.
	newContent := strings.Repeat("changed content ", 100)
	p := filepath.Join(root, "a.txt")
	if err := os.WriteFile(p, []byte(newContent), 0o644); err != nil {
		t.Fatal(err)
	}
	later := cfsMTime.Add(time.Hour)
	_ = os.Chtimes(p, later, later)
	deadline := time.Now().Add(3 * time.Second)
	for {
		_, body := cfsGet(t, "http://"+addr+"/a.txt", "Accept-Encoding: gzip")
		if string(cfsDecode(t, "gzip", body)) == newContent {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("stale compressed copy still served")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestFSCompressRootAndSuffixes(t *testing.T) {
	t.Parallel()
	root := cfsTree(t, cfsStdFiles())
	croot := filepath.Join(t.TempDir(), "compressed")
	fs := &FS{
		Root: root, CompressRoot: croot, Compress: true, CompressBrotli: true,
		CompressedFileSuffixes: map[string]string{"gzip": ".my.gz", "br": ".my.br", "zstd": ".my.zst"},
	}
	addr := cfsServer(t, fs.NewRequestHandler())
	for _, ae := range []string{"gzip", "br"} {
		resp, body := cfsGet(t, "http://"+addr+"/sub/x.js", "Accept-Encoding: "+ae)
		if resp.Header.Get("Content-Encoding") != ae || string(cfsDecode(t, ae, body)) != strings.Repeat("var x = 1;\n", 100) {
			t.Fatalf("%s: %v", ae, resp.Header)
		}
	}
	for _, name := range []string{"sub/x.js.my.gz", "sub/x.js.my.br"} {
		if _, err := os.Stat(filepath.Join(croot, filepath.FromSlash(name))); err != nil {
			t.Errorf("copy %s missing under CompressRoot: %v", name, err)
		}
		if _, err := os.Stat(filepath.Join(root, filepath.FromSlash(name))); err == nil {
			t.Errorf("copy %s written next to the file", name)
		}
	}
}

// fs.FS trees are served as well; compressed copies stay in memory, and
// files without a modification time get neither Last-Modified nor ETag.
func TestFSFromFSField(t *testing.T) {
	t.Parallel()
	mfs := fstest.MapFS{
		"site/index.html":  {Data: []byte("<p>" + strings.Repeat("hello ", 100) + "</p>")},
		"site/css/app.css": {Data: []byte(strings.Repeat("body{margin:0}", 50)), ModTime: cfsMTime},
		"site/big.bin":     {Data: []byte(cfsBig)},
	}
	fs := &FS{FS: mfs, Root: "site", IndexNames: []string{"index.html"}, Compress: true, GenerateETag: true, AcceptByteRange: true}
	addr := cfsServer(t, fs.NewRequestHandler())
	resp, body := cfsGet(t, "http://"+addr+"/", "Accept-Encoding: gzip")
	if resp.Header.Get("Content-Encoding") != "gzip" || !strings.Contains(string(cfsDecode(t, "gzip", body)), "hello hello") {
		t.Fatalf("index: %v", resp.Header)
	}
	if resp.Header.Get("Last-Modified") != "" || resp.Header.Get("ETag") != "" {
		t.Fatalf("validators for a file without time: %v", resp.Header)
	}
	resp, body = cfsGet(t, "http://"+addr+"/css/app.css")
	if string(body) != strings.Repeat("body{margin:0}", 50) || resp.Header.Get("Last-Modified") != cfsMTime.Format(http.TimeFormat) || resp.Header.Get("ETag") == "" {
		t.Fatalf("css: %v", resp.Header)
	}
	resp, body = cfsGet(t, "http://"+addr+"/big.bin", "Range: bytes=100-109")
	if resp.StatusCode != 206 || string(body) != cfsBig[100:110] {
		t.Fatalf("range in fs.FS: %d %q", resp.StatusCode, body)
	}
	resp, _ = cfsGet(t, "http://"+addr+"/css")
	if resp.StatusCode != 302 {
		t.Fatalf("dir redirect in fs.FS: %d", resp.StatusCode)
	}
	resp, _ = cfsGet(t, "http://"+addr+"/nope")
	if resp.StatusCode != 404 {
		t.Fatalf("missing in fs.FS: %d", resp.StatusCode)
	}
}

func TestServeFSAndServeFile(t *testing.T) {
	t.Parallel()
	root := cfsTree(t, map[string]string{
		"a.txt":          cfsMedium,
		"q?#%41.txt":     "literal name",
		"dir/index.html": "dir index",
	})
	mfs := fstest.MapFS{"docs/readme.txt": {Data: []byte(cfsMedium)}}
	addr := cfsServer(t, func(ctx *RequestCtx) {
		arg := string(ctx.QueryArgs().Peek("p"))
		switch string(ctx.Path()) {
		case "/file":
			ServeFile(ctx, filepath.Join(root, arg))
		case "/literal":
			ServeFileLiteral(ctx, filepath.Join(root, arg))
		case "/bytes":
			ServeFileBytes(ctx, []byte(filepath.Join(root, arg)))
		case "/unc":
			ServeFileUncompressed(ctx, filepath.Join(root, arg))
		case "/uncbytes":
			ServeFileBytesUncompressed(ctx, []byte(filepath.Join(root, arg)))
		case "/fs":
			ServeFS(ctx, mfs, arg)
		case "/fslit":
			ServeFSLiteral(ctx, mfs, arg)
		case "/send":
			ctx.SendFile(filepath.Join(root, arg))
		case "/resp":
			if err := ctx.Response.SendFile(filepath.Join(root, arg)); err != nil {
				ctx.Error("sendfile: "+err.Error(), 500)
			}
		}
	})
	get := func(path string, hdr ...string) (*http.Response, string) {
		resp, body := cfsGet(t, "http://"+addr+path, hdr...)
		return resp, string(body)
	}
	for _, p := range []string{"/file", "/literal", "/bytes", "/send"} {
		resp, body := get(p+"?p=a.txt", "Accept-Encoding: gzip")
		if resp.Header.Get("Content-Encoding") != "gzip" || string(cfsDecode(t, "gzip", []byte(body))) != cfsMedium {
			t.Errorf("%s: %v", p, resp.Header)
		}
		// '?', '#' and '%' are part of the name: nothing is decoded.
		_, body = get(p + "?p=q%3F%23%2541.txt")
		if body != "literal name" {
			t.Errorf("%s literal name: %q", p, body)
		}
		_, body = get(p + "?p=dir")
		if body != "dir index" {
			t.Errorf("%s dir: %q", p, body)
		}
		resp, _ = get(p + "?p=missing")
		if resp.StatusCode != 404 {
			t.Errorf("%s missing: %d", p, resp.StatusCode)
		}
	}
	for _, p := range []string{"/unc", "/uncbytes"} {
		resp, body := get(p+"?p=a.txt", "Accept-Encoding: gzip")
		if resp.Header.Get("Content-Encoding") != "" || body != cfsMedium {
			t.Errorf("%s: %v", p, resp.Header)
		}
	}
	for _, p := range []string{"/fs", "/fslit"} {
		resp, body := get(p+"?p=docs/readme.txt", "Accept-Encoding: br")
		if resp.Header.Get("Content-Encoding") != "br" || string(cfsDecode(t, "br", []byte(body))) != cfsMedium {
			t.Errorf("%s: %v", p, resp.Header)
		}
		resp, _ = get(p + "?p=../../etc/passwd")
		if resp.StatusCode != 404 {
			t.Errorf("%s traversal: %d", p, resp.StatusCode)
		}
	}
	resp, body := get("/resp?p=a.txt")
	if body != cfsMedium || resp.Header.Get("Last-Modified") != cfsMTime.Format(http.TimeFormat) {
		t.Fatalf("Response.SendFile: %v", resp.Header)
	}
	for _, p := range []string{"missing", "dir"} {
		resp, body = get("/resp?p=" + p)
		if resp.StatusCode != 500 || !strings.HasPrefix(body, "sendfile: ") {
			t.Fatalf("Response.SendFile(%s): %d %q", p, resp.StatusCode, body)
		}
	}
	if err := new(Response).SendFile(filepath.Join(root, "missing")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("SendFile error %v", err)
	}
}

func TestFSPathRewriters(t *testing.T) {
	t.Parallel()
	var ctx RequestCtx
	run := func(f PathRewriteFunc, host, path string) string {
		var req Request
		req.Header.SetHost(host)
		req.SetRequestURI(path)
		ctx.Init(&req, nil, nil)
		return string(f(&ctx))
	}
	cases := []struct {
		f        PathRewriteFunc
		host, in string
		want     string
	}{
		{NewPathSlashesStripper(0), "h", "/foo/bar", "/foo/bar"},
		{NewPathSlashesStripper(1), "h", "/foo/bar", "/bar"},
		{NewPathSlashesStripper(2), "h", "/foo/bar", ""},
		{NewPathSlashesStripper(5), "h", "/foo/bar", ""},
		{NewPathPrefixStripper(0), "h", "/foo/bar", "/foo/bar"},
		{NewPathPrefixStripper(3), "h", "/foo/bar", "o/bar"},
		{NewPathPrefixStripper(7), "h", "/foo/bar", "r"},
		{NewPathPrefixStripper(70), "h", "/foo/bar", ""},
		{NewVHostPathRewriter(0), "foobar.com", "/foo/bar", "/foobar.com/foo/bar"},
		{NewVHostPathRewriter(1), "img.aaa.com", "/images/123/456.jpg", "/img.aaa.com/123/456.jpg"},
		{NewVHostPathRewriter(0), "example.com:8080", "/x", "/example.com:8080/x"},
	}
	for _, c := range cases {
		if got := run(c.f, c.host, c.in); got != c.want {
			t.Errorf("%s %s: %q, want %q", c.host, c.in, got, c.want)
		}
	}
}

func TestFSVHostServing(t *testing.T) {
	t.Parallel()
	root := cfsTree(t, map[string]string{"a.example/x.txt": "site a", "b.example/x.txt": "site b"})
	fs := &FS{Root: root, PathRewrite: NewVHostPathRewriter(0)}
	addr := cfsServer(t, fs.NewRequestHandler())
	for _, host := range []string{"a.example", "b.example"} {
		resp, body := cfsRaw(t, addr, "GET /x.txt HTTP/1.1\r\nHost: "+host+"\r\nConnection: close\r\n\r\n")
		if resp.StatusCode != 200 || string(body) != "site "+host[:1] {
			t.Fatalf("%s: %d %q", host, resp.StatusCode, body)
		}
	}
}

func TestFSPathNotFoundAndRootFile(t *testing.T) {
	t.Parallel()
	root := cfsTree(t, cfsStdFiles())
	fs := &FS{Root: root, PathNotFound: func(ctx *RequestCtx) {
		ctx.SetStatusCode(404)
		ctx.SetBodyString("custom: " + string(ctx.Path()))
	}}
	addr := cfsServer(t, fs.NewRequestHandler())
	if resp, body := cfsGet(t, "http://"+addr+"/nope"); resp.StatusCode != 404 || string(body) != "custom: /nope" {
		t.Fatalf("PathNotFound: %d %q", resp.StatusCode, body)
	}
	// A Root that is a file answers every path with that file.
	one := &FS{Root: filepath.Join(root, "a.txt"), Compress: true}
	addr2 := cfsServer(t, one.NewRequestHandler())
	for _, p := range []string{"/", "/anything", "/a/b/"} {
		if _, body := cfsGet(t, "http://"+addr2+p); string(body) != cfsMedium {
			t.Fatalf("root file at %s: %q", p, body)
		}
	}
	cfsGet(t, "http://"+addr2+"/", "Accept-Encoding: gzip")
	if _, err := os.Stat(filepath.Join(root, "a.txt.fasthttp.gz")); err != nil {
		t.Fatalf("copy of a root file not next to it: %v", err)
	}
	// A Root that does not exist serves nothing, and does not fall back
	// to other directories.
	gone := &FS{Root: filepath.Join(root, "does-not-exist")}
	addr3 := cfsServer(t, gone.NewRequestHandler())
	if resp, _ := cfsGet(t, "http://"+addr3+"/a.txt"); resp.StatusCode != 404 {
		t.Fatalf("missing root: %d", resp.StatusCode)
	}
}

func TestFSFileLastModified(t *testing.T) {
	t.Parallel()
	root := cfsTree(t, map[string]string{"a.txt": "x"})
	mt, err := FileLastModified(filepath.Join(root, "a.txt"))
	if err != nil || !mt.Equal(cfsMTime) {
		t.Fatalf("%v %v", mt, err)
	}
	if _, err := FileLastModified(filepath.Join(root, "nope")); err == nil {
		t.Fatal("missing file has a time")
	}
}

// Entries expire after CacheDuration, closing their handles; CleanStop
// ends the cleaner and drops the cache.
func TestFSCacheExpiryAndCleanStop(t *testing.T) {
	t.Parallel()
	root := cfsTree(t, cfsStdFiles())
	stop := make(chan struct{})
	fs := &FS{Root: root, CacheDuration: 100 * time.Millisecond, CleanStop: stop}
	h := fs.NewRequestHandler()
	if h2 := fs.NewRequestHandler(); fmt.Sprintf("%p", h2) != fmt.Sprintf("%p", h) {
		t.Fatal("second NewRequestHandler call built another handler")
	}
	addr := cfsServer(t, h)
	cfsGet(t, "http://"+addr+"/big.txt")
	cfsGet(t, "http://"+addr+"/a.txt")
	if n := cfsCacheLen(fs.h); n != 2 {
		t.Fatalf("%d cached entries, want 2", n)
	}
	deadline := time.Now().Add(3 * time.Second)
	for cfsCacheLen(fs.h) != 0 {
		if time.Now().After(deadline) {
			t.Fatal("entries did not expire")
		}
		time.Sleep(20 * time.Millisecond)
	}
	cfsGet(t, "http://"+addr+"/big.txt")
	close(stop)
	deadline = time.Now().Add(3 * time.Second)
	for cfsCacheLen(fs.h) != 0 {
		if time.Now().After(deadline) {
			t.Fatal("CleanStop did not drop the cache")
		}
		time.Sleep(10 * time.Millisecond)
	}
	skip := &FS{Root: root, SkipCache: true}
	addr2 := cfsServer(t, skip.NewRequestHandler())
	if _, body := cfsGet(t, "http://"+addr2+"/big.txt"); string(body) != cfsBig {
		t.Fatal("SkipCache body")
	}
	if n := cfsCacheLen(skip.h); n != 0 {
		t.Fatalf("SkipCache cached %d entries", n)
	}
}

func cfsCacheLen(h *fsHandler) int {
	h.cache.mu.RLock()
	defer h.cache.mu.RUnlock()
	n := 0
	for _, m := range h.cache.m {
		n += len(m)
	}
	return n
}

// Many clients reading the same cached file, whole and in ranges, each
// get exactly their bytes (run with -race).
func TestFSConcurrentReaders(t *testing.T) {
	t.Parallel()
	root := cfsTree(t, cfsStdFiles())
	fs := &FS{Root: root, AcceptByteRange: true, Compress: true, CacheDuration: 20 * time.Millisecond}
	addr := cfsServer(t, fs.NewRequestHandler())
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			c := cfsClient(false)
			for j := 0; j < 10; j++ {
				start := (i*997 + j*31) % 50000
				req, _ := http.NewRequest("GET", "http://"+addr+"/big.txt", nil)
				if j%2 == 0 {
					req.Header.Set("Range", fmt.Sprintf("bytes=%d-%d", start, start+999))
				} else {
					req.Header.Set("Accept-Encoding", "gzip")
				}
				resp, err := c.Do(req)
				if err != nil {
					errs <- err
					return
				}
				body, _ := io.ReadAll(resp.Body)
				_ = resp.Body.Close()
				if j%2 == 0 && string(body) != cfsBig[start:start+1000] {
					errs <- fmt.Errorf("range %d: wrong bytes", start)
				}
				if j%2 == 1 {
					if got, err := AppendGunzipBytes(nil, body); err != nil || !bytes.Equal(got, []byte(cfsBig)) {
						errs <- fmt.Errorf("gzip body: %v", err)
					}
				}
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

func TestFSOverIPv6(t *testing.T) {
	t.Parallel()
	root := cfsTree(t, cfsStdFiles())
	fs := &FS{Root: root, Compress: true}
	addr := cfsServe(t, &Server{Handler: fs.NewRequestHandler()}, "tcp6", "[::1]:0")
	resp, body := cfsDo(t, cfsClient(true), http.MethodGet, "http://"+addr+"/big.txt")
	if !resp.Uncompressed || string(body) != cfsBig {
		t.Fatalf("IPv6: uncompressed=%v, %d bytes", resp.Uncompressed, len(body))
	}
}

func TestFSSuffixSettingsAndEmptyRoot(t *testing.T) {
	t.Parallel()
	root := cfsTree(t, cfsStdFiles())
	legacy := &FS{Root: root, Compress: true, CompressedFileSuffix: ".old.gz"}
	addr := cfsServer(t, legacy.NewRequestHandler())
	if resp, _ := cfsGet(t, "http://"+addr+"/a.txt", "Accept-Encoding: gzip"); resp.Header.Get("Content-Encoding") != "gzip" {
		t.Fatal("not compressed")
	}
	if _, err := os.Stat(filepath.Join(root, "a.txt.old.gz")); err != nil {
		t.Fatalf("CompressedFileSuffix not used: %v", err)
	}
	// With AllowEmptyRoot the request path is an absolute file path.
	empty := &FS{AllowEmptyRoot: true}
	addr2 := cfsServer(t, empty.NewRequestHandler())
	if _, body := cfsGetPath(t, addr2, filepath.ToSlash(filepath.Join(root, "a.txt"))); string(body) != cfsMedium {
		t.Fatalf("AllowEmptyRoot: %q", body)
	}
}
