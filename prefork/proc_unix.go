//go:build !windows

package prefork

import (
	"os"
	"syscall"
)

// masterAlive reports whether the process that started this one still
// does: an orphan is re-parented, so its parent PID changes.
func masterAlive(master int) bool {
	return os.Getppid() == master
}

// askToStop asks a child to exit; ShutdownGracePeriod later it is killed.
func askToStop(p *os.Process) error {
	return p.Signal(syscall.SIGTERM)
}
