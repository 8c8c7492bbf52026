package fasthttputil

import (
	"net"
	"sync"
)

// InmemoryListener is a net.Listener whose connections are PipeConns: Dial
// makes a connection that Accept returns, all within the process. Create it
// with NewInmemoryListener.
type InmemoryListener struct {
	mu      sync.Mutex
	addr    net.Addr
	pending chan *dialRequest
	done    chan struct{} // closed by Close
}

// dialRequest is one Dial waiting for Accept.
type dialRequest struct {
	pc       *PipeConns
	accepted chan struct{}
}

// pendingDials bounds how many Dial calls may wait for Accept before
// further ones block, like a listen backlog.
const pendingDials = 1024

// NewInmemoryListener returns a new in-memory listener.
func NewInmemoryListener() *InmemoryListener {
	return &InmemoryListener{
		pending: make(chan *dialRequest, pendingDials),
		done:    make(chan struct{}),
	}
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
	select {
	case req := <-ln.pending:
		if isClosed(ln.done) {
			_ = req.pc.Close()
			return nil, ErrInmemoryListenerClosed
		}
		close(req.accepted)
		return req.pc.Conn1(), nil
	case <-ln.done:
		return nil, ErrInmemoryListenerClosed
	}
}

// Close stops the listener: blocked and later Accept and Dial calls fail,
// and connections dialled but not yet accepted are closed. Connections
// already accepted stay open. A second Close returns
// ErrInmemoryListenerClosed.
func (ln *InmemoryListener) Close() error {
	ln.mu.Lock()
	if isClosed(ln.done) {
		ln.mu.Unlock()
		return ErrInmemoryListenerClosed
	}
	close(ln.done)
	ln.mu.Unlock()
	for {
		select {
		case req := <-ln.pending:
			_ = req.pc.Close()
		default:
			return nil
		}
	}
}

// Dial connects to the listener and returns the client end once Accept has
// taken the server end, as a real dial returns once the connection is
// established.
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
	lnAddr := ln.Addr()
	pc := NewPipeConns()
	// Conn1 is the server end, Conn2 the client end.
	pc.SetAddresses(lnAddr, local, local, lnAddr)
	req := &dialRequest{pc: pc, accepted: make(chan struct{})}

	select {
	case ln.pending <- req:
	case <-ln.done:
		_ = pc.Close()
		return nil, ErrInmemoryListenerClosed
	}
	select {
	case <-req.accepted:
		return pc.Conn2(), nil
	case <-ln.done:
		// Accept may have taken it just before Close.
		if isClosed(req.accepted) {
			return pc.Conn2(), nil
		}
		_ = pc.Close()
		return nil, ErrInmemoryListenerClosed
	}
}

type inmemoryAddr struct{}

func (inmemoryAddr) Network() string { return "inmemory" }
func (inmemoryAddr) String() string  { return "InmemoryListener" }
