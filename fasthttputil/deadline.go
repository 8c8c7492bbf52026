package fasthttputil

import (
	"sync"
	"sync/atomic"
	"time"
)

// deadline turns an absolute time into a channel a blocked call can select
// on. While no deadline is set, the first wait installs an open channel
// (once, not per call); it is closed once the deadline has passed. Moving
// the deadline installs a new channel and closes the old one, which wakes
// blocked callers so that they pick up the new channel: a reader blocked
// with no deadline at all is woken too when one is set.
type deadline struct {
	mu        sync.Mutex
	timer     *time.Timer
	cur       atomic.Pointer[chan struct{}]
	curClosed bool // cur has been closed (under mu)
}

// expiredChan is shared by every deadline set in the past.
var expiredChan = func() *chan struct{} {
	ch := make(chan struct{})
	close(ch)
	return &ch
}()

// set moves the deadline to t; the zero time removes it.
func (d *deadline) set(t time.Time) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.timer != nil {
		// A callback already running waits for mu, then sees that its
		// channel is no longer current and leaves it alone.
		d.timer.Stop()
		d.timer = nil
	}
	var next *chan struct{}
	var ch chan struct{}
	dur := time.Until(t)
	switch {
	case t.IsZero():
	case dur <= 0:
		next = expiredChan
	default:
		ch = make(chan struct{})
		next = &ch
	}
	// Swapped, not loaded then stored: wait may install a channel for
	// "no deadline" meanwhile, and its waiter must be woken too.
	if old := d.cur.Swap(next); old != nil && old != expiredChan && !d.curClosed {
		close(*old)
	}
	d.curClosed = false
	if ch == nil {
		return
	}
	p := next
	d.timer = time.AfterFunc(dur, func() {
		d.mu.Lock()
		if d.cur.Load() == p && !d.curClosed {
			close(ch)
			d.curClosed = true
		}
		d.mu.Unlock()
	})
}

// wait returns the channel of the current deadline (see deadline).
func (d *deadline) wait() <-chan struct{} {
	for {
		if p := d.cur.Load(); p != nil {
			return *p
		}
		ch := make(chan struct{})
		if d.cur.CompareAndSwap(nil, &ch) {
			return ch
		}
	}
}

// expired reports whether the current deadline has passed.
func (d *deadline) expired() bool {
	p := d.cur.Load()
	return p != nil && isClosed(*p)
}

func isClosed(ch <-chan struct{}) bool {
	if ch == nil {
		return false
	}
	select {
	case <-ch:
		return true
	default:
		return false
	}
}
