package fasthttp

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"mime/multipart"
	"sync"
	"time"
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

	messageBody
	connStream *requestStream // body streamed from the server's connection
	scratch    []byte
	formBuf    []byte

	multipartForm         *multipart.Form
	multipartFormBoundary string

	userValues userData
	timeout    time.Duration

	requestViews

	// bodyDecodeLimit bounds the decoded size for BodyUncompressed & co.
	// and multipart decoding: the server sets its body size limit here.
	bodyDecodeLimit int

	// KeepBodyBuffer keeps the body buffer across Reset and ResetBody
	// instead of returning it to the pool, for a Request reused many
	// times. The buffer is then held, whatever its size, until ReleaseBody
	// or ReleaseRequest. CopyTo does not copy this setting.
	KeepBodyBuffer bool

	// UseHostHeader makes Write send Header.Host() as the Host field
	// instead of the host of the URI.
	UseHostHeader bool

	// DisableRedirectPathNormalizing keeps the paths of redirect targets
	// as the server sent them when the request follows redirects.
	DisableRedirectPathNormalizing bool
}

// requestViews is what a Request derived from its header and body on
// demand, and the connection fact they depend on; each new message starts
// from its zero value.
type requestViews struct {
	uriErr         error // why the request target did not parse
	parsedURI      bool
	targetReady    bool // the client already put URI().RequestURI() in the header
	parsedPostArgs bool
	isTLS          bool
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

// ReleaseRequest resets req, clearing KeepBodyBuffer and releasing its
// body buffer, and returns it to the pool. req must not be used after.
func ReleaseRequest(req *Request) {
	req.KeepBodyBuffer = false
	req.Reset()
	requestPool.Put(req)
}

// Reset clears the request. KeepBodyBuffer keeps its value.
func (req *Request) Reset() {
	req.userValues.Reset()
	req.Header.Reset()
	req.resetSkipHeader()
	req.timeout, req.bodyDecodeLimit = 0, 0
	req.UseHostHeader, req.DisableRedirectPathNormalizing = false, false
}

// resetSkipHeader clears everything but the header and user values.
func (req *Request) resetSkipHeader() {
	req.ResetBody()
	req.uri.Reset()
	req.postArgs.Reset()
	req.requestViews = requestViews{}
}

// ResetBody clears the body, the form parsed from it and its stream.
func (req *Request) ResetBody() {
	req.RemoveMultipartFormFiles()
	req.bodyReset(req.KeepBodyBuffer, reqBodyPoolLimit.Load())
	req.connStream = nil
}

// CopyTo copies req into dst, except its body stream and user values. A
// multipart form held without body bytes reaches dst as the form written
// out again.
func (req *Request) CopyTo(dst *Request) {
	dst.Reset()
	req.Header.CopyTo(&dst.Header)
	if req.parsedURI {
		req.uri.CopyTo(&dst.uri)
		dst.parsedURI = true
		dst.uriErr = req.uriErr
	}
	if req.parsedPostArgs {
		req.postArgs.CopyTo(&dst.postArgs)
		dst.parsedPostArgs = true
	}
	body := req.bodyBytes()
	if len(body) == 0 && req.multipartForm != nil {
		body = req.Body()
	}
	dst.bodySet(body)
	dst.isTLS = req.isTLS
	dst.timeout = req.timeout
	dst.UseHostHeader = req.UseHostHeader
	dst.DisableRedirectPathNormalizing = req.DisableRedirectPathNormalizing
}

// SetTimeout sets how long a client may take over the whole request,
// response included. The shorter of it and the client's timeouts applies.
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

// RequestURI returns the request target: the one of the URI when it was
// parsed or changed, else the one received or set.
func (req *Request) RequestURI() []byte {
	if req.parsedURI {
		req.Header.SetRequestURIBytes(req.uri.RequestURI())
	}
	return req.Header.RequestURI()
}

// SetRequestURI sets the request target, which may be absolute
// ("http://host/path?q"); URI parses it again on next use. Write refuses
// a target holding control bytes.
func (req *Request) SetRequestURI(requestURI string) {
	req.Header.SetRequestURI(requestURI)
	req.parsedURI = false
}

// SetRequestURIBytes is SetRequestURI for a byte slice.
func (req *Request) SetRequestURIBytes(requestURI []byte) {
	req.Header.SetRequestURIBytes(requestURI)
	req.parsedURI = false
}

// needsTargetEscape reports whether b holds a byte that may not appear in
// a request target or Host as is: a control byte or a space.
func needsTargetEscape(b []byte) bool {
	for _, c := range b {
		if c <= ' ' || c == 0x7f {
			return true
		}
	}
	return false
}

// URI returns the request URI, parsed from the request target and Host on
// first use. Changes made to it are what Write sends.
func (req *Request) URI() *URI {
	req.parseURI()
	return &req.uri
}

// SetURI replaces the request URI with a copy of newURI; nil makes the
// URI parsed again from the request target.
func (req *Request) SetURI(newURI *URI) {
	if newURI != nil {
		newURI.CopyTo(&req.uri)
		req.parsedURI = true
		req.uriErr = nil
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
	req.uri.Reset()
	target := req.Header.RequestURI()
	if req.Header.received && target[0] == '/' {
		req.uriErr = req.uri.parseOriginForm(req.Header.Host(), target, req.isTLS)
		return
	}
	req.uriErr = req.uri.parse(req.Header.Host(), target, req.isTLS)
}

// PostArgs returns the arguments of an application/x-www-form-urlencoded
// body, parsed on first use; empty for any other Content-Type.
func (req *Request) PostArgs() *Args {
	if !req.parsedPostArgs {
		req.parsedPostArgs = true
		req.postArgs.Reset()
		if isFormURLEncoded(req.Header.ContentType()) {
			req.postArgs.ParseBytes(req.bodyBytes())
		}
	}
	return &req.postArgs
}

// isFormURLEncoded reports whether a Content-Type value names
// application/x-www-form-urlencoded, parameters allowed.
func isFormURLEncoded(ct []byte) bool {
	const name = "application/x-www-form-urlencoded"
	return len(ct) >= len(name) && equalFoldString(ct[:len(name)], name) &&
		(len(ct) == len(name) || ct[len(name)] == ';' || ct[len(name)] == ' ' || ct[len(name)] == '\t')
}

var strPostArgsContentType = []byte("application/x-www-form-urlencoded")

// MayContinue reports whether the request carries "Expect: 100-continue".
// It is always false for HTTP/1.0, where the expectation must be ignored
// (RFC 9110 §10.1.1).
func (req *Request) MayContinue() bool {
	return req.Header.IsHTTP11() &&
		equalFoldString(peekKVFold(req.Header.h, HeaderExpect), "100-continue")
}

// IsBodyStream reports whether the body is a stream, set with
// SetBodyStream or SetBodyStreamWriter or received with
// Server.StreamRequestBody.
func (req *Request) IsBodyStream() bool { return req.isBodyStream() }

// BodyStream returns the body stream, or nil. A StreamWriter body is
// started in its own goroutine to provide it. Close it with
// CloseBodyStream (or Reset) when done.
func (req *Request) BodyStream() io.Reader {
	req.startStreamWriter()
	return req.bodyStream
}

// CloseBodyStream closes the body stream, if any, and forgets it.
func (req *Request) CloseBodyStream() error {
	return req.closeBodyStreamErr(nil)
}

// setConnStream makes s, a body read straight from the server's
// connection, the body stream.
func (req *Request) setConnStream(s *requestStream) {
	s.trailer = &req.Header
	req.bodySetStream(s)
	req.connStream = s
}

// takeConnStream returns the stream set with setConnStream, even when the
// handler closed it, and forgets it: the server must finish and release it
// before the connection carries another request.
func (req *Request) takeConnStream() *requestStream {
	s := req.connStream
	req.connStream = nil
	if s != nil && req.bodyStream == io.Reader(s) {
		req.bodyStream = nil
	}
	return s
}

// SetBodyStream sets the body to be read from bodyStream. bodySize is its
// exact length, or -1 to send it chunked, reading to EOF. bodyStream is
// closed once consumed when it is an io.Closer (with the write error when
// it is a ReadCloserWithError). GET and HEAD requests cannot have a body.
func (req *Request) SetBodyStream(bodyStream io.Reader, bodySize int) {
	req.RemoveMultipartFormFiles()
	req.bodySetStream(bodyStream)
	req.Header.SetContentLength(bodySize)
}

// SetBodyStreamWriter sets the body to be produced by sw and sent chunked.
// sw runs when the request is written, in the writing goroutine, so it may
// set trailer values (Header.Set) before it returns.
func (req *Request) SetBodyStreamWriter(sw StreamWriter) {
	req.RemoveMultipartFormFiles()
	req.bodySetStreamWriter(sw)
	req.Header.SetContentLength(-1)
}

// Body returns the request body. A stream body is read to its end first
// (a read error becomes the body text); a multipart form held without body
// bytes is written out. The result is valid until the request changes.
func (req *Request) Body() []byte {
	if req.isBodyStream() {
		_ = req.bodyReadStream()
		return req.bodyBytes()
	}
	if req.multipartForm != nil && len(req.bodyBytes()) == 0 {
		bb := req.bodyBuffer()
		bb.B = bb.B[:0]
		if err := WriteMultipartForm(bb, req.multipartForm, req.multipartFormBoundary); err != nil {
			bb.B = bb.B[:0]
		}
		return bb.B
	}
	return req.bodyBytes()
}

// BodyWriter returns a writer that appends to the body.
func (req *Request) BodyWriter() io.Writer { return bodyWriter{&req.messageBody} }

// BodyWriteTo writes the body to w, consuming a stream.
func (req *Request) BodyWriteTo(w io.Writer) error {
	if req.multipartForm != nil && !req.isBodyStream() && len(req.bodyBytes()) == 0 {
		return WriteMultipartForm(w, req.multipartForm, req.multipartFormBoundary)
	}
	return req.bodyWriteTo(w)
}

// SetBody sets the body to a copy of body.
func (req *Request) SetBody(body []byte) {
	req.RemoveMultipartFormFiles()
	req.bodySet(body)
}

// SetBodyString sets the body to body.
func (req *Request) SetBodyString(body string) {
	req.SetBody(s2b(body))
}

// SetBodyRaw makes body the request body without copying it; body must not
// change while the request uses it.
func (req *Request) SetBodyRaw(body []byte) {
	req.RemoveMultipartFormFiles()
	req.bodySetRaw(body)
}

// AppendBody appends a copy of p to the body. A stream body is dropped.
func (req *Request) AppendBody(p []byte) {
	req.RemoveMultipartFormFiles()
	req.dropBodyStream()
	req.bodyAppend(p)
}

// AppendBodyString appends s to the body.
func (req *Request) AppendBodyString(s string) {
	req.AppendBody(s2b(s))
}

// SwapBody makes body the request body and returns the previous one (read
// from its stream first). body must not be used by the caller afterwards.
func (req *Request) SwapBody(body []byte) []byte {
	req.RemoveMultipartFormFiles()
	return req.bodySwap(body)
}

// ReleaseBody returns the body buffer to the pool when its capacity
// exceeds size, so that a large body does not stay pinned to a reused
// request. It also closes a body stream.
func (req *Request) ReleaseBody(size int) {
	req.bodyRelease(size, reqBodyPoolLimit.Load())
}

// String returns the request as Write would send it, or the error text
// when it cannot be written.
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

// errRequestHostRequired is returned by Write when neither the URI nor the
// header names a host.
var errRequestHostRequired = errors.New("missing required host header in request")

// errInvalidRequestHost is returned by Write for a host holding bytes that
// would break the header.
var errInvalidRequestHost = errors.New("fasthttp: invalid host in request")

// Write writes the request (header and body) to w; it does not flush w.
// When the URI was parsed or set, the request target and Host come from
// it (Host from the header instead with UseHostHeader), and its userinfo
// becomes Basic authorization unless Authorization is set. A body with
// declared trailers (Header.SetTrailer) is sent chunked.
func (req *Request) Write(w *bufio.Writer) error {
	if err := req.prepareTarget(); err != nil {
		return err
	}
	if req.isBodyStream() {
		return req.writeBodyStream(w)
	}
	body := req.bodyBytes()
	if len(body) == 0 {
		switch {
		case req.multipartForm != nil:
			body = req.Body()
		case req.parsedPostArgs && req.postArgs.Len() > 0:
			// Post arguments set without a body are sent as a form.
			req.formBuf = req.postArgs.AppendBytes(req.formBuf[:0])
			body = req.formBuf
			if len(req.Header.ContentType()) == 0 {
				req.Header.SetContentTypeBytes(strPostArgsContentType)
			}
		}
	}
	// Trailers need chunked framing, which HTTP/1.0 does not have.
	chunked := len(req.Header.trailer) > 0 && req.Header.IsHTTP11()
	switch {
	case chunked:
		req.Header.SetContentLength(-1)
	case len(body) > 0 || !req.Header.ignoreBody():
		req.Header.SetContentLength(len(body))
	}
	req.scratch = req.Header.AppendBytes(req.scratch[:0])
	return writeMessage(w, req.scratch, body, &req.Header, chunked)
}

// prepareTarget puts the URI's target and host into the header before a
// write. A target or host holding control bytes is refused rather than
// sent, and spaces in a raw target are percent-encoded, so that neither
// the request line nor Host can be broken.
func (req *Request) prepareTarget() error {
	if !req.parsedURI && len(req.Header.Host()) > 0 {
		target := req.Header.RequestURI()
		if hasCTL(target) {
			return ErrorInvalidURI
		}
		if needsTargetEscape(target) {
			req.scratch = appendEscapedCTL(req.scratch[:0], target, true)
			req.Header.SetRequestURIBytes(req.scratch)
		}
		if needsTargetEscape(req.Header.Host()) {
			return errInvalidRequestHost
		}
		return nil
	}
	uri := req.URI()
	if req.uriErr != nil {
		return req.uriErr
	}
	host := uri.Host()
	if req.UseHostHeader && len(req.Header.Host()) > 0 {
		host = req.Header.Host()
	}
	if len(host) == 0 {
		return errRequestHostRequired
	}
	if needsTargetEscape(host) {
		return errInvalidRequestHost
	}
	req.Header.SetHostBytes(host)
	if req.targetReady {
		// The client computed and checked it just before writing.
		req.targetReady = false
	} else {
		req.Header.SetRequestURIBytes(uri.RequestURI())
	}
	if len(uri.username) > 0 || len(uri.password) > 0 {
		if len(req.Header.Peek(HeaderAuthorization)) == 0 {
			req.Header.Set(HeaderAuthorization, basicAuth(uri.username, uri.password))
		}
	}
	return nil
}

// trailerSource gives the trailer fields to send after a chunked body;
// both header types provide it.
type trailerSource interface{ TrailerHeader() []byte }

// writeMessage writes a formatted header and an in-memory body, chunked
// and followed by the trailer fields of ts when chunked is set.
func writeMessage(w *bufio.Writer, header, body []byte, ts trailerSource, chunked bool) error {
	if _, err := w.Write(header); err != nil {
		return err
	}
	if chunked {
		if err := writeChunk(w, body); err != nil {
			return err
		}
		return writeLastChunk(w, ts.TrailerHeader())
	}
	if len(body) == 0 {
		return nil
	}
	_, err := w.Write(body)
	return err
}

// writeBodyStream writes the header and a stream body: exactly
// Content-Length bytes when it is set, else chunked. The stream is closed
// afterwards with the write error.
func (req *Request) writeBodyStream(w *bufio.Writer) error {
	size := req.Header.contentLength
	if size < 0 || len(req.Header.trailer) > 0 || req.bodyStreamWriter != nil {
		size = -1
		req.Header.SetContentLength(-1)
	}
	req.scratch = req.Header.AppendBytes(req.scratch[:0])
	_, err := w.Write(req.scratch)
	if err == nil {
		switch {
		case req.bodyStreamWriter != nil:
			sw := req.bodyStreamWriter
			req.bodyStreamWriter = nil
			err = writeStreamWriterChunked(w, sw)
		case size >= 0:
			err = writeBodyFixedSize(w, req.bodyStream, int64(size))
		default:
			err = writeBodyChunked(w, req.bodyStream)
		}
		if err == nil && size < 0 {
			err = writeLastChunk(w, req.Header.TrailerHeader())
		}
	}
	if cerr := req.closeBodyStreamErr(err); err == nil {
		err = cerr
	}
	return err
}

// Read reads a whole request (header and body) from r, with no body size
// limit: use ReadLimitBody for untrusted peers. It returns io.EOF when r
// ends before the first byte. A request with "Expect: 100-continue" is
// read without its body; see MayContinue and ContinueReadBody.
func (req *Request) Read(r *bufio.Reader) error {
	return req.ReadLimitBody(r, 0)
}

// ReadLimitBody is Read that fails with ErrBodyTooLarge when the body
// exceeds maxBodySize (0: no limit). On an error the request is reset.
func (req *Request) ReadLimitBody(r *bufio.Reader, maxBodySize int) error {
	req.resetSkipHeader()
	if err := req.Header.Read(r); err != nil {
		return err
	}
	if req.MayContinue() {
		return nil
	}
	if err := req.ContinueReadBody(r, maxBodySize); err != nil {
		req.Reset()
		return err
	}
	return nil
}

// ContinueReadBody reads the body of a request whose header was already
// read, e.g. after answering "Expect: 100-continue". It fails with
// ErrBodyTooLarge past maxBodySize (0: no limit). A multipart/form-data
// body is parsed into MultipartForm at once unless preParseMultipartForm
// is false.
func (req *Request) ContinueReadBody(r *bufio.Reader, maxBodySize int, preParseMultipartForm ...bool) error {
	cl := req.Header.contentLength
	if cl == 0 {
		return nil
	}
	if err := req.ReadBody(r, cl, maxBodySize); err != nil {
		return err
	}
	if len(preParseMultipartForm) == 0 || preParseMultipartForm[0] {
		if len(req.Header.MultipartFormBoundary()) > 0 {
			if _, err := req.MultipartFormWithLimit(maxBodySize); err != nil {
				return err
			}
		}
	}
	return nil
}

// ContinueReadBodyStream prepares the body of a request whose header was
// already read to be read through BodyStream, straight from r, whatever
// its size: a body over maxBodySize is handed over as a stream too, for
// the reader to limit as it sees fit. A request that declares a body
// (Content-Length, even 0, or chunked) always gets a stream; one without
// body framing gets none. The caller must not use r until the stream is
// read or closed.
func (req *Request) ContinueReadBodyStream(r *bufio.Reader, maxBodySize int, preParseMultipartForm ...bool) error {
	cl := req.Header.contentLength
	if cl == 0 && !req.Header.hasContentLength {
		return nil
	}
	s := &requestStream{}
	s.init(r, cl)
	s.trailer = &req.Header
	req.bodySetStream(s)
	return nil
}

// ReadBody reads a body of contentLength bytes (-1: chunked, with its
// trailer fields) from r, failing with ErrBodyTooLarge past maxBodySize
// (0: no limit). The buffer grows with the bytes that arrive, never to a
// size the peer merely announced.
func (req *Request) ReadBody(r *bufio.Reader, contentLength, maxBodySize int) error {
	if maxBodySize > 0 && contentLength > maxBodySize {
		return ErrBodyTooLarge
	}
	bb := req.bodyBuffer()
	var err error
	if contentLength >= 0 {
		bb.B, err = appendBodyFixedSize(r, bb.B[:0], contentLength)
	} else {
		bb.B, err = appendBodyChunked(r, bb.B[:0], maxBodySize, &req.scratch)
		if err == nil {
			err = req.Header.ReadTrailer(r)
		}
	}
	return err
}

// basicAuth builds the value of an Authorization field for user:password.
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
