package websocket

import (
	"context"
	"encoding/binary"
	"net"
	"time"
)

// closeTimeout bounds the closing handshake: writing the close frame and
// waiting for the peer's.
const closeTimeout = 5 * time.Second

// lingerTimeout bounds how long a failed connection drains what the peer
// still sends after this side's close frame, so that closing the socket
// with unread bytes does not reset it before the close frame is read.
const lingerTimeout = time.Second

// Close performs the closing handshake (§7.1.2): it sends a close frame
// with code and reason, waits for the peer's close frame (read here when no
// other goroutine is reading, discarding data messages), then closes the
// connection. The wait ends after 5 seconds, or earlier when ctx is done.
// reason must be valid UTF-8 of at most 123 bytes, and code one that may
// be sent (not 1005, 1006 or 1015); otherwise Close returns an error and
// leaves the connection open. Once the connection is closed, Close
// returns nil.
func (c *Conn) Close(ctx context.Context, code StatusCode, reason string) error {
	if err := checkClose(code, reason); err != nil {
		return err
	}
	deadline := time.Now().Add(closeTimeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	c.mu.Lock()
	if c.err != nil {
		c.mu.Unlock()
		return nil
	}
	sent := c.closeSent
	c.closeSent = true
	c.mu.Unlock()
	timer := time.NewTimer(time.Until(deadline))
	defer timer.Stop()
	if sent {
		// Someone else is closing: wait for them.
		select {
		case <-c.closed:
		case <-timer.C:
		case <-ctx.Done():
		}
		return nil
	}
	var p [2 + maxCloseReason]byte
	binary.BigEndian.PutUint16(p[:], uint16(code))
	n := 2 + copy(p[2:], reason)
	if err := c.writeClose(p[:n], deadline); err != nil {
		return nil
	}
	select {
	case c.rd.sem <- struct{}{}:
		c.awaitPeerClose(ctx, deadline)
		<-c.rd.sem
	case <-c.closeRecv:
	case <-c.closed:
	case <-timer.C:
	case <-ctx.Done():
	}
	_ = c.closeTransport(CloseError{Code: code, Reason: reason})
	return nil
}

// awaitPeerClose reads, discarding data messages, until the peer's close
// frame (or an error, or the deadline). The caller holds the reading side.
func (c *Conn) awaitPeerClose(ctx context.Context, deadline time.Time) {
	if c.broken.Load() {
		return
	}
	_ = c.nc.SetReadDeadline(deadline)
	armed, err := c.rw.watch(ctx)
	if err != nil {
		return
	}
	for {
		if err := c.rd.beginMessage(); err != nil {
			break
		}
		if err := c.rd.discard(); err != nil {
			break
		}
	}
	if armed {
		c.rw.unwatch()
	}
}

// CloseNow closes the connection at once, without a closing handshake.
// Calls in progress and later ones return net.ErrClosed (or the error the
// connection had already ended with). It returns nil.
func (c *Conn) CloseNow() error {
	_ = c.closeTransport(net.ErrClosed)
	return nil
}

// peerClosed handles the peer's close frame: it answers it unless this
// side's close frame went first, and closes the connection.
func (c *Conn) peerClosed(p []byte) error {
	ce, code, why := parseClosePayload(p)
	if code != 0 {
		// The peer has sent its last frame: nothing to drain.
		c.rd.sawClose = true
		return c.fail(code, why)
	}
	c.mu.Lock()
	if c.peerClose != nil {
		c.mu.Unlock()
		return c.fail(StatusProtocolError, "second close frame")
	}
	c.peerClose = &ce
	sent := c.closeSent
	c.closeSent = true
	c.mu.Unlock()
	close(c.closeRecv)
	if !sent {
		// Echo the code (§5.5.1), not the reason.
		var echo [2]byte
		n := 0
		if ce.Code != StatusNoStatusReceived {
			binary.BigEndian.PutUint16(echo[:], uint16(ce.Code))
			n = 2
		}
		_ = c.writeClose(echo[:n], time.Now().Add(closeTimeout))
	}
	return c.closeTransport(ce)
}

// fail fails the connection (§7.1.7) for a problem this side found while
// reading: a close frame with code, then the transport closed. The
// returned CloseError (code and reason) is the connection's error from
// now on.
func (c *Conn) fail(code StatusCode, reason string) error {
	c.mu.Lock()
	if c.err != nil {
		err := c.err
		c.mu.Unlock()
		return err
	}
	sent := c.closeSent
	c.closeSent = true
	c.mu.Unlock()
	ce := CloseError{Code: code, Reason: reason}
	if !sent {
		var p [2 + maxCloseReason]byte
		binary.BigEndian.PutUint16(p[:], uint16(code))
		n := 2 + copy(p[2:], reason)
		if c.writeClose(p[:n], time.Now().Add(closeTimeout)) == nil {
			c.linger()
		}
	}
	return c.closeTransport(ce)
}

// linger drains the transport until the peer's close frame or the end of
// the stream (or a short deadline), so that closing the socket with unread
// bytes does not reset it before the peer has read the close frame. The
// caller holds the reading side; the frames are skipped, not checked, and
// read errors end the drain without becoming the connection's error.
func (c *Conn) linger() {
	r := &c.rd
	if r.sawClose {
		return
	}
	_ = c.nc.SetReadDeadline(time.Now().Add(lingerTimeout))
	fill := func(n int) bool {
		if r.end-r.pos >= n {
			return true
		}
		r.end = copy(r.buf, r.buf[r.pos:r.end])
		r.pos = 0
		for r.end < n {
			m, err := c.nc.Read(r.buf[r.end:])
			r.end += m
			if err != nil {
				return false
			}
		}
		return true
	}
	skip := r.remaining
	for total := int64(0); total < 1<<20; {
		if skip > 0 {
			if !fill(1) {
				return
			}
			k := min(skip, int64(r.end-r.pos))
			r.pos += int(k)
			skip -= k
			total += k
			continue
		}
		if !fill(2) {
			return
		}
		n := headerLen(r.buf[r.pos+1])
		if !fill(n) {
			return
		}
		h, _ := parseHeader(r.buf[r.pos : r.pos+n])
		if h.op == opClose {
			return
		}
		r.pos += n
		skip = h.length
		total += int64(n)
	}
}
