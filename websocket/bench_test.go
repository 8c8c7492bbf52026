package websocket

import (
	"context"
	"runtime"
	"strconv"
	"testing"
	"time"
)

// BenchmarkEcho is one round trip per op over loopback TCP: the client
// writes a message, the server's echo handler reads it and writes it back,
// the client reads it. allocs/op counts both sides.
func BenchmarkEcho(b *testing.B) {
	for _, mode := range []CompressionMode{CompressionDisabled, CompressionNoContextTakeover, CompressionContextTakeover} {
		for _, size := range []int{16, 1024, 64 << 10} {
			name := []string{"plain", "deflate", "deflate-ctx"}[mode] + "/" + strconv.Itoa(size)
			b.Run(name, func(b *testing.B) {
				addr := startServer(b, &AcceptOptions{CompressionMode: mode}, echo)
				c := dialT(b, addr, &DialOptions{CompressionMode: mode})
				msg := make([]byte, size)
				for i := range msg {
					msg[i] = "websocket benchmark payload "[i%28]
				}
				ctx := context.Background()
				roundTrip := func() {
					if err := c.Write(ctx, MessageBinary, msg); err != nil {
						b.Fatal(err)
					}
					if _, got, err := c.Read(ctx); err != nil || len(got) != size {
						b.Fatal(err)
					}
				}
				for i := 0; i < 100; i++ { // warm the pools
					roundTrip()
				}
				b.SetBytes(int64(size))
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					roundTrip()
				}
			})
		}
	}
}

// TestEchoAllocs pins the zero-allocation promise: a steady-state round
// trip without compression allocates nothing, on either side.
func TestEchoAllocs(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("allocation counts need a non-race build")
	}
	addr := startServer(t, nil, echo)
	c := dialT(t, addr, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, size := range []int{16, 1024, 64 << 10} {
		msg := make([]byte, size)
		rt := func() {
			if err := c.Write(ctx, MessageText, msg); err != nil {
				t.Fatal(err)
			}
			if _, _, err := c.Read(ctx); err != nil {
				t.Fatal(err)
			}
		}
		for i := 0; i < 50; i++ {
			rt()
		}
		if n := testing.AllocsPerRun(200, rt); n > 0 {
			t.Errorf("%d-byte echo: %.2f allocs per round trip, want 0", size, n)
		}
		// The streaming API allocates nothing either.
		buf := make([]byte, 4096)
		stream := func() {
			w, err := c.Writer(ctx, MessageBinary)
			if err != nil {
				t.Fatal(err)
			}
			_, _ = w.Write(msg)
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			_, r, err := c.Reader(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for {
				if _, err := r.Read(buf); err != nil {
					break
				}
			}
		}
		for i := 0; i < 50; i++ {
			stream()
		}
		if n := testing.AllocsPerRun(200, stream); n > 0 {
			t.Errorf("%d-byte Writer/Reader echo: %.2f allocs per round trip, want 0", size, n)
		}
	}
}

// BenchmarkIdleConn reports the heap held per open, idle WebSocket (both
// ends in this process: the server's Conn and hijacked connection, the
// client's Conn), and the goroutines it keeps.
func BenchmarkIdleConn(b *testing.B) {
	addr := startServer(b, nil, func(c *Conn) { _, _, _ = c.Read(c.Context()) })
	const n = 200
	conns := make([]*Conn, 0, n)
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for i := 0; i < n; i++ {
		conns = append(conns, dialT(b, addr, nil))
	}
	time.Sleep(100 * time.Millisecond) // let the server goroutines block in Read
	runtime.GC()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.HeapInuse-before.HeapInuse)/n, "heap-B/conn")
	b.ReportMetric(float64(after.StackInuse-before.StackInuse)/n, "stack-B/conn")
	for _, c := range conns {
		_ = c.CloseNow()
	}
	for i := 0; i < b.N; i++ {
	}
}
