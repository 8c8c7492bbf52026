package fasthttp

import (
	"net"
	"runtime"
	"sync"
	"time"
)

// workerPool serves connections on a bounded set of reused goroutines.
//
// Idle workers wait on their own channel and are kept in a LIFO stack, so
// the most recently used (cache-warm) worker takes the next connection and
// workers idle for longer than maxIdleWorkerDuration can be stopped from
// the bottom of the stack.
type workerPool struct {
	workerFunc            func(c net.Conn) error
	maxWorkersCount       int
	maxIdleWorkerDuration time.Duration
	onError               func(c net.Conn, err error)

	lock         sync.Mutex
	workersCount int
	mustStop     bool
	ready        []*workerChan
	stopCh       chan struct{}

	workerChanPool sync.Pool
}

type workerChan struct {
	lastUseTime time.Time
	ch          chan net.Conn
}

// workerChanCap is 0 with one processor, so a hand-off switches straight to
// the worker; with more, a slot of buffer avoids blocking the acceptor.
var workerChanCap = func() int {
	if runtime.GOMAXPROCS(0) == 1 {
		return 0
	}
	return 1
}()

func (wp *workerPool) Start() {
	if wp.stopCh != nil {
		return
	}
	wp.stopCh = make(chan struct{})
	stopCh := wp.stopCh
	wp.workerChanPool.New = func() any {
		return &workerChan{ch: make(chan net.Conn, workerChanCap)}
	}
	go func() {
		var scratch []*workerChan
		for {
			wp.clean(&scratch)
			select {
			case <-stopCh:
				return
			case <-time.After(wp.idleDuration()):
			}
		}
	}()
}

// Stop ends every idle worker; busy workers end when their connection is
// done.
func (wp *workerPool) Stop() {
	if wp.stopCh == nil {
		return
	}
	close(wp.stopCh)
	wp.stopCh = nil

	wp.lock.Lock()
	ready := wp.ready
	for i := range ready {
		ready[i].ch <- nil
		ready[i] = nil
	}
	wp.ready = ready[:0]
	wp.mustStop = true
	wp.lock.Unlock()
}

func (wp *workerPool) idleDuration() time.Duration {
	if wp.maxIdleWorkerDuration <= 0 {
		return 10 * time.Second
	}
	return wp.maxIdleWorkerDuration
}

// clean stops the workers that have been idle for too long.
func (wp *workerPool) clean(scratch *[]*workerChan) {
	criticalTime := time.Now().Add(-wp.idleDuration())

	wp.lock.Lock()
	ready := wp.ready
	n := len(ready)
	// The stack is ordered by last use: find the first one still fresh.
	i := 0
	for i < n && ready[i].lastUseTime.Before(criticalTime) {
		i++
	}
	*scratch = append((*scratch)[:0], ready[:i]...)
	if i > 0 {
		m := copy(ready, ready[i:])
		for j := m; j < n; j++ {
			ready[j] = nil
		}
		wp.ready = ready[:m]
	}
	wp.lock.Unlock()

	// Signal outside the lock: a worker may be slow to receive.
	for j, ch := range *scratch {
		ch.ch <- nil
		(*scratch)[j] = nil
	}
}

// Serve hands c to an idle or a new worker. It returns false when
// maxWorkersCount workers are busy.
func (wp *workerPool) Serve(c net.Conn) bool {
	ch := wp.getCh()
	if ch == nil {
		return false
	}
	ch.ch <- c
	return true
}

func (wp *workerPool) getCh() *workerChan {
	var ch *workerChan
	createWorker := false

	wp.lock.Lock()
	ready := wp.ready
	n := len(ready) - 1
	if n < 0 {
		if wp.workersCount < wp.maxWorkersCount && !wp.mustStop {
			createWorker = true
			wp.workersCount++
		}
	} else {
		ch = ready[n]
		ready[n] = nil
		wp.ready = ready[:n]
	}
	wp.lock.Unlock()

	if ch == nil {
		if !createWorker {
			return nil
		}
		ch = wp.workerChanPool.Get().(*workerChan)
		go func() {
			wp.workerFunc2(ch)
			wp.workerChanPool.Put(ch)
		}()
	}
	return ch
}

// release puts a worker back on the ready stack; false means the pool is
// stopping and the worker should exit.
func (wp *workerPool) release(ch *workerChan) bool {
	ch.lastUseTime = time.Now()
	wp.lock.Lock()
	if wp.mustStop {
		wp.lock.Unlock()
		return false
	}
	wp.ready = append(wp.ready, ch)
	wp.lock.Unlock()
	return true
}

func (wp *workerPool) workerFunc2(ch *workerChan) {
	for c := range ch.ch {
		if c == nil {
			break
		}
		if err := wp.workerFunc(c); err != nil && wp.onError != nil {
			wp.onError(c, err)
		}
		if !wp.release(ch) {
			break
		}
	}
	wp.lock.Lock()
	wp.workersCount--
	wp.lock.Unlock()
}
