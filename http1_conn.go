package fasthttp

import (
	"bufio"
	"errors"
	"io"
	"net"
	"runtime"
	"sync"
	"time"

	"github.com/valyala/bytebufferpool"
)

// This file is the HTTP/1.x connection: wait for a request, read it, run
// the handler, write the response, and decide whether the connection lives
// on. Parsing lives in the wire codec files and what does not depend on
// the protocol in server_request.go; this file owns the HTTP/1 policy
// (timeouts, keep-alive, pipelining, Expect, hijacking, shutdown). Its
// writes are in http1_write.go.

var (
	errHijacked = errors.New("connection has been hijacked")

	// errAnswered ends a connection whose final response was already
	// written (a refused Expect, for instance).
	errAnswered = errors.New("request answered before its body was read")
)

// http1Conn is one HTTP/1.x connection being served. It owns the
// transport, the buffered reader and writer on it and the RequestCtx of
// the request in progress, and it is that RequestCtx's responder.
//
// With ReduceMemoryUsage, a connection waiting for its next request gives
// its RequestCtx and both buffers back to their pools and keeps only this
// struct (and its goroutine). It is never reachable from user code once
// the connection ends (a RequestCtx left to a timed-out handler is
// detached first), so it is pooled.
type http1Conn struct {
	s        *Server
	c        net.Conn
	id       uint64
	connTime time.Time
	deadline time.Time // the read deadline last set on c
	wdl      time.Time // the write deadline last set on c
	br       *bufio.Reader
	bw       *bufio.Writer
	ctx      *RequestCtx
	isTLS    bool
	// brShared: a handler that timed out may still read a streamed body
	// through br, so br must not go back to the pool.
	brShared bool
	entry    connEntry
	prefix   prefixReader
}

var http1ConnPool = sync.Pool{New: func() any { return &http1Conn{} }}

// prefixReader hands out one byte read ahead of a bufio.Reader, then reads
// from the connection. With ReduceMemoryUsage, the idle wait reads that
// byte into the http1Conn so that no buffer is held meanwhile.
type prefixReader struct {
	c   net.Conn
	b   [1]byte
	has bool
}

func (p *prefixReader) Read(buf []byte) (int, error) {
	if p.has {
		if len(buf) == 0 {
			return 0, nil
		}
		buf[0] = p.b[0]
		p.has = false
		return 1, nil
	}
	return p.c.Read(buf)
}

// serveConn serves the HTTP/1 requests of nc until it ends. It returns nil
// when the connection ended normally, errHijacked when a HijackHandler took
// it over, or the error that ended it.
func (s *Server) serveConn(nc net.Conn) error {
	c := http1ConnPool.Get().(*http1Conn)
	c.s = s
	c.c = nc
	c.id = ctxConnIDCounter.Add(1)
	c.connTime = time.Now()
	s.conns.add(&c.entry, nc, c.id, c.connTime)
	err := c.serve()
	c.release()
	return err
}

// newCtx acquires the RequestCtx of the next request.
func (c *http1Conn) newCtx() *RequestCtx {
	ctx := c.s.acquireCtx(c.c, c.id, c.connTime)
	ctx.rw = c
	return ctx
}

// release gives back what the connection held once its loop ended.
func (c *http1Conn) release() {
	s := c.s
	s.conns.remove(&c.entry)
	if c.ctx != nil {
		s.releaseCtx(c.ctx)
	}
	if c.br != nil && !c.brShared {
		s.releaseReader(c.br)
	}
	if c.bw != nil {
		s.releaseWriter(c.bw)
	}
	*c = http1Conn{}
	http1ConnPool.Put(c)
}

func (c *http1Conn) serve() error {
	s := c.s
	if !s.ReduceMemoryUsage {
		c.ctx = c.newCtx()
	}
	if ts := tlsStaterOf(c.c); ts != nil {
		c.isTLS = true
		if ok, err := c.handshake(); !ok {
			return err
		}
		if h := s.nextProtoHandler(ts); h != nil {
			return h(c.c)
		}
	}
	for reqNum := uint64(1); ; reqNum++ {
		if !c.waitRequest(reqNum == 1) {
			return nil
		}
		if end, err := c.serveRequest(reqNum); end {
			return err
		}
	}
}

// serveRequest reads and answers one request whose first byte is
// buffered. end reports that the connection must end (with err, if any,
// to report).
func (c *http1Conn) serveRequest(reqNum uint64) (end bool, err error) {
	s := c.s
	ctx := c.ctx
	hdr := &ctx.Request.Header
	// Header Reset clears per-message settings: apply the server's.
	hdr.disableNormalizing = s.DisableHeaderNamesNormalizing
	ctx.Response.Header.disableNormalizing = s.DisableHeaderNamesNormalizing
	if err = hdr.readLimited(c.br, s.maxHeaderBytes); err != nil {
		var nr ErrNothingRead
		if errors.As(err, &nr) {
			// Blank lines then EOF: nothing of a request arrived.
			return true, nil
		}
		c.writeError(err)
		return true, err
	}
	c.entry.state.Store(entryBusy)
	ctx.Request.isTLS = c.isTLS
	ctx.connRequestNum = reqNum
	if s.LazyRequestTime {
		ctx.time = time.Time{}
	} else {
		ctx.time = time.Now()
	}

	maxBody, writeTimeout := s.maxRequestBodySize(), s.WriteTimeout
	if s.HeaderReceived != nil {
		cfg := s.HeaderReceived(hdr)
		if cfg.ReadTimeout > 0 {
			_ = c.setReadDeadline(time.Now().Add(cfg.ReadTimeout))
		}
		if cfg.WriteTimeout > 0 {
			writeTimeout = cfg.WriteTimeout
		}
		if cfg.MaxRequestBodySize > 0 {
			maxBody = cfg.MaxRequestBodySize
		}
	}
	rs, err := c.readBody(maxBody)
	if err != nil {
		if err != errAnswered {
			c.writeError(err)
		}
		return true, err
	}

	// Captured before the handler: after a timeout its goroutine may
	// still use the request.
	reqClose, http10, isHead := hdr.ConnectionClose(), hdr.noHTTP11, hdr.IsHead()
	keepOK := !reqClose && !s.DisableKeepalive &&
		(s.MaxRequestsPerConn <= 0 || reqNum < uint64(s.MaxRequestsPerConn))

	s.callHandler(ctx)

	if resp := ctx.timeoutResponse; resp != nil {
		// The handler that gave up was woken by the same deadline as the
		// abandoned work it wraps; yielding once lets that work see its
		// cancellation before the client sees the timeout answer. Twice:
		// a yield goes to the global queue, which the scheduler serves
		// first once in 61 rounds.
		runtime.Gosched()
		runtime.Gosched()
		return c.answerTimedOut(resp, keepOK && rs == nil, http10, isHead, writeTimeout)
	}

	closeConn := !keepOK || ctx.Response.Header.ConnectionClose() || s.stopping.Load()
	if rs != nil {
		// What the handler left of a streamed body must go before the
		// next request can be read.
		if !rs.drain(64 << 10) {
			closeConn = true
		}
		ctx.Request.takeConnStream()
		releaseRequestStream(rs)
	}
	if closeConn {
		ctx.Response.Header.connectionClose = true
	} else if http10 {
		ctx.Response.Header.keepAlive = true
	}

	hijack := ctx.hijackHandler
	if hijack == nil || !ctx.hijackNoResponse {
		c.boundWrite(writeTimeout)
		if err = c.writeFinal(&ctx.Response, isHead); err != nil {
			return true, err
		}
		// Pipelined requests already buffered are answered in one
		// batch: flush only once nothing more is waiting.
		if closeConn || hijack != nil || c.br.Buffered() == 0 {
			if err = c.bw.Flush(); err != nil {
				return true, err
			}
		}
	}
	if hijack != nil {
		c.hijack(hijack)
		return true, errHijacked
	}
	if closeConn {
		return true, nil
	}
	ctx.resetForNextRequest()
	return false, nil
}

// answerTimedOut answers a request whose handler timed out with resp. The
// handler's goroutines may still use the RequestCtx: it is detached and
// left to them, and the connection goes on (when keep allows) with a fresh
// one. A body still being streamed to the handler cannot be skipped, so
// that case ends the connection, and its reader is left to the handler.
func (c *http1Conn) answerTimedOut(resp *Response, keep, http10, isHead bool, writeTimeout time.Duration) (bool, error) {
	s := c.s
	old := c.ctx
	old.detachWire()
	c.ctx = nil
	if old.Request.connStream != nil {
		c.brShared = true
	}
	keep = keep && !s.stopping.Load()
	if !keep {
		resp.Header.connectionClose = true
	} else if http10 {
		resp.Header.keepAlive = true
	}
	c.boundWrite(writeTimeout)
	if err := c.writeFinal(resp, isHead); err != nil {
		return true, err
	}
	if err := c.bw.Flush(); err != nil || !keep {
		return true, err
	}
	c.ctx = c.newCtx()
	return false, nil
}

// keptBodyBufferMax is the largest body buffer a connection keeps from one
// request to the next; larger ones go back to the pool.
const keptBodyBufferMax = 16 << 10

// resetForNextRequest clears ctx for the next request on its connection,
// keeping small body buffers: most responses are small, and handing the
// same buffer back to the pool and taking it again on every request costs
// more than holding it.
func (ctx *RequestCtx) resetForNextRequest() {
	reqBody := detachSmallBody(&ctx.Request.messageBody)
	respBody := detachSmallBody(&ctx.Response.messageBody)
	ctx.Request.Reset()
	ctx.Response.Reset()
	if reqBody != nil && ctx.Request.body == nil {
		ctx.Request.body = reqBody
	}
	if respBody != nil && ctx.Response.body == nil {
		ctx.Response.body = respBody
	}
	if len(ctx.userValues) > 0 {
		ctx.userValues.Reset()
	}
	ctx.doneCh = nil
}

// detachSmallBody takes a small body buffer out of b, emptied, so that a
// reset leaves it alone.
func detachSmallBody(b *messageBody) *bytebufferpool.ByteBuffer {
	bb := b.body
	if bb == nil || cap(bb.B) > keptBodyBufferMax {
		return nil
	}
	b.body = nil
	bb.B = bb.B[:0]
	return bb
}

// handshake runs the TLS handshake of a new connection under the deadline
// of the first request, so that handshake errors are reported as such and
// Shutdown can interrupt a client that never completes it. It returns
// false when the connection must end (with the error, if any, to report).
func (c *http1Conn) handshake() (bool, error) {
	h, ok := c.c.(interface{ Handshake() error })
	if !ok {
		return true, nil
	}
	// Like the wait for the first request: Shutdown cuts it short.
	c.setWaitDeadline(true)
	err := h.Handshake()
	if err != nil && c.s.stopping.Load() {
		return false, nil
	}
	return err == nil, err
}

// setWaitDeadline sets the read deadline for the wait for a request: the
// whole first request must arrive within ReadTimeout of the connection
// opening; later ones get IdleTimeout to start.
func (c *http1Conn) setWaitDeadline(first bool) {
	s := c.s
	var want time.Time
	if first && s.ReadTimeout > 0 {
		want = c.connTime.Add(s.ReadTimeout)
	} else if d := s.idleTimeout(); d > 0 {
		want = coarseDeadline(d)
	} else if c.deadline.IsZero() {
		return
	}
	c.setLoopReadDeadline(want)
}

// coarseDeadline returns a deadline at least d from now, rounded up to a
// sixteenth of d (1ms to 1s): the requests a connection serves within one
// such step compute the same deadline, so that setting it again is skipped
// (a deadline set anew costs a timer update in the runtime on every
// request). Timeouts run out up to that step late.
func coarseDeadline(d time.Duration) time.Time {
	step := min(max(int64(d/16), int64(time.Millisecond)), int64(time.Second))
	n := time.Now().UnixNano() + int64(d)
	return time.Unix(0, (n/step+1)*step)
}

// setLoopReadDeadline sets the read deadline of c.c unless it already is
// t. Once Shutdown has begun, a connection waiting for or reading a
// request header gets no later deadline than Shutdown allows it.
func (c *http1Conn) setLoopReadDeadline(t time.Time) {
	// Without timeouts both are zero on every request: this check is all
	// that runs, inlined (Shutdown sets the cap of such a connection
	// itself).
	if t.IsZero() && c.deadline.IsZero() {
		return
	}
	c.changeReadDeadline(t)
}

// changeReadDeadline is setLoopReadDeadline's slow path.
func (c *http1Conn) changeReadDeadline(t time.Time) {
	t = c.s.capDeadline(&c.entry, t)
	if !t.Equal(c.deadline) {
		c.deadline = t
		c.entry.readDL.Store(deadlineNanos(t))
		_ = c.c.SetReadDeadline(t)
	}
}

// deadlineNanos is t as connEntry.readDL holds it.
func deadlineNanos(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

// waitRequest waits until the first byte of the next request is readable
// from c.br, acquiring the RequestCtx when there is none, and sets the
// read deadline for reading the request. It returns false when the
// connection should close quietly: the client left or stayed idle too
// long, or the server is shutting down.
func (c *http1Conn) waitRequest(first bool) bool {
	s := c.s
	readTimeout := s.ReadTimeout
	if !first && c.br != nil && c.br.Buffered() > 0 {
		// Pipelined: the request is already here.
		c.entry.state.Store(entryHeader)
		if readTimeout > 0 {
			c.setLoopReadDeadline(coarseDeadline(readTimeout))
		} else if !c.deadline.IsZero() {
			c.setLoopReadDeadline(time.Time{})
		}
		return true
	}

	c.setWaitDeadline(first)
	var err error
	if first {
		// Shutdown does not end this wait at once: the request may be
		// on its way (entryFirstWait).
		err = c.readFirstByte()
		c.entry.state.Store(entryFirstHeader)
	} else {
		s.setState(c.c, StateIdle)
		if !s.goIdle(&c.entry) {
			return false
		}
		err = c.readFirstByte()
		if !c.entry.headerArriving() {
			return false // woken by Shutdown
		}
	}
	if err != nil {
		if first && readTimeout > 0 && isTimeoutErr(err) && !s.stopping.Load() {
			// The first request did not even start within ReadTimeout:
			// fasthttp answers 408 (through ErrorHandler) rather than
			// vanish, and clients such as Fiber's tests rely on it.
			if c.ctx == nil {
				c.ctx = c.newCtx()
			}
			s.setState(c.c, StateActive)
			c.writeError(err)
		}
		return false
	}
	if readTimeout > 0 {
		if !first {
			c.setLoopReadDeadline(coarseDeadline(readTimeout))
		}
	} else if !c.deadline.IsZero() {
		c.setLoopReadDeadline(time.Time{})
	}
	s.setState(c.c, StateActive)
	return true
}

// readFirstByte blocks until a byte of the next request is buffered in
// c.br. With ReduceMemoryUsage the RequestCtx and both buffers go back to
// their pools first and the byte is read into c, so an idle connection
// holds nothing but c and its goroutine.
func (c *http1Conn) readFirstByte() error {
	s := c.s
	if !s.ReduceMemoryUsage {
		if c.br == nil {
			c.br = s.acquireReader(c.c)
		}
		_, err := c.br.Peek(1)
		return err
	}
	// Nothing is pending: the loop flushes before an idle wait.
	if c.ctx != nil {
		s.releaseCtx(c.ctx)
		c.ctx = nil
	}
	if c.br != nil {
		s.releaseReader(c.br)
		c.br = nil
	}
	if c.bw != nil {
		s.releaseWriter(c.bw)
		c.bw = nil
	}
	p := &c.prefix
	for tries := 0; ; tries++ {
		n, err := c.c.Read(p.b[:])
		if n == 1 {
			break
		}
		if err != nil {
			return err
		}
		if tries > 100 {
			return io.ErrNoProgress
		}
	}
	p.c = c.c
	p.has = true
	c.ctx = c.newCtx()
	c.br = s.acquireReader(p)
	return nil
}

// readBody applies the body rules once the header is in (see
// Server.checkBodyAllowed and Server.expectOutcome), then reads the body or, with
// StreamRequestBody, returns the stream it handed to the handler. An error
// other than errAnswered must be answered by the caller; either way the
// connection ends.
func (c *http1Conn) readBody(maxBody int) (*requestStream, error) {
	s := c.s
	ctx := c.ctx
	hdr := &ctx.Request.Header
	ctx.Request.bodyDecodeLimit = maxBody
	if err := s.checkBodyAllowed(hdr, maxBody); err != nil {
		return nil, err
	}
	if expect := peekKVFold(hdr.h, HeaderExpect); expect != nil {
		switch outcome := s.expectOutcome(ctx, expect); outcome {
		case 0:
		case StatusContinue:
			if err := c.writeInterim(StatusContinue, "", nil); err != nil {
				return nil, err
			}
		default:
			return nil, c.refuse(outcome)
		}
	}
	cl := hdr.contentLength
	if cl == 0 {
		return nil, nil
	}
	if s.StreamRequestBody {
		// Even a body already buffered is handed over as a stream, so
		// that handlers can always use RequestBodyStream.
		rs := acquireRequestStream(c.br, cl, maxBody)
		ctx.Request.setConnStream(rs)
		return rs, nil
	}
	return nil, ctx.Request.ReadBody(c.br, cl, maxBody)
}

// hijack hands the connection to h on its own goroutine, with the bytes
// already buffered; the server stops tracking it.
func (c *http1Conn) hijack(h HijackHandler) {
	hc := newHijackConn(c.c, c.br)
	c.s.setState(c.c, StateHijacked)
	go c.s.runHijackHandler(hc, h)
}
