package fasthttp

import (
	"bytes"
	"net"
	"sync"
	"testing"
	"time"

	"golang.org/x/net/http2"
	"golang.org/x/net/http2/hpack"
)

// h2fConn is a connection whose client sends fixed bytes and then leaves;
// what the server writes is dropped.
type h2fConn struct {
	r      *bytes.Reader
	mu     sync.Mutex
	closed bool
}

func (c *h2fConn) Read(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return 0, net.ErrClosed
	}
	return c.r.Read(p)
}

func (c *h2fConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return 0, net.ErrClosed
	}
	return len(p), nil
}

func (c *h2fConn) Close() error {
	c.mu.Lock()
	c.closed = true
	c.mu.Unlock()
	return nil
}

func (c *h2fConn) LocalAddr() net.Addr              { return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 443} }
func (c *h2fConn) RemoteAddr() net.Addr             { return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 50000} }
func (c *h2fConn) SetDeadline(time.Time) error      { return nil }
func (c *h2fConn) SetReadDeadline(time.Time) error  { return nil }
func (c *h2fConn) SetWriteDeadline(time.Time) error { return nil }

// h2fSeeds are client byte streams (after the preface) exercising the
// frame types and the request paths.
func h2fSeeds() [][]byte {
	var seeds [][]byte
	build := func(f func(fr *http2.Framer, enc func(...string) []byte)) {
		var buf, hb bytes.Buffer
		fr := http2.NewFramer(&buf, nil)
		fr.AllowIllegalWrites = true
		henc := hpack.NewEncoder(&hb)
		enc := func(fields ...string) []byte {
			hb.Reset()
			for i := 0; i+1 < len(fields); i += 2 {
				_ = henc.WriteField(hpack.HeaderField{Name: fields[i], Value: fields[i+1]})
			}
			return append([]byte(nil), hb.Bytes()...)
		}
		_ = fr.WriteSettings(http2.Setting{ID: http2.SettingInitialWindowSize, Val: 100})
		_ = fr.WriteSettingsAck()
		f(fr, enc)
		seeds = append(seeds, buf.Bytes())
	}
	req := []string{":method", "GET", ":scheme", "https", ":path", "/x?y=1", ":authority", "example.com"}
	build(func(fr *http2.Framer, enc func(...string) []byte) {
		_ = fr.WriteHeaders(http2.HeadersFrameParam{StreamID: 1, BlockFragment: enc(req...), EndStream: true, EndHeaders: true})
		_ = fr.WritePing(false, [8]byte{1})
		_ = fr.WriteWindowUpdate(0, 1000)
	})
	build(func(fr *http2.Framer, enc func(...string) []byte) {
		block := enc(":method", "POST", ":scheme", "http", ":path", "/", "content-length", "5", "trailer", "x-t", "expect", "100-continue")
		_ = fr.WriteHeaders(http2.HeadersFrameParam{StreamID: 1, BlockFragment: block[:3], EndHeaders: false})
		_ = fr.WriteContinuation(1, true, block[3:])
		_ = fr.WriteDataPadded(1, false, []byte("hel"), []byte{0, 0})
		_ = fr.WriteData(1, false, []byte("lo"))
		_ = fr.WriteHeaders(http2.HeadersFrameParam{StreamID: 1, BlockFragment: enc("x-t", "v"), EndStream: true, EndHeaders: true})
		_ = fr.WriteRSTStream(1, http2.ErrCodeCancel)
	})
	build(func(fr *http2.Framer, enc func(...string) []byte) {
		for id := uint32(1); id < 10; id += 2 {
			_ = fr.WriteHeaders(http2.HeadersFrameParam{StreamID: id, BlockFragment: enc(req...), EndHeaders: true,
				Priority: http2.PriorityParam{StreamDep: id - 1, Weight: 3}})
			_ = fr.WriteData(id, true, []byte("body"))
		}
		_ = fr.WritePriority(11, http2.PriorityParam{StreamDep: 1})
		_ = fr.WriteSettings(http2.Setting{ID: http2.SettingHeaderTableSize, Val: 0}, http2.Setting{ID: http2.SettingMaxFrameSize, Val: 20000})
		_ = fr.WriteGoAway(9, http2.ErrCodeNo, nil)
	})
	return seeds
}

// FuzzHTTP2Conn feeds arbitrary frames to a server connection: it must
// neither panic nor hang, whatever comes, and end once the client leaves.
func FuzzHTTP2Conn(f *testing.F) {
	for _, s := range h2fSeeds() {
		f.Add(byte(0), s)
		f.Add(byte(1), s)
	}
	handler := func(ctx *RequestCtx) {
		if ctx.IsPost() {
			ctx.SetBody(ctx.PostBody())
			_ = ctx.Response.Header.SetTrailer("x-t")
			ctx.Response.Header.Set("x-t", "1")
			return
		}
		ctx.SetBodyString("fuzz")
	}
	buffered := newH2EngineForServer(&Server{Handler: handler, Logger: &srvLog{}}, nil)
	streamed := newH2EngineForServer(&Server{Handler: handler, StreamRequestBody: true, Logger: &srvLog{}},
		&HTTP2Config{MaxConcurrentStreams: 4, MaxHeaderListSize: 1000})
	f.Fuzz(func(t *testing.T, mode byte, data []byte) {
		e := buffered
		if mode&1 != 0 {
			e = streamed
		}
		c := &h2fConn{r: bytes.NewReader(append([]byte(http2.ClientPreface), data...))}
		done := make(chan struct{})
		go func() {
			_ = e.serveConn(c, nil)
			close(done)
		}()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatalf("the connection did not end after the client left")
		}
		c.mu.Lock()
		closed := c.closed
		c.mu.Unlock()
		if !closed {
			t.Fatalf("the server did not close the connection")
		}
	})
}
