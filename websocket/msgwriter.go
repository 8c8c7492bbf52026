package websocket

import "context"

// messageWriter is the io.WriteCloser Writer returns; Write uses it too for
// compressed messages. Payload collects in a pooled buffer after room for
// the longest header, so each frame goes out in one write with its header
// placed just before the payload.
type messageWriter struct {
	c        *Conn
	ctx      context.Context
	op       opcode // the next frame's: the message's, then continuation
	compress bool
	owned    bool // holds c.writeSem (a Writer), released by Close
	closed   bool
	failed   error
	buf      *[]byte
	n        int // payload bytes in buf
	utf8     utf8Validator
	sink     deflateSink
	empty    [maxHeaderSize]byte
}

func (w *messageWriter) start(ctx context.Context, op opcode, compress bool) {
	w.ctx = ctx
	w.op = op
	w.compress = compress
	w.owned = false
	w.closed = false
	w.failed = nil
	w.n = 0
	w.utf8.reset()
	if compress {
		w.c.df.startWrite(&w.sink)
	}
}

// Write adds p to the message.
func (w *messageWriter) Write(p []byte) (int, error) {
	if w.closed {
		return 0, errWriterClosed
	}
	if w.failed != nil {
		return 0, w.failed
	}
	if w.op == opText && !w.utf8.feed(p) {
		// Fragments already sent cannot be taken back, and a message cut
		// short would pass for a whole one: the connection cannot go on.
		w.failed = errInvalidUTF8
		_ = w.c.closeTransport(CloseError{Code: StatusInternalError, Reason: "invalid UTF-8 written"})
		return 0, errInvalidUTF8
	}
	armed, err := w.c.ww.watch(w.ctx)
	if err != nil {
		return 0, err
	}
	n, err := w.write(p)
	if armed {
		w.c.ww.unwatch()
	}
	return n, err
}

// Close sends the rest of the message as its final frame and releases the
// writing side. Later calls return nil.
func (w *messageWriter) Close() error {
	if w.closed {
		return nil
	}
	err := w.failed
	if err == nil && w.op == opText && !w.utf8.complete() {
		err = errInvalidUTF8
		_ = w.c.closeTransport(CloseError{Code: StatusInternalError, Reason: "invalid UTF-8 written"})
	}
	if err == nil {
		var armed bool
		armed, err = w.c.ww.watch(w.ctx)
		if err == nil {
			err = w.close()
			if armed {
				w.c.ww.unwatch()
			}
		}
	}
	w.release()
	w.closed = true
	if w.owned {
		w.owned = false
		<-w.c.writeSem
	}
	return err
}

func (w *messageWriter) write(p []byte) (int, error) {
	if w.compress {
		n, err := w.c.df.fw.Write(p)
		if err != nil {
			return n, w.fail(err)
		}
		return n, nil
	}
	if err := w.appendPayload(p); err != nil {
		return 0, err
	}
	return len(p), nil
}

// close ends the message.
func (w *messageWriter) close() error {
	if w.compress {
		if err := w.c.df.fw.Flush(); err != nil {
			return w.fail(err)
		}
		// The flush ends in the 4-byte empty stored block that §7.2.1 says
		// to remove; appendPayload always keeps it in the buffer.
		w.n -= len(deflateTail)
	}
	return w.frame(true)
}

func (w *messageWriter) fail(err error) error {
	if w.failed == nil {
		w.failed = err
	}
	return w.failed
}

// release hands the buffer back.
func (w *messageWriter) release() {
	if w.buf != nil {
		putWriteBuffer(w.buf)
		w.buf = nil
	}
	if w.compress {
		w.c.df.releaseWriter()
	}
}

// appendPayload adds frame payload (compressed bytes when compressing),
// sending full buffers as frames.
func (w *messageWriter) appendPayload(p []byte) error {
	if w.n == 0 && !w.compress && len(p) >= largeWriteBuffer {
		// Big writes skip the buffer: one frame each.
		if err := w.check(); err != nil {
			return err
		}
		err := w.c.writeFrame(false, false, w.op, p)
		w.op = opContinuation
		return w.failWith(err)
	}
	if w.buf == nil {
		w.buf = largeBufPool.Get().(*[]byte)
	}
	for len(p) > 0 {
		room := (*w.buf)[maxHeaderSize+w.n:]
		if len(room) == 0 {
			if err := w.frame(false); err != nil {
				return err
			}
			continue
		}
		k := copy(room, p)
		w.n += k
		p = p[k:]
	}
	return nil
}

func (w *messageWriter) failWith(err error) error {
	if err != nil {
		return w.fail(err)
	}
	return nil
}

func (w *messageWriter) check() error {
	if w.failed != nil {
		return w.failed
	}
	return w.c.writable()
}

// frame sends the buffered payload as one frame. When compressing, a
// non-final frame keeps the last 4 bytes back, since the final flush's
// trailer must be stripped from the message's end.
func (w *messageWriter) frame(fin bool) error {
	if err := w.check(); err != nil {
		return err
	}
	keep := 0
	if w.compress && !fin {
		keep = len(deflateTail)
	}
	n := w.n - keep
	if n <= 0 && !fin {
		return nil
	}
	buf := w.empty[:] // a frame with no payload (a local array would escape)
	if w.buf != nil {
		buf = *w.buf
	}
	c := w.c
	c.frameMu.Lock()
	if err := c.writable(); err != nil {
		c.frameMu.Unlock()
		return w.fail(err)
	}
	c.setWriteDeadline()
	var key [4]byte
	if c.client {
		key = c.maskKey()
	}
	var hdr [maxHeaderSize]byte
	h := putHeader(hdr[:], fin, w.compress && w.op != opContinuation, w.op, n, c.client, key)
	start := maxHeaderSize - h
	copy(buf[start:], hdr[:h])
	payload := buf[maxHeaderSize : maxHeaderSize+n]
	if c.client {
		maskBytes(key, 0, payload)
	}
	_, err := c.nc.Write(buf[start : maxHeaderSize+n])
	c.frameMu.Unlock()
	if err != nil {
		return w.fail(c.ioError(err))
	}
	w.op = opContinuation
	if keep > 0 {
		copy(buf[maxHeaderSize:], buf[maxHeaderSize+n:maxHeaderSize+n+keep])
	}
	w.n = keep
	return nil
}

// deflateSink receives the compressor's output.
type deflateSink struct{ w *messageWriter }

func (s *deflateSink) Write(p []byte) (int, error) {
	if err := s.w.appendPayload(p); err != nil {
		return 0, err
	}
	return len(p), nil
}
