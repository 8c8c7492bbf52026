package websocket

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"errors"
	mrand "math/rand/v2"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// Conn is one WebSocket connection, from Accept or Dial.
//
// One goroutine may read (Read, Reader, CloseRead) while others write
// (Write, Writer, Ping, Close); writes from several goroutines are
// serialised, message by message. Control frames are answered by the
// reading side: a Conn that is never read does not answer pings and does
// not see the peer's close frame, and Ping needs a concurrent reader to
// see its pong.
type Conn struct {
	nc          net.Conn
	client      bool
	subprotocol string

	readTimeout    time.Duration
	writeTimeout   time.Duration
	maxMessageSize int64 // < 0: no limit

	ctx    context.Context
	cancel context.CancelFunc

	// Closing state, under mu.
	mu        sync.Mutex
	err       error // why the connection ended; set once
	closeSent bool
	peerClose *CloseError
	broken    atomic.Bool   // err is set and the transport closed
	closed    chan struct{} // closed with the transport
	closeRecv chan struct{} // closed once the peer's close frame is read

	rd reader
	rw watcher // bounds reads by their context

	// Writing: writeSem is held for a whole message (a Writer holds it
	// until Close); frameMu for one frame, so that control frames can go
	// out between the fragments of a message.
	writeSem chan struct{}
	frameMu  sync.Mutex
	ctrlOut  [maxHeaderSize + maxControlPayload]byte
	mw       messageWriter
	ww       watcher // bounds writes by their context
	rng      *mrand.ChaCha8

	pingMu  sync.Mutex
	pingSeq uint64
	pings   []pingWaiter

	df *deflate // nil unless permessage-deflate was negotiated
}

// connConfig is what Accept and Dial settle before the connection starts.
type connConfig struct {
	client         bool
	subprotocol    string
	readTimeout    time.Duration
	writeTimeout   time.Duration
	maxMessageSize int
	readBufferSize int
	buffered       []byte // bytes read past the handshake
	deflate        *deflateParams
	threshold      int
}

// defaultReadBufferSize holds a whole 1 KiB message with its header, so
// small messages take one read; larger payloads are read straight into the
// message.
const defaultReadBufferSize = 2 << 10

func newConn(nc net.Conn, cfg connConfig) *Conn {
	c := &Conn{
		nc:           nc,
		client:       cfg.client,
		subprotocol:  cfg.subprotocol,
		readTimeout:  cfg.readTimeout,
		writeTimeout: cfg.writeTimeout,
		closed:       make(chan struct{}),
		closeRecv:    make(chan struct{}),
		writeSem:     make(chan struct{}, 1),
	}
	switch {
	case cfg.maxMessageSize == 0:
		c.maxMessageSize = DefaultMaxMessageSize
	case cfg.maxMessageSize < 0:
		c.maxMessageSize = -1
	default:
		c.maxMessageSize = int64(cfg.maxMessageSize)
	}
	c.ctx, c.cancel = context.WithCancel(context.Background())
	c.rw.c, c.ww.c = c, c
	c.mw.c = c
	c.mw.sink.w = &c.mw
	c.mw.closed = true
	size := cfg.readBufferSize
	if size <= 0 {
		size = defaultReadBufferSize
	}
	if size < 256 {
		size = 256
	}
	if len(cfg.buffered) > size {
		size = len(cfg.buffered)
	}
	c.rd.init(c, size, cfg.buffered)
	if cfg.client {
		var seed [32]byte
		_, _ = rand.Read(seed[:])
		c.rng = mrand.NewChaCha8(seed)
	}
	if cfg.deflate != nil {
		c.df = newDeflate(*cfg.deflate, cfg.client, cfg.threshold)
	}
	return c
}

// Context returns a context that is cancelled once the connection is
// closed, for either side's reason. Passing it to Read and Write costs
// nothing extra: it bounds nothing the connection does not already bound.
func (c *Conn) Context() context.Context { return c.ctx }

// Subprotocol returns the subprotocol the handshake settled on, or "".
func (c *Conn) Subprotocol() string { return c.subprotocol }

// NetConn returns the connection the WebSocket runs over: on the server,
// the hijacked connection fasthttp handed over, through which
// TLSConnectionState (and any ConnectionState method) reaches the TLS
// session even behind Server.MaxConnsPerIP; on the client, the dialed (TLS)
// connection. Reading or writing it directly corrupts the WebSocket
// stream; it is meant for inspection (addresses, TLS state).
//
// NetConn is not part of upstream fasthttp's API.
func (c *Conn) NetConn() net.Conn { return c.nc }

// TLSConnectionState returns the TLS state of the connection, or nil when
// it does not run over TLS. On the server it is the session the client
// opened (version, cipher suite, SNI, ALPN, client certificates), whatever
// wrappers the server put around the connection.
//
// TLSConnectionState is not part of upstream fasthttp's API.
func (c *Conn) TLSConnectionState() *tls.ConnectionState {
	ts, ok := c.nc.(interface{ ConnectionState() tls.ConnectionState })
	if !ok {
		return nil
	}
	st := ts.ConnectionState()
	return &st
}

// stickyErr returns why the connection ended, or nil while it is open.
func (c *Conn) stickyErr() error {
	c.mu.Lock()
	err := c.err
	c.mu.Unlock()
	return err
}

// closeTransport ends the connection with err (unless it already ended)
// and returns the error the connection ended with.
func (c *Conn) closeTransport(err error) error {
	c.mu.Lock()
	if c.err != nil {
		err = c.err
		c.mu.Unlock()
		return err
	}
	c.err = err
	c.broken.Store(true)
	c.mu.Unlock()
	_ = c.nc.Close()
	close(c.closed)
	c.cancel()
	return err
}

// ioError turns a transport error into the connection's error: the one it
// already ended with (CloseNow, a cancelled context), a timeout as it is,
// anything else as an abnormal closure.
func (c *Conn) ioError(err error) error {
	if c.broken.Load() {
		return c.stickyErr()
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return c.closeTransport(err)
	}
	return c.closeTransport(CloseError{Code: StatusAbnormalClosure, Reason: err.Error()})
}

// maskKey returns a fresh masking key from the connection's ChaCha8
// stream, seeded from crypto/rand (§5.3 asks for unpredictable keys).
func (c *Conn) maskKey() [4]byte {
	v := c.rng.Uint64()
	return [4]byte{byte(v), byte(v >> 8), byte(v >> 16), byte(v >> 24)}
}
