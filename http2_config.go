package fasthttp

import (
	"time"
)

// HTTP2Config turns HTTP/2 on for a server and tunes it. A nil
// *HTTP2Config leaves a server HTTP/1-only. The zero value is a sensible
// configuration: every field left at zero takes the default its comment
// gives.
//
// HTTP/2 is offered by ALPN ("h2") on TLS connections and, when
// EnableCleartext is set, to clients that open a plain connection with the
// HTTP/2 connection preface (prior-knowledge h2c; the deprecated
// "Upgrade: h2c" dance is not supported). The server's own settings still
// apply per request: ReadTimeout, WriteTimeout and IdleTimeout bound an
// HTTP/2 connection as they bound an HTTP/1 one, MaxRequestBodySize and
// StreamRequestBody apply to each stream, and ReadBufferSize is the
// default header limit.
type HTTP2Config struct {
	// MaxConcurrentStreams is how many streams a client may have open on
	// one connection at once, advertised in SETTINGS_MAX_CONCURRENT_STREAMS.
	// A stream whose handler still runs counts even after the client reset
	// it, so resetting streams never buys more concurrent handlers.
	// 100 when 0.
	MaxConcurrentStreams uint32

	// MaxStreamsPerIP bounds the streams all HTTP/2 connections from one
	// client IP address may have open at once, in the spirit of
	// Server.MaxConnsPerIP; a stream over the budget is refused with
	// REFUSED_STREAM, which clients retry. 0 means no per-IP budget.
	MaxStreamsPerIP int

	// InitialStreamWindowSize is how many request body bytes a client may
	// send on one stream before the server asks for more, advertised in
	// SETTINGS_INITIAL_WINDOW_SIZE. It bounds what one stream buffers
	// ahead of a handler reading a streamed body. 256 KiB when 0; at least
	// 65535.
	InitialStreamWindowSize uint32

	// InitialConnWindowSize is the receive window of the whole connection,
	// shared by its streams. 1 MiB when 0; at least 65535.
	InitialConnWindowSize uint32

	// MaxHeaderListSize bounds a request's decoded header block (names
	// plus values plus 32 bytes per field, as RFC 9113 counts it),
	// advertised in SETTINGS_MAX_HEADER_LIST_SIZE. A larger block is
	// answered with 431. When 0, the server's header limit is used
	// (Server.ReadBufferSize when set, else 8 KiB).
	MaxHeaderListSize uint32

	// MaxReadFrameSize is the largest frame payload the server accepts,
	// advertised in SETTINGS_MAX_FRAME_SIZE. 16 KiB (the protocol's
	// minimum) when 0; at most 16 MiB - 1.
	MaxReadFrameSize uint32

	// PingInterval, when set, makes the server send a PING on a connection
	// that has been silent that long, and close it when PingTimeout passes
	// without the answer. 0 sends no keep-alive PINGs.
	PingInterval time.Duration

	// PingTimeout is how long a client has to answer a PING; 15 seconds
	// when 0.
	PingTimeout time.Duration

	// SettingsTimeout is how long a client has to acknowledge the
	// server's SETTINGS before the connection is closed with
	// SETTINGS_TIMEOUT; 10 seconds when 0.
	SettingsTimeout time.Duration

	// MaxControlFramesPerSecond bounds the frames a client may send that
	// cost the server work but carry no request: SETTINGS, PING,
	// PRIORITY, empty DATA, RST_STREAM of an unfinished stream and
	// refused streams. A connection over the budget is closed with
	// ENHANCE_YOUR_CALM (the SETTINGS, PING and rapid-reset floods).
	// 1000 when 0.
	MaxControlFramesPerSecond int

	// EnableCleartext accepts prior-knowledge HTTP/2 (h2c) on plain
	// listeners: a connection that starts with the HTTP/2 preface is
	// served as HTTP/2 instead of being answered 505.
	EnableCleartext bool
}

// Defaults of HTTP2Config.
const (
	h2DefaultMaxStreams      = 100
	h2DefaultStreamWindow    = 256 << 10
	h2DefaultConnWindow      = 1 << 20
	h2DefaultPingTimeout     = 15 * time.Second
	h2DefaultSettingsTimeout = 10 * time.Second
	h2DefaultControlBudget   = 1000
	h2MinFrameSize           = 16 << 10
	h2MaxFrameSizeLimit      = 1<<24 - 1
	h2MaxWindow              = 1<<31 - 1
	h2DefaultWindow          = 65535
)

// h2Options is an HTTP2Config resolved against the settings of the server
// it serves for: every limit the engine applies, with defaults filled in.
// The engine reads nothing else, so phase B only has to build one of these
// from a Server.
type h2Options struct {
	maxStreams        uint32
	streamWindow      uint32
	connWindow        uint32
	maxHeaderListSize uint32
	maxReadFrameSize  uint32
	controlBudget     int

	pingInterval    time.Duration
	pingTimeout     time.Duration
	settingsTimeout time.Duration

	// From the server.
	readTimeout        time.Duration // header block and body of a stream
	writeTimeout       time.Duration // progress of socket writes and of a stalled send window
	idleTimeout        time.Duration // a connection without streams
	maxRequestBodySize int
	streamRequestBody  bool
	disableNormalizing bool

	// budget, when set, is the per-IP stream budget shared by every
	// connection of the server.
	budget h2StreamBudget

	logger Logger
}

// h2ServerLimits are the Server settings an HTTP/2 engine applies.
type h2ServerLimits struct {
	ReadTimeout                   time.Duration
	WriteTimeout                  time.Duration
	IdleTimeout                   time.Duration
	MaxHeaderBytes                int
	MaxRequestBodySize            int
	StreamRequestBody             bool
	DisableHeaderNamesNormalizing bool
	Logger                        Logger
}

// options resolves c (nil means all defaults) against the server limits.
func (c *HTTP2Config) options(sl h2ServerLimits) h2Options {
	var cfg HTTP2Config
	if c != nil {
		cfg = *c
	}
	o := h2Options{
		maxStreams:         cfg.MaxConcurrentStreams,
		streamWindow:       clampWindow(cfg.InitialStreamWindowSize, h2DefaultStreamWindow),
		connWindow:         clampWindow(cfg.InitialConnWindowSize, h2DefaultConnWindow),
		maxHeaderListSize:  cfg.MaxHeaderListSize,
		maxReadFrameSize:   cfg.MaxReadFrameSize,
		controlBudget:      cfg.MaxControlFramesPerSecond,
		pingInterval:       cfg.PingInterval,
		pingTimeout:        cfg.PingTimeout,
		settingsTimeout:    cfg.SettingsTimeout,
		readTimeout:        sl.ReadTimeout,
		writeTimeout:       sl.WriteTimeout,
		idleTimeout:        sl.IdleTimeout,
		maxRequestBodySize: sl.MaxRequestBodySize,
		streamRequestBody:  sl.StreamRequestBody,
		disableNormalizing: sl.DisableHeaderNamesNormalizing,
		logger:             sl.Logger,
	}
	if o.maxStreams == 0 {
		o.maxStreams = h2DefaultMaxStreams
	}
	if o.maxHeaderListSize == 0 {
		n := sl.MaxHeaderBytes
		if n <= 0 {
			n = minMaxHeaderBytes
		}
		o.maxHeaderListSize = uint32(n)
	}
	switch {
	case o.maxReadFrameSize == 0:
		o.maxReadFrameSize = h2MinFrameSize
	case o.maxReadFrameSize < h2MinFrameSize:
		o.maxReadFrameSize = h2MinFrameSize
	case o.maxReadFrameSize > h2MaxFrameSizeLimit:
		o.maxReadFrameSize = h2MaxFrameSizeLimit
	}
	if o.controlBudget <= 0 {
		o.controlBudget = h2DefaultControlBudget
	}
	if o.pingTimeout <= 0 {
		o.pingTimeout = h2DefaultPingTimeout
	}
	if o.settingsTimeout <= 0 {
		o.settingsTimeout = h2DefaultSettingsTimeout
	}
	if o.maxRequestBodySize <= 0 {
		o.maxRequestBodySize = DefaultMaxRequestBodySize
	}
	if o.logger == nil {
		o.logger = defaultLogger
	}
	if cfg.MaxStreamsPerIP > 0 {
		o.budget = newH2IPBudget(cfg.MaxStreamsPerIP)
	}
	return o
}

// clampWindow returns v, or def when v is 0, within the protocol's bounds.
func clampWindow(v, def uint32) uint32 {
	switch {
	case v == 0:
		return def
	case v < h2DefaultWindow:
		return h2DefaultWindow
	case v > h2MaxWindow:
		return h2MaxWindow
	}
	return v
}
