package fasthttp

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"sync"

	"github.com/valyala/bytebufferpool"
)

// Response is an HTTP response: its header and body.
//
// Response must not be copied by value; use CopyTo. It is not safe for
// concurrent use.
type Response struct {
	noCopy noCopy

	// Header is the response header.
	Header ResponseHeader

	body             *bytebufferpool.ByteBuffer
	bodyRaw          []byte
	bodyStream       io.Reader
	bodyStreamWriter StreamWriter
	w                responseBodyWriter
	scratch          []byte

	laddr net.Addr
	raddr net.Addr

	// SkipBody skips the body when writing the response (the server sets
	// it for HEAD) and when reading one (the client sets it for HEAD).
	SkipBody bool

	// StreamBody makes Read expose the body through BodyStream instead of
	// reading it whole.
	StreamBody bool

	// ImmediateHeaderFlush sends the header before a body stream starts,
	// so the peer sees the status at once.
	ImmediateHeaderFlush bool

	// KeepBodyBuffer keeps the body buffer on Reset.
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

// ReleaseResponse resets resp and returns it to the pool. resp must not be
// used after.
func ReleaseResponse(resp *Response) {
	resp.Reset()
	responsePool.Put(resp)
}

// Reset clears the response.
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

// ResetBody clears the body.
func (resp *Response) ResetBody() {
	resp.closeBodyStream()
	resp.bodyRaw = nil
	if resp.body != nil {
		if resp.KeepBodyBuffer {
			resp.body.Reset()
		} else {
			releaseRespBodyBuffer(resp.body)
			resp.body = nil
		}
	}
}

func (resp *Response) closeBodyStream() {
	resp.bodyStreamWriter = nil
	if resp.bodyStream != nil {
		if c, ok := resp.bodyStream.(io.Closer); ok {
			_ = c.Close()
		}
		resp.bodyStream = nil
	}
}

// CopyTo copies resp into dst. A body stream is not copied.
func (resp *Response) CopyTo(dst *Response) {
	dst.Reset()
	resp.Header.CopyTo(&dst.Header)
	dst.bodyBuffer().Set(resp.bodyBytes())
	dst.laddr = resp.laddr
	dst.raddr = resp.raddr
	dst.SkipBody = resp.SkipBody
	dst.StreamBody = resp.StreamBody
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
// through (client side).
func (resp *Response) LocalAddr() net.Addr { return resp.laddr }

// RemoteAddr returns the remote address of the connection the response
// came through (client side).
func (resp *Response) RemoteAddr() net.Addr { return resp.raddr }

// ParseNetConn records the addresses of conn.
func (resp *Response) ParseNetConn(conn net.Conn) {
	resp.laddr = conn.LocalAddr()
	resp.raddr = conn.RemoteAddr()
}

// IsBodyStream reports whether the body is a stream.
func (resp *Response) IsBodyStream() bool {
	return resp.bodyStream != nil || resp.bodyStreamWriter != nil
}

// BodyStream returns the body stream, or nil.
func (resp *Response) BodyStream() io.Reader {
	resp.startStreamWriter()
	return resp.bodyStream
}

// startStreamWriter turns a pending StreamWriter into a readable stream.
func (resp *Response) startStreamWriter() {
	if resp.bodyStreamWriter != nil {
		sw := resp.bodyStreamWriter
		resp.bodyStreamWriter = nil
		resp.bodyStream = NewStreamReader(sw)
	}
}

// CloseBodyStream closes and drops the body stream.
func (resp *Response) CloseBodyStream() error {
	resp.bodyStreamWriter = nil
	var err error
	if resp.bodyStream != nil {
		if c, ok := resp.bodyStream.(io.Closer); ok {
			err = c.Close()
		}
		resp.bodyStream = nil
	}
	return err
}

// SetBodyStream sets the body to be read from bodyStream; bodySize is its
// length, or -1 to send it chunked. bodyStream is closed, when it is an
// io.Closer, once sent.
func (resp *Response) SetBodyStream(bodyStream io.Reader, bodySize int) {
	resp.ResetBody()
	resp.bodyStream = bodyStream
	resp.Header.SetContentLength(bodySize)
}

// SetBodyStreamWriter sets the body to be produced by sw, sent chunked.
// sw runs when the response is written, and w.Flush inside it pushes data
// to the client immediately.
func (resp *Response) SetBodyStreamWriter(sw StreamWriter) {
	resp.ResetBody()
	resp.bodyStreamWriter = sw
	resp.Header.SetContentLength(-1)
}

func (resp *Response) bodyBuffer() *bytebufferpool.ByteBuffer {
	if resp.body == nil {
		resp.body = acquireBodyBuffer()
	}
	resp.bodyRaw = nil
	return resp.body
}

func (resp *Response) bodyBytes() []byte {
	if resp.bodyRaw != nil {
		return resp.bodyRaw
	}
	if resp.body == nil {
		return nil
	}
	return resp.body.B
}

// Body returns the response body. A body stream is read to its end first.
func (resp *Response) Body() []byte {
	resp.startStreamWriter()
	if resp.bodyStream != nil {
		bb := resp.bodyBuffer()
		bb.Reset()
		_, err := io.Copy(bb, resp.bodyStream)
		resp.closeBodyStream()
		if err != nil {
			bb.SetString(err.Error())
		}
		return bb.B
	}
	return resp.bodyBytes()
}

// BodyWriter returns a writer that appends to the body.
func (resp *Response) BodyWriter() io.Writer {
	resp.w.r = resp
	return &resp.w
}

type responseBodyWriter struct{ r *Response }

func (w *responseBodyWriter) Write(p []byte) (int, error) {
	w.r.AppendBody(p)
	return len(p), nil
}

// BodyWriteTo writes the body to w.
func (resp *Response) BodyWriteTo(w io.Writer) error {
	if resp.bodyStreamWriter != nil {
		sw := resp.bodyStreamWriter
		resp.bodyStreamWriter = nil
		bw := bufio.NewWriter(w)
		if err := runStreamWriter(sw, bw); err != nil {
			return err
		}
		return bw.Flush()
	}
	if resp.bodyStream != nil {
		_, err := io.Copy(w, resp.bodyStream)
		resp.closeBodyStream()
		return err
	}
	_, err := w.Write(resp.bodyBytes())
	return err
}

// SetBody sets the body to a copy of body.
func (resp *Response) SetBody(body []byte) {
	resp.ResetBody()
	resp.bodyBuffer().Set(body)
}

// SetBodyString sets the body.
func (resp *Response) SetBodyString(body string) {
	resp.ResetBody()
	resp.bodyBuffer().SetString(body)
}

// SetBodyRaw makes body the response body without copying it. body must
// not change until the response is written.
func (resp *Response) SetBodyRaw(body []byte) {
	resp.ResetBody()
	resp.bodyRaw = body
}

// AppendBody appends p to the body.
func (resp *Response) AppendBody(p []byte) {
	if resp.bodyStream != nil || resp.bodyStreamWriter != nil {
		resp.closeBodyStream()
		resp.Header.SetContentLength(0)
	}
	if resp.bodyRaw != nil {
		raw := resp.bodyRaw
		resp.bodyBuffer().Set(raw)
	}
	if resp.body == nil {
		resp.body = acquireBodyBuffer()
	}
	resp.body.B = append(resp.body.B, p...)
}

// AppendBodyString appends s to the body.
func (resp *Response) AppendBodyString(s string) {
	resp.AppendBody(s2b(s))
}

// SwapBody replaces the body with body and returns the old one.
func (resp *Response) SwapBody(body []byte) []byte {
	resp.startStreamWriter()
	bb := resp.bodyBuffer()
	if resp.bodyStream != nil {
		bb.Reset()
		_, _ = io.Copy(bb, resp.bodyStream)
		resp.closeBodyStream()
	}
	old := bb.B
	bb.B = body
	return old
}

// ReleaseBody returns the body buffer to the pool when its capacity
// exceeds size.
func (resp *Response) ReleaseBody(size int) {
	resp.bodyRaw = nil
	if resp.body == nil || cap(resp.body.B) <= size {
		return
	}
	resp.closeBodyStream()
	releaseRespBodyBuffer(resp.body)
	resp.body = nil
}

// String returns the response as it would be written.
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

// Write writes the response (header and body) to w.
func (resp *Response) Write(w *bufio.Writer) error {
	if resp.bodyStreamWriter != nil || resp.bodyStream != nil {
		return resp.writeStream(w)
	}
	body := resp.bodyBytes()
	if resp.Header.contentLength != -2 || len(body) > 0 {
		resp.Header.SetContentLength(len(body))
	}
	resp.scratch = resp.Header.AppendBytes(resp.scratch[:0])
	if _, err := w.Write(resp.scratch); err != nil {
		return err
	}
	if len(body) > 0 && !resp.SkipBody && !resp.Header.mustSkipContentLength() {
		_, err := w.Write(body)
		return err
	}
	return nil
}

// writeStream writes a response whose body is a stream or a StreamWriter.
func (resp *Response) writeStream(w *bufio.Writer) error {
	size := resp.Header.ContentLength()
	skip := resp.SkipBody || resp.Header.mustSkipContentLength()
	if size < 0 && !skip {
		resp.Header.SetContentLength(-1)
	}
	resp.scratch = resp.Header.AppendBytes(resp.scratch[:0])
	_, err := w.Write(resp.scratch)
	if err == nil && resp.ImmediateHeaderFlush {
		err = w.Flush()
	}
	if err == nil && !skip {
		switch {
		case resp.bodyStreamWriter != nil:
			err = writeStreamWriterChunked(w, resp.bodyStreamWriter, resp.Header.TrailerHeader())
		case size >= 0:
			err = writeBodyFixedSize(w, resp.bodyStream, int64(size))
		default:
			err = writeBodyChunked(w, resp.bodyStream, resp.Header.TrailerHeader())
		}
	}
	if cerr := resp.CloseBodyStream(); err == nil {
		err = cerr
	}
	return err
}

// writeStreamWriterChunked runs sw in the calling goroutine with a writer
// that turns each flush into a chunk on w.
func writeStreamWriterChunked(w *bufio.Writer, sw StreamWriter, trailer []byte) error {
	cw := chunkedWriterPool.Get().(*chunkedWriter)
	cw.w = w
	bw := cw.bw
	if bw == nil {
		bw = bufio.NewWriterSize(cw, 4096)
		cw.bw = bw
	} else {
		bw.Reset(cw)
	}
	err := runStreamWriter(sw, bw)
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		if _, err = w.WriteString("0\r\n"); err == nil {
			if len(trailer) == 0 {
				trailer = strCRLF
			}
			_, err = w.Write(trailer)
		}
	}
	cw.w = nil
	bw.Reset(nil)
	chunkedWriterPool.Put(cw)
	return err
}

// chunkedWriter writes each Write as one chunk and flushes it to the peer.
type chunkedWriter struct {
	w  *bufio.Writer
	bw *bufio.Writer
}

var chunkedWriterPool = sync.Pool{New: func() any { return &chunkedWriter{} }}

func (cw *chunkedWriter) Write(p []byte) (int, error) {
	if err := writeChunk(cw.w, p); err != nil {
		return 0, err
	}
	if err := cw.w.Flush(); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Read reads a whole response from r, with no body limit.
func (resp *Response) Read(r *bufio.Reader) error {
	return resp.ReadLimitBody(r, 0)
}

// ReadLimitBody reads a whole response from r, failing with
// ErrBodyTooLarge when the body exceeds maxBodySize (0: no limit).
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

// ReadBody reads the body of a response whose header was already read.
func (resp *Response) ReadBody(r *bufio.Reader, maxBodySize int) error {
	cl := resp.Header.ContentLength()
	if cl > 0 && maxBodySize > 0 && cl > maxBodySize {
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
			err = resp.Header.ReadTrailer(r)
		}
	default:
		bb.B, err = appendBodyUntilEOF(r, bb.B[:0], maxBodySize)
		resp.Header.SetContentLength(len(bb.B))
	}
	return err
}
