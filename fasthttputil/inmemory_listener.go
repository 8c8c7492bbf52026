package fasthttputil

import (
	"net"
	"sync"
	"time"
)

// InmemoryListener is a net.Listener whose connections are PipeConns: Dial
// makes a connection that Accept returns, all within the process. Create it
// with NewInmemoryListener.
type InmemoryListener struct {
	mu     sync.Mutex
	addr   net.Addr
	closed bool
	// pending queues dials for Accept; Close closes it, under mu, after
	// rejecting what is still queued, so sends happen only under mu.
	pending chan *dialRequest
}

// dialRequest is one Dial waiting for Accept.
type dialRequest struct {
	pc       *PipeConns
	accepted chan struct{} // closed by Accept, or by Close with rejected set
	rejected bool
}

// pendingDials bounds how many Dial calls may wait for Accept before
// further ones wait for room, like a listen backlog.
const pendingDials = 1024

// backlogRetry is how long a Dial facing a full backlog waits before it
// tries again.
const backlogRetry = time.Millisecond

// NewInmemoryListener returns a new in-memory listener.
func NewInmemoryListener() *InmemoryListener {
	return &InmemoryListener{pending: make(chan *dialRequest, pendingDials)}
}

// SetLocalAddr sets the address Addr reports. Connections dialled later
// report it as the server's local and the client's remote address.
func (ln *InmemoryListener) SetLocalAddr(localAddr net.Addr) {
	ln.mu.Lock()
	ln.addr = localAddr
	ln.mu.Unlock()
}

// Addr returns the address set with SetLocalAddr, or a placeholder whose
// network is "inmemory" and whose string is "InmemoryListener".
func (ln *InmemoryListener) Addr() net.Addr {
	ln.mu.Lock()
	a := ln.addr
	ln.mu.Unlock()
	if a == nil {
		return inmemoryAddr{}
	}
	return a
}

// Accept waits for the next Dial and returns the server end of its
// connection. After Close it returns ErrInmemoryListenerClosed.
func (ln *InmemoryListener) Accept() (net.Conn, error) {
	req, ok := <-ln.pending
	if !ok {
		return nil, ErrInmemoryListenerClosed
	}
	close(req.accepted)
	return req.pc.Conn1(), nil
}

// Close stops the listener: blocked and later Accept and Dial calls fail,
// and connections dialled but not yet accepted are closed. Connections
// already accepted stay open. A second Close returns
// ErrInmemoryListenerClosed.
func (ln *InmemoryListener) Close() error {
	ln.mu.Lock()
	defer ln.mu.Unlock()
	if ln.closed {
		return ErrInmemoryListenerClosed
	}
	ln.closed = true
	for {
		select {
		case req := <-ln.pending:
			req.rejected = true
			_ = req.pc.Close()
			close(req.accepted)
		default:
			close(ln.pending)
			return nil
		}
	}
}

// Dial connects to the listener and returns the client end once Accept has
// taken the server end.
func (ln *InmemoryListener) Dial() (net.Conn, error) {
	return ln.DialWithLocalAddr(nil)
}

// DialWithLocalAddr is Dial with the client's address set to local: the
// client end reports it as LocalAddr and the server end as RemoteAddr, so a
// server sees distinct clients. A nil local means the "pipe" placeholder.
func (ln *InmemoryListener) DialWithLocalAddr(local net.Addr) (net.Conn, error) {
	if local == nil {
		local = pipeAddr{}
	}
	pc := NewPipeConns()
	req := &dialRequest{pc: pc, accepted: make(chan struct{})}
	for {
		ln.mu.Lock()
		if ln.closed {
			ln.mu.Unlock()
			return nil, ErrInmemoryListenerClosed
		}
		lnAddr := ln.addr
		if lnAddr == nil {
			lnAddr = inmemoryAddr{}
		}
		// Conn1 is the server end, Conn2 the client end.
		pc.SetAddresses(lnAddr, local, local, lnAddr)
		select {
		case ln.pending <- req:
			ln.mu.Unlock()
		default:
			// The backlog is full: never block while holding mu.
			ln.mu.Unlock()
			time.Sleep(backlogRetry)
			continue
		}
		break
	}
	<-req.accepted
	if req.rejected {
		return nil, ErrInmemoryListenerClosed
	}
	return pc.Conn2(), nil
}

type inmemoryAddr struct{}

func (inmemoryAddr) Network() string { return "inmemory" }
func (inmemoryAddr) String() string  { return "InmemoryListener" }
