package fasthttp

import (
	"testing"
)

// These benchmarks run a client against a fasthttp Server on loopback,
// over keep-alive connections. Allocations counted include the server's,
// so "0 allocs/op" means neither side allocates per request.

func benchServer(b testing.TB) *testServer {
	return startServer(b, func(ctx *RequestCtx) {
		ctx.SetContentType("text/plain")
		ctx.SetBodyString("hello, world")
	})
}

func BenchmarkHostClientDo(b *testing.B) {
	ts := benchServer(b)
	hc := &HostClient{Addr: ts.addr}
	req := AcquireRequest()
	resp := AcquireResponse()
	req.SetRequestURI("http://" + ts.addr + "/bench?x=1")
	req.Header.Set("X-Request", "value")
	// Warm the pools and the connection before measuring.
	for i := 0; i < 100; i++ {
		if err := hc.Do(req, resp); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := hc.Do(req, resp); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkHostClientDoParallel(b *testing.B) {
	ts := benchServer(b)
	hc := &HostClient{Addr: ts.addr}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		req := AcquireRequest()
		resp := AcquireResponse()
		req.SetRequestURI("http://" + ts.addr + "/bench")
		for pb.Next() {
			if err := hc.Do(req, resp); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

func BenchmarkClientDoTimeout(b *testing.B) {
	ts := benchServer(b)
	var c Client
	req := AcquireRequest()
	resp := AcquireResponse()
	req.SetRequestURI("http://" + ts.addr + "/bench")
	for i := 0; i < 100; i++ {
		if err := c.DoTimeout(req, resp, 5e9); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := c.DoTimeout(req, resp, 5e9); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPipelineClientDo(b *testing.B) {
	ts := benchServer(b)
	pc := &PipelineClient{Addr: ts.addr, Logger: quietLogger}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		req := AcquireRequest()
		resp := AcquireResponse()
		req.SetRequestURI("http://" + ts.addr + "/bench")
		for pb.Next() {
			if err := pc.Do(req, resp); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// TestClientDoAllocations keeps the keep-alive request path free of
// allocations, client and server side together.
func TestClientDoAllocations(t *testing.T) {
	if clientRaceEnabled {
		t.Skip("the race detector allocates")
	}
	ts := benchServer(t)
	hc := &HostClient{Addr: ts.addr}
	var c Client
	req := AcquireRequest()
	resp := AcquireResponse()
	req.SetRequestURI("http://" + ts.addr + "/bench?x=1")
	req.Header.Set("X-Request", "value")
	for name, do := range map[string]func() error{
		"HostClient.Do":        func() error { return hc.Do(req, resp) },
		"Client.DoTimeout":     func() error { return c.DoTimeout(req, resp, 5e9) },
		"HostClient.DoTimeout": func() error { return hc.DoTimeout(req, resp, 5e9) },
	} {
		for i := 0; i < 100; i++ {
			if err := do(); err != nil {
				t.Fatal(err)
			}
		}
		if n := testing.AllocsPerRun(200, func() {
			if err := do(); err != nil {
				t.Fatal(err)
			}
		}); n != 0 {
			t.Errorf("%s: %v allocations per request, want 0", name, n)
		}
	}
}
