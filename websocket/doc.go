// Package websocket implements the WebSocket protocol (RFC 6455) for
// fasthttp servers and clients, with optional permessage-deflate compression
// (RFC 7692).
//
// A server upgrades a request with Accept; the function it is given runs on
// the upgraded connection once the request handler returns, and the
// connection is closed when that function returns:
//
//	func handler(ctx *fasthttp.RequestCtx) {
//		err := websocket.Accept(ctx, nil, func(c *websocket.Conn) {
//			for {
//				typ, msg, err := c.Read(c.Context())
//				if err != nil {
//					return
//				}
//				if err := c.Write(c.Context(), typ, msg); err != nil {
//					return
//				}
//			}
//		})
//		if err != nil {
//			// Not a valid handshake: Accept has written the 4xx response.
//			log.Printf("websocket: %v", err)
//		}
//	}
//
// A client connects with Dial:
//
//	c, err := websocket.Dial(ctx, "wss://example.com/echo", nil)
//	if err != nil {
//		return err
//	}
//	defer c.CloseNow()
//
// Every call that may block takes a context. When it is done before the
// call returns, the connection is closed and the context's error returned,
// by that call and every later one. Conn.Context is cancelled once the
// connection closes, so passing it bounds a call by the connection's life
// at no cost.
//
// Errors: a close frame from the peer (and a protocol error this side
// found, which it answers with a close frame) is a CloseError, and
// CloseStatus extracts its code; a transport that ended without a close
// frame is a CloseError with StatusAbnormalClosure; after CloseNow, calls
// return net.ErrClosed.
//
// Steady-state messages allocate nothing without compression: the slice
// Read returns is the connection's buffer, valid until the next Read, and
// write buffers are pooled. An idle connection holds only a small
// read-ahead buffer.
//
// TLS stays visible: Conn.TLSConnectionState and Conn.NetConn reach the TLS
// session of a wss:// connection (version, cipher suite, client
// certificates), also behind fasthttp.Server.MaxConnsPerIP. These two
// methods are not in upstream fasthttp's package.
package websocket
