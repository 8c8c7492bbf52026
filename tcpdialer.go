package fasthttp

import (
	"context"
	"errors"
	"net"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultDialTimeout bounds a dial made by Dial, DialDualStack and the
// clients when no other timeout applies.
const DefaultDialTimeout = 3 * time.Second

// DefaultDNSCacheDuration is how long a TCPDialer keeps a resolved address
// by default.
const DefaultDNSCacheDuration = time.Minute

// Resolver looks host names up. *net.Resolver satisfies it; set
// TCPDialer.Resolver to change how names are resolved.
type Resolver interface {
	// LookupIPAddr returns the addresses of host.
	LookupIPAddr(ctx context.Context, host string) (names []net.IPAddr, err error)
}

// TCPDialer dials TCP connections, caching DNS answers and spreading dials
// over every resolved address in turn. The zero value is ready to use.
// A TCPDialer must not be copied after first use.
type TCPDialer struct {
	// Resolver resolves host names; net.DefaultResolver when nil.
	Resolver Resolver

	// LocalAddr is the local address dials bind to; any when nil.
	LocalAddr *net.TCPAddr

	// Concurrency caps the dials in progress at once (0: no cap). Only
	// the value seen at the first dial counts.
	Concurrency int

	// DNSCacheDuration is how long resolved addresses are reused;
	// DefaultDNSCacheDuration when 0.
	DNSCacheDuration time.Duration

	// KeepAlive is the TCP keep-alive period of dialed connections: 0
	// keeps Go's default, a negative value turns keep-alive off.
	KeepAlive time.Duration

	// DisableDNSResolution hands the address to the operating system's
	// dialer as is, with no resolution or caching here.
	DisableDNSResolution bool

	once      sync.Once
	sem       chan struct{}
	cacheMu   sync.Mutex
	cache     map[dnsCacheKey]*dnsCacheEntry
	lastSweep time.Time
}

// dnsCacheKey names a cache entry: the "host:port" dialed and whether the
// dial may use IPv6. Each kind of dial keeps its own answer, so an entry
// made for IPv4-only dials (its IPv6 addresses dropped) never serves a
// dual-stack dial, nor the other way round, and each keeps its own turn.
type dnsCacheKey struct {
	addr      string
	dualStack bool
}

// dnsCacheEntry holds the addresses a dial of one kind may use.
type dnsCacheEntry struct {
	addrs    []net.TCPAddr // in resolver order
	next     atomic.Uint32 // round-robin position
	resolved time.Time
}

var defaultDialer = &TCPDialer{Concurrency: 1000}

// Dial connects to addr ("host:port") over IPv4, with DNS caching and
// DefaultDialTimeout. It fails with ErrDialTimeout when the timeout passes.
// Use DialDualStack for IPv6 addresses.
func Dial(addr string) (net.Conn, error) { return defaultDialer.Dial(addr) }

// DialTimeout is Dial with the given timeout.
func DialTimeout(addr string, timeout time.Duration) (net.Conn, error) {
	return defaultDialer.DialTimeout(addr, timeout)
}

// DialDualStack connects to addr over IPv4 or IPv6, with DNS caching and
// DefaultDialTimeout.
func DialDualStack(addr string) (net.Conn, error) { return defaultDialer.DialDualStack(addr) }

// DialDualStackTimeout is DialDualStack with the given timeout.
func DialDualStackTimeout(addr string, timeout time.Duration) (net.Conn, error) {
	return defaultDialer.DialDualStackTimeout(addr, timeout)
}

// FlushDNSCache forgets the addresses cached by the default dialer.
func FlushDNSCache() { defaultDialer.FlushDNSCache() }

// The dial methods differ in two settings only: whether IPv6 addresses
// may be used, and how long a dial may take. Both reach dialDeadline.

// DialTimeout connects to addr ("host:port") over IPv4, giving up after
// timeout (DefaultDialTimeout when not positive). Resolved addresses are
// cached for DNSCacheDuration and tried in turn, starting with the one
// after the address used last.
func (d *TCPDialer) DialTimeout(addr string, timeout time.Duration) (net.Conn, error) {
	return d.dialDeadline(addr, false, dialDeadlineAfter(timeout))
}

// Dial is DialTimeout with DefaultDialTimeout.
func (d *TCPDialer) Dial(addr string) (net.Conn, error) {
	return d.DialTimeout(addr, DefaultDialTimeout)
}

// DialDualStackTimeout is DialTimeout over IPv4 and IPv6.
func (d *TCPDialer) DialDualStackTimeout(addr string, timeout time.Duration) (net.Conn, error) {
	return d.dialDeadline(addr, true, dialDeadlineAfter(timeout))
}

// DialDualStack is DialDualStackTimeout with DefaultDialTimeout.
func (d *TCPDialer) DialDualStack(addr string) (net.Conn, error) {
	return d.DialDualStackTimeout(addr, DefaultDialTimeout)
}

// dialDeadlineAfter turns a dial timeout into a deadline.
func dialDeadlineAfter(timeout time.Duration) time.Time {
	if timeout <= 0 {
		timeout = DefaultDialTimeout
	}
	return time.Now().Add(timeout)
}

// FlushDNSCache drops every cached answer: the next dial of each address
// resolves it again.
func (d *TCPDialer) FlushDNSCache() {
	d.cacheMu.Lock()
	d.cache = nil
	d.cacheMu.Unlock()
}

func (d *TCPDialer) init() {
	if d.Concurrency > 0 {
		d.sem = make(chan struct{}, d.Concurrency)
	}
}

// dialDeadline dials addr, giving up at deadline. It is what the clients
// call: they carry a deadline, not a timeout.
func (d *TCPDialer) dialDeadline(addr string, dualStack bool, deadline time.Time) (net.Conn, error) {
	d.once.Do(d.init)
	if d.sem != nil {
		select {
		case d.sem <- struct{}{}:
		default:
			t := AcquireTimer(time.Until(deadline))
			select {
			case d.sem <- struct{}{}:
				ReleaseTimer(t)
			case <-t.C:
				ReleaseTimer(t)
				return nil, ErrDialTimeout
			}
		}
		defer func() { <-d.sem }()
	}
	network := "tcp4"
	if dualStack {
		network = "tcp"
	}
	nd := net.Dialer{KeepAlive: d.KeepAlive}
	if d.LocalAddr != nil {
		nd.LocalAddr = d.LocalAddr
	}
	if d.DisableDNSResolution {
		nd.Deadline = deadline
		conn, err := nd.Dial(network, addr)
		if err != nil {
			return nil, dialFailure(addr, err)
		}
		return conn, nil
	}
	addrs, start, err := d.resolve(addr, dualStack, deadline)
	if err != nil {
		return nil, err
	}
	var lastErr error
	n := len(addrs)
	for i := 0; i < n; i++ {
		left := time.Until(deadline)
		if left <= 0 {
			return nil, ErrDialTimeout
		}
		// Share what time is left among the addresses not yet tried, so a
		// black-holed first address cannot use it all up.
		nd.Deadline = time.Now().Add(left / time.Duration(n-i))
		ta := &addrs[(start+i)%n]
		conn, err := nd.Dial(network, ta.String())
		if err == nil {
			return conn, nil
		}
		lastErr = err
	}
	return nil, dialFailure(addr, lastErr)
}

// dialFailure turns a net error into ErrDialTimeout for timeouts and into
// ErrDialWithUpstream otherwise.
func dialFailure(addr string, err error) error {
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return ErrDialTimeout
	}
	return &ErrDialWithUpstream{Upstream: addr, wrapErr: err}
}

// resolve returns the addresses a dial of addr may use and where in them
// the next dial starts.
func (d *TCPDialer) resolve(addr string, dualStack bool, deadline time.Time) ([]net.TCPAddr, int, error) {
	key := dnsCacheKey{addr: addr, dualStack: dualStack}
	d.cacheMu.Lock()
	e := d.cache[key]
	d.cacheMu.Unlock()
	if e == nil || time.Since(e.resolved) > d.cacheDuration() {
		var err error
		if e, err = d.lookup(addr, dualStack, deadline); err != nil {
			return nil, 0, err
		}
		d.store(key, e)
	}
	start := int(e.next.Add(1)-1) % len(e.addrs)
	return e.addrs, start, nil
}

func (d *TCPDialer) cacheDuration() time.Duration {
	if d.DNSCacheDuration > 0 {
		return d.DNSCacheDuration
	}
	return DefaultDNSCacheDuration
}

// lookup resolves addr, keeping only IPv4 addresses unless dualStack is
// set. IP literals skip the resolver.
func (d *TCPDialer) lookup(addr string, dualStack bool, deadline time.Time) (*dnsCacheEntry, error) {
	host, portStr, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	port, err := strconv.ParseUint(portStr, 10, 16)
	if err != nil {
		return nil, &ErrDialWithUpstream{Upstream: addr, wrapErr: errors.New("invalid port")}
	}
	var ips []net.IPAddr
	if ip := net.ParseIP(host); ip != nil {
		ips = []net.IPAddr{{IP: ip}}
	} else {
		r := d.Resolver
		if r == nil {
			r = net.DefaultResolver
		}
		ctx, cancel := context.WithDeadline(context.Background(), deadline)
		ips, err = r.LookupIPAddr(ctx, host)
		cancel()
		if err != nil {
			if ctx.Err() != nil {
				return nil, ErrDialTimeout
			}
			return nil, err
		}
	}
	e := &dnsCacheEntry{resolved: time.Now()}
	for _, ip := range ips {
		if dualStack || ip.IP.To4() != nil {
			e.addrs = append(e.addrs, net.TCPAddr{IP: ip.IP, Port: int(port), Zone: ip.Zone})
		}
	}
	switch {
	case len(e.addrs) > 0:
		return e, nil
	case len(ips) > 0:
		return nil, &ErrDialWithUpstream{Upstream: addr,
			wrapErr: errors.New("no IPv4 address found; try dual-stack dialing")}
	}
	return nil, &ErrDialWithUpstream{Upstream: addr, wrapErr: errors.New("no addresses found")}
}

// store caches e, sweeping out expired entries now and then so that names
// dialed once do not stay in memory forever.
func (d *TCPDialer) store(key dnsCacheKey, e *dnsCacheEntry) {
	d.cacheMu.Lock()
	defer d.cacheMu.Unlock()
	if d.cache == nil {
		d.cache = make(map[dnsCacheKey]*dnsCacheEntry)
	}
	ttl := d.cacheDuration()
	if now := time.Now(); now.Sub(d.lastSweep) > ttl {
		for k, v := range d.cache {
			if now.Sub(v.resolved) > ttl {
				delete(d.cache, k)
			}
		}
		d.lastSweep = now
	}
	d.cache[key] = e
}
