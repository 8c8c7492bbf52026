package websocket

import (
	"context"
	"sync"
)

// watcher makes a context bound a blocking call on the connection: when
// ctx is done before the call returns, the connection is closed with
// ctx.Err() as its error, which unblocks the call. One goroutine per
// direction, started on the first call given a cancellable context and
// ended with the connection, serves every later call; calls passed
// context.Background() or Conn.Context() (which is done only once the
// connection is closed anyway) skip it, and nothing is allocated per call.
type watcher struct {
	c      *Conn
	once   sync.Once
	start  chan context.Context
	stop   chan struct{}
	exited chan struct{}
}

// watch arms w for ctx. It reports whether unwatch must follow, and an
// error when the connection is already closed or ctx already done.
func (w *watcher) watch(ctx context.Context) (bool, error) {
	done := ctx.Done()
	if done == nil || ctx == w.c.ctx {
		return false, nil
	}
	if err := ctx.Err(); err != nil {
		return false, w.c.closeTransport(err)
	}
	w.once.Do(func() {
		w.start = make(chan context.Context)
		w.stop = make(chan struct{})
		w.exited = make(chan struct{})
		go w.loop()
	})
	select {
	case w.start <- ctx:
		return true, nil
	case <-w.exited:
		return false, w.c.stickyErr()
	}
}

// unwatch disarms w; once it returns, ctx can no longer close the
// connection.
func (w *watcher) unwatch() {
	w.stop <- struct{}{}
}

func (w *watcher) loop() {
	defer close(w.exited)
	for {
		select {
		case ctx := <-w.start:
			select {
			case <-ctx.Done():
				w.c.closeTransport(ctx.Err())
				<-w.stop
			case <-w.stop:
			}
		case <-w.c.closed:
			return
		}
	}
}
