package websocket

import (
	"context"
	"io"
	"time"
)

// reader is the reading half of a Conn. Its fields are used only by the
// goroutine that holds sem.
type reader struct {
	c   *Conn
	sem chan struct{}

	buf      []byte // read-ahead: buf[pos:end] is received, not yet parsed
	pos, end int

	// The data frame being read.
	remaining int64
	fin       bool
	masked    bool
	key       [4]byte
	keyPos    int

	// The data message being read.
	inMessage  bool
	op         opcode
	compressed bool
	size       int64 // payload bytes so far, counted against the limit
	utf8       utf8Validator

	ctrl     [maxControlPayload]byte
	sawClose bool    // the peer's close frame was read
	msg      *[]byte // the buffer of the message Read last returned
	mr       messageReader
	src      inflateSource
	fr       io.ReadCloser // the inflater of the compressed message being read
}

func (r *reader) init(c *Conn, size int, buffered []byte) {
	r.c = c
	r.sem = make(chan struct{}, 1)
	r.buf = make([]byte, size)
	r.end = copy(r.buf, buffered)
	r.mr.r = r
	r.src.r = r
}

// acquire takes the reading side, waiting at most as long as ctx allows.
func (r *reader) acquire(ctx context.Context) error {
	select {
	case r.sem <- struct{}{}:
	default:
		select {
		case r.sem <- struct{}{}:
		case <-ctx.Done():
			return ctx.Err()
		case <-r.c.closed:
			return r.c.stickyErr()
		}
	}
	if r.c.broken.Load() {
		<-r.sem
		return r.c.stickyErr()
	}
	if r.c.readTimeout > 0 {
		_ = r.c.nc.SetReadDeadline(time.Now().Add(r.c.readTimeout))
	}
	return nil
}

func (r *reader) release() { <-r.sem }

// begin takes the reading side for a call bound by ctx.
func (r *reader) begin(ctx context.Context) (bool, error) {
	if err := r.acquire(ctx); err != nil {
		return false, err
	}
	armed, err := r.c.rw.watch(ctx)
	if err != nil {
		r.release()
		return false, err
	}
	return armed, nil
}

func (r *reader) finish(armed bool) {
	if armed {
		r.c.rw.unwatch()
	}
	r.release()
}

// Read reads the next data message whole. The returned slice stays valid
// until the next call to Read or Reader on c. Control frames that arrive
// meanwhile are handled: pings answered, pongs handed to Ping, a close
// frame answered and returned as a CloseError. A message longer than the
// size limit fails the connection with StatusMessageTooBig before it is
// buffered.
//
// When ctx is done before a message arrives, the connection is closed and
// ctx.Err() is returned, now and by every later call.
func (c *Conn) Read(ctx context.Context) (MessageType, []byte, error) {
	armed, err := c.rd.begin(ctx)
	if err != nil {
		return 0, nil, err
	}
	typ, msg, err := c.rd.readMessage()
	c.rd.finish(armed)
	return typ, msg, err
}

// Reader waits for the next data message and returns its type and a reader
// of its payload, which delivers it as it arrives (io.EOF at its end),
// validating UTF-8 and enforcing the size limit as Read does. ctx bounds
// the wait and every read from the returned reader. The reader is valid
// until the next call to Read or Reader, which discards whatever of the
// message was left unread.
func (c *Conn) Reader(ctx context.Context) (MessageType, io.Reader, error) {
	armed, err := c.rd.begin(ctx)
	if err != nil {
		return 0, nil, err
	}
	r := &c.rd
	err = r.beginMessage()
	c.rd.finish(armed)
	if err != nil {
		return 0, nil, err
	}
	r.mr.ctx = ctx
	r.mr.done = false
	return MessageType(r.op), &r.mr, nil
}

// CloseRead starts a goroutine that reads, and discards nothing but
// control frames, until the connection closes: for a connection that only
// writes, it keeps pings answered and sees the peer's close frame. A data
// message from the peer closes the connection with StatusPolicyViolation.
// ctx bounds the reading as it bounds Read. Conn.Context() is cancelled
// once the connection is closed.
func (c *Conn) CloseRead(ctx context.Context) {
	go func() {
		_, _, err := c.Reader(ctx)
		if err == nil {
			_ = c.Close(context.Background(), StatusPolicyViolation, "unexpected data message")
		}
	}()
}

// beginMessage discards what is left of the previous message and reads up
// to the first data frame of the next one.
func (r *reader) beginMessage() error {
	if r.inMessage {
		if err := r.discard(); err != nil {
			return err
		}
	}
	if r.msg != nil {
		putMsgBuffer(r.msg)
		r.msg = nil
	}
	return r.nextDataFrame()
}

func (r *reader) readMessage() (MessageType, []byte, error) {
	if err := r.beginMessage(); err != nil {
		return 0, nil, err
	}
	typ := MessageType(r.op)
	bp := getMsgBuffer()
	r.msg = bp
	buf := *bp
	var err error
	if r.compressed {
		buf, err = r.inflateAll(buf)
	} else {
		buf, err = r.readAll(buf)
	}
	*bp = buf
	if err != nil {
		return 0, nil, err
	}
	return typ, buf, nil
}

// readAll appends the rest of an uncompressed message to buf.
func (r *reader) readAll(buf []byte) ([]byte, error) {
	for {
		// Grow only for bytes known to come: a message that ends exactly
		// at the buffer's capacity must not cost a new buffer.
		if len(buf) == cap(buf) && r.remaining > 0 {
			var last int64 // the message's end is known only in its final frame
			if r.fin {
				last = r.remaining
			}
			buf = grow(buf, last)
		}
		n, err := r.readMsg(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

// grow enlarges buf for more bytes of a message: it doubles (so the buffer
// follows the bytes received, never a length a peer merely declared), up
// to the message's last byte when remaining (bytes still to come in the
// final frame) says where that is.
func grow(buf []byte, remaining int64) []byte {
	n := 2 * cap(buf)
	if n < 4096 {
		n = 4096
	}
	if remaining > 0 && int64(n-len(buf)) > remaining {
		n = len(buf) + int(remaining)
	}
	nb := make([]byte, len(buf), n)
	copy(nb, buf)
	return nb
}

// discard reads and drops the rest of the current message (still checking
// it, so a bad frame fails the connection here too).
func (r *reader) discard() error {
	if r.compressed {
		// The inflater's state must follow the message for context
		// takeover: run it to the end.
		return r.inflateDiscard()
	}
	var scratch [512]byte
	for {
		_, err := r.readMsg(scratch[:])
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// readMsg reads the next bytes of the current message's payload as sent
// (compressed or not), crossing frames; io.EOF at the end of the message.
func (r *reader) readMsg(p []byte) (int, error) {
	for r.remaining == 0 {
		if r.fin {
			r.inMessage = false
			if r.op == opText && !r.compressed && !r.utf8.complete() {
				return 0, r.c.fail(StatusInvalidFramePayloadData, "invalid UTF-8")
			}
			return 0, io.EOF
		}
		if err := r.nextDataFrame(); err != nil {
			return 0, err
		}
	}
	if len(p) == 0 {
		return 0, nil
	}
	n, err := r.readPayload(p)
	if n > 0 && r.op == opText && !r.compressed && !r.utf8.feed(p[:n]) {
		return 0, r.c.fail(StatusInvalidFramePayloadData, "invalid UTF-8")
	}
	return n, err
}

// readPayload reads payload bytes of the current frame into p and unmasks
// them. A read that wants at least a buffer's worth goes straight into p.
func (r *reader) readPayload(p []byte) (int, error) {
	if int64(len(p)) > r.remaining {
		p = p[:r.remaining]
	}
	var n int
	switch {
	case r.pos < r.end:
		n = copy(p, r.buf[r.pos:r.end])
		r.pos += n
	case len(p) >= len(r.buf):
		var err error
		n, err = r.c.nc.Read(p)
		if n == 0 {
			if err == nil {
				return 0, nil
			}
			return 0, r.c.ioError(err)
		}
	default:
		if err := r.fill(1); err != nil {
			return 0, err
		}
		n = copy(p, r.buf[r.pos:r.end])
		r.pos += n
	}
	if r.masked {
		r.keyPos = maskBytes(r.key, r.keyPos, p[:n])
	}
	r.remaining -= int64(n)
	return n, nil
}

// fill makes at least n bytes (n <= len(buf)) available in buf[pos:end].
func (r *reader) fill(n int) error {
	if r.end-r.pos >= n {
		return nil
	}
	if r.pos > 0 {
		r.end = copy(r.buf, r.buf[r.pos:r.end])
		r.pos = 0
	}
	for r.end < n {
		m, err := r.c.nc.Read(r.buf[r.end:])
		r.end += m
		if err != nil && r.end < n {
			if r.c.broken.Load() {
				return r.c.stickyErr()
			}
			if err == io.EOF && r.end > 0 {
				err = io.ErrUnexpectedEOF
			}
			return r.c.ioError(err)
		}
	}
	return nil
}

// readHeader reads and checks one frame header.
func (r *reader) readHeader() (frameHeader, error) {
	if err := r.fill(2); err != nil {
		return frameHeader{}, err
	}
	n := headerLen(r.buf[r.pos+1])
	if err := r.fill(n); err != nil {
		return frameHeader{}, err
	}
	h, bad := parseHeader(r.buf[r.pos : r.pos+n])
	r.pos += n
	if bad != "" || r.c.client == h.masked || (h.rsv1 && h.op.isControl()) {
		// Failing: let linger skip this frame's payload, or stop at it.
		r.remaining = h.length
		r.sawClose = h.op == opClose
	}
	switch {
	case bad != "":
		return h, r.c.fail(StatusProtocolError, bad)
	case r.c.client && h.masked:
		return h, r.c.fail(StatusProtocolError, "masked frame from server")
	case !r.c.client && !h.masked:
		return h, r.c.fail(StatusProtocolError, "unmasked frame from client")
	case h.rsv1 && h.op.isControl():
		return h, r.c.fail(StatusProtocolError, "reserved bit set")
	}
	return h, nil
}

// nextDataFrame reads frames up to the next data frame of the current
// message (or of a new one when none is in progress), handling the
// control frames before it.
func (r *reader) nextDataFrame() error {
	for {
		h, err := r.readHeader()
		if err != nil {
			return err
		}
		if h.op.isControl() {
			if err := r.control(h); err != nil {
				return err
			}
			continue
		}
		// Set before the checks, so that failing skips this payload.
		r.remaining = h.length
		if h.op == opContinuation {
			if !r.inMessage {
				return r.c.fail(StatusProtocolError, "continuation frame without a message")
			}
			if h.rsv1 {
				return r.c.fail(StatusProtocolError, "reserved bit set")
			}
		} else {
			if r.inMessage {
				return r.c.fail(StatusProtocolError, "data frame inside a fragmented message")
			}
			if h.rsv1 && r.c.df == nil {
				return r.c.fail(StatusProtocolError, "reserved bit set")
			}
			r.inMessage = true
			r.op = h.op
			r.compressed = h.rsv1
			r.size = 0
			r.utf8.reset()
		}
		if !r.compressed {
			r.size += h.length
			if r.c.maxMessageSize >= 0 && r.size > r.c.maxMessageSize {
				return r.c.fail(StatusMessageTooBig, "message too big")
			}
		}
		r.remaining = h.length
		r.fin = h.fin
		r.masked = h.masked
		r.key = h.maskKey
		r.keyPos = 0
		return nil
	}
}

// control reads the payload of a control frame and acts on it.
func (r *reader) control(h frameHeader) error {
	n := int(h.length)
	if err := r.fill(n); err != nil {
		return err
	}
	p := r.ctrl[:n]
	copy(p, r.buf[r.pos:r.pos+n])
	r.pos += n
	if h.masked {
		maskBytes(h.maskKey, 0, p)
	}
	switch h.op {
	case opPing:
		return r.c.writeControl(opPong, p)
	case opPong:
		r.c.gotPong(p)
		return nil
	default:
		return r.c.peerClosed(p)
	}
}

// messageReader is the io.Reader Reader returns.
type messageReader struct {
	r    *reader
	ctx  context.Context
	done bool
}

// Read reads from the message's payload.
func (m *messageReader) Read(p []byte) (int, error) {
	if m.done {
		return 0, io.EOF
	}
	r := m.r
	armed, err := r.begin(m.ctx)
	if err != nil {
		return 0, err
	}
	var n int
	if !r.inMessage {
		err = io.EOF
	} else if r.compressed {
		n, err = r.inflateRead(p)
	} else {
		n, err = r.readMsg(p)
	}
	r.finish(armed)
	if err == io.EOF {
		m.done = true
	}
	return n, err
}
