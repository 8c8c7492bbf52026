package fasthttp

import (
	"crypto/tls"
	"net"
	"strings"
	"sync"
	"time"
)

// This file is HostClient's connection pool: idle keep-alive connections,
// the MaxConns cap with waiting requests, expiry of idle and old
// connections, and dialing (with TLS) of new ones.

// clientConn is one connection owned by a HostClient.
type clientConn struct {
	c           net.Conn
	upstream    string // the address it was dialed to
	createdTime time.Time
	lastUseTime time.Time
	deadlineSet bool // a read or write deadline is set on c
}

var clientConnPool sync.Pool

func acquireClientConn(c net.Conn, upstream string, now time.Time) *clientConn {
	v := clientConnPool.Get()
	cc, _ := v.(*clientConn)
	if cc == nil {
		cc = &clientConn{}
	}
	cc.c = c
	cc.upstream = upstream
	cc.createdTime = now
	cc.lastUseTime = now
	cc.deadlineSet = false
	return cc
}

func releaseClientConn(cc *clientConn) {
	cc.c = nil
	cc.upstream = ""
	clientConnPool.Put(cc)
}

// connWaiter is a request waiting for a connection. It receives either an
// idle connection, or nil meaning a connection slot was handed over and it
// may dial.
type connWaiter struct {
	ch chan *clientConn
}

var connWaiterPool = sync.Pool{New: func() any {
	return &connWaiter{ch: make(chan *clientConn, 1)}
}}

func (hc *HostClient) maxConns() int {
	if hc.MaxConns > 0 {
		return hc.MaxConns
	}
	return DefaultMaxConnsPerHost
}

func (hc *HostClient) maxIdleConnDuration() time.Duration {
	if hc.MaxIdleConnDuration > 0 {
		return hc.MaxIdleConnDuration
	}
	return DefaultMaxIdleConnDuration
}

// AcquireConn returns a connection to the host for a custom RoundTripper:
// an idle one, or a new one dialed within reqTimeout (0: the dial
// timeout). Give it back with ReleaseConn, or CloseConn when it must not
// be reused. connectionClose says the caller will close it after one
// request.
func (hc *HostClient) AcquireConn(reqTimeout time.Duration, connectionClose bool) (cc *clientConn, err error) {
	now := time.Now()
	var deadline time.Time
	if reqTimeout > 0 {
		deadline = now.Add(reqTimeout)
	}
	return hc.acquireConn(now, deadline, connectionClose)
}

// ReleaseConn puts cc back in the pool of idle connections. The
// connection must be ready for another request.
func (hc *HostClient) ReleaseConn(cc *clientConn) {
	hc.releaseConn(cc, time.Now())
}

// CloseConn closes cc and frees its slot.
func (hc *HostClient) CloseConn(cc *clientConn) {
	hc.closeConn(cc)
}

// ConnsCount returns the number of open connections, idle or in use.
func (hc *HostClient) ConnsCount() int {
	hc.connsMu.Lock()
	n := hc.connsCount
	hc.connsMu.Unlock()
	return n
}

// IdleConnsCount returns the number of idle keep-alive connections.
func (hc *HostClient) IdleConnsCount() int {
	hc.connsMu.Lock()
	n := len(hc.conns)
	hc.connsMu.Unlock()
	return n
}

// CloseIdleConnections closes every idle connection. Connections in use
// are not affected.
func (hc *HostClient) CloseIdleConnections() {
	hc.connsMu.Lock()
	idle := append([]*clientConn(nil), hc.conns...)
	clear(hc.conns)
	hc.conns = hc.conns[:0]
	hc.connsCount -= len(idle)
	hc.connsMu.Unlock()
	for _, cc := range idle {
		_ = cc.c.Close()
		releaseClientConn(cc)
	}
}

// acquireConn takes an idle connection, dials a new one, or waits for one
// when MaxConns are in use. now is the caller's clock reading (it judges
// idle connections); deadline (zero: none) bounds waiting and dialing.
func (hc *HostClient) acquireConn(now, deadline time.Time, connectionClose bool) (*clientConn, error) {
	strategy := hc.ConnPoolStrategy
	if strategy != FIFO && strategy != LIFO {
		return nil, ErrConnPoolStrategyNotImpl
	}
	maxIdle := hc.maxIdleConnDuration()
	hc.connsMu.Lock()
	for n := len(hc.conns); n > 0; n = len(hc.conns) {
		var cc *clientConn
		if strategy == LIFO {
			cc = hc.conns[n-1]
		} else {
			cc = hc.conns[0]
			copy(hc.conns, hc.conns[1:])
		}
		hc.conns[n-1] = nil
		hc.conns = hc.conns[:n-1]
		idle := now.Sub(cc.lastUseTime)
		if idle < maxIdle && !hc.tooOld(cc, now) {
			hc.connsMu.Unlock()
			if idle < staleCheckAfter || connStillOpen(cc) {
				return cc, nil
			}
			hc.connsMu.Lock()
		}
		// Expired, or closed by the server while idle.
		hc.connsCount--
		hc.connsMu.Unlock()
		_ = cc.c.Close()
		releaseClientConn(cc)
		hc.connsMu.Lock()
	}
	if hc.connsCount < hc.maxConns() {
		hc.connsCount++
		hc.connsMu.Unlock()
		return hc.dialConn(deadline)
	}
	if hc.MaxConnWaitTimeout <= 0 {
		hc.connsMu.Unlock()
		return nil, ErrNoFreeConns
	}
	w := connWaiterPool.Get().(*connWaiter)
	hc.waiters = append(hc.waiters, w)
	hc.connsMu.Unlock()
	return hc.waitConn(w, deadline)
}

// waitConn waits for a connection or a slot handed to w by another
// request.
func (hc *HostClient) waitConn(w *connWaiter, deadline time.Time) (*clientConn, error) {
	timeout := hc.MaxConnWaitTimeout
	timeoutErr := ErrNoFreeConns
	if !deadline.IsZero() {
		if left := time.Until(deadline); left < timeout {
			timeout = left
			timeoutErr = ErrTimeout
		}
	}
	t := AcquireTimer(timeout)
	var cc *clientConn
	select {
	case cc = <-w.ch:
		ReleaseTimer(t)
	case <-t.C:
		ReleaseTimer(t)
		hc.connsMu.Lock()
		removed := hc.removeWaiter(w)
		hc.connsMu.Unlock()
		if removed {
			connWaiterPool.Put(w)
			return nil, timeoutErr
		}
		// Served while timing out: take what was handed over.
		cc = <-w.ch
	}
	connWaiterPool.Put(w)
	if cc == nil {
		return hc.dialConn(deadline)
	}
	return cc, nil
}

// staleCheckAfter is how long a connection must have been idle before it
// is checked for a close by the server. Servers drop idle keep-alive
// connections on their own schedule; finding out before writing lets even
// a non-idempotent request go out on a live connection.
const staleCheckAfter = 100 * time.Millisecond

func (hc *HostClient) removeWaiter(w *connWaiter) bool {
	for i, x := range hc.waiters {
		if x == w {
			copy(hc.waiters[i:], hc.waiters[i+1:])
			hc.waiters[len(hc.waiters)-1] = nil
			hc.waiters = hc.waiters[:len(hc.waiters)-1]
			return true
		}
	}
	return false
}

// popWaiter removes and returns the longest-waiting request, or nil.
// connsMu must be held.
func (hc *HostClient) popWaiter() *connWaiter {
	if len(hc.waiters) == 0 {
		return nil
	}
	w := hc.waiters[0]
	copy(hc.waiters, hc.waiters[1:])
	hc.waiters[len(hc.waiters)-1] = nil
	hc.waiters = hc.waiters[:len(hc.waiters)-1]
	return w
}

func (hc *HostClient) tooOld(cc *clientConn, now time.Time) bool {
	return hc.MaxConnDuration > 0 && now.Sub(cc.createdTime) > hc.MaxConnDuration
}

// releaseConn returns cc to the idle pool, or straight to a waiting
// request; now is when it was last used.
func (hc *HostClient) releaseConn(cc *clientConn, now time.Time) {
	if hc.tooOld(cc, now) {
		hc.closeConn(cc)
		return
	}
	cc.lastUseTime = now
	hc.connsMu.Lock()
	if w := hc.popWaiter(); w != nil {
		hc.connsMu.Unlock()
		w.ch <- cc
		return
	}
	hc.conns = append(hc.conns, cc)
	if !hc.cleanerRunning {
		hc.cleanerRunning = true
		go hc.connsCleaner()
	}
	hc.connsMu.Unlock()
}

// closeConn closes cc and frees its slot.
func (hc *HostClient) closeConn(cc *clientConn) {
	_ = cc.c.Close()
	releaseClientConn(cc)
	hc.freeSlot()
}

// freeSlot gives a connection slot back: to a waiting request, which may
// then dial, or to the count.
func (hc *HostClient) freeSlot() {
	hc.connsMu.Lock()
	if w := hc.popWaiter(); w != nil {
		hc.connsMu.Unlock()
		w.ch <- nil
		return
	}
	hc.connsCount--
	hc.connsMu.Unlock()
}

// connsCleaner closes connections idle for longer than MaxIdleConnDuration.
// It runs while the client has connections and sleeps until the oldest idle
// one expires.
func (hc *HostClient) connsCleaner() {
	maxIdle := hc.maxIdleConnDuration()
	var buf []*clientConn
	for {
		now := time.Now()
		hc.connsMu.Lock()
		// Connections are appended as they are released, so the expired
		// ones are a prefix.
		n := 0
		for n < len(hc.conns) && now.Sub(hc.conns[n].lastUseTime) >= maxIdle {
			n++
		}
		expired := append(buf[:0], hc.conns[:n]...)
		m := copy(hc.conns, hc.conns[n:])
		clear(hc.conns[m:])
		hc.conns = hc.conns[:m]
		hc.connsCount -= n
		// Keep running while connections are in use, so a busy pool does
		// not start a goroutine each time a connection comes back.
		sleep := maxIdle
		stop := hc.connsCount == 0
		if stop {
			hc.cleanerRunning = false
		} else if len(hc.conns) > 0 {
			sleep = maxIdle - now.Sub(hc.conns[0].lastUseTime)
		}
		buf = expired[:0]
		hc.connsMu.Unlock()
		for i, cc := range expired {
			_ = cc.c.Close()
			releaseClientConn(cc)
			expired[i] = nil
		}
		if stop {
			return
		}
		if sleep < time.Millisecond {
			sleep = time.Millisecond
		}
		time.Sleep(sleep)
	}
}

// nextAddr returns the next address of the comma-separated Addr list, in
// turn.
func (hc *HostClient) nextAddr() string {
	addr := hc.Addr
	if strings.IndexByte(addr, ',') < 0 {
		return strings.TrimSpace(addr)
	}
	n := strings.Count(addr, ",") + 1
	i := int(hc.addrIdx.Add(1)-1) % n
	for ; i > 0; i-- {
		addr = addr[strings.IndexByte(addr, ',')+1:]
	}
	if j := strings.IndexByte(addr, ','); j >= 0 {
		addr = addr[:j]
	}
	return strings.TrimSpace(addr)
}

// addrCount returns the number of addresses in Addr.
func (hc *HostClient) addrCount() int {
	return strings.Count(hc.Addr, ",") + 1
}

// dialConn dials a connection for a slot already counted in connsCount,
// trying each address once. The slot is freed when every dial fails.
func (hc *HostClient) dialConn(deadline time.Time) (*clientConn, error) {
	var err error
	for i, n := 0, hc.addrCount(); i < n; i++ {
		addr := hc.nextAddr()
		var conn net.Conn
		if conn, err = hc.dialAddr(addr, deadline); err == nil {
			return acquireClientConn(conn, addr, time.Now()), nil
		}
		if !deadline.IsZero() && !time.Now().Before(deadline) {
			break
		}
	}
	hc.freeSlot()
	if !deadline.IsZero() && !time.Now().Before(deadline) {
		// The request's own deadline cut the dial short.
		err = ErrTimeout
	}
	return nil, err
}

// dialAddr dials addr with the configured dialer and, with IsTLS, runs the
// TLS handshake. Both are bounded by deadline when there is one.
func (hc *HostClient) dialAddr(addr string, deadline time.Time) (net.Conn, error) {
	timeout := DefaultDialTimeout
	if !deadline.IsZero() {
		timeout = time.Until(deadline)
		if timeout <= 0 {
			return nil, ErrTimeout
		}
	}
	var conn net.Conn
	var err error
	switch {
	case hc.DialTimeout != nil:
		conn, err = hc.DialTimeout(addr, timeout)
	case hc.Dial != nil:
		if deadline.IsZero() {
			conn, err = hc.Dial(addr)
		} else {
			conn, err = dialWithDeadline(hc.Dial, addr, deadline)
		}
	default:
		conn, err = defaultDialer.dialDeadline(clientAddPort(addr, hc.IsTLS), hc.DialDualStack, time.Now().Add(timeout))
	}
	if err != nil {
		return nil, err
	}
	if conn == nil {
		return nil, ErrNilConnection
	}
	if hc.IsTLS {
		if _, ok := conn.(*tls.Conn); !ok {
			return hc.handshake(conn, addr, deadline)
		}
	}
	return conn, nil
}

// dialResult carries the outcome of a dial run in its own goroutine.
type dialResult struct {
	conn net.Conn
	err  error
}

// dialWithDeadline runs a DialFunc that knows no timeout so that the
// request's deadline still holds: the caller stops waiting at the
// deadline, and a connection that arrives later is closed.
func dialWithDeadline(dial DialFunc, addr string, deadline time.Time) (net.Conn, error) {
	ch := make(chan dialResult, 1)
	go func() {
		conn, err := dial(addr)
		ch <- dialResult{conn, err}
	}()
	t := AcquireTimer(time.Until(deadline))
	defer ReleaseTimer(t)
	select {
	case r := <-ch:
		return r.conn, r.err
	case <-t.C:
		go func() {
			if r := <-ch; r.conn != nil {
				_ = r.conn.Close()
			}
		}()
		return nil, ErrTimeout
	}
}

// tlsHandshakeTimeout bounds a handshake made without a request deadline,
// so a silent server cannot hold a dial forever.
const tlsHandshakeTimeout = 10 * time.Second

func (hc *HostClient) handshake(conn net.Conn, addr string, deadline time.Time) (net.Conn, error) {
	tc := tls.Client(conn, hc.tlsConfig(addr))
	if deadline.IsZero() {
		deadline = time.Now().Add(tlsHandshakeTimeout)
	}
	if err := conn.SetDeadline(deadline); err != nil {
		_ = conn.Close()
		return nil, err
	}
	if err := tc.Handshake(); err != nil {
		_ = conn.Close()
		if ne, ok := err.(net.Error); ok && ne.Timeout() {
			return nil, ErrTLSHandshakeTimeout
		}
		return nil, err
	}
	if err := conn.SetDeadline(time.Time{}); err != nil {
		_ = conn.Close()
		return nil, err
	}
	return tc, nil
}

// tlsConfig returns the TLS configuration for a connection to addr: a
// clone of TLSConfig with ServerName set to addr's host, cached per host.
func (hc *HostClient) tlsConfig(addr string) *tls.Config {
	host := addr
	if h, _, err := net.SplitHostPort(addr); err == nil {
		host = h
	}
	hc.tlsMu.Lock()
	defer hc.tlsMu.Unlock()
	if cfg := hc.tlsConfigs[host]; cfg != nil {
		return cfg
	}
	var cfg *tls.Config
	if hc.TLSConfig == nil {
		cfg = &tls.Config{MinVersion: tls.VersionTLS12}
	} else {
		cfg = hc.TLSConfig.Clone()
	}
	if cfg.ServerName == "" {
		cfg.ServerName = host
	}
	if hc.tlsConfigs == nil {
		hc.tlsConfigs = make(map[string]*tls.Config)
	}
	hc.tlsConfigs[host] = cfg
	return cfg
}

// clientAddPort appends the default port of the scheme to an address that
// has none, bracketing a bare IPv6 literal.
func clientAddPort(addr string, isTLS bool) string {
	if addr == "" {
		return addr
	}
	if _, _, err := net.SplitHostPort(addr); err == nil {
		return addr
	}
	if strings.IndexByte(addr, ':') >= 0 && addr[0] != '[' {
		addr = "[" + addr + "]"
	}
	if isTLS {
		return addr + ":443"
	}
	return addr + ":80"
}
