package interop

import (
	"context"
	"io"
	"net"
	"testing"
	"time"

	"github.com/valyala/fasthttp"
	"github.com/valyala/fasthttp/websocket"
)

// ourServer serves this repository's echo handler and returns its address.
func ourServer(t *testing.T, mode websocket.CompressionMode) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	opts := &websocket.AcceptOptions{CompressionMode: mode, MaxMessageSize: maxMessage}
	s := &fasthttp.Server{Handler: func(ctx *fasthttp.RequestCtx) {
		_ = websocket.Accept(ctx, opts, func(c *websocket.Conn) {
			ctx := c.Context()
			for {
				typ, msg, err := c.Read(ctx)
				if err != nil || c.Write(ctx, typ, msg) != nil {
					return
				}
			}
		})
	}}
	go func() { _ = s.Serve(ln) }()
	t.Cleanup(func() { _ = ln.Close() })
	return ln.Addr().String()
}

// ourClientRun dials url with this repository's client and sends every
// message of the matrix, checking each echo.
func ourClientRun(t *testing.T, url string, mode websocket.CompressionMode) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var resp fasthttp.Response
	c, err := websocket.Dial(ctx, url, &websocket.DialOptions{CompressionMode: mode, MaxMessageSize: maxMessage, Response: &resp})
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseNow()
	ext := string(resp.Header.Peek("Sec-WebSocket-Extensions"))
	if (mode != websocket.CompressionDisabled) != (ext != "") {
		t.Fatalf("compression mode %d, negotiated %q", mode, ext)
	}
	for _, m := range matrix() {
		typ := websocket.MessageBinary
		if m.text {
			typ = websocket.MessageText
		}
		p := payload(m)
		if m.fragmented {
			if err := sendInPieces(p, func() (io.WriteCloser, error) { return c.Writer(ctx, typ) }); err != nil {
				t.Fatal(err)
			}
		} else if err := c.Write(ctx, typ, p); err != nil {
			t.Fatalf("%v: %v", m, err)
		}
		gt, got, err := c.Read(ctx)
		if err != nil {
			t.Fatalf("%v: %v", m, err)
		}
		check(t, m, got, gt == websocket.MessageText)
	}
	if err := c.Close(ctx, websocket.StatusNormalClosure, "done"); err != nil {
		t.Fatal(err)
	}
}

var modes = []struct {
	name string
	mode websocket.CompressionMode
}{
	{"plain", websocket.CompressionDisabled},
	{"deflate", websocket.CompressionNoContextTakeover},
	{"deflate-context", websocket.CompressionContextTakeover},
}
