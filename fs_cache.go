package fasthttp

import (
	"sync"
	"time"
)

// fsCache keeps entries, one map per CacheKind, keyed by the request path.
// Lookups take a read lock and allocate nothing. An entry lives for the
// cache duration from when it was loaded, however busy, so a changed file
// is picked up within that time; the cleaner goroutine drops old ones.
type fsCache struct {
	mu sync.RWMutex
	m  [cacheKinds]map[string]*fsFile
}

// get returns the entry for key with a reference taken, or nil.
func (c *fsCache) get(kind CacheKind, key []byte) *fsFile {
	c.mu.RLock()
	ff := c.m[kind][string(key)]
	if ff != nil {
		ff.refs.Add(1)
	}
	c.mu.RUnlock()
	return ff
}

// put stores ff under key, adding the cache's own reference. When another
// request stored an entry first, that one is kept and returned with a
// reference taken, and ff is released.
func (c *fsCache) put(kind CacheKind, key string, ff *fsFile, now int64) *fsFile {
	c.mu.Lock()
	if old := c.m[kind][key]; old != nil {
		old.refs.Add(1)
		c.mu.Unlock()
		ff.release()
		return old
	}
	if c.m[kind] == nil {
		c.m[kind] = make(map[string]*fsFile)
	}
	ff.refs.Add(1)
	ff.loadedAt = now
	c.m[kind][key] = ff
	c.mu.Unlock()
	return ff
}

// sweep drops the entries loaded before deadline, or all of them
// when all is set.
func (c *fsCache) sweep(deadline int64, all bool) {
	var expired []*fsFile
	c.mu.Lock()
	for _, m := range c.m {
		for k, ff := range m {
			if all || ff.loadedAt < deadline {
				delete(m, k)
				expired = append(expired, ff)
			}
		}
	}
	c.mu.Unlock()
	for _, ff := range expired {
		ff.release()
	}
}

// startCleaner runs the cache expiry until stop is closed (forever when
// stop is nil).
func (h *fsHandler) startCleaner(stop chan struct{}) {
	if h.skipCache {
		return
	}
	period := h.cacheDuration / 2
	if period < 100*time.Millisecond {
		period = 100 * time.Millisecond
	}
	go func() {
		t := time.NewTicker(period)
		defer t.Stop()
		for {
			select {
			case now := <-t.C:
				h.cache.sweep(now.Add(-h.cacheDuration).UnixNano(), false)
			case <-stop:
				h.cache.sweep(0, true)
				return
			}
		}
	}()
}
