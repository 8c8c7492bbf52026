package fasthttp_test

import (
	"fmt"
	"log"
	"time"

	"github.com/valyala/fasthttp"
)

// A Client keeps connections to every host it talks to; make one and
// share it. Requests and responses come from pools: acquire them, and
// release them once their content is no longer needed.
func ExampleClient_Do() {
	url, stop := serveExample(func(ctx *fasthttp.RequestCtx) {
		ctx.SetContentType("application/json")
		fmt.Fprintf(ctx, `{"method":%q,"got":%q}`, ctx.Method(), ctx.PostBody())
	})
	defer stop()

	c := &fasthttp.Client{
		Name:                "example-client",
		ReadTimeout:         5 * time.Second,
		WriteTimeout:        5 * time.Second,
		MaxIdleConnDuration: time.Minute,
	}
	req := fasthttp.AcquireRequest()
	resp := fasthttp.AcquireResponse()
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(resp)

	req.SetRequestURI(url + "/echo")
	req.Header.SetMethod(fasthttp.MethodPut)
	req.SetBodyString("ping")
	if err := c.DoTimeout(req, resp, 5*time.Second); err != nil {
		log.Fatal(err)
	}
	fmt.Println(resp.StatusCode(), string(resp.Header.ContentType()))
	fmt.Println(string(resp.Body()))
	// Output:
	// 200 application/json
	// {"method":"PUT","got":"ping"}
}
