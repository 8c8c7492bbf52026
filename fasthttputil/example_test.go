package fasthttputil_test

import (
	"fmt"
	"log"
	"net"

	"github.com/valyala/fasthttp"
	"github.com/valyala/fasthttp/fasthttputil"
)

// InmemoryListener lets a test run a real Server and a real Client without
// sockets or ports: the client dials the listener instead of the network,
// and every byte goes through the same parsing and writing code.
// DialWithLocalAddr picks the address the server sees the client at, for
// testing per-IP logic.
func ExampleInmemoryListener() {
	ln := fasthttputil.NewInmemoryListener()
	defer ln.Close()

	s := &fasthttp.Server{Handler: func(ctx *fasthttp.RequestCtx) {
		fmt.Fprintf(ctx, "%s %s from %s", ctx.Method(), ctx.RequestURI(), ctx.RemoteIP())
	}}
	go func() {
		if err := s.Serve(ln); err != nil {
			log.Print(err)
		}
	}()
	defer s.Shutdown() //nolint:errcheck // nothing left to report

	c := &fasthttp.HostClient{
		Addr: "test.local", // any name: Dial never resolves it
		Dial: func(string) (net.Conn, error) {
			return ln.DialWithLocalAddr(&net.TCPAddr{IP: net.IPv4(192, 0, 2, 7), Port: 40000})
		},
	}
	status, body, err := c.Get(nil, "http://test.local/ping?x=1")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(status, string(body))
	// Output: 200 GET /ping?x=1 from 192.0.2.7
}

// PipeConns is a pair of connected in-memory net.Conn values, each with
// deadlines, for testing code that reads and writes a connection.
func ExampleNewPipeConns() {
	pc := fasthttputil.NewPipeConns()
	client, server := pc.Conn1(), pc.Conn2()
	defer client.Close()
	defer server.Close()

	go func() {
		buf := make([]byte, 4)
		if _, err := server.Read(buf); err == nil {
			_, _ = server.Write([]byte("pong"))
		}
	}()
	if _, err := client.Write([]byte("ping")); err != nil {
		log.Fatal(err)
	}
	reply := make([]byte, 4)
	if _, err := client.Read(reply); err != nil {
		log.Fatal(err)
	}
	fmt.Println(string(reply))
	// Output: pong
}
