package stackless

import (
	"io"

	"github.com/valyala/bytebufferpool"
)

// NewWriterFunc returns a Writer that writes to w.
type NewWriterFunc func(w io.Writer) Writer

// Writer is the interface of the writers NewWriter wraps and returns, such
// as compress/gzip's *Writer.
type Writer interface {
	Write(p []byte) (int, error)
	Flush() error
	Close() error
	Reset(w io.Writer)
}

// NewWriter returns a Writer that runs the methods of the writer made by
// newWriter on the goroutines of a stackless function (see NewFunc), and
// copies what it produces to dstW on the calling goroutine. Wrap writers
// with deep stacks, typically compressors, in it when many goroutines use
// them at once. I/O to dstW never happens on the shared goroutines.
func NewWriter(dstW io.Writer, newWriter NewWriterFunc) Writer {
	sw := new(offloadedWriter)
	sw.dst = dstW
	sw.inner = newWriter(&sw.produced)
	return sw
}

// offloadedWriter is NewWriter's Writer. The inner writer only ever writes
// into produced, in memory, so that its calls can run on a shared
// goroutine; what it produced goes to dst afterwards, from the caller's.
type offloadedWriter struct {
	dst      io.Writer
	inner    Writer
	produced bytebufferpool.ByteBuffer
	job      innerCall
}

// innerCall is one call of the inner writer, handed to a shared goroutine
// with its results.
type innerCall struct {
	method method
	p      []byte
	n      int
	err    error
}

type method uint8

const (
	callWrite method = iota + 1
	callFlush
	callClose
)

// Write transforms p (compresses it, typically) and writes the result to
// the destination.
func (w *offloadedWriter) Write(p []byte) (int, error) {
	return w.call(callWrite, p)
}

// Flush flushes the inner writer and writes what it produced.
func (w *offloadedWriter) Flush() error {
	_, err := w.call(callFlush, nil)
	return err
}

// Close closes the inner writer and writes what it produced. The
// destination is not closed.
func (w *offloadedWriter) Close() error {
	_, err := w.call(callClose, nil)
	return err
}

// Reset discards the state of the writer and makes it write to dstW.
func (w *offloadedWriter) Reset(dstW io.Writer) {
	w.produced.Reset()
	w.inner.Reset(&w.produced)
	w.dst = dstW
}

// call runs one method of the inner writer on a shared goroutine (here,
// when they are all busy) and passes on its output.
func (w *offloadedWriter) call(m method, p []byte) (int, error) {
	w.job = innerCall{method: m, p: p}
	if !runInner(w) {
		w.runJob()
	}
	n, err := w.job.n, w.job.err
	w.job.p = nil
	if out := w.produced.B; len(out) > 0 {
		_, werr := w.dst.Write(out)
		w.produced.Reset()
		if err == nil {
			err = werr
		}
	}
	return n, err
}

// runJob performs w.job; it runs on a shared goroutine.
func (w *offloadedWriter) runJob() {
	j := &w.job
	switch j.method {
	case callWrite:
		j.n, j.err = w.inner.Write(j.p)
	case callFlush:
		j.err = w.inner.Flush()
	case callClose:
		j.err = w.inner.Close()
	}
}

var runInner = NewFunc(func(ctx any) { ctx.(*offloadedWriter).runJob() })
