package fasthttp

import (
	"bufio"
	"crypto/tls"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultMaxPendingRequests is the default of
// PipelineClient.MaxPendingRequests.
const DefaultMaxPendingRequests = 1024

// PipelineClient sends requests to one host over a few connections,
// pipelining them (RFC 9112 §9.3): several requests are written before
// their responses arrive, which suits many small requests to one server.
// Responses are matched to requests by order. It is safe for concurrent
// use; settings must not change once it is in use.
//
// Request body streams are read whole before sending, and response bodies
// are never streamed.
type PipelineClient struct {
	noCopy noCopy

	// Logger receives connection errors; the standard logger when nil.
	Logger Logger

	// Dial dials new connections; a TCPDialer with DNS caching when nil.
	Dial DialFunc

	// TLSConfig configures connections when IsTLS is set.
	TLSConfig *tls.Config

	// Addr is the address of the host, with the built-in dialer
	// "host[:port]".
	Addr string

	// Name is sent as User-Agent when the request has none; "fasthttp"
	// when empty.
	Name string

	// MaxConns caps the connections to Addr; 1 when 0.
	MaxConns int

	// MaxPendingRequests caps the requests queued or in flight on each
	// connection; beyond it Do fails with ErrPipelineOverflow.
	// DefaultMaxPendingRequests when 0.
	MaxPendingRequests int

	// MaxBatchDelay is how long written requests may wait for more to
	// join them before being flushed to the server (0: flush at once).
	MaxBatchDelay time.Duration

	// MaxIdleConnDuration closes a connection with nothing to send for
	// this long; DefaultMaxIdleConnDuration when 0.
	MaxIdleConnDuration time.Duration

	// ReadBufferSize is the per-connection read buffer size; 4096 when 0.
	ReadBufferSize int

	// WriteBufferSize is the per-connection write buffer size; 4096 when 0.
	WriteBufferSize int

	// ReadTimeout bounds reading each response (0: none).
	ReadTimeout time.Duration

	// WriteTimeout bounds writing each batch of requests (0: none).
	WriteTimeout time.Duration

	// MaxResponseBodySize makes responses with a larger body fail with
	// ErrBodyTooLarge (0: no limit).
	MaxResponseBodySize int

	// NoDefaultUserAgentHeader sends no User-Agent unless the request sets
	// one.
	NoDefaultUserAgentHeader bool

	// DialDualStack lets the built-in dialer use IPv6 as well as IPv4.
	DialDualStack bool

	// DisableHeaderNamesNormalizing keeps header names as given in
	// requests and as received in responses.
	DisableHeaderNamesNormalizing bool

	// DisablePathNormalizing sends request paths exactly as given.
	DisablePathNormalizing bool

	// IsTLS makes the client speak HTTPS to Addr.
	IsTLS bool

	mu    sync.Mutex
	conns []*pipelineConnClient
}

// pipelineConnClient feeds one connection at a time (redialed as needed)
// from a queue of requests.
type pipelineConnClient struct {
	p       *PipelineClient
	hc      HostClient // dialing, TLS, request checks and buffers
	workCh  chan *pipelineWork
	pending atomic.Int32

	mu      sync.Mutex
	running bool
}

// pipelineWork is one request on its way. It holds copies of the request
// and response so that a caller who times out can leave at once while the
// connection still writes and reads them.
type pipelineWork struct {
	req      Request
	resp     Response
	deadline time.Time
	done     chan struct{}
	err      error
	state    atomic.Int32 // workWaiting, workAbandoned or workCompleted
	attempts int
}

const (
	workWaiting int32 = iota
	workAbandoned
	workCompleted
)

var pipelineWorkPool = sync.Pool{New: func() any {
	return &pipelineWork{done: make(chan struct{}, 1)}
}}

func acquirePipelineWork() *pipelineWork {
	w := pipelineWorkPool.Get().(*pipelineWork)
	w.state.Store(workWaiting)
	w.err = nil
	w.attempts = 0
	return w
}

func releasePipelineWork(w *pipelineWork) {
	w.req.Reset()
	w.resp.Reset()
	w.deadline = time.Time{}
	pipelineWorkPool.Put(w)
}

// complete hands the outcome to the waiting caller, or frees w when the
// caller already gave up. Every work ends here exactly once.
func (w *pipelineWork) complete(err error) {
	w.err = err
	if w.state.CompareAndSwap(workWaiting, workCompleted) {
		w.done <- struct{}{}
		return
	}
	releasePipelineWork(w)
}

func (w *pipelineWork) abandoned() bool { return w.state.Load() == workAbandoned }

// Do sends req and reads the response into resp. A timeout set with
// req.SetTimeout bounds the call.
func (p *PipelineClient) Do(req *Request, resp *Response) error {
	return p.do(req, resp, requestDeadline(req))
}

// DoTimeout is Do bounded by timeout; it returns ErrTimeout when the time
// runs out.
func (p *PipelineClient) DoTimeout(req *Request, resp *Response, timeout time.Duration) error {
	return p.do(req, resp, time.Now().Add(timeout))
}

// DoDeadline is Do bounded by deadline.
func (p *PipelineClient) DoDeadline(req *Request, resp *Response, deadline time.Time) error {
	return p.do(req, resp, deadline)
}

// PendingRequests returns how many requests are queued or in flight.
func (p *PipelineClient) PendingRequests() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for _, c := range p.conns {
		n += int(c.pending.Load())
	}
	return n
}

func (p *PipelineClient) logger() Logger {
	if p.Logger != nil {
		return p.Logger
	}
	return defaultLogger
}

func (p *PipelineClient) maxPendingRequests() int {
	if p.MaxPendingRequests > 0 {
		return p.MaxPendingRequests
	}
	return DefaultMaxPendingRequests
}

// connClient returns the connection client with the least pending
// requests, adding one while fewer than MaxConns exist and all are busy.
func (p *PipelineClient) connClient() *pipelineConnClient {
	p.mu.Lock()
	defer p.mu.Unlock()
	var best *pipelineConnClient
	minPending := 0
	for _, c := range p.conns {
		if n := int(c.pending.Load()); best == nil || n < minPending {
			best, minPending = c, n
		}
	}
	maxConns := p.MaxConns
	if maxConns <= 0 {
		maxConns = 1
	}
	if best == nil || (minPending > 0 && len(p.conns) < maxConns) {
		best = p.newConnClient()
		p.conns = append(p.conns, best)
	}
	return best
}

func (p *PipelineClient) newConnClient() *pipelineConnClient {
	c := &pipelineConnClient{
		p:      p,
		workCh: make(chan *pipelineWork, p.maxPendingRequests()),
	}
	c.hc.Addr = p.Addr
	c.hc.Dial = p.Dial
	c.hc.DialDualStack = p.DialDualStack
	c.hc.IsTLS = p.IsTLS
	c.hc.TLSConfig = p.TLSConfig
	c.hc.Name = p.Name
	c.hc.NoDefaultUserAgentHeader = p.NoDefaultUserAgentHeader
	c.hc.DisableHeaderNamesNormalizing = p.DisableHeaderNamesNormalizing
	c.hc.DisablePathNormalizing = p.DisablePathNormalizing
	c.hc.ReadBufferSize = p.ReadBufferSize
	c.hc.WriteBufferSize = p.WriteBufferSize
	return c
}

func (p *PipelineClient) do(req *Request, resp *Response, deadline time.Time) error {
	if req == nil || resp == nil {
		return errClientNilReqResp
	}
	if !deadline.IsZero() && !time.Now().Before(deadline) {
		return ErrTimeout
	}
	return p.connClient().do(req, resp, deadline)
}

func (c *pipelineConnClient) do(req *Request, resp *Response, deadline time.Time) error {
	c.pending.Add(1)
	defer c.pending.Add(-1)

	w := acquirePipelineWork()
	req.CopyTo(&w.req)
	if req.IsBodyStream() {
		// Pipelined requests may be written again on another connection,
		// so the body must be at hand.
		w.req.SetBody(req.Body())
	}
	if err := c.hc.prepareRequest(&w.req); err != nil {
		releasePipelineWork(w)
		return err
	}
	w.resp.SkipBody = resp.SkipBody
	if c.p.DisableHeaderNamesNormalizing {
		w.resp.Header.DisableNormalizing()
	} else {
		w.resp.Header.EnableNormalizing()
	}
	w.deadline = deadline
	select {
	case c.workCh <- w:
	default:
		releasePipelineWork(w)
		return ErrPipelineOverflow
	}
	c.ensureRunning()

	if deadline.IsZero() {
		<-w.done
	} else {
		t := AcquireTimer(time.Until(deadline))
		select {
		case <-w.done:
			ReleaseTimer(t)
		case <-t.C:
			ReleaseTimer(t)
			if w.state.CompareAndSwap(workWaiting, workAbandoned) {
				// The connection frees w when it is done with it.
				return ErrTimeout
			}
			<-w.done
		}
	}
	err := w.err
	if err == nil {
		moveResponse(resp, &w.resp)
	}
	releasePipelineWork(w)
	return err
}

// moveResponse makes dst hold the response read into src, handing over
// the body buffer instead of copying it.
func moveResponse(dst, src *Response) {
	src.Header.CopyTo(&dst.Header)
	dst.ResetBody()
	dst.body, src.body = src.body, nil
	dst.bodyRaw = nil
	dst.laddr, dst.raddr = src.laddr, src.raddr
}

func (c *pipelineConnClient) ensureRunning() {
	c.mu.Lock()
	if !c.running {
		c.running = true
		go c.worker()
	}
	c.mu.Unlock()
}

// worker dials and serves connections while requests are queued.
func (c *pipelineConnClient) worker() {
	for {
		conn, err := c.hc.dialAddr(c.p.Addr, time.Time{})
		if err != nil {
			c.p.logger().Printf("fasthttp: cannot dial pipeline connection to %q: %v", c.p.Addr, err)
			// Fail what is queued now instead of letting it wait for a
			// server that cannot be reached.
			for drained := false; !drained; {
				select {
				case w := <-c.workCh:
					w.complete(err)
				default:
					drained = true
				}
			}
		} else {
			c.serveConn(conn)
		}
		c.mu.Lock()
		if len(c.workCh) == 0 {
			c.running = false
			c.mu.Unlock()
			return
		}
		c.mu.Unlock()
	}
}

// serveConn writes queued requests to conn while a second goroutine reads
// the responses, until the connection fails, the server closes it or it
// stays idle.
func (c *pipelineConnClient) serveConn(conn net.Conn) {
	inFlight := make(chan *pipelineWork, c.p.maxPendingRequests())
	stop := make(chan struct{})
	readerDone := make(chan struct{})
	br := c.hc.AcquireReader(conn)
	bw := c.hc.AcquireWriter(conn)
	go c.reader(conn, br, inFlight, stop, readerDone)
	c.writer(conn, bw, inFlight, stop)
	close(inFlight)
	<-readerDone
	_ = conn.Close()
	c.hc.ReleaseReader(br)
	c.hc.ReleaseWriter(bw)
}

// writer writes queued requests, flushing whenever the queue runs dry
// (after MaxBatchDelay, when set). It returns on a write error, when the
// reader stops, or after MaxIdleConnDuration with nothing to write.
func (c *pipelineConnClient) writer(conn net.Conn, bw *bufio.Writer, inFlight chan<- *pipelineWork, stop <-chan struct{}) {
	idle := c.p.MaxIdleConnDuration
	if idle <= 0 {
		idle = DefaultMaxIdleConnDuration
	}
	idleTimer := time.NewTimer(idle)
	defer idleTimer.Stop()
	var batchTimer *time.Timer
	if c.p.MaxBatchDelay > 0 {
		batchTimer = time.NewTimer(c.p.MaxBatchDelay)
		defer batchTimer.Stop()
	}
	deadlineSet := false
	for {
		var w *pipelineWork
		select {
		case w = <-c.workCh:
		default:
			if bw.Buffered() > 0 && batchTimer != nil {
				batchTimer.Reset(c.p.MaxBatchDelay)
				select {
				case w = <-c.workCh:
				case <-batchTimer.C:
				case <-stop:
					return
				}
			}
			if w == nil {
				if bw.Buffered() > 0 {
					if err := bw.Flush(); err != nil {
						_ = conn.Close()
						return
					}
				}
				idleTimer.Reset(idle)
				select {
				case w = <-c.workCh:
				case <-idleTimer.C:
					return
				case <-stop:
					return
				}
			}
		}
		select {
		case <-stop:
			// The reader gave up on this connection: send w over the next.
			c.requeue(w, ErrConnectionClosed)
			return
		default:
		}
		if w.abandoned() {
			w.complete(ErrTimeout)
			continue
		}
		if !w.deadline.IsZero() && !time.Now().Before(w.deadline) {
			w.complete(ErrTimeout)
			continue
		}
		if c.p.WriteTimeout > 0 {
			deadlineSet = true
			_ = conn.SetWriteDeadline(time.Now().Add(c.p.WriteTimeout))
		} else if deadlineSet {
			deadlineSet = false
			_ = conn.SetWriteDeadline(time.Time{})
		}
		if err := w.req.Write(bw); err != nil {
			_ = conn.Close()
			c.requeue(w, err)
			return
		}
		select {
		case inFlight <- w:
		default:
			// The reader is behind: it may be waiting for a response to a
			// request still in our buffer, so flush before blocking.
			if err := bw.Flush(); err != nil {
				_ = conn.Close()
				c.requeue(w, err)
				return
			}
			inFlight <- w
		}
	}
}

// reader reads responses in the order their requests were written. After
// a failure, or a response that closes the connection, the requests still
// in flight get no answer on this connection and are sent again when that
// is safe.
func (c *pipelineConnClient) reader(conn net.Conn, br *bufio.Reader, inFlight <-chan *pipelineWork, stop chan<- struct{}, done chan<- struct{}) {
	defer close(done)
	var connErr error
	for w := range inFlight {
		if connErr != nil {
			c.requeue(w, connErr)
			continue
		}
		if c.p.ReadTimeout > 0 {
			_ = conn.SetReadDeadline(time.Now().Add(c.p.ReadTimeout))
		}
		bodyLen, reuse, retry, err := readClientResponseHeader(&w.resp, br, &w.req, c.p.MaxResponseBodySize)
		if err == nil && bodyLen != clientNoBody {
			err = readClientBody(&w.resp, br, bodyLen, c.p.MaxResponseBodySize)
		}
		if err == nil {
			w.resp.ParseNetConn(conn)
			w.complete(nil)
			if reuse {
				continue
			}
			connErr = ErrConnectionClosed
		} else {
			connErr = err
			if retry {
				c.requeue(w, err)
			} else {
				w.complete(err)
			}
		}
		// Stop the writer and make a blocked write fail.
		close(stop)
		_ = conn.Close()
	}
}

// requeue queues w again for another connection when it is idempotent and
// has attempts and time left; otherwise it fails with err.
func (c *pipelineConnClient) requeue(w *pipelineWork, err error) {
	if w.abandoned() {
		w.complete(err)
		return
	}
	w.attempts++
	if !isIdempotent(&w.req) || w.attempts >= DefaultMaxIdemponentCallAttempts ||
		(!w.deadline.IsZero() && !time.Now().Before(w.deadline)) {
		w.complete(err)
		return
	}
	select {
	case c.workCh <- w:
	default:
		w.complete(err)
	}
}
