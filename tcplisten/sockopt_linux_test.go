//go:build linux

package tcplisten

import (
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

func getsockopt(t *testing.T, ln net.Listener, level, opt int) int {
	t.Helper()
	rc, err := ln.(*net.TCPListener).SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	var v int
	var gerr error
	rc.Control(func(fd uintptr) { v, gerr = syscall.GetsockoptInt(int(fd), level, opt) })
	if gerr != nil {
		t.Fatalf("getsockopt(%d, %d): %v", level, opt, gerr)
	}
	return v
}

func TestLinuxSocketOptions(t *testing.T) {
	t.Parallel()
	cfg := Config{ReusePort: true, DeferAccept: true, FastOpen: true}
	ln, err := cfg.NewListener("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	if v := getsockopt(t, ln, syscall.SOL_SOCKET, soReusePort); v != 1 {
		t.Fatalf("SO_REUSEPORT = %d", v)
	}
	if v := getsockopt(t, ln, syscall.IPPROTO_TCP, syscall.TCP_DEFER_ACCEPT); v == 0 {
		t.Fatal("TCP_DEFER_ACCEPT not set")
	}
	if b, _ := os.ReadFile("/proc/sys/net/ipv4/tcp_fastopen"); strings.TrimSpace(string(b)) != "0" {
		if v := getsockopt(t, ln, syscall.IPPROTO_TCP, tcpFastOpen); v != fastOpenQueue {
			t.Fatalf("TCP_FASTOPEN = %d, want %d", v, fastOpenQueue)
		}
	}

	var plain Config
	ln2, err := plain.NewListener("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln2.Close()
	if v := getsockopt(t, ln2, syscall.SOL_SOCKET, soReusePort); v != 0 {
		t.Fatalf("SO_REUSEPORT = %d on a plain listener", v)
	}
	if v := getsockopt(t, ln2, syscall.IPPROTO_TCP, syscall.TCP_DEFER_ACCEPT); v != 0 {
		t.Fatalf("TCP_DEFER_ACCEPT = %d on a plain listener", v)
	}
}

// TestLinuxBacklog reads the queue size back with ss, whose Send-Q column
// shows it for listening sockets.
func TestLinuxBacklog(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("ss"); err != nil {
		t.Skip("ss not installed")
	}
	cfg := Config{Backlog: 37}
	ln, err := cfg.NewListener("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port
	out, err := exec.Command("ss", "-Hltn", "sport", "= :"+strconv.Itoa(port)).Output()
	if err != nil {
		t.Skipf("ss failed: %v", err)
	}
	fields := strings.Fields(string(out))
	if len(fields) < 3 || fields[2] != "37" {
		t.Fatalf("ss output %q: want Send-Q 37", out)
	}
}
