package fasthttp

import (
	"bufio"
	"bytes"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/net/http2"
	"golang.org/x/net/http2/hpack"
)

// h2Writer serialises everything an HTTP/2 connection writes: frames from
// the read loop (SETTINGS and PING acknowledgements, WINDOW_UPDATE,
// RST_STREAM, GOAWAY) and from the stream goroutines (HEADERS, DATA).
// Whoever holds the lock writes straight into a buffered writer, so a
// response needs no hand-off to another goroutine. The socket is flushed
// by the last writer of a burst: one that finds others queued behind it
// leaves the flush to them, so concurrent responses share a syscall.
//
// The HPACK encoder lives here too: its dynamic table must see header
// blocks in the order they go out on the wire.
type h2Writer struct {
	mu      sync.Mutex
	waiting atomic.Int32 // writers that want the lock (holder included)

	c  net.Conn
	bw *bufio.Writer
	fr *http2.Framer

	enc  *hpack.Encoder
	hbuf bytes.Buffer
	vals h2ValueCache
	name []byte // scratch for lower-cased field names

	err     error // the first write error: every later write fails with it
	timeout time.Duration
	armedAt time.Time

	peerMaxFrame uint32 // the client's SETTINGS_MAX_FRAME_SIZE
}

var h2WriterBufPool sync.Pool

func (w *h2Writer) init(c net.Conn, timeout time.Duration) {
	w.c = c
	w.timeout = timeout
	if v := h2WriterBufPool.Get(); v != nil {
		w.bw = v.(*bufio.Writer)
		w.bw.Reset(c)
	} else {
		w.bw = bufio.NewWriterSize(c, 32<<10)
	}
	w.fr = http2.NewFramer(w.bw, nil)
	w.enc = hpack.NewEncoder(&w.hbuf)
	w.peerMaxFrame = h2MinFrameSize
}

// release gives the buffered writer back; the connection is done.
func (w *h2Writer) release() {
	w.mu.Lock()
	if w.bw != nil {
		w.bw.Reset(nil)
		h2WriterBufPool.Put(w.bw)
		w.bw = nil
	}
	if w.err == nil {
		w.err = net.ErrClosed
	}
	w.mu.Unlock()
}

// lock takes the writer. It returns the sticky write error, if any: the
// caller still holds the lock and must call unlock.
func (w *h2Writer) lock() error {
	w.waiting.Add(1)
	w.mu.Lock()
	if w.err == nil && w.timeout > 0 {
		// Each write gets timeout to make progress; the deadline moves
		// only when a good part of it has gone, to keep timer updates off
		// the common path.
		now := time.Now()
		if now.Sub(w.armedAt) > w.timeout/4 {
			w.armedAt = now
			_ = w.c.SetWriteDeadline(now.Add(w.timeout))
		}
	}
	return w.err
}

// unlock releases the writer, flushing unless another writer is queued
// behind and will flush for both. It returns the write error, if any.
func (w *h2Writer) unlock() error {
	if w.waiting.Add(-1) == 0 && w.err == nil && w.bw.Buffered() > 0 {
		w.fail(w.bw.Flush())
	}
	err := w.err
	w.mu.Unlock()
	return err
}

// fail records a write error. The connection is closed at once, so the
// read loop ends too: nothing can be trusted on a half-written stream.
func (w *h2Writer) fail(err error) {
	if err != nil && w.err == nil {
		w.err = err
		_ = w.c.Close()
	}
}

func (w *h2Writer) writePing(ack bool, data [8]byte) error {
	if err := w.lock(); err == nil {
		w.fail(w.fr.WritePing(ack, data))
	}
	return w.unlock()
}

func (w *h2Writer) writeRST(id uint32, code http2.ErrCode) error {
	if err := w.lock(); err == nil {
		w.fail(w.fr.WriteRSTStream(id, code))
	}
	return w.unlock()
}

func (w *h2Writer) writeWindowUpdate(id, n uint32) error {
	if err := w.lock(); err == nil {
		w.fail(w.fr.WriteWindowUpdate(id, n))
	}
	return w.unlock()
}

func (w *h2Writer) writeGoAway(last uint32, code http2.ErrCode, debug []byte) error {
	if err := w.lock(); err == nil {
		w.fail(w.fr.WriteGoAway(last, code, debug))
	}
	return w.unlock()
}

// writeHeaderBlock sends the block encoded in w.hbuf as a HEADERS frame
// and as many CONTINUATION frames as the client's frame size calls for.
// The caller holds the writer.
func (w *h2Writer) writeHeaderBlock(id uint32, endStream bool) {
	block := w.hbuf.Bytes()
	max := int(w.peerMaxFrame)
	first := block
	if len(first) > max {
		first = first[:max]
	}
	block = block[len(first):]
	w.fail(w.fr.WriteHeaders(http2.HeadersFrameParam{
		StreamID:      id,
		BlockFragment: first,
		EndStream:     endStream,
		EndHeaders:    len(block) == 0,
	}))
	for len(block) > 0 && w.err == nil {
		frag := block
		if len(frag) > max {
			frag = frag[:max]
		}
		block = block[len(frag):]
		w.fail(w.fr.WriteContinuation(id, len(block) == 0, frag))
	}
}

// writeData sends one DATA frame; the caller took the flow-control window
// and holds the writer.
func (w *h2Writer) writeData(id uint32, endStream bool, p []byte) {
	w.fail(w.fr.WriteData(id, endStream, p))
}
