package fasthttputil

import (
	"sync"
	"time"
)

// deadline turns an absolute time into a channel that is closed once the
// time has passed, so a blocked Read can select on it. Moving the deadline
// re-arms the timer; a channel already closed is replaced when the new
// deadline lies in the future.
type deadline struct {
	mu      sync.Mutex
	timer   *time.Timer
	expired chan struct{}
}

func (d *deadline) init() {
	d.expired = make(chan struct{})
}

// set moves the deadline to t; the zero time means none.
func (d *deadline) set(t time.Time) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.timer != nil {
		// A callback already firing waits for mu, then finds that its timer
		// is no longer current and leaves the channel alone.
		d.timer.Stop()
		d.timer = nil
	}
	closed := isClosed(d.expired)
	if t.IsZero() {
		if closed {
			d.expired = make(chan struct{})
		}
		return
	}
	dur := time.Until(t)
	if dur <= 0 {
		if !closed {
			close(d.expired)
		}
		return
	}
	if closed {
		d.expired = make(chan struct{})
	}
	ch := d.expired
	var timer *time.Timer
	timer = time.AfterFunc(dur, func() {
		d.mu.Lock()
		if d.timer == timer && !isClosed(ch) {
			close(ch)
		}
		d.mu.Unlock()
	})
	d.timer = timer
}

// wait returns the channel closed when the deadline passes.
func (d *deadline) wait() <-chan struct{} {
	d.mu.Lock()
	ch := d.expired
	d.mu.Unlock()
	return ch
}

func isClosed(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}
