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
// and Server.Shutdown, which closes the listeners, wakes the connections
// waiting for a request and waits for the others to finish.

// connRegistry tracks the connections being served so that Shutdown can
// wake those waiting for a request. Entries live inside RequestCtx, so
// tracking allocates nothing; the list is sharded to keep accepts from
// contending.
type connRegistry struct {
	shards [16]connShard
}

type connShard struct {
	mu   sync.Mutex
	head *connEntry
	_    [40]byte // keep shards on separate cache lines
}

// States of a connEntry. A connection moves active -> idle while it waits
// for a request and back when one arrives; Shutdown moves idle -> woken.
const (
	entryActive int32 = iota
	entryIdle
	entryWoken
)

type connEntry struct {
	c          net.Conn
	state      atomic.Int32
	prev, next *connEntry
	shard      *connShard
}

func (r *connRegistry) add(e *connEntry, c net.Conn, id uint64) {
	sh := &r.shards[id%uint64(len(r.shards))]
	sh.mu.Lock()
	e.c = c
	e.shard = sh
	e.state.Store(entryActive)
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

// goIdle marks e as waiting for a request. It returns false when the
// server is already stopping: the connection must then close instead.
func (s *Server) goIdle(e *connEntry) bool {
	e.state.Store(entryIdle)
	if s.stopping.Load() {
		e.state.Store(entryActive)
		return false
	}
	return true
}

// goActive marks e as busy again. It returns false when Shutdown woke the
// connection meanwhile: its read deadline was cut short, so it cannot
// serve the request it may have started receiving and must close.
func (e *connEntry) goActive() bool {
	return e.state.CompareAndSwap(entryIdle, entryActive)
}

// wakeIdle makes every connection waiting for a request return from its
// read at once; the loop then sees the shutdown and closes.
func (r *connRegistry) wakeIdle() {
	now := time.Now()
	for i := range r.shards {
		sh := &r.shards[i]
		sh.mu.Lock()
		for e := sh.head; e != nil; e = e.next {
			if e.state.CompareAndSwap(entryIdle, entryWoken) {
				_ = e.c.SetReadDeadline(now)
			}
		}
		sh.mu.Unlock()
	}
}

// Shutdown stops the server gracefully: listeners close at once (Serve
// returns nil), connections waiting for a request are closed, and requests
// in flight finish, their responses carrying "Connection: close". It
// returns once every connection is closed. RequestCtx.Done fires for every
// handler as soon as Shutdown starts. Hijacked connections are not waited
// for.
func (s *Server) Shutdown() error {
	return s.ShutdownWithContext(context.Background())
}

// ShutdownWithContext is Shutdown that stops waiting when ctx ends and then
// returns ctx's error; the connections still open are left to finish their
// request and close.
func (s *Server) ShutdownWithContext(ctx context.Context) error {
	s.mu.Lock()
	s.stopping.Store(true)
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
		// Repeated: a connection may turn idle after the previous pass.
		s.conns.wakeIdle()
		if s.open.Load() <= 0 {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-ticker.C:
		}
	}
}
