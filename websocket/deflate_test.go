package websocket

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
)

// compressedPeer opens a raw client to a server with opts that negotiates
// permessage-deflate with offer.
func compressedPeer(t *testing.T, opts *AcceptOptions, offer string, handler func(*Conn)) (*rawPeer, string) {
	t.Helper()
	addr := startServer(t, opts, handler)
	nc, br, head := rawHandshake(t, addr, "Sec-WebSocket-Extensions: "+offer+"\r\n")
	if !strings.HasPrefix(head, "HTTP/1.1 101 ") {
		t.Fatal(head)
	}
	resp := headerValue(head, "Sec-Websocket-Extensions")
	p := &rawPeer{t: t, nc: nc, br: br, mask: true}
	p.configure(resp, true)
	return p, resp
}

// TestDecompressionBomb: MaxMessageSize bounds the inflated size, so 16 MiB
// of zeros in a few kilobytes of DEFLATE fail with StatusMessageTooBig.
func TestDecompressionBomb(t *testing.T) {
	t.Parallel()
	serverErr := make(chan error, 1)
	opts := &AcceptOptions{CompressionMode: CompressionNoContextTakeover, MaxMessageSize: 64 << 10}
	p, _ := compressedPeer(t, opts, "permessage-deflate", func(c *Conn) {
		_, _, err := c.Read(c.Context())
		serverErr <- err
	})
	p.writeCompressed(step{op: opBinary, payload: make([]byte, 2<<20)})
	if err := <-serverErr; CloseStatus(err) != StatusMessageTooBig {
		t.Fatalf("server: %v", err)
	}
	if err := p.check(expClose(StatusMessageTooBig)); err != nil {
		t.Fatal(err)
	}
}

// TestCompressionThreshold: messages below the threshold go out as they
// are (RSV1 clear), larger ones compressed.
func TestCompressionThreshold(t *testing.T) {
	t.Parallel()
	opts := &AcceptOptions{CompressionMode: CompressionContextTakeover, CompressionThreshold: 100}
	p, resp := compressedPeer(t, opts, "permessage-deflate", echo)
	if resp != "permessage-deflate" {
		t.Fatalf("negotiated %q", resp)
	}
	for _, n := range []int{99, 100, 5000} {
		msg := bytes.Repeat([]byte("a"), n)
		p.write(binaryFrame(msg))
		f, err := p.readFrame()
		if err != nil {
			t.Fatal(err)
		}
		compressed := f.rsv&bitRSV1 != 0
		if compressed != (n >= 100) {
			t.Fatalf("%d-byte message: compressed %v", n, compressed)
		}
		got := f.payload
		if compressed {
			if got, err = p.inflate(got); err != nil {
				t.Fatal(err)
			}
			if len(f.payload) >= n {
				t.Fatalf("%d bytes compressed to %d", n, len(f.payload))
			}
		}
		if !bytes.Equal(got, msg) {
			t.Fatalf("%d-byte message came back as %d bytes", n, len(got))
		}
	}
}

// TestContextTakeoverAcrossMessages: with context takeover, a repeated
// message compresses to a back-reference into the previous one.
func TestContextTakeoverAcrossMessages(t *testing.T) {
	t.Parallel()
	msg := []byte(strings.Repeat("the quick brown fox jumps over the lazy dog; ", 20))
	sizes := map[CompressionMode][]int{}
	for _, mode := range []CompressionMode{CompressionNoContextTakeover, CompressionContextTakeover} {
		p, _ := compressedPeer(t, &AcceptOptions{CompressionMode: mode}, "permessage-deflate", echo)
		for i := 0; i < 3; i++ {
			p.write(text(string(msg)))
			f, err := p.readFrame()
			if err != nil {
				t.Fatal(err)
			}
			got, err := p.inflate(f.payload)
			if err != nil || !bytes.Equal(got, msg) {
				t.Fatalf("mode %d message %d: %v", mode, i, err)
			}
			sizes[mode] = append(sizes[mode], len(f.payload))
		}
	}
	no, ctx := sizes[CompressionNoContextTakeover], sizes[CompressionContextTakeover]
	if no[1] != no[0] || ctx[1] >= ctx[0]/2 {
		t.Fatalf("compressed sizes without context takeover %v, with %v", no, ctx)
	}
}

// TestDialNegotiationRefusals: the client fails the handshake on an
// extension it did not offer or parameters it cannot accept.
func TestDialNegotiationRefusals(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		mode   CompressionMode
		answer string
	}{
		{CompressionDisabled, "permessage-deflate"},
		{CompressionContextTakeover, "x-webkit-deflate-frame"},
		{CompressionContextTakeover, "permessage-deflate; bogus"},
		{CompressionContextTakeover, "permessage-deflate; client_max_window_bits"},
		{CompressionContextTakeover, "permessage-deflate; server_max_window_bits=7"},
		{CompressionContextTakeover, "permessage-deflate; server_max_window_bits=010"},
		{CompressionContextTakeover, "permessage-deflate, permessage-deflate"},
	} {
		ln := listenT(t)
		go func() {
			nc, err := ln.Accept()
			if err != nil {
				return
			}
			defer nc.Close()
			br := bufio.NewReader(nc)
			var req strings.Builder
			for !strings.HasSuffix(req.String(), "\r\n\r\n") {
				b, err := br.ReadByte()
				if err != nil {
					return
				}
				req.WriteByte(b)
			}
			key := headerValue(req.String(), "Sec-WebSocket-Key")
			_, _ = io.WriteString(nc, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"+
				"Sec-WebSocket-Accept: "+acceptKey([]byte(key))+"\r\nSec-WebSocket-Extensions: "+tc.answer+"\r\n\r\n")
		}()
		c, err := Dial(testCtx(t), "ws://"+ln.Addr().String()+"/", &DialOptions{CompressionMode: tc.mode})
		if err == nil {
			_ = c.CloseNow()
			t.Errorf("mode %d accepted the answer %q", tc.mode, tc.answer)
		}
		_ = ln.Close()
	}
}

func TestCompressedWriterStreams(t *testing.T) {
	t.Parallel()
	addr := startServer(t, &AcceptOptions{CompressionMode: CompressionContextTakeover, MaxMessageSize: -1}, echo)
	c := dialT(t, addr, &DialOptions{CompressionMode: CompressionContextTakeover, MaxMessageSize: -1})
	ctx := context.Background()
	msg := bytes.Repeat([]byte("streamed and compressed "), 100000) // 2.4 MB, many frames
	w, err := c.Writer(ctx, MessageText)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < len(msg); i += 10000 {
		if _, err := w.Write(msg[i:min(i+10000, len(msg))]); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	typ, r, err := c.Reader(ctx)
	if err != nil || typ != MessageText {
		t.Fatal(err)
	}
	var got bytes.Buffer
	if _, err := got.ReadFrom(r); err != nil || !bytes.Equal(got.Bytes(), msg) {
		t.Fatalf("%v: %d bytes", err, got.Len())
	}
}
