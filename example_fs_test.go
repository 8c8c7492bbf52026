package fasthttp_test

import (
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"testing/fstest"

	"github.com/valyala/fasthttp"
)

// FS serves the files under Root. Build the handler once and reuse it:
// it caches open files. Paths with ".." segments, backslashes or NUL get
// 400; missing files get 404.
func ExampleFS() {
	root, err := os.MkdirTemp("", "fs-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(root)
	if err := os.WriteFile(filepath.Join(root, "hello.txt"), []byte("Hello from a file\n"), 0o644); err != nil {
		log.Fatal(err)
	}

	fs := &fasthttp.FS{
		Root:               root,
		IndexNames:         []string{"index.html"},
		GenerateIndexPages: true,
		AcceptByteRange:    true,
		Compress:           true,
	}
	url, stop := serveExample(fs.NewRequestHandler())
	defer stop()

	for _, p := range []string{"/hello.txt", "/missing.txt"} {
		status, body, err := fasthttp.Get(nil, url+p)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s: %d %s\n", p, status, strings.TrimSpace(string(body)))
	}

	// AcceptByteRange answers a single range with 206.
	req := fasthttp.AcquireRequest()
	resp := fasthttp.AcquireResponse()
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(resp)
	req.SetRequestURI(url + "/hello.txt")
	req.Header.Set(fasthttp.HeaderRange, "bytes=0-4")
	if err := fasthttp.Do(req, resp); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("range: %d %s %q\n", resp.StatusCode(), resp.Header.Peek(fasthttp.HeaderContentRange), resp.Body())
	// Output:
	// /hello.txt: 200 Hello from a file
	// /missing.txt: 404 Cannot open requested path
	// range: 206 bytes 0-4/18 "Hello"
}

// ServeFS answers with one file of an fs.FS, such as an embed.FS; the
// Content-Type comes from the extension, or from the content when the
// extension says nothing.
func ExampleServeFS() {
	site := fstest.MapFS{
		"index.html": {Data: []byte("<!DOCTYPE html><p>home</p>")},
		"LICENSE":    {Data: []byte("MIT, plain text")},
	}
	url, stop := serveExample(func(ctx *fasthttp.RequestCtx) {
		fasthttp.ServeFS(ctx, site, string(ctx.Path()))
	})
	defer stop()

	for _, p := range []string{"/", "/LICENSE"} {
		req := fasthttp.AcquireRequest()
		resp := fasthttp.AcquireResponse()
		req.SetRequestURI(url + p)
		if err := fasthttp.Do(req, resp); err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s: %d %s %s\n", p, resp.StatusCode(), resp.Header.ContentType(), resp.Body())
		fasthttp.ReleaseRequest(req)
		fasthttp.ReleaseResponse(resp)
	}
	// Output:
	// /: 200 text/html; charset=utf-8 <!DOCTYPE html><p>home</p>
	// /LICENSE: 200 text/plain; charset=utf-8 MIT, plain text
}
