package wsbench

// WebSocket benchmarks: an echo round trip per op over loopback TCP (client
// writes, server reads and writes back, client reads), for 16 B, 1 KiB and
// 64 KiB messages with and without permessage-deflate, and the memory an
// open idle connection holds (both ends live in this process, so the
// figure is per connection pair).
//
// compare.sh builds this module twice, once against upstream fasthttp
// v1.79.0 and once against the repository (a replace line), so
// "fasthttp" is upstream's github.com/valyala/fasthttp/websocket in one
// binary and the repository's in the other. fasthttp/websocket v1.5.12 and
// coder/websocket v1.8.15 are measured in the upstream binary.

import (
	"context"
	"net"
	"net/http"
	"runtime"
	"strconv"
	"syscall"
	"testing"
	"time"

	coder "github.com/coder/websocket"
	fws "github.com/fasthttp/websocket"
	"github.com/valyala/fasthttp"
	vws "github.com/valyala/fasthttp/websocket"
)

// impl is one WebSocket implementation: a server on ln and a client.
type impl struct {
	name   string
	serve  func(ln net.Listener, compress bool)
	dial   func(addr string, compress bool) (client, error)
	linked bool // measured in the project build too
}

type client interface {
	echo(msg []byte) error
	close()
}

var impls = []impl{
	{name: "fasthttp", serve: serveV, dial: dialV, linked: true},
	{name: "fasthttp-websocket", serve: serveF, dial: dialF},
	{name: "coder", serve: serveC, dial: dialC},
}

// --- github.com/valyala/fasthttp/websocket

func serveV(ln net.Listener, compress bool) {
	opts := &vws.AcceptOptions{CompressionThreshold: 1}
	if compress {
		opts.CompressionMode = vws.CompressionNoContextTakeover
	}
	_ = fasthttp.Serve(ln, func(ctx *fasthttp.RequestCtx) {
		_ = vws.Accept(ctx, opts, func(c *vws.Conn) {
			ctx := c.Context()
			for {
				typ, msg, err := c.Read(ctx)
				if err != nil || c.Write(ctx, typ, msg) != nil {
					return
				}
			}
		})
	})
}

type vClient struct{ c *vws.Conn }

func dialV(addr string, compress bool) (client, error) {
	opts := &vws.DialOptions{CompressionThreshold: 1}
	if compress {
		opts.CompressionMode = vws.CompressionNoContextTakeover
	}
	c, err := vws.Dial(context.Background(), "ws://"+addr+"/", opts)
	if err != nil {
		return nil, err
	}
	return vClient{c}, nil
}

func (v vClient) echo(msg []byte) error {
	ctx := context.Background()
	if err := v.c.Write(ctx, vws.MessageBinary, msg); err != nil {
		return err
	}
	_, _, err := v.c.Read(ctx)
	return err
}

func (v vClient) close() { _ = v.c.CloseNow() }

// --- github.com/fasthttp/websocket

func serveF(ln net.Listener, compress bool) {
	up := fws.FastHTTPUpgrader{EnableCompression: compress, CheckOrigin: func(*fasthttp.RequestCtx) bool { return true }}
	_ = fasthttp.Serve(ln, func(ctx *fasthttp.RequestCtx) {
		_ = up.Upgrade(ctx, func(c *fws.Conn) {
			c.EnableWriteCompression(compress)
			for {
				typ, msg, err := c.ReadMessage()
				if err != nil {
					return
				}
				if err := c.WriteMessage(typ, msg); err != nil {
					return
				}
			}
		})
	})
}

type fClient struct{ c *fws.Conn }

func dialF(addr string, compress bool) (client, error) {
	d := fws.Dialer{EnableCompression: compress}
	c, _, err := d.Dial("ws://"+addr+"/", nil)
	if err != nil {
		return nil, err
	}
	c.EnableWriteCompression(compress)
	return fClient{c}, nil
}

func (f fClient) echo(msg []byte) error {
	if err := f.c.WriteMessage(fws.BinaryMessage, msg); err != nil {
		return err
	}
	_, _, err := f.c.ReadMessage()
	return err
}

func (f fClient) close() { _ = f.c.Close() }

// --- github.com/coder/websocket (net/http)

func coderMode(compress bool) coder.CompressionMode {
	if compress {
		return coder.CompressionNoContextTakeover
	}
	return coder.CompressionDisabled
}

func serveC(ln net.Listener, compress bool) {
	_ = http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := coder.Accept(w, r, &coder.AcceptOptions{CompressionMode: coderMode(compress), CompressionThreshold: 1})
		if err != nil {
			return
		}
		defer c.CloseNow()
		c.SetReadLimit(1 << 20)
		ctx := context.Background()
		for {
			typ, msg, err := c.Read(ctx)
			if err != nil {
				return
			}
			if err := c.Write(ctx, typ, msg); err != nil {
				return
			}
		}
	}))
}

type cClient struct{ c *coder.Conn }

func dialC(addr string, compress bool) (client, error) {
	c, _, err := coder.Dial(context.Background(), "ws://"+addr+"/", &coder.DialOptions{CompressionMode: coderMode(compress), CompressionThreshold: 1})
	if err != nil {
		return nil, err
	}
	c.SetReadLimit(1 << 20)
	return cClient{c}, nil
}

func (c cClient) echo(msg []byte) error {
	ctx := context.Background()
	if err := c.c.Write(ctx, coder.MessageBinary, msg); err != nil {
		return err
	}
	_, _, err := c.c.Read(ctx)
	return err
}

func (c cClient) close() { _ = c.c.CloseNow() }

// ---

// cpuTime returns the process's user and system CPU time in nanoseconds.
func cpuTime() int64 {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// project is set by compare.sh's project build (-ldflags -X): there only
// the linked implementation runs.
var project string

func selected() []impl {
	if project == "" {
		return impls
	}
	return impls[:1]
}

func listen(tb testing.TB, im impl, compress bool) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	go im.serve(ln, compress)
	tb.Cleanup(func() { _ = ln.Close() })
	return ln.Addr().String()
}

func BenchmarkEcho(b *testing.B) {
	for _, im := range selected() {
		for _, compress := range []bool{false, true} {
			for _, size := range []int{16, 1024, 64 << 10} {
				mode := "plain"
				if compress {
					mode = "deflate"
				}
				b.Run(im.name+"/"+mode+"/"+strconv.Itoa(size), func(b *testing.B) {
					addr := listen(b, im, compress)
					c, err := im.dial(addr, compress)
					if err != nil {
						b.Fatal(err)
					}
					defer c.close()
					msg := make([]byte, size)
					for i := range msg {
						msg[i] = "websocket benchmark payload, "[i%29]
					}
					for i := 0; i < 200; i++ {
						if err := c.echo(msg); err != nil {
							b.Fatal(err)
						}
					}
					b.SetBytes(int64(size))
					b.ReportAllocs()
					b.ResetTimer()
					cpu0 := cpuTime()
					for i := 0; i < b.N; i++ {
						if err := c.echo(msg); err != nil {
							b.Fatal(err)
						}
					}
					// CPU time (user + system, both ends) is steadier than wall
					// time on a shared machine: waiting for the CPU is not in it.
					b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
				})
			}
		}
	}
}

// BenchmarkIdle opens idleConns connections, exchanges one message on each
// (so lazily made buffers exist), lets them go idle and reports the heap
// and goroutine stacks they hold, per connection (both ends).
func BenchmarkIdle(b *testing.B) {
	const idleConns = 300
	for _, im := range selected() {
		b.Run(im.name, func(b *testing.B) {
			addr := listen(b, im, false)
			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			g0 := runtime.NumGoroutine()
			cs := make([]client, 0, idleConns)
			msg := []byte("hello")
			for i := 0; i < idleConns; i++ {
				c, err := im.dial(addr, false)
				if err != nil {
					b.Fatal(err)
				}
				if err := c.echo(msg); err != nil {
					b.Fatal(err)
				}
				cs = append(cs, c)
			}
			time.Sleep(200 * time.Millisecond) // let every server goroutine block in its read
			runtime.GC()
			runtime.GC()
			runtime.ReadMemStats(&after)
			g1 := runtime.NumGoroutine()
			heap := float64(after.HeapInuse) - float64(before.HeapInuse)
			stack := float64(after.StackInuse) - float64(before.StackInuse)
			b.ReportMetric((heap+stack)/idleConns, "B/conn")
			b.ReportMetric(heap/idleConns, "heap-B/conn")
			b.ReportMetric(float64(g1-g0)/idleConns, "goroutines/conn")
			for _, c := range cs {
				c.close()
			}
			for i := 0; i < b.N; i++ {
			}
		})
	}
}
