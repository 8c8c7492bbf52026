package fasthttp

import (
	"io"

	"github.com/valyala/bytebufferpool"
)

// messageBody is the body of a Request or a Response, whichever way it is
// held: a pooled buffer, a caller's slice (SetBodyRaw) or a stream. The
// exported body methods of both types are thin wrappers around it, so the
// rules live in one place.
type messageBody struct {
	buf    *bytebufferpool.ByteBuffer
	raw    []byte // the body when rawSet: the caller's slice, not owned
	rawSet bool
	stream io.Reader
}

// bytes returns the body without reading a stream.
func (b *messageBody) bytes() []byte {
	if b.rawSet {
		return b.raw
	}
	if b.buf == nil {
		return nil
	}
	return b.buf.B
}

// buffer returns the owned body buffer, acquiring one when needed. A raw
// body is copied in first, so that appends extend it.
func (b *messageBody) buffer() *bytebufferpool.ByteBuffer {
	if b.buf == nil {
		b.buf = bodyPool.Get()
	}
	if b.rawSet {
		b.buf.B = append(b.buf.B[:0], b.raw...)
		b.raw = nil
		b.rawSet = false
	}
	return b.buf
}

// set replaces the body with a copy of p.
func (b *messageBody) set(p []byte) {
	b.dropStream()
	b.raw, b.rawSet = nil, false
	bb := b.buffer()
	bb.B = append(bb.B[:0], p...)
}

// setRaw makes p the body without copying it.
func (b *messageBody) setRaw(p []byte) {
	b.dropStream()
	if b.buf != nil {
		b.buf.B = b.buf.B[:0]
	}
	if p == nil {
		p = []byte{}
	}
	b.raw, b.rawSet = p, true
}

// append adds p to the end of the body.
func (b *messageBody) append(p []byte) {
	bb := b.buffer()
	bb.B = append(bb.B, p...)
}

// setStream makes r the body.
func (b *messageBody) setStream(r io.Reader) {
	b.dropStream()
	b.raw, b.rawSet = nil, false
	if b.buf != nil {
		b.buf.B = b.buf.B[:0]
	}
	b.stream = r
}

// readStream reads a stream body into the buffer and closes the stream.
// On a read error the error text becomes the body, as upstream does, and
// the error is returned.
func (b *messageBody) readStream() error {
	if b.stream == nil {
		return nil
	}
	bb := b.buffer()
	bb.B = bb.B[:0]
	_, err := bb.ReadFrom(b.stream)
	b.closeStream(err)
	if err != nil {
		bb.B = append(bb.B[:0], err.Error()...)
	}
	return err
}

// swap makes p the body and returns the previous body, read from its
// stream first when there is one.
func (b *messageBody) swap(p []byte) []byte {
	_ = b.readStream()
	var old []byte
	if b.rawSet {
		old = b.raw
		b.raw, b.rawSet = nil, false
	}
	bb := b.buffer()
	if old == nil {
		old = bb.B
	}
	bb.B = p
	return old
}

// closeStream closes the stream, passing err to a ReadCloserWithError so
// that its producer learns why reading stopped, and forgets it.
func (b *messageBody) closeStream(err error) error {
	s := b.stream
	if s == nil {
		return nil
	}
	b.stream = nil
	switch c := s.(type) {
	case ReadCloserWithError:
		return c.CloseWithError(err)
	case io.Closer:
		return c.Close()
	}
	return nil
}

// dropStream closes the stream, if any, ignoring errors.
func (b *messageBody) dropStream() {
	_ = b.closeStream(nil)
}

// reset empties the body. The buffer is kept when keep is set, else it
// goes back to the pool unless it is larger than limit (0: no limit).
func (b *messageBody) reset(keep bool, limit int64) {
	b.dropStream()
	b.raw, b.rawSet = nil, false
	if b.buf == nil {
		return
	}
	if keep {
		b.buf.B = b.buf.B[:0]
		return
	}
	putBodyBuffer(b.buf, limit)
	b.buf = nil
}

// release returns the buffer to the pool when its capacity exceeds size,
// so that one large body does not stay pinned to a reused message.
func (b *messageBody) release(size int, limit int64) {
	b.dropStream()
	b.raw, b.rawSet = nil, false
	if b.buf == nil || cap(b.buf.B) <= size {
		return
	}
	putBodyBuffer(b.buf, limit)
	b.buf = nil
}

// writeTo writes the body to w, consuming a stream.
func (b *messageBody) writeTo(w io.Writer) error {
	if b.stream != nil {
		_, err := copyBody(w, b.stream)
		if cerr := b.closeStream(err); err == nil {
			err = cerr
		}
		return err
	}
	_, err := w.Write(b.bytes())
	return err
}

// bodyWriter appends what is written to a messageBody.
type bodyWriter struct{ b *messageBody }

func (w bodyWriter) Write(p []byte) (int, error) {
	w.b.dropStream()
	w.b.append(p)
	return len(p), nil
}
