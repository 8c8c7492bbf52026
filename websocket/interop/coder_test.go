package interop

import (
	"context"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/coder/websocket"
	ours "github.com/valyala/fasthttp/websocket"
)

func coderMode(m ours.CompressionMode) websocket.CompressionMode {
	switch m {
	case ours.CompressionNoContextTakeover:
		return websocket.CompressionNoContextTakeover
	case ours.CompressionContextTakeover:
		return websocket.CompressionContextTakeover
	}
	return websocket.CompressionDisabled
}

// TestCoderClientOurServer: coder/websocket v1.8.15's client against this
// repository's server.
func TestCoderClientOurServer(t *testing.T) {
	for _, md := range modes {
		t.Run(md.name, func(t *testing.T) {
			t.Parallel()
			addr := ourServer(t, md.mode)
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			c, resp, err := websocket.Dial(ctx, "ws://"+addr+"/", &websocket.DialOptions{CompressionMode: coderMode(md.mode), CompressionThreshold: 64})
			if err != nil {
				t.Fatal(err)
			}
			defer c.CloseNow()
			if md.mode != 0 && resp.Header.Get("Sec-WebSocket-Extensions") == "" {
				t.Fatal("compression not negotiated")
			}
			c.SetReadLimit(maxMessage)
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
					t.Fatal(err)
				}
				gt, got, err := c.Read(ctx)
				if err != nil {
					t.Fatalf("%v: %v", m, err)
				}
				check(t, m, got, gt == websocket.MessageText)
			}
			if err := c.Close(websocket.StatusNormalClosure, "done"); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestOurClientCoderServer: this repository's client against a
// coder/websocket server.
func TestOurClientCoderServer(t *testing.T) {
	for _, md := range modes {
		t.Run(md.name, func(t *testing.T) {
			t.Parallel()
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				c, err := websocket.Accept(w, r, &websocket.AcceptOptions{CompressionMode: coderMode(md.mode), CompressionThreshold: 64})
				if err != nil {
					return
				}
				defer c.CloseNow()
				c.SetReadLimit(maxMessage)
				for {
					typ, msg, err := c.Read(r.Context())
					if err != nil {
						return
					}
					if err := c.Write(r.Context(), typ, msg); err != nil {
						return
					}
				}
			})}
			go func() { _ = srv.Serve(ln) }()
			defer srv.Close()
			ourClientRun(t, "ws://"+ln.Addr().String()+"/", md.mode)
		})
	}
}
