//go:build windows

package prefork

import (
	"os"
	"syscall"
)

// masterAlive reports whether the master process still runs: Windows does
// not re-parent orphans, so look the process up.
func masterAlive(master int) bool {
	h, err := syscall.OpenProcess(syscall.SYNCHRONIZE|syscall.PROCESS_QUERY_INFORMATION, false, uint32(master))
	if err != nil {
		return false
	}
	defer syscall.CloseHandle(h)
	ev, err := syscall.WaitForSingleObject(h, 0)
	return err == nil && ev == syscall.WAIT_TIMEOUT
}

// askToStop kills the child: Windows has no signal to ask politely.
func askToStop(p *os.Process) error {
	return p.Kill()
}
