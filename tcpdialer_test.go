package fasthttp

import (
	"context"
	"errors"
	"net"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeResolver answers every lookup with ips and counts the lookups.
type fakeResolver struct {
	ips     []net.IPAddr
	lookups atomic.Int32
	block   chan struct{} // when set, lookups wait for it
}

func (r *fakeResolver) LookupIPAddr(ctx context.Context, host string) ([]net.IPAddr, error) {
	r.lookups.Add(1)
	if r.block != nil {
		select {
		case <-r.block:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return r.ips, nil
}

// acceptingListener listens on addr and accepts (and closes) connections,
// counting them.
func acceptingListener(t *testing.T, network, addr string) (net.Listener, *atomic.Int32) {
	t.Helper()
	ln, err := net.Listen(network, addr)
	if err != nil {
		t.Skipf("cannot listen on %s: %v", addr, err)
	}
	var n atomic.Int32
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			n.Add(1)
			_ = c.Close()
		}
	}()
	t.Cleanup(func() { _ = ln.Close() })
	return ln, &n
}

func TestTCPDialerDNSCache(t *testing.T) {
	t.Parallel()
	ln, _ := acceptingListener(t, "tcp4", "127.0.0.1:0")
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	r := &fakeResolver{ips: []net.IPAddr{{IP: net.ParseIP("127.0.0.1")}}}
	d := &TCPDialer{Resolver: r}
	addr := "cached.test:" + port
	for i := 0; i < 3; i++ {
		c, err := d.Dial(addr)
		if err != nil {
			t.Fatal(err)
		}
		_ = c.Close()
	}
	if n := r.lookups.Load(); n != 1 {
		t.Fatalf("%d lookups for 3 dials, want 1", n)
	}
	d.FlushDNSCache()
	c, err := d.DialTimeout(addr, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	_ = c.Close()
	if n := r.lookups.Load(); n != 2 {
		t.Fatalf("%d lookups after FlushDNSCache, want 2", n)
	}

	// Entries expire after DNSCacheDuration.
	d2 := &TCPDialer{Resolver: r, DNSCacheDuration: 20 * time.Millisecond}
	for i := 0; i < 2; i++ {
		c, err := d2.Dial(addr)
		if err != nil {
			t.Fatal(err)
		}
		_ = c.Close()
		time.Sleep(40 * time.Millisecond)
	}
	if n := r.lookups.Load(); n != 4 {
		t.Fatalf("%d lookups, want a new one after expiry", n)
	}
}

func TestTCPDialerRoundRobin(t *testing.T) {
	t.Parallel()
	ln1, n1 := acceptingListener(t, "tcp4", "127.0.0.1:0")
	_, port, _ := net.SplitHostPort(ln1.Addr().String())
	_, n2 := acceptingListener(t, "tcp4", "127.0.0.2:"+port)
	r := &fakeResolver{ips: []net.IPAddr{{IP: net.ParseIP("127.0.0.1")}, {IP: net.ParseIP("127.0.0.2")}}}
	d := &TCPDialer{Resolver: r}
	for i := 0; i < 6; i++ {
		c, err := d.Dial("multi.test:" + port)
		if err != nil {
			t.Fatal(err)
		}
		_ = c.Close()
	}
	waitFor(t, func() bool { return n1.Load()+n2.Load() == 6 })
	if n1.Load() != 3 || n2.Load() != 3 {
		t.Fatalf("dials split %d/%d, want 3/3", n1.Load(), n2.Load())
	}

	// An address that refuses is skipped in favor of the next.
	ln3, n3 := acceptingListener(t, "tcp4", "127.0.0.1:0")
	_, port3, _ := net.SplitHostPort(ln3.Addr().String())
	dead := &fakeResolver{ips: []net.IPAddr{{IP: net.ParseIP("127.0.0.3")}, {IP: net.ParseIP("127.0.0.1")}}}
	d2 := &TCPDialer{Resolver: dead}
	for i := 0; i < 2; i++ {
		c, err := d2.Dial("partly-dead.test:" + port3)
		if err != nil {
			t.Fatal(err)
		}
		_ = c.Close()
	}
	waitFor(t, func() bool { return n3.Load() == 2 })
}

func TestTCPDialerIPv6(t *testing.T) {
	t.Parallel()
	ln, n := acceptingListener(t, "tcp6", "[::1]:0")
	addr := ln.Addr().String()
	if _, err := Dial(addr); err == nil {
		t.Fatal("Dial (IPv4 only) connected to an IPv6 address")
	}
	c, err := DialDualStack(addr)
	if err != nil {
		t.Fatal(err)
	}
	_ = c.Close()
	c, err = DialDualStackTimeout(addr, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	_ = c.Close()
	waitFor(t, func() bool { return n.Load() == 2 })
}

func TestTCPDialerErrors(t *testing.T) {
	t.Parallel()
	addr := refusedAddr
	_, err := Dial(addr)
	var de *ErrDialWithUpstream
	if !errors.As(err, &de) || de.Upstream != addr {
		t.Fatalf("got %v, want ErrDialWithUpstream for %s", err, addr)
	}
	if _, err := DialTimeout("no-port", time.Second); err == nil {
		t.Fatal("address without port accepted")
	}
	if _, err := DialTimeout("host:99999", time.Second); err == nil {
		t.Fatal("out-of-range port accepted")
	}
}

func TestTCPDialerTimeoutAndConcurrency(t *testing.T) {
	t.Parallel()
	ln, _ := acceptingListener(t, "tcp4", "127.0.0.1:0")
	_, port := splitPort(t, ln.Addr().String())
	r := &fakeResolver{ips: []net.IPAddr{{IP: net.ParseIP("127.0.0.1")}}, block: make(chan struct{})}
	d := &TCPDialer{Resolver: r, Concurrency: 1}

	// A resolver that hangs is cut off by the dial timeout.
	start := time.Now()
	if _, err := d.DialTimeout("slow.test:"+port, 80*time.Millisecond); err != ErrDialTimeout {
		t.Fatalf("got %v, want ErrDialTimeout", err)
	}
	if time.Since(start) > time.Second {
		t.Fatal("dial timeout not honored")
	}

	// With Concurrency 1, a second dial waits for the first and times out.
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		_, _ = d.DialTimeout("slow.test:"+port, 2*time.Second)
	}()
	waitFor(t, func() bool { return r.lookups.Load() == 2 })
	if _, err := d.DialTimeout("other.test:"+port, 80*time.Millisecond); err != ErrDialTimeout {
		t.Fatalf("got %v, want ErrDialTimeout", err)
	}
	if r.lookups.Load() != 2 {
		t.Fatal("second dial ran despite Concurrency 1")
	}
	close(r.block)
	wg.Wait()
}

func splitPort(t *testing.T, addr string) (string, string) {
	t.Helper()
	h, p, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	return h, p
}

func TestTCPDialerOptions(t *testing.T) {
	t.Parallel()
	var remote atomic.Value
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			remote.Store(c.RemoteAddr().String())
			_ = c.Close()
		}
	}()
	// Pick a free local port to bind to.
	probe, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	local := probe.Addr().(*net.TCPAddr)
	_ = probe.Close()

	d := &TCPDialer{LocalAddr: &net.TCPAddr{IP: local.IP, Port: local.Port}, DisableDNSResolution: true, KeepAlive: -1}
	c, err := d.Dial(ln.Addr().String())
	if err != nil {
		t.Skipf("cannot bind local port: %v", err)
	}
	_ = c.Close()
	waitFor(t, func() bool { return remote.Load() != nil })
	if got := remote.Load().(string); got != "127.0.0.1:"+strconv.Itoa(local.Port) {
		t.Fatalf("server saw %s, want the local address %v", got, local)
	}
	// Without DNS resolution a name reaches the system dialer as is.
	d2 := &TCPDialer{DisableDNSResolution: true}
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	c, err = d2.Dial("localhost:" + port)
	if err != nil {
		t.Fatal(err)
	}
	_ = c.Close()
}

// scriptedResolver answers its n-th lookup with answers[n] (the last one
// once they run out) and counts the lookups.
type scriptedResolver struct {
	mu      sync.Mutex
	answers [][]net.IPAddr
	lookups int
}

func (r *scriptedResolver) LookupIPAddr(context.Context, string) ([]net.IPAddr, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	a := r.answers[min(r.lookups, len(r.answers)-1)]
	r.lookups++
	return a, nil
}

func (r *scriptedResolver) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.lookups
}

// dualLoopbackPort returns a port listened on at both 127.0.0.1 and [::1],
// skipping the test where IPv6 loopback is missing.
func dualLoopbackPort(t *testing.T) string {
	t.Helper()
	for try := 0; try < 20; try++ {
		ln4, _ := acceptingListener(t, "tcp4", "127.0.0.1:0")
		_, port, _ := net.SplitHostPort(ln4.Addr().String())
		ln6, err := net.Listen("tcp6", "[::1]:"+port)
		if err != nil {
			if try == 0 {
				if probe, err := net.Listen("tcp6", "[::1]:0"); err != nil {
					t.Skipf("no IPv6 loopback: %v", err)
				} else {
					_ = probe.Close()
				}
			}
			continue
		}
		go func() {
			for {
				c, err := ln6.Accept()
				if err != nil {
					return
				}
				_ = c.Close()
			}
		}()
		t.Cleanup(func() { _ = ln6.Close() })
		return port
	}
	t.Skip("no port free on both loopback addresses")
	return ""
}

func TestTCPDialerDNSCacheKeyedOnDualStack(t *testing.T) {
	t.Parallel()
	port := dualLoopbackPort(t)
	v4 := []net.IPAddr{{IP: net.ParseIP("127.0.0.1")}}
	v6 := []net.IPAddr{{IP: net.ParseIP("::1")}}
	// dialedIP dials with dial and reports the address reached.
	dialedIP := func(dial func(string) (net.Conn, error)) (string, error) {
		c, err := dial("both.test:" + port)
		if err != nil {
			return "", err
		}
		defer c.Close()
		return c.RemoteAddr().(*net.TCPAddr).IP.String(), nil
	}

	// An IPv4-only dial first: its answer must not serve a dual-stack dial,
	// which resolves for itself and reaches the address it was given.
	r := &scriptedResolver{answers: [][]net.IPAddr{v4, v6}}
	d := &TCPDialer{Resolver: r}
	for i, step := range []struct {
		dial func(string) (net.Conn, error)
		want string
	}{
		{d.Dial, "127.0.0.1"}, {d.DialDualStack, "::1"}, {d.Dial, "127.0.0.1"}, {d.DialDualStack, "::1"},
	} {
		if got, err := dialedIP(step.dial); err != nil || got != step.want {
			t.Fatalf("IPv4 first, dial %d: reached %q (%v), want %s", i, got, err, step.want)
		}
	}
	if n := r.count(); n != 2 {
		t.Fatalf("%d lookups, want one per kind of dial", n)
	}

	// The other way round: a dual-stack answer holding only IPv6 must not
	// leave IPv4-only dials with nothing to dial.
	r = &scriptedResolver{answers: [][]net.IPAddr{v6, v4}}
	d = &TCPDialer{Resolver: r}
	if got, err := dialedIP(d.DialDualStack); err != nil || got != "::1" {
		t.Fatalf("dual-stack first: reached %q (%v)", got, err)
	}
	if got, err := dialedIP(d.Dial); err != nil || got != "127.0.0.1" {
		t.Fatalf("IPv4 after dual-stack: reached %q (%v)", got, err)
	}

	// Flushing forgets both kinds.
	d.FlushDNSCache()
	if _, err := dialedIP(d.Dial); err != nil {
		t.Fatal(err)
	}
	if _, err := dialedIP(d.DialDualStack); err != nil {
		t.Fatal(err)
	}
	if n := r.count(); n != 4 {
		t.Fatalf("%d lookups after a flush, want 4", n)
	}
}
