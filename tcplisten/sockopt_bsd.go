//go:build darwin || dragonfly || freebsd || netbsd || openbsd

package tcplisten

import (
	"os"
	"syscall"
)

func setSockopts(fd uintptr, cfg *Config) error {
	if cfg.ReusePort {
		if err := syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_REUSEPORT, 1); err != nil {
			return os.NewSyscallError(reusePortSyscall, err)
		}
	}
	// DeferAccept and FastOpen have no portable counterpart here.
	return nil
}

func listenBacklog(fd uintptr, backlog int) error {
	return os.NewSyscallError("listen", syscall.Listen(int(fd), backlog))
}
