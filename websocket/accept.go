package websocket

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/valyala/fasthttp"
)

// AcceptOptions configures Accept. The zero value (or nil) accepts
// same-origin handshakes without subprotocols or compression.
type AcceptOptions struct {
	// CheckOrigin decides whether to accept a handshake, in place of the
	// default check: a request without an Origin header, or whose Origin
	// host equals its Host (without regard to case), is accepted; any other
	// gets 403 Forbidden. Cross-origin WebSockets need CheckOrigin.
	CheckOrigin func(ctx *fasthttp.RequestCtx) bool

	// Subprotocols lists the subprotocols the server speaks, most preferred
	// first. The first of them the client offers is chosen; when none is,
	// the handshake succeeds without a subprotocol (Conn.Subprotocol
	// returns "").
	Subprotocols []string

	// CompressionMode enables permessage-deflate when the client offers it.
	CompressionMode CompressionMode

	// CompressionThreshold is the smallest message compressed, in bytes;
	// zero means 128. Smaller messages are sent as they are.
	CompressionThreshold int

	// MaxMessageSize is the largest message read, in bytes (after
	// decompression); a longer one fails the connection with
	// StatusMessageTooBig. Zero means DefaultMaxMessageSize; negative means
	// no limit.
	MaxMessageSize int

	// ReadTimeout bounds each Read and Reader call (and the reads of the
	// message a Reader returns): when it passes, the connection is closed
	// and the timeout error returned. Zero means no limit.
	ReadTimeout time.Duration

	// WriteTimeout bounds the writing of each frame. Zero means no limit.
	WriteTimeout time.Duration
}

// Handshake failures. Accept writes the matching response before returning
// them.
var (
	errNotGet        = errors.New("websocket: method must be GET")
	errNotHTTP11     = errors.New("websocket: HTTP/1.1 is required")
	errNotUpgrade    = errors.New("websocket: not a WebSocket upgrade request")
	errBadVersion    = errors.New("websocket: unsupported Sec-WebSocket-Version")
	errBadKey        = errors.New("websocket: bad Sec-WebSocket-Key")
	errBadOrigin     = errors.New("websocket: origin not allowed")
	errBadProtocol   = errors.New("websocket: bad Sec-WebSocket-Protocol")
	errNilHandler    = errors.New("websocket: nil handler")
	errAlreadyHijack = errors.New("websocket: connection already hijacked")
)

// Accept upgrades the request in ctx to a WebSocket (RFC 6455 §4.2) and
// returns at once; handler runs with the connection once the request
// handler returns and fasthttp has sent the 101 response, in its own
// goroutine, and the connection is closed (with the closing handshake,
// when it is still open) when handler returns.
//
// A request that is not a valid handshake gets a 4xx response with a
// plain-text reason and no upgrade: 405 for a method other than GET, 400
// for HTTP/1.0, a missing Upgrade or Connection token, a bad
// Sec-WebSocket-Key or subprotocol list, 426 (with Sec-WebSocket-Version:
// 13) for another protocol version, 403 for a refused origin. Accept then
// returns the reason as an error.
func Accept(ctx *fasthttp.RequestCtx, opts *AcceptOptions, handler func(*Conn)) error {
	if opts == nil {
		opts = &AcceptOptions{}
	}
	if handler == nil {
		return errNilHandler
	}
	if ctx.Hijacked() {
		return errAlreadyHijack
	}
	h := &ctx.Request.Header
	switch {
	case !h.IsGet():
		return refuse(ctx, fasthttp.StatusMethodNotAllowed, errNotGet, "Allow", "GET")
	case !h.IsHTTP11():
		ctx.SetConnectionClose()
		return refuse(ctx, fasthttp.StatusBadRequest, errNotHTTP11)
	case !hasToken(h.PeekAll(fasthttp.HeaderUpgrade), "websocket") ||
		!hasToken(h.PeekAll(fasthttp.HeaderConnection), "upgrade"):
		return refuse(ctx, fasthttp.StatusBadRequest, errNotUpgrade)
	}
	if v := h.PeekAll(fasthttp.HeaderSecWebSocketVersion); len(v) != 1 || string(trimOWS(v[0])) != "13" {
		return refuse(ctx, fasthttp.StatusUpgradeRequired, errBadVersion,
			fasthttp.HeaderUpgrade, "websocket", fasthttp.HeaderConnection, "Upgrade",
			fasthttp.HeaderSecWebSocketVersion, "13")
	}
	// PeekAll's result lasts until the next PeekAll: take the key now.
	keys := h.PeekAll(fasthttp.HeaderSecWebSocketKey)
	if len(keys) != 1 || !validKey(trimOWS(keys[0])) {
		return refuse(ctx, fasthttp.StatusBadRequest, errBadKey)
	}
	accept := acceptKey(trimOWS(keys[0]))
	allowed := opts.CheckOrigin
	if allowed == nil {
		allowed = sameOrigin
	}
	if !allowed(ctx) {
		return refuse(ctx, fasthttp.StatusForbidden, errBadOrigin)
	}
	offered, ok := tokenList(h.PeekAll(fasthttp.HeaderSecWebSocketProtocol))
	if !ok {
		return refuse(ctx, fasthttp.StatusBadRequest, errBadProtocol)
	}
	cfg := connConfig{
		subprotocol:    chooseSubprotocol(opts.Subprotocols, offered),
		readTimeout:    opts.ReadTimeout,
		writeTimeout:   opts.WriteTimeout,
		maxMessageSize: opts.MaxMessageSize,
		threshold:      opts.CompressionThreshold,
	}
	var extResp string
	if opts.CompressionMode != CompressionDisabled {
		if exts, ok := parseExtensions(h.PeekAll(fasthttp.HeaderSecWebSocketExtensions)); ok {
			if d, resp, ok := negotiateDeflate(opts.CompressionMode, exts); ok {
				cfg.deflate = &d
				extResp = resp
			}
		}
	}

	ctx.Response.Reset()
	ctx.SetStatusCode(fasthttp.StatusSwitchingProtocols)
	rh := &ctx.Response.Header
	rh.Set(fasthttp.HeaderUpgrade, "websocket")
	rh.Set(fasthttp.HeaderConnection, "Upgrade")
	rh.Set(fasthttp.HeaderSecWebSocketAccept, accept)
	if cfg.subprotocol != "" {
		rh.Set(fasthttp.HeaderSecWebSocketProtocol, cfg.subprotocol)
	}
	if extResp != "" {
		rh.Set(fasthttp.HeaderSecWebSocketExtensions, extResp)
	}
	ctx.HijackSetNoResponse(false) // the 101 response must go out
	ctx.Hijack(func(nc net.Conn) {
		c := newConn(nc, cfg)
		defer c.finish()
		handler(c)
	})
	return nil
}

// finish ends a server connection whose handler returned.
func (c *Conn) finish() {
	if !c.broken.Load() {
		_ = c.Close(context.Background(), StatusNormalClosure, "")
	}
	_ = c.CloseNow()
}

// refuse answers a failed handshake with status, the reason as a plain-text
// body and the header fields given as name, value pairs.
func refuse(ctx *fasthttp.RequestCtx, status int, err error, fields ...string) error {
	ctx.Error(strings.TrimPrefix(err.Error(), "websocket: "), status)
	for i := 0; i+1 < len(fields); i += 2 {
		ctx.Response.Header.Set(fields[i], fields[i+1])
	}
	return err
}

// chooseSubprotocol returns the first of the server's subprotocols the
// client offered, or "".
func chooseSubprotocol(server, offered []string) string {
	for _, s := range server {
		for _, o := range offered {
			if s == o {
				return s
			}
		}
	}
	return ""
}

// sameOrigin is the default origin check: no Origin, or an Origin whose
// host[:port] is the request's Host.
func sameOrigin(ctx *fasthttp.RequestCtx) bool {
	origins := ctx.Request.Header.PeekAll(fasthttp.HeaderOrigin)
	if len(origins) == 0 {
		return true
	}
	if len(origins) > 1 {
		return false
	}
	u, err := url.Parse(string(origins[0]))
	if err != nil || u.Host == "" {
		return false
	}
	return bytes.EqualFold([]byte(u.Host), ctx.Host())
}
