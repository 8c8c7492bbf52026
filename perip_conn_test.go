package fasthttp

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Tests of Server.MaxConnsPerIP and of TLS visibility through connection
// wrappers: the reason this package exists.

func TestPerIPCounterCountsFullAddresses(t *testing.T) {
	t.Parallel()
	cc := newPerIPConnCounter()
	a4 := netip.MustParseAddr("10.0.0.1")
	b4 := netip.MustParseAddr("10.0.0.2")
	// Two IPv6 clients in one /64 are still two clients.
	a6 := netip.MustParseAddr("2001:db8::1")
	b6 := netip.MustParseAddr("2001:db8::2")
	for _, ip := range []netip.Addr{a4, b4, a6, b6} {
		for i := 0; i < 2; i++ {
			if !cc.tryRegister(ip, 2) {
				t.Fatalf("%s refused at %d of 2", ip, i+1)
			}
		}
		if cc.tryRegister(ip, 2) {
			t.Fatalf("%s accepted over the limit", ip)
		}
		if n := cc.count(ip); n != 2 {
			t.Fatalf("%s counted %d", ip, n)
		}
	}
	cc.unregister(a6)
	if cc.count(a6) != 1 || cc.count(b6) != 2 {
		t.Fatalf("unregister touched the wrong address: %d %d", cc.count(a6), cc.count(b6))
	}
	for _, ip := range []netip.Addr{a4, a4, b4, b4, a6, b6, b6} {
		cc.unregister(ip)
	}
	for i := range cc.shards {
		if n := len(cc.shards[i].m); n != 0 {
			t.Fatalf("shard %d keeps %d entries at zero", i, n)
		}
	}
}

// addrConn is a connection with only a remote address, for connIP.
type addrConn struct {
	net.Conn
	raddr net.Addr
}

func (c addrConn) RemoteAddr() net.Addr { return c.raddr }

func TestPerIPConnIP(t *testing.T) {
	t.Parallel()
	tests := []struct {
		addr net.Addr
		want string
	}{
		{&net.TCPAddr{IP: net.ParseIP("192.0.2.7"), Port: 1}, "192.0.2.7"},
		{&net.TCPAddr{IP: net.ParseIP("::ffff:192.0.2.7"), Port: 1}, "192.0.2.7"}, // mapped: same client
		{&net.TCPAddr{IP: net.ParseIP("2001:db8::5"), Port: 1}, "2001:db8::5"},
		{&net.TCPAddr{IP: net.ParseIP("fe80::1"), Port: 1, Zone: "eth0"}, "fe80::1"},
		{&net.UnixAddr{Name: "/tmp/x", Net: "unix"}, ""}, // not counted
		{&net.TCPAddr{}, ""},
	}
	for _, tt := range tests {
		ip, ok := connIP(addrConn{raddr: tt.addr})
		got := ""
		if ok {
			got = ip.String()
		}
		if got != tt.want {
			t.Errorf("connIP(%v) = %q, want %q", tt.addr, got, tt.want)
		}
	}
}

func TestPerIPCounterDoesNotAllocate(t *testing.T) {
	cc := newPerIPConnCounter()
	c4 := addrConn{raddr: &net.TCPAddr{IP: net.ParseIP("198.51.100.4").To4(), Port: 9}}
	c6 := addrConn{raddr: &net.TCPAddr{IP: net.ParseIP("2001:db8::77"), Port: 9}}
	for _, c := range []net.Conn{c4, c6} {
		allocs := testing.AllocsPerRun(1000, func() {
			ip, ok := connIP(c)
			if !ok || !cc.tryRegister(ip, 10) {
				panic("not counted")
			}
			cc.unregister(ip)
		})
		if allocs != 0 {
			t.Fatalf("counting a connection from %v allocates %.1f times", c.RemoteAddr(), allocs)
		}
	}
}

// TestPerIPCounterShards checks that many client IPs spread over the
// counter's locks instead of queueing on one.
func TestPerIPCounterShards(t *testing.T) {
	t.Parallel()
	cc := newPerIPConnCounter()
	used := map[*perIPShard]bool{}
	for i := 0; i < 2048; i++ {
		var ip netip.Addr
		if i%2 == 0 {
			ip = netip.AddrFrom4([4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)})
		} else {
			var b [16]byte
			b[0], b[1], b[14], b[15] = 0x20, 0x01, byte(i>>8), byte(i)
			ip = netip.AddrFrom16(b)
		}
		used[cc.shard(ip)] = true
	}
	if len(used) < perIPShards*3/4 {
		t.Fatalf("2048 addresses use only %d of %d locks", len(used), perIPShards)
	}
}

func BenchmarkPerIPConnCounterManyIPs(b *testing.B) {
	cc := newPerIPConnCounter()
	var seq atomic.Uint32
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		// Each goroutine plays many clients of its own.
		base := seq.Add(1) << 16
		ips := make([]netip.Addr, 1024)
		for i := range ips {
			n := base + uint32(i)
			if i%2 == 0 {
				ips[i] = netip.AddrFrom4([4]byte{10, byte(n >> 16), byte(n >> 8), byte(n)})
			} else {
				var a [16]byte
				a[0], a[1], a[12], a[13], a[14], a[15] = 0x20, 0x01, byte(n>>24), byte(n>>16), byte(n>>8), byte(n)
				ips[i] = netip.AddrFrom16(a)
			}
		}
		i := 0
		for pb.Next() {
			ip := ips[i&1023]
			i++
			if cc.tryRegister(ip, 100) {
				cc.unregister(ip)
			}
		}
	})
}

func BenchmarkPerIPConnCounterOneIP(b *testing.B) {
	cc := newPerIPConnCounter()
	ip := netip.MustParseAddr("192.0.2.1")
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if cc.tryRegister(ip, 1<<30) {
				cc.unregister(ip)
			}
		}
	})
}

// srvIPOf returns the netip form of host.
func srvIPOf(host string) netip.Addr { return netip.MustParseAddr(host) }

// srvHeldConn opens a connection to addr, completes one keep-alive request
// on it and leaves it open.
func srvHeldConn(t testing.TB, addr string) net.Conn {
	t.Helper()
	c := srvDial(t, addr)
	io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	if resp, _ := srvReadResponse(t, bufio.NewReader(c), "GET"); resp.StatusCode != 200 {
		t.Fatalf("held connection got %d", resp.StatusCode)
	}
	return c
}

func TestPerIPLimitPlainLoopback(t *testing.T) {
	t.Parallel()
	for _, host := range srvLoopbacks(t) {
		t.Run(host, func(t *testing.T) {
			t.Parallel()
			log := &srvLog{}
			s := &Server{Handler: echoIDs, MaxConnsPerIP: 2, Logger: log}
			addr := srvStart(t, s, host)
			ip := srvIPOf(host)
			c1 := srvHeldConn(t, addr)
			srvHeldConn(t, addr)
			if n := s.perIP.count(ip); n != 2 {
				t.Fatalf("count %d, want 2", n)
			}
			// Over the limit: 429, then the server closes.
			got := srvRaw(t, addr, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
			if !strings.HasPrefix(got, "HTTP/1.1 429 Too Many Requests\r\n") || !strings.Contains(got, "Connection: close") {
				t.Fatalf("over the limit: %q", got)
			}
			if s.GetRejectedConnectionsCount() != 1 || s.perIP.count(ip) != 2 {
				t.Fatalf("rejected %d, count %d", s.GetRejectedConnectionsCount(), s.perIP.count(ip))
			}
			// Closing a counted connection frees its place.
			c1.Close()
			srvEventually(t, "the count to drop", func() bool { return s.perIP.count(ip) == 1 })
			srvHeldConn(t, addr)
		})
	}
}

func TestPerIPLimitLogIsRateLimited(t *testing.T) {
	t.Parallel()
	log := &srvLog{}
	s := &Server{Handler: echoIDs, MaxConnsPerIP: 1, Logger: log}
	addr := srvStart(t, s, "127.0.0.1")
	srvHeldConn(t, addr)
	for i := 0; i < 5; i++ {
		if got := srvRaw(t, addr, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"); !strings.HasPrefix(got, "HTTP/1.1 429 ") {
			t.Fatalf("got %q", got)
		}
	}
	if n := log.count("MaxConnsPerIP"); n != 1 {
		t.Fatalf("%d log lines for 5 quick refusals, want 1: %q", n, log.all())
	}
}

// TestPerIPReleaseExactlyOnce ends counted connections in every way and
// checks that each gives back exactly its own place: a neighbour from the
// same IP stays counted throughout, so a second release would show.
func TestPerIPReleaseExactlyOnce(t *testing.T) {
	t.Parallel()
	ca := srvNewCA(t)
	for _, kind := range []string{"plain", "tls"} {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			for _, keep := range []bool{false, true} {
				srvReleaseScenarios(t, ca, kind == "tls", keep)
			}
		})
	}
}

func srvReleaseScenarios(t *testing.T, ca *srvCA, useTLS, keepHijacked bool) {
	hijackDone := make(chan struct{}, 1)
	hijacked := make(chan net.Conn, 1)
	s := &Server{MaxConnsPerIP: 3, Logger: &srvLog{}, KeepHijackedConns: keepHijacked, Handler: func(ctx *RequestCtx) {
		switch string(ctx.Path()) {
		case "/close-twice":
			ctx.Conn().Close()
			ctx.Conn().Close()
		case "/hijack":
			ctx.Hijack(func(c net.Conn) {
				c.Write([]byte("hijacked"))
				if keepHijacked {
					hijacked <- c
					return
				}
				io.Copy(io.Discard, c)
				hijackDone <- struct{}{}
			})
		}
	}}
	var addr string
	dial := func(t *testing.T) net.Conn { return srvDial(t, addr) }
	if useTLS {
		addr = srvServeTLS(t, s, "127.0.0.1", ca)
		dial = func(t *testing.T) net.Conn {
			c := srvDial(t, addr)
			tc := tls.Client(c, &tls.Config{RootCAs: ca.pool, ServerName: "localhost"})
			if err := tc.Handshake(); err != nil {
				t.Fatalf("handshake: %v", err)
			}
			return tc
		}
	} else {
		addr = srvStart(t, s, "127.0.0.1")
	}
	ip := srvIPOf("127.0.0.1")
	request := func(c net.Conn, path string) {
		fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: x\r\n\r\n", path)
	}
	neighbour := dial(t)
	request(neighbour, "/")
	srvReadResponse(t, bufio.NewReader(neighbour), "GET")
	settle := func(t *testing.T, what string) {
		t.Helper()
		srvEventually(t, what, func() bool { return s.perIP.count(ip) == 1 })
		time.Sleep(20 * time.Millisecond) // a second release would show now
		if n := s.perIP.count(ip); n != 1 {
			t.Fatalf("%s: count %d, want 1 (the neighbour)", what, n)
		}
	}
	run := func(name string, f func(t *testing.T)) {
		t.Run(fmt.Sprintf("%s/KeepHijackedConns=%v", name, keepHijacked), f)
	}

	run("client closes", func(t *testing.T) {
		c := dial(t)
		request(c, "/")
		srvReadResponse(t, bufio.NewReader(c), "GET")
		c.Close()
		settle(t, "client close")
	})
	run("client resets", func(t *testing.T) {
		c := dial(t)
		request(c, "/")
		srvReadResponse(t, bufio.NewReader(c), "GET")
		var tcp *net.TCPConn
		switch x := c.(type) {
		case *net.TCPConn:
			tcp = x
		case *tls.Conn:
			tcp = x.NetConn().(*net.TCPConn)
		}
		tcp.SetLinger(0)
		tcp.Close()
		settle(t, "reset")
	})
	run("server closes", func(t *testing.T) {
		c := dial(t)
		io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
		io.ReadAll(c)
		settle(t, "server close")
	})
	run("handler closes twice", func(t *testing.T) {
		c := dial(t)
		request(c, "/close-twice")
		io.ReadAll(c)
		settle(t, "double close")
	})
	run("hijack", func(t *testing.T) {
		c := dial(t)
		request(c, "/hijack")
		br := bufio.NewReader(c)
		srvReadResponse(t, br, "GET")
		if b, _ := io.ReadAll(io.LimitReader(br, 8)); string(b) != "hijacked" {
			t.Fatalf("hijacked stream: %q", b)
		}
		if n := s.perIP.count(ip); n != 2 {
			t.Fatalf("a hijacked connection still open must stay counted: %d", n)
		}
		if keepHijacked {
			var hc net.Conn
			select {
			case hc = <-hijacked:
			case <-time.After(srvWait):
				t.Fatal("hijack handler not called")
			}
			time.Sleep(20 * time.Millisecond)
			if n := s.perIP.count(ip); n != 2 {
				t.Fatalf("kept hijacked connection not counted after its handler returned: %d", n)
			}
			hc.Close()
			hc.Close()
		} else {
			c.Close()
			srvRecv(t, hijackDone, "the hijack handler")
		}
		settle(t, "hijack")
	})
	if useTLS {
		run("handshake fails", func(t *testing.T) {
			c := srvDial(t, addr)
			io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n") // not a ClientHello
			io.ReadAll(c)
			settle(t, "failed handshake")
			c = srvDial(t, addr)
			tc := tls.Client(c, &tls.Config{ServerName: "localhost"}) // does not trust the CA
			if tc.Handshake() == nil {
				t.Fatal("untrusted handshake succeeded")
			}
			c.Close()
			settle(t, "refused certificate")
		})
	}
}

func TestPerIPReleasedByShutdown(t *testing.T) {
	t.Parallel()
	s := &Server{Handler: echoIDs, MaxConnsPerIP: 5}
	ln := srvListen(t, "127.0.0.1")
	errc := make(chan error, 1)
	go func() { errc <- s.Serve(ln) }()
	for i := 0; i < 3; i++ {
		srvHeldConn(t, ln.Addr().String())
	}
	srvDial(t, ln.Addr().String()) // never sends anything
	srvEventually(t, "4 counted", func() bool { return s.perIP.count(srvIPOf("127.0.0.1")) == 4 })
	ctx, cancel := context.WithTimeout(context.Background(), srvWait)
	defer cancel()
	if err := s.ShutdownWithContext(ctx); err != nil {
		t.Fatal(err)
	}
	if err := srvRecv(t, errc, "the server to return"); err != nil {
		t.Fatal(err)
	}
	if n := s.perIP.count(srvIPOf("127.0.0.1")); n != 0 {
		t.Fatalf("count %d after Shutdown", n)
	}
}

func TestPerIPConnDoubleClose(t *testing.T) {
	t.Parallel()
	cc := newPerIPConnCounter()
	ip := netip.MustParseAddr("192.0.2.9")
	cc.tryRegister(ip, 5)
	cc.tryRegister(ip, 5)
	a, b := net.Pipe()
	defer b.Close()
	w := wrapPerIPConn(a, ip, cc)
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); w.Close() }()
	}
	wg.Wait()
	if n := cc.count(ip); n != 1 {
		t.Fatalf("count %d after closing one of two connections many times", n)
	}
}

func TestServeConnPerIPLimit(t *testing.T) {
	t.Parallel()
	s := &Server{Handler: echoIDs, MaxConnsPerIP: 1}
	ln := srvListen(t, "127.0.0.1")
	defer ln.Close()
	results := make(chan error, 2)
	go func() {
		for i := 0; i < 2; i++ {
			c, err := ln.Accept()
			if err != nil {
				results <- err
				return
			}
			go func() { results <- s.ServeConn(c) }()
		}
	}()
	held := srvHeldConn(t, ln.Addr().String())
	refused := srvDial(t, ln.Addr().String())
	if err := srvRecv(t, results, "ServeConn"); !errors.Is(err, ErrPerIPConnLimit) {
		t.Fatalf("ServeConn over the limit returned %v", err)
	}
	// ServeConn closed the refused connection.
	if b, err := io.ReadAll(refused); err != nil || len(b) != 0 {
		t.Fatalf("refused connection: %q %v", b, err)
	}
	held.Close()
	if err := srvRecv(t, results, "ServeConn"); err != nil {
		t.Fatalf("ServeConn: %v", err)
	}
	if n := s.perIP.count(srvIPOf("127.0.0.1")); n != 0 {
		t.Fatalf("count %d after ServeConn returned", n)
	}
}

// recordingConn keeps every byte read from the peer.
type recordingConn struct {
	net.Conn
	mu  sync.Mutex
	got []byte
}

func (c *recordingConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.mu.Lock()
	c.got = append(c.got, p[:n]...)
	c.mu.Unlock()
	return n, err
}

func TestPerIPLimitTLSClosedBeforeHandshake(t *testing.T) {
	t.Parallel()
	ca := srvNewCA(t)
	for _, host := range srvLoopbacks(t) {
		t.Run(host, func(t *testing.T) {
			t.Parallel()
			s := &Server{Handler: echoIDs, MaxConnsPerIP: 1, Logger: &srvLog{}}
			addr := srvServeTLS(t, s, host, ca)
			hc := srvHTTPClient(t, ca, nil)
			if code, _ := srvGet(t, hc, srvURL("https", addr, "/")); code != 200 {
				t.Fatalf("status %d", code)
			}
			// The client above keeps its connection: the next one is over.
			raw := &recordingConn{Conn: srvDial(t, addr)}
			tc := tls.Client(raw, &tls.Config{RootCAs: ca.pool, ServerName: "localhost"})
			err := tc.Handshake()
			if err == nil {
				t.Fatal("handshake over the limit succeeded")
			}
			raw.mu.Lock()
			got := raw.got
			raw.mu.Unlock()
			if len(got) != 0 {
				t.Fatalf("server sent %q to a refused TLS connection (plaintext into TLS?)", got)
			}
			if s.GetRejectedConnectionsCount() != 1 {
				t.Fatalf("rejected %d", s.GetRejectedConnectionsCount())
			}
		})
	}
}

// tlsSurface is what user code looks for on a TLS connection.
type tlsSurface interface {
	ConnectionState() tls.ConnectionState
	Handshake() error
	HandshakeContext(context.Context) error
	NetConn() net.Conn
}

// TestPerIPWrapperExposesTLS checks that with MaxConnsPerIP on, the
// connection handed to the handler keeps the TLS methods of the *tls.Conn
// it wraps, and that client certificates reach the handler (IPv4 and v6).
func TestPerIPWrapperExposesTLS(t *testing.T) {
	t.Parallel()
	ca := srvNewCA(t)
	certPEM, keyPEM := ca.issue(t, "client-one", true)
	clientCert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		t.Fatal(err)
	}
	for _, host := range srvLoopbacks(t) {
		t.Run(host, func(t *testing.T) {
			t.Parallel()
			s := &Server{
				Logger:        &srvLog{},
				MaxConnsPerIP: 4,
				TLSConfig:     &tls.Config{ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: ca.pool, MinVersion: tls.VersionTLS12},
				Handler: func(ctx *RequestCtx) {
					c, ok := ctx.Conn().(tlsSurface)
					if !ok {
						ctx.Error(fmt.Sprintf("%T hides TLS", ctx.Conn()), 500)
						return
					}
					if _, ok := c.NetConn().(*tls.Conn); !ok {
						ctx.Error(fmt.Sprintf("NetConn is %T", c.NetConn()), 500)
						return
					}
					if err := c.HandshakeContext(ctx); err != nil {
						ctx.Error("HandshakeContext: "+err.Error(), 500)
						return
					}
					if err := c.Handshake(); err != nil {
						ctx.Error("Handshake: "+err.Error(), 500)
						return
					}
					st := ctx.TLSConnectionState()
					if !ctx.IsTLS() || st == nil || !st.HandshakeComplete || !c.ConnectionState().HandshakeComplete {
						ctx.Error("no TLS state", 500)
						return
					}
					fmt.Fprintf(ctx, "cn=%s sni=%s", st.PeerCertificates[0].Subject.CommonName, st.ServerName)
				},
			}
			addr := srvServeTLS(t, s, host, ca)
			code, body := srvGet(t, srvHTTPClient(t, ca, &clientCert), srvURL("https", addr, "/"))
			if code != 200 || body != "cn=client-one sni=" {
				// Go's client sends no SNI for an IP address.
				t.Fatalf("%d %q", code, body)
			}
			// Without a client certificate the handshake fails.
			if _, err := srvHTTPClient(t, ca, nil).Get(srvURL("https", addr, "/")); err == nil {
				t.Fatal("request without a client certificate succeeded")
			}
		})
	}
}

// stateOnlyConn is a user wrapper of a TLS connection that shows only
// ConnectionState.
type stateOnlyConn struct {
	net.Conn
	ts tlsStater
}

func (c *stateOnlyConn) ConnectionState() tls.ConnectionState { return c.ts.ConnectionState() }

// netConnOnly is a user wrapper that shows only the connection it wraps.
type netConnOnly struct{ net.Conn }

func (c *netConnOnly) NetConn() net.Conn { return c.Conn }

type wrappingListener struct {
	net.Listener
	wrap func(net.Conn) net.Conn
}

func (l *wrappingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return l.wrap(c), nil
}

func TestTLSStateThroughUserWrappers(t *testing.T) {
	t.Parallel()
	ca := srvNewCA(t)
	certPEM, keyPEM := ca.issue(t, "localhost", false, "127.0.0.1")
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		t.Fatal(err)
	}
	cfg := &tls.Config{Certificates: []tls.Certificate{cert}}
	wrappers := map[string]func(net.Conn) net.Conn{
		"ConnectionState only": func(c net.Conn) net.Conn {
			tc := tls.Server(c, cfg)
			return &stateOnlyConn{Conn: tc, ts: tc}
		},
		"NetConn only": func(c net.Conn) net.Conn { return &netConnOnly{tls.Server(c, cfg)} },
	}
	for name, wrap := range wrappers {
		for _, perIP := range []int{0, 3} {
			t.Run(fmt.Sprintf("%s/MaxConnsPerIP=%d", name, perIP), func(t *testing.T) {
				t.Parallel()
				s := &Server{MaxConnsPerIP: perIP, Handler: func(ctx *RequestCtx) {
					st := ctx.TLSConnectionState()
					fmt.Fprintf(ctx, "%v %v %s", ctx.IsTLS(), st != nil && st.HandshakeComplete, ctx.Request.URI().Scheme())
				}}
				ln := &wrappingListener{Listener: srvListen(t, "127.0.0.1"), wrap: wrap}
				srvServe(t, s, ln)
				code, body := srvGet(t, srvHTTPClient(t, ca, nil), srvURL("https", ln.Addr().String(), "/"))
				if code != 200 || body != "true true https" {
					t.Fatalf("%d %q", code, body)
				}
			})
		}
	}
}

// TestTLSStateReachableFromEveryConn checks the connections user code gets
// besides RequestCtx.Conn: the one ConnState sees and the one a
// HijackHandler takes over (a WebSocket-style upgrade over TLS).
func TestTLSStateReachableFromEveryConn(t *testing.T) {
	t.Parallel()
	ca := srvNewCA(t)
	certPEM, keyPEM := ca.issue(t, "client-two", true)
	clientCert, _ := tls.X509KeyPair(certPEM, keyPEM)
	for _, perIP := range []int{0, 2} {
		t.Run(fmt.Sprintf("MaxConnsPerIP=%d", perIP), func(t *testing.T) {
			t.Parallel()
			var stateSawTLS atomic.Int32
			hijackErr := make(chan string, 1)
			s := &Server{
				MaxConnsPerIP: perIP,
				TLSConfig:     &tls.Config{ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: ca.pool},
				ConnState: func(c net.Conn, st ConnState) {
					if st != StateActive {
						return
					}
					if ts, ok := c.(interface{ ConnectionState() tls.ConnectionState }); ok && ts.ConnectionState().HandshakeComplete {
						stateSawTLS.Add(1)
					}
				},
				Handler: func(ctx *RequestCtx) {
					ctx.SetStatusCode(StatusSwitchingProtocols)
					ctx.Response.Header.Set("Upgrade", "echo")
					ctx.Response.Header.Set("Connection", "Upgrade")
					ctx.Hijack(func(c net.Conn) {
						ts, ok := c.(tlsSurface)
						if !ok {
							hijackErr <- fmt.Sprintf("hijacked %T hides TLS", c)
							return
						}
						st := ts.ConnectionState()
						if !st.HandshakeComplete || st.PeerCertificates[0].Subject.CommonName != "client-two" {
							hijackErr <- "wrong TLS state on the hijacked connection"
							return
						}
						hijackErr <- ""
						buf := make([]byte, 4)
						n, _ := io.ReadFull(c, buf)
						c.Write(buf[:n])
					})
				},
			}
			addr := srvServeTLS(t, s, "127.0.0.1", ca)
			c, err := tls.Dial("tcp", addr, &tls.Config{RootCAs: ca.pool, ServerName: "localhost", Certificates: []tls.Certificate{clientCert}})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			c.SetDeadline(time.Now().Add(srvWait))
			io.WriteString(c, "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\nping")
			br := bufio.NewReader(c)
			resp, err := http.ReadResponse(br, nil)
			if err != nil || resp.StatusCode != 101 {
				t.Fatalf("upgrade: %v %v", resp, err)
			}
			if msg := srvRecv(t, hijackErr, "the hijack handler"); msg != "" {
				t.Fatal(msg)
			}
			echo := make([]byte, 4)
			if _, err := io.ReadFull(br, echo); err != nil || string(echo) != "ping" {
				t.Fatalf("echo over the hijacked TLS connection: %q %v", echo, err)
			}
			if stateSawTLS.Load() != 1 {
				t.Fatal("the connection given to ConnState hides TLS")
			}
		})
	}
}

// TestPerIPKeptWrapperKeepsItsIdentity checks that a connection user code
// kept after its connection closed never turns into another client's.
func TestPerIPKeptWrapperKeepsItsIdentity(t *testing.T) {
	t.Parallel()
	conns := make(chan net.Conn, 2)
	s := &Server{MaxConnsPerIP: 1, Handler: func(ctx *RequestCtx) { conns <- ctx.Conn() }}
	addr := srvStart(t, s, "127.0.0.1")

	first := srvDial(t, addr)
	io.WriteString(first, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
	io.ReadAll(first)
	kept := srvRecv(t, conns, "the first request")
	firstAddr := first.LocalAddr().String()
	srvEventually(t, "release", func() bool { return s.perIP.count(srvIPOf("127.0.0.1")) == 0 })

	second := srvDial(t, addr)
	io.WriteString(second, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	br := bufio.NewReader(second)
	srvReadResponse(t, br, "GET")
	now := srvRecv(t, conns, "the second request")
	if now == kept {
		t.Fatal("the wrapper of a closed connection was reused for a new one")
	}
	if got := kept.RemoteAddr().String(); got != firstAddr {
		t.Fatalf("kept wrapper reports %s, its client was %s", got, firstAddr)
	}
	if _, err := kept.Write([]byte("leak")); err == nil {
		t.Fatal("writing to a closed connection's wrapper succeeded")
	}
	second.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
	if b, _ := br.Peek(1); len(b) != 0 {
		t.Fatalf("bytes written through a kept wrapper reached another client: %q", b)
	}
	// Closing the kept wrapper again must not release the new one's place.
	kept.Close()
	if n := s.perIP.count(srvIPOf("127.0.0.1")); n != 1 {
		t.Fatalf("count %d after closing a stale wrapper", n)
	}
}

// TestPerIPManyClientsConcurrently serves many loopback addresses at once
// (127.0.0.0/8 is all loopback on Linux) under -race.
func TestPerIPManyClientsConcurrently(t *testing.T) {
	t.Parallel()
	s := &Server{Handler: echoIDs, MaxConnsPerIP: 2}
	ln := srvListen(t, "0.0.0.0")
	srvServe(t, s, ln)
	port := ln.Addr().(*net.TCPAddr).Port
	var wg sync.WaitGroup
	var failures atomic.Int32
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			local := &net.TCPAddr{IP: net.IPv4(127, 0, byte(rand.IntN(200)+1), byte(i+1))}
			d := net.Dialer{LocalAddr: local, Timeout: srvWait}
			for j := 0; j < 5; j++ {
				c, err := d.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port))
				if err != nil {
					failures.Add(1)
					return
				}
				c.SetDeadline(time.Now().Add(srvWait))
				io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
				if b, _ := io.ReadAll(c); !strings.HasPrefix(string(b), "HTTP/1.1 200") {
					failures.Add(1)
				}
				c.Close()
			}
		}(i)
	}
	wg.Wait()
	if n := failures.Load(); n != 0 {
		t.Fatalf("%d failures", n)
	}
	srvEventually(t, "all released", func() bool {
		for i := range s.perIP.shards {
			sh := &s.perIP.shards[i]
			sh.mu.Lock()
			n := len(sh.m)
			sh.mu.Unlock()
			if n != 0 {
				return false
			}
		}
		return true
	})
}
