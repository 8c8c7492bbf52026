// Package pprofhandler serves the runtime profiles of net/http/pprof from a
// fasthttp server.
package pprofhandler

import (
	"net/http"
	"net/http/pprof"
	"strings"

	"github.com/valyala/fasthttp"
	"github.com/valyala/fasthttp/fasthttpadaptor"
)

// servePprof picks the net/http/pprof endpoint for the request's path. It
// runs behind a single adaptor, so a request is converted once whatever
// endpoint it asks for.
func servePprof(w http.ResponseWriter, r *http.Request) {
	name, _ := strings.CutPrefix(r.URL.Path, "/debug/pprof/")
	switch name {
	case "cmdline":
		pprof.Cmdline(w, r)
	case "profile":
		pprof.Profile(w, r)
	case "symbol":
		pprof.Symbol(w, r)
	case "trace":
		pprof.Trace(w, r)
	default:
		// The listing, or the named profile (heap, goroutine, allocs, ...)
		// below /debug/pprof/.
		pprof.Index(w, r)
	}
}

var adapted = fasthttpadaptor.NewFastHTTPHandlerFunc(servePprof)

// PprofHandler serves the net/http/pprof endpoints: /debug/pprof/cmdline,
// profile, symbol and trace, every named profile as /debug/pprof/<name>,
// and the index page for any other path. Mount it on /debug/pprof/ only
// where its callers are trusted: profiles reveal a lot about a process.
func PprofHandler(ctx *fasthttp.RequestCtx) {
	adapted(ctx)
}
