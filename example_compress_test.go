package fasthttp_test

import (
	"fmt"
	"log"
	"strings"

	"github.com/valyala/fasthttp"
)

// CompressHandler compresses what the wrapped handler answers, with the
// best coding the request's Accept-Encoding allows, when the body is worth
// it: at least 200 bytes of a type that compresses. It adds
// "Vary: Accept-Encoding" so that caches keep the forms apart.
func ExampleCompressHandler() {
	page := strings.Repeat("<p>the same words, again and again</p>\n", 50)
	url, stop := serveExample(fasthttp.CompressHandler(func(ctx *fasthttp.RequestCtx) {
		ctx.SetContentType("text/html; charset=utf-8")
		ctx.SetBodyString(page)
	}))
	defer stop()

	for _, accept := range []string{"gzip", "zstd;q=1, gzip;q=0.5", ""} {
		req := fasthttp.AcquireRequest()
		resp := fasthttp.AcquireResponse()
		req.SetRequestURI(url + "/")
		if accept != "" {
			req.Header.Set(fasthttp.HeaderAcceptEncoding, accept)
		}
		if err := fasthttp.Do(req, resp); err != nil {
			log.Fatal(err)
		}
		// BodyUncompressed undoes whatever Content-Encoding says.
		body, err := resp.BodyUncompressed()
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("Accept-Encoding %q: Content-Encoding %q, Vary %q, smaller %v, intact %v\n",
			accept, resp.Header.ContentEncoding(), resp.Header.Peek(fasthttp.HeaderVary),
			len(resp.Body()) < len(page), string(body) == page)
		fasthttp.ReleaseRequest(req)
		fasthttp.ReleaseResponse(resp)
	}
	// Output:
	// Accept-Encoding "gzip": Content-Encoding "gzip", Vary "Accept-Encoding", smaller true, intact true
	// Accept-Encoding "zstd;q=1, gzip;q=0.5": Content-Encoding "zstd", Vary "Accept-Encoding", smaller true, intact true
	// Accept-Encoding "": Content-Encoding "", Vary "Accept-Encoding", smaller false, intact true
}
