package tcplisten

import (
	"errors"
	"io"
	"net"
	"testing"
	"time"
)

func TestNewListenerServes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ network, addr string }{
		{"tcp4", "127.0.0.1:0"},
		{"tcp", "127.0.0.1:0"},
		{"tcp6", "[::1]:0"},
	} {
		cfg := Config{ReusePort: true, DeferAccept: true, FastOpen: true, Backlog: 64}
		ln, err := cfg.NewListener(tc.network, tc.addr)
		if err != nil {
			if tc.network == "tcp6" {
				t.Logf("no IPv6 loopback: %v", err)
				continue
			}
			t.Fatalf("%s: %v", tc.network, err)
		}
		if _, ok := ln.(*net.TCPListener); !ok {
			t.Fatalf("%s: listener is %T, want *net.TCPListener", tc.network, ln)
		}
		roundTrip(t, ln)
		ln.Close()
	}
}

// roundTrip dials ln and checks a byte goes each way.
func roundTrip(t *testing.T, ln net.Listener) {
	t.Helper()
	errc := make(chan error, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			errc <- err
			return
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(5 * time.Second))
		b := make([]byte, 1)
		if _, err := io.ReadFull(c, b); err != nil {
			errc <- err
			return
		}
		_, err = c.Write(b)
		errc <- err
	}()
	c, err := net.DialTimeout(ln.Addr().Network(), ln.Addr().String(), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	// With DeferAccept the server only accepts once data has arrived.
	if _, err := c.Write([]byte("x")); err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 1)
	if _, err := io.ReadFull(c, b); err != nil || b[0] != 'x' {
		t.Fatalf("echo %q, %v", b, err)
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
}

func TestNewListenerRejectsOtherNetworks(t *testing.T) {
	t.Parallel()
	var cfg Config
	for _, network := range []string{"udp", "unix", "ip4", ""} {
		ln, err := cfg.NewListener(network, "127.0.0.1:0")
		var unknown net.UnknownNetworkError
		if err == nil || !errors.As(err, &unknown) {
			if ln != nil {
				ln.Close()
			}
			t.Fatalf("%q: err %v, want net.UnknownNetworkError", network, err)
		}
	}
}

func TestReusePortSharesAddress(t *testing.T) {
	t.Parallel()
	cfg := Config{ReusePort: true}
	ln1, err := cfg.NewListener("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln1.Close()
	ln2, err := cfg.NewListener("tcp4", ln1.Addr().String())
	if err != nil {
		t.Fatalf("second listener with ReusePort: %v", err)
	}
	ln2.Close()
	// Both must still serve after one of them closed.
	roundTrip(t, ln1)

	var plain Config
	if ln3, err := plain.NewListener("tcp4", ln1.Addr().String()); err == nil {
		ln3.Close()
		t.Fatal("a listener without ReusePort bound an address in use")
	}
}
