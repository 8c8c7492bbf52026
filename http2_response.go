package fasthttp

import (
	"bufio"
	"io"
	"sync"
	"time"

	"golang.org/x/net/http2"
)

// This file frames a response out on its stream: the header block, the
// body as DATA frames within the client's flow-control windows, and the
// trailers. It runs in the stream goroutine.

// respond sends resp as the stream's final response. The body is the
// response's bytes, its body stream or its StreamWriter (run here, each
// Flush sending what was written); a HEAD request or a status without a
// body (1xx, 204, 304) gets the header only. Trailer fields announced
// with ResponseHeader.SetTrailer go last, in a HEADERS frame. If the
// response cannot be completed (the client reset the stream, a window
// stayed shut past the deadline, the body stream failed) the stream is
// reset and the error returned.
func (st *h2Stream) respond(resp *Response) error {
	if st.responded {
		return errH2Responded
	}
	st.responded = true
	var start time.Time
	if o := st.sc.o; o.writeTimeout > 0 || o.idleTimeout > 0 {
		start = time.Now()
	}
	h := &resp.Header
	skip := st.head || resp.SkipBody || h.mustSkipContentLength()
	var err error
	if resp.IsBodyStream() {
		err = st.respondStream(resp, skip, start)
	} else {
		err = st.respondBytes(resp, skip, start)
	}
	if err != nil {
		st.sc.resetStream(st, http2.ErrCodeInternal)
		return err
	}
	st.sc.endLocal(st)
	if h.connectionClose {
		// "Connection: close" on HTTP/2 means: no more requests here.
		st.sc.goAway()
	}
	return nil
}

// respondBytes sends a response whose body is in memory. As much of the
// body as the windows allow goes out with the header, under one lock.
func (st *h2Stream) respondBytes(resp *Response, skip bool, start time.Time) error {
	h := &resp.Header
	body := resp.bodyBytes()
	cl := len(body)
	trailers := len(h.trailer) > 0 && !skip
	if skip {
		body = nil
	}
	n := 0
	if len(body) > 0 {
		var err error
		if n, err = st.takeSendWindow(len(body), false, time.Time{}); err != nil {
			return err
		}
	}
	w := &st.sc.w
	if err := w.lock(); err != nil || st.rst.Load() {
		w.unlock()
		st.returnWindow(n)
		return orReset(err)
	}
	w.encodeResponseHeader(h, cl)
	st.writeHeaders(len(body) == 0 && !trailers)
	if n > 0 {
		st.writeData(n == len(body) && !trailers, body[:n])
	}
	if err := w.unlock(); err != nil {
		return err
	}
	if rest := body[n:]; len(rest) > 0 {
		if err := st.sendData(rest, !trailers, st.sendDeadline(start)); err != nil {
			return err
		}
	}
	if trailers {
		return st.sendTrailers(h)
	}
	return nil
}

// respondStream sends a response whose body is a stream or a
// StreamWriter, then closes the stream with the outcome.
func (st *h2Stream) respondStream(resp *Response, skip bool, start time.Time) error {
	h := &resp.Header
	size := h.ContentLength()
	if resp.bodyStreamWriter != nil || size < 0 {
		size = -1
	}
	trailers := len(h.trailer) > 0
	w := &st.sc.w
	if err := w.lock(); err != nil || st.rst.Load() {
		w.unlock()
		_ = resp.closeBodyStreamErr(orReset(err))
		return orReset(err)
	}
	w.encodeResponseHeader(h, size)
	st.writeHeaders(skip)
	if err := w.unlock(); err != nil || skip {
		if cerr := resp.closeBodyStreamErr(err); err == nil {
			err = cerr
		}
		return err
	}
	st.dw = h2DataWriter{st: st, deadline: st.sendDeadline(start)}
	var err error
	ended := false
	if sw := resp.bodyStreamWriter; sw != nil {
		resp.bodyStreamWriter = nil
		bw := h2StreamWriterPool.Get().(*bufio.Writer)
		bw.Reset(&st.dw)
		if err = runStreamWriter(sw, bw); err == nil {
			err = bw.Flush()
		}
		bw.Reset(nil)
		h2StreamWriterPool.Put(bw)
	} else {
		ended, err = st.copyBody(resp.bodyStream, size, !trailers)
	}
	if cerr := resp.closeBodyStreamErr(err); err == nil {
		err = cerr
	}
	switch {
	case err != nil:
		return err
	case trailers:
		return st.sendTrailers(h)
	case !ended:
		return st.sendData(nil, true, st.dw.deadline)
	}
	return nil
}

var h2StreamWriterPool = sync.Pool{New: func() any { return bufio.NewWriterSize(nil, 16<<10) }}

// copyBody sends a body stream: exactly size bytes when size >= 0 (the
// last chunk ending the stream when end is set), else until EOF. It
// reports whether the stream was ended.
func (st *h2Stream) copyBody(r io.Reader, size int, end bool) (bool, error) {
	bufp := copyBufPool.Get().(*[]byte)
	defer copyBufPool.Put(bufp)
	buf := *bufp
	left := size
	for size < 0 || left > 0 {
		chunk := buf
		if size >= 0 && left < len(chunk) {
			chunk = chunk[:left]
		}
		n, rerr := r.Read(chunk)
		if n > 0 {
			left -= n
			last := size >= 0 && left == 0 && end
			if err := st.sendData(chunk[:n], last, st.dw.deadline); err != nil {
				return false, err
			}
			if last {
				return true, nil
			}
		}
		if rerr == io.EOF {
			if size >= 0 && left > 0 {
				return false, errH2BodyTooShort
			}
			return false, nil
		}
		if rerr != nil {
			return false, rerr
		}
	}
	return false, nil
}

// h2DataWriter is the io.Writer a StreamWriter's buffered writer flushes
// into: every write becomes DATA frames at once.
type h2DataWriter struct {
	st       *h2Stream
	deadline time.Time
}

func (d *h2DataWriter) Write(p []byte) (int, error) {
	if err := d.st.sendData(p, false, d.deadline); err != nil {
		return 0, err
	}
	return len(p), nil
}

// sendData sends p as DATA frames as the windows open, the last one
// ending the stream when end is set (an empty p with end sends an empty
// frame that ends it).
func (st *h2Stream) sendData(p []byte, end bool, deadline time.Time) error {
	w := &st.sc.w
	if len(p) == 0 {
		if !end {
			return nil
		}
		if err := w.lock(); err != nil || st.rst.Load() {
			w.unlock()
			return orReset(err)
		}
		st.writeData(true, nil)
		return w.unlock()
	}
	for len(p) > 0 {
		n, err := st.takeSendWindow(len(p), true, deadline)
		if err != nil {
			return err
		}
		if err := w.lock(); err != nil || st.rst.Load() {
			w.unlock()
			st.returnWindow(n)
			return orReset(err)
		}
		st.writeData(end && n == len(p), p[:n])
		if err := w.unlock(); err != nil {
			return err
		}
		p = p[n:]
	}
	return nil
}

// sendTrailers ends the stream with the trailer fields, or with an empty
// DATA frame when none of the announced fields got a value.
func (st *h2Stream) sendTrailers(h *ResponseHeader) error {
	w := &st.sc.w
	if err := w.lock(); err != nil || st.rst.Load() {
		w.unlock()
		return orReset(err)
	}
	if w.encodeTrailers(h) {
		st.writeHeaders(true)
	} else {
		st.writeData(true, nil)
	}
	return w.unlock()
}

// writeHeaders sends the header block encoded in the writer; the caller
// holds the writer.
func (st *h2Stream) writeHeaders(end bool) {
	st.sc.w.writeHeaderBlock(st.id, end)
	if end {
		st.markEnded()
	}
}

// writeData sends one DATA frame; the caller holds the writer and took
// the window.
func (st *h2Stream) writeData(end bool, p []byte) {
	st.sc.w.writeData(st.id, end, p)
	if end {
		st.markEnded()
	}
}

// markEnded records END_STREAM as sent before the writer is released, so
// that the read loop never sees the client's next frame (which may follow
// at once: a frame on the closed stream, or a new stream in the slot it
// freed) before it knows the stream is closed.
func (st *h2Stream) markEnded() {
	st.sc.mu.Lock()
	st.localClosed = true
	st.sc.closedLocked(st)
	st.sc.mu.Unlock()
}

// returnWindow gives back connection window taken for bytes that were
// not sent after all, so that other streams can use it.
func (st *h2Stream) returnWindow(n int) {
	if n <= 0 {
		return
	}
	sc := st.sc
	sc.mu.Lock()
	sc.sendWindow += int64(n)
	sc.wakeWindowWaiters()
	sc.mu.Unlock()
}

// orReset is err, or errH2StreamReset when there is none: the caller saw
// the stream reset.
func orReset(err error) error {
	if err != nil {
		return err
	}
	return errH2StreamReset
}

// writeInterim sends an informational response (100 Continue, 103 Early
// Hints with the Link fields of h) ahead of the final one.
func (st *h2Stream) writeInterim(code int, h *ResponseHeader) error {
	w := &st.sc.w
	if err := w.lock(); err != nil || st.rst.Load() || st.responded {
		w.unlock()
		return orReset(err)
	}
	w.encodeInterim(code, h)
	w.writeHeaderBlock(st.id, false)
	return w.unlock()
}
