package fasthttp

import (
	"net/netip"
	"time"
)

// This file holds the HTTP/2 budgets that are not flow control: the
// per-IP stream budget and the flood guard that bounds work a client can
// cause without sending requests.

// h2StreamBudget admits streams beyond the per-connection limit, shared by
// every connection of a server: a per-IP budget, or any other policy (per
// tenant, global). acquire takes one stream slot for a client address and
// reports whether it got one; release gives it back. Both are called
// from the connection's read loop and stream goroutines, so they must be
// safe for concurrent use.
type h2StreamBudget interface {
	acquire(ip netip.Addr) bool
	release(ip netip.Addr)
}

// h2IPBudget is the per-IP stream budget: at most limit open streams per
// client address, IPv4-mapped IPv6 addresses counted as IPv4 (connIP
// unmaps them).
type h2IPBudget struct {
	counts *perIPConnCounter
	limit  int
}

func newH2IPBudget(limit int) *h2IPBudget {
	return &h2IPBudget{counts: newPerIPConnCounter(), limit: limit}
}

func (b *h2IPBudget) acquire(ip netip.Addr) bool { return b.counts.tryRegister(ip, b.limit) }
func (b *h2IPBudget) release(ip netip.Addr)      { b.counts.unregister(ip) }

// h2FloodGuard counts the frames a client sends that cost work but carry
// no request (SETTINGS, PING, PRIORITY, empty DATA, resets of unfinished
// streams, refused streams). More than budget of them within one second
// means a flood.
type h2FloodGuard struct {
	start  time.Time
	count  int
	budget int
}

// spend counts one such frame and reports whether the connection is still
// within its budget.
func (g *h2FloodGuard) spend(now time.Time) bool {
	if now.Sub(g.start) >= time.Second {
		g.start = now
		g.count = 0
	}
	g.count++
	return g.count <= g.budget
}
