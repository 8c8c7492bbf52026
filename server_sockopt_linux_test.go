//go:build linux

package fasthttp

import (
	"net"
	"syscall"
	"testing"
)

const srvHasKeepaliveProbe = true

// srvKeepaliveOf reads SO_KEEPALIVE and TCP_KEEPIDLE (seconds) of the TCP
// connection under c.
func srvKeepaliveOf(t testing.TB, c net.Conn) (bool, int) {
	for {
		if tc, ok := c.(*net.TCPConn); ok {
			rc, err := tc.SyscallConn()
			if err != nil {
				t.Error(err)
				return false, 0
			}
			var on, idle int
			rc.Control(func(fd uintptr) {
				on, _ = syscall.GetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_KEEPALIVE)
				idle, _ = syscall.GetsockoptInt(int(fd), syscall.IPPROTO_TCP, syscall.TCP_KEEPIDLE)
			})
			return on != 0, idle
		}
		u, ok := c.(interface{ NetConn() net.Conn })
		if !ok {
			t.Errorf("no TCP connection under %T", c)
			return false, 0
		}
		c = u.NetConn()
	}
}
