package expvarhandler_test

import (
	"expvar"
	"fmt"

	"github.com/valyala/fasthttp"
	"github.com/valyala/fasthttp/expvarhandler"
)

// ExpvarHandler serves the process's expvar variables as JSON; mount it
// on a path only operators can reach. The r query argument filters
// variables by a regular expression.
func ExampleExpvarHandler() {
	hits := expvar.NewInt("exampleHits")
	hits.Add(3)

	var ctx fasthttp.RequestCtx
	ctx.Request.SetRequestURI("/debug/vars?r=^exampleHits$")
	expvarhandler.ExpvarHandler(&ctx)

	fmt.Println(ctx.Response.StatusCode(), string(ctx.Response.Header.ContentType()))
	fmt.Print(string(ctx.Response.Body()))
	// Output:
	// 200 application/json; charset=utf-8
	// {
	// "exampleHits": 3
	// }
}
