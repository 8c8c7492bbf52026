package fasthttp

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"sync"
)

// Response is an HTTP response: its header and body.
//
// Response must not be copied by value; use CopyTo. It is not safe for
// concurrent use.
type Response struct {
	noCopy noCopy

	// Header is the response header.
	Header ResponseHeader

	messageBody
	scratch []byte

	laddr net.Addr
	raddr net.Addr

	// SkipBody leaves the body out: Write sends the header only (the
	// server sets it for HEAD) and Read does not read a body (set it when
	// reading the answer to a HEAD request).
	SkipBody bool

	// StreamBody makes Read expose the body through BodyStream, read from
	// the connection as the caller reads it, instead of reading it whole.
	StreamBody bool

	// ImmediateHeaderFlush sends the header as soon as it is written when
	// the body is a stream, before the first body bytes.
	ImmediateHeaderFlush bool

	// KeepBodyBuffer keeps the body buffer across Reset and ResetBody
	// instead of returning it to the pool; see Request.KeepBodyBuffer.
	KeepBodyBuffer bool
}

var responsePool sync.Pool

// AcquireResponse returns an empty Response from a pool. Return it with
// ReleaseResponse when done.
func AcquireResponse() *Response {
	v := responsePool.Get()
	if v == nil {
		return &Response{}
	}
	return v.(*Response)
}

// ReleaseResponse resets resp, clearing KeepBodyBuffer and releasing its
// body buffer, and returns it to the pool. resp must not be used after.
func ReleaseResponse(resp *Response) {
	resp.KeepBodyBuffer = false
	resp.Reset()
	responsePool.Put(resp)
}

// Reset clears the response. KeepBodyBuffer keeps its value.
func (resp *Response) Reset() {
	resp.Header.Reset()
	resp.resetSkipHeader()
	resp.SkipBody = false
	resp.StreamBody = false
	resp.ImmediateHeaderFlush = false
}

func (resp *Response) resetSkipHeader() {
	resp.ResetBody()
	resp.laddr = nil
	resp.raddr = nil
}

// ResetBody clears the body and drops its stream.
func (resp *Response) ResetBody() {
	resp.bodyReset(resp.KeepBodyBuffer, respBodyPoolLimit.Load())
}

// CopyTo copies resp into dst, except a body stream: read the body with
// Body first to copy it.
func (resp *Response) CopyTo(dst *Response) {
	dst.Reset()
	resp.Header.CopyTo(&dst.Header)
	dst.bodySet(resp.bodyBytes())
	dst.laddr = resp.laddr
	dst.raddr = resp.raddr
	dst.SkipBody = resp.SkipBody
}

// StatusCode returns the status code.
func (resp *Response) StatusCode() int { return resp.Header.StatusCode() }

// SetStatusCode sets the status code.
func (resp *Response) SetStatusCode(statusCode int) { resp.Header.SetStatusCode(statusCode) }

// ConnectionClose reports whether the response carries "Connection: close".
func (resp *Response) ConnectionClose() bool { return resp.Header.ConnectionClose() }

// SetConnectionClose sets "Connection: close".
func (resp *Response) SetConnectionClose() { resp.Header.SetConnectionClose() }

// LocalAddr returns the local address of the connection the response came
// through (client side). It is shared: do not change it.
func (resp *Response) LocalAddr() net.Addr { return resp.laddr }

// RemoteAddr returns the remote address of the connection the response
// came through (client side). It is shared: do not change it.
func (resp *Response) RemoteAddr() net.Addr { return resp.raddr }

// ParseNetConn records the local and remote addresses of conn.
func (resp *Response) ParseNetConn(conn net.Conn) {
	resp.laddr = conn.LocalAddr()
	resp.raddr = conn.RemoteAddr()
}

// IsBodyStream reports whether the body is a stream or a StreamWriter.
func (resp *Response) IsBodyStream() bool { return resp.isBodyStream() }

// BodyStream returns the body stream, or nil. A StreamWriter body is
// started in its own goroutine to provide it. Close it with
// CloseBodyStream when done.
func (resp *Response) BodyStream() io.Reader {
	resp.startStreamWriter()
	return resp.bodyStream
}

// CloseBodyStream closes the body stream, if any, and forgets it.
func (resp *Response) CloseBodyStream() error {
	return resp.closeBodyStreamErr(nil)
}

// SetBodyStream sets the body to be read from bodyStream. bodySize is its
// exact length, or -1 to send it chunked, reading to EOF. bodyStream is
// closed once sent when it is an io.Closer (with the write error when it
// is a ReadCloserWithError). A chunked stream may be written through its
// WriteTo; see BodyWriterTo.
func (resp *Response) SetBodyStream(bodyStream io.Reader, bodySize int) {
	resp.bodySetStream(bodyStream)
	resp.Header.SetContentLength(bodySize)
}

// SetBodyStreamWriter sets the body to be produced by sw and sent chunked.
// sw runs when the response is written, in the writing goroutine; each
// w.Flush inside it sends what was written so far to the client.
func (resp *Response) SetBodyStreamWriter(sw StreamWriter) {
	resp.bodySetStreamWriter(sw)
	resp.Header.SetContentLength(-1)
}

// Body returns the response body. A stream body is read to its end first;
// when that fails, the error text becomes the body (use BodyStream or
// BodyWriteTo to see the error itself).
func (resp *Response) Body() []byte {
	_ = resp.bodyReadStream()
	return resp.bodyBytes()
}

// BodyWriter returns a writer that appends to the body. Inside a handler
// it must not be used after the handler returns.
func (resp *Response) BodyWriter() io.Writer { return bodyWriter{&resp.messageBody} }

// BodyWriteTo writes the body to w, consuming a stream or running a
// StreamWriter.
func (resp *Response) BodyWriteTo(w io.Writer) error {
	return resp.bodyWriteTo(w)
}

// SetBody sets the body to a copy of body.
func (resp *Response) SetBody(body []byte) {
	resp.bodySet(body)
}

// SetBodyString sets the body to body.
func (resp *Response) SetBodyString(body string) {
	resp.SetBody(s2b(body))
}

// SetBodyRaw makes body the response body without copying it; body must
// not change until the response is written.
func (resp *Response) SetBodyRaw(body []byte) {
	resp.bodySetRaw(body)
}

// AppendBody appends a copy of p to the body. A stream body is dropped
// (and Content-Length reset to follow the body).
func (resp *Response) AppendBody(p []byte) {
	resp.dropStream()
	resp.bodyAppend(p)
}

// AppendBodyString appends s to the body.
func (resp *Response) AppendBodyString(s string) {
	resp.AppendBody(s2b(s))
}

// dropStream forgets a stream body in favour of an in-memory one.
func (resp *Response) dropStream() {
	if resp.isBodyStream() {
		resp.dropBodyStream()
		resp.Header.SetContentLength(0)
	}
}

// SwapBody makes body the response body and returns the previous one (read
// from its stream first). body must not be used by the caller afterwards.
func (resp *Response) SwapBody(body []byte) []byte {
	return resp.bodySwap(body)
}

// ReleaseBody returns the body buffer to the pool when its capacity
// exceeds size, so that a large body does not stay pinned to a reused
// response. It also closes a body stream.
func (resp *Response) ReleaseBody(size int) {
	resp.bodyRelease(size, respBodyPoolLimit.Load())
}

// String returns the response as Write would send it, or the error text
// when it cannot be written.
func (resp *Response) String() string {
	var b bytes.Buffer
	if _, err := resp.WriteTo(&b); err != nil {
		return err.Error()
	}
	return b.String()
}

// WriteTo writes the response to w.
func (resp *Response) WriteTo(w io.Writer) (int64, error) {
	cw := countingWriter{w: w}
	bw := bufio.NewWriter(&cw)
	if err := resp.Write(bw); err != nil {
		return cw.n, err
	}
	err := bw.Flush()
	return cw.n, err
}

// Write writes the response (header and body) to w; it does not flush w
// except while streaming. Content-Length follows the body. No body is
// written for SkipBody or a status that has none (1xx, 204, 304). A body
// with declared trailers (Header.SetTrailer) is sent chunked.
func (resp *Response) Write(w *bufio.Writer) error {
	if resp.IsBodyStream() {
		return resp.writeStream(w)
	}
	h := &resp.Header
	body := resp.bodyBytes()
	noBody := h.mustSkipContentLength()
	// Trailers need chunked framing, which HTTP/1.0 does not have.
	chunked := !noBody && len(h.trailer) > 0 && h.IsHTTP11()
	switch {
	case chunked:
		h.SetContentLength(-1)
	case h.contentLength < -1 && !noBody:
		// Framed by closing the connection when read: say so, and send
		// the length that is now known.
		h.SetConnectionClose()
		h.SetContentLength(len(body))
	default:
		h.SetContentLength(len(body))
	}
	resp.scratch = h.AppendBytes(resp.scratch[:0])
	if resp.SkipBody || noBody {
		_, err := w.Write(resp.scratch)
		return err
	}
	return writeMessage(w, resp.scratch, body, h, chunked)
}

// writeStream writes a response whose body is a stream or a StreamWriter:
// exactly Content-Length bytes when it is set, else chunked, with the
// trailer fields taken after the body is done, so that a StreamWriter may
// still set them. The stream is closed afterwards with the write error.
func (resp *Response) writeStream(w *bufio.Writer) error {
	h := &resp.Header
	skip := resp.SkipBody || h.mustSkipContentLength()
	size := h.ContentLength()
	if resp.bodyStreamWriter != nil || len(h.trailer) > 0 {
		size = -1
	}
	if size < -1 {
		// No length and no chunking wanted: the old way is to end the body
		// by closing the connection; chunked framing with a close says the
		// same and keeps the end of the body detectable.
		h.SetConnectionClose()
		size = -1
	}
	if !skip && size == -1 {
		h.SetContentLength(-1)
	}
	resp.scratch = h.AppendBytes(resp.scratch[:0])
	_, err := w.Write(resp.scratch)
	if err == nil && resp.ImmediateHeaderFlush {
		err = w.Flush()
	}
	if err == nil && !skip {
		switch {
		case resp.bodyStreamWriter != nil:
			sw := resp.bodyStreamWriter
			resp.bodyStreamWriter = nil
			err = writeStreamWriterChunked(w, sw)
		case size >= 0:
			err = writeBodyFixedSize(w, resp.bodyStream, int64(size))
		default:
			err = writeBodyChunked(w, resp.bodyStream)
		}
		if err == nil && size < 0 {
			err = writeLastChunk(w, h.TrailerHeader())
		}
	}
	if cerr := resp.closeBodyStreamErr(err); err == nil {
		err = cerr
	}
	return err
}

// writeStreamWriterChunked runs sw in the calling goroutine with a writer
// whose every flush becomes one chunk, sent to the peer at once.
func writeStreamWriterChunked(w *bufio.Writer, sw StreamWriter) error {
	sb := streamBufPool.Get().(*streamBuf)
	sb.cw = chunkWriter{w: w, flush: true}
	if sb.bw == nil {
		sb.bw = bufio.NewWriterSize(&sb.cw, 4096)
	} else {
		sb.bw.Reset(&sb.cw)
	}
	err := runStreamWriter(sw, sb.bw)
	if err == nil {
		err = sb.bw.Flush()
	}
	sb.bw.Reset(nil)
	sb.cw = chunkWriter{}
	streamBufPool.Put(sb)
	return err
}

// streamBuf is the pooled writer pair a StreamWriter writes through.
type streamBuf struct {
	cw chunkWriter
	bw *bufio.Writer
}

var streamBufPool = sync.Pool{New: func() any { return &streamBuf{} }}

// Read reads a whole response from r, with no body size limit: use
// ReadLimitBody for untrusted peers. It returns io.EOF when r ends before
// the first byte.
func (resp *Response) Read(r *bufio.Reader) error {
	return resp.ReadLimitBody(r, 0)
}

// ReadLimitBody reads a response from r: the header (informational
// responses other than 101 are skipped), then the body with ReadBody. No
// body is read with SkipBody or for a status that has none.
func (resp *Response) ReadLimitBody(r *bufio.Reader, maxBodySize int) error {
	resp.resetSkipHeader()
	if err := resp.Header.Read(r); err != nil {
		return err
	}
	if resp.SkipBody || resp.Header.mustSkipContentLength() {
		return nil
	}
	return resp.ReadBody(r, maxBodySize)
}

// ReadBody reads the body of a response whose header was already read,
// failing with ErrBodyTooLarge past maxBodySize (0: no limit). With
// StreamBody the body is not read here but exposed through BodyStream, and
// maxBodySize does not apply; r must then not be used until that stream
// is read or closed. A body framed by the end of the connection marks the
// response "Connection: close".
func (resp *Response) ReadBody(r *bufio.Reader, maxBodySize int) error {
	h := &resp.Header
	cl := h.ContentLength()
	if cl < -1 {
		h.SetConnectionClose()
	}
	if resp.StreamBody {
		s := &requestStream{}
		s.init(r, cl)
		s.trailer = h
		resp.bodySetStream(s)
		return nil
	}
	if maxBodySize > 0 && cl > maxBodySize {
		return ErrBodyTooLarge
	}
	bb := resp.bodyBuffer()
	var err error
	switch {
	case cl >= 0:
		bb.B, err = appendBodyFixedSize(r, bb.B[:0], cl)
	case cl == -1:
		bb.B, err = appendBodyChunked(r, bb.B[:0], maxBodySize, &resp.scratch)
		if err == nil {
			err = h.ReadTrailer(r)
		}
	default:
		bb.B, err = appendBodyUntilEOF(r, bb.B[:0], maxBodySize)
		h.SetContentLength(len(bb.B))
	}
	return err
}
