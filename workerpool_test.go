package fasthttp

import (
	"net"
	"sync"
	"testing"
	"time"
)

func TestWorkerPoolReusesAndBoundsWorkers(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	var mu sync.Mutex
	served := 0
	wp := &workerPool{
		maxWorkersCount:       2,
		maxIdleWorkerDuration: 50 * time.Millisecond,
		workerFunc: func(c net.Conn) error {
			<-release
			mu.Lock()
			served++
			mu.Unlock()
			return nil
		},
	}
	wp.Start()
	defer wp.Stop()
	workers := func() int {
		wp.lock.Lock()
		defer wp.lock.Unlock()
		return wp.workersCount
	}
	a, b := net.Pipe()
	defer a.Close()
	defer b.Close()

	// Sequential connections reuse one goroutine.
	close(release)
	for i := 0; i < 5; i++ {
		if !wp.Serve(a) {
			t.Fatal("refused with idle workers")
		}
		srvEventually(t, "the connection to be served", func() bool {
			mu.Lock()
			defer mu.Unlock()
			return served == i+1
		})
		srvEventually(t, "the worker to be ready", func() bool {
			wp.lock.Lock()
			defer wp.lock.Unlock()
			return len(wp.ready) == 1 || wp.workersCount == 0
		})
		if n := workers(); n > 1 {
			t.Fatalf("%d workers for sequential connections", n)
		}
	}
	// Idle workers go away after MaxIdleWorkerDuration.
	srvEventually(t, "idle workers to stop", func() bool { return workers() == 0 })
}

func TestWorkerPoolRefusesOverLimit(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	wp := &workerPool{maxWorkersCount: 2, workerFunc: func(c net.Conn) error { <-release; return nil }}
	wp.Start()
	defer wp.Stop()
	a, b := net.Pipe()
	defer a.Close()
	defer b.Close()
	if !wp.Serve(a) || !wp.Serve(a) {
		t.Fatal("refused under the limit")
	}
	if wp.Serve(a) {
		t.Fatal("a third busy worker was started with maxWorkersCount 2")
	}
	close(release)
	srvEventually(t, "a free worker", func() bool { return wp.Serve(a) })
}
