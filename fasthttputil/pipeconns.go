package fasthttputil

import (
	"io"
	"net"
	"sync"
	"time"
)

// PipeConns is a pair of connected in-memory connections, Conn1 and Conn2:
// what one writes the other reads. Unlike net.Pipe, writes are buffered,
// so a Write never waits for the peer to Read, and both ends honour read
// and write deadlines. Create it with NewPipeConns.
type PipeConns struct {
	c1, c2    pipeConn
	closeOnce sync.Once
}

// NewPipeConns returns a new pair of connected in-memory connections.
func NewPipeConns() *PipeConns {
	pc := &PipeConns{}
	// Each direction is one stream: c1 writes into ab, c2 reads from it.
	ab, ba := newStream(), newStream()
	pc.c1.init(ba, ab)
	pc.c2.init(ab, ba)
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
	pc.closeOnce.Do(func() {
		_ = pc.c1.Close()
		_ = pc.c2.Close()
	})
	return nil
}

// stream is one direction of a pipe: bytes written by one end and not yet
// read by the other, guarded by mu. ready holds a token whenever something
// changed that a blocked reader must look at.
type stream struct {
	mu       sync.Mutex
	buf      []byte
	off      int  // buf[off:] is unread
	eof      bool // the writing end closed: drain, then io.EOF
	shutRead bool // the reading end closed: writes fail
	ready    chan struct{}
	// writerGone is the closed channel of the writing end, so that every
	// blocked reader, not only the one taking the ready token, sees EOF.
	writerGone <-chan struct{}
}

func newStream() *stream {
	return &stream{ready: make(chan struct{}, 1)}
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

// read copies what is buffered into p. ok is false when nothing is buffered
// and the writer is still open, meaning the caller should wait.
func (s *stream) read(p []byte) (n int, err error, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.off < len(s.buf) {
		n = copy(p, s.buf[s.off:])
		s.off += n
		if s.off == len(s.buf) {
			s.buf, s.off = s.buf[:0], 0
		} else {
			// Pass the token on to a concurrent reader of the rest.
			s.wake()
		}
		return n, nil, true
	}
	if s.eof {
		return 0, io.EOF, true
	}
	return 0, nil, false
}

// pipeConn is one end of a PipeConns.
type pipeConn struct {
	in, out *stream
	// closed is closed by Close; blocked reads select on it.
	closed    chan struct{}
	closeOnce sync.Once

	readDeadline, writeDeadline deadline

	localAddr, remoteAddr net.Addr
}

func (c *pipeConn) init(in, out *stream) {
	c.in, c.out = in, out
	c.closed = make(chan struct{})
	out.writerGone = c.closed
	c.readDeadline.init()
	c.writeDeadline.init()
}

// Read reads what the peer wrote, waiting until something arrives, the peer
// closes its end (io.EOF once drained), this end is closed, or the read
// deadline passes.
func (c *pipeConn) Read(p []byte) (int, error) {
	for {
		if isClosed(c.closed) {
			return 0, ErrConnectionClosed
		}
		dl := c.readDeadline.wait()
		if isClosed(dl) {
			return 0, ErrTimeout
		}
		if len(p) == 0 {
			return 0, nil
		}
		if n, err, ok := c.in.read(p); ok {
			return n, err
		}
		select {
		case <-c.in.ready:
		case <-c.in.writerGone:
		case <-c.closed:
		case <-dl:
		}
	}
}

// Write queues p for the peer and returns at once. It fails once either end
// is closed or the write deadline has passed.
func (c *pipeConn) Write(p []byte) (int, error) {
	if isClosed(c.closed) {
		return 0, ErrConnectionClosed
	}
	if isClosed(c.writeDeadline.wait()) {
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
// writes fail. Blocked calls on this end return ErrConnectionClosed.
func (c *pipeConn) Close() error {
	c.closeOnce.Do(func() {
		// Mark the streams first: a reader woken by closed must find eof.
		c.out.mu.Lock()
		c.out.eof = true
		c.out.mu.Unlock()

		c.in.mu.Lock()
		c.in.shutRead = true
		c.in.buf, c.in.off = nil, 0
		c.in.mu.Unlock()

		close(c.closed)
		c.out.wake()
	})
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
	c.readDeadline.set(t)
	c.writeDeadline.set(t)
	return nil
}

// SetReadDeadline sets when blocked and future reads fail with ErrTimeout.
func (c *pipeConn) SetReadDeadline(t time.Time) error {
	c.readDeadline.set(t)
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
