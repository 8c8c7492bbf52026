package fasthttp

import (
	"net"
	"sync/atomic"
	"testing"
	"time"
)

// poolCounts reads how many workers run and how many are parked.
func poolCounts(wp *workerPool) (started, parked int) {
	wp.mu.Lock()
	defer wp.mu.Unlock()
	for w := wp.newest; w != nil; w = w.older {
		parked++
	}
	return wp.started, parked
}

func TestWorkerPoolReusesParkedWorker(t *testing.T) {
	t.Parallel()
	var served atomic.Int32
	wp := newWorkerPool(func(net.Conn) error { served.Add(1); return nil }, nil, 4, time.Minute)
	defer wp.Stop()
	a, b := net.Pipe()
	defer a.Close()
	defer b.Close()
	for i := 1; i <= 5; i++ {
		if !wp.Serve(a) {
			t.Fatal("refused with a parked worker")
		}
		srvEventually(t, "the connection served and its worker parked", func() bool {
			_, parked := poolCounts(wp)
			return served.Load() == int32(i) && parked == 1
		})
		if started, _ := poolCounts(wp); started != 1 {
			t.Fatalf("%d workers for sequential connections", started)
		}
	}
}

// TestWorkerPoolTakesNewestRetiresOldest: Serve takes the worker parked
// last; retiring takes the workers idle for maxIdle, oldest first, and
// leaves the others; the timer alone retires everything in the end.
func TestWorkerPoolTakesNewestRetiresOldest(t *testing.T) {
	t.Parallel()
	const maxIdle = 200 * time.Millisecond
	hold := make(chan struct{})
	var served atomic.Int32
	wp := newWorkerPool(func(net.Conn) error {
		served.Add(1)
		<-hold
		return nil
	}, nil, 4, maxIdle)
	defer wp.Stop()
	a, b := net.Pipe()
	defer a.Close()
	defer b.Close()
	// Three busy workers, then parked one after the other.
	for i := 0; i < 3; i++ {
		if !wp.Serve(a) {
			t.Fatal("refused under the limit")
		}
	}
	srvEventually(t, "three connections in service", func() bool { return served.Load() == 3 })
	for i := 1; i <= 3; i++ {
		hold <- struct{}{}
		srvEventually(t, "the worker parked", func() bool { _, p := poolCounts(wp); return p == i })
	}
	wp.mu.Lock()
	newest, middle, oldest := wp.newest, wp.newest.older, wp.oldest
	wp.mu.Unlock()
	if middle.older != oldest {
		t.Fatal("list order")
	}

	// The next connection goes to the worker parked last.
	if !wp.Serve(a) {
		t.Fatal("refused")
	}
	wp.mu.Lock()
	took := wp.newest != newest && wp.newest == middle
	wp.mu.Unlock()
	if !took {
		t.Fatal("Serve did not take the most recently parked worker")
	}
	hold <- struct{}{}
	srvEventually(t, "three parked again", func() bool { _, p := poolCounts(wp); return p == 3 })

	// Age the two others past maxIdle: a retire pass takes exactly those.
	wp.mu.Lock()
	oldest.parkedAt = oldest.parkedAt.Add(-time.Hour)
	middle.parkedAt = middle.parkedAt.Add(-time.Hour)
	newest.parkedAt = time.Now()
	wp.mu.Unlock()
	wp.retireIdle()
	srvEventually(t, "the two idle workers gone", func() bool { s, _ := poolCounts(wp); return s == 1 })
	wp.mu.Lock()
	left := wp.newest == newest && wp.oldest == newest
	wp.mu.Unlock()
	if !left {
		t.Fatal("the worker kept is not the one parked last")
	}

	// The timer retires the last one on its own.
	srvEventually(t, "the last one retired", func() bool { s, _ := poolCounts(wp); return s == 0 })
	// The pool still works after retiring everything.
	close(hold)
	n := served.Load()
	if !wp.Serve(a) {
		t.Fatal("refused")
	}
	srvEventually(t, "a new worker", func() bool { return served.Load() == n+1 })
}

func TestWorkerPoolRefusesOverLimitAndAfterStop(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	wp := newWorkerPool(func(net.Conn) error { <-release; return nil }, nil, 2, 0)
	a, b := net.Pipe()
	defer a.Close()
	defer b.Close()
	if !wp.Serve(a) || !wp.Serve(a) {
		t.Fatal("refused under the limit")
	}
	if wp.Serve(a) {
		t.Fatal("a third busy worker was started with limit 2")
	}
	close(release)
	srvEventually(t, "a free worker", func() bool { return wp.Serve(a) })
	srvEventually(t, "both parked", func() bool { _, p := poolCounts(wp); return p == 2 })
	wp.Stop()
	srvEventually(t, "parked workers gone after Stop", func() bool { s, _ := poolCounts(wp); return s == 0 })
	if wp.Serve(a) {
		t.Fatal("Serve after Stop")
	}
}

// TestWorkerPoolReportsErrors: what a connection ended with reaches
// onError with that connection.
func TestWorkerPoolReportsErrors(t *testing.T) {
	t.Parallel()
	got := make(chan error, 1)
	wp := newWorkerPool(func(net.Conn) error { return errHijacked }, func(_ net.Conn, err error) { got <- err }, 1, 0)
	defer wp.Stop()
	a, b := net.Pipe()
	defer a.Close()
	defer b.Close()
	wp.Serve(a)
	if err := srvRecv(t, got, "the error"); err != errHijacked {
		t.Fatalf("onError got %v", err)
	}
}
