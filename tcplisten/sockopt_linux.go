//go:build linux

package tcplisten

import (
	"os"
	"syscall"
)

// tcpFastOpen is TCP_FASTOPEN, which package syscall lacks; it has the same
// value on every Linux architecture.
const tcpFastOpen = 23

// fastOpenQueue is how many Fast Open requests may wait for Accept.
const fastOpenQueue = 256

func setSockopts(fd uintptr, cfg *Config) error {
	s := int(fd)
	if cfg.ReusePort {
		if err := syscall.SetsockoptInt(s, syscall.SOL_SOCKET, soReusePort, 1); err != nil {
			return os.NewSyscallError(reusePortSyscall, err)
		}
	}
	if cfg.DeferAccept {
		// The value is a timeout in seconds; the kernel still accepts a
		// connection without data once it has retransmitted its SYN-ACK.
		_ = syscall.SetsockoptInt(s, syscall.IPPROTO_TCP, syscall.TCP_DEFER_ACCEPT, 1)
	}
	if cfg.FastOpen {
		_ = syscall.SetsockoptInt(s, syscall.IPPROTO_TCP, tcpFastOpen, fastOpenQueue)
	}
	return nil
}

func listenBacklog(fd uintptr, backlog int) error {
	return os.NewSyscallError("listen", syscall.Listen(int(fd), backlog))
}
