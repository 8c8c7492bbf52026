package fasthttp

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"sync"
)

// StreamWriter produces a body by writing to w. It must return as soon as
// a write to w fails. What it writes is buffered: w.Flush sends it on at
// once.
type StreamWriter func(w *bufio.Writer)

// ReadCloserWithError is a body stream that can be closed with the error
// that made the caller stop reading it, so that its producer can tell a
// complete read from an abandoned one. Body streams are closed this way
// (with nil after a complete write) when they implement it.
type ReadCloserWithError interface {
	io.Reader
	CloseWithError(err error) error
}

// BodyWriterTo lets a body stream say whether it may be consumed through
// its WriteTo instead of Read. When SupportsBodyWriteTo returns true, a
// chunked body is framed from the writes WriteTo makes; when it returns
// false, Read is used. Return true only when WriteTo behaves exactly like
// reading the stream, side effects included.
type BodyWriterTo interface {
	io.WriterTo
	SupportsBodyWriteTo() bool
}

// NewStreamReader returns a reader of what sw writes. sw runs in its own
// goroutine, each Write waiting for the reader. Close the reader when done
// with it: that makes sw's further writes fail and waits for it to return.
func NewStreamReader(sw StreamWriter) io.ReadCloser {
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

type pipeStreamReader struct {
	pr   *io.PipeReader
	done chan struct{}
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

var errBodyStreamClosed = errors.New("fasthttp: body stream closed")

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

// Bounded stream: a fixed number of blocks travel from the writer to the
// reader, so a writer faster than its reader holds at most
// boundedStreamBlocks+1 blocks of boundedStreamBlockSize bytes.
const (
	boundedStreamBlockSize = 32 << 10
	boundedStreamBlocks    = 4
)

var boundedBlockPool = sync.Pool{New: func() any {
	b := make([]byte, 0, boundedStreamBlockSize)
	return &b
}}

// NewBoundedStreamReader is NewStreamReader with bounded memory: sw writes
// through a 32 KiB buffer into a queue of at most four 32 KiB blocks, and
// its writes and flushes wait while the queue is full. The reader also
// implements BodyWriterTo, so a response body set from it with
// SetBodyStream(r, -1) is written block by block without another copy.
// Close it when done with it.
func NewBoundedStreamReader(sw StreamWriter) io.ReadCloser {
	r := &boundedStreamReader{
		blocks: make(chan *[]byte, boundedStreamBlocks),
		closed: make(chan struct{}),
		done:   make(chan struct{}),
	}
	go func() {
		defer close(r.done)
		bw := bufio.NewWriterSize(boundedSink{r}, boundedStreamBlockSize)
		err := runStreamWriter(sw, bw)
		if err == nil {
			err = bw.Flush()
		}
		r.werr = err
		close(r.blocks)
	}()
	return r
}

type boundedStreamReader struct {
	blocks    chan *[]byte
	closed    chan struct{} // closed by Close: the writer must stop
	done      chan struct{} // closed when the writer goroutine returns
	werr      error         // the writer's error, read after blocks closes
	cur       *[]byte
	off       int
	closeOnce sync.Once
}

// boundedSink queues what the writer's bufio.Writer flushes.
type boundedSink struct{ r *boundedStreamReader }

func (s boundedSink) Write(p []byte) (int, error) {
	written := 0
	for len(p) > 0 {
		b := boundedBlockPool.Get().(*[]byte)
		n := min(len(p), boundedStreamBlockSize)
		*b = append((*b)[:0], p[:n]...)
		select {
		case s.r.blocks <- b:
		case <-s.r.closed:
			boundedBlockPool.Put(b)
			return written, errBodyStreamClosed
		}
		written += n
		p = p[n:]
	}
	return written, nil
}

func (r *boundedStreamReader) next() error {
	if r.cur != nil {
		boundedBlockPool.Put(r.cur)
		r.cur = nil
	}
	b, ok := <-r.blocks
	if !ok {
		if r.werr != nil {
			return r.werr
		}
		return io.EOF
	}
	r.cur, r.off = b, 0
	return nil
}

func (r *boundedStreamReader) Read(p []byte) (int, error) {
	if r.cur == nil || r.off == len(*r.cur) {
		if err := r.next(); err != nil {
			return 0, err
		}
	}
	n := copy(p, (*r.cur)[r.off:])
	r.off += n
	return n, nil
}

// WriteTo writes every block to w as it arrives.
func (r *boundedStreamReader) WriteTo(w io.Writer) (int64, error) {
	var total int64
	for {
		if r.cur == nil || r.off == len(*r.cur) {
			if err := r.next(); err != nil {
				if errors.Is(err, io.EOF) {
					return total, nil
				}
				return total, err
			}
		}
		n, err := writeFull(w, (*r.cur)[r.off:])
		r.off += int(n)
		total += n
		if err != nil {
			return total, err
		}
	}
}

// SupportsBodyWriteTo reports true: WriteTo yields exactly what Read does.
func (r *boundedStreamReader) SupportsBodyWriteTo() bool { return true }

// Close makes the writer's further writes fail, waits for it to return and
// drops what it queued.
func (r *boundedStreamReader) Close() error {
	r.closeOnce.Do(func() { close(r.closed) })
	for b := range r.blocks {
		boundedBlockPool.Put(b)
	}
	<-r.done
	if r.cur != nil {
		boundedBlockPool.Put(r.cur)
		r.cur = nil
	}
	return nil
}

// requestStream reads a body straight from a connection: a request body
// for Server.StreamRequestBody, or a response body read with
// Response.StreamBody. It decodes chunked framing itself and stops at the
// end of the body, so the next message on the connection stays intact.
type requestStream struct {
	r         *bufio.Reader
	remaining int // bytes left in the body (fixed) or in the chunk
	mode      uint8
	started   bool // chunked: a chunk-size line was read
	done      bool
	err       error
	scratch   []byte
	chunks    chunkReader // chunked: the framing overhead so far
	// trailer, when set, receives the trailer fields of a chunked body.
	trailer interface{ ReadTrailer(*bufio.Reader) error }
}

// requestStream modes.
const (
	streamFixed uint8 = iota
	streamChunked
	streamUntilEOF
)

var requestStreamPool sync.Pool

// acquireRequestStream returns a stream of a body of contentLength bytes
// (-1: chunked, -2: until the connection closes) read from r.
func acquireRequestStream(r *bufio.Reader, contentLength, maxBodySize int) *requestStream {
	v := requestStreamPool.Get()
	var s *requestStream
	if v == nil {
		s = &requestStream{}
	} else {
		s = v.(*requestStream)
	}
	s.init(r, contentLength)
	return s
}

func (s *requestStream) init(r *bufio.Reader, contentLength int) {
	s.r = r
	s.remaining = 0
	s.started = false
	s.chunks = chunkReader{}
	s.err = nil
	s.trailer = nil
	switch {
	case contentLength >= 0:
		s.mode = streamFixed
		s.remaining = contentLength
	case contentLength == -1:
		s.mode = streamChunked
	default:
		s.mode = streamUntilEOF
	}
	s.done = contentLength == 0
}

func (s *requestStream) Read(p []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	if s.done {
		return 0, io.EOF
	}
	if len(p) == 0 {
		return 0, nil
	}
	if s.mode == streamUntilEOF {
		n, err := s.r.Read(p)
		if err != nil {
			if errors.Is(err, io.EOF) {
				s.done = true
			} else {
				s.err = err
			}
		}
		return n, err
	}
	if s.mode == streamChunked && s.remaining == 0 {
		if err := s.nextChunk(); err != nil {
			return 0, err
		}
		if s.done {
			return 0, io.EOF
		}
	}
	if len(p) > s.remaining {
		p = p[:s.remaining]
	}
	n, err := s.r.Read(p)
	s.remaining -= n
	if s.mode == streamFixed && s.remaining == 0 {
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

// nextChunk reads the CRLF ending the previous chunk and the next
// chunk-size line; after the last chunk it reads the trailer section.
func (s *requestStream) nextChunk() error {
	if s.started {
		if err := readCRLF(s.r); err != nil {
			s.err = err
			return err
		}
	}
	n, err := s.chunks.next(s.r, &s.scratch)
	if err != nil {
		s.err = err
		return err
	}
	s.started = true
	if n == 0 {
		if s.trailer != nil {
			err = s.trailer.ReadTrailer(s.r)
		} else {
			_, err = readTrailerFields(s.r, nil, false)
		}
		if err != nil {
			s.err = err
			return err
		}
		s.done = true
		return nil
	}
	s.remaining = n
	return nil
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

// Close stops the stream without draining it: later reads fail. Whoever
// owns the connection decides whether it can be reused (see complete).
func (s *requestStream) Close() error {
	return s.CloseWithError(nil)
}

// CloseWithError is Close; err, when set, is what later reads return.
func (s *requestStream) CloseWithError(err error) error {
	if s.err == nil && !s.done {
		if err == nil {
			err = errBodyStreamClosed
		}
		s.err = err
	}
	return nil
}

func releaseRequestStream(s *requestStream) {
	s.r = nil
	s.trailer = nil
	requestStreamPool.Put(s)
}
