package stackless

import (
	"runtime"
	"sync"
)

// NewFunc returns a function that runs f(ctx) on one of a few goroutines
// dedicated to f (one per CPU) and waits for it to finish. Only those
// goroutines ever need the stack f uses, however many goroutines call the
// returned function.
//
// The returned function reports false, without calling f, when its queue
// is full. f should not block on I/O or channels: while it waits, it holds
// one of the few goroutines.
func NewFunc(f func(ctx any)) func(ctx any) bool {
	if f == nil {
		panic("stackless: f cannot be nil")
	}
	var (
		once  sync.Once
		queue chan *funcWork
	)
	start := func() {
		n := runtime.GOMAXPROCS(0)
		queue = make(chan *funcWork, n*queuePerCPU)
		for range n {
			go runFuncWorker(queue, f)
		}
	}
	return func(ctx any) bool {
		once.Do(start)
		fw := acquireFuncWork()
		fw.ctx = ctx
		queued := offer(queue, fw)
		if queued {
			<-fw.done
		}
		releaseFuncWork(fw)
		return queued
	}
}

// offer queues fw unless the queue is full.
func offer(queue chan<- *funcWork, fw *funcWork) bool {
	select {
	case queue <- fw:
		return true
	default:
		return false
	}
}

// queuePerCPU bounds the calls waiting for a goroutine, per CPU.
const queuePerCPU = 2048

type funcWork struct {
	ctx  any
	done chan struct{}
}

func runFuncWorker(queue <-chan *funcWork, f func(ctx any)) {
	for fw := range queue {
		f(fw.ctx)
		fw.done <- struct{}{}
	}
}

var funcWorkPool sync.Pool

func acquireFuncWork() *funcWork {
	if v := funcWorkPool.Get(); v != nil {
		return v.(*funcWork)
	}
	return &funcWork{done: make(chan struct{}, 1)}
}

func releaseFuncWork(fw *funcWork) {
	fw.ctx = nil
	funcWorkPool.Put(fw)
}
