package fasthttputil

import (
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// PipeConns is a pair of connected in-memory connections, Conn1 and Conn2:
// what one writes the other reads. Unlike net.Pipe, writes are buffered,
// so a Write never waits for the peer to Read, and both ends honour read
// and write deadlines. Create it with NewPipeConns.
type PipeConns struct {
	c1, c2 pipeConn
	// ab carries what Conn1 writes to Conn2, ba the other way.
	ab, ba stream
}

// NewPipeConns returns a new pair of connected in-memory connections.
func NewPipeConns() *PipeConns {
	pc := &PipeConns{}
	pc.ab.ready = make(chan struct{}, 1)
	pc.ba.ready = make(chan struct{}, 1)
	pc.c1.in, pc.c1.out = &pc.ba, &pc.ab
	pc.c2.in, pc.c2.out = &pc.ab, &pc.ba
	return pc
}

// SetAddresses sets the addresses Conn1 and Conn2 report from LocalAddr and
// RemoteAddr. Call it before the connections are in use.
func (pc *PipeConns) SetAddresses(localAddr1, remoteAddr1, localAddr2, remoteAddr2 net.Addr) {
	pc.c1.localAddr, pc.c1.remoteAddr = localAddr1, remoteAddr1
	pc.c2.localAddr, pc.c2.remoteAddr = localAddr2, remoteAddr2
}

// Conn1 returns the first end of the pair; it reads what Conn2 writes.
func (pc *PipeConns) Conn1() net.Conn { return &pc.c1 }

// Conn2 returns the second end of the pair; it reads what Conn1 writes.
func (pc *PipeConns) Conn2() net.Conn { return &pc.c2 }

// Close closes both connections. It always returns nil.
func (pc *PipeConns) Close() error {
	_ = pc.c1.Close()
	_ = pc.c2.Close()
	return nil
}

// stream is one direction of a pipe: bytes written by one end and not yet
// read by the other, guarded by mu. ready holds a token whenever something
// changed that a blocked reader must look at; a reader that leaves
// something for others (data, or an end-of-stream state) passes the token
// on, so concurrent readers all wake.
type stream struct {
	mu       sync.Mutex
	buf      []byte
	off      int  // buf[off:] is unread
	eof      bool // the writing end closed: drain, then io.EOF
	shutRead bool // the reading end closed: writes fail, reads fail
	ready    chan struct{}
}

// wake tells a blocked reader to look again; a pending token is enough.
func (s *stream) wake() {
	select {
	case s.ready <- struct{}{}:
	default:
	}
}

// compactAt is the size of read-but-kept bytes worth moving down for.
const compactAt = 4096

func (s *stream) write(p []byte) error {
	s.mu.Lock()
	if s.shutRead || s.eof {
		s.mu.Unlock()
		return ErrConnectionClosed
	}
	if s.off == len(s.buf) {
		s.buf, s.off = s.buf[:0], 0
	} else if s.off >= compactAt && s.off >= len(s.buf)/2 {
		n := copy(s.buf, s.buf[s.off:])
		s.buf, s.off = s.buf[:n], 0
	}
	s.buf = append(s.buf, p...)
	s.mu.Unlock()
	s.wake()
	return nil
}

// read copies what is buffered into p. ok is false when the caller should
// wait: nothing is buffered and both ends are open.
func (s *stream) read(p []byte) (n int, err error, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.shutRead:
		s.wake()
		return 0, ErrConnectionClosed, true
	case s.off < len(s.buf):
		n = copy(p, s.buf[s.off:])
		s.off += n
		if s.off == len(s.buf) {
			s.buf, s.off = s.buf[:0], 0
		} else {
			s.wake()
		}
		return n, nil, true
	case s.eof:
		s.wake()
		return 0, io.EOF, true
	}
	return 0, nil, false
}

// pipeConn is one end of a PipeConns.
type pipeConn struct {
	in, out *stream
	closed  atomic.Bool

	readDeadline, writeDeadline deadline

	localAddr, remoteAddr net.Addr
}

// Read reads what the peer wrote, waiting until something arrives, the peer
// closes its end (io.EOF once drained), this end is closed
// (ErrConnectionClosed) or the read deadline passes (ErrTimeout).
func (c *pipeConn) Read(p []byte) (int, error) {
	for {
		dl := c.readDeadline.wait()
		if isClosed(dl) {
			return 0, ErrTimeout
		}
		if len(p) == 0 {
			if c.closed.Load() {
				return 0, ErrConnectionClosed
			}
			return 0, nil
		}
		if n, err, ok := c.in.read(p); ok {
			return n, err
		}
		select {
		case <-c.in.ready:
		case <-dl:
		}
	}
}

// Write queues p for the peer and returns at once. It fails once either end
// is closed (ErrConnectionClosed) or the write deadline has passed
// (ErrTimeout).
func (c *pipeConn) Write(p []byte) (int, error) {
	if c.closed.Load() {
		return 0, ErrConnectionClosed
	}
	if c.writeDeadline.expired() {
		return 0, ErrTimeout
	}
	if len(p) == 0 {
		return 0, nil
	}
	if err := c.out.write(p); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Close closes this end: the peer reads what is left, then io.EOF, and its
// writes fail. Calls on this end fail with ErrConnectionClosed, blocked
// ones included. Closing again does nothing.
func (c *pipeConn) Close() error {
	if !c.closed.CompareAndSwap(false, true) {
		return nil
	}
	c.out.mu.Lock()
	c.out.eof = true
	c.out.mu.Unlock()
	c.out.wake()

	c.in.mu.Lock()
	c.in.shutRead = true
	c.in.buf, c.in.off = nil, 0
	c.in.mu.Unlock()
	c.in.wake()
	return nil
}

// LocalAddr returns the address set with PipeConns.SetAddresses, or a
// placeholder whose network and string are both "pipe".
func (c *pipeConn) LocalAddr() net.Addr {
	if c.localAddr != nil {
		return c.localAddr
	}
	return pipeAddr{}
}

// RemoteAddr returns the address set with PipeConns.SetAddresses, or a
// placeholder whose network and string are both "pipe".
func (c *pipeConn) RemoteAddr() net.Addr {
	if c.remoteAddr != nil {
		return c.remoteAddr
	}
	return pipeAddr{}
}

// SetDeadline sets both the read and the write deadline.
func (c *pipeConn) SetDeadline(t time.Time) error {
	c.writeDeadline.set(t)
	return c.SetReadDeadline(t)
}

// SetReadDeadline sets when blocked and future reads fail with ErrTimeout.
func (c *pipeConn) SetReadDeadline(t time.Time) error {
	c.readDeadline.set(t)
	// A reader blocked without a deadline waits on no deadline channel:
	// nudge it to look at the new one (a server's Shutdown wakes its idle
	// connections this way).
	c.in.wake()
	return nil
}

// SetWriteDeadline sets when future writes fail with ErrTimeout. Writes
// never block, so only a deadline already passed has an effect.
func (c *pipeConn) SetWriteDeadline(t time.Time) error {
	c.writeDeadline.set(t)
	return nil
}

type pipeAddr struct{}

func (pipeAddr) Network() string { return "pipe" }
func (pipeAddr) String() string  { return "pipe" }
