package stackless

import (
	"errors"
	"io"

	"github.com/valyala/bytebufferpool"
)

// Writer is the interface of the writers NewWriter wraps and returns, such
// as compress/gzip's *Writer.
type Writer interface {
	Write(p []byte) (int, error)
	Flush() error
	Close() error
	Reset(w io.Writer)
}

// NewWriterFunc returns a Writer that writes to w.
type NewWriterFunc func(w io.Writer) Writer

// NewWriter returns a Writer that runs the methods of the writer made by
// newWriter on the goroutines of a stackless function (see NewFunc), and
// copies what it produces to dstW on the calling goroutine. Wrap writers
// with deep stacks, typically compressors, in it when many goroutines use
// them at once. I/O to dstW never happens on the shared goroutines.
func NewWriter(dstW io.Writer, newWriter NewWriterFunc) Writer {
	w := &writer{dstW: dstW}
	w.zw = newWriter(&w.out)
	return w
}

type writer struct {
	dstW io.Writer
	zw   Writer
	// out collects what zw produces during one operation.
	out bytebufferpool.ByteBuffer

	// The operation for the shared goroutine, and its results.
	op  op
	p   []byte
	n   int
	err error
}

type op int

const (
	opWrite op = iota
	opFlush
	opClose
)

// Write compresses (or otherwise transforms) p and writes the result to
// the destination.
func (w *writer) Write(p []byte) (int, error) {
	w.p = p
	err := w.do(opWrite)
	w.p = nil
	return w.n, err
}

// Flush flushes the wrapped writer and writes what it produced.
func (w *writer) Flush() error { return w.do(opFlush) }

// Close closes the wrapped writer and writes what it produced. The
// destination is not closed.
func (w *writer) Close() error { return w.do(opClose) }

// Reset discards the state of the writer and makes it write to dstW.
func (w *writer) Reset(dstW io.Writer) {
	w.out.Reset()
	w.zw.Reset(&w.out)
	w.dstW = dstW
}

func (w *writer) do(o op) error {
	w.op = o
	if !runWriterOp(w) {
		// The shared goroutines are saturated: run it here rather than
		// fail.
		w.run()
	}
	err := w.err
	if w.out.Len() > 0 {
		_, werr := w.dstW.Write(w.out.B)
		w.out.Reset()
		if err == nil {
			err = werr
		}
	}
	return err
}

// run performs the pending operation; it executes on a shared goroutine.
func (w *writer) run() {
	switch w.op {
	case opWrite:
		w.n, w.err = w.zw.Write(w.p)
	case opFlush:
		w.err = w.zw.Flush()
	case opClose:
		w.err = w.zw.Close()
	default:
		w.err = errUnknownOp
	}
}

var errUnknownOp = errors.New("stackless: unknown writer operation")

var runWriterOp = NewFunc(func(ctx any) { ctx.(*writer).run() })
