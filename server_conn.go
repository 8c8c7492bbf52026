package fasthttp

import (
	"bufio"
	"errors"
	"net"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"
)

// This file is the connection loop: read a request, run the handler, write
// the response, and decide whether the connection lives on. Parsing lives
// in the wire codec files; this file owns the policy (timeouts, limits,
// keep-alive, pipelining, Expect, hijacking and shutdown).

var errHijacked = errors.New("connection has been hijacked")

// connRegistry tracks the connections being served so that Shutdown can
// wake those idling in a read. Entries live inside RequestCtx, so tracking
// allocates nothing; the list is sharded to keep accepts from contending.
type connRegistry struct {
	shards [16]connShard
}

type connShard struct {
	mu   sync.Mutex
	head *connEntry
	_    [40]byte
}

type connEntry struct {
	c          net.Conn
	idle       atomic.Bool
	prev, next *connEntry
	shard      *connShard
}

func (r *connRegistry) add(e *connEntry, id uint64) {
	sh := &r.shards[id%uint64(len(r.shards))]
	e.shard = sh
	sh.mu.Lock()
	e.prev = nil
	e.next = sh.head
	if sh.head != nil {
		sh.head.prev = e
	}
	sh.head = e
	sh.mu.Unlock()
}

func (r *connRegistry) remove(e *connEntry) {
	sh := e.shard
	sh.mu.Lock()
	if e.prev != nil {
		e.prev.next = e.next
	} else {
		sh.head = e.next
	}
	if e.next != nil {
		e.next.prev = e.prev
	}
	e.prev, e.next, e.shard, e.c = nil, nil, nil, nil
	sh.mu.Unlock()
}

// wakeIdle makes every connection waiting for its next request return from
// its read at once; the loop then sees the shutdown and closes.
func (r *connRegistry) wakeIdle() {
	now := time.Now()
	for i := range r.shards {
		sh := &r.shards[i]
		sh.mu.Lock()
		for e := sh.head; e != nil; e = e.next {
			if e.idle.Load() {
				_ = e.c.SetReadDeadline(now)
			}
		}
		sh.mu.Unlock()
	}
}

// serveConn runs the request loop of one connection. It returns nil when
// the connection ended normally, errHijacked when a HijackHandler took it
// over, or the error that ended it.
func (s *Server) serveConn(c net.Conn) (err error) {
	ctx := s.acquireCtx(c)
	ctx.connID = ctxConnIDCounter.Add(1)
	ctx.connTime = time.Now()
	ctx.entry.c = c
	s.conns.add(&ctx.entry, ctx.connID)

	var (
		br       *bufio.Reader
		bw       *bufio.Writer
		reqNum   uint64
		deadline time.Time // the read deadline last set
	)
	defer func() {
		s.conns.remove(&ctx.entry)
		if br != nil {
			s.releaseReader(br)
		}
		if bw != nil {
			s.releaseWriter(bw)
		}
		if ctx.timeoutResponse != nil {
			// A handler goroutine still owns ctx: leave it alone.
			return
		}
		ctx.Request.Reset()
		ctx.Response.Reset()
		ctx.userValues.Reset()
		ctx.hijackHandler = nil
		ctx.hijackNoResponse = false
		s.releaseCtx(ctx)
	}()

	if len(s.nextProtos) > 0 {
		if handled, perr := s.serveNextProto(c); handled {
			return perr
		}
	}

	readTimeout := s.ReadTimeout
	idleTimeout := s.idleTimeout()
	_, isTLS := c.(tlsStater)

	for {
		reqNum++
		if br == nil {
			br = s.acquireReader(c)
			ctx.br = br
		}

		// Wait for the request: the read deadline covers the idle wait,
		// then the whole request from its first byte.
		if reqNum == 1 {
			if readTimeout > 0 {
				deadline = time.Now().Add(readTimeout)
				_ = c.SetReadDeadline(deadline)
			}
		} else if br.Buffered() == 0 {
			if idleTimeout > 0 {
				deadline = time.Now().Add(idleTimeout)
				_ = c.SetReadDeadline(deadline)
			}
			s.setState(c, StateIdle)
			ctx.entry.idle.Store(true)
			if s.stopping.Load() {
				ctx.entry.idle.Store(false)
				break
			}
			if s.ReduceMemoryUsage && bw != nil {
				s.releaseWriter(bw)
				bw = nil
				ctx.bw = nil
			}
			_, perr := br.Peek(1)
			ctx.entry.idle.Store(false)
			if perr != nil {
				// The client went away or stayed idle too long: a normal end.
				break
			}
			if readTimeout > 0 {
				deadline = time.Now().Add(readTimeout)
				_ = c.SetReadDeadline(deadline)
			} else if idleTimeout > 0 {
				deadline = time.Time{}
				_ = c.SetReadDeadline(deadline)
			}
			s.setState(c, StateActive)
		} else if readTimeout > 0 {
			// Pipelined: refresh the deadline only when a good part of it
			// has run out, to keep timer updates off the fast path.
			if now := time.Now(); deadline.Sub(now) < readTimeout-readTimeout/4 {
				deadline = now.Add(readTimeout)
				_ = c.SetReadDeadline(deadline)
			}
		}

		herr := ctx.Request.Header.readLimited(br, s.maxHeaderBytes)
		if reqNum == 1 {
			s.setState(c, StateActive)
		}
		if herr != nil {
			var nr ErrNothingRead
			if errors.As(herr, &nr) {
				// Nothing of a request arrived: close quietly.
				break
			}
			err = herr
			bw = s.ensureWriter(ctx, bw)
			s.writeErrorResponse(ctx, bw, herr)
			break
		}
		ctx.Request.isTLS = isTLS
		ctx.connRequestNum = reqNum
		if s.LazyRequestTime {
			ctx.time = time.Time{}
		} else {
			ctx.time = time.Now()
		}

		ok, werr := s.readRequestBody(ctx, &bw)
		if !ok {
			err = werr
			break
		}

		s.callHandler(ctx)

		if ctx.timeoutResponse != nil {
			// The handler's goroutines may still use ctx: answer with the
			// timeout response from a copy and end the connection, so ctx
			// is never reused.
			bw = s.ensureWriter(ctx, bw)
			resp := ctx.timeoutResponse
			resp.SetConnectionClose()
			s.setWriteDeadline(c, s.WriteTimeout)
			if werr := resp.Write(bw); werr == nil {
				err = bw.Flush()
			} else {
				err = werr
			}
			break
		}

		hdr := &ctx.Request.Header
		closeConn := s.DisableKeepalive || hdr.ConnectionClose() || ctx.Response.Header.ConnectionClose() ||
			(s.MaxRequestsPerConn > 0 && reqNum >= uint64(s.MaxRequestsPerConn)) || s.stopping.Load()
		if rs, ok := ctx.Request.bodyStream.(*requestStream); ok {
			// Whatever the handler left of a streamed body must go before
			// the next request can be read.
			if !rs.drain(64 << 10) {
				closeConn = true
			}
			ctx.Request.bodyStream = nil
			releaseRequestStream(rs)
		}
		if closeConn {
			ctx.Response.Header.connectionClose = true
		} else if hdr.noHTTP11 {
			ctx.Response.Header.keepAlive = true
		}

		hijack := ctx.hijackHandler
		if hijack == nil || !ctx.hijackNoResponse {
			bw = s.ensureWriter(ctx, bw)
			s.setWriteDeadline(c, s.WriteTimeout)
			if werr := s.writeResponse(ctx, bw); werr != nil {
				err = werr
				break
			}
			if closeConn || hijack != nil || br.Buffered() == 0 {
				if werr := bw.Flush(); werr != nil {
					err = werr
					break
				}
			}
		}
		if hijack != nil {
			hc := newHijackConn(c, br)
			s.setState(c, StateHijacked)
			go s.runHijackHandler(hc, hijack)
			err = errHijacked
			break
		}
		if closeConn {
			break
		}

		ctx.Request.Reset()
		ctx.Response.Reset()
		if len(ctx.userValues) > 0 {
			ctx.userValues.Reset()
		}
	}
	return err
}

// ensureWriter returns bw, acquiring a writer when there is none.
func (s *Server) ensureWriter(ctx *RequestCtx, bw *bufio.Writer) *bufio.Writer {
	if bw == nil {
		bw = s.acquireWriter(ctx.c)
		ctx.bw = bw
	}
	return bw
}

func (s *Server) setWriteDeadline(c net.Conn, d time.Duration) {
	if d > 0 {
		_ = c.SetWriteDeadline(time.Now().Add(d))
	}
}

// readRequestBody applies the body rules once the header is in: GetOnly,
// the size limit (413 before any 100 Continue), Expect, then reads or
// streams the body. It returns false when the connection must end; the
// error response has then been written.
func (s *Server) readRequestBody(ctx *RequestCtx, bwp **bufio.Writer) (bool, error) {
	hdr := &ctx.Request.Header
	maxBody := s.maxRequestBodySize()
	if s.HeaderReceived != nil {
		cfg := s.HeaderReceived(hdr)
		if cfg.ReadTimeout > 0 {
			_ = ctx.c.SetReadDeadline(time.Now().Add(cfg.ReadTimeout))
		}
		if cfg.WriteTimeout > 0 {
			defer s.setWriteDeadline(ctx.c, cfg.WriteTimeout)
		}
		if cfg.MaxRequestBodySize > 0 {
			maxBody = cfg.MaxRequestBodySize
		}
	}
	ctx.Request.bodyDecodeLimit = maxBody
	fail := func(err error) (bool, error) {
		*bwp = s.ensureWriter(ctx, *bwp)
		s.writeErrorResponse(ctx, *bwp, err)
		return false, err
	}
	if s.GetOnly && !hdr.IsGet() && !hdr.IsHead() {
		return fail(ErrGetOnly)
	}
	cl := hdr.contentLength
	if cl > maxBody && !s.StreamRequestBody {
		return fail(ErrBodyTooLarge)
	}
	if expect := peekKVString(hdr.h, HeaderExpect); expect != nil {
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
				// 1xx is never sent to HTTP/1.0 clients, nor for no body.
			case s.ContinueHandler != nil && !s.ContinueHandler(hdr):
				status = StatusExpectationFailed
			default:
				*bwp = s.ensureWriter(ctx, *bwp)
				if _, err := (*bwp).Write(str100Continue); err != nil {
					return false, err
				}
				if err := (*bwp).Flush(); err != nil {
					return false, err
				}
			}
		}
		if status != 0 && status != StatusContinue {
			*bwp = s.ensureWriter(ctx, *bwp)
			ctx.Response.Reset()
			ctx.SetStatusCode(status)
			ctx.SetBodyString(StatusMessage(status))
			ctx.Response.Header.connectionClose = true
			if err := s.writeResponse(ctx, *bwp); err != nil {
				return false, err
			}
			return false, (*bwp).Flush()
		}
	}
	if cl == 0 {
		return true, nil
	}
	br := ctx.br
	if s.StreamRequestBody && (cl < 0 || cl > br.Buffered()) {
		ctx.Request.bodyStream = acquireRequestStream(br, cl, maxBody)
		return true, nil
	}
	if err := ctx.Request.ReadBody(br, cl, maxBody); err != nil {
		return fail(err)
	}
	return true, nil
}

// callHandler runs the handler. A panic is logged with its stack and
// answered with 500, and the connection is then closed, so one bad request
// cannot take the server down.
func (s *Server) callHandler(ctx *RequestCtx) {
	defer func() {
		if r := recover(); r != nil {
			s.logger().Printf("panic while serving %q from %q: %v\n%s",
				ctx.Request.Header.RequestURI(), ctx.RemoteAddr(), r, debug.Stack())
			ctx.hijackHandler = nil
			ctx.Response.Reset()
			ctx.SetStatusCode(StatusInternalServerError)
			ctx.SetBodyString(StatusMessage(StatusInternalServerError))
			ctx.Response.Header.connectionClose = true
		}
	}()
	s.Handler(ctx)
}

// writeResponse writes ctx.Response with the server's defaults applied.
func (s *Server) writeResponse(ctx *RequestCtx, bw *bufio.Writer) error {
	resp := &ctx.Response
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
	if ctx.Request.Header.IsHead() {
		resp.SkipBody = true
	}
	if resp.bodyStream != nil || resp.bodyStreamWriter != nil {
		if err := resp.writeStream(bw); err != nil {
			return err
		}
		return bw.Flush()
	}
	body := resp.bodyBytes()
	h.SetContentLength(len(body))
	resp.scratch = h.AppendBytes(resp.scratch[:0])
	if _, err := bw.Write(resp.scratch); err != nil {
		return err
	}
	if len(body) > 0 && !resp.SkipBody && !h.mustSkipContentLength() {
		if _, err := bw.Write(body); err != nil {
			return err
		}
	}
	return nil
}

// writeErrorResponse answers a request that could not be read, through
// ErrorHandler when set, and marks the connection for closing: after a
// framing error nothing else on it can be trusted.
func (s *Server) writeErrorResponse(ctx *RequestCtx, bw *bufio.Writer, err error) {
	status := statusForError(err)
	ctx.Response.Reset()
	if s.ErrorHandler != nil {
		s.ErrorHandler(ctx, err)
	} else {
		ctx.SetStatusCode(status)
		ctx.SetContentTypeBytes(strDefaultContentType)
		ctx.SetBodyString(errorResponseText(status))
	}
	ctx.Response.Header.connectionClose = true
	s.setWriteDeadline(ctx.c, writeErrorTimeout(s.WriteTimeout))
	if werr := s.writeResponse(ctx, bw); werr == nil {
		_ = bw.Flush()
	}
}

// writeErrorTimeout bounds writing an error answer even when the server
// sets no WriteTimeout: the client may not be reading.
func writeErrorTimeout(d time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return 5 * time.Second
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
// unless KeepHijackedConns.
func (s *Server) runHijackHandler(c net.Conn, h HijackHandler) {
	// Deadlines set for the HTTP exchange do not apply to the new protocol.
	_ = c.SetDeadline(time.Time{})
	h(c)
	if !s.KeepHijackedConns {
		_ = c.Close()
		s.setState(c, StateClosed)
	}
}

// serveNextProto hands a TLS connection that negotiated a registered ALPN
// protocol to its handler.
func (s *Server) serveNextProto(c net.Conn) (bool, error) {
	ts, ok := c.(tlsStater)
	if !ok {
		return false, nil
	}
	if h, ok := c.(interface{ Handshake() error }); ok {
		if s.ReadTimeout > 0 {
			_ = c.SetReadDeadline(time.Now().Add(s.ReadTimeout))
		}
		if err := h.Handshake(); err != nil {
			return true, err
		}
	}
	proto := ts.ConnectionState().NegotiatedProtocol
	s.mu.Lock()
	h := s.nextProtos[proto]
	s.mu.Unlock()
	if h == nil {
		return false, nil
	}
	return true, h(c)
}
