package fasthttp

import (
	"encoding/binary"
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"golang.org/x/net/http2"
)

// Benchmarks of the HTTP/2 server over an in-memory connection: a minimal
// client queues request frames and reads the response frames' headers,
// allocating nothing itself, so allocs/op are the server's alone.

// h2bConn is the server's end of an in-memory HTTP/2 connection.
type h2bConn struct {
	in     chan []byte // client to server
	cur    []byte
	closed chan struct{}
	once   sync.Once

	// What the server writes, parsed just enough to see streams end.
	hdr    [9]byte
	hn     int
	skip   int
	ended  chan uint32
	credit int
}

// h2bWindowUpdate gives 32 KiB back to the connection window.
var h2bWindowUpdate = []byte{0, 0, 4, byte(http2.FrameWindowUpdate), 0, 0, 0, 0, 0, 0, 0, 0x80, 0}

func newH2bConn() *h2bConn {
	c := &h2bConn{in: make(chan []byte, 4096), closed: make(chan struct{}), ended: make(chan uint32, 4096)}
	preface := []byte(http2.ClientPreface)
	// SETTINGS: a 1 MiB stream window, so that no stream waits for one.
	preface = append(preface, 0, 0, 6, byte(http2.FrameSettings), 0, 0, 0, 0, 0, 0, byte(http2.SettingInitialWindowSize), 0, 0x10, 0, 0)
	preface = append(preface, 0, 0, 0, byte(http2.FrameSettings), byte(http2.FlagSettingsAck), 0, 0, 0, 0) // ACK
	c.in <- preface
	return c
}

func (c *h2bConn) Read(p []byte) (int, error) {
	if len(c.cur) == 0 {
		select {
		case b := <-c.in:
			c.cur = b
		case <-c.closed:
			return 0, io.EOF
		}
	}
	n := copy(p, c.cur)
	c.cur = c.cur[n:]
	return n, nil
}

func (c *h2bConn) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		if c.skip > 0 {
			k := min(c.skip, len(p))
			c.skip -= k
			p = p[k:]
			continue
		}
		k := copy(c.hdr[c.hn:], p)
		c.hn += k
		p = p[k:]
		if c.hn < 9 {
			break
		}
		c.hn = 0
		length := int(c.hdr[0])<<16 | int(c.hdr[1])<<8 | int(c.hdr[2])
		typ, flags := http2.FrameType(c.hdr[3]), http2.Flags(c.hdr[4])
		id := binary.BigEndian.Uint32(c.hdr[5:]) & (1<<31 - 1)
		c.skip = length
		if typ == http2.FrameData {
			c.credit += length
			for c.credit >= 32<<10 {
				c.credit -= 32 << 10
				c.in <- h2bWindowUpdate
			}
		}
		if (typ == http2.FrameData || typ == http2.FrameHeaders) && flags.Has(http2.FlagDataEndStream) {
			c.ended <- id
		}
	}
	return n, nil
}

func (c *h2bConn) Close() error {
	c.once.Do(func() { close(c.closed) })
	return nil
}

func (c *h2bConn) LocalAddr() net.Addr              { return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 8443} }
func (c *h2bConn) RemoteAddr() net.Addr             { return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 40000} }
func (c *h2bConn) SetDeadline(time.Time) error      { return nil }
func (c *h2bConn) SetReadDeadline(time.Time) error  { return nil }
func (c *h2bConn) SetWriteDeadline(time.Time) error { return nil }

// h2bRequests is a ring of GET request frames. As real clients do, the
// first request adds :authority to the dynamic table and the later ones
// refer to it; everything else is in the static table, so every request
// after the first encodes the same.
type h2bRequests struct {
	slots [][]byte
	next  int
}

func newH2bRequests(n int) *h2bRequests {
	block := []byte{0x82, 0x86, 0x84, 0xbe} // GET, http, /, dynamic entry 62
	r := &h2bRequests{slots: make([][]byte, n)}
	first := []byte{0x82, 0x86, 0x84, 0x41, 11} // :authority with indexing
	first = append(first, "bench.local"...)
	f := []byte{0, 0, byte(len(first)), byte(http2.FrameHeaders), byte(http2.FlagHeadersEndStream | http2.FlagHeadersEndHeaders), 0, 0, 0, 0}
	r.slots = append(r.slots, append(f, first...))
	r.next = len(r.slots) - 1
	for i := range r.slots[:n] {
		f := []byte{0, 0, byte(len(block)), byte(http2.FrameHeaders), byte(http2.FlagHeadersEndStream | http2.FlagHeadersEndHeaders), 0, 0, 0, 0}
		r.slots[i] = append(f, block...)
	}
	return r
}

// frame returns the request frame of stream id, in a slot the server is
// done with (the ring is larger than the streams in flight).
func (r *h2bRequests) frame(id uint32) []byte {
	f := r.slots[r.next]
	r.next = (r.next + 1) % (len(r.slots) - 1) // the first request is sent once
	binary.BigEndian.PutUint32(f[5:], id)
	return f
}

func benchmarkHTTP2(b *testing.B, inFlight int, handler RequestHandler) {
	s := &Server{Handler: handler}
	e := newH2EngineForServer(s, &HTTP2Config{MaxConcurrentStreams: 256})
	c := newH2bConn()
	done := make(chan struct{})
	go func() {
		_ = e.serveConn(c, nil)
		close(done)
	}()
	reqs := newH2bRequests(4 * inFlight)
	id := uint32(1)
	run := func(n int) {
		sent := 0
		for ; sent < min(n, inFlight); sent++ {
			c.in <- reqs.frame(id)
			id += 2
		}
		for got := 0; got < n; got++ {
			<-c.ended
			if sent < n {
				c.in <- reqs.frame(id)
				id += 2
				sent++
			}
		}
	}
	run(1000) // warm the pools
	b.ReportAllocs()
	b.ResetTimer()
	run(b.N)
	b.StopTimer()
	_ = c.Close()
	<-done
}

func h2bHello(ctx *RequestCtx) {
	ctx.SetContentType("text/plain; charset=utf-8")
	ctx.SetBodyString("Hello, World!")
}

// BenchmarkHTTP2Get is one GET at a time on one connection: the latency
// path, read loop to stream goroutine to writer and back.
func BenchmarkHTTP2Get(b *testing.B) { benchmarkHTTP2(b, 1, h2bHello) }

// BenchmarkHTTP2Get16Streams keeps 16 GETs in flight on one connection,
// as browsers and gRPC-style clients do.
func BenchmarkHTTP2Get16Streams(b *testing.B) { benchmarkHTTP2(b, 16, h2bHello) }

// BenchmarkHTTP2Get64KiB answers each GET with 64 KiB, four DATA frames.
func BenchmarkHTTP2Get64KiB(b *testing.B) {
	body := make([]byte, 64<<10)
	benchmarkHTTP2(b, 4, func(ctx *RequestCtx) { ctx.SetBody(body) })
}
