//go:build unix && !aix

package fasthttp

import (
	"net"
	"syscall"
)

// connStillOpen reports whether the server has neither closed cc nor sent
// anything on it while it sat idle, by peeking at the socket without
// blocking. Under TLS the raw socket is checked: any byte there, even a
// TLS record, is out of place on an idle connection.
func connStillOpen(cc *clientConn) bool {
	c := cc.c
	if nc, ok := c.(interface{ NetConn() net.Conn }); ok {
		c = nc.NetConn()
	}
	sc, ok := c.(syscall.Conn)
	if !ok {
		return true
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return true
	}
	open := true
	var b [1]byte
	err = rc.Read(func(fd uintptr) bool {
		n, _, rerr := syscall.Recvfrom(int(fd), b[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
		switch {
		case n > 0:
			open = false // unsolicited bytes
		case rerr == nil:
			open = false // orderly close
		case rerr == syscall.EAGAIN || rerr == syscall.EWOULDBLOCK || rerr == syscall.EINTR:
			open = true
		default:
			open = false // reset
		}
		return true
	})
	return err == nil && open
}
