package fasthttputil

import (
	"errors"
	"fmt"
	"net"
	"os"
)

var (
	// ErrConnectionClosed is returned by a pipe connection's Read or Write
	// once the connection has been closed, and by Write once the peer has
	// closed its end.
	ErrConnectionClosed = errors.New("fasthttputil: connection closed")

	// ErrInmemoryListenerClosed is returned by Accept and Dial of a closed
	// InmemoryListener, and by a second Close. It matches net.ErrClosed
	// under errors.Is, so code written for real listeners recognises it.
	ErrInmemoryListenerClosed = fmt.Errorf("fasthttputil: inmemorylistener is already closed: %w", net.ErrClosed)

	// ErrTimeout is returned by a pipe connection's Read or Write once its
	// deadline has passed. It is a net.Error whose Timeout reports true and
	// it matches os.ErrDeadlineExceeded under errors.Is, like the error of a
	// real connection.
	ErrTimeout = &timeoutError{}
)

// timeoutError is the type of ErrTimeout.
type timeoutError struct{}

func (*timeoutError) Error() string { return "fasthttputil: timeout" }

// Timeout reports true: the error is a deadline expiry.
func (*timeoutError) Timeout() bool { return true }

// Temporary reports true: a later deadline lets the operation succeed.
func (*timeoutError) Temporary() bool { return true }

// Is makes errors.Is(err, os.ErrDeadlineExceeded) hold, as it does for the
// conns of package net.
func (*timeoutError) Is(target error) bool { return target == os.ErrDeadlineExceeded }

var _ net.Error = ErrTimeout
