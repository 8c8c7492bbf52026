package websocket

import (
	"bytes"
	"context"
	"io"
	"net"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/valyala/fasthttp"
)

// memConn is a net.Conn reading a fixed stream and discarding writes.
type memConn struct {
	r      io.Reader
	closed bool
	wrote  bytes.Buffer
}

func (m *memConn) Read(p []byte) (int, error) {
	if m.closed {
		return 0, net.ErrClosed
	}
	return m.r.Read(p)
}

func (m *memConn) Write(p []byte) (int, error) {
	if m.closed {
		return 0, net.ErrClosed
	}
	if m.wrote.Len() < 1<<16 {
		m.wrote.Write(p)
	}
	return len(p), nil
}
func (m *memConn) Close() error                     { m.closed = true; return nil }
func (m *memConn) LocalAddr() net.Addr              { return &net.TCPAddr{} }
func (m *memConn) RemoteAddr() net.Addr             { return &net.TCPAddr{} }
func (m *memConn) SetDeadline(time.Time) error      { return nil }
func (m *memConn) SetReadDeadline(time.Time) error  { return nil }
func (m *memConn) SetWriteDeadline(time.Time) error { return nil }

// maskedFrame builds a client frame for the fuzz seeds.
func maskedFrame(b0 byte, payload []byte) []byte {
	var hdr [maxHeaderSize]byte
	key := [4]byte{1, 2, 3, 4}
	n := putHeader(hdr[:], true, false, 0, len(payload), true, key)
	hdr[0] = b0
	out := append(hdr[:n:n], payload...)
	maskBytes(key, 0, out[n:])
	return out
}

const fuzzMaxMessage = 1 << 16

// readAllMessages reads from a server-side Conn over stream until an error,
// checking what every message must satisfy.
func readAllMessages(t *testing.T, stream []byte, deflate bool) {
	mc := &memConn{r: bytes.NewReader(stream)}
	cfg := connConfig{maxMessageSize: fuzzMaxMessage, readBufferSize: 256}
	if deflate {
		cfg.deflate = &deflateParams{}
	}
	c := newConn(mc, cfg)
	ctx := context.Background()
	for i := 0; i < 1000; i++ {
		typ, msg, err := c.Read(ctx)
		if err != nil {
			if CloseStatus(err) == -1 {
				t.Fatalf("error is not a CloseError: %v", err)
			}
			return
		}
		if len(msg) > fuzzMaxMessage {
			t.Fatalf("message of %d bytes over the limit", len(msg))
		}
		if typ == MessageText && !utf8.Valid(msg) {
			t.Fatalf("invalid UTF-8 text delivered: %q", msg)
		}
		if typ != MessageText && typ != MessageBinary {
			t.Fatalf("message type %d", typ)
		}
	}
}

// FuzzFrameReader feeds arbitrary bytes to the server's frame reader: it
// must deliver only valid messages, end with a CloseError, and never panic
// or loop.
func FuzzFrameReader(f *testing.F) {
	f.Add(maskedFrame(0x81, []byte("hello")))
	f.Add(append(maskedFrame(0x01, []byte("hel")), maskedFrame(0x80, []byte("lo"))...))
	f.Add(append(maskedFrame(0x02, []byte{1, 2}), append(maskedFrame(0x89, []byte("p")), maskedFrame(0x80, []byte{3})...)...))
	f.Add(maskedFrame(0x88, []byte{0x03, 0xe8, 'b', 'y', 'e'}))
	f.Add(maskedFrame(0x81, []byte{0xce, 0xba, 0xff}))
	f.Add([]byte{0x81, 0xff, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1, 2, 3, 4})
	f.Add(maskedFrame(0xc1, []byte{0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00}))
	f.Fuzz(func(t *testing.T, stream []byte) {
		readAllMessages(t, stream, false)
		readAllMessages(t, stream, true)
	})
}

// FuzzInflater sends arbitrary bytes as the payload of a compressed
// message: inflating must stay within MaxMessageSize and never panic.
// Valid compressed data round-trips.
func FuzzInflater(f *testing.F) {
	f.Add([]byte{0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00}, false)
	f.Add([]byte{0x00, 0x00, 0xff, 0xff}, true)
	f.Add(bytes.Repeat([]byte{0}, 100), false)
	f.Add([]byte("plain text that is not deflate"), true)
	f.Fuzz(func(t *testing.T, data []byte, asText bool) {
		b0 := byte(0xc2)
		if asText {
			b0 = 0xc1
		}
		readAllMessages(t, maskedFrame(b0, data), true)

		// The compressor and the inflater agree.
		mc := &memConn{r: bytes.NewReader(nil)}
		w := newConn(mc, connConfig{deflate: &deflateParams{}, threshold: 1})
		if err := w.Write(context.Background(), MessageBinary, data); err != nil {
			t.Fatal(err)
		}
		// Reframe the server's unmasked output as client frames.
		var stream []byte
		out := mc.wrote.Bytes()
		for len(out) > 0 {
			n := headerLen(out[1])
			h, _ := parseHeader(out[:n])
			payload := out[n : n+int(h.length)]
			b := out[0]
			stream = append(stream, maskedFrame(b, payload)...)
			out = out[n+int(h.length):]
		}
		r := newConn(&memConn{r: bytes.NewReader(stream)}, connConfig{deflate: &deflateParams{}, maxMessageSize: -1})
		_, got, err := r.Read(context.Background())
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("round trip: %v, got %d bytes, want %d", err, len(got), len(data))
		}
	})
}

// FuzzHandshake runs Accept on arbitrary request bytes: it must either
// refuse with a 4xx, or upgrade a request that is a valid handshake.
func FuzzHandshake(f *testing.F) {
	f.Add([]byte("GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"))
	f.Add([]byte("GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: a, b\r\nSec-WebSocket-Extensions: permessage-deflate; client_max_window_bits; server_max_window_bits=10, permessage-deflate\r\nOrigin: http://a\r\n\r\n"))
	f.Add([]byte("GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: x\r\nSec-WebSocket-Version: 8\r\nSec-WebSocket-Extensions: permessage-deflate; x=\"1\"\r\n\r\n"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		var req fasthttp.Request
		if err := req.Read(bufioReader(raw)); err != nil {
			return
		}
		var ctx fasthttp.RequestCtx
		ctx.Init(&req, nil, nil)
		opts := &AcceptOptions{Subprotocols: []string{"b", "a"}, CompressionMode: CompressionContextTakeover}
		err := Accept(&ctx, opts, func(*Conn) {})
		status := ctx.Response.StatusCode()
		if err != nil {
			if status < 400 || status > 499 || ctx.Hijacked() {
				t.Fatalf("refused with status %d (hijacked %v): %v", status, ctx.Hijacked(), err)
			}
			return
		}
		h := &req.Header
		if status != 101 || !h.IsGet() || string(h.Peek("Sec-WebSocket-Version")) != "13" || !validKey(trimOWS(h.Peek("Sec-WebSocket-Key"))) {
			t.Fatalf("upgraded an invalid handshake (status %d): %q", status, raw)
		}
		if ext := ctx.Response.Header.Peek("Sec-WebSocket-Extensions"); len(ext) > 0 {
			exts, ok := parseExtensions([][]byte{ext})
			if !ok || len(exts) != 1 {
				t.Fatalf("bad extension response %q", ext)
			}
			if _, ok := parseDeflateParams(exts[0].params, true); !ok {
				t.Fatalf("response parameters the client would refuse: %q", ext)
			}
		}
	})
}
