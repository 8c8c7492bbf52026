package fasthttp

import (
	"errors"
	"io"
	"net"
	"runtime/debug"
	"sync"
	"time"

	"github.com/valyala/bytebufferpool"
)

// This file is the connection loop: wait for a request, read it, run the
// handler, write the response, and decide whether the connection lives on.
// Parsing lives in the wire codec files; this file owns the policy
// (timeouts, limits, keep-alive, pipelining, Expect, hijacking, shutdown).

var (
	errHijacked = errors.New("connection has been hijacked")

	// errAnswered ends a connection whose final response was already
	// written (a refused Expect, for instance).
	errAnswered = errors.New("request answered before its body was read")
)

// prefixReader hands out one byte read ahead of a bufio.Reader, then reads
// from the connection. With ReduceMemoryUsage, the idle wait reads that
// byte into the serverConn so that no buffer is held meanwhile.
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

// serverConn is what the loop keeps for a connection between requests.
// It is small on purpose: with ReduceMemoryUsage, it is all an idle
// connection holds besides its goroutine (the RequestCtx and the buffers
// go back to their pools). It is never reachable from user code, so it
// is pooled.
type serverConn struct {
	c        net.Conn
	id       uint64
	connTime time.Time
	deadline time.Time // the read deadline last set on c
	entry    connEntry
	prefix   prefixReader
}

var serverConnPool = sync.Pool{New: func() any { return &serverConn{} }}

// serveConn runs the request loop of one connection. It returns nil when
// the connection ended normally, errHijacked when a HijackHandler took it
// over, or the error that ended it.
func (s *Server) serveConn(c net.Conn) (err error) {
	sc := serverConnPool.Get().(*serverConn)
	sc.c = c
	sc.id = ctxConnIDCounter.Add(1)
	sc.connTime = time.Now()
	s.conns.add(&sc.entry, c, sc.id)
	var ctx *RequestCtx
	if !s.ReduceMemoryUsage {
		ctx = s.acquireCtx(sc)
	}
	defer func() { s.endConn(sc, ctx) }()

	ts := tlsStaterOf(c)
	if ts != nil {
		var ok bool
		if ok, err = s.handshake(sc); !ok {
			return err
		}
		if h := s.nextProtoHandler(ts); h != nil {
			return h(c)
		}
	}

	for reqNum := uint64(1); ; reqNum++ {
		if !s.waitRequest(sc, &ctx, reqNum == 1) {
			return nil
		}

		hdr := &ctx.Request.Header
		// Header Reset clears per-message settings: apply the server's.
		hdr.disableNormalizing = s.DisableHeaderNamesNormalizing
		ctx.Response.Header.disableNormalizing = s.DisableHeaderNamesNormalizing
		if herr := hdr.readLimited(ctx.br, s.maxHeaderBytes); herr != nil {
			var nr ErrNothingRead
			if errors.As(herr, &nr) {
				// Blank lines then EOF: nothing of a request arrived.
				return nil
			}
			s.writeErrorResponse(ctx, herr)
			return herr
		}
		ctx.Request.isTLS = ts != nil
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
				sc.deadline = time.Now().Add(cfg.ReadTimeout)
				_ = c.SetReadDeadline(sc.deadline)
			}
			if cfg.WriteTimeout > 0 {
				writeTimeout = cfg.WriteTimeout
			}
			if cfg.MaxRequestBodySize > 0 {
				maxBody = cfg.MaxRequestBodySize
			}
		}
		rs, berr := s.readRequestBody(ctx, maxBody)
		if berr != nil {
			if berr != errAnswered {
				s.writeErrorResponse(ctx, berr)
			}
			return berr
		}

		// Captured before the handler: after a timeout its goroutine may
		// still use the request.
		reqClose, http10, isHead := hdr.ConnectionClose(), hdr.noHTTP11, hdr.IsHead()
		keepOK := !reqClose && !s.DisableKeepalive &&
			(s.MaxRequestsPerConn <= 0 || reqNum < uint64(s.MaxRequestsPerConn))

		s.callHandler(ctx)

		if resp := ctx.timeoutResponse; resp != nil {
			// The handler's goroutines may still use ctx: answer from the
			// timeout response and go on with a fresh ctx, never this one.
			// A body still being streamed to the handler cannot be skipped,
			// so that case ends the connection.
			keep := keepOK && rs == nil && !s.stopping.Load()
			if !keep {
				resp.Header.connectionClose = true
			} else if http10 {
				resp.Header.keepAlive = true
			}
			s.setWriteDeadline(c, writeTimeout)
			if werr := s.writeResponse(ctx, resp, isHead); werr != nil {
				return werr
			}
			if werr := ctx.bw.Flush(); werr != nil || !keep {
				return werr
			}
			// The reader moves on with the connection; the writer stays
			// with old (a late EarlyHints must never reach another
			// connection through a pooled writer).
			old := ctx
			ctx = s.acquireCtx(sc)
			ctx.br = old.br
			continue
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
			s.setWriteDeadline(c, writeTimeout)
			if werr := s.writeResponse(ctx, &ctx.Response, ctx.Request.Header.IsHead()); werr != nil {
				return werr
			}
			// Pipelined requests already buffered are answered in one
			// batch: flush only once nothing more is waiting.
			if closeConn || hijack != nil || ctx.br.Buffered() == 0 {
				if werr := ctx.bw.Flush(); werr != nil {
					return werr
				}
			}
		}
		if hijack != nil {
			hc := newHijackConn(c, ctx.br)
			s.setState(c, StateHijacked)
			go s.runHijackHandler(hc, hijack)
			return errHijacked
		}
		if closeConn {
			return nil
		}

		ctx.resetForNextRequest()
	}
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

// endConn releases what the connection loop held once it ends.
func (s *Server) endConn(sc *serverConn, ctx *RequestCtx) {
	s.conns.remove(&sc.entry)
	*sc = serverConn{}
	serverConnPool.Put(sc)
	if ctx != nil {
		s.releaseConnCtx(ctx)
	}
}

// releaseConnCtx gives back ctx and the buffers it holds, unless a
// timed-out handler's goroutine may still use them (ctx, its reader for
// a streamed body, its writer): those are left to the garbage collector.
func (s *Server) releaseConnCtx(ctx *RequestCtx) {
	if ctx.timeoutResponse != nil {
		return
	}
	if ctx.br != nil {
		s.releaseReader(ctx.br)
		ctx.br = nil
	}
	if ctx.bw != nil {
		s.releaseWriter(ctx.bw)
		ctx.bw = nil
	}
	ctx.Request.Reset()
	ctx.Response.Reset()
	ctx.userValues.Reset()
	ctx.hijackHandler = nil
	ctx.hijackNoResponse = false
	s.releaseCtx(ctx)
}

// handshake runs the TLS handshake of a new connection under the deadline
// of the first request, so that handshake errors are reported as such and
// Shutdown can interrupt a client that never completes it. It returns
// false when the connection must end (with the error, if any, to report).
func (s *Server) handshake(sc *serverConn) (bool, error) {
	h, ok := sc.c.(interface{ Handshake() error })
	if !ok {
		return true, nil
	}
	s.setWaitDeadline(sc, true)
	if !s.goIdle(&sc.entry) {
		return false, nil
	}
	err := h.Handshake()
	if !sc.entry.goActive() {
		return false, nil // woken by Shutdown
	}
	return err == nil, err
}

// setWaitDeadline sets the read deadline for the wait for a request: the
// whole first request must arrive within ReadTimeout of the connection
// opening; later ones get IdleTimeout to start.
func (s *Server) setWaitDeadline(sc *serverConn, first bool) {
	var want time.Time
	if first && s.ReadTimeout > 0 {
		want = sc.connTime.Add(s.ReadTimeout)
	} else if d := s.idleTimeout(); d > 0 {
		want = time.Now().Add(d)
	}
	sc.setReadDeadline(want)
}

// setReadDeadline sets the read deadline of sc.c unless it already is t.
func (sc *serverConn) setReadDeadline(t time.Time) {
	// Without timeouts both are zero on every request: skip the compare.
	if t.IsZero() && sc.deadline.IsZero() {
		return
	}
	if !t.Equal(sc.deadline) {
		sc.deadline = t
		_ = sc.c.SetReadDeadline(t)
	}
}

// waitRequest waits until the first byte of the next request is readable
// from (*ctxp).br, acquiring the RequestCtx when there is none, and sets
// the read deadline for reading the request. It returns false when the
// connection should close quietly: the client left or stayed idle too
// long, or the server is shutting down.
func (s *Server) waitRequest(sc *serverConn, ctxp **RequestCtx, first bool) bool {
	readTimeout := s.ReadTimeout
	if ctx := *ctxp; !first && ctx != nil && ctx.br != nil && ctx.br.Buffered() > 0 {
		// Pipelined: the request is already here. Refresh the deadline
		// only when a good part of it has run out, to keep timer updates
		// off the fast path.
		if readTimeout > 0 {
			if now := time.Now(); sc.deadline.Sub(now) < readTimeout-readTimeout/4 {
				sc.setReadDeadline(now.Add(readTimeout))
			}
		} else {
			sc.setReadDeadline(time.Time{})
		}
		return true
	}

	s.setWaitDeadline(sc, first)
	if !first {
		s.setState(sc.c, StateIdle)
	}
	if !s.goIdle(&sc.entry) {
		return false
	}
	err := s.readFirstByte(sc, ctxp)
	if !sc.entry.goActive() {
		return false
	}
	if err != nil {
		if first && readTimeout > 0 && isTimeoutErr(err) && !s.stopping.Load() {
			// The first request did not even start within ReadTimeout:
			// fasthttp answers 408 (through ErrorHandler) rather than
			// vanish, and clients such as Fiber's tests rely on it.
			s.answerFirstTimeout(sc, ctxp, err)
		}
		return false
	}
	if !first || readTimeout <= 0 {
		var want time.Time
		if readTimeout > 0 {
			want = time.Now().Add(readTimeout)
		}
		sc.setReadDeadline(want)
	}
	s.setState(sc.c, StateActive)
	return true
}

// readFirstByte blocks until a byte of the next request is buffered in
// (*ctxp).br. With ReduceMemoryUsage the RequestCtx and its buffers go
// back to their pools first and the byte is read into sc, so an idle
// connection holds nothing but sc and its goroutine.
func (s *Server) readFirstByte(sc *serverConn, ctxp **RequestCtx) error {
	if !s.ReduceMemoryUsage {
		ctx := *ctxp
		if ctx.br == nil {
			ctx.br = s.acquireReader(sc.c)
		}
		_, err := ctx.br.Peek(1)
		return err
	}
	if ctx := *ctxp; ctx != nil {
		// Nothing is pending: the loop flushes before an idle wait.
		*ctxp = nil
		s.releaseConnCtx(ctx)
	}
	p := &sc.prefix
	for tries := 0; ; tries++ {
		n, err := sc.c.Read(p.b[:])
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
	p.c = sc.c
	p.has = true
	ctx := s.acquireCtx(sc)
	ctx.br = s.acquireReader(p)
	*ctxp = ctx
	return nil
}

// answerFirstTimeout answers 408 on a connection whose first request never
// began arriving within ReadTimeout.
func (s *Server) answerFirstTimeout(sc *serverConn, ctxp **RequestCtx, err error) {
	if *ctxp == nil {
		*ctxp = s.acquireCtx(sc)
	}
	s.setState(sc.c, StateActive)
	s.writeErrorResponse(*ctxp, err)
}

// ensureWriter makes sure ctx.bw is set.
func (s *Server) ensureWriter(ctx *RequestCtx) {
	if ctx.bw == nil {
		ctx.bw = s.acquireWriter(ctx.c)
	}
}

func (s *Server) setWriteDeadline(c net.Conn, d time.Duration) {
	if d > 0 {
		_ = c.SetWriteDeadline(time.Now().Add(d))
	}
}

// readRequestBody applies the body rules once the header is in: GetOnly,
// the size limit (413 before any 100 Continue), Expect, then reads the
// body or, with StreamRequestBody, returns the stream it handed to the
// handler. An error other than errAnswered must be answered by the caller;
// either way the connection ends.
func (s *Server) readRequestBody(ctx *RequestCtx, maxBody int) (*requestStream, error) {
	ctx.Request.bodyDecodeLimit = maxBody
	hdr := &ctx.Request.Header
	if s.GetOnly && !hdr.IsGet() && !hdr.IsHead() {
		return nil, ErrGetOnly
	}
	cl := hdr.contentLength
	if cl > maxBody && !s.StreamRequestBody {
		return nil, ErrBodyTooLarge
	}
	if expect := peekKVFold(hdr.h, HeaderExpect); expect != nil {
		if err := s.handleExpect(ctx, expect, cl); err != nil {
			return nil, err
		}
	}
	if cl == 0 {
		return nil, nil
	}
	if s.StreamRequestBody {
		// Even a body already buffered is handed over as a stream, so
		// that handlers can always use RequestBodyStream.
		rs := acquireRequestStream(ctx.br, cl, maxBody)
		ctx.Request.setConnStream(rs)
		return rs, nil
	}
	return nil, ctx.Request.ReadBody(ctx.br, cl, maxBody)
}

// handleExpect answers the Expect field: "100 Continue" when the client
// waits for it, or a final status (417 by default) that refuses the body.
func (s *Server) handleExpect(ctx *RequestCtx, expect []byte, cl int) error {
	hdr := &ctx.Request.Header
	status := 0
	if s.ExpectHandler != nil {
		status = s.ExpectHandler(ctx)
	}
	if status == 0 || status == StatusContinue {
		switch {
		case !equalFoldString(expect, "100-continue"):
			if s.ExpectHandler == nil {
				status = StatusExpectationFailed
			}
		case hdr.noHTTP11 || cl == 0:
			// 1xx is never sent to HTTP/1.0 clients, nor when no body
			// is coming.
		case s.ContinueHandler != nil && !s.ContinueHandler(hdr):
			status = StatusExpectationFailed
		default:
			s.ensureWriter(ctx)
			if _, err := ctx.bw.Write(str100Continue); err != nil {
				return err
			}
			return ctx.bw.Flush()
		}
	}
	if status == 0 || status == StatusContinue {
		return nil
	}
	// The body was not read: the connection cannot carry another request.
	ctx.Response.Reset()
	ctx.SetStatusCode(status)
	ctx.SetBodyString(StatusMessage(status))
	ctx.Response.Header.connectionClose = true
	s.setWriteDeadline(ctx.c, writeErrorTimeout(s.WriteTimeout))
	if err := s.writeResponse(ctx, &ctx.Response, hdr.IsHead()); err != nil {
		return err
	}
	if err := ctx.bw.Flush(); err != nil {
		return err
	}
	lingerClose(ctx.c)
	return errAnswered
}

// callHandler runs the handler. A panic is logged with its stack and
// answered with 500, and the connection is then closed, so one bad request
// cannot take the server down.
func (s *Server) callHandler(ctx *RequestCtx) {
	defer func() {
		if r := recover(); r != nil {
			s.logPanic(ctx, r)
			ctx.hijackHandler = nil
			ctx.Response.Reset()
			ctx.SetStatusCode(StatusInternalServerError)
			ctx.SetBodyString(StatusMessage(StatusInternalServerError))
			ctx.Response.Header.connectionClose = true
		}
	}()
	s.Handler(ctx)
}

func (s *Server) logPanic(ctx *RequestCtx, r any) {
	if s.SecureErrorLogMessage {
		s.logger().Printf("panic while serving a request from %q: %v\n%s", ctx.RemoteAddr(), r, debug.Stack())
		return
	}
	s.logger().Printf("panic while serving %q from %q: %v\n%s",
		ctx.Request.Header.RequestURI(), ctx.RemoteAddr(), r, debug.Stack())
}

// writeResponse writes resp to ctx.bw with the server's defaults applied;
// the caller flushes.
func (s *Server) writeResponse(ctx *RequestCtx, resp *Response, isHead bool) error {
	s.ensureWriter(ctx)
	bw := ctx.bw
	h := &resp.Header
	if !s.NoDefaultServerHeader && len(h.server) == 0 {
		h.server = append(h.server, s.serverName...)
	}
	if s.NoDefaultDate {
		h.noDefaultDate = true
	}
	if s.NoDefaultContentType {
		h.noDefaultContentType = true
	}
	if isHead {
		resp.SkipBody = true
	}
	if resp.IsBodyStream() {
		if err := resp.Write(bw); err != nil {
			return err
		}
		return bw.Flush()
	}
	return resp.Write(bw)
}

// writeErrorResponse answers a request that could not be read, through
// ErrorHandler when set, then lets the client read the answer before the
// connection closes: after a framing error nothing else on it can be
// trusted.
func (s *Server) writeErrorResponse(ctx *RequestCtx, err error) {
	status := statusForError(err)
	ctx.Response.Reset()
	if s.ErrorHandler == nil || !s.callErrorHandler(ctx, err) {
		ctx.Response.Reset()
		ctx.SetStatusCode(status)
		ctx.SetContentTypeBytes(strDefaultContentType)
		ctx.SetBodyString(errorResponseText(status))
		if status == StatusMethodNotAllowed {
			ctx.Response.Header.SetCanonical(strAllow, strGetHead)
		}
	}
	ctx.Response.Header.connectionClose = true
	s.setWriteDeadline(ctx.c, writeErrorTimeout(s.WriteTimeout))
	if werr := s.writeResponse(ctx, &ctx.Response, ctx.Request.Header.IsHead()); werr == nil {
		if ctx.bw.Flush() == nil {
			lingerClose(ctx.c)
		}
	}
}

var (
	strAllow   = []byte("Allow")
	strGetHead = []byte("GET, HEAD")
)

// callErrorHandler runs ErrorHandler; false means it panicked and the
// default answer is used.
func (s *Server) callErrorHandler(ctx *RequestCtx, err error) (ok bool) {
	defer func() {
		if r := recover(); r != nil {
			s.logPanic(ctx, r)
			ok = false
		}
	}()
	s.ErrorHandler(ctx, err)
	return true
}

// writeErrorTimeout bounds writing an error answer even when the server
// sets no WriteTimeout: the client may not be reading.
func writeErrorTimeout(d time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return 5 * time.Second
}

// lingerClose half-closes c and reads what the client still sends for a
// short while. Closing a socket with unread input makes the kernel send a
// reset, which can destroy the answer before the client reads it.
func lingerClose(c net.Conn) {
	cw := closeWriterOf(c)
	if cw == nil {
		return
	}
	if cw.CloseWrite() != nil {
		return
	}
	// Bounded in time and bytes: long enough for a client still uploading
	// to notice the answer and stop.
	_ = c.SetReadDeadline(time.Now().Add(500 * time.Millisecond))
	buf := copyBufPool.Get().(*[]byte)
	for n := 0; n < 4<<20; {
		m, err := c.Read(*buf)
		n += m
		if err != nil {
			break
		}
	}
	copyBufPool.Put(buf)
}

// closeWriterOf finds CloseWrite on c or on a connection it wraps.
func closeWriterOf(c net.Conn) interface{ CloseWrite() error } {
	for i := 0; i < 8 && c != nil; i++ {
		if cw, ok := c.(interface{ CloseWrite() error }); ok {
			return cw
		}
		u, ok := c.(interface{ NetConn() net.Conn })
		if !ok {
			return nil
		}
		c = u.NetConn()
	}
	return nil
}

func errorResponseText(status int) string {
	switch status {
	case StatusRequestHeaderFieldsTooLarge:
		return "Request Header Fields Too Large"
	case StatusRequestEntityTooLarge:
		return "Request Entity Too Large"
	case StatusRequestURITooLong:
		return "Request URI Too Long"
	case StatusRequestTimeout:
		return "Request timeout"
	case StatusNotImplemented:
		return "Not Implemented"
	case StatusHTTPVersionNotSupported:
		return "HTTP Version Not Supported"
	case StatusMethodNotAllowed:
		return "Method Not Allowed"
	}
	return "Error when parsing request"
}

// runHijackHandler runs a HijackHandler and closes its connection after,
// unless KeepHijackedConns. StateHijacked was the connection's last
// reported state.
func (s *Server) runHijackHandler(c net.Conn, h HijackHandler) {
	// Deadlines set for the HTTP exchange do not apply to the new protocol.
	_ = c.SetDeadline(time.Time{})
	defer func() {
		if !s.KeepHijackedConns {
			_ = c.Close()
		}
		if r := recover(); r != nil {
			s.logger().Printf("panic in HijackHandler: %v\n%s", r, debug.Stack())
		}
	}()
	h(c)
}

// nextProtoHandler returns the handler registered with NextProto for the
// ALPN protocol the TLS connection negotiated, if any.
func (s *Server) nextProtoHandler(ts tlsStater) ServeHandler {
	if !s.hasNextProtos.Load() {
		return nil
	}
	proto := ts.ConnectionState().NegotiatedProtocol
	s.mu.Lock()
	h := s.nextProtos[proto]
	s.mu.Unlock()
	return h
}
