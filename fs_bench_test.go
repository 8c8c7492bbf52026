package fasthttp

import (
	"strings"
	"testing"
)

// FS benchmarks measure the cached path: the first request loads the
// entry, the timed ones find it in the cache.

func benchFS(b *testing.B, fs *FS, path, ae string) {
	root := cfsTree(b, map[string]string{
		"small.html": strings.Repeat("<p>small page</p>\n", 100), // in memory
		"large.css":  strings.Repeat("body { margin: 0; padding: 0 }\n", 2000),
	})
	fs.Root = root
	fs.CacheDuration = 1 << 40 // never expires while timed
	h := fs.NewRequestHandler()
	b.Cleanup(func() { fs.h.cache.sweep(0, true) })
	var req Request
	req.SetRequestURI(path)
	req.Header.SetHost("bench")
	benchHandlerLoop(b, func(ctx *RequestCtx) {
		if ae != "" {
			ctx.Request.Header.Set(HeaderAcceptEncoding, ae)
		}
		ctx.Request.SetRequestURI(path)
		h(ctx)
	}, "")
}

func BenchmarkFSHandlerSmallFile(b *testing.B) {
	benchFS(b, &FS{}, "/small.html", "")
}

func BenchmarkFSHandlerSmallFileGzip(b *testing.B) {
	benchFS(b, &FS{Compress: true}, "/small.html", "gzip, deflate, br")
}

func BenchmarkFSHandlerSmallFileBrotli(b *testing.B) {
	benchFS(b, &FS{Compress: true, CompressBrotli: true}, "/small.html", "gzip, deflate, br")
}

func BenchmarkFSHandlerLargeFile(b *testing.B) {
	benchFS(b, &FS{}, "/large.css", "")
}

func BenchmarkFSHandlerLargeFileGzip(b *testing.B) {
	benchFS(b, &FS{Compress: true}, "/large.css", "gzip")
}

func BenchmarkFSHandlerRange(b *testing.B) {
	benchFS(b, &FS{AcceptByteRange: true}, "/large.css", "")
}
