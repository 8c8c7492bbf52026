package fasthttp

import (
	"bufio"
	"errors"
	"io"
	"net"
	"syscall"
	"time"
)

// RoundTripper sends one request and reads its response for a HostClient.
// Set HostClient.Transport or Client.Transport to wrap or replace the
// built-in HTTP/1.1 transport. A custom transport gets connections with
// hc.AcquireConn and gives them back with hc.ReleaseConn or hc.CloseConn;
// the time left for the request is req.GetTimeOut() (0: none).
type RoundTripper interface {
	// RoundTrip sends req through hc and reads the answer into resp. retry
	// reports that the request may be sent again because it failed before
	// the server could have acted on it.
	RoundTrip(hc *HostClient, req *Request, resp *Response) (retry bool, err error)
}

// DefaultTransport is the built-in HTTP/1.1 transport over hc's pooled
// keep-alive connections.
var DefaultTransport RoundTripper = &transport{}

type transport struct{}

// RoundTrip sends req over a pooled connection of hc.
func (t *transport) RoundTrip(hc *HostClient, req *Request, resp *Response) (retry bool, err error) {
	retry, _, err = hc.doDefault(req, resp)
	return retry, err
}

// doDefault is one attempt of the built-in transport. The connection goes
// back to the pool only when the response was read completely, both sides
// allow keep-alive and no stray byte follows the response.
func (hc *HostClient) doDefault(req *Request, resp *Response) (retry bool, upstream string, err error) {
	// One clock reading serves the pool, the use record and the write
	// deadline: reading the clock is not free on every platform.
	now := time.Now()
	hc.lastUseTime.Store(now.UnixNano())
	var deadline time.Time
	if req.timeout > 0 {
		deadline = now.Add(req.timeout)
	}
	if err = hc.prepareRequest(req); err != nil {
		return false, "", err
	}
	cc, err := hc.acquireConn(now, deadline, req.ConnectionClose())
	if err != nil {
		req.targetReady = false // the URI may change before another Write
		var de *ErrDialWithUpstream
		if errors.As(err, &de) {
			upstream = de.Upstream
		}
		return false, upstream, err
	}
	upstream = cc.upstream
	conn := cc.c

	if hc.WriteTimeout > 0 {
		now = time.Now() // waiting for or dialing the connection took time
	}
	if err = cc.setDeadline(conn.SetWriteDeadline, phaseDeadline(now, deadline, hc.WriteTimeout)); err != nil {
		req.targetReady = false
		hc.closeConn(cc)
		return true, upstream, err
	}
	bw := hc.AcquireWriter(conn)
	err = req.Write(bw)
	if err == nil {
		err = bw.Flush()
	}
	hc.ReleaseWriter(bw)
	if err != nil {
		hc.closeConn(cc)
		if isTimeoutErr(err) {
			return false, upstream, ErrTimeout
		}
		// Nothing was answered: the request may be sent again.
		return true, upstream, err
	}

	var readDeadline time.Time
	if !deadline.IsZero() || hc.ReadTimeout > 0 {
		now = time.Now()
		readDeadline = phaseDeadline(now, deadline, hc.ReadTimeout)
	}
	if err = cc.setDeadline(conn.SetReadDeadline, readDeadline); err != nil {
		hc.closeConn(cc)
		return true, upstream, err
	}
	if hc.DisableHeaderNamesNormalizing {
		resp.Header.DisableNormalizing()
	}
	br := hc.AcquireReader(conn)
	bodyLen, reuse, retry, err := readClientResponseHeader(resp, br, req, hc.MaxResponseBodySize)
	if err != nil {
		hc.ReleaseReader(br)
		hc.closeConn(cc)
		return retry, upstream, err
	}
	resp.ParseNetConn(conn)
	if bodyLen == clientNoBody {
		hc.finishResponse(cc, br, reuse, now)
		return false, upstream, nil
	}
	if hc.StreamResponseBody || resp.StreamBody {
		resp.bodyStream = newClientBodyStream(hc, cc, br, bodyLen, reuse)
		return false, upstream, nil
	}
	if err = readClientBody(resp, br, bodyLen, hc.MaxResponseBodySize); err != nil {
		hc.ReleaseReader(br)
		hc.closeConn(cc)
		return false, upstream, err
	}
	hc.finishResponse(cc, br, reuse, now)
	return false, upstream, nil
}

// clientNoBody is the body length of a response that has no body to read.
const clientNoBody = -3

// readClientResponseHeader reads the header of the response to req, which
// must fit in the read buffer (HostClient.ReadBufferSize bounds it, as
// upstream's does), and works out its body: bodyLen is clientNoBody when there is none to read,
// else the Content-Length, -1 for chunked or -2 for until-close framing.
// reuse reports whether the connection may carry another request once the
// body is read; retry whether a failed request may be sent again.
func readClientResponseHeader(resp *Response, br *bufio.Reader, req *Request, maxBodySize int) (bodyLen int, reuse, retry bool, err error) {
	// The body buffer stays: the body is read into it next, and handing it
	// to the pool in between would only churn the pool's size statistics.
	resp.bodyReset(true, 0)
	resp.laddr, resp.raddr = nil, nil
	if err = resp.Header.readLimited(br, br.Size()); err != nil {
		retry, err = classifyHeaderErr(err)
		return 0, false, retry, err
	}
	reuse = !req.ConnectionClose() && !resp.ConnectionClose() &&
		resp.Header.StatusCode() != StatusSwitchingProtocols
	if req.Header.IsHead() || resp.Header.mustSkipContentLength() {
		return clientNoBody, reuse, false, nil
	}
	bodyLen = resp.Header.ContentLength()
	if resp.SkipBody {
		// The caller does not want the body, but it is on the wire: the
		// connection can only carry another request if the body is empty.
		return clientNoBody, reuse && bodyLen == 0, false, nil
	}
	if bodyLen == -2 {
		// Framed by closing the connection: it cannot carry another.
		reuse = false
	}
	if bodyLen > 0 && maxBodySize > 0 && bodyLen > maxBodySize {
		return bodyLen, false, false, ErrBodyTooLarge
	}
	return bodyLen, reuse, false, nil
}

// finishResponse gives the connection of a completely read response back
// to the pool, or closes it when it cannot carry another request.
//
// now is the caller's latest clock reading: it becomes the connection's
// last use. Reading the clock again here would cost as much as the rest of
// the pool's work (it is slow on some virtual machines); a connection
// released after a request longer than MaxIdleConnDuration may then be
// replaced sooner than it had to be, which only costs a dial.
func (hc *HostClient) finishResponse(cc *clientConn, br *bufio.Reader, reuse bool, now time.Time) {
	if br.Buffered() > 0 {
		// Bytes the server sent past the response: the connection is out
		// of step and must not be reused.
		reuse = false
	}
	hc.ReleaseReader(br)
	if reuse {
		hc.releaseConn(cc, now)
	} else {
		hc.closeConn(cc)
	}
}

// readClientBody reads a response body framed as cl says (-1: chunked, -2:
// until the connection closes) into resp, with its trailer.
func readClientBody(resp *Response, br *bufio.Reader, cl, maxBodySize int) error {
	bb := resp.bodyBuffer()
	var err error
	switch {
	case cl >= 0:
		bb.B, err = appendBodyFixedSize(br, bb.B[:0], cl)
	case cl == -1:
		bb.B, err = appendBodyChunked(br, bb.B[:0], maxBodySize, &resp.scratch)
		if err == nil {
			if err = resp.Header.ReadTrailer(br); err != nil && !isTimeoutErr(err) {
				err = &clientReadError{phase: ErrReadingResponseTrailer, cause: err}
			}
		}
	default:
		bb.B, err = appendBodyUntilEOF(br, bb.B[:0], maxBodySize)
		resp.Header.SetContentLength(len(bb.B))
	}
	if err != nil && isTimeoutErr(err) {
		err = ErrTimeout
	}
	return err
}

// phaseDeadline is the deadline of one phase (write or read): the
// request's deadline or now+phaseTimeout, whichever comes first.
func phaseDeadline(now, deadline time.Time, phaseTimeout time.Duration) time.Time {
	if phaseTimeout <= 0 {
		return deadline
	}
	d := now.Add(phaseTimeout)
	if deadline.IsZero() || d.Before(deadline) {
		return d
	}
	return deadline
}

// setDeadline sets a read or write deadline on the connection, skipping the
// call when there is none to set and none to clear.
func (cc *clientConn) setDeadline(set func(time.Time) error, t time.Time) error {
	if t.IsZero() {
		if !cc.deadlineSet {
			return nil
		}
	} else {
		cc.deadlineSet = true
	}
	return set(t)
}

// classifyHeaderErr turns a failure to read a response header into what
// the caller sees, and says whether the request may be sent again.
func classifyHeaderErr(err error) (bool, error) {
	if isTimeoutErr(err) {
		return false, ErrTimeout
	}
	var nr ErrNothingRead
	if errors.Is(err, io.EOF) || (errors.As(err, &nr) && isConnResetErr(nr.error)) {
		// The server closed the connection before answering: typically a
		// keep-alive connection it had already given up on.
		return true, ErrConnectionClosed
	}
	// No byte of an answer arrived: the request may go again, if the
	// retry policy (RetryIf, idempotency) agrees.
	return errors.As(err, &nr), &clientReadError{phase: ErrReadingResponseHeaders, cause: err}
}

func isTimeoutErr(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

func isConnResetErr(err error) bool {
	return errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNABORTED) ||
		errors.Is(err, syscall.EPIPE) || errors.Is(err, net.ErrClosed)
}
