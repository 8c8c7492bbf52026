package fasthttp

import (
	"context"
	"crypto/tls"
	"encoding/binary"
	"math/rand/v2"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
)

// This file holds Server.MaxConnsPerIP: the per-IP connection counter and
// the wrappers that tie a connection to its count.
//
// The wrappers never hide TLS: a wrapper around a connection that has
// ConnectionState (a *tls.Conn or a user's own TLS wrapper) has
// ConnectionState, Handshake and HandshakeContext too, so
// RequestCtx.TLSConnectionState, IsTLS and client-certificate checks work
// whatever the limit. Wrappers are allocated per connection and never
// pooled, so one that user code kept can never start describing another
// client.

// perIPShards spreads the counter over independent locks so that accepts
// from many addresses do not queue on one mutex.
const (
	perIPShardBits = 6
	perIPShards    = 1 << perIPShardBits
)

// perIPConnCounter counts open connections per client IP. IPv4-mapped IPv6
// addresses count as their IPv4 address; entries are removed at zero.
type perIPConnCounter struct {
	seed   uint64
	shards [perIPShards]perIPShard
}

type perIPShard struct {
	mu sync.Mutex
	// m is keyed by the 16-byte form of the address: cheaper to hash than
	// netip.Addr, and unique once addresses are unmapped and zone-free.
	m map[[16]byte]int32
	_ [48]byte // keep shards on separate cache lines
}

func newPerIPConnCounter() *perIPConnCounter {
	return &perIPConnCounter{seed: rand.Uint64()}
}

func (cc *perIPConnCounter) shard(ip netip.Addr) *perIPShard {
	// All 16 bytes go through a full 64-bit mix (splitmix64's finalizer)
	// and the shard comes from the top bits, which depend on every input
	// bit: IPv4 addresses (zero-padded in As16) spread as well as IPv6.
	b := ip.As16()
	x := (binary.LittleEndian.Uint64(b[:8])^cc.seed)*0x9e3779b97f4a7c15 ^ binary.LittleEndian.Uint64(b[8:])
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	x ^= x >> 31
	return &cc.shards[x>>(64-perIPShardBits)]
}

// tryRegister counts one more connection from ip unless it already has
// limit; it reports whether the connection was counted.
func (cc *perIPConnCounter) tryRegister(ip netip.Addr, limit int) bool {
	s := cc.shard(ip)
	k := ip.As16()
	s.mu.Lock()
	if s.m == nil {
		s.m = make(map[[16]byte]int32)
	}
	n := s.m[k]
	if int(n) >= limit {
		s.mu.Unlock()
		return false
	}
	s.m[k] = n + 1
	s.mu.Unlock()
	return true
}

// unregister removes one connection of ip.
func (cc *perIPConnCounter) unregister(ip netip.Addr) {
	s := cc.shard(ip)
	k := ip.As16()
	s.mu.Lock()
	n := s.m[k] - 1
	if n <= 0 {
		delete(s.m, k)
	} else {
		s.m[k] = n
	}
	s.mu.Unlock()
}

// count returns the connections currently counted for ip.
func (cc *perIPConnCounter) count(ip netip.Addr) int {
	s := cc.shard(ip)
	s.mu.Lock()
	n := s.m[ip.As16()]
	s.mu.Unlock()
	return int(n)
}

// connIP returns the client IP of c, or false for connections without one
// (unix sockets, in-memory pipes), which are not limited.
func connIP(c net.Conn) (netip.Addr, bool) {
	var ap netip.AddrPort
	switch a := c.RemoteAddr().(type) {
	case *net.TCPAddr:
		ap = a.AddrPort()
	case *net.UDPAddr:
		ap = a.AddrPort()
	default:
		return netip.Addr{}, false
	}
	ip := ap.Addr()
	if !ip.IsValid() {
		return netip.Addr{}, false
	}
	return ip.Unmap().WithZone(""), true
}

// tlsStater is what a TLS connection (or a wrapper of one) provides.
type tlsStater interface {
	ConnectionState() tls.ConnectionState
}

// tlsStaterOf returns the TLS side of c: c itself when it has
// ConnectionState, else the first connection down its NetConn chain that
// has it; nil for a plain connection.
func tlsStaterOf(c net.Conn) tlsStater {
	// Per request (IsTLS, TLSConnectionState): the common cases first,
	// without the generic walk.
	if ts, ok := c.(tlsStater); ok {
		return ts
	}
	if _, ok := c.(interface{ NetConn() net.Conn }); !ok {
		return nil
	}
	ts, _ := connAs[tlsStater](c)
	return ts
}

// connAs returns c as a T, or the first connection down c's NetConn chain
// (the wrappers' own, per-IP and TLS among them) that is one; the chain is
// followed 8 deep at most.
func connAs[T any](c net.Conn) (T, bool) {
	for i := 0; i < 8 && c != nil; i++ {
		if t, ok := c.(T); ok {
			return t, true
		}
		u, ok := c.(interface{ NetConn() net.Conn })
		if !ok {
			break
		}
		c = u.NetConn()
	}
	var none T
	return none, false
}

// handshakeOf runs the handshake of c, or of ts when c has none to run.
func handshakeOf(c net.Conn, ts tlsStater) error {
	if h, ok := c.(interface{ Handshake() error }); ok {
		return h.Handshake()
	}
	if h, ok := ts.(interface{ Handshake() error }); ok {
		return h.Handshake()
	}
	return nil
}

// handshakeContextOf is handshakeOf under ctx.
func handshakeContextOf(ctx context.Context, c net.Conn, ts tlsStater) error {
	type handshakerContext interface {
		HandshakeContext(context.Context) error
	}
	if h, ok := c.(handshakerContext); ok {
		return h.HandshakeContext(ctx)
	}
	if h, ok := ts.(handshakerContext); ok {
		return h.HandshakeContext(ctx)
	}
	return handshakeOf(c, ts)
}

// perIPConn is a counted connection. Close releases its count exactly once,
// however many times it is called.
type perIPConn struct {
	net.Conn

	ip       netip.Addr
	counter  *perIPConnCounter
	released atomic.Bool
}

// Close closes the connection and releases its per-IP count.
func (c *perIPConn) Close() error {
	// Release first: a client that reconnects the moment it sees the close
	// must not find its old connection still counted.
	c.release()
	return c.Conn.Close()
}

func (c *perIPConn) release() {
	if c.released.CompareAndSwap(false, true) {
		c.counter.unregister(c.ip)
	}
}

// NetConn returns the wrapped connection.
func (c *perIPConn) NetConn() net.Conn {
	return c.Conn
}

// perIPTLSConn is a counted TLS connection: it keeps the TLS methods of the
// connection it wraps visible, so RequestCtx.TLSConnectionState, a
// HijackHandler and ConnState all still see the TLS session.
type perIPTLSConn struct {
	perIPConn
	ts tlsStater
}

// ConnectionState returns the TLS state of the wrapped connection.
func (c *perIPTLSConn) ConnectionState() tls.ConnectionState {
	return c.ts.ConnectionState()
}

// Handshake runs the TLS handshake of the wrapped connection, when it has
// one to run.
func (c *perIPTLSConn) Handshake() error {
	return handshakeOf(c.Conn, c.ts)
}

// HandshakeContext runs the TLS handshake of the wrapped connection under
// ctx, when it has one to run.
func (c *perIPTLSConn) HandshakeContext(ctx context.Context) error {
	return handshakeContextOf(ctx, c.Conn, c.ts)
}

// wrapPerIPConn returns a counted wrapper of c, of the TLS kind when c has
// a TLS side. A wrapper is never reused for another connection: user code
// may keep it (RequestCtx.Conn, a hijacked connection) after it closed.
func wrapPerIPConn(c net.Conn, ip netip.Addr, counter *perIPConnCounter) net.Conn {
	if ts := tlsStaterOf(c); ts != nil {
		return &perIPTLSConn{perIPConn: perIPConn{Conn: c, ip: ip, counter: counter}, ts: ts}
	}
	return &perIPConn{Conn: c, ip: ip, counter: counter}
}
