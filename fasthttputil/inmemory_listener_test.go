package fasthttputil_test

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/valyala/fasthttp"
	"github.com/valyala/fasthttp/fasthttputil"
)

func TestInmemoryListenerDialWaitsForAccept(t *testing.T) {
	t.Parallel()
	ln := fasthttputil.NewInmemoryListener()
	defer ln.Close()
	dialed := make(chan net.Conn, 1)
	go func() {
		c, err := ln.Dial()
		if err != nil {
			t.Error(err)
		}
		dialed <- c
	}()
	select {
	case <-dialed:
		t.Fatal("Dial returned before Accept")
	case <-time.After(30 * time.Millisecond):
	}
	srv, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	var cli net.Conn
	select {
	case cli = <-dialed:
	case <-time.After(2 * time.Second):
		t.Fatal("Dial did not return after Accept")
	}
	if _, err := cli.Write([]byte("ping")); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 4)
	if _, err := io.ReadFull(srv, buf); err != nil || string(buf) != "ping" {
		t.Fatalf("server read %q, %v", buf, err)
	}
}

func TestInmemoryListenerAddresses(t *testing.T) {
	t.Parallel()
	ln := fasthttputil.NewInmemoryListener()
	defer ln.Close()
	if a := ln.Addr(); a.Network() != "inmemory" || a.String() != "InmemoryListener" {
		t.Fatalf("default Addr = %s/%s", a.Network(), a)
	}
	client := &net.TCPAddr{IP: net.IPv4(192, 0, 2, 7), Port: 4321}
	server := &net.TCPAddr{IP: net.IPv4(198, 51, 100, 1), Port: 80}
	ln.SetLocalAddr(server)
	if ln.Addr() != server {
		t.Fatal("SetLocalAddr not reflected by Addr")
	}
	go func() {
		c, err := ln.DialWithLocalAddr(client)
		if err != nil {
			t.Error(err)
			return
		}
		if c.LocalAddr() != client || c.RemoteAddr() != server {
			t.Errorf("client end: local %v remote %v", c.LocalAddr(), c.RemoteAddr())
		}
	}()
	s, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	if s.LocalAddr() != server || s.RemoteAddr() != client {
		t.Fatalf("server end: local %v remote %v", s.LocalAddr(), s.RemoteAddr())
	}
}

func TestInmemoryListenerClose(t *testing.T) {
	t.Parallel()
	ln := fasthttputil.NewInmemoryListener()
	acceptErr := make(chan error, 1)
	go func() {
		_, err := ln.Accept()
		acceptErr <- err
	}()
	time.Sleep(10 * time.Millisecond)
	if err := ln.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-acceptErr:
		if !errors.Is(err, fasthttputil.ErrInmemoryListenerClosed) || !errors.Is(err, net.ErrClosed) {
			t.Fatalf("Accept after Close: %v", err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("Accept still blocked after Close")
	}
	if _, err := ln.Dial(); !errors.Is(err, fasthttputil.ErrInmemoryListenerClosed) {
		t.Fatalf("Dial after Close: %v", err)
	}
	if err := ln.Close(); !errors.Is(err, fasthttputil.ErrInmemoryListenerClosed) {
		t.Fatalf("second Close: %v", err)
	}
}

func TestInmemoryListenerCloseFailsPendingDial(t *testing.T) {
	t.Parallel()
	ln := fasthttputil.NewInmemoryListener()
	errc := make(chan error, 1)
	go func() {
		_, err := ln.Dial()
		errc <- err
	}()
	time.Sleep(20 * time.Millisecond)
	ln.Close()
	select {
	case err := <-errc:
		if !errors.Is(err, fasthttputil.ErrInmemoryListenerClosed) {
			t.Fatalf("pending Dial: %v", err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("Dial still blocked after Close")
	}
}

// TestInmemoryListenerFasthttpServer is the common use: a fasthttp server
// on an in-memory listener, many clients at once, keep-alive.
func TestInmemoryListenerFasthttpServer(t *testing.T) {
	t.Parallel()
	ln := fasthttputil.NewInmemoryListener()
	s := &fasthttp.Server{Handler: func(ctx *fasthttp.RequestCtx) {
		ctx.WriteString("path=")
		ctx.Write(ctx.Path())
	}}
	served := make(chan error, 1)
	go func() { served <- s.Serve(ln) }()

	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := ln.Dial()
			if err != nil {
				t.Error(err)
				return
			}
			defer c.Close()
			c.SetDeadline(time.Now().Add(5 * time.Second))
			br := bufio.NewReader(c)
			for j := range 3 {
				path := "/c" + string(rune('0'+i)) + "/r" + string(rune('0'+j))
				if _, err := c.Write([]byte("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n")); err != nil {
					t.Error(err)
					return
				}
				var resp fasthttp.Response
				if err := resp.Read(br); err != nil {
					t.Error(err)
					return
				}
				if got := string(resp.Body()); got != "path="+path {
					t.Errorf("body %q, want %q", got, "path="+path)
				}
			}
		}()
	}
	wg.Wait()
	if err := s.Shutdown(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-served:
	case <-time.After(2 * time.Second):
		t.Fatal("Serve did not return after Shutdown")
	}
}

// TestInmemoryListenerNetHTTP shows the listener and its conns behave like
// real ones to net/http, on both the server and the client side.
func TestInmemoryListenerNetHTTP(t *testing.T) {
	t.Parallel()
	ln := fasthttputil.NewInmemoryListener()
	hs := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "hello "+r.URL.Path)
	})}
	go hs.Serve(ln)
	defer hs.Close()
	client := &http.Client{
		Timeout: 5 * time.Second,
		Transport: &http.Transport{DialContext: func(context.Context, string, string) (net.Conn, error) {
			return ln.Dial()
		}},
	}
	for range 3 {
		resp, err := client.Get("http://inmemory/there")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if string(b) != "hello /there" {
			t.Fatalf("body %q", b)
		}
	}
	if !strings.Contains(ln.Addr().String(), "Inmemory") {
		t.Fatal(ln.Addr())
	}
}

// TestInmemoryListenerFullBacklog: dials beyond the backlog wait for room
// instead of failing, and Close releases every one of them.
func TestInmemoryListenerFullBacklog(t *testing.T) {
	t.Parallel()
	ln := fasthttputil.NewInmemoryListener()
	const n = 1100 // more than the backlog of 1024
	errs := make(chan error, n)
	for range n {
		go func() {
			_, err := ln.Dial()
			errs <- err
		}()
	}
	// Accept a few: the waiting dials must get through.
	for range 10 {
		if _, err := ln.Accept(); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(20 * time.Millisecond)
	ln.Close()
	accepted, rejected := 0, 0
	for range n {
		select {
		case err := <-errs:
			if err == nil {
				accepted++
			} else if errors.Is(err, fasthttputil.ErrInmemoryListenerClosed) {
				rejected++
			} else {
				t.Fatalf("Dial: %v", err)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("dials still blocked after Close (%d accepted, %d rejected)", accepted, rejected)
		}
	}
	if accepted != 10 {
		t.Fatalf("%d dials succeeded, want the 10 accepted", accepted)
	}
}

// Server.Shutdown closes an idle keep-alive connection at once over an
// in-memory listener too, instead of waiting for the client to let go.
func TestInmemoryListenerServerShutdownClosesIdleConns(t *testing.T) {
	t.Parallel()
	ln := fasthttputil.NewInmemoryListener()
	defer ln.Close()
	s := &fasthttp.Server{Handler: func(ctx *fasthttp.RequestCtx) { ctx.SetBodyString("ok") }}
	served := make(chan error, 1)
	go func() { served <- s.Serve(ln) }()
	c := &fasthttp.HostClient{
		Addr:                "mem",
		Dial:                func(string) (net.Conn, error) { return ln.Dial() },
		MaxIdleConnDuration: time.Hour, // the client never closes it itself
	}
	if status, body, err := c.Get(nil, "http://mem/"); err != nil || status != 200 || string(body) != "ok" {
		t.Fatalf("GET: %d %q %v", status, body, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := s.ShutdownWithContext(ctx); err != nil {
		t.Fatalf("Shutdown with an idle in-memory connection: %v", err)
	}
	if err := <-served; err != nil {
		t.Fatalf("Serve: %v", err)
	}
}
