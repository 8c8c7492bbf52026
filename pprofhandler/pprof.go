// Package pprofhandler serves the runtime profiles of net/http/pprof from a
// fasthttp server.
package pprofhandler

import (
	"net/http/pprof"
	"strings"

	"github.com/valyala/fasthttp"
	"github.com/valyala/fasthttp/fasthttpadaptor"
)

var (
	cmdline = fasthttpadaptor.NewFastHTTPHandlerFunc(pprof.Cmdline)
	profile = fasthttpadaptor.NewFastHTTPHandlerFunc(pprof.Profile)
	symbol  = fasthttpadaptor.NewFastHTTPHandlerFunc(pprof.Symbol)
	trace   = fasthttpadaptor.NewFastHTTPHandlerFunc(pprof.Trace)
	// index serves the listing at /debug/pprof/ and any named profile
	// (heap, goroutine, allocs, ...) below it.
	index = fasthttpadaptor.NewFastHTTPHandlerFunc(pprof.Index)
)

const prefix = "/debug/pprof/"

// PprofHandler serves the net/http/pprof endpoints: /debug/pprof/cmdline,
// profile, symbol and trace, every named profile as /debug/pprof/<name>,
// and the index page for any other path. Mount it on /debug/pprof/ only
// where its callers are trusted: profiles reveal a lot about a process.
func PprofHandler(ctx *fasthttp.RequestCtx) {
	name, ok := strings.CutPrefix(string(ctx.Path()), prefix)
	if !ok {
		index(ctx)
		return
	}
	switch name {
	case "cmdline":
		cmdline(ctx)
	case "profile":
		profile(ctx)
	case "symbol":
		symbol(ctx)
	case "trace":
		trace(ctx)
	default:
		index(ctx)
	}
}
