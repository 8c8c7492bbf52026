//go:build windows

package tcplisten

import (
	"os"
	"syscall"
)

func setSockopts(fd uintptr, cfg *Config) error {
	if cfg.ReusePort {
		// Windows has no SO_REUSEPORT; SO_REUSEADDR lets listeners share
		// the address.
		if err := syscall.SetsockoptInt(syscall.Handle(fd), syscall.SOL_SOCKET, syscall.SO_REUSEADDR, 1); err != nil {
			return os.NewSyscallError(reusePortSyscall, err)
		}
	}
	return nil
}

func listenBacklog(fd uintptr, backlog int) error {
	return os.NewSyscallError("listen", syscall.Listen(syscall.Handle(fd), backlog))
}
