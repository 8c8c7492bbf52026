package fasthttp

import (
	"bufio"
	"bytes"
	"io"
	"testing"
)

var benchHTML = bytes.Repeat([]byte("<li><a href=\"/item\">An item of a list</a> with some text</li>\n"), 64) // ~4 KiB

// benchHandlerLoop runs h as the server would for one request with the
// given Accept-Encoding and writes the response out, reporting
// allocations per request.
func benchHandlerLoop(b *testing.B, h RequestHandler, ae string) {
	var req Request
	req.SetRequestURI("/page")
	req.Header.SetHost("bench")
	if ae != "" {
		req.Header.Set(HeaderAcceptEncoding, ae)
	}
	var ctx RequestCtx
	ctx.Init(&req, nil, nil)
	w := bufio.NewWriterSize(io.Discard, 16<<10)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ctx.Response.Reset()
		h(&ctx)
		if err := ctx.Response.Write(w); err != nil {
			b.Fatal(err)
		}
	}
}

func benchBodyHandler(ctx *RequestCtx) {
	ctx.SetContentType("text/html; charset=utf-8")
	ctx.SetBody(benchHTML)
}

func BenchmarkCompressHandlerGzip(b *testing.B) {
	b.SetBytes(int64(len(benchHTML)))
	benchHandlerLoop(b, CompressHandlerLevel(benchBodyHandler, CompressBestSpeed), "gzip, deflate, br")
}

func BenchmarkCompressHandlerGzipDefault(b *testing.B) {
	b.SetBytes(int64(len(benchHTML)))
	benchHandlerLoop(b, CompressHandler(benchBodyHandler), "gzip")
}

func BenchmarkCompressHandlerDeflate(b *testing.B) {
	b.SetBytes(int64(len(benchHTML)))
	benchHandlerLoop(b, CompressHandlerLevel(benchBodyHandler, CompressBestSpeed), "deflate")
}

func BenchmarkCompressHandlerBrotli(b *testing.B) {
	b.SetBytes(int64(len(benchHTML)))
	benchHandlerLoop(b, CompressHandlerBrotliLevel(benchBodyHandler, CompressBrotliBestSpeed, CompressBestSpeed), "gzip, deflate, br")
}

func BenchmarkCompressHandlerZstd(b *testing.B) {
	b.SetBytes(int64(len(benchHTML)))
	benchHandlerLoop(b, CompressHandler(benchBodyHandler), "zstd")
}

// The client accepts nothing: the wrapper's cost is negotiation alone.
func BenchmarkCompressHandlerUncompressed(b *testing.B) {
	b.SetBytes(int64(len(benchHTML)))
	benchHandlerLoop(b, CompressHandler(benchBodyHandler), "")
}

// A body too small to compress: checked and left alone.
func BenchmarkCompressHandlerSmallBody(b *testing.B) {
	benchHandlerLoop(b, CompressHandler(func(ctx *RequestCtx) { ctx.SetBodyString("ok") }), "gzip")
}

func BenchmarkCompressHandlerStream(b *testing.B) {
	b.SetBytes(int64(len(benchHTML)))
	src := bytes.NewReader(nil)
	benchHandlerLoop(b, CompressHandlerLevel(func(ctx *RequestCtx) {
		src.Reset(benchHTML) // the previous response is written by now
		ctx.SetBodyStream(src, len(benchHTML))
	}, CompressBestSpeed), "gzip")
}

func BenchmarkAppendGzipBytes(b *testing.B) {
	b.SetBytes(int64(len(benchHTML)))
	b.ReportAllocs()
	var dst []byte
	for i := 0; i < b.N; i++ {
		dst = AppendGzipBytesLevel(dst[:0], benchHTML, CompressBestSpeed)
	}
}

func BenchmarkAppendGunzipBytes(b *testing.B) {
	src := AppendGzipBytes(nil, benchHTML)
	b.SetBytes(int64(len(benchHTML)))
	b.ReportAllocs()
	dst := make([]byte, 0, 2*len(benchHTML))
	for i := 0; i < b.N; i++ {
		var err error
		if dst, err = AppendGunzipBytes(dst[:0], src); err != nil {
			b.Fatal(err)
		}
	}
}
