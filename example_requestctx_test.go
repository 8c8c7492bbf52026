package fasthttp_test

import (
	"bufio"
	"fmt"
	"log"
	"net"
	"strings"

	"github.com/valyala/fasthttp"
)

// serveExample serves h on 127.0.0.1 and returns its base URL and a
// function that stops it.
func serveExample(h fasthttp.RequestHandler) (string, func()) {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	s := &fasthttp.Server{Handler: h}
	go func() { _ = s.Serve(ln) }()
	return "http://" + ln.Addr().String(), func() { _ = s.Shutdown() }
}

// A handler reads the request from RequestCtx (method, path, query and
// form arguments, header fields, body) and writes the response to it.
// Everything it gets is valid only until it returns: copy what it keeps.
func ExampleRequestCtx() {
	url, stop := serveExample(func(ctx *fasthttp.RequestCtx) {
		if !ctx.IsPost() {
			ctx.Error("POST only", fasthttp.StatusMethodNotAllowed)
			return
		}
		fmt.Fprintf(ctx, "path %s\n", ctx.Path())
		fmt.Fprintf(ctx, "query lang=%s\n", ctx.QueryArgs().Peek("lang"))
		fmt.Fprintf(ctx, "form name=%s\n", ctx.PostArgs().Peek("name"))
		fmt.Fprintf(ctx, "header X-Request-Id=%s\n", ctx.Request.Header.Peek("X-Request-Id"))
		fmt.Fprintf(ctx, "body %d bytes\n", len(ctx.PostBody()))

		ctx.SetStatusCode(fasthttp.StatusCreated)
		ctx.SetContentType("text/plain; charset=utf-8")
		ctx.Response.Header.Set("X-Handled-By", "example")
	})
	defer stop()

	req := fasthttp.AcquireRequest()
	resp := fasthttp.AcquireResponse()
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(resp)
	req.SetRequestURI(url + "/users?lang=en")
	req.Header.SetMethod(fasthttp.MethodPost)
	req.Header.SetContentType("application/x-www-form-urlencoded")
	req.Header.Set("X-Request-Id", "42")
	req.SetBodyString("name=gopher")
	if err := fasthttp.Do(req, resp); err != nil {
		log.Fatal(err)
	}
	fmt.Println(resp.StatusCode(), string(resp.Header.Peek("X-Handled-By")))
	fmt.Print(string(resp.Body()))
	// Output:
	// 201 example
	// path /users
	// query lang=en
	// form name=gopher
	// header X-Request-Id=42
	// body 11 bytes
}

// SetBodyStreamWriter sends a body as it is produced, chunked when its
// length is unknown. Flush pushes what was written so far to the client;
// the function runs after the handler returns, so it must not touch ctx.
func ExampleRequestCtx_SetBodyStreamWriter() {
	url, stop := serveExample(func(ctx *fasthttp.RequestCtx) {
		n := ctx.QueryArgs().GetUintOrZero("n")
		ctx.SetContentType("text/plain; charset=utf-8")
		ctx.SetBodyStreamWriter(func(w *bufio.Writer) {
			for i := 1; i <= n; i++ {
				fmt.Fprintf(w, "line %d\n", i)
				if err := w.Flush(); err != nil {
					return // the client went away
				}
			}
		})
	})
	defer stop()

	status, body, err := fasthttp.Get(nil, url+"/?n=3")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(status)
	fmt.Print(strings.ToUpper(string(body)))
	// Output:
	// 200
	// LINE 1
	// LINE 2
	// LINE 3
}
