//go:build !linux && !darwin && !dragonfly && !freebsd && !netbsd && !openbsd && !windows

package tcplisten

import (
	"errors"
	"os"
)

func setSockopts(_ uintptr, cfg *Config) error {
	if cfg.ReusePort {
		return os.NewSyscallError(reusePortSyscall, errors.ErrUnsupported)
	}
	return nil
}

func listenBacklog(uintptr, int) error {
	// The platform offers no way to resize the queue; keep its default.
	return nil
}
