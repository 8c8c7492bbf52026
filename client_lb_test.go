package fasthttp

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestLBClientBalances(t *testing.T) {
	t.Parallel()
	var hits [3]atomic.Int32
	var clients []BalancingClient
	for i := range hits {
		i := i
		ts := startServer(t, func(ctx *RequestCtx) { hits[i].Add(1) })
		clients = append(clients, &HostClient{Addr: ts.addr})
	}
	lb := &LBClient{Clients: clients}
	for i := 0; i < 30; i++ {
		req := AcquireRequest()
		resp := AcquireResponse()
		req.SetRequestURI("http://lb.test/")
		if err := lb.Do(req, resp); err != nil {
			t.Fatal(err)
		}
		ReleaseRequest(req)
		ReleaseResponse(resp)
	}
	// Idle clients take turns.
	for i := range hits {
		if n := hits[i].Load(); n != 10 {
			t.Fatalf("client %d got %d of 30 requests, want 10", i, n)
		}
	}
}

func TestLBClientPrefersLeastLoaded(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	var slowHits, fastHits atomic.Int32
	slow := startServer(t, func(ctx *RequestCtx) {
		slowHits.Add(1)
		<-release
	})
	fast := startServer(t, func(ctx *RequestCtx) { fastHits.Add(1) })
	slowHC := &HostClient{Addr: slow.addr}
	lb := &LBClient{Clients: []BalancingClient{slowHC, &HostClient{Addr: fast.addr}}, Timeout: 5 * time.Second}
	var wg sync.WaitGroup
	defer wg.Wait()
	defer close(release)
	// Park two requests on the slow server.
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req := AcquireRequest()
			resp := AcquireResponse()
			req.SetRequestURI("http://lb.test/")
			_ = slowHC.DoTimeout(req, resp, 5*time.Second)
		}()
	}
	waitFor(t, func() bool { return slowHC.PendingRequests() == 2 && slowHits.Load() == 2 })
	for i := 0; i < 10; i++ {
		req := AcquireRequest()
		resp := AcquireResponse()
		req.SetRequestURI("http://lb.test/")
		if err := lb.Do(req, resp); err != nil {
			t.Fatal(err)
		}
	}
	if fastHits.Load() != 10 || slowHits.Load() != 2 {
		t.Fatalf("fast got %d, slow got %d: the busy client should be avoided", fastHits.Load(), slowHits.Load())
	}
}

func TestLBClientHealthCheck(t *testing.T) {
	t.Parallel()
	var badHits, goodHits atomic.Int32
	bad := startServer(t, func(ctx *RequestCtx) {
		badHits.Add(1)
		ctx.SetStatusCode(StatusInternalServerError)
	})
	good := startServer(t, func(ctx *RequestCtx) { goodHits.Add(1) })
	var checks atomic.Int32
	lb := &LBClient{
		Clients: []BalancingClient{&HostClient{Addr: bad.addr}, &HostClient{Addr: good.addr}},
		HealthCheck: func(req *Request, resp *Response, err error) bool {
			checks.Add(1)
			return err == nil && resp.StatusCode() < 500
		},
	}
	for i := 0; i < 20; i++ {
		req := AcquireRequest()
		resp := AcquireResponse()
		req.SetRequestURI("http://lb.test/")
		if err := lb.Do(req, resp); err != nil {
			t.Fatal(err)
		}
	}
	if checks.Load() != 20 {
		t.Fatalf("HealthCheck called %d times, want 20", checks.Load())
	}
	// The failing client is penalized after its first failure.
	if badHits.Load() > 2 || goodHits.Load() < 18 {
		t.Fatalf("bad got %d, good got %d", badHits.Load(), goodHits.Load())
	}

	// By default a client is unhealthy when the request failed.
	unreachable := &HostClient{Addr: "127.0.0.1:1"}
	lb2 := &LBClient{Clients: []BalancingClient{unreachable, &HostClient{Addr: good.addr}}}
	failures := 0
	for i := 0; i < 10; i++ {
		req := AcquireRequest()
		resp := AcquireResponse()
		req.SetRequestURI("http://lb.test/")
		if lb2.Do(req, resp) != nil {
			failures++
		}
	}
	if failures > 2 {
		t.Fatalf("%d of 10 requests failed: the unreachable client was not penalized", failures)
	}
}

func TestLBClientAddRemove(t *testing.T) {
	t.Parallel()
	var lb LBClient
	req := AcquireRequest()
	resp := AcquireResponse()
	req.SetRequestURI("http://lb.test/")
	if err := lb.Do(req, resp); err != ErrNoAvailableClients {
		t.Fatalf("got %v, want ErrNoAvailableClients", err)
	}
	ts := startServer(t, func(ctx *RequestCtx) { ctx.SetBodyString("ok") })
	a := &HostClient{Addr: ts.addr}
	b := &HostClient{Addr: "127.0.0.1:1"}
	if n := lb.AddClient(a); n != 1 {
		t.Fatalf("AddClient returned %d", n)
	}
	if n := lb.AddClient(b); n != 2 {
		t.Fatalf("AddClient returned %d", n)
	}
	if n := lb.RemoveClients(func(c BalancingClient) bool { return c == b }); n != 1 {
		t.Fatalf("RemoveClients returned %d", n)
	}
	for i := 0; i < 3; i++ {
		if err := lb.DoTimeout(req, resp, time.Second); err != nil || string(resp.Body()) != "ok" {
			t.Fatalf("got %q %v", resp.Body(), err)
		}
	}
	if err := lb.DoDeadline(req, resp, time.Now().Add(-time.Second)); err != ErrTimeout {
		t.Fatalf("past deadline: %v", err)
	}
	// PipelineClient balances too.
	lb.AddClient(&PipelineClient{Addr: ts.addr, Logger: quietLogger})
	lb.RemoveClients(func(c BalancingClient) bool { return c == a })
	if err := lb.Do(req, resp); err != nil || string(resp.Body()) != "ok" {
		t.Fatalf("pipeline client: %q %v", resp.Body(), err)
	}
}
