package fasthttp

import (
	"bufio"
	"errors"
	"io"
	"sync"
)

// Streamed bodies are compressed as they are sent, never buffered whole.
// Each piece the source yields is flushed through the encoder, so a slow
// stream (server-sent events, progress output) reaches the client as
// promptly compressed as it would uncompressed.

// compressReader reads src and yields its encoding.
type compressReader struct {
	src   io.Reader
	c     coding
	level int
	zw    compressor
	sink  byteSliceWriter // what zw produced and Read has not returned yet
	off   int
	in    *[]byte
	done  bool
	err   error
}

var compressReaderPool sync.Pool

func acquireCompressReader(src io.Reader, c coding, level int) *compressReader {
	r, _ := compressReaderPool.Get().(*compressReader)
	if r == nil {
		r = &compressReader{}
	}
	r.src = src
	r.c = c
	r.level = level
	r.zw = acquireCompressor(c, &r.sink, level)
	r.in = copyBufPool.Get().(*[]byte)
	return r
}

func (r *compressReader) Read(p []byte) (int, error) {
	for r.off == len(r.sink.b) {
		if r.err != nil {
			return 0, r.err
		}
		if r.done || r.zw == nil {
			return 0, io.EOF
		}
		r.sink.b = r.sink.b[:0]
		r.off = 0
		n, err := r.src.Read(*r.in)
		if n > 0 {
			if _, werr := r.zw.Write((*r.in)[:n]); werr != nil {
				r.err = werr
				continue
			}
		}
		switch {
		case errors.Is(err, io.EOF):
			r.done = true
			if cerr := r.zw.Close(); cerr != nil {
				r.err = cerr
			}
		case err != nil:
			r.err = err
		case n > 0:
			if ferr := r.zw.Flush(); ferr != nil {
				r.err = ferr
			}
		}
	}
	n := copy(p, r.sink.b[r.off:])
	r.off += n
	return n, nil
}

// Close closes the source, when it is an io.Closer, and recycles r.
func (r *compressReader) Close() error {
	if r.zw == nil {
		return nil
	}
	var err error
	if c, ok := r.src.(io.Closer); ok {
		err = c.Close()
	}
	releaseCompressor(r.c, r.level, r.zw)
	copyBufPool.Put(r.in)
	r.zw = nil
	r.in = nil
	r.src = nil
	r.sink.b = r.sink.b[:0]
	r.off = 0
	r.done = false
	r.err = nil
	compressReaderPool.Put(r)
	return err
}

// compressStreamWriter runs a StreamWriter whose output is encoded on the
// way to the connection. Every flush of the user's writer flushes the
// encoder and the connection, keeping StreamWriter's promise that Flush
// sends data at once.
type compressStreamWriter struct {
	sw    StreamWriter
	c     coding
	level int
	run   StreamWriter // s.write as a value, made once per pooled object
	dst   *bufio.Writer
	zw    compressor
	bw    *bufio.Writer
}

var compressStreamWriterPool sync.Pool

// streamCompressBufSize is the user-side buffer: larger pieces between
// encoder flushes compress better.
const streamCompressBufSize = 8 << 10

func newCompressStreamWriter(sw StreamWriter, c coding, level int) StreamWriter {
	s, _ := compressStreamWriterPool.Get().(*compressStreamWriter)
	if s == nil {
		s = &compressStreamWriter{}
		s.run = s.write
		s.bw = bufio.NewWriterSize(compressStreamSink{s}, streamCompressBufSize)
	}
	s.sw = sw
	s.c = c
	s.level = level
	return s.run
}

func (s *compressStreamWriter) write(w *bufio.Writer) {
	sw := s.sw
	s.sw = nil
	s.dst = w
	s.zw = acquireCompressor(s.c, w, s.level)
	s.bw.Reset(compressStreamSink{s})
	sw(s.bw)
	_ = s.bw.Flush()
	_ = s.zw.Close()
	releaseCompressor(s.c, s.level, s.zw)
	s.zw = nil
	s.dst = nil
	compressStreamWriterPool.Put(s)
}

// compressStreamSink receives the user's flushed bytes.
type compressStreamSink struct{ s *compressStreamWriter }

func (k compressStreamSink) Write(p []byte) (int, error) {
	s := k.s
	n, err := s.zw.Write(p)
	if err != nil {
		return n, err
	}
	if err = s.zw.Flush(); err != nil {
		return n, err
	}
	return n, s.dst.Flush()
}
