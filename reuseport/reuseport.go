// Package reuseport creates TCP listeners with SO_REUSEPORT set, so that
// several listeners, in one process or many, accept on one address and the
// kernel balances connections among them.
package reuseport

import (
	"errors"
	"net"
	"os"

	"github.com/valyala/fasthttp/tcplisten"
)

// ErrNoReusePort is the error Listen returns where the system does not
// support SO_REUSEPORT.
type ErrNoReusePort struct {
	err error
}

// Error describes the failure.
func (e *ErrNoReusePort) Error() string {
	return "The OS doesn't support SO_REUSEPORT: " + e.err.Error()
}

// Unwrap returns the system error behind e.
func (e *ErrNoReusePort) Unwrap() error { return e.err }

// reusePortSyscall is how package tcplisten names a failed SO_REUSEPORT
// setsockopt.
const reusePortSyscall = "setsockopt SO_REUSEPORT"

var listenConfig = tcplisten.Config{
	ReusePort:   true,
	DeferAccept: true,
	FastOpen:    true,
}

// Listen returns a TCP listener on addr with SO_REUSEPORT set (SO_REUSEADDR
// on Windows). It also asks for TCP_DEFER_ACCEPT and TCP_FASTOPEN, which
// help servers and are skipped silently where unavailable. network must be
// "tcp", "tcp4" or "tcp6". Where SO_REUSEPORT is not supported the error is
// an *ErrNoReusePort.
func Listen(network, addr string) (net.Listener, error) {
	ln, err := listenConfig.NewListener(network, addr)
	if err != nil {
		var se *os.SyscallError
		if errors.As(err, &se) && se.Syscall == reusePortSyscall {
			return nil, &ErrNoReusePort{err: err}
		}
		return nil, err
	}
	return ln, nil
}
