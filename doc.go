// Package fasthttp is a clean-room, drop-in replacement for the server side of
// github.com/valyala/fasthttp: the same exported API, so existing handlers,
// routers and frameworks build unchanged through a single replace line.
//
// The server reuses goroutines through a worker pool, parses HTTP/1.x strictly
// (RFC 9112) and allocates nothing per request in steady state. Its per-IP
// connection limit keeps the TLS connection reachable, so
// RequestCtx.TLSConnectionState and RequestCtx.IsTLS work whatever
// Server.MaxConnsPerIP is set to.
package fasthttp
