package interop

import (
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// TestGorillaClientOurServer: gorilla/websocket v1.5.3's client against
// this repository's server.
func TestGorillaClientOurServer(t *testing.T) {
	for _, md := range modes {
		t.Run(md.name, func(t *testing.T) {
			t.Parallel()
			addr := ourServer(t, md.mode)
			d := websocket.Dialer{EnableCompression: md.mode != 0, WriteBufferSize: 4096, HandshakeTimeout: 10 * time.Second}
			c, resp, err := d.Dial("ws://"+addr+"/", nil)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			if md.mode != 0 && resp.Header.Get("Sec-WebSocket-Extensions") == "" {
				t.Fatal("compression not negotiated")
			}
			gorillaRun(t, c, md.mode != 0)
			_ = c.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(time.Second))
			if _, _, err := c.ReadMessage(); !websocket.IsCloseError(err, websocket.CloseNormalClosure) {
				t.Fatalf("close: %v", err)
			}
		})
	}
}

// gorillaRun sends the matrix through a gorilla connection. Its writer
// cuts a message into frames of its write buffer (4 KiB); "whole" messages
// go through WriteMessage.
func gorillaRun(t *testing.T, c *websocket.Conn, compress bool) {
	c.EnableWriteCompression(compress)
	c.SetReadLimit(maxMessage)
	for _, m := range matrix() {
		typ := websocket.BinaryMessage
		if m.text {
			typ = websocket.TextMessage
		}
		p := payload(m)
		if m.fragmented {
			if err := sendInPieces(p, func() (io.WriteCloser, error) { return c.NextWriter(typ) }); err != nil {
				t.Fatal(err)
			}
		} else if err := c.WriteMessage(typ, p); err != nil {
			t.Fatal(err)
		}
		gt, got, err := c.ReadMessage()
		if err != nil {
			t.Fatalf("%v: %v", m, err)
		}
		check(t, m, got, gt == websocket.TextMessage)
	}
}

// TestOurClientGorillaServer: this repository's client against a
// gorilla/websocket server.
func TestOurClientGorillaServer(t *testing.T) {
	for _, md := range modes {
		t.Run(md.name, func(t *testing.T) {
			t.Parallel()
			up := websocket.Upgrader{EnableCompression: md.mode != 0}
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				c, err := up.Upgrade(w, r, nil)
				if err != nil {
					return
				}
				defer c.Close()
				c.SetReadLimit(maxMessage)
				c.EnableWriteCompression(md.mode != 0)
				for {
					typ, msg, err := c.ReadMessage()
					if err != nil {
						return
					}
					if err := c.WriteMessage(typ, msg); err != nil {
						return
					}
				}
			})}
			go func() { _ = srv.Serve(ln) }()
			defer srv.Close()
			// gorilla accepts permessage-deflate only without context
			// takeover.
			mode := md.mode
			ourClientRun(t, "ws://"+ln.Addr().String()+"/", mode)
		})
	}
}
