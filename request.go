package fasthttp

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"mime/multipart"
	"sync"
	"time"

	"github.com/valyala/bytebufferpool"
)

// Request is an HTTP request: its header, URI and body.
//
// Request must not be copied by value; use CopyTo. It is not safe for
// concurrent use. Handlers must not keep references to it after returning.
type Request struct {
	noCopy noCopy

	// Header is the request header.
	Header RequestHeader

	uri      URI
	postArgs Args

	body       *bytebufferpool.ByteBuffer
	bodyRaw    []byte
	bodyStream io.Reader
	w          requestBodyWriter
	scratch    []byte

	multipartForm         *multipart.Form
	multipartFormBoundary string

	userValues userData
	timeout    time.Duration

	parsedURI      bool
	parsedPostArgs bool
	isTLS          bool
	secureErrorLog bool

	// bodyDecodeLimit bounds the decoded size for BodyUncompressed & co.
	// and multipart decoding: the server sets its body size limit here.
	bodyDecodeLimit int

	// KeepBodyBuffer keeps the body buffer on Reset instead of returning
	// it to the pool.
	KeepBodyBuffer bool

	// UseHostHeader makes the client send Header.Host() instead of the
	// host of the URI.
	UseHostHeader bool

	// DisableRedirectPathNormalizing keeps redirect paths as the server
	// sent them.
	DisableRedirectPathNormalizing bool
}

var requestPool sync.Pool

// AcquireRequest returns an empty Request from a pool. Return it with
// ReleaseRequest when done.
func AcquireRequest() *Request {
	v := requestPool.Get()
	if v == nil {
		return &Request{}
	}
	return v.(*Request)
}

// ReleaseRequest resets req and returns it to the pool. req must not be
// used after.
func ReleaseRequest(req *Request) {
	req.Reset()
	requestPool.Put(req)
}

// Reset clears the request.
func (req *Request) Reset() {
	req.userValues.Reset()
	req.Header.Reset()
	req.resetSkipHeader()
	req.timeout = 0
	req.bodyDecodeLimit = 0
	req.UseHostHeader = false
	req.DisableRedirectPathNormalizing = false
}

// resetSkipHeader clears everything but the header, for the next request
// on a connection.
func (req *Request) resetSkipHeader() {
	req.ResetBody()
	req.uri.Reset()
	req.parsedURI = false
	req.postArgs.Reset()
	req.parsedPostArgs = false
	req.isTLS = false
}

// ResetBody clears the body, and the multipart form parsed from it.
func (req *Request) ResetBody() {
	req.RemoveMultipartFormFiles()
	req.closeBodyStream()
	req.bodyRaw = nil
	if req.body != nil {
		if req.KeepBodyBuffer {
			req.body.Reset()
		} else {
			releaseBodyBuffer(req.body)
			req.body = nil
		}
	}
}

func (req *Request) closeBodyStream() {
	if req.bodyStream != nil {
		if c, ok := req.bodyStream.(io.Closer); ok {
			_ = c.Close()
		}
		req.bodyStream = nil
	}
}

// CopyTo copies req into dst. A body stream is not copied.
func (req *Request) CopyTo(dst *Request) {
	dst.Reset()
	req.Header.CopyTo(&dst.Header)
	if req.parsedURI {
		req.uri.CopyTo(&dst.uri)
		dst.parsedURI = true
	}
	if req.parsedPostArgs {
		req.postArgs.CopyTo(&dst.postArgs)
		dst.parsedPostArgs = true
	}
	dst.SetBodyRaw(nil)
	dst.bodyBuffer().Set(req.bodyBytes())
	dst.isTLS = req.isTLS
	dst.timeout = req.timeout
	dst.UseHostHeader = req.UseHostHeader
	dst.DisableRedirectPathNormalizing = req.DisableRedirectPathNormalizing
}

// SetTimeout sets a deadline for the whole request when sent by a client.
func (req *Request) SetTimeout(t time.Duration) { req.timeout = t }

// GetTimeOut returns the timeout set with SetTimeout.
func (req *Request) GetTimeOut() time.Duration { return req.timeout }

// ConnectionClose reports whether the request carries "Connection: close".
func (req *Request) ConnectionClose() bool { return req.Header.ConnectionClose() }

// SetConnectionClose sets "Connection: close".
func (req *Request) SetConnectionClose() { req.Header.SetConnectionClose() }

// Host returns the host of the request URI.
func (req *Request) Host() []byte { return req.URI().Host() }

// SetHost sets the host of the request URI.
func (req *Request) SetHost(host string) { req.URI().SetHost(host) }

// SetHostBytes sets the host of the request URI.
func (req *Request) SetHostBytes(host []byte) { req.URI().SetHostBytes(host) }

// RequestURI returns the request target.
func (req *Request) RequestURI() []byte {
	if req.parsedURI {
		req.Header.SetRequestURIBytes(req.uri.RequestURI())
	}
	return req.Header.RequestURI()
}

// SetRequestURI sets the request target; the URI is parsed again on demand.
func (req *Request) SetRequestURI(requestURI string) {
	req.Header.SetRequestURI(requestURI)
	req.parsedURI = false
}

// SetRequestURIBytes sets the request target.
func (req *Request) SetRequestURIBytes(requestURI []byte) {
	req.Header.SetRequestURIBytes(requestURI)
	req.parsedURI = false
}

// URI returns the request URI, parsed from the request target and Host on
// first use.
func (req *Request) URI() *URI {
	req.parseURI()
	return &req.uri
}

// SetURI replaces the request URI with a copy of newURI.
func (req *Request) SetURI(newURI *URI) {
	if newURI != nil {
		newURI.CopyTo(&req.uri)
		req.parsedURI = true
		return
	}
	req.uri.Reset()
	req.parsedURI = false
}

func (req *Request) parseURI() {
	if req.parsedURI {
		return
	}
	req.parsedURI = true
	_ = req.uri.parse(req.Header.Host(), req.Header.RequestURI(), req.isTLS)
}

// PostArgs returns the arguments of an application/x-www-form-urlencoded
// body, parsed on first use.
func (req *Request) PostArgs() *Args {
	req.parsePostArgs()
	return &req.postArgs
}

func (req *Request) parsePostArgs() {
	if req.parsedPostArgs {
		return
	}
	req.parsedPostArgs = true
	ct := req.Header.ContentType()
	if !bytes.HasPrefix(ct, strPostArgsContentType) {
		return
	}
	req.postArgs.ParseBytes(req.bodyBytes())
}

var strPostArgsContentType = []byte("application/x-www-form-urlencoded")

// MayContinue reports whether the request carries "Expect: 100-continue".
func (req *Request) MayContinue() bool {
	return equalFoldString(peekKVString(req.Header.h, HeaderExpect), "100-continue")
}

// IsBodyStream reports whether the body is a stream set with SetBodyStream
// or received with Server.StreamRequestBody.
func (req *Request) IsBodyStream() bool { return req.bodyStream != nil }

// BodyStream returns the body stream, or nil.
func (req *Request) BodyStream() io.Reader { return req.bodyStream }

// CloseBodyStream closes and drops the body stream.
func (req *Request) CloseBodyStream() error {
	var err error
	if req.bodyStream != nil {
		if c, ok := req.bodyStream.(io.Closer); ok {
			err = c.Close()
		}
		req.bodyStream = nil
	}
	return err
}

// SetBodyStream sets the body to be read from bodyStream. bodySize is its
// length, or -1 to send it chunked. bodyStream is closed, when it is an
// io.Closer, once consumed.
func (req *Request) SetBodyStream(bodyStream io.Reader, bodySize int) {
	req.ResetBody()
	req.bodyStream = bodyStream
	req.Header.SetContentLength(bodySize)
}

// SetBodyStreamWriter sets the body to be produced by sw, sent chunked.
func (req *Request) SetBodyStreamWriter(sw StreamWriter) {
	req.SetBodyStream(NewStreamReader(sw), -1)
}

// bodyBuffer returns the body buffer, acquiring one when needed.
func (req *Request) bodyBuffer() *bytebufferpool.ByteBuffer {
	if req.body == nil {
		req.body = acquireBodyBuffer()
	}
	req.bodyRaw = nil
	return req.body
}

// bodyBytes returns the body without reading a stream.
func (req *Request) bodyBytes() []byte {
	if req.bodyRaw != nil {
		return req.bodyRaw
	}
	if req.body == nil {
		return nil
	}
	return req.body.B
}

// Body returns the request body. A body stream is read to its end first.
func (req *Request) Body() []byte {
	if req.bodyStream != nil {
		bb := req.bodyBuffer()
		bb.Reset()
		_, err := io.Copy(bb, req.bodyStream)
		req.closeBodyStream()
		if err != nil {
			bb.Reset()
			bb.SetString(err.Error())
		}
		return bb.B
	}
	if req.multipartForm != nil && len(req.bodyBytes()) == 0 {
		bb := req.bodyBuffer()
		_ = WriteMultipartForm(bb, req.multipartForm, req.multipartFormBoundary)
		return bb.B
	}
	return req.bodyBytes()
}

// BodyWriter returns a writer that appends to the body.
func (req *Request) BodyWriter() io.Writer {
	req.w.r = req
	return &req.w
}

type requestBodyWriter struct{ r *Request }

func (w *requestBodyWriter) Write(p []byte) (int, error) {
	w.r.AppendBody(p)
	return len(p), nil
}

// BodyWriteTo writes the body to w.
func (req *Request) BodyWriteTo(w io.Writer) error {
	if req.bodyStream != nil {
		_, err := io.Copy(w, req.bodyStream)
		req.closeBodyStream()
		return err
	}
	_, err := w.Write(req.Body())
	return err
}

// SetBody sets the request body to a copy of body.
func (req *Request) SetBody(body []byte) {
	req.ResetBody()
	req.bodyBuffer().Set(body)
}

// SetBodyString sets the request body.
func (req *Request) SetBodyString(body string) {
	req.ResetBody()
	req.bodyBuffer().SetString(body)
}

// SetBodyRaw makes body the request body without copying it. body must not
// change while the request uses it.
func (req *Request) SetBodyRaw(body []byte) {
	req.ResetBody()
	req.bodyRaw = body
}

// AppendBody appends p to the body.
func (req *Request) AppendBody(p []byte) {
	req.closeBodyStream()
	if req.bodyRaw != nil {
		raw := req.bodyRaw
		bb := req.bodyBuffer()
		bb.Set(raw)
	}
	_, _ = req.bodyBuffer().Write(p)
}

// AppendBodyString appends s to the body.
func (req *Request) AppendBodyString(s string) {
	req.AppendBody(s2b(s))
}

// SwapBody replaces the body with body and returns the old one.
func (req *Request) SwapBody(body []byte) []byte {
	bb := req.bodyBuffer()
	if req.bodyStream != nil {
		bb.Reset()
		_, _ = io.Copy(bb, req.bodyStream)
		req.closeBodyStream()
	}
	old := bb.B
	bb.B = body
	return old
}

// ReleaseBody returns the body buffer to the pool when its capacity
// exceeds size, to free memory held by a large body.
func (req *Request) ReleaseBody(size int) {
	req.bodyRaw = nil
	if req.body == nil || cap(req.body.B) <= size {
		return
	}
	req.closeBodyStream()
	releaseBodyBuffer(req.body)
	req.body = nil
}

// String returns the request as it would be written.
func (req *Request) String() string {
	var b bytes.Buffer
	if _, err := req.WriteTo(&b); err != nil {
		return err.Error()
	}
	return b.String()
}

// WriteTo writes the request to w.
func (req *Request) WriteTo(w io.Writer) (int64, error) {
	cw := countingWriter{w: w}
	bw := bufio.NewWriter(&cw)
	if err := req.Write(bw); err != nil {
		return cw.n, err
	}
	err := bw.Flush()
	return cw.n, err
}

// Write writes the request (header and body) to w.
func (req *Request) Write(w *bufio.Writer) error {
	if len(req.Header.Host()) == 0 || req.parsedURI {
		uri := req.URI()
		if !req.UseHostHeader || len(req.Header.Host()) == 0 {
			req.Header.SetHostBytes(uri.Host())
		}
		req.Header.SetRequestURIBytes(uri.RequestURI())
		if len(uri.username) > 0 && len(req.Header.Peek(HeaderAuthorization)) == 0 {
			req.Header.Set(HeaderAuthorization, basicAuth(uri.username, uri.password))
		}
	}
	if req.bodyStream != nil {
		return req.writeBodyStream(w)
	}
	body := req.bodyBytes()
	if req.multipartForm != nil && len(body) == 0 {
		body = req.Body()
	} else if req.parsedPostArgs && req.postArgs.Len() > 0 && len(body) == 0 {
		req.scratch = req.postArgs.AppendBytes(req.scratch[:0])
		body = req.scratch
		if len(req.Header.ContentType()) == 0 {
			req.Header.SetContentTypeBytes(strPostArgsContentType)
		}
	}
	if len(body) > 0 || !req.Header.ignoreBody() {
		req.Header.SetContentLength(len(body))
	}
	req.scratch = req.Header.AppendBytes(req.scratch[:0])
	if _, err := w.Write(req.scratch); err != nil {
		return err
	}
	if len(body) > 0 {
		_, err := w.Write(body)
		return err
	}
	return nil
}

func (req *Request) writeBodyStream(w *bufio.Writer) error {
	size := req.Header.ContentLength()
	if size < 0 {
		req.Header.SetContentLength(-1)
	}
	req.scratch = req.Header.AppendBytes(req.scratch[:0])
	_, err := w.Write(req.scratch)
	if err == nil {
		if size >= 0 {
			err = writeBodyFixedSize(w, req.bodyStream, int64(size))
		} else {
			err = writeBodyChunked(w, req.bodyStream, req.Header.TrailerHeader())
		}
	}
	if cerr := req.CloseBodyStream(); err == nil {
		err = cerr
	}
	return err
}

// Read reads a whole request (header and body) from r, with no body limit.
func (req *Request) Read(r *bufio.Reader) error {
	return req.ReadLimitBody(r, 0)
}

// ReadLimitBody reads a whole request from r, failing with ErrBodyTooLarge
// when the body exceeds maxBodySize (0: no limit).
func (req *Request) ReadLimitBody(r *bufio.Reader, maxBodySize int) error {
	req.resetSkipHeader()
	if err := req.Header.Read(r); err != nil {
		return err
	}
	return req.ContinueReadBody(r, maxBodySize)
}

// ContinueReadBody reads the body of a request whose header was already
// read, e.g. after answering "Expect: 100-continue".
func (req *Request) ContinueReadBody(r *bufio.Reader, maxBodySize int, preParseMultipartForm ...bool) error {
	cl := req.Header.ContentLength()
	if cl > 0 && maxBodySize > 0 && cl > maxBodySize {
		return ErrBodyTooLarge
	}
	return req.readBody(r, maxBodySize)
}

// ContinueReadBodyStream prepares the body of a request whose header was
// already read to be streamed from r: what is buffered is read now, the
// rest through BodyStream.
func (req *Request) ContinueReadBodyStream(r *bufio.Reader, maxBodySize int, preParseMultipartForm ...bool) error {
	cl := req.Header.ContentLength()
	if cl == 0 {
		return nil
	}
	req.bodyStream = acquireRequestStream(r, cl, maxBodySize)
	return nil
}

// ReadBody reads a body of contentLength bytes (-1: chunked) from r.
func (req *Request) ReadBody(r *bufio.Reader, contentLength, maxBodySize int) error {
	if contentLength > 0 && maxBodySize > 0 && contentLength > maxBodySize {
		return ErrBodyTooLarge
	}
	bb := req.bodyBuffer()
	var err error
	switch {
	case contentLength >= 0:
		bb.B, err = appendBodyFixedSize(r, bb.B[:0], contentLength)
	default:
		bb.B, err = appendBodyChunked(r, bb.B[:0], maxBodySize, &req.scratch)
		if err == nil {
			err = req.Header.ReadTrailer(r)
		}
	}
	return err
}

func (req *Request) readBody(r *bufio.Reader, maxBodySize int) error {
	cl := req.Header.ContentLength()
	if cl == 0 {
		return nil
	}
	return req.ReadBody(r, cl, maxBodySize)
}

// MultipartForm returns the parsed multipart/form-data body. Files larger
// than the in-memory limit are stored in temporary files, removed by
// RemoveMultipartFormFiles or Reset.
func (req *Request) MultipartForm() (*multipart.Form, error) {
	return req.MultipartFormWithLimit(defaultMaxInMemoryFileSize)
}

// MultipartFormWithLimit is MultipartForm with a custom in-memory limit.
func (req *Request) MultipartFormWithLimit(maxInMemoryFileSize int) (*multipart.Form, error) {
	if req.multipartForm != nil {
		return req.multipartForm, nil
	}
	boundary := req.Header.MultipartFormBoundary()
	if len(boundary) == 0 {
		return nil, ErrNoMultipartForm
	}
	req.multipartFormBoundary = string(boundary)
	var body io.Reader
	if req.bodyStream != nil {
		body = req.bodyStream
	} else {
		body = bytes.NewReader(req.bodyBytes())
	}
	if ce := req.Header.ContentEncoding(); len(ce) > 0 && !equalFoldString(ce, "identity") {
		dec, err := newLimitedDecodingReader(ce, body, req.bodyDecodeLimit)
		if err != nil {
			return nil, err
		}
		body = dec
	}
	f, err := multipart.NewReader(body, req.multipartFormBoundary).ReadForm(int64(maxInMemoryFileSize))
	if err != nil {
		return nil, err
	}
	req.multipartForm = f
	return f, nil
}

// RemoveMultipartFormFiles removes the temporary files of the parsed
// multipart form and forgets the form.
func (req *Request) RemoveMultipartFormFiles() {
	if req.multipartForm != nil {
		_ = req.multipartForm.RemoveAll()
		req.multipartForm = nil
	}
	req.multipartFormBoundary = ""
}

const defaultMaxInMemoryFileSize = 16 * 1024 * 1024

// basicAuth builds the value of an Authorization header for user:password.
func basicAuth(user, password []byte) string {
	b := make([]byte, 0, len(user)+len(password)+1)
	b = append(b, user...)
	b = append(b, ':')
	b = append(b, password...)
	return "Basic " + base64Encode(b)
}

// countingWriter counts bytes written through it.
type countingWriter struct {
	w io.Writer
	n int64
}

func (w *countingWriter) Write(p []byte) (int, error) {
	n, err := w.w.Write(p)
	w.n += int64(n)
	return n, err
}

var errBodyStreamClosed = errors.New("fasthttp: body stream closed")
