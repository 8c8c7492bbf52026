// Package fasthttpadaptor runs net/http handlers on a fasthttp server and
// converts requests between the two packages.
//
// NewFastHTTPHandler gives an http.Handler the semantics net/http promises
// it: the Request carries the body, headers, RemoteAddr and TLS state; the
// ResponseWriter freezes headers at the first Write, sniffs a missing
// Content-Type, streams after Flush, and supports Hijack. The conversion
// costs allocations a hand-written fasthttp handler avoids, so prefer
// porting hot handlers to fasthttp.RequestHandler.
package fasthttpadaptor
