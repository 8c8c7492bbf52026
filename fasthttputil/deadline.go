package fasthttputil

import (
	"sync"
	"sync/atomic"
	"time"
)

// deadline turns an absolute time into a channel a blocked call can select
// on. The channel is nil while no deadline is set, so an untimed wait
// costs nothing, and closed once the deadline has passed. Moving the
// deadline installs a new channel and closes the old one, which wakes
// blocked callers so that they pick up the new channel.
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
	if old := d.cur.Load(); old != nil && old != expiredChan && !d.curClosed {
		close(*old)
	}
	d.curClosed = false
	if t.IsZero() {
		d.cur.Store(nil)
		return
	}
	dur := time.Until(t)
	if dur <= 0 {
		d.cur.Store(expiredChan)
		return
	}
	ch := make(chan struct{})
	p := &ch
	d.cur.Store(p)
	d.timer = time.AfterFunc(dur, func() {
		d.mu.Lock()
		if d.cur.Load() == p && !d.curClosed {
			close(ch)
			d.curClosed = true
		}
		d.mu.Unlock()
	})
}

// wait returns the channel of the current deadline, nil when there is none.
func (d *deadline) wait() <-chan struct{} {
	if p := d.cur.Load(); p != nil {
		return *p
	}
	return nil
}

// expired reports whether the current deadline has passed.
func (d *deadline) expired() bool {
	return isClosed(d.wait())
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
