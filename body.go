package fasthttp

import (
	"bufio"
	"bytes"
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

// maxChunkLineBytes bounds a chunk-size line with its extensions.
const maxChunkLineBytes = 4 << 10

// readChunkSize reads a chunk-size line (RFC 9112 §7.1): 1*HEXDIG, then
// optional BWS and chunk extensions, then CRLF. Sizes that overflow, signs,
// "0x" prefixes, bare CR or LF and junk after the digits are refused.
func readChunkSize(r *bufio.Reader, scratch *[]byte) (int, error) {
	line, err := readRawLine(r, maxChunkLineBytes, scratch)
	if err != nil {
		return -1, err
	}
	if len(line) < 2 || line[len(line)-2] != '\r' {
		// Chunk lines must end in CRLF: a bare LF is refused.
		return -1, errBadChunkSize
	}
	line = line[:len(line)-2]
	n := 0
	i := 0
	for ; i < len(line); i++ {
		v := hexValue[line[i]]
		if v >= 16 {
			break
		}
		if n > (maxChunkSize-int(v))/16 {
			return -1, errBadChunkSize
		}
		n = n*16 + int(v)
	}
	if i == 0 {
		return -1, errBadChunkSize
	}
	rest := line[i:]
	if len(rest) > 0 {
		// BWS is allowed only before a chunk extension.
		j := 0
		for j < len(rest) && (rest[j] == ' ' || rest[j] == '\t') {
			j++
		}
		if j == len(rest) || rest[j] != ';' {
			return -1, errBadChunkSize
		}
		if !validChunkExt(rest[j:]) {
			return -1, errBadChunkSize
		}
	}
	return n, nil
}

// maxChunkSize keeps chunk arithmetic far from overflow.
const maxChunkSize = 1<<62 - 1

// validChunkExt checks chunk extensions loosely: no control bytes other
// than HTAB (so no bare CR or LF).
func validChunkExt(b []byte) bool {
	for _, c := range b {
		if (c < 0x20 && c != '\t') || c == 0x7f {
			return false
		}
	}
	return true
}

// readRawLine reads one line including its LF, at most max bytes.
func readRawLine(r *bufio.Reader, max int, scratch *[]byte) ([]byte, error) {
	line, err := r.ReadSlice('\n')
	if err == nil {
		if len(line) > max {
			return nil, errBadChunkSize
		}
		return line, nil
	}
	if errors.Is(err, bufio.ErrBufferFull) {
		b := append((*scratch)[:0], line...)
		for errors.Is(err, bufio.ErrBufferFull) && len(b) <= max {
			line, err = r.ReadSlice('\n')
			b = append(b, line...)
		}
		*scratch = b
		if err == nil && len(b) <= max {
			return b, nil
		}
		if err == nil || errors.Is(err, bufio.ErrBufferFull) {
			return nil, errBadChunkSize
		}
	}
	if errors.Is(err, io.EOF) {
		return nil, errUnexpectedEOF
	}
	return nil, err
}

// readCRLF consumes the CRLF that must follow chunk data.
func readCRLF(r *bufio.Reader) error {
	b, err := r.Peek(2)
	if err != nil {
		if errors.Is(err, io.EOF) {
			return errUnexpectedEOF
		}
		return err
	}
	if b[0] != '\r' || b[1] != '\n' {
		return errBadChunkData
	}
	_, _ = r.Discard(2)
	return nil
}

// appendBodyChunked decodes a chunked body from r into dst, failing past
// maxBodySize (0: no limit). The trailer section is left unread for the
// caller.
func appendBodyChunked(r *bufio.Reader, dst []byte, maxBodySize int, scratch *[]byte) ([]byte, error) {
	for {
		n, err := readChunkSize(r, scratch)
		if err != nil {
			return dst, err
		}
		if n == 0 {
			return dst, nil
		}
		if maxBodySize > 0 && len(dst)+n > maxBodySize {
			return dst, ErrBodyTooLarge
		}
		if dst, err = appendBodyFixedSize(r, dst, n); err != nil {
			return dst, err
		}
		if err = readCRLF(r); err != nil {
			return dst, err
		}
	}
}

// writeChunk writes one chunk: size in hex, CRLF, data, CRLF. An empty b
// writes nothing, since a zero-size chunk would end the body.
func writeChunk(w *bufio.Writer, b []byte) error {
	if len(b) == 0 {
		return nil
	}
	// The size goes out byte by byte: a local array passed to Write would
	// escape to the heap.
	shift := 0
	for v := len(b) >> 4; v > 0; v >>= 4 {
		shift += 4
	}
	for ; shift >= 0; shift -= 4 {
		if err := w.WriteByte(lowerHex[(len(b)>>shift)&0xf]); err != nil {
			return err
		}
	}
	if _, err := w.Write(strCRLF); err != nil {
		return err
	}
	if _, err := w.Write(b); err != nil {
		return err
	}
	_, err := w.Write(strCRLF)
	return err
}

// writeLastChunk ends a chunked body: the zero-size chunk and the trailer
// section, as TrailerHeader formats it (fields, then an empty line).
func writeLastChunk(w *bufio.Writer, trailer []byte) error {
	if _, err := w.WriteString("0\r\n"); err != nil {
		return err
	}
	if len(trailer) == 0 {
		trailer = strCRLF
	}
	_, err := w.Write(trailer)
	return err
}

// chunkWriter writes each Write as one chunk to w, flushing it to the peer
// when flush is set, so that streamed data is seen as soon as it is made.
type chunkWriter struct {
	w     *bufio.Writer
	flush bool
}

func (cw *chunkWriter) Write(p []byte) (int, error) {
	if err := writeChunk(cw.w, p); err != nil {
		return 0, err
	}
	if cw.flush {
		if err := cw.w.Flush(); err != nil {
			return 0, err
		}
	}
	return len(p), nil
}

// writeBodyChunked copies r to w as chunks, without the last chunk. Data
// is flushed after each chunk, so that a slow source reaches the peer as
// it comes. Streams that allow it (see BodyWriterTo) write themselves
// through WriteTo.
func writeBodyChunked(w *bufio.Writer, r io.Reader) error {
	if wt, ok := chunkedWriterTo(r); ok {
		// Its own variable: handing it to WriteTo moves it to the heap,
		// which the Read loop below need not pay for.
		wcw := &chunkWriter{w: w, flush: true}
		_, err := wt.WriteTo(wcw)
		return err
	}
	cw := chunkWriter{w: w, flush: true}
	buf := copyBufPool.Get().(*[]byte)
	defer copyBufPool.Put(buf)
	for {
		n, err := r.Read(*buf)
		if n > 0 {
			if _, werr := cw.Write((*buf)[:n]); werr != nil {
				return werr
			}
		}
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
	}
}

// chunkedWriterTo reports whether r may be framed through WriteTo: the
// in-memory readers of the standard library, and streams that opt in with
// BodyWriterTo. A WriteTo merely promoted from an embedded reader is not
// trusted, since it would bypass the embedding type's own Read.
func chunkedWriterTo(r io.Reader) (io.WriterTo, bool) {
	switch v := r.(type) {
	case *bytes.Reader:
		return v, true
	case *bytes.Buffer:
		return v, true
	case BodyWriterTo:
		return v, v.SupportsBodyWriteTo()
	}
	return nil, false
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
