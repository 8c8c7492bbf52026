package fasthttpadaptor_test

import (
	"fmt"
	"log"
	"net"
	"net/http"

	"github.com/valyala/fasthttp"
	"github.com/valyala/fasthttp/fasthttpadaptor"
	"github.com/valyala/fasthttp/fasthttputil"
)

// NewFastHTTPHandler runs a net/http handler, such as an existing API or
// a package's debug handler, inside a fasthttp Server. The handler sees an
// ordinary *http.Request and http.ResponseWriter; each call costs more
// than a native fasthttp handler, so use it for what is not worth porting.
func ExampleNewFastHTTPHandler() {
	mux := http.NewServeMux()
	mux.HandleFunc("/hello", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-From", "net/http")
		w.WriteHeader(http.StatusAccepted)
		fmt.Fprintf(w, "hello %s via %s %s", r.URL.Query().Get("name"), r.Method, r.URL.Path)
	})

	ln := fasthttputil.NewInmemoryListener()
	defer ln.Close()
	s := &fasthttp.Server{Handler: fasthttpadaptor.NewFastHTTPHandler(mux)}
	go func() {
		if err := s.Serve(ln); err != nil {
			log.Print(err)
		}
	}()
	defer s.Shutdown() //nolint:errcheck // nothing left to report

	c := &fasthttp.HostClient{Addr: "app", Dial: func(string) (net.Conn, error) { return ln.Dial() }}
	req := fasthttp.AcquireRequest()
	resp := fasthttp.AcquireResponse()
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(resp)
	req.SetRequestURI("http://app/hello?name=gopher")
	if err := c.Do(req, resp); err != nil {
		log.Fatal(err)
	}
	fmt.Println(resp.StatusCode(), string(resp.Header.Peek("X-From")))
	fmt.Println(string(resp.Body()))
	// Output:
	// 202 net/http
	// hello gopher via GET /hello
}

// ConvertRequest builds an *http.Request from a fasthttp request, for a
// library that wants one without the adaptor's ResponseWriter.
func ExampleConvertRequest() {
	var ctx fasthttp.RequestCtx
	ctx.Request.SetRequestURI("/search?q=fast")
	ctx.Request.Header.SetHost("example.com")
	ctx.Request.Header.Set("Accept-Language", "en")

	var r http.Request
	if err := fasthttpadaptor.ConvertRequest(&ctx, &r, true); err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.Method, r.Host, r.URL.Path, r.URL.Query().Get("q"), r.Header.Get("Accept-Language"))
	// Output: GET example.com /search fast en
}
