package fasthttp

import (
	"errors"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/net/http2"
)

// h2Stream is one request/response exchange on an HTTP/2 connection. The
// read loop creates it on the request's HEADERS frame and fills its
// request; a stream goroutine runs the dispatcher, which answers through
// respond. The stream leaves the connection once both directions are
// closed (or it was reset) and its handler has returned.
//
// Fields are owned as their groups say: the read loop's are touched by no
// one else, the stream goroutine's likewise, and the shared ones only
// under the connection's mu.
type h2Stream struct {
	sc   *h2Conn
	id   uint32
	seq  uint64 // request number on the connection, from 1
	req  *Request
	user any // the dispatcher's own state for the stream

	// reqErr, when set before dispatch, is what the dispatcher must answer
	// instead of running the handler (413, 417, 431, 408...).
	reqErr error
	head   bool // HEAD: the response goes without a body

	// Read loop only.
	declared      int64 // Content-Length, or -1
	received      int64 // body bytes received
	discard       bool  // body bytes are dropped (answered early, or the reader closed)
	collecting    bool  // a buffered body is being collected before dispatch
	pendingCredit int32 // consumed, not yet credited back
	withheld      int32 // credit held back while the connection buffers a lot
	bodyDeadline  time.Time
	pipe          *h2BodyPipe // streamed request body, when Server.StreamRequestBody

	recvWindow atomic.Int32 // what the client may still send on the stream

	// Guarded by sc.mu.
	sendWindow   int64
	remoteClosed bool // END_STREAM received (or the stream was reset)
	localClosed  bool // END_STREAM sent (or the stream was reset)
	wireClosed   bool // both: no longer counted as open
	dispatched   bool
	handlerDone  bool
	waitWindow   bool

	rst atomic.Bool // reset by either side: no frame may follow

	// Stream goroutine only.
	responded bool
	unacked   int32 // streamed body bytes read but not yet credited
	dw        h2DataWriter

	wake  chan struct{} // wakes a send-window or body wait
	timer *time.Timer
}

// Errors a handler's writes can see once its stream cannot carry them.
var (
	errH2StreamReset  = errors.New("fasthttp: HTTP/2 stream reset")
	errH2ConnClosed   = errors.New("fasthttp: HTTP/2 connection closed")
	errH2SendStalled  = errors.New("fasthttp: HTTP/2 client did not open its flow-control window in time")
	errH2BodyTimeout  = &h2TimeoutError{}
	errH2Responded    = errors.New("fasthttp: HTTP/2 response already sent")
	errH2BodyTooShort = errors.New("fasthttp: response body stream shorter than its Content-Length")
)

// h2TimeoutError is a request body that did not arrive within ReadTimeout;
// statusForError maps it to 408.
type h2TimeoutError struct{}

func (*h2TimeoutError) Error() string { return "fasthttp: HTTP/2 request body read timeout" }
func (*h2TimeoutError) Timeout() bool { return true }

var h2StreamPool sync.Pool

func acquireH2Stream(sc *h2Conn, id uint32) *h2Stream {
	var st *h2Stream
	if v := h2StreamPool.Get(); v != nil {
		st = v.(*h2Stream)
	} else {
		st = &h2Stream{wake: make(chan struct{}, 1)}
	}
	st.sc = sc
	st.id = id
	st.declared = -1
	st.recvWindow.Store(int32(sc.o.streamWindow))
	st.sendWindow = int64(sc.peerInitWindow)
	return st
}

func releaseH2Stream(st *h2Stream) {
	if st.timer != nil {
		st.timer.Stop()
	}
	if st.pipe != nil {
		releaseH2BodyPipe(st.pipe)
	}
	select {
	case <-st.wake:
	default:
	}
	*st = h2Stream{wake: st.wake, timer: st.timer}
	h2StreamPool.Put(st)
}

// signal wakes the stream goroutine if it waits for window or body bytes.
func (st *h2Stream) signal() {
	select {
	case st.wake <- struct{}{}:
	default:
	}
}

// closed reports whether the client and this side ended the stream.
func (st *h2Stream) closed() (remote, local bool) {
	st.sc.mu.Lock()
	defer st.sc.mu.Unlock()
	return st.remoteClosed, st.localClosed
}

// The boundary with the handler surface: what a dispatcher may use.

// request returns the request; its body is buffered, or a stream when
// Server.StreamRequestBody is set.
func (st *h2Stream) request() *Request { return st.req }

// requestErr is the error the dispatcher must answer instead of running
// the handler, or nil.
func (st *h2Stream) requestErr() error { return st.reqErr }

// conn is the connection the stream came on.
func (st *h2Stream) conn() net.Conn { return st.sc.c }

// connID is the id of the connection.
func (st *h2Stream) connID() uint64 { return st.sc.id }

// connTime is when the connection was accepted.
func (st *h2Stream) connTime() time.Time { return st.sc.connTime }

// h2BodyPipe carries a streamed request body from the read loop to the
// handler. It holds at most the stream's receive window: the client
// cannot send more before the handler has read and the stream credited
// it back, so a slow handler slows its client and nobody else.
type h2BodyPipe struct {
	st      *h2Stream
	mu      sync.Mutex
	buf     []byte
	off     int
	eof     bool  // END_STREAM arrived
	err     error // the stream broke
	closed  bool  // the handler closed the stream
	waiting bool
	merged  bool
	trailer []argsKV // trailer fields, merged into the header at EOF
}

var h2BodyPipePool sync.Pool

func acquireH2BodyPipe(st *h2Stream) *h2BodyPipe {
	p, _ := h2BodyPipePool.Get().(*h2BodyPipe)
	if p == nil {
		p = &h2BodyPipe{}
	}
	p.st = st
	return p
}

// releaseH2BodyPipe recycles p; nobody uses it any more.
func releaseH2BodyPipe(p *h2BodyPipe) {
	buf, tr := p.buf[:0], p.trailer[:0]
	*p = h2BodyPipe{buf: buf, trailer: tr}
	if cap(buf) <= 64<<10 {
		h2BodyPipePool.Put(p)
	}
}

// write appends body bytes (read loop). It reports false when the handler
// closed the stream and the bytes were dropped.
func (p *h2BodyPipe) write(b []byte) bool {
	p.mu.Lock()
	if p.closed || p.err != nil {
		p.mu.Unlock()
		return false
	}
	if p.off == len(p.buf) {
		p.buf, p.off = p.buf[:0], 0
	}
	p.buf = append(p.buf, b...)
	w := p.waiting
	p.mu.Unlock()
	if w {
		p.st.signal()
	}
	return true
}

// finish ends the body with err, or cleanly when err is nil (read loop or
// teardown).
func (p *h2BodyPipe) finish(err error) {
	p.mu.Lock()
	if err == nil {
		p.eof = true
	} else if p.err == nil && !p.eof {
		p.err = err
	}
	w := p.waiting
	p.mu.Unlock()
	if w {
		p.st.signal()
	}
}

// Read reads the body (stream goroutine). Bytes read are credited back to
// the client; at the end, trailer fields join the request header.
func (p *h2BodyPipe) Read(b []byte) (int, error) {
	if len(b) == 0 {
		return 0, nil
	}
	p.mu.Lock()
	for p.off == len(p.buf) && !p.eof && p.err == nil && !p.closed {
		p.waiting = true
		p.mu.Unlock()
		<-p.st.wake
		p.mu.Lock()
		p.waiting = false
	}
	if p.closed {
		p.mu.Unlock()
		return 0, errBodyStreamClosed
	}
	if p.off < len(p.buf) {
		n := copy(b, p.buf[p.off:])
		p.off += n
		p.mu.Unlock()
		p.st.creditRead(n)
		return n, nil
	}
	err := p.err
	if err == nil {
		p.mergeTrailer()
		err = io.EOF
	}
	p.mu.Unlock()
	return 0, err
}

// mergeTrailer moves the trailer fields into the request header, in the
// handler's goroutine, the only one that may touch the header now.
func (p *h2BodyPipe) mergeTrailer() {
	if p.merged {
		return
	}
	p.merged = true
	h := &p.st.req.Header
	for i := range p.trailer {
		kv := &p.trailer[i]
		h.h = appendKV(h.h, kv.key, kv.value, false)
		if !inTrailer(h.trailer, kv.key) {
			h.trailer = appendKV(h.trailer, kv.key, nil, true)
		}
	}
}

// Close stops reading: later body bytes are dropped and the client is
// told to stop once the response is sent.
func (p *h2BodyPipe) Close() error {
	p.mu.Lock()
	p.closed = true
	p.mu.Unlock()
	return nil
}

// resetStream ends st at once with a RST_STREAM of code: the handler's
// writes fail from now on and the body reader sees errH2StreamReset (read
// loop or stream goroutine).
func (sc *h2Conn) resetStream(st *h2Stream, code http2.ErrCode) {
	if st.rst.Swap(true) {
		return
	}
	_ = sc.w.writeRST(st.id, code)
	sc.noteReset(st.id)
	sc.abortStream(st, errH2StreamReset)
}

// abortStream marks st closed both ways and wakes whoever waits on it.
func (sc *h2Conn) abortStream(st *h2Stream, err error) {
	st.rst.Store(true)
	if st.pipe != nil {
		st.pipe.finish(err)
	}
	sc.mu.Lock()
	st.remoteClosed = true
	st.localClosed = true
	sc.finishLocked(st)
	sc.mu.Unlock()
	st.signal()
}

// endLocal records that the response ended. A client still sending a body
// nobody will read is told to stop with RST_STREAM(NO_ERROR) (RFC 9113
// §8.1) (stream goroutine).
func (sc *h2Conn) endLocal(st *h2Stream) {
	sc.mu.Lock()
	st.localClosed = true
	open := !st.remoteClosed
	if !open {
		sc.finishLocked(st)
	}
	sc.mu.Unlock()
	if open {
		sc.resetStream(st, http2.ErrCodeNo)
	}
}

// closedLocked counts st out of the open streams once both directions
// are closed: MAX_CONCURRENT_STREAMS and the per-IP budget count streams
// as the client sees them, open or half-closed (RFC 9113 §5.1.2), while
// handlers still running are bounded apart (dispatch). sc.mu is held.
func (sc *h2Conn) closedLocked(st *h2Stream) {
	if st.wireClosed || !st.remoteClosed || !st.localClosed {
		return
	}
	st.wireClosed = true
	sc.open--
	if sc.o.budget != nil && sc.hasIP {
		sc.o.budget.release(sc.ip)
	}
}

// finishLocked removes st from the connection once nothing uses it any
// more: both directions closed and no handler running. sc.mu is held.
func (sc *h2Conn) finishLocked(st *h2Stream) {
	sc.closedLocked(st)
	if !st.wireClosed || (st.dispatched && !st.handlerDone) {
		return
	}
	for i, s := range sc.streams {
		if s == st {
			last := len(sc.streams) - 1
			sc.streams[i] = sc.streams[last]
			sc.streams[last] = nil
			sc.streams = sc.streams[:last]
			if last == 0 {
				sc.idleSince = time.Now()
			}
			// Released by the read loop between frames, when no
			// reference to it can be live.
			sc.finished = append(sc.finished, st)
			return
		}
	}
}
