package fasthttp

import "time"

// responder is the seam between RequestCtx, which holds a request and its
// response but knows nothing of the wire, and the protocol connection that
// carries them. RequestCtx calls it only for what a handler starts itself:
// interim responses (EarlyHints) and deadlines. Everything else the
// protocol does from its own loop, on its concrete type, so that the hot
// path makes no interface call. *http1Conn is the HTTP/1.x side.
//
// What a second protocol (HTTP/2) must provide. Per connection: register
// it with Server.conns (add/remove) and keep its connEntry state up to date
// (entryIdle with no request open, so that Shutdown ends it at once; busy
// otherwise) and end it once Server.stopping is seen (a connection handed
// over after ALPN is already counted in Server.open). Per request
// (stream):
//
//   - A RequestCtx from Server.acquireCtx(transport, connID, connTime),
//     with rw set to the stream, and ctx.Request filled in: the header (the
//     parser of that protocol), then the body, read whole or handed over as
//     a stream (Request.setConnStream).
//   - The body rules: Server.checkBodyAllowed (GetOnly, size limit), then
//     for an Expect field Server.expectOutcome: StatusContinue is sent
//     with writeInterim, a refusal (refuseBody) is written as the final
//     response and ends the stream.
//   - A request that cannot be read is answered from
//     Server.errorResponse(ctx, err).
//   - Server.callHandler(ctx), then, in this order:
//     1. when ctx.timeoutResponse is set (TimeoutError and its siblings,
//     which also detach ctx from rw), the handler's goroutines still own
//     ctx: answer with ctx.timeoutResponse and never reuse ctx, nor a
//     reader a streamed body still reads from;
//     2. else Server.applyResponseDefaults(&ctx.Response, isHead) and the
//     final response in the protocol's own framing. A body stream or a
//     StreamWriter must reach the peer as it is produced: each Flush of
//     the writer given to a StreamWriter sends what was written so far;
//     3. ctx.hijackHandler: HTTP/1 hands the connection over after the
//     response; a protocol that multiplexes cannot and answers without
//     hijacking (the handler then sees nothing happen).
//   - Server.releaseCtx(ctx) when the request is done, unless step 1 left
//     ctx to the handler's goroutines.
//
// The methods below may be called from a goroutine of the handler, never
// two at once and never while ctx is detached: RequestCtx.claimWire sees to
// that.
type responder interface {
	// writeInterim sends an informational (1xx) response at once, ahead
	// of the final one, with a field named key for each of values (Link
	// for 103 Early Hints). Protocols without 1xx, and HTTP/1.0 peers,
	// send nothing and return nil.
	writeInterim(status int, key string, values [][]byte) error

	// setReadDeadline and setWriteDeadline bound the reads and writes the
	// request still makes (a long upload, a slow download), as far as the
	// protocol lets one request do that; the protocol restores its own
	// deadlines for what follows the request.
	setReadDeadline(t time.Time) error
	setWriteDeadline(t time.Time) error
}

// States of RequestCtx.wire.
const (
	wireOpen     uint32 = iota // the handler may use rw
	wireBusy                   // a call through rw is running
	wireDetached               // the protocol moved on: rw must not be used
)

// claimWire reserves rw for one call from the handler's side; false means
// there is no protocol connection (Init) or the request was given up on
// (TimeoutError) and the call must do nothing.
func (ctx *RequestCtx) claimWire() bool {
	return ctx.rw != nil && ctx.wire.CompareAndSwap(wireOpen, wireBusy)
}

// releaseWire ends a call reserved with claimWire.
func (ctx *RequestCtx) releaseWire() {
	ctx.wire.CompareAndSwap(wireBusy, wireOpen)
}

// detachWire cuts ctx off from its protocol connection for good, waiting
// for a call through rw that is still running (it is bounded by the write
// deadline). The protocol calls it before answering for a handler that
// timed out, whose goroutines may go on using ctx.
func (ctx *RequestCtx) detachWire() {
	for !ctx.wire.CompareAndSwap(wireOpen, wireDetached) {
		if ctx.wire.Load() == wireDetached {
			return
		}
		yieldWire()
	}
}

// yieldWire lets a goroutine holding the wire finish its call.
func yieldWire() { time.Sleep(50 * time.Microsecond) }
