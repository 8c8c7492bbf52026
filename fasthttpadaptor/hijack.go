package fasthttpadaptor

import (
	"context"
	"crypto/tls"
	"net"
	"sync"
)

// hijackedConn is the connection Hijack returns. Its Close tells the
// server's hijack handler that h is done with it.
type hijackedConn struct {
	net.Conn
	once   sync.Once
	closed chan struct{}
}

// hijackedTLSConn keeps the TLS methods of a TLS connection visible, so a
// WebSocket upgraded over TLS can still inspect its peer.
type hijackedTLSConn struct {
	*hijackedConn
}

type tlsStater interface {
	ConnectionState() tls.ConnectionState
}

type closeNotifier interface {
	net.Conn
	closedCh() <-chan struct{}
}

func newHijackedConn(c net.Conn) closeNotifier {
	hc := &hijackedConn{Conn: c, closed: make(chan struct{})}
	if _, ok := c.(tlsStater); ok {
		return hijackedTLSConn{hc}
	}
	return hc
}

// Close closes the connection.
func (c *hijackedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() { close(c.closed) })
	return err
}

// NetConn returns the connection this one wraps.
func (c *hijackedConn) NetConn() net.Conn { return c.Conn }

func (c *hijackedConn) closedCh() <-chan struct{} { return c.closed }

// ConnectionState returns the TLS state of the connection.
func (c hijackedTLSConn) ConnectionState() tls.ConnectionState {
	return c.Conn.(tlsStater).ConnectionState()
}

// Handshake runs the TLS handshake, when the connection has one to run.
func (c hijackedTLSConn) Handshake() error {
	if h, ok := c.Conn.(interface{ Handshake() error }); ok {
		return h.Handshake()
	}
	return nil
}

// HandshakeContext runs the TLS handshake under ctx.
func (c hijackedTLSConn) HandshakeContext(ctx context.Context) error {
	if h, ok := c.Conn.(interface {
		HandshakeContext(context.Context) error
	}); ok {
		return h.HandshakeContext(ctx)
	}
	return c.Handshake()
}
