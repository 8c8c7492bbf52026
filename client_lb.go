package fasthttp

import (
	"sync"
	"sync/atomic"
	"time"
)

// DefaultLBClientTimeout is the timeout LBClient.Do uses when
// LBClient.Timeout is not set.
const DefaultLBClientTimeout = time.Second

// BalancingClient is a client LBClient can balance over; HostClient and
// PipelineClient are ones.
type BalancingClient interface {
	// DoDeadline sends req and reads the response into resp before
	// deadline.
	DoDeadline(req *Request, resp *Response, deadline time.Time) error
	// PendingRequests returns how many requests are in progress.
	PendingRequests() int
}

// LBClient balances requests over Clients: each request goes to the
// client with the fewest requests in progress. A client that fails its
// health check is penalized for a few seconds, as if it were busier, so
// traffic moves to the healthy ones. It is safe for concurrent use.
type LBClient struct {
	noCopy noCopy

	// HealthCheck is called after each request with its outcome and
	// reports whether the client that served it is healthy. By default a
	// client is healthy when the request returned no error.
	HealthCheck func(req *Request, resp *Response, err error) bool

	// Clients are the clients to balance over. Set it before first use;
	// later, use AddClient and RemoveClients.
	Clients []BalancingClient

	// Timeout bounds each call of Do; DefaultLBClientTimeout when 0.
	Timeout time.Duration

	mu   sync.RWMutex
	cs   []*lbClient
	once sync.Once
	next atomic.Uint32
}

// lbClient is one balanced client with its penalty.
type lbClient struct {
	c           BalancingClient
	healthCheck func(req *Request, resp *Response, err error) bool
	penalty     atomic.Int32
}

// lbPenaltyDuration is how long a failed health check weighs on a client,
// and lbMaxPenalty caps the weight so a client recovers in bounded time.
const (
	lbPenaltyDuration = 3 * time.Second
	lbMaxPenalty      = 300
)

// DoDeadline sends req to the least loaded client before deadline.
func (lc *LBClient) DoDeadline(req *Request, resp *Response, deadline time.Time) error {
	c := lc.get()
	if c == nil {
		return ErrNoAvailableClients
	}
	return c.doDeadline(req, resp, deadline)
}

// DoTimeout sends req to the least loaded client within timeout.
func (lc *LBClient) DoTimeout(req *Request, resp *Response, timeout time.Duration) error {
	return lc.DoDeadline(req, resp, time.Now().Add(timeout))
}

// Do sends req to the least loaded client within Timeout.
func (lc *LBClient) Do(req *Request, resp *Response) error {
	timeout := lc.Timeout
	if timeout <= 0 {
		timeout = DefaultLBClientTimeout
	}
	return lc.DoTimeout(req, resp, timeout)
}

// AddClient adds c to the balanced clients and returns how many there
// are now.
func (lc *LBClient) AddClient(c BalancingClient) int {
	lc.once.Do(lc.init)
	lc.mu.Lock()
	defer lc.mu.Unlock()
	lc.cs = append(lc.cs, &lbClient{c: c, healthCheck: lc.HealthCheck})
	return len(lc.cs)
}

// RemoveClients removes every client for which rc returns true and
// returns how many are left.
func (lc *LBClient) RemoveClients(rc func(BalancingClient) bool) int {
	lc.once.Do(lc.init)
	lc.mu.Lock()
	defer lc.mu.Unlock()
	kept := lc.cs[:0]
	for _, c := range lc.cs {
		if !rc(c.c) {
			kept = append(kept, c)
		}
	}
	clear(lc.cs[len(kept):])
	lc.cs = kept
	return len(kept)
}

func (lc *LBClient) init() {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	for _, c := range lc.Clients {
		lc.cs = append(lc.cs, &lbClient{c: c, healthCheck: lc.HealthCheck})
	}
}

// get returns the least loaded client. The scan starts at a rotating
// position so that equally loaded clients take turns.
func (lc *LBClient) get() *lbClient {
	lc.once.Do(lc.init)
	lc.mu.RLock()
	defer lc.mu.RUnlock()
	n := len(lc.cs)
	if n == 0 {
		return nil
	}
	start := int(lc.next.Add(1)-1) % n
	best := lc.cs[start]
	minLoad := best.load()
	for i := 1; i < n && minLoad > 0; i++ {
		c := lc.cs[(start+i)%n]
		if l := c.load(); l < minLoad {
			best, minLoad = c, l
		}
	}
	return best
}

func (c *lbClient) load() int {
	return c.c.PendingRequests() + int(c.penalty.Load())
}

func (c *lbClient) doDeadline(req *Request, resp *Response, deadline time.Time) error {
	err := c.c.DoDeadline(req, resp, deadline)
	if !c.healthy(req, resp, err) {
		if c.penalty.Add(1) > lbMaxPenalty {
			c.penalty.Add(-1)
		} else {
			time.AfterFunc(lbPenaltyDuration, c.decPenalty)
		}
	}
	return err
}

func (c *lbClient) decPenalty() { c.penalty.Add(-1) }

func (c *lbClient) healthy(req *Request, resp *Response, err error) bool {
	if c.healthCheck == nil {
		return err == nil
	}
	return c.healthCheck(req, resp, err)
}
