package fasthttp

import (
	"context"
	"errors"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// This file is graceful shutdown: the registry of connections being served
// and Server.Shutdown, which closes the listeners, ends the connections
// waiting for a request, gives those still sending a request header a
// short grace, and waits for the others to finish.

// connRegistry tracks the connections being served so that Shutdown can
// reach those waiting for or reading a request. Entries live inside the
// connection's struct, so tracking allocates nothing; the list is sharded
// to keep accepts from contending.
type connRegistry struct {
	shards [16]connShard
}

type connShard struct {
	mu   sync.Mutex
	head *connEntry
	_    [40]byte // keep shards on separate cache lines
}

// What a connection is doing, as Shutdown sees it (connEntry.state).
const (
	// entryBusy: a request is being served (body, handler, response).
	entryBusy int32 = iota
	// entryIdle: waiting for a later request. Shutdown ends the wait at
	// once.
	entryIdle
	// entryWoken: Shutdown ended the idle wait; the connection closes.
	entryWoken
	// entryFirstWait: nothing of the first request (or of the TLS
	// handshake) has arrived yet. Shutdown allows shutdownWaitGrace for
	// bytes already on their way.
	entryFirstWait
	// entryFirstHeader: the first request's header is arriving. Shutdown
	// lets it arrive until shutdownHeaderGrace after the connection opened.
	entryFirstHeader
	// entryHeader: a later request's header is arriving. Shutdown lets it
	// arrive until shutdownHeaderGrace after Shutdown began.
	entryHeader
)

const (
	shutdownWaitGrace   = 500 * time.Millisecond
	shutdownHeaderGrace = 5 * time.Second
)

type connEntry struct {
	c        net.Conn
	connTime time.Time
	state    atomic.Int32
	// readDL mirrors the read deadline the connection's loop last set
	// (UnixNano, 0 for none), so that Shutdown can tighten it without
	// ever loosening it.
	readDL     atomic.Int64
	prev, next *connEntry
	shard      *connShard
}

func (r *connRegistry) add(e *connEntry, c net.Conn, id uint64, connTime time.Time) {
	sh := &r.shards[id%uint64(len(r.shards))]
	e.c = c
	e.connTime = connTime
	e.state.Store(entryFirstWait)
	e.readDL.Store(0)
	sh.mu.Lock()
	e.shard = sh
	e.prev = nil
	e.next = sh.head
	if sh.head != nil {
		sh.head.prev = e
	}
	sh.head = e
	sh.mu.Unlock()
}

func (r *connRegistry) remove(e *connEntry) {
	sh := e.shard
	if sh == nil {
		return
	}
	sh.mu.Lock()
	if e.prev != nil {
		e.prev.next = e.next
	} else {
		sh.head = e.next
	}
	if e.next != nil {
		e.next.prev = e.prev
	}
	e.prev, e.next, e.shard, e.c = nil, nil, nil, nil
	sh.mu.Unlock()
}

// goIdle marks e as waiting for a later request. It returns false when
// the server is already stopping: the connection must then close instead.
func (s *Server) goIdle(e *connEntry) bool {
	e.state.Store(entryIdle)
	if s.stopping.Load() {
		e.state.Store(entryBusy)
		return false
	}
	return true
}

// headerArriving marks e as reading a later request's header. It returns
// false when Shutdown ended the idle wait meanwhile: its read deadline was
// cut short, so it cannot serve the request it may have started receiving
// and must close.
func (e *connEntry) headerArriving() bool {
	return e.state.CompareAndSwap(entryIdle, entryHeader)
}

// headerCap is the latest read deadline Shutdown allows a connection in
// state st, as UnixNano; 0 means Shutdown leaves its deadline alone.
func (s *Server) headerCap(e *connEntry, st int32) int64 {
	switch st {
	case entryFirstWait:
		return s.stopAt.Load() + int64(shutdownWaitGrace)
	case entryFirstHeader:
		return e.connTime.UnixNano() + int64(shutdownHeaderGrace)
	case entryHeader:
		return s.stopAt.Load() + int64(shutdownHeaderGrace)
	}
	return 0
}

// capDeadline returns t, or the cap Shutdown puts on a connection in e's
// state when that is earlier (a zero t, no deadline, is later than any).
func (s *Server) capDeadline(e *connEntry, t time.Time) time.Time {
	if !s.stopping.Load() {
		return t
	}
	limit := s.headerCap(e, e.state.Load())
	if limit == 0 || (!t.IsZero() && t.UnixNano() <= limit) {
		return t
	}
	return time.Unix(0, limit)
}

// shutdownPass makes the connections waiting for a later request return
// from their read at once (the loop then sees the shutdown and closes),
// and tightens the read deadline of those waiting for or reading a
// request header to its cap.
func (s *Server) shutdownPass() {
	now := time.Now()
	r := &s.conns
	for i := range r.shards {
		sh := &r.shards[i]
		sh.mu.Lock()
		for e := sh.head; e != nil; e = e.next {
			st := e.state.Load()
			if st == entryIdle {
				if e.state.CompareAndSwap(entryIdle, entryWoken) {
					_ = e.c.SetReadDeadline(now)
				}
				continue
			}
			limit := s.headerCap(e, st)
			if limit == 0 {
				continue
			}
			// The loop caps what it sets itself once it sees the
			// shutdown; this reaches reads already blocked. Racing with
			// the loop can only leave a deadline at or below the cap,
			// and the next pass sets it from the fresh mirror.
			if cur := e.readDL.Load(); cur == 0 || cur > limit {
				if e.readDL.CompareAndSwap(cur, limit) {
					_ = e.c.SetReadDeadline(time.Unix(0, limit))
				}
			}
		}
		sh.mu.Unlock()
	}
}

// Shutdown stops the server gracefully: listeners close at once (Serve
// returns nil), connections waiting for a later request are closed, a
// connection still sending a request header gets a short grace (until 5s
// after it opened, for its first request) and connections with requests in
// flight finish them, their responses carrying "Connection: close". It
// returns once every connection is closed. RequestCtx.Done fires for every
// handler as soon as Shutdown starts. Hijacked connections are not waited
// for.
func (s *Server) Shutdown() error {
	return s.ShutdownWithContext(context.Background())
}

// ShutdownWithContext is Shutdown that stops waiting when ctx ends and then
// returns ctx's error if connections are still open; those are left to
// finish their request and close.
func (s *Server) ShutdownWithContext(ctx context.Context) error {
	s.mu.Lock()
	if !s.stopping.Load() {
		s.stopAt.Store(time.Now().UnixNano())
		s.stopping.Store(true)
	}
	var err error
	for _, ln := range s.listeners {
		if cerr := ln.Close(); cerr != nil && err == nil && !errors.Is(cerr, net.ErrClosed) {
			err = cerr
		}
	}
	s.listeners = nil
	if s.done == nil {
		s.done = make(chan struct{})
	}
	s.mu.Unlock()
	s.doneOnce.Do(func() { close(s.done) })

	ticker := time.NewTicker(10 * time.Millisecond)
	defer ticker.Stop()
	for {
		// Repeated: a connection may turn idle, start a header or be
		// registered (its accept loop may just have taken it) after the
		// previous pass.
		s.shutdownPass()
		if s.open.Load() <= 0 && s.accepting.Load() == 0 {
			return err
		}
		select {
		case <-ctx.Done():
			if s.open.Load() <= 0 {
				return err
			}
			return ctx.Err()
		case <-ticker.C:
		}
	}
}
