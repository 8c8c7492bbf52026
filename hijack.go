package fasthttp

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"io"
	"net"
	"runtime/debug"
	"sync/atomic"
	"time"
)

// HijackHandler takes over a connection after Hijack. The connection is
// closed when it returns, unless Server.KeepHijackedConns is set.
type HijackHandler func(c net.Conn)

// hijackConn is the connection handed to a HijackHandler. Its reads first
// return the bytes the server had already buffered, so nothing the client
// sent after the upgrade request is lost.
type hijackConn struct {
	net.Conn
	r      io.Reader
	closed atomic.Bool
}

func (c *hijackConn) Read(p []byte) (int, error) {
	return c.r.Read(p)
}

// Close closes the connection once; later calls return nil.
func (c *hijackConn) Close() error {
	if !c.closed.CompareAndSwap(false, true) {
		return nil
	}
	return c.Conn.Close()
}

// NetConn returns the connection the hijacked one wraps.
func (c *hijackConn) NetConn() net.Conn {
	return c.Conn
}

// hijackTLSConn is a hijacked TLS connection: the TLS methods stay visible,
// so a WebSocket upgraded over TLS can still inspect its peer.
type hijackTLSConn struct {
	hijackConn
	ts tlsStater
}

// ConnectionState returns the TLS state of the connection.
func (c *hijackTLSConn) ConnectionState() tls.ConnectionState {
	return c.ts.ConnectionState()
}

// Handshake runs the TLS handshake, when the connection has one to run
// (it has already run for a connection served over TLS).
func (c *hijackTLSConn) Handshake() error {
	return handshakeOf(c.Conn, c.ts)
}

// HandshakeContext runs the TLS handshake under ctx.
func (c *hijackTLSConn) HandshakeContext(ctx context.Context) error {
	return handshakeContextOf(ctx, c.Conn, c.ts)
}

// newHijackConn wraps c for a HijackHandler, taking over the bytes still
// buffered in br (br itself can then go back to its pool).
func newHijackConn(c net.Conn, br *bufio.Reader) net.Conn {
	var r io.Reader = c
	if br != nil && br.Buffered() > 0 {
		buf, _ := br.Peek(br.Buffered())
		r = io.MultiReader(bytes.NewReader(append([]byte(nil), buf...)), c)
	}
	if ts := tlsStaterOf(c); ts != nil {
		return &hijackTLSConn{hijackConn: hijackConn{Conn: c, r: r}, ts: ts}
	}
	return &hijackConn{Conn: c, r: r}
}

// runHijackHandler runs a HijackHandler and closes its connection after,
// unless KeepHijackedConns. StateHijacked was the connection's last
// reported state.
func (s *Server) runHijackHandler(c net.Conn, h HijackHandler) {
	// Deadlines set for the HTTP exchange do not apply to the new protocol.
	_ = c.SetDeadline(time.Time{})
	defer func() {
		if !s.KeepHijackedConns {
			_ = c.Close()
		}
		if r := recover(); r != nil {
			s.logger().Printf("panic in HijackHandler: %v\n%s", r, debug.Stack())
		}
	}()
	h(c)
}
