package fasthttpadaptor_test

import (
	"io"
	"net"
	"net/http"
	"testing"

	"github.com/valyala/fasthttp"
	"github.com/valyala/fasthttp/fasthttpadaptor"
)

func BenchmarkNewFastHTTPHandler(b *testing.B) {
	h := fasthttpadaptor.NewFastHTTPHandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, "hello")
	})
	var req fasthttp.Request
	req.SetRequestURI("/path?x=1")
	req.Header.SetHost("example.com")
	req.Header.Set("User-Agent", "bench")
	req.Header.Set("Accept", "*/*")
	ctx := &fasthttp.RequestCtx{}
	ctx.Init(&req, &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 1}, nil)
	b.ReportAllocs()
	for b.Loop() {
		ctx.Response.Reset()
		h(ctx)
	}
}
