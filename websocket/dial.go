package websocket

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"io"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/valyala/fasthttp"
)

// DialOptions configures Dial. The zero value (or nil) dials with
// net.Dialer, TLS for wss:// from a default tls.Config, no subprotocols and
// no compression.
type DialOptions struct {
	// Subprotocols lists the subprotocols to offer, most preferred first.
	Subprotocols []string

	// CompressionMode offers permessage-deflate.
	CompressionMode CompressionMode

	// CompressionThreshold is the smallest message compressed, in bytes;
	// zero means 128.
	CompressionThreshold int

	// MaxMessageSize is the largest message read, as in AcceptOptions.
	MaxMessageSize int

	// ReadBufferSize is the size of the connection's read-ahead buffer;
	// zero means 2 KiB. Payloads larger than it are read straight into
	// the message.
	ReadBufferSize int

	// ReadTimeout bounds each Read and Reader call, as in AcceptOptions.
	ReadTimeout time.Duration

	// WriteTimeout bounds the writing of each frame, as in AcceptOptions.
	WriteTimeout time.Duration

	// Dial opens the transport connection to "host:port". When nil, a
	// net.Dialer bound by Dial's context is used. For wss:// URLs, TLS runs
	// over the connection it returns.
	Dial fasthttp.DialFunc

	// TLSConfig configures TLS for wss:// URLs. Its ServerName defaults to
	// the URL's host, its NextProtos to http/1.1.
	TLSConfig *tls.Config

	// Header holds extra request header fields for the handshake (Origin,
	// Cookie, Authorization, a Host override …). It must not set the
	// fields Dial manages: Sec-WebSocket-Key, -Version, -Protocol and
	// -Extensions.
	Header *fasthttp.RequestHeader

	// Response, when set, receives the server's handshake response: its
	// header, and the body of a refusal.
	Response *fasthttp.Response
}

var (
	errBadScheme       = errors.New("websocket: unsupported URL scheme")
	errNoHost          = errors.New("websocket: URL has no host")
	errBadAccept       = errors.New("websocket: bad Sec-WebSocket-Accept")
	errNoUpgrade       = errors.New("websocket: response does not upgrade to websocket")
	errBadSubprotocol  = errors.New("websocket: server chose a subprotocol that was not offered")
	errBadExtension    = errors.New("websocket: server chose an extension that was not offered")
	errBadDeflateReply = errors.New("websocket: bad permessage-deflate parameters in response")
)

// maxRefusalBody bounds the body of a refused handshake read into
// DialOptions.Response.
const maxRefusalBody = 64 << 10

// Dial opens a WebSocket to a ws:// or wss:// URL (http:// and https:// are
// taken as their WebSocket counterparts) and performs the opening
// handshake (RFC 6455 §4.1). ctx bounds the dial and the handshake only.
// A response other than a valid 101 is an error; with
// DialOptions.Response set, it holds what the server sent.
func Dial(ctx context.Context, rawURL string, opts *DialOptions) (*Conn, error) {
	if opts == nil {
		opts = &DialOptions{}
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, err
	}
	var secure bool
	switch strings.ToLower(u.Scheme) {
	case "ws", "http":
	case "wss", "https":
		secure = true
	default:
		return nil, errBadScheme
	}
	if u.Host == "" {
		return nil, errNoHost
	}
	if opts.Header != nil {
		for _, name := range []string{fasthttp.HeaderSecWebSocketKey, fasthttp.HeaderSecWebSocketVersion,
			fasthttp.HeaderSecWebSocketProtocol, fasthttp.HeaderSecWebSocketExtensions} {
			if opts.Header.Peek(name) != nil {
				return nil, errors.New("websocket: DialOptions.Header must not set " + name)
			}
		}
	}
	addr := u.Host
	if u.Port() == "" {
		port := "80"
		if secure {
			port = "443"
		}
		addr = net.JoinHostPort(u.Hostname(), port)
	}

	nc, err := dialTransport(ctx, opts, addr)
	if err != nil {
		return nil, err
	}
	// The context bounds the handshake: once it is done, a deadline in the
	// past fails the read or write in progress.
	stop := context.AfterFunc(ctx, func() { _ = nc.SetDeadline(time.Unix(1, 0)) })
	c, err := handshake(ctx, nc, u, secure, opts)
	if !stop() || ctx.Err() != nil {
		if err == nil {
			c.CloseNow()
			err = ctx.Err()
		}
	}
	if err != nil {
		_ = nc.Close()
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, err
	}
	_ = nc.SetDeadline(time.Time{})
	return c, nil
}

// dialTransport opens the TCP connection; TLS, for wss://, runs over it
// in handshake.
func dialTransport(ctx context.Context, opts *DialOptions, addr string) (net.Conn, error) {
	if opts.Dial != nil {
		return opts.Dial(addr)
	}
	return (&net.Dialer{}).DialContext(ctx, "tcp", addr)
}

func handshake(ctx context.Context, nc net.Conn, u *url.URL, secure bool, opts *DialOptions) (*Conn, error) {
	if secure {
		cfg := opts.TLSConfig.Clone()
		if cfg == nil {
			cfg = &tls.Config{}
		}
		if cfg.ServerName == "" {
			cfg.ServerName = u.Hostname()
		}
		if len(cfg.NextProtos) == 0 {
			cfg.NextProtos = []string{"http/1.1"}
		}
		tc := tls.Client(nc, cfg)
		if err := tc.HandshakeContext(ctx); err != nil {
			return nil, err
		}
		nc = tc
	}
	var rawKey [16]byte
	_, _ = rand.Read(rawKey[:])
	key := base64.StdEncoding.EncodeToString(rawKey[:])

	req := buildRequest(u, key, opts)
	if _, err := nc.Write(req); err != nil {
		return nil, err
	}

	resp := opts.Response
	if resp == nil {
		resp = fasthttp.AcquireResponse()
		defer fasthttp.ReleaseResponse(resp)
	} else {
		resp.Reset()
	}
	br := bufio.NewReaderSize(nc, 4096)
	if err := resp.Header.Read(br); err != nil {
		return nil, err
	}
	rh := &resp.Header
	if rh.StatusCode() != fasthttp.StatusSwitchingProtocols {
		if n := rh.ContentLength(); n > 0 && n <= maxRefusalBody {
			body := make([]byte, n)
			if _, err := io.ReadFull(br, body); err == nil {
				resp.SetBodyRaw(body)
			}
		}
		return nil, errors.New("websocket: handshake failed with status " + strconv.Itoa(rh.StatusCode()))
	}
	if !hasToken(rh.PeekAll(fasthttp.HeaderUpgrade), "websocket") ||
		!hasToken(rh.PeekAll(fasthttp.HeaderConnection), "upgrade") {
		return nil, errNoUpgrade
	}
	if string(trimOWS(rh.Peek(fasthttp.HeaderSecWebSocketAccept))) != acceptKey([]byte(key)) {
		return nil, errBadAccept
	}
	cfg := connConfig{
		client:         true,
		readTimeout:    opts.ReadTimeout,
		writeTimeout:   opts.WriteTimeout,
		maxMessageSize: opts.MaxMessageSize,
		readBufferSize: opts.ReadBufferSize,
		threshold:      opts.CompressionThreshold,
	}
	if protos := rh.PeekAll(fasthttp.HeaderSecWebSocketProtocol); len(protos) > 0 {
		if len(protos) > 1 {
			return nil, errBadSubprotocol
		}
		p := string(trimOWS(protos[0]))
		ok := false
		for _, s := range opts.Subprotocols {
			ok = ok || s == p
		}
		if !ok {
			return nil, errBadSubprotocol
		}
		cfg.subprotocol = p
	}
	if values := rh.PeekAll(fasthttp.HeaderSecWebSocketExtensions); len(values) > 0 {
		exts, ok := parseExtensions(values)
		if !ok {
			return nil, errBadDeflateReply
		}
		if len(exts) > 0 {
			if len(exts) > 1 || exts[0].name != extPermessageDeflate || deflateOffer(opts.CompressionMode) == "" {
				return nil, errBadExtension
			}
			d, ok := parseDeflateParams(exts[0].params, true)
			if !ok {
				return nil, errBadDeflateReply
			}
			if opts.CompressionMode == CompressionNoContextTakeover {
				d.clientNoContext = true
			}
			cfg.deflate = &d
		}
	}
	if n := br.Buffered(); n > 0 {
		cfg.buffered, _ = br.Peek(n)
	}
	return newConn(nc, cfg), nil
}

// buildRequest writes the handshake request.
func buildRequest(u *url.URL, key string, opts *DialOptions) []byte {
	uri := u.RequestURI()
	if uri == "" {
		uri = "/"
	}
	host := u.Host
	if opts.Header != nil {
		if h := opts.Header.Peek(fasthttp.HeaderHost); len(h) > 0 {
			host = string(h)
		}
	}
	b := make([]byte, 0, 256)
	b = append(b, "GET "...)
	b = append(b, uri...)
	b = append(b, " HTTP/1.1\r\nHost: "...)
	b = append(b, host...)
	b = append(b, "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "...)
	b = append(b, key...)
	b = append(b, "\r\nSec-WebSocket-Version: 13\r\n"...)
	if len(opts.Subprotocols) > 0 {
		b = append(b, "Sec-WebSocket-Protocol: "...)
		b = append(b, strings.Join(opts.Subprotocols, ", ")...)
		b = append(b, "\r\n"...)
	}
	if offer := deflateOffer(opts.CompressionMode); offer != "" {
		b = append(b, "Sec-WebSocket-Extensions: "...)
		b = append(b, offer...)
		b = append(b, "\r\n"...)
	}
	if opts.Header != nil {
		for k, v := range opts.Header.All() {
			switch strings.ToLower(string(k)) {
			case "host", "upgrade", "connection", "content-length", "transfer-encoding":
				continue
			}
			b = append(b, k...)
			b = append(b, ": "...)
			b = append(b, v...)
			b = append(b, "\r\n"...)
		}
	}
	return append(b, "\r\n"...)
}
