package websocket_test

import (
	"context"
	"fmt"
	"net"
	"time"

	"github.com/valyala/fasthttp"
	"github.com/valyala/fasthttp/websocket"
)

// echo sends every message back until the connection ends.
func echo(c *websocket.Conn) {
	for {
		typ, msg, err := c.Read(c.Context())
		if err != nil || c.Write(c.Context(), typ, msg) != nil {
			return
		}
	}
}

// An echo server and a client talking to it.
func Example() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	defer ln.Close()
	s := &fasthttp.Server{Handler: func(ctx *fasthttp.RequestCtx) {
		if err := websocket.Accept(ctx, nil, echo); err != nil {
			fmt.Println("handshake refused:", err)
		}
	}}
	go s.Serve(ln)

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, err := websocket.Dial(ctx, "ws://"+ln.Addr().String()+"/echo", nil)
	if err != nil {
		panic(err)
	}
	defer c.CloseNow()
	if err := c.Write(ctx, websocket.MessageText, []byte("hello")); err != nil {
		panic(err)
	}
	typ, msg, err := c.Read(ctx)
	fmt.Println(typ == websocket.MessageText, string(msg), err)
	fmt.Println(c.Close(ctx, websocket.StatusNormalClosure, "bye"))
	// Output:
	// true hello <nil>
	// <nil>
}

// Compression is negotiated when both sides ask for it.
func ExampleDial_compression() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	defer ln.Close()
	opts := &websocket.AcceptOptions{CompressionMode: websocket.CompressionContextTakeover}
	go fasthttp.Serve(ln, func(ctx *fasthttp.RequestCtx) {
		_ = websocket.Accept(ctx, opts, func(c *websocket.Conn) {
			_ = c.Write(c.Context(), websocket.MessageText, []byte("compressed hello, compressed hello"))
		})
	})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var resp fasthttp.Response
	c, err := websocket.Dial(ctx, "ws://"+ln.Addr().String()+"/", &websocket.DialOptions{
		CompressionMode:      websocket.CompressionContextTakeover,
		CompressionThreshold: 16,
		Response:             &resp,
	})
	if err != nil {
		panic(err)
	}
	defer c.CloseNow()
	_, msg, err := c.Read(ctx)
	fmt.Println(string(resp.Header.Peek("Sec-WebSocket-Extensions")))
	fmt.Println(string(msg), err)
	// Output:
	// permessage-deflate
	// compressed hello, compressed hello <nil>
}

// CloseStatus tells a normal closure from a failure.
func ExampleCloseStatus() {
	err := error(websocket.CloseError{Code: websocket.StatusGoingAway, Reason: "server restart"})
	fmt.Println(websocket.CloseStatus(err) == websocket.StatusGoingAway, err)
	fmt.Println(websocket.CloseStatus(fmt.Errorf("read: %w", net.ErrClosed)))
	// Output:
	// true websocket: close 1001: server restart
	// -1
}
