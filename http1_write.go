package fasthttp

import (
	"bufio"
	"net"
	"time"
)

// This file is what an http1Conn writes: interim (1xx) responses, final
// responses, the answers to requests that could not be read, and the
// deadlines around them. The serialisation of a Response itself is the
// wire codec's (Response.Write); the server's defaults are applied before
// (Server.applyResponseDefaults).

// writer returns the connection's buffered writer, acquiring it on the
// first write.
func (c *http1Conn) writer() *bufio.Writer {
	if c.bw == nil {
		c.bw = c.s.acquireWriter(c.c)
	}
	return c.bw
}

// writeInterim sends a 1xx response at once (see responder). HTTP/1.0 has
// no interim responses: nothing is sent to its clients.
func (c *http1Conn) writeInterim(status int, key string, values [][]byte) error {
	if c.ctx == nil || c.ctx.Request.Header.noHTTP11 {
		return nil
	}
	bw := c.writer()
	b := appendStatusLine(bw.AvailableBuffer(), status, nil)
	for _, v := range values {
		b = append(b, key...)
		b = append(b, ": "...)
		start := len(b)
		b = append(b, v...)
		// A value set by the handler may keep a control byte (see
		// storedFieldValue): it never goes out as it is.
		if !validFieldValue(v) {
			sanitizeInPlace(b[start:])
		}
		b = append(b, "\r\n"...)
	}
	b = append(b, "\r\n"...)
	if _, err := bw.Write(b); err != nil {
		return err
	}
	c.boundWrite(c.s.WriteTimeout)
	return bw.Flush()
}

// writeFinal applies the server's defaults to resp and writes it; the
// caller flushes, except that a streamed body is flushed as it goes and at
// its end.
func (c *http1Conn) writeFinal(resp *Response, isHead bool) error {
	c.s.applyResponseDefaults(resp, isHead)
	bw := c.writer()
	if resp.IsBodyStream() {
		if err := resp.Write(bw); err != nil {
			return err
		}
		return bw.Flush()
	}
	return resp.Write(bw)
}

// writeError answers a request that could not be read (see
// Server.errorResponse), then lets the client read the answer before the
// connection closes: after a framing error nothing else on it can be
// trusted.
func (c *http1Conn) writeError(err error) {
	ctx := c.ctx
	c.s.errorResponse(ctx, err)
	c.boundWrite(writeErrorTimeout(c.s.WriteTimeout))
	if c.writeFinal(&ctx.Response, ctx.Request.Header.IsHead()) == nil && c.bw.Flush() == nil {
		lingerClose(c.c)
	}
}

// refuse answers a refused Expect with status and returns errAnswered: the
// body was not read, so the connection ends.
func (c *http1Conn) refuse(status int) error {
	ctx := c.ctx
	refuseBody(ctx, status)
	c.boundWrite(writeErrorTimeout(c.s.WriteTimeout))
	if err := c.writeFinal(&ctx.Response, ctx.Request.Header.IsHead()); err != nil {
		return err
	}
	if err := c.bw.Flush(); err != nil {
		return err
	}
	lingerClose(c.c)
	return errAnswered
}

// boundWrite bounds the next write by d, when d is set. Inlined: without
// WriteTimeout this check is all that runs.
func (c *http1Conn) boundWrite(d time.Duration) {
	if d > 0 {
		c.writeWithin(d)
	}
}

func (c *http1Conn) writeWithin(d time.Duration) {
	if t := coarseDeadline(d); !t.Equal(c.wdl) {
		c.wdl = t
		_ = c.c.SetWriteDeadline(t)
	}
}

// setReadDeadline is the responder's: a handler sets the read deadline,
// and the loop knows it when it sets its own after the request.
func (c *http1Conn) setReadDeadline(t time.Time) error {
	c.deadline = t
	c.entry.readDL.Store(deadlineNanos(t))
	return c.c.SetReadDeadline(t)
}

// setWriteDeadline is the responder's; the loop sets its own before each
// response it writes when WriteTimeout is set.
func (c *http1Conn) setWriteDeadline(t time.Time) error {
	c.wdl = t
	return c.c.SetWriteDeadline(t)
}

// writeErrorTimeout bounds writing an error answer even when the server
// sets no WriteTimeout: the client may not be reading.
func writeErrorTimeout(d time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return 5 * time.Second
}

// lingerClose half-closes c and reads what the client still sends for a
// short while. Closing a socket with unread input makes the kernel send a
// reset, which can destroy the answer before the client reads it.
func lingerClose(c net.Conn) {
	cw, ok := connAs[interface{ CloseWrite() error }](c)
	if !ok || cw.CloseWrite() != nil {
		return
	}
	// Bounded in time and bytes: long enough for a client still uploading
	// to notice the answer and stop.
	_ = c.SetReadDeadline(time.Now().Add(500 * time.Millisecond))
	buf := copyBufPool.Get().(*[]byte)
	for n := 0; n < 4<<20; {
		m, err := c.Read(*buf)
		n += m
		if err != nil {
			break
		}
	}
	copyBufPool.Put(buf)
}
