// Package expvarhandler serves the variables of package expvar from a
// fasthttp server.
package expvarhandler

import (
	"expvar"
	"regexp"

	"github.com/valyala/fasthttp"
)

var (
	handlerCalls = expvar.NewInt("expvarHandlerCalls")
	regexpErrors = expvar.NewInt("expvarRegexpErrors")
)

// ExpvarHandler writes the published expvar variables as one JSON object,
// in the format of expvar.Handler. The query argument r, a regular
// expression, keeps only the variables whose names match it; an invalid
// expression gets 400 Bad Request.
func ExpvarHandler(ctx *fasthttp.RequestCtx) {
	handlerCalls.Add(1)

	var filter *regexp.Regexp
	if r := ctx.QueryArgs().Peek("r"); len(r) > 0 {
		var err error
		if filter, err = regexp.Compile(string(r)); err != nil {
			regexpErrors.Add(1)
			ctx.Error("Error when obtaining expvar regexp: cannot parse r="+quote(r)+": "+err.Error(), fasthttp.StatusBadRequest)
			return
		}
	}

	ctx.SetContentType("application/json; charset=utf-8")
	ctx.WriteString("{\n")
	first := true
	expvar.Do(func(kv expvar.KeyValue) {
		if filter != nil && !filter.MatchString(kv.Key) {
			return
		}
		if !first {
			ctx.WriteString(",\n")
		}
		first = false
		ctx.WriteString(quote([]byte(kv.Key)))
		ctx.WriteString(": ")
		ctx.WriteString(kv.Value.String())
	})
	ctx.WriteString("\n}\n")
}

// quote returns s as a JSON string literal; expvar names are plain text, so
// escaping quotes, backslashes and control bytes is enough.
func quote(s []byte) string {
	b := make([]byte, 0, len(s)+2)
	b = append(b, '"')
	for _, c := range s {
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c < 0x20:
			const hex = "0123456789abcdef"
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		default:
			b = append(b, c)
		}
	}
	return string(append(b, '"'))
}
