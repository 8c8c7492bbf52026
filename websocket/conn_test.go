package websocket

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"testing"
)

func TestEchoSizes(t *testing.T) {
	t.Parallel()
	addr := startServer(t, nil, echo)
	c := dialT(t, addr, &DialOptions{MaxMessageSize: -1})
	ctx := testCtx(t)
	for _, n := range []int{0, 1, 125, 126, 127, 2000, 2048, 4096, 65535, 65536, 70000, 1 << 20} {
		for _, typ := range []MessageType{MessageText, MessageBinary} {
			p := bytes.Repeat([]byte("abcdefghij"), n/10+1)[:n]
			if err := c.Write(ctx, typ, p); err != nil {
				t.Fatalf("write %d: %v", n, err)
			}
			gt, got, err := c.Read(ctx)
			if err != nil {
				t.Fatalf("read %d: %v", n, err)
			}
			if gt != typ || !bytes.Equal(got, p) {
				t.Fatalf("size %d type %v: got type %v, %d bytes", n, typ, gt, len(got))
			}
		}
	}
	if err := c.Close(ctx, StatusNormalClosure, "done"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Read(ctx); CloseStatus(err) != StatusNormalClosure {
		t.Fatalf("read after close: %v", err)
	}
}

// relay streams one message back with Reader and Writer.
func relay(c *Conn) error {
	typ, r, err := c.Reader(c.Context())
	if err != nil {
		return err
	}
	w, err := c.Writer(c.Context(), typ)
	if err != nil {
		return err
	}
	if _, err = io.Copy(w, r); err != nil {
		return err
	}
	return w.Close()
}

func TestWriterReaderFragments(t *testing.T) {
	t.Parallel()
	addr := startServer(t, nil, func(c *Conn) {
		for relay(c) == nil {
		}
	})
	c := dialT(t, addr, &DialOptions{MaxMessageSize: -1})
	ctx := testCtx(t)
	msg := strings.Repeat("héllo wörld ", 20000) // multi-byte runes cut across fragments
	w, err := c.Writer(ctx, MessageText)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < len(msg); i += 777 {
		end := min(i+777, len(msg))
		if _, err := w.Write([]byte(msg[i:end])); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	typ, got, err := c.Read(ctx)
	if err != nil || typ != MessageText || string(got) != msg {
		t.Fatalf("got %v %d bytes %v", typ, len(got), err)
	}
}

func TestCloseNowErrClosed(t *testing.T) {
	t.Parallel()
	addr := startServer(t, nil, echo)
	c := dialT(t, addr, nil)
	ctx := testCtx(t)
	if err := c.CloseNow(); err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Read(ctx); !errors.Is(err, net.ErrClosed) {
		t.Fatalf("Read after CloseNow: %v", err)
	}
	if err := c.Write(ctx, MessageText, []byte("x")); !errors.Is(err, net.ErrClosed) {
		t.Fatalf("Write after CloseNow: %v", err)
	}
	if err := c.Ping(ctx); !errors.Is(err, net.ErrClosed) {
		t.Fatalf("Ping after CloseNow: %v", err)
	}
	if c.Context().Err() == nil {
		t.Fatal("Context not cancelled by CloseNow")
	}
	if err := c.CloseNow(); err != nil {
		t.Fatal(err)
	}
}

// TestFragmentedMessageGrowth guards the message buffer's growth: a large
// message in many small frames doubles the buffer, never regrowing it per
// frame (which made a 16 MiB message in 1000-byte frames take minutes).
func TestFragmentedMessageGrowth(t *testing.T) {
	const size, frag = 2 << 20, 1000
	var stream []byte
	msg := bytes.Repeat([]byte("x"), size)
	for i := 0; i < size; i += frag {
		b0 := byte(opContinuation)
		if i == 0 {
			b0 = byte(opBinary)
		}
		if i+frag >= size {
			b0 |= bitFIN
		}
		stream = append(stream, maskedFrame(b0, msg[i:min(i+frag, size)])...)
	}
	var got []byte
	allocs := testing.AllocsPerRun(1, func() {
		c := newConn(&memConn{r: bytes.NewReader(stream)}, connConfig{maxMessageSize: -1})
		_, got, _ = c.Read(context.Background())
	})
	if !bytes.Equal(got, msg) {
		t.Fatalf("got %d bytes", len(got))
	}
	if allocs > 60 {
		t.Fatalf("%v allocations to read one fragmented message", allocs)
	}
}
