package fasthttp

import (
	"bufio"
	"bytes"
	"errors"
	"io"
)

// This file is the chunked transfer coding (RFC 9112 §7.1), both ways.
// Reading, it keeps a sender honest about framing: a chunk-size line has a
// length limit, and what the lines cost beyond the data they carry is
// metered, so that extensions stay usable on real data but cannot make a
// peer parse megabytes of nothing.

const (
	// maxChunkLineBytes bounds one chunk-size line, extensions and CRLF
	// included (net/http's limit).
	maxChunkLineBytes = 4 << 10
	// maxChunkOverhead is how far the framing of a chunked body may run
	// ahead of its data before the body is refused.
	maxChunkOverhead = 16 << 10
	// chunkLineAllowance is the framing every chunk may spend for free on
	// top of twice its size: enough for "1\r\nx\r\n", one byte per chunk,
	// and for short extensions on any chunk.
	chunkLineAllowance = 16
	// maxChunkSize keeps chunk arithmetic far from overflow.
	maxChunkSize = 1<<62 - 1
)

// Chunk framing failures. Each is an ErrBrokenChunk to callers and a 400
// (with the connection closed) to the server.
var (
	errBadChunkSize     = ErrBrokenChunk{newProtocolError(StatusBadRequest, "invalid chunk size")}
	errChunkLineTooLong = ErrBrokenChunk{newProtocolError(StatusBadRequest, "chunk-size line too long")}
	errChunkOverhead    = ErrBrokenChunk{newProtocolError(StatusBadRequest, "chunked body spends too much on framing")}
	errBadChunkData     = ErrBrokenChunk{newProtocolError(StatusBadRequest, "chunk data not followed by CRLF")}
)

// chunkReader holds what reading one chunked body carries from chunk to
// chunk: the framing overhead not yet paid for. Each chunk-size line adds
// its length and the CRLF that will end its data; each chunk pays back
// chunkLineAllowance plus twice its size; the balance never drops below
// zero, and a balance past maxChunkOverhead ends the body. This is the
// accounting of net/http's chunked reader.
type chunkReader struct {
	overhead int
}

// next reads a chunk-size line and returns the size it announces (0 for
// the last chunk).
func (cr *chunkReader) next(r *bufio.Reader, scratch *[]byte) (int, error) {
	line, err := r.ReadSlice('\n')
	if err != nil || len(line) > maxChunkLineBytes {
		if line, err = readLongChunkLine(r, line, err, scratch); err != nil {
			return -1, err
		}
	}
	n, err := parseChunkSizeLine(line)
	if err != nil {
		return -1, err
	}
	// len(line) counts the line's own CRLF, which stands for the one
	// after the data.
	if cr.overhead += len(line) - chunkLineAllowance - 2*n; cr.overhead <= 0 {
		cr.overhead = 0
	} else if cr.overhead > maxChunkOverhead {
		return -1, errChunkOverhead
	}
	return n, nil
}

// readLongChunkLine finishes reading a chunk-size line that ReadSlice
// could not return whole (first and err are what it gave), gathering it in
// *scratch only until it proves longer than maxChunkLineBytes.
func readLongChunkLine(r *bufio.Reader, first []byte, err error, scratch *[]byte) ([]byte, error) {
	line := first
	if errors.Is(err, bufio.ErrBufferFull) {
		buf := append((*scratch)[:0], first...)
		for errors.Is(err, bufio.ErrBufferFull) && len(buf) <= maxChunkLineBytes {
			line, err = r.ReadSlice('\n')
			buf = append(buf, line...)
		}
		*scratch = buf
		line = buf
		if errors.Is(err, bufio.ErrBufferFull) {
			return nil, errChunkLineTooLong
		}
	}
	switch {
	case err == nil:
		if len(line) > maxChunkLineBytes {
			return nil, errChunkLineTooLong
		}
		return line, nil
	case errors.Is(err, io.EOF):
		return nil, errUnexpectedEOF
	}
	return nil, err
}

// parseChunkSizeLine reads "1*HEXDIG [BWS ; chunk-ext] CRLF" from a line
// ending in LF. Refused: a bare LF, no digits, a size past maxChunkSize,
// signs and "0x", whitespace not followed by an extension, and control
// bytes in an extension.
func parseChunkSizeLine(line []byte) (int, error) {
	end := len(line) - 2
	if end < 0 || line[end] != '\r' {
		return -1, errBadChunkSize
	}
	size, digits := 0, 0
	for ; digits < end; digits++ {
		v := int(hexValue[line[digits]])
		if v >= 16 {
			break
		}
		if size > (maxChunkSize-v)>>4 {
			return -1, errBadChunkSize
		}
		size = size<<4 | v
	}
	switch {
	case digits == 0:
		return -1, errBadChunkSize
	case digits == end:
		return size, nil
	}
	// BWS is allowed only before an extension.
	ext := trimLeftSPHT(line[digits:end])
	if len(ext) == 0 || ext[0] != ';' || controlIndex(ext) != len(ext) {
		return -1, errBadChunkSize
	}
	return size, nil
}

// trimLeftSPHT drops leading spaces and tabs.
func trimLeftSPHT(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t') {
		b = b[1:]
	}
	return b
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
	var cr chunkReader
	for {
		n, err := cr.next(r, scratch)
		if err != nil || n == 0 {
			return dst, err
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
