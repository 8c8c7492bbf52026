package fasthttp

import (
	"bufio"
	"errors"
	"io"
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

// writeChunk writes one chunk: size in hex, CRLF, data, CRLF.
func writeChunk(w *bufio.Writer, b []byte) error {
	if len(b) == 0 {
		return nil
	}
	var buf [20]byte
	n := len(buf)
	for v := len(b); ; v >>= 4 {
		n--
		buf[n] = lowerHex[v&0xf]
		if v < 16 {
			break
		}
	}
	if _, err := w.Write(buf[n:]); err != nil {
		return err
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

// writeBodyChunked copies r to w as a chunked body, flushing after each
// chunk so that the peer sees data as soon as the source yields it, and
// ends with the last chunk and the trailer section.
func writeBodyChunked(w *bufio.Writer, r io.Reader, trailer []byte) error {
	buf := copyBufPool.Get().(*[]byte)
	defer copyBufPool.Put(buf)
	for {
		n, err := r.Read(*buf)
		if n > 0 {
			if werr := writeChunk(w, (*buf)[:n]); werr != nil {
				return werr
			}
			if werr := w.Flush(); werr != nil {
				return werr
			}
		}
		if err != nil {
			if !errors.Is(err, io.EOF) {
				return err
			}
			break
		}
	}
	if _, err := w.WriteString("0\r\n"); err != nil {
		return err
	}
	if len(trailer) == 0 {
		trailer = strCRLF
	}
	_, err := w.Write(trailer)
	return err
}

// writeBodyFixedSize copies exactly size bytes of r to w.
func writeBodyFixedSize(w *bufio.Writer, r io.Reader, size int64) error {
	n, err := io.CopyN(w, r, size)
	if err == nil && n != size {
		err = io.ErrShortWrite
	}
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	return err
}
