package fasthttpadaptor

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

type writerState int

const (
	stateBuffered  writerState = iota // body collects in ctx.Response
	stateStreaming                    // header sent; body goes through the pipe
	stateHijacked                     // the connection belongs to h
	stateFinished                     // h returned
)

// streamChunk is how much a streaming writer collects before it pushes the
// bytes to the server without an explicit Flush.
const streamChunk = 16 << 10

// responseWriter is the http.ResponseWriter given to h. It also implements
// http.Flusher, http.Hijacker, io.StringWriter and the optional methods
// http.ResponseController looks for.
type responseWriter struct {
	x      *exchange
	header http.Header
	state  writerState

	wroteHeader bool
	status      int
	// sniff is set when the header has no Content-Type: it is then
	// detected from the first bytes of the body, as net/http does.
	sniff bool
	// declaredLength is the Content-Length h set, or -1.
	declaredLength int

	pw      *io.PipeWriter
	pending []byte // streaming: written but not yet pushed
	err     error  // streaming: the first failed push
}

func (w *responseWriter) init(x *exchange) {
	w.x = x
	w.declaredLength = -1
}

// Header returns the header map to fill before WriteHeader or Write.
func (w *responseWriter) Header() http.Header {
	if w.header == nil {
		w.header = make(http.Header)
	}
	return w.header
}

// WriteHeader sends the status code and freezes the header. Informational
// codes other than 101 are dropped: the server has no way to send them
// ahead of the final response.
func (w *responseWriter) WriteHeader(code int) {
	switch {
	case w.state == stateHijacked:
		w.x.logf("http: response.WriteHeader on hijacked connection")
		return
	case w.state == stateFinished:
		return
	case w.wroteHeader:
		w.x.logf("http: superfluous response.WriteHeader call with status %d", code)
		return
	}
	if code < 100 || code > 999 {
		panic(fmt.Sprintf("invalid WriteHeader code %v", code))
	}
	if code < 200 && code != http.StatusSwitchingProtocols {
		return
	}
	w.wroteHeader = true
	w.status = code
	w.commitHeader()
}

// commitHeader copies the status and header into ctx.Response.
func (w *responseWriter) commitHeader() {
	resp := &w.x.ctx.Response
	resp.SetStatusCode(w.status)
	ct, hasType := w.header["Content-Type"]
	_, hasTE := w.header["Transfer-Encoding"]
	w.sniff = !hasType && !hasTE
	if hasType && len(ct) == 0 {
		// A nil Content-Type entry asks net/http to send none at all.
		resp.Header.SetNoDefaultContentType(true)
	}
	for k, vv := range w.header {
		switch k {
		case "Content-Length":
			// The server frames the body itself; a declared length only
			// matters for HEAD and for a streamed body.
			if len(vv) > 0 {
				if n, err := strconv.Atoi(strings.TrimSpace(vv[0])); err == nil && n >= 0 {
					w.declaredLength = n
				}
			}
			continue
		case "Transfer-Encoding", "Trailer":
			continue
		}
		if strings.HasPrefix(k, http.TrailerPrefix) {
			continue
		}
		for _, v := range vv {
			resp.Header.Add(k, v)
		}
	}
	if w.declaredLength >= 0 && w.x.ctx.IsHead() {
		resp.Header.SetContentLength(w.declaredLength)
	}
}

// bodyAllowed reports whether the status permits a body (RFC 9110 §6.4.1).
func (w *responseWriter) bodyAllowed() bool {
	return w.status != http.StatusNoContent && w.status != http.StatusNotModified &&
		(w.status >= 200 || w.status == http.StatusSwitchingProtocols)
}

// Write writes body bytes, sending the header first with status 200 when
// WriteHeader was not called.
func (w *responseWriter) Write(p []byte) (int, error) {
	if err := w.beforeWrite(); err != nil {
		return 0, err
	}
	if w.state == stateBuffered {
		w.x.ctx.Response.AppendBody(p)
		return len(p), nil
	}
	return w.streamWrite(p)
}

// WriteString is Write for a string, without converting it to bytes.
func (w *responseWriter) WriteString(s string) (int, error) {
	if err := w.beforeWrite(); err != nil {
		return 0, err
	}
	if w.state == stateBuffered {
		w.x.ctx.Response.AppendBodyString(s)
		return len(s), nil
	}
	w.pending = append(w.pending, s...)
	if len(w.pending) >= streamChunk {
		if err := w.push(); err != nil {
			return 0, err
		}
	}
	return len(s), nil
}

// open fails once the connection was hijacked or the handler returned, and
// otherwise commits the status (200 unless one was set), as a first write
// or flush does.
func (w *responseWriter) open() error {
	switch w.state {
	case stateHijacked:
		return http.ErrHijacked
	case stateFinished:
		return errWriteAfterReturn
	}
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	return nil
}

func (w *responseWriter) beforeWrite() error {
	if err := w.open(); err != nil {
		return err
	}
	if !w.bodyAllowed() {
		return http.ErrBodyNotAllowed
	}
	return w.err
}

var errWriteAfterReturn = errors.New("fasthttpadaptor: write after the handler returned")

func (w *responseWriter) streamWrite(p []byte) (int, error) {
	if len(w.pending)+len(p) < streamChunk {
		w.pending = append(w.pending, p...)
		return len(p), nil
	}
	if err := w.push(); err != nil {
		return 0, err
	}
	if _, err := w.pw.Write(p); err != nil {
		w.err = err
		return 0, err
	}
	return len(p), nil
}

// push hands what is pending to the server; it returns once the server has
// taken all of it.
func (w *responseWriter) push() error {
	if w.err != nil {
		return w.err
	}
	if len(w.pending) == 0 {
		return nil
	}
	_, err := w.pw.Write(w.pending)
	w.pending = w.pending[:0]
	if err != nil {
		w.err = err
	}
	return err
}

// complete finishes a buffered response once h returned.
func (w *responseWriter) complete() {
	if !w.wroteHeader {
		if w.header == nil {
			w.header = http.Header{}
		}
		w.WriteHeader(http.StatusOK)
	}
	w.sniffContentType(w.x.ctx.Response.Body())
}

func (w *responseWriter) sniffContentType(body []byte) {
	if !w.sniff || len(body) == 0 || !w.bodyAllowed() {
		return
	}
	w.sniff = false
	w.x.ctx.Response.Header.SetContentType(http.DetectContentType(body))
}

// Flush sends the header and the body written so far to the client; the
// rest of the body streams.
func (w *responseWriter) Flush() {
	_ = w.FlushError()
}

// FlushError is Flush reporting a failure to send, for
// http.ResponseController.
func (w *responseWriter) FlushError() error {
	if err := w.open(); err != nil {
		return err
	}
	if w.state == stateBuffered {
		w.startStreaming()
	}
	return w.push()
}

// startStreaming turns a buffered response into a streamed one and lets the
// fasthttp handler return, so that the server sends the header.
func (w *responseWriter) startStreaming() {
	x := w.x
	resp := &x.ctx.Response
	w.pending = append(w.pending[:0], resp.Body()...)
	w.sniffContentType(w.pending)
	resp.ResetBody()

	pr, pw := io.Pipe()
	w.pw = pw
	x.finished = make(chan struct{})
	size := -1
	if w.declaredLength >= 0 && w.bodyAllowed() {
		size = w.declaredLength
	}
	resp.SetBodyStream(&streamBody{pr: pr, x: x}, size)
	resp.ImmediateHeaderFlush = true
	if x.body.streamed {
		// The server drains the rest of a streamed request body as soon as
		// the fasthttp handler returns.
		x.body.detached = true
	}
	w.state = stateStreaming
	x.handoff <- handoff{kind: handoffStream}
}

// Hijack hands the connection to h. A status and header already written are
// sent first, followed by any buffered body, as net/http does; after a
// Flush the connection can no longer be taken.
func (w *responseWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	switch w.state {
	case stateHijacked:
		return nil, nil, http.ErrHijacked
	case stateStreaming:
		return nil, nil, errHijackAfterFlush
	case stateFinished:
		return nil, nil, errWriteAfterReturn
	}
	x := w.x
	var head []byte
	if w.wroteHeader {
		head = w.appendHead(nil)
	}
	conns := make(chan net.Conn, 1)
	x.ctx.HijackSetNoResponse(true)
	x.ctx.Hijack(func(c net.Conn) {
		hc := newHijackedConn(c)
		conns <- hc
		// The server closes c when this returns: wait until h is done.
		<-hc.closedCh()
	})
	x.body.detached = true
	x.rctx.detach()
	w.state = stateHijacked
	x.handoff <- handoff{kind: handoffHijack}

	c := <-conns
	if len(head) > 0 {
		if _, err := c.Write(head); err != nil {
			_ = c.Close()
			return nil, nil, err
		}
	}
	return c, bufio.NewReadWriter(bufio.NewReader(c), bufio.NewWriter(c)), nil
}

var errHijackAfterFlush = errors.New("fasthttpadaptor: Hijack after Flush is not supported")

// appendHead serializes the response written so far, for a Hijack that
// comes after WriteHeader.
func (w *responseWriter) appendHead(dst []byte) []byte {
	dst = append(dst, "HTTP/1.1 "...)
	dst = strconv.AppendInt(dst, int64(w.status), 10)
	dst = append(dst, ' ')
	dst = append(dst, http.StatusText(w.status)...)
	dst = append(dst, "\r\n"...)
	for k, vv := range w.header {
		if !validFieldName(k) {
			continue
		}
		for _, v := range vv {
			dst = append(dst, k...)
			dst = append(dst, ": "...)
			dst = appendFieldValue(dst, v)
			dst = append(dst, "\r\n"...)
		}
	}
	dst = append(dst, "\r\n"...)
	return append(dst, w.x.ctx.Response.Body()...)
}

// validFieldName reports whether k is an RFC 9110 token.
func validFieldName(k string) bool {
	if k == "" {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte("\"(),/:;<=>?@[\\]{}", c) >= 0 {
			return false
		}
	}
	return true
}

// appendFieldValue appends v with CR, LF and NUL replaced by spaces, so a
// value can never start a new field.
func appendFieldValue(dst []byte, v string) []byte {
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c == '\r' || c == '\n' || c == 0 {
			c = ' '
		}
		dst = append(dst, c)
	}
	return dst
}

// SetReadDeadline sets the read deadline of the connection, for
// http.ResponseController.
func (w *responseWriter) SetReadDeadline(t time.Time) error {
	if w.state != stateBuffered {
		return errDeadlineUnavailable
	}
	return w.x.ctx.SetReadDeadline(t)
}

// SetWriteDeadline sets the write deadline of the connection, for
// http.ResponseController.
func (w *responseWriter) SetWriteDeadline(t time.Time) error {
	if w.state != stateBuffered {
		return errDeadlineUnavailable
	}
	return w.x.ctx.SetWriteDeadline(t)
}

var errDeadlineUnavailable = errors.New("fasthttpadaptor: deadlines can only be set before Flush or Hijack")
