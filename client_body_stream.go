package fasthttp

import (
	"bufio"
	"errors"
	"io"
	"time"
)

// clientBodyStream is a response body read straight from the connection,
// for StreamResponseBody. It owns the connection until the body ends: read
// to its end, the connection returns to the pool; closed early, it is
// closed, since the rest of the body would still be in the way.
type clientBodyStream struct {
	hc       *HostClient
	cc       *clientConn
	br       *bufio.Reader
	rs       *requestStream // decodes fixed and chunked framing; nil: until EOF
	reuse    bool
	max      int
	received int
	err      error
}

func newClientBodyStream(hc *HostClient, cc *clientConn, br *bufio.Reader, contentLength int, reuse bool) *clientBodyStream {
	s := &clientBodyStream{hc: hc, cc: cc, br: br, reuse: reuse, max: hc.MaxResponseBodySize}
	if contentLength != -2 {
		s.rs = acquireRequestStream(br, contentLength, 0)
	}
	return s
}

// Read reads body bytes. It returns io.EOF at the end of the body,
// ErrBodyTooLarge past MaxResponseBodySize and ErrTimeout when the
// connection's deadline passes.
func (s *clientBodyStream) Read(p []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	if s.max > 0 && len(p) > s.max-s.received+1 {
		// Read at most one byte past the limit: enough to detect it.
		p = p[:s.max-s.received+1]
	}
	var n int
	var err error
	if s.rs != nil {
		n, err = s.rs.Read(p)
	} else {
		n, err = s.br.Read(p)
	}
	s.received += n
	if s.max > 0 && s.received > s.max {
		n -= s.received - s.max
		s.finish(false)
		s.err = ErrBodyTooLarge
		return n, s.err
	}
	if err != nil {
		if errors.Is(err, io.EOF) {
			// The end of the body; for until-EOF framing the connection is
			// spent anyway.
			s.finish(s.rs != nil)
			s.err = io.EOF
		} else {
			s.finish(false)
			s.err = err
			if isTimeoutErr(err) {
				s.err = ErrTimeout
			}
		}
		return n, s.err
	}
	if s.rs != nil && s.rs.done {
		s.finish(true)
		s.err = io.EOF
		if n > 0 {
			return n, nil
		}
		return 0, io.EOF
	}
	return n, nil
}

// Close ends the stream. Unless the body was read to its end, the
// connection is closed.
func (s *clientBodyStream) Close() error {
	if s.cc != nil {
		s.finish(false)
	}
	if s.err == nil {
		s.err = errBodyStreamClosed
	}
	return nil
}

// finish hands the connection back (complete: to the pool when reusable)
// and drops every reference to it.
func (s *clientBodyStream) finish(complete bool) {
	if s.cc == nil {
		return
	}
	if s.rs != nil {
		releaseRequestStream(s.rs)
		s.rs = nil
	}
	if complete {
		s.hc.finishResponse(s.cc, s.br, s.reuse, time.Now())
	} else {
		s.hc.ReleaseReader(s.br)
		s.hc.closeConn(s.cc)
	}
	s.cc = nil
	s.br = nil
}
