package fasthttp

import "golang.org/x/net/http2"

// This file runs the handlers of an HTTP/2 connection: each stream is
// served in a goroutine of its own, taken from a few the connection keeps
// idle, with at most MaxConcurrentStreams handlers running at once.

// dispatch hands st to a stream goroutine: an idle worker of the
// connection when there is one, else a new one. At most
// MaxConcurrentStreams handlers run at once on a connection, whatever the
// client resets meanwhile; further streams wait in a queue, and a client
// that fills it (rapid reset) gets ENHANCE_YOUR_CALM (read loop).
func (sc *h2Conn) dispatch(st *h2Stream) {
	sc.mu.Lock()
	st.dispatched = true
	sc.handlers.Add(1)
	if uint32(sc.running) >= sc.o.maxStreams {
		if len(sc.queue) >= h2QueueFactor*int(sc.o.maxStreams) {
			sc.calm = true
		}
		sc.queue = append(sc.queue, st)
		sc.mu.Unlock()
		return
	}
	sc.running++
	sc.mu.Unlock()
	select {
	case sc.work <- st:
	default:
		go sc.worker(st)
	}
}

// h2QueueFactor times MaxConcurrentStreams streams may wait for a handler.
const h2QueueFactor = 4

// h2MaxIdleWorkers is how many stream goroutines a busy connection keeps
// waiting for the next stream: starting one per stream would cost a stack
// growth each time. A connection with no stream left keeps one (trimIdle).
const h2MaxIdleWorkers = 64

func (sc *h2Conn) worker(st *h2Stream) {
	for {
		for st != nil {
			st = sc.runStream(st)
		}
		if sc.idleWorkers.Add(1) > h2MaxIdleWorkers {
			sc.idleWorkers.Add(-1)
			return
		}
		select {
		case st = <-sc.work:
			sc.idleWorkers.Add(-1)
		case <-sc.trim:
			sc.idleWorkers.Add(-1)
			return
		case <-sc.closing:
			sc.idleWorkers.Add(-1)
			return
		}
	}
}

// trimIdle lets all idle stream goroutines but one go, once the
// connection has no stream left (read loop).
func (sc *h2Conn) trimIdle() {
	for n := sc.idleWorkers.Load(); n > 1; n-- {
		select {
		case sc.trim <- struct{}{}:
		default:
			return
		}
	}
}

// runStream serves st in the calling stream goroutine and returns the
// next queued stream, which takes over its handler slot. A stream the
// client reset before its turn is not served at all.
func (sc *h2Conn) runStream(st *h2Stream) *h2Stream {
	if !st.rst.Load() {
		sc.d.h2Serve(st)
		if !st.responded {
			sc.resetStream(st, http2.ErrCodeInternal)
		}
	}
	// The read loop no longer touches the request of a dispatched stream,
	// so the dispatcher may recycle it now rather than when the read loop
	// next wakes up (which, on a connection gone quiet, may be never).
	sc.d.h2End(st)
	sc.mu.Lock()
	st.handlerDone = true
	sc.finishLocked(st)
	var next *h2Stream
	if len(sc.queue) > 0 {
		next = sc.queue[0]
		n := copy(sc.queue, sc.queue[1:])
		sc.queue[n] = nil
		sc.queue = sc.queue[:n]
	} else {
		sc.running--
	}
	kick := len(sc.streams) == 0 && sc.goingAway
	sc.mu.Unlock()
	sc.handlers.Done()
	if kick {
		sc.wakeLoop()
	}
	return next
}

// releaseFinished recycles the streams that are done (read loop).
func (sc *h2Conn) releaseFinished() {
	sc.mu.Lock()
	if len(sc.finished) == 0 {
		sc.mu.Unlock()
		return
	}
	done := sc.finished
	sc.finished = nil
	sc.mu.Unlock()
	for i, st := range done {
		if sc.hb.st == st {
			// A trailer block still arriving for a stream that ended
			// meanwhile: decode it only to keep HPACK in step.
			sc.hb.st, sc.hb.rst = nil, h2Ignore
		}
		if !st.dispatched {
			sc.d.h2End(st) // a served stream's was called by its goroutine
		}
		releaseH2Stream(st)
		done[i] = nil
	}
	sc.mu.Lock()
	if sc.finished == nil {
		sc.finished = done[:0]
	}
	sc.mu.Unlock()
}
