//go:build !unix || aix

package fasthttp

// connStillOpen cannot peek at sockets on this platform without blocking,
// so idle connections are assumed alive; a failed write or read of an
// idempotent request is still retried.
func connStillOpen(cc *clientConn) bool { return true }
