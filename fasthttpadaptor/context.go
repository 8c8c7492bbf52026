package fasthttpadaptor

import (
	"context"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/valyala/fasthttp"
)

// requestContext is the Context of a Request handed to an http.Handler.
// As in net/http it is cancelled when ServeHTTP returns, when the client
// stops reading a streamed response, and when the server shuts down.
// Value finds the user values of the RequestCtx, and LocalAddrContextKey.
//
// Once the RequestCtx may be reused (after the handler returned or hijacked
// the connection) the user values are answered from a snapshot, so
// goroutines that outlive the request never read another request's data.
type requestContext struct {
	ctx        *fasthttp.RequestCtx
	localAddr  net.Addr
	serverDone <-chan struct{}

	mu       sync.Mutex
	done     chan struct{} // made on first Done call
	err      error
	detached bool
	values   []userValue
}

type userValue struct {
	key, value any
}

func (c *requestContext) init(ctx *fasthttp.RequestCtx) {
	c.ctx = ctx
	c.localAddr = ctx.LocalAddr()
	c.serverDone = ctx.Done()
}

// Deadline reports no deadline: requests have none of their own.
func (c *requestContext) Deadline() (time.Time, bool) { return time.Time{}, false }

// Done returns a channel closed once the request is cancelled.
func (c *requestContext) Done() <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.done == nil {
		c.done = make(chan struct{})
		if c.err != nil {
			close(c.done)
		} else if c.serverDone != nil {
			// Only a caller of Done pays for watching the server.
			go c.watchServer(c.done)
		}
	}
	return c.done
}

func (c *requestContext) watchServer(done chan struct{}) {
	select {
	case <-c.serverDone:
		c.cancel(context.Canceled)
	case <-done:
	}
}

// Err returns context.Canceled once the request is cancelled, else nil.
func (c *requestContext) Err() error {
	c.mu.Lock()
	err := c.err
	c.mu.Unlock()
	if err == nil && c.serverDone != nil {
		select {
		case <-c.serverDone:
			err = context.Canceled
		default:
		}
	}
	return err
}

// Value returns the local address for http.LocalAddrContextKey and the
// RequestCtx user value stored under key otherwise.
func (c *requestContext) Value(key any) any {
	if key == http.LocalAddrContextKey {
		return c.localAddr
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.detached {
		return c.ctx.UserValue(key)
	}
	if b, ok := key.([]byte); ok {
		key = string(b)
	}
	for i := range c.values {
		if c.values[i].key == key {
			return c.values[i].value
		}
	}
	return nil
}

func (c *requestContext) cancel(err error) {
	c.mu.Lock()
	if c.err == nil {
		c.err = err
		if c.done != nil {
			close(c.done)
		}
	}
	c.mu.Unlock()
}

// detach snapshots the user values and stops reading ctx. It runs on the
// handler goroutine while ctx is still its own.
func (c *requestContext) detach() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.detached {
		return
	}
	c.ctx.VisitUserValuesAll(func(k, v any) {
		c.values = append(c.values, userValue{k, v})
	})
	c.detached = true
}

func (c *requestContext) String() string { return "fasthttpadaptor.requestContext" }
