// Package tcplisten creates TCP listeners with socket options the standard
// library does not expose: SO_REUSEPORT, TCP_DEFER_ACCEPT, TCP_FASTOPEN and
// a custom accept backlog.
package tcplisten

import (
	"context"
	"net"
	"syscall"
)

// Config holds the options of the listeners NewListener creates. The zero
// value gives a listener like net.Listen's.
type Config struct {
	// ReusePort sets SO_REUSEPORT, so several listeners (typically in
	// several processes) can bind the same address and the kernel spreads
	// connections among them. On Windows SO_REUSEADDR is set instead.
	// NewListener fails where the option is not available.
	ReusePort bool

	// DeferAccept sets TCP_DEFER_ACCEPT on Linux: Accept returns a
	// connection only once the client has sent data. Elsewhere, and where
	// the kernel refuses it, it is ignored.
	DeferAccept bool

	// FastOpen enables TCP Fast Open (RFC 7413) on Linux, letting clients
	// send data with their SYN. Elsewhere, and where the kernel refuses
	// it, it is ignored.
	FastOpen bool

	// Backlog is the length of the queue of accepted-but-not-yet-Accepted
	// connections. Zero or less keeps the system default (somaxconn).
	Backlog int
}

// NewListener returns a TCP listener on addr with the options of cfg.
// network must be "tcp", "tcp4" or "tcp6". It may be called many times
// with the same Config.
func (cfg *Config) NewListener(network, addr string) (net.Listener, error) {
	switch network {
	case "tcp", "tcp4", "tcp6":
	default:
		return nil, &net.OpError{Op: "listen", Net: network, Err: net.UnknownNetworkError(network)}
	}
	lc := net.ListenConfig{
		Control: func(_, _ string, rc syscall.RawConn) error {
			var serr error
			if err := rc.Control(func(fd uintptr) { serr = setSockopts(fd, cfg) }); err != nil {
				return err
			}
			return serr
		},
	}
	ln, err := lc.Listen(context.Background(), network, addr)
	if err != nil {
		return nil, err
	}
	if cfg.Backlog > 0 {
		// The standard library listens with the system default; calling
		// listen again on the bound socket resizes the queue.
		if err := relisten(ln.(*net.TCPListener), cfg.Backlog); err != nil {
			_ = ln.Close()
			return nil, &net.OpError{Op: "listen", Net: network, Addr: ln.Addr(), Err: err}
		}
	}
	return ln, nil
}

func relisten(ln *net.TCPListener, backlog int) error {
	rc, err := ln.SyscallConn()
	if err != nil {
		return err
	}
	var lerr error
	if err := rc.Control(func(fd uintptr) { lerr = listenBacklog(fd, backlog) }); err != nil {
		return err
	}
	return lerr
}

// reusePortSyscall names the failing call in the *os.SyscallError returned
// when SO_REUSEPORT cannot be set; package reuseport matches on it.
const reusePortSyscall = "setsockopt SO_REUSEPORT"
