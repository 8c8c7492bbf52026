package websocket

import (
	"context"
	"encoding/binary"
	"errors"
	"io"
	"time"
	"unicode/utf8"
)

var (
	errInvalidMessageType = errors.New("websocket: invalid message type")
	errInvalidUTF8        = errors.New("websocket: text message is not valid UTF-8")
	errWriterClosed       = errors.New("websocket: writer is closed")
	errCloseSent          = errors.New("websocket: close frame already sent")
)

func dataOpcode(typ MessageType) (opcode, error) {
	switch typ {
	case MessageText:
		return opText, nil
	case MessageBinary:
		return opBinary, nil
	}
	return 0, errInvalidMessageType
}

// Write sends p as one message of type typ. A text message must be valid
// UTF-8: otherwise nothing is sent and an error is returned. With
// compression negotiated, a message of at least CompressionThreshold bytes
// is compressed. Write is safe to call from several goroutines: messages go
// out whole, one after the other.
//
// When ctx is done before the message is written, the connection is
// closed and ctx.Err() is returned, now and by every later call.
func (c *Conn) Write(ctx context.Context, typ MessageType, p []byte) error {
	op, err := dataOpcode(typ)
	if err != nil {
		return err
	}
	if op == opText && !utf8.Valid(p) {
		return errInvalidUTF8
	}
	armed, err := c.beginWrite(ctx)
	if err != nil {
		return err
	}
	if c.df != nil && len(p) >= c.df.threshold {
		c.mw.start(ctx, op, true)
		_, err = c.mw.write(p)
		if err == nil {
			err = c.mw.close()
		}
		c.mw.release()
		c.mw.closed = true
	} else {
		err = c.writeFrame(true, false, op, p)
	}
	c.endWrite(armed)
	return err
}

// Writer returns a writer for one message of type typ: each Write adds to
// it, Close ends it. Data is sent in frames as the buffer fills, so a
// message of any size streams in constant memory. The writer holds the
// writing side until Close: other writes wait for it. ctx bounds every
// write the writer makes, as it bounds Write.
func (c *Conn) Writer(ctx context.Context, typ MessageType) (io.WriteCloser, error) {
	op, err := dataOpcode(typ)
	if err != nil {
		return nil, err
	}
	if err := c.acquireWrite(ctx); err != nil {
		return nil, err
	}
	c.mw.start(ctx, op, c.df != nil)
	c.mw.owned = true
	return &c.mw, nil
}

// acquireWrite takes the writing side for a message.
func (c *Conn) acquireWrite(ctx context.Context) error {
	select {
	case c.writeSem <- struct{}{}:
	default:
		select {
		case c.writeSem <- struct{}{}:
		case <-ctx.Done():
			return ctx.Err()
		case <-c.closed:
			return c.stickyErr()
		}
	}
	if err := c.writable(); err != nil {
		<-c.writeSem
		return err
	}
	return nil
}

// writable returns why no data frame may be sent now, if so.
func (c *Conn) writable() error {
	if c.broken.Load() {
		return c.stickyErr()
	}
	c.mu.Lock()
	sent := c.closeSent
	c.mu.Unlock()
	if sent {
		return errCloseSent
	}
	return nil
}

func (c *Conn) beginWrite(ctx context.Context) (bool, error) {
	if err := c.acquireWrite(ctx); err != nil {
		return false, err
	}
	armed, err := c.ww.watch(ctx)
	if err != nil {
		<-c.writeSem
		return false, err
	}
	return armed, nil
}

func (c *Conn) endWrite(armed bool) {
	if armed {
		c.ww.unwatch()
	}
	<-c.writeSem
}

// setWriteDeadline applies WriteTimeout to the frame about to be written.
// The caller holds frameMu.
func (c *Conn) setWriteDeadline() {
	if c.writeTimeout > 0 {
		_ = c.nc.SetWriteDeadline(time.Now().Add(c.writeTimeout))
	}
}

// writeFrame writes one data frame with payload p (masked on the client).
// Small frames go out in one write from a pooled buffer; large ones are
// copied in turns (client, which must mask a copy) or written after their
// header (server).
func (c *Conn) writeFrame(fin, rsv1 bool, op opcode, p []byte) error {
	c.frameMu.Lock()
	defer c.frameMu.Unlock()
	if err := c.writable(); err != nil {
		return err // checked under frameMu: no data frame follows a close frame
	}
	c.setWriteDeadline()
	var key [4]byte
	if c.client {
		key = c.maskKey()
	}
	bp := getWriteBuffer(len(p))
	buf := *bp
	n := putHeader(buf, fin, rsv1, op, len(p), c.client, key)
	var err error
	switch {
	case n+len(p) <= len(buf):
		copy(buf[n:], p)
		if c.client {
			maskBytes(key, 0, buf[n:n+len(p)])
		}
		_, err = c.nc.Write(buf[:n+len(p)])
	case !c.client:
		k := copy(buf[n:], p)
		if _, err = c.nc.Write(buf[:n+k]); err == nil {
			_, err = c.nc.Write(p[k:])
		}
	default:
		pos := 0
		for len(p) > 0 && err == nil {
			k := copy(buf[n:], p)
			pos = maskBytes(key, pos, buf[n:n+k])
			_, err = c.nc.Write(buf[:n+k])
			p = p[k:]
			n = 0
		}
	}
	putWriteBuffer(bp)
	if err != nil {
		return c.ioError(err)
	}
	return nil
}

// writeControl writes a control frame (pong, ping).
func (c *Conn) writeControl(op opcode, p []byte) error {
	c.frameMu.Lock()
	c.setWriteDeadline()
	err := c.writeControlLocked(op, p)
	c.frameMu.Unlock()
	return err
}

// writeClose writes a close frame with payload p, bounded by deadline.
// The deadline is set before waiting for the frame lock, so that a write
// stuck on a peer that does not read gives way by then too.
func (c *Conn) writeClose(p []byte, deadline time.Time) error {
	_ = c.nc.SetWriteDeadline(deadline)
	c.frameMu.Lock()
	_ = c.nc.SetWriteDeadline(deadline) // again: a frame written meanwhile may have set its own
	err := c.writeControlLocked(opClose, p)
	c.frameMu.Unlock()
	return err
}

func (c *Conn) writeControlLocked(op opcode, p []byte) error {
	if c.broken.Load() {
		return c.stickyErr()
	}
	var key [4]byte
	if c.client {
		key = c.maskKey()
	}
	b := c.ctrlOut[:]
	n := putHeader(b, true, false, op, len(p), c.client, key)
	n += copy(b[n:], p)
	if c.client {
		maskBytes(key, 0, b[n-len(p):n])
	}
	if _, err := c.nc.Write(b[:n]); err != nil {
		return c.ioError(err)
	}
	return nil
}

// pingWaiter is a Ping waiting for its pong.
type pingWaiter struct {
	id uint64
	ch chan struct{}
}

// Ping sends a ping and waits for the matching pong, which a concurrent
// Read, Reader or CloseRead receives: without one, Ping waits until ctx is
// done. A ctx done while waiting returns ctx.Err() and leaves the
// connection open.
func (c *Conn) Ping(ctx context.Context) error {
	if err := c.writable(); err != nil {
		return err
	}
	c.pingMu.Lock()
	c.pingSeq++
	w := pingWaiter{id: c.pingSeq, ch: make(chan struct{})}
	c.pings = append(c.pings, w)
	c.pingMu.Unlock()
	var p [8]byte
	binary.BigEndian.PutUint64(p[:], w.id)
	err := c.writeControl(opPing, p[:])
	if err == nil {
		select {
		case <-w.ch:
			return nil
		case <-ctx.Done():
			err = ctx.Err()
		case <-c.closed:
			err = c.stickyErr()
		}
	}
	c.pingMu.Lock()
	for i := range c.pings {
		if c.pings[i].id == w.id {
			c.pings = append(c.pings[:i], c.pings[i+1:]...)
			break
		}
	}
	c.pingMu.Unlock()
	return err
}

// gotPong wakes the Ping whose payload p carries; other pongs (unsolicited
// ones are allowed, §5.5.3) are ignored.
func (c *Conn) gotPong(p []byte) {
	if len(p) != 8 {
		return
	}
	id := binary.BigEndian.Uint64(p)
	c.pingMu.Lock()
	for i := range c.pings {
		if c.pings[i].id == id {
			close(c.pings[i].ch)
			c.pings = append(c.pings[:i], c.pings[i+1:]...)
			break
		}
	}
	c.pingMu.Unlock()
}
