package fasthttp

import (
	"bufio"
	"io"

	"github.com/valyala/bytebufferpool"
)

// messageBody is the body of a Request or a Response, whichever way it is
// held: a pooled buffer, a caller's slice (SetBodyRaw) or a stream. The
// exported body methods of both types are thin wrappers around it, so the
// rules live in one place.
//
// Request and Response embed it, so the fields read as req.body,
// req.bodyRaw and req.bodyStream.
type messageBody struct {
	body             *bytebufferpool.ByteBuffer
	bodyRaw          []byte // when non-nil, the body: the caller's slice, not owned
	bodyStream       io.Reader
	bodyStreamWriter StreamWriter // run when the message is written
}

// isBodyStream reports whether the body is a stream or a StreamWriter.
func (b *messageBody) isBodyStream() bool {
	return b.bodyStream != nil || b.bodyStreamWriter != nil
}

// startStreamWriter turns a pending StreamWriter into a readable stream,
// for callers that want the body outside of a write.
func (b *messageBody) startStreamWriter() {
	if sw := b.bodyStreamWriter; sw != nil {
		b.bodyStreamWriter = nil
		b.bodyStream = NewStreamReader(sw)
	}
}

// bodySetStreamWriter makes sw, run when the message is written, the body.
func (b *messageBody) bodySetStreamWriter(sw StreamWriter) {
	b.bodySetStream(nil)
	b.bodyStreamWriter = sw
}

// bodyBytes returns the body without reading a stream.
func (b *messageBody) bodyBytes() []byte {
	if b.bodyRaw != nil {
		return b.bodyRaw
	}
	if b.body == nil {
		return nil
	}
	return b.body.B
}

// bodyBuffer returns the owned body buffer, acquiring one when needed. A raw
// body is copied in first, so that appends extend it.
func (b *messageBody) bodyBuffer() *bytebufferpool.ByteBuffer {
	if b.body == nil {
		b.body = acquireBodyBuffer()
	}
	if b.bodyRaw != nil {
		b.body.B = append(b.body.B[:0], b.bodyRaw...)
		b.bodyRaw = nil
	}
	return b.body
}

// bodySet replaces the body with a copy of p.
func (b *messageBody) bodySet(p []byte) {
	b.dropBodyStream()
	b.bodyRaw = nil
	bb := b.bodyBuffer()
	bb.B = append(bb.B[:0], p...)
}

// bodySetRaw makes p the body without copying it.
func (b *messageBody) bodySetRaw(p []byte) {
	b.dropBodyStream()
	if b.body != nil {
		b.body.B = b.body.B[:0]
	}
	if p == nil {
		p = []byte{} // non-nil: the raw body is set, and empty
	}
	b.bodyRaw = p
}

// bodyAppend adds p to the end of the body.
func (b *messageBody) bodyAppend(p []byte) {
	bb := b.bodyBuffer()
	bb.B = append(bb.B, p...)
}

// bodySetStream makes r the body.
func (b *messageBody) bodySetStream(r io.Reader) {
	b.dropBodyStream()
	b.bodyRaw = nil
	if b.body != nil {
		b.body.B = b.body.B[:0]
	}
	b.bodyStream = r
}

// bodyReadStream reads a stream body into the buffer and closes the stream.
// On a read error the error text becomes the body, as upstream does, and
// the error is returned.
func (b *messageBody) bodyReadStream() error {
	b.startStreamWriter()
	if b.bodyStream == nil {
		return nil
	}
	bb := b.bodyBuffer()
	bb.B = bb.B[:0]
	_, err := bb.ReadFrom(b.bodyStream)
	b.closeBodyStreamErr(err)
	if err != nil {
		bb.B = append(bb.B[:0], err.Error()...)
	}
	return err
}

// bodySwap makes p the body and returns the previous body, read from its
// stream first when there is one.
func (b *messageBody) bodySwap(p []byte) []byte {
	_ = b.bodyReadStream()
	var old []byte
	if b.bodyRaw != nil {
		old = b.bodyRaw
		b.bodyRaw = nil
	}
	bb := b.bodyBuffer()
	if old == nil {
		old = bb.B
	}
	bb.B = p
	return old
}

// closeBodyStreamErr closes the stream, passing err to a
// ReadCloserWithError so that its producer learns why reading stopped, and
// forgets it.
func (b *messageBody) closeBodyStreamErr(err error) error {
	b.bodyStreamWriter = nil
	s := b.bodyStream
	if s == nil {
		return nil
	}
	b.bodyStream = nil
	switch c := s.(type) {
	case ReadCloserWithError:
		return c.CloseWithError(err)
	case io.Closer:
		return c.Close()
	}
	return nil
}

// dropBodyStream closes the stream, if any, ignoring errors.
func (b *messageBody) dropBodyStream() {
	_ = b.closeBodyStreamErr(nil)
}

// bodyReset empties the body. The buffer is kept when keep is set, else it
// goes back to the pool unless it is larger than limit (0: no limit).
func (b *messageBody) bodyReset(keep bool, limit int64) {
	b.dropBodyStream()
	b.bodyRaw = nil
	if b.body == nil {
		return
	}
	if keep {
		b.body.B = b.body.B[:0]
		return
	}
	putBodyBuffer(b.body, limit)
	b.body = nil
}

// bodyRelease returns the buffer to the pool when its capacity exceeds size,
// so that one large body does not stay pinned to a reused message.
func (b *messageBody) bodyRelease(size int, limit int64) {
	b.dropBodyStream()
	b.bodyRaw = nil
	if b.body == nil || cap(b.body.B) <= size {
		return
	}
	putBodyBuffer(b.body, limit)
	b.body = nil
}

// bodyWriteTo writes the body to w, consuming a stream or running a
// StreamWriter.
func (b *messageBody) bodyWriteTo(w io.Writer) error {
	if sw := b.bodyStreamWriter; sw != nil {
		b.bodyStreamWriter = nil
		bw := bufio.NewWriter(w)
		if err := runStreamWriter(sw, bw); err != nil {
			return err
		}
		return bw.Flush()
	}
	if b.bodyStream != nil {
		_, err := copyBody(w, b.bodyStream)
		if cerr := b.closeBodyStreamErr(err); err == nil {
			err = cerr
		}
		return err
	}
	_, err := writeFull(w, b.bodyBytes())
	return err
}

// bodyWriter appends what is written to a messageBody.
type bodyWriter struct{ b *messageBody }

func (w bodyWriter) Write(p []byte) (int, error) {
	w.b.dropBodyStream()
	w.b.bodyAppend(p)
	return len(p), nil
}
