package fasthttp

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"sync"
)

// This file is the wire codec for message bodies (RFC 9112 §6-§7): fixed
// length, chunked, and until-close framing on the read side, and chunked
// encoding on the write side. Buffers grow with the bytes that actually
// arrive, never to a size a peer merely announced.

// bodyGrowStep is how much a body buffer grows at least when it is full.
const bodyGrowStep = 4 << 10

// growBody makes room for at least one more read in dst, bounded by want
// more bytes: capacity doubles with the data received.
func growBody(dst []byte, want int) []byte {
	if cap(dst)-len(dst) > 0 {
		return dst
	}
	add := cap(dst)
	if add < bodyGrowStep {
		add = bodyGrowStep
	}
	if add > want {
		add = want
	}
	n := make([]byte, len(dst), cap(dst)+add)
	copy(n, dst)
	return n
}

// appendBodyFixedSize reads exactly n body bytes from r and appends them to
// dst.
func appendBodyFixedSize(r *bufio.Reader, dst []byte, n int) ([]byte, error) {
	if n == 0 {
		return dst, nil
	}
	// Fast path: the whole body is already buffered.
	if r.Buffered() >= n {
		b, _ := r.Peek(n)
		dst = append(dst, b...)
		_, _ = r.Discard(n)
		return dst, nil
	}
	for n > 0 {
		dst = growBody(dst, n)
		free := dst[len(dst):cap(dst)]
		if len(free) > n {
			free = free[:n]
		}
		m, err := r.Read(free)
		dst = dst[:len(dst)+m]
		n -= m
		if err != nil {
			if n == 0 {
				return dst, nil
			}
			if errors.Is(err, io.EOF) {
				return dst, errUnexpectedEOF
			}
			return dst, err
		}
	}
	return dst, nil
}

// appendBodyUntilEOF reads r to its end (a response framed by closing the
// connection), appending to dst and failing past maxBodySize (0: no limit).
func appendBodyUntilEOF(r *bufio.Reader, dst []byte, maxBodySize int) ([]byte, error) {
	for {
		dst = growBody(dst, bodyGrowStep*16)
		m, err := r.Read(dst[len(dst):cap(dst)])
		dst = dst[:len(dst)+m]
		if maxBodySize > 0 && len(dst) > maxBodySize {
			return dst, ErrBodyTooLarge
		}
		if err != nil {
			if errors.Is(err, io.EOF) {
				return dst, nil
			}
			return dst, err
		}
	}
}

// errBodyStreamTooLong is returned when a body stream holds more bytes
// than the size it was set with.
var errBodyStreamTooLong = errors.New("fasthttp: body stream exceeds content-length")

// writeBodyFixedSize copies exactly size bytes of r to w. A stream that
// ends early or holds more is an error: the message would be misframed.
func writeBodyFixedSize(w *bufio.Writer, r io.Reader, size int64) error {
	// Pooled, as io.CopyN's LimitedReader and a probe byte would escape:
	// two allocations per streamed response (a file FS serves, say).
	lr := limitedReaderPool.Get().(*io.LimitedReader)
	lr.R, lr.N = r, size
	n, err := io.Copy(w, lr)
	lr.R = nil
	limitedReaderPool.Put(lr)
	if n < size {
		if err == nil || errors.Is(err, io.EOF) {
			err = fmt.Errorf("copied %d bytes from body stream instead of %d bytes", n, size)
		}
		return err
	}
	// The stream must end here; probe it for one more byte.
	buf := copyBufPool.Get().(*[]byte)
	defer copyBufPool.Put(buf)
	one := (*buf)[:1]
	for range 16 { // bounded: a reader may keep answering (0, nil)
		m, rerr := r.Read(one)
		if m > 0 {
			return errBodyStreamTooLong
		}
		if rerr != nil {
			if errors.Is(rerr, io.EOF) {
				return nil
			}
			return rerr
		}
	}
	return nil
}

var limitedReaderPool = sync.Pool{New: func() any { return new(io.LimitedReader) }}

// copyBody copies a body stream to w with a pooled buffer (WriterTo and
// ReaderFrom are used when the two sides offer them).
func copyBody(w io.Writer, r io.Reader) (int64, error) {
	buf := copyBufPool.Get().(*[]byte)
	n, err := io.CopyBuffer(w, r, *buf)
	copyBufPool.Put(buf)
	return n, err
}
