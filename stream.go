package fasthttp

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"sync"
)

// StreamWriter produces a body by writing to w. Calling w.Flush sends what
// was written so far to the peer at once.
type StreamWriter func(w *bufio.Writer)

// NewStreamReader returns a reader of what sw writes. sw runs in its own
// goroutine; closing the reader makes its further writes fail.
func NewStreamReader(sw StreamWriter) io.ReadCloser {
	return newPipeStreamReader(sw)
}

// NewBoundedStreamReader is NewStreamReader; the pipe holds no data of its
// own, so sw never runs further ahead of the reader than its bufio buffer.
func NewBoundedStreamReader(sw StreamWriter) io.ReadCloser {
	return newPipeStreamReader(sw)
}

type pipeStreamReader struct {
	pr   *io.PipeReader
	done chan struct{}
}

func newPipeStreamReader(sw StreamWriter) *pipeStreamReader {
	pr, pw := io.Pipe()
	r := &pipeStreamReader{pr: pr, done: make(chan struct{})}
	go func() {
		defer close(r.done)
		bw := bufio.NewWriter(pw)
		err := runStreamWriter(sw, bw)
		if err == nil {
			err = bw.Flush()
		}
		_ = pw.CloseWithError(err)
	}()
	return r
}

// runStreamWriter calls sw, turning a panic into ErrBodyStreamWritePanic.
func runStreamWriter(sw StreamWriter, w *bufio.Writer) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = ErrBodyStreamWritePanic{error: fmt.Errorf("%v", r)}
		}
	}()
	sw(w)
	return nil
}

func (r *pipeStreamReader) Read(p []byte) (int, error) {
	return r.pr.Read(p)
}

// Close stops the stream and waits for the writer goroutine to return.
func (r *pipeStreamReader) Close() error {
	_ = r.pr.CloseWithError(errBodyStreamClosed)
	<-r.done
	return nil
}

// requestStream reads a request body straight from the connection, for
// Server.StreamRequestBody. It decodes chunked framing itself and stops at
// the end of the body, so the next request on the connection stays intact.
type requestStream struct {
	r         *bufio.Reader
	remaining int // bytes left in the body (fixed) or in the chunk
	chunked   bool
	started   bool // chunked: a chunk-size line was read
	done      bool
	err       error
	scratch   []byte
}

var requestStreamPool sync.Pool

func acquireRequestStream(r *bufio.Reader, contentLength, maxBodySize int) *requestStream {
	v := requestStreamPool.Get()
	var s *requestStream
	if v == nil {
		s = &requestStream{}
	} else {
		s = v.(*requestStream)
	}
	s.r = r
	s.chunked = contentLength < 0
	s.remaining = contentLength
	if s.chunked {
		s.remaining = 0
	}
	s.started = false
	s.done = contentLength == 0
	s.err = nil
	return s
}

func (s *requestStream) Read(p []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	if s.done {
		return 0, io.EOF
	}
	if s.chunked && s.remaining == 0 {
		if s.started {
			if err := readCRLF(s.r); err != nil {
				s.err = err
				return 0, err
			}
		}
		n, err := readChunkSize(s.r, &s.scratch)
		if err != nil {
			s.err = err
			return 0, err
		}
		s.started = true
		if n == 0 {
			if _, err := readTrailerFields(s.r, nil, false); err != nil {
				s.err = err
				return 0, err
			}
			s.done = true
			return 0, io.EOF
		}
		s.remaining = n
	}
	if len(p) > s.remaining {
		p = p[:s.remaining]
	}
	n, err := s.r.Read(p)
	s.remaining -= n
	if !s.chunked && s.remaining == 0 {
		s.done = true
	}
	if err != nil {
		if errors.Is(err, io.EOF) {
			err = errUnexpectedEOF
		}
		s.err = err
		return n, err
	}
	return n, nil
}

// complete reports whether the body was read to its end.
func (s *requestStream) complete() bool {
	return s.done && s.err == nil
}

// drain reads and drops the rest of the body, up to limit bytes, and
// reports whether the end was reached cleanly.
func (s *requestStream) drain(limit int) bool {
	buf := copyBufPool.Get().(*[]byte)
	defer copyBufPool.Put(buf)
	read := 0
	for !s.done && s.err == nil && read <= limit {
		n, _ := s.Read(*buf)
		read += n
	}
	return s.complete()
}

// Close marks the stream as finished without draining it.
func (s *requestStream) Close() error {
	return nil
}

func releaseRequestStream(s *requestStream) {
	s.r = nil
	requestStreamPool.Put(s)
}
