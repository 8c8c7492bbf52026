package reuseport

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/valyala/fasthttp"
)

func TestListenSharesAddress(t *testing.T) {
	t.Parallel()
	ln1, err := Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln1.Close()
	ln2, err := Listen("tcp4", ln1.Addr().String())
	if err != nil {
		t.Fatalf("second Listen on %s: %v", ln1.Addr(), err)
	}
	defer ln2.Close()

	// Two servers on one port: every request is answered, and with enough
	// connections the kernel hands some to each listener.
	var mu sync.Mutex
	seen := map[string]int{}
	for i, ln := range []net.Listener{ln1, ln2} {
		name := fmt.Sprint("server", i)
		s := &fasthttp.Server{Handler: func(ctx *fasthttp.RequestCtx) {
			mu.Lock()
			seen[name]++
			mu.Unlock()
			ctx.WriteString(name)
		}}
		go s.Serve(ln)
		defer s.Shutdown()
	}
	for range 64 {
		c, err := net.DialTimeout("tcp4", ln1.Addr().String(), 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		c.SetDeadline(time.Now().Add(5 * time.Second))
		io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
		b, err := io.ReadAll(c)
		c.Close()
		if err != nil || !strings.HasPrefix(string(b), "HTTP/1.1 200") {
			t.Fatalf("response %q, %v", b, err)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if seen["server0"]+seen["server1"] != 64 || seen["server0"] == 0 || seen["server1"] == 0 {
		t.Fatalf("requests per listener: %v (want both to serve)", seen)
	}
}

func TestListenIPv6(t *testing.T) {
	t.Parallel()
	ln, err := Listen("tcp6", "[::1]:0")
	if err != nil {
		t.Skipf("no IPv6 loopback: %v", err)
	}
	defer ln.Close()
	ln2, err := Listen("tcp6", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	ln2.Close()
}

func TestListenErrors(t *testing.T) {
	t.Parallel()
	if _, err := Listen("udp", "127.0.0.1:0"); err == nil {
		t.Fatal("udp accepted")
	}
	if _, err := Listen("tcp4", "missing-port"); err == nil {
		t.Fatal("address without port accepted")
	}
	var e *ErrNoReusePort
	if _, err := Listen("tcp4", "127.0.0.1:0"); errors.As(err, &e) {
		t.Fatalf("ErrNoReusePort on a system with SO_REUSEPORT: %v", err)
	}
}

func TestErrNoReusePort(t *testing.T) {
	t.Parallel()
	inner := os.NewSyscallError("setsockopt SO_REUSEPORT", errors.ErrUnsupported)
	err := error(&ErrNoReusePort{err: inner})
	if !strings.Contains(err.Error(), "SO_REUSEPORT") || !errors.Is(err, errors.ErrUnsupported) {
		t.Fatalf("%v does not describe or wrap its cause", err)
	}
}
