package fasthttp

import (
	"errors"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// blockingServer serves "/block" only once release is closed; other paths
// answer at once with the client's address.
func blockingServer(t *testing.T) (*testServer, func()) {
	ch := make(chan struct{})
	var once sync.Once
	release := func() { once.Do(func() { close(ch) }) }
	ts := startServer(t, func(ctx *RequestCtx) {
		if string(ctx.Path()) == "/block" {
			<-ch
		}
		ctx.SetBodyString(ctx.RemoteAddr().String())
	})
	t.Cleanup(release)
	return ts, release
}

func TestHostClientNoFreeConns(t *testing.T) {
	t.Parallel()
	ts, release := blockingServer(t)
	hc := &HostClient{Addr: ts.addr, MaxConns: 1}
	done := make(chan error, 1)
	go func() {
		_, err := doGet(t, hc, "http://"+ts.addr+"/block")
		done <- err
	}()
	waitFor(t, func() bool { return hc.ConnsCount() == 1 && hc.PendingRequests() == 1 })
	start := time.Now()
	if _, err := doGet(t, hc, "http://"+ts.addr+"/"); err != ErrNoFreeConns {
		t.Fatalf("got %v, want ErrNoFreeConns", err)
	}
	if time.Since(start) > 500*time.Millisecond {
		t.Fatal("ErrNoFreeConns was not immediate")
	}
	release()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestHostClientMaxConnWaitTimeout(t *testing.T) {
	t.Parallel()
	ts, release := blockingServer(t)
	hc := &HostClient{Addr: ts.addr, MaxConns: 1, MaxConnWaitTimeout: 80 * time.Millisecond}
	go func() { _, _ = doGet(t, hc, "http://"+ts.addr+"/block") }()
	waitFor(t, func() bool { return hc.ConnsCount() == 1 && hc.PendingRequests() == 1 })

	// Nothing frees up in time.
	start := time.Now()
	if _, err := doGet(t, hc, "http://"+ts.addr+"/"); err != ErrNoFreeConns {
		t.Fatalf("got %v, want ErrNoFreeConns", err)
	}
	if d := time.Since(start); d < 70*time.Millisecond || d > time.Second {
		t.Fatalf("waited %v, want about 80ms", d)
	}

	// A connection freed while waiting is handed over.
	hc.MaxConnWaitTimeout = 5 * time.Second
	go func() {
		time.Sleep(50 * time.Millisecond)
		release()
	}()
	resp, err := doGet(t, hc, "http://"+ts.addr+"/")
	if err != nil {
		t.Fatal(err)
	}
	if hc.ConnsCount() != 1 || ts.accepts.Load() != 1 {
		t.Fatalf("conns %d, accepts %d: the waiter should reuse the one connection", hc.ConnsCount(), ts.accepts.Load())
	}
	_ = resp
}

func TestHostClientWaiterGetsSlotOfClosedConn(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	ts := startServer(t, func(ctx *RequestCtx) {
		if string(ctx.Path()) == "/block" {
			<-release
			ctx.SetConnectionClose()
		}
	})
	hc := &HostClient{Addr: ts.addr, MaxConns: 1, MaxConnWaitTimeout: 5 * time.Second}
	go func() { _, _ = doGet(t, hc, "http://"+ts.addr+"/block") }()
	waitFor(t, func() bool { return hc.PendingRequests() == 1 && hc.ConnsCount() == 1 })
	go func() {
		time.Sleep(30 * time.Millisecond)
		close(release)
	}()
	// The first connection is closed, not pooled: the waiter must be
	// allowed to dial its own.
	if _, err := doGet(t, hc, "http://"+ts.addr+"/"); err != nil {
		t.Fatal(err)
	}
	if n := ts.accepts.Load(); n != 2 {
		t.Fatalf("%d connections, want 2", n)
	}
	if hc.ConnsCount() != 1 {
		t.Fatalf("ConnsCount %d, want 1", hc.ConnsCount())
	}
}

func TestHostClientManyWaiters(t *testing.T) {
	t.Parallel()
	ts := startServer(t, func(ctx *RequestCtx) { time.Sleep(2 * time.Millisecond) })
	hc := &HostClient{Addr: ts.addr, MaxConns: 2, MaxConnWaitTimeout: 5 * time.Second}
	var wg sync.WaitGroup
	var failures atomic.Int32
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 5; j++ {
				if _, err := doGet(t, hc, "http://"+ts.addr+"/"); err != nil {
					failures.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	if failures.Load() != 0 {
		t.Fatalf("%d requests failed", failures.Load())
	}
	if n := ts.accepts.Load(); n > 2 {
		t.Fatalf("%d connections, MaxConns is 2", n)
	}
}

func TestHostClientIdleConnsExpire(t *testing.T) {
	t.Parallel()
	var closed atomic.Int32
	s := &Server{
		Handler: func(ctx *RequestCtx) {},
		ConnState: func(c net.Conn, st ConnState) {
			if st == StateClosed {
				closed.Add(1)
			}
		},
	}
	ts := startServerOn(t, "tcp4", "127.0.0.1:0", s)
	hc := &HostClient{Addr: ts.addr, MaxIdleConnDuration: 60 * time.Millisecond}
	if _, err := doGet(t, hc, "http://"+ts.addr+"/"); err != nil {
		t.Fatal(err)
	}
	if hc.IdleConnsCount() != 1 {
		t.Fatalf("idle %d, want 1", hc.IdleConnsCount())
	}
	waitFor(t, func() bool { return hc.ConnsCount() == 0 && closed.Load() == 1 })
	// The pool keeps working afterwards.
	if _, err := doGet(t, hc, "http://"+ts.addr+"/"); err != nil {
		t.Fatal(err)
	}
	if ts.accepts.Load() != 2 {
		t.Fatalf("%d connections, want 2", ts.accepts.Load())
	}
}

func TestHostClientMaxConnDuration(t *testing.T) {
	t.Parallel()
	ts := startServer(t, func(ctx *RequestCtx) {})
	hc := &HostClient{Addr: ts.addr, MaxConnDuration: 50 * time.Millisecond}
	for i := 0; i < 3; i++ {
		if _, err := doGet(t, hc, "http://"+ts.addr+"/"); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(70 * time.Millisecond)
	if _, err := doGet(t, hc, "http://"+ts.addr+"/"); err != nil {
		t.Fatal(err)
	}
	if n := ts.accepts.Load(); n != 2 {
		t.Fatalf("%d connections, want 2 (one replaced for age)", n)
	}
}

func TestHostClientPoolStrategy(t *testing.T) {
	t.Parallel()
	for _, strategy := range []ConnPoolStrategyType{FIFO, LIFO} {
		ts := startServer(t, func(ctx *RequestCtx) {
			if string(ctx.Path()) == "/wait" {
				time.Sleep(30 * time.Millisecond)
			}
			ctx.SetBodyString(ctx.RemoteAddr().String())
		})
		hc := &HostClient{Addr: ts.addr, ConnPoolStrategy: strategy}
		// Open three connections at once.
		var wg sync.WaitGroup
		for i := 0; i < 3; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, _ = doGet(t, hc, "http://"+ts.addr+"/wait")
			}()
		}
		wg.Wait()
		if hc.IdleConnsCount() != 3 {
			t.Fatalf("idle %d, want 3", hc.IdleConnsCount())
		}
		seen := map[string]int{}
		for i := 0; i < 6; i++ {
			resp, err := doGet(t, hc, "http://"+ts.addr+"/")
			if err != nil {
				t.Fatal(err)
			}
			seen[string(resp.Body())]++
		}
		switch strategy {
		case FIFO:
			// The oldest idle connection goes first: all three take turns.
			if len(seen) != 3 {
				t.Fatalf("FIFO used %d connections: %v", len(seen), seen)
			}
		case LIFO:
			// The freshest goes first: one connection does all the work.
			if len(seen) != 1 {
				t.Fatalf("LIFO used %d connections: %v", len(seen), seen)
			}
		}
	}
	hc := &HostClient{Addr: "127.0.0.1:1", ConnPoolStrategy: 7}
	if _, err := doGet(t, hc, "http://127.0.0.1:1/"); err != ErrConnPoolStrategyNotImpl {
		t.Fatalf("got %v, want ErrConnPoolStrategyNotImpl", err)
	}
}

func TestClientCloseIdleConnectionsAndCounts(t *testing.T) {
	t.Parallel()
	ts := startServer(t, func(ctx *RequestCtx) {})
	_, port, _ := net.SplitHostPort(ts.addr)
	var c Client
	// Two host names for the same server: two host clients.
	for _, host := range []string{"127.0.0.1", "localhost"} {
		if _, _, err := c.Get(nil, "http://"+host+":"+port+"/"); err != nil {
			t.Fatal(err)
		}
	}
	if c.ConnsCount() != 2 || c.IdleConnsCount() != 2 {
		t.Fatalf("conns %d idle %d, want 2 and 2", c.ConnsCount(), c.IdleConnsCount())
	}
	c.CloseIdleConnections()
	if c.ConnsCount() != 0 || c.IdleConnsCount() != 0 {
		t.Fatalf("after CloseIdleConnections: conns %d idle %d", c.ConnsCount(), c.IdleConnsCount())
	}
}

func TestClientConfigureClient(t *testing.T) {
	t.Parallel()
	ts := startServer(t, func(ctx *RequestCtx) { ctx.SetBody(ctx.UserAgent()) })
	var hosts []string
	c := &Client{ConfigureClient: func(hc *HostClient) error {
		hosts = append(hosts, hc.Addr)
		hc.Name = "configured"
		return nil
	}}
	for i := 0; i < 2; i++ {
		_, body, err := c.Get(nil, "http://"+ts.addr+"/")
		if err != nil || string(body) != "configured" {
			t.Fatalf("got %q %v", body, err)
		}
	}
	if len(hosts) != 1 || hosts[0] != ts.addr {
		t.Fatalf("ConfigureClient saw %v, want one call for %s", hosts, ts.addr)
	}
	bad := errors.New("refused")
	c2 := &Client{ConfigureClient: func(*HostClient) error { return bad }}
	if _, _, err := c2.Get(nil, "http://"+ts.addr+"/"); err != bad {
		t.Fatalf("got %v, want ConfigureClient's error", err)
	}
}

func TestHostClientMultipleAddrs(t *testing.T) {
	t.Parallel()
	a := startServer(t, func(ctx *RequestCtx) { ctx.SetBodyString("a") })
	b := startServer(t, func(ctx *RequestCtx) { ctx.SetBodyString("b") })
	hc := &HostClient{Addr: a.addr + ", " + b.addr, MaxConns: 4}
	// Open several connections at once; dials alternate over Addr.
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _ = doGet(t, hc, "http://upstream/")
		}()
	}
	wg.Wait()
	if a.accepts.Load() == 0 || b.accepts.Load() == 0 {
		t.Fatalf("dials went to %d and %d: want both addresses used", a.accepts.Load(), b.accepts.Load())
	}
}

func TestClientAddPort(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in    string
		tls   bool
		want  string
		other string
	}{
		{"example.com", false, "example.com:80", ""},
		{"example.com", true, "example.com:443", ""},
		{"example.com:8080", true, "example.com:8080", ""},
		{"[::1]", false, "[::1]:80", ""},
		{"::1", true, "[::1]:443", ""},
		{"[::1]:9", false, "[::1]:9", ""},
	}
	for _, tc := range cases {
		if got := clientAddPort(tc.in, tc.tls); got != tc.want {
			t.Errorf("clientAddPort(%q, %v) = %q, want %q", tc.in, tc.tls, got, tc.want)
		}
	}
}
