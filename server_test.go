package fasthttp

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// echoIDs answers with the connection id and the request number.
func echoIDs(ctx *RequestCtx) {
	fmt.Fprintf(ctx, "%d/%d %s", ctx.ConnID(), ctx.ConnRequestNum(), ctx.Path())
}

func TestServerKeepAliveLoopback(t *testing.T) {
	t.Parallel()
	for _, host := range srvLoopbacks(t) {
		t.Run(host, func(t *testing.T) {
			addr := srvStart(t, &Server{Handler: echoIDs}, host)
			c := srvDial(t, addr)
			br := bufio.NewReader(c)
			var first string
			for i := 1; i <= 3; i++ {
				fmt.Fprintf(c, "GET /r%d HTTP/1.1\r\nHost: x\r\n\r\n", i)
				resp, body := srvReadResponse(t, br, "GET")
				if resp.StatusCode != 200 || resp.Close {
					t.Fatalf("request %d: status %d close %v", i, resp.StatusCode, resp.Close)
				}
				id, rest, _ := strings.Cut(body, "/")
				if i == 1 {
					first = id
				} else if id != first {
					t.Fatalf("request %d served on connection %s, want %s", i, id, first)
				}
				if want := fmt.Sprintf("%d /r%d", i, i); rest != want {
					t.Fatalf("got %q, want %q", rest, want)
				}
			}
			// Go's client reuses the connection too.
			hc := srvHTTPClient(t, nil, nil)
			_, b1 := srvGet(t, hc, srvURL("http", addr, "/a"))
			_, b2 := srvGet(t, hc, srvURL("http", addr, "/b"))
			id1, _, _ := strings.Cut(b1, "/")
			id2, _, _ := strings.Cut(b2, "/")
			if id1 != id2 || !strings.HasSuffix(b2, "2 /b") {
				t.Fatalf("net/http client did not reuse the connection: %q then %q", b1, b2)
			}
		})
	}
}

func TestServerHTTP10KeepAlive(t *testing.T) {
	t.Parallel()
	addr := srvStart(t, &Server{Handler: echoIDs}, "127.0.0.1")

	// Without keep-alive, an HTTP/1.0 request closes the connection.
	got := srvRaw(t, addr, "GET /a HTTP/1.0\r\n\r\n")
	if !strings.HasPrefix(got, "HTTP/1.1 200 OK\r\n") || !strings.HasSuffix(got, "1 /a") {
		t.Fatalf("unexpected response %q", got)
	}
	if strings.Contains(strings.ToLower(got), "keep-alive") {
		t.Fatalf("HTTP/1.0 response offers keep-alive: %q", got)
	}

	// With it, the connection stays and the answer says so.
	c := srvDial(t, addr)
	br := bufio.NewReader(c)
	for i := 1; i <= 2; i++ {
		io.WriteString(c, "GET /b HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n")
		resp, body := srvReadResponse(t, br, "GET")
		if resp.Header.Get("Connection") != "keep-alive" {
			t.Fatalf("request %d: Connection %q", i, resp.Header.Get("Connection"))
		}
		if !strings.HasSuffix(body, fmt.Sprintf("%d /b", i)) {
			t.Fatalf("request %d: body %q", i, body)
		}
	}
}

func TestServerConnectionCloseCaseInsensitive(t *testing.T) {
	t.Parallel()
	addr := srvStart(t, &Server{Handler: echoIDs}, "127.0.0.1")
	for _, v := range []string{"close", "CLOSE", "Close", "keep-alive, cLoSe"} {
		got := srvRaw(t, addr, "GET / HTTP/1.1\r\nHost: x\r\nConnection: "+v+"\r\n\r\nGET /never HTTP/1.1\r\nHost: x\r\n\r\n")
		if strings.Count(got, "HTTP/1.1 ") != 1 || !strings.Contains(got, "\r\nConnection: close\r\n") {
			t.Fatalf("Connection: %s: got %q", v, got)
		}
	}
}

// countingListener counts the Write calls on the connections it accepts.
type countingListener struct {
	net.Listener
	writes atomic.Int64
}

type countingConn struct {
	net.Conn
	l *countingListener
}

func (l *countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &countingConn{Conn: c, l: l}, nil
}

func (c *countingConn) Write(p []byte) (int, error) {
	c.l.writes.Add(1)
	return c.Conn.Write(p)
}

func TestServerPipeliningOneFlushPerBatch(t *testing.T) {
	t.Parallel()
	ln := &countingListener{Listener: srvListen(t, "127.0.0.1")}
	srvServe(t, &Server{Handler: echoIDs}, ln)
	c := srvDial(t, ln.Addr().String())

	const n = 10
	var req bytes.Buffer
	for i := 0; i < n; i++ {
		fmt.Fprintf(&req, "GET /p%d HTTP/1.1\r\nHost: x\r\n\r\n", i)
	}
	if _, err := c.Write(req.Bytes()); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(c)
	for i := 0; i < n; i++ {
		_, body := srvReadResponse(t, br, "GET")
		if want := fmt.Sprintf("%d /p%d", i+1, i); !strings.HasSuffix(body, want) {
			t.Fatalf("response %d: %q, want suffix %q (order)", i, body, want)
		}
	}
	// One batch arrived in one read: its answers go out in one write
	// (two at most, should the batch straddle a read boundary).
	if w := ln.writes.Load(); w < 1 || w > 2 {
		t.Fatalf("%d writes for one batch of %d pipelined requests", w, n)
	}
}

func TestServerMaxRequestsPerConn(t *testing.T) {
	t.Parallel()
	addr := srvStart(t, &Server{Handler: echoIDs, MaxRequestsPerConn: 2}, "127.0.0.1")
	got := srvRaw(t, addr, strings.Repeat("GET / HTTP/1.1\r\nHost: x\r\n\r\n", 3))
	if n := strings.Count(got, "HTTP/1.1 200"); n != 2 {
		t.Fatalf("%d responses, want 2: %q", n, got)
	}
	first, second, _ := strings.Cut(got, "HTTP/1.1 200")
	_ = first
	if strings.Contains(second[:strings.Index(second, "\r\n\r\n")], "Connection: close") {
		t.Fatalf("first response announces close: %q", got)
	}
	if !strings.Contains(got[strings.LastIndex(got, "HTTP/1.1 200"):], "Connection: close") {
		t.Fatalf("last response lacks Connection: close: %q", got)
	}
}

func TestServerDisableKeepalive(t *testing.T) {
	t.Parallel()
	addr := srvStart(t, &Server{Handler: echoIDs, DisableKeepalive: true}, "127.0.0.1")
	got := srvRaw(t, addr, strings.Repeat("GET / HTTP/1.1\r\nHost: x\r\n\r\n", 2))
	if strings.Count(got, "HTTP/1.1 200") != 1 || !strings.Contains(got, "Connection: close\r\n") {
		t.Fatalf("got %q", got)
	}
}

func TestServerHeadHasNoBody(t *testing.T) {
	t.Parallel()
	addr := srvStart(t, &Server{Handler: func(ctx *RequestCtx) {
		ctx.SetBodyString("twelve bytes")
	}}, "127.0.0.1")
	got := srvRaw(t, addr, "HEAD / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
	head, get, ok := strings.Cut(got, "\r\n\r\n")
	if !ok || !strings.Contains(head, "Content-Length: 12") {
		t.Fatalf("HEAD response %q", head)
	}
	if !strings.HasPrefix(get, "HTTP/1.1 200 OK\r\n") || !strings.HasSuffix(get, "\r\n\r\ntwelve bytes") {
		t.Fatalf("HEAD sent a body, or the next response broke: %q", got)
	}
}

func TestServerExpectContinue(t *testing.T) {
	t.Parallel()
	var handled atomic.Int32
	s := &Server{
		MaxRequestBodySize: 100,
		Handler: func(ctx *RequestCtx) {
			handled.Add(1)
			ctx.Write(ctx.PostBody())
		},
		ContinueHandler: func(h *RequestHeader) bool { return string(h.RequestURI()) != "/refuse" },
	}
	addr := srvStart(t, s, "127.0.0.1")

	t.Run("continue then body", func(t *testing.T) {
		c := srvDial(t, addr)
		br := bufio.NewReader(c)
		io.WriteString(c, "POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n")
		line, err := br.ReadString('\n')
		if err != nil || line != "HTTP/1.1 100 Continue\r\n" {
			t.Fatalf("interim response %q, %v", line, err)
		}
		if l, _ := br.ReadString('\n'); l != "\r\n" {
			t.Fatalf("100 Continue not followed by an empty line: %q", l)
		}
		io.WriteString(c, "hello")
		resp, body := srvReadResponse(t, br, "POST")
		if resp.StatusCode != 200 || body != "hello" {
			t.Fatalf("final response %d %q", resp.StatusCode, body)
		}
	})
	t.Run("never to HTTP/1.0", func(t *testing.T) {
		got := srvRaw(t, addr, "POST / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nhi")
		if strings.Contains(got, "100 Continue") || !strings.HasSuffix(got, "hi") {
			t.Fatalf("got %q", got)
		}
	})
	t.Run("refused", func(t *testing.T) {
		before := handled.Load()
		got := srvRaw(t, addr, "POST /refuse HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n")
		if !strings.HasPrefix(got, "HTTP/1.1 417 ") || !strings.Contains(got, "Connection: close") || strings.Contains(got, "100 Continue") {
			t.Fatalf("got %q", got)
		}
		if handled.Load() != before {
			t.Fatal("handler ran for a refused expectation")
		}
	})
	t.Run("too large before continue", func(t *testing.T) {
		got := srvRaw(t, addr, "POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 101\r\n\r\n")
		if !strings.HasPrefix(got, "HTTP/1.1 413 ") || strings.Contains(got, "100 Continue") {
			t.Fatalf("got %q", got)
		}
	})
}

func TestServerErrorStatuses(t *testing.T) {
	t.Parallel()
	var handled atomic.Int32
	addr := srvStart(t, &Server{
		Handler:            func(ctx *RequestCtx) { handled.Add(1) },
		MaxRequestBodySize: 10,
		Logger:             &srvLog{},
	}, "127.0.0.1")
	longURI := "/" + strings.Repeat("a", 20<<10)
	bigHeader := "X-Big: " + strings.Repeat("b", 20<<10) + "\r\n"
	tests := []struct {
		name, req string
		status    int
	}{
		{"bad request line", "GET  / HTTP/1.1\r\nHost: x\r\n\r\n", 400},
		{"missing host", "GET / HTTP/1.1\r\n\r\n", 400},
		{"bad header", "GET / HTTP/1.1\r\nHost: x\r\nBad Name: v\r\n\r\n", 400},
		{"uri too long", "GET " + longURI + " HTTP/1.1\r\nHost: x\r\n\r\n", 414},
		{"header too large", "GET / HTTP/1.1\r\nHost: x\r\n" + bigHeader + "\r\n", 431},
		{"body too large", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\nhello world", 413},
		{"chunked too large", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nhello \r\n5\r\nworld\r\n0\r\n\r\n", 413},
		{"unknown coding", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 501},
		{"version", "GET / HTTP/2.0\r\nHost: x\r\n\r\n", 505},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := srvRaw(t, addr, tt.req+"GET /next HTTP/1.1\r\nHost: x\r\n\r\n")
			want := "HTTP/1.1 " + strconv.Itoa(tt.status) + " "
			if !strings.HasPrefix(got, want) {
				t.Fatalf("got %q, want status %d", got, tt.status)
			}
			// Framing is in doubt: the connection closes after the answer.
			if strings.Count(got, "HTTP/1.1 ") != 1 || !strings.Contains(got, "Connection: close\r\n") {
				t.Fatalf("connection not closed after the error: %q", got)
			}
		})
	}
	if n := handled.Load(); n != 0 {
		t.Fatalf("handler ran %d times for bad requests", n)
	}

	// ReadBufferSize bounds the header section too.
	addr = srvStart(t, &Server{Handler: echoIDs, ReadBufferSize: 1024, Logger: &srvLog{}}, "127.0.0.1")
	got := srvRaw(t, addr, "GET / HTTP/1.1\r\nHost: x\r\nX-Big: "+strings.Repeat("b", 1500)+"\r\n\r\n")
	if !strings.HasPrefix(got, "HTTP/1.1 431 ") {
		t.Fatalf("1.5 KB header with ReadBufferSize 1024: %q", got)
	}
	got = srvRaw(t, addr, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Small: "+strings.Repeat("b", 500)+"\r\n\r\n")
	if !strings.HasPrefix(got, "HTTP/1.1 200 ") {
		t.Fatalf("small header with ReadBufferSize 1024: %q", got)
	}
}

func TestServerErrorHandler(t *testing.T) {
	t.Parallel()
	var gotErr atomic.Value
	addr := srvStart(t, &Server{
		Handler: func(ctx *RequestCtx) {},
		ErrorHandler: func(ctx *RequestCtx, err error) {
			gotErr.Store(err)
			ctx.SetStatusCode(StatusTeapot)
			ctx.SetBodyString("custom: " + err.Error())
		},
		MaxRequestBodySize: 4,
	}, "127.0.0.1")
	got := srvRaw(t, addr, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello")
	if !strings.HasPrefix(got, "HTTP/1.1 418 ") || !strings.Contains(got, "Connection: close") ||
		!strings.HasSuffix(got, "custom: "+ErrBodyTooLarge.Error()) {
		t.Fatalf("got %q", got)
	}
	if err, _ := gotErr.Load().(error); !errors.Is(err, ErrBodyTooLarge) {
		t.Fatalf("ErrorHandler got %v", err)
	}

	// A panicking ErrorHandler falls back to the default answer.
	addr = srvStart(t, &Server{
		Handler:      func(ctx *RequestCtx) {},
		ErrorHandler: func(ctx *RequestCtx, err error) { panic("broken error handler") },
		Logger:       &srvLog{},
	}, "127.0.0.1")
	got = srvRaw(t, addr, "GET / HTTP/1.1\r\n\r\n")
	if !strings.HasPrefix(got, "HTTP/1.1 400 ") {
		t.Fatalf("got %q", got)
	}
}

func TestServerGetOnly(t *testing.T) {
	t.Parallel()
	var handled atomic.Int32
	addr := srvStart(t, &Server{GetOnly: true, Handler: func(ctx *RequestCtx) {
		handled.Add(1)
		ctx.WriteString("ok")
	}}, "127.0.0.1")
	got := srvRaw(t, addr, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi")
	if !strings.HasPrefix(got, "HTTP/1.1 405 ") || !strings.Contains(got, "\r\nAllow: GET, HEAD\r\n") {
		t.Fatalf("got %q", got)
	}
	if handled.Load() != 0 {
		t.Fatal("handler ran for POST")
	}
	got = srvRaw(t, addr, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
	if !strings.HasSuffix(got, "\r\n\r\nok") {
		t.Fatalf("GET refused: %q", got)
	}
}

func TestServerPanicRecovered(t *testing.T) {
	t.Parallel()
	log := &srvLog{}
	addr := srvStart(t, &Server{Logger: log, Handler: func(ctx *RequestCtx) {
		if string(ctx.Path()) == "/panic" {
			ctx.Hijack(func(net.Conn) {})
			panic("boom")
		}
		ctx.WriteString("fine")
	}}, "127.0.0.1")
	got := srvRaw(t, addr, "GET /panic HTTP/1.1\r\nHost: x\r\n\r\nGET /next HTTP/1.1\r\nHost: x\r\n\r\n")
	if !strings.HasPrefix(got, "HTTP/1.1 500 ") || strings.Count(got, "HTTP/1.1") != 1 || !strings.Contains(got, "Connection: close") {
		t.Fatalf("got %q", got)
	}
	if log.count("boom") != 1 || log.count("/panic") != 1 {
		t.Fatalf("panic not logged with its request: %q", log.all())
	}
	// The server goes on serving.
	if got := srvRaw(t, addr, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"); !strings.HasSuffix(got, "fine") {
		t.Fatalf("got %q", got)
	}
}

func TestServerSecureErrorLogMessage(t *testing.T) {
	t.Parallel()
	log := &srvLog{}
	addr := srvStart(t, &Server{Logger: log, SecureErrorLogMessage: true, Handler: func(ctx *RequestCtx) {
		panic("boom")
	}}, "127.0.0.1")
	srvRaw(t, addr, "GET /secret-token HTTP/1.1\r\nHost: x\r\n\r\n")
	if log.count("boom") != 1 || log.count("secret-token") != 0 {
		t.Fatalf("log: %q", log.all())
	}
}

func TestServerLogAllErrors(t *testing.T) {
	t.Parallel()
	for _, all := range []bool{false, true} {
		log := &srvLog{}
		addr := srvStart(t, &Server{Logger: log, LogAllErrors: all, Handler: func(ctx *RequestCtx) {}}, "127.0.0.1")
		srvRaw(t, addr, "GET / HTTP/1.1\r\n\r\n") // no Host: 400
		if all {
			srvEventually(t, "the parse error to be logged", func() bool { return log.count("error when serving connection") == 1 })
		} else {
			time.Sleep(50 * time.Millisecond)
			if n := len(log.all()); n != 0 {
				t.Fatalf("a client error was logged without LogAllErrors: %q", log.all())
			}
		}
	}
}

func TestServerNameAndDefaultHeaders(t *testing.T) {
	t.Parallel()
	h := func(ctx *RequestCtx) { ctx.WriteString("b") }
	got := srvRaw(t, srvStart(t, &Server{Handler: h, Name: "unit/1"}, "127.0.0.1"), "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
	for _, want := range []string{"\r\nServer: unit/1\r\n", "\r\nDate: ", "\r\nContent-Type: text/plain; charset=utf-8\r\n"} {
		if !strings.Contains(got, want) {
			t.Fatalf("missing %q in %q", want, got)
		}
	}
	got = srvRaw(t, srvStart(t, &Server{Handler: h, NoDefaultServerHeader: true, NoDefaultDate: true, NoDefaultContentType: true}, "127.0.0.1"),
		"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
	for _, bad := range []string{"Server:", "Date:", "Content-Type:"} {
		if strings.Contains(got, bad) {
			t.Fatalf("%q sent despite NoDefault*: %q", bad, got)
		}
	}
	got = srvRaw(t, srvStart(t, &Server{NoDefaultServerHeader: true, Handler: func(ctx *RequestCtx) {
		ctx.Response.Header.Set("Server", "mine")
	}}, "127.0.0.1"), "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
	if !strings.Contains(got, "\r\nServer: mine\r\n") {
		t.Fatalf("handler's Server field dropped: %q", got)
	}
}

func TestServerDisableHeaderNamesNormalizing(t *testing.T) {
	t.Parallel()
	h := func(ctx *RequestCtx) {
		ctx.Request.Header.VisitAll(func(k, v []byte) {
			if strings.EqualFold(string(k), "x-my-field") {
				ctx.WriteString(string(k))
			}
		})
		ctx.Response.Header.Set("x-answer-field", "1")
	}
	req := "GET / HTTP/1.1\r\nHost: x\r\nx-MY-field: 1\r\nConnection: close\r\n\r\n"
	got := srvRaw(t, srvStart(t, &Server{Handler: h, DisableHeaderNamesNormalizing: true}, "127.0.0.1"), req)
	if !strings.HasSuffix(got, "x-MY-field") || !strings.Contains(got, "\r\nx-answer-field: 1\r\n") {
		t.Fatalf("names normalized despite DisableHeaderNamesNormalizing: %q", got)
	}
	got = srvRaw(t, srvStart(t, &Server{Handler: h}, "127.0.0.1"), req)
	if !strings.HasSuffix(got, "X-My-Field") || !strings.Contains(got, "\r\nX-Answer-Field: 1\r\n") {
		t.Fatalf("names not normalized: %q", got)
	}
}

func TestServerConnStateTransitions(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	states := map[net.Conn][]ConnState{}
	s := &Server{Handler: echoIDs, ConnState: func(c net.Conn, st ConnState) {
		mu.Lock()
		states[c] = append(states[c], st)
		mu.Unlock()
	}}
	addr := srvStart(t, s, "127.0.0.1")
	c := srvDial(t, addr)
	br := bufio.NewReader(c)
	for i := 0; i < 2; i++ {
		io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
		srvReadResponse(t, br, "GET")
	}
	c.Close()
	srvEventually(t, "StateClosed", func() bool {
		mu.Lock()
		defer mu.Unlock()
		for _, v := range states {
			return len(v) > 0 && v[len(v)-1] == StateClosed
		}
		return false
	})
	mu.Lock()
	defer mu.Unlock()
	if len(states) != 1 {
		t.Fatalf("states reported for %d connections, want 1", len(states))
	}
	for _, v := range states {
		want := []ConnState{StateNew, StateActive, StateIdle, StateActive, StateIdle, StateClosed}
		if fmt.Sprint(v) != fmt.Sprint(want) {
			t.Fatalf("transitions %v, want %v", v, want)
		}
	}
	if StateHijacked.String() != "hijacked" || ConnState(42).String() != "unknown" {
		t.Fatal("ConnState.String")
	}
}

func TestServerStreamRequestBody(t *testing.T) {
	t.Parallel()
	addr := srvStart(t, &Server{
		StreamRequestBody:  true,
		MaxRequestBodySize: 1 << 10,
		Handler: func(ctx *RequestCtx) {
			r := ctx.RequestBodyStream()
			if r == nil {
				ctx.WriteString("no stream")
				return
			}
			n, err := io.Copy(io.Discard, r)
			fmt.Fprintf(ctx, "%d %v", n, err)
		},
	}, "127.0.0.1")
	body := strings.Repeat("s", 64<<10) // over MaxRequestBodySize: streamed, not refused
	c := srvDial(t, addr)
	br := bufio.NewReader(c)
	go io.WriteString(c, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: "+strconv.Itoa(len(body))+"\r\n\r\n"+body+
		"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n")
	if _, got := srvReadResponse(t, br, "POST"); got != "65536 <nil>" {
		t.Fatalf("first body: %q", got)
	}
	if _, got := srvReadResponse(t, br, "POST"); got != "3 <nil>" {
		t.Fatalf("second (chunked) body: %q", got)
	}
}

func TestServerStreamRequestBodyUnreadRest(t *testing.T) {
	t.Parallel()
	addr := srvStart(t, &Server{StreamRequestBody: true, Handler: func(ctx *RequestCtx) {
		b := make([]byte, 2)
		io.ReadFull(ctx.RequestBodyStream(), b)
		ctx.Write(b)
	}}, "127.0.0.1")
	// The handler reads 2 bytes of 10; the rest is skipped and the next
	// request on the connection is read intact.
	got := srvRaw(t, addr, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n0123456789"+
		"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close\r\n\r\nzz")
	if !strings.Contains(got, "\r\n\r\n01HTTP/1.1 200") || !strings.HasSuffix(got, "zz") {
		t.Fatalf("got %q", got)
	}
}

func TestServerReduceMemoryUsage(t *testing.T) {
	t.Parallel()
	addr := srvStart(t, &Server{Handler: echoIDs, ReduceMemoryUsage: true, ReadTimeout: time.Second}, "127.0.0.1")
	c := srvDial(t, addr)
	br := bufio.NewReader(c)
	// Pipelined, then one at a time with idle waits in between, then a
	// request whose first byte arrives alone.
	io.WriteString(c, strings.Repeat("GET /p HTTP/1.1\r\nHost: x\r\n\r\n", 3))
	for i := 1; i <= 3; i++ {
		if _, body := srvReadResponse(t, br, "GET"); !strings.HasSuffix(body, fmt.Sprintf("%d /p", i)) {
			t.Fatalf("pipelined %d: %q", i, body)
		}
	}
	for i := 4; i <= 5; i++ {
		time.Sleep(20 * time.Millisecond)
		io.WriteString(c, "G")
		time.Sleep(20 * time.Millisecond)
		io.WriteString(c, "ET /i HTTP/1.1\r\nHost: x\r\n\r\n")
		if _, body := srvReadResponse(t, br, "GET"); !strings.HasSuffix(body, fmt.Sprintf("%d /i", i)) {
			t.Fatalf("request %d: %q", i, body)
		}
	}
}

// TestServerReduceMemoryUsageIdleBuffers checks that idle connections give
// their buffers back: with large buffers, the heap held by many idle
// connections must be far smaller than with the setting off.
func TestServerReduceMemoryUsageIdleBuffers(t *testing.T) {
	// Not parallel: it measures the heap.
	const conns, bufSize = 64, 256 << 10
	held := func(reduce bool) int64 {
		var idle atomic.Int32
		s := &Server{Handler: echoIDs, ReduceMemoryUsage: reduce, ReadBufferSize: bufSize, WriteBufferSize: bufSize,
			ConnState: func(c net.Conn, st ConnState) {
				if st == StateIdle {
					idle.Add(1)
				}
			}}
		ln := srvListen(t, "127.0.0.1")
		done := make(chan error, 1)
		go func() { done <- s.Serve(ln) }()
		defer func() { s.Shutdown(); srvRecv(t, done, "Serve to return") }()
		cs := make([]net.Conn, conns)
		for i := range cs {
			c, err := net.Dial("tcp", ln.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			c.SetDeadline(time.Now().Add(srvWait))
			io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
			http.ReadResponse(bufio.NewReader(c), nil)
			cs[i] = c
		}
		srvEventually(t, "idle connections", func() bool { return idle.Load() == conns })
		time.Sleep(10 * time.Millisecond) // the release follows the state change
		var ms runtime.MemStats
		runtime.GC()
		runtime.GC()
		runtime.ReadMemStats(&ms)
		return int64(ms.HeapAlloc)
	}
	base := held(false)
	reduced := held(true)
	if want := int64(conns * bufSize); base-reduced < want {
		t.Fatalf("idle connections hold %d bytes with ReduceMemoryUsage vs %d without; want at least %d less", reduced, base, want)
	}
}

func TestServerTCPKeepalive(t *testing.T) {
	t.Parallel()
	if !srvHasKeepaliveProbe {
		t.Skip("socket options not inspectable on this platform")
	}
	type opts struct {
		on   bool
		idle int
	}
	got := make(chan opts, 1)
	h := func(ctx *RequestCtx) {
		on, idle := srvKeepaliveOf(t, ctx.Conn())
		got <- opts{on, idle}
	}
	// The listener turns probes off so that the server's setting shows.
	lc := net.ListenConfig{KeepAlive: -1}
	for _, enable := range []bool{false, true} {
		ln, err := lc.Listen(t.Context(), "tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		srvServe(t, &Server{Handler: h, TCPKeepalive: enable, TCPKeepalivePeriod: 37 * time.Second, MaxConnsPerIP: 5}, ln)
		srvRaw(t, ln.Addr().String(), "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
		o := srvRecv(t, got, "the socket options")
		if o.on != enable || (enable && o.idle != 37) {
			t.Fatalf("TCPKeepalive=%v: SO_KEEPALIVE=%v idle=%ds", enable, o.on, o.idle)
		}
	}
}

func TestServerListenAndServeUNIX(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "s.sock")
	s := &Server{Handler: echoIDs, MaxConnsPerIP: 1}
	errc := make(chan error, 1)
	go func() { errc <- s.ListenAndServeUNIX(path, 0o600) }()
	var c1, c2 net.Conn
	srvEventually(t, "the unix socket", func() bool {
		var err error
		c1, err = net.Dial("unix", path)
		return err == nil
	})
	defer c1.Close()
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("socket mode: %v %v", fi.Mode(), err)
	}
	// Unix connections carry no IP: MaxConnsPerIP does not apply.
	c2, err = net.Dial("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	for _, c := range []net.Conn{c1, c2} {
		c.SetDeadline(time.Now().Add(srvWait))
		io.WriteString(c, "GET /u HTTP/1.1\r\nHost: x\r\n\r\n")
		if resp, body := srvReadResponse(t, bufio.NewReader(c), "GET"); resp.StatusCode != 200 || !strings.HasSuffix(body, "/u") {
			t.Fatalf("%d %q", resp.StatusCode, body)
		}
	}
	if err := s.Shutdown(); err != nil {
		t.Fatal(err)
	}
	if err := srvRecv(t, errc, "the server to return"); err != nil {
		t.Fatalf("ListenAndServeUNIX: %v", err)
	}
}

func TestServeConnDirect(t *testing.T) {
	t.Parallel()
	ln := srvListen(t, "127.0.0.1")
	defer ln.Close()
	var states []ConnState
	s := &Server{Handler: echoIDs, ConnState: func(c net.Conn, st ConnState) { states = append(states, st) }}
	errc := make(chan error, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			errc <- err
			return
		}
		errc <- s.ServeConn(c)
	}()
	got := srvRaw(t, ln.Addr().String(), "GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
	if !strings.Contains(got, "1 /a") || !strings.HasSuffix(got, "2 /b") {
		t.Fatalf("got %q", got)
	}
	if err := srvRecv(t, errc, "the server to return"); err != nil {
		t.Fatalf("ServeConn: %v", err)
	}
	// Pipelined requests: the connection never waited, so never idled.
	if fmt.Sprint(states) != fmt.Sprint([]ConnState{StateNew, StateActive, StateClosed}) {
		t.Fatalf("states %v", states)
	}
}

func TestServerPackageLevelHelpers(t *testing.T) {
	t.Parallel()
	h := func(ctx *RequestCtx) { ctx.WriteString("pkg") }

	ln := srvListen(t, "127.0.0.1")
	go Serve(ln, h)
	if got := srvRaw(t, ln.Addr().String(), "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"); !strings.HasSuffix(got, "pkg") {
		t.Fatalf("Serve: %q", got)
	}
	ln.Close()

	ln = srvListen(t, "127.0.0.1")
	go func() {
		c, err := ln.Accept()
		if err == nil {
			ServeConn(c, h)
		}
	}()
	if got := srvRaw(t, ln.Addr().String(), "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"); !strings.HasSuffix(got, "pkg") {
		t.Fatalf("ServeConn: %q", got)
	}
	ln.Close()

	// ListenAndServe binds the address it is given.
	addr := srvFreeAddr(t)
	go ListenAndServe(addr, h)
	var got string
	srvEventually(t, "ListenAndServe", func() bool {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			return false
		}
		c.Close()
		return true
	})
	got = srvRaw(t, addr, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
	if !strings.HasSuffix(got, "pkg") {
		t.Fatalf("ListenAndServe: %q", got)
	}

	path := filepath.Join(t.TempDir(), "p.sock")
	go ListenAndServeUNIX(path, 0o666, h)
	srvEventually(t, "ListenAndServeUNIX", func() bool {
		c, err := net.Dial("unix", path)
		if err != nil {
			return false
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(srvWait))
		io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
		b, _ := io.ReadAll(c)
		return strings.HasSuffix(string(b), "pkg")
	})
}

// srvFreeAddr returns a loopback address with a port that was free a
// moment ago, for the ListenAndServe* functions that bind it themselves.
func srvFreeAddr(t testing.TB) string {
	ln := srvListen(t, "127.0.0.1")
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

func TestServerWithCurl(t *testing.T) {
	t.Parallel()
	curl, err := exec.LookPath("curl")
	if err != nil {
		t.Skip("curl not installed")
	}
	for _, host := range srvLoopbacks(t) {
		addr := srvStart(t, &Server{Handler: func(ctx *RequestCtx) {
			fmt.Fprintf(ctx, "%d %s %s|", ctx.ConnRequestNum(), ctx.Method(), ctx.PostBody())
		}}, host)
		url := srvURL("http", addr, "/x")
		// Two URLs on one curl run share the keep-alive connection.
		out, err := exec.Command(curl, "-sS", "--max-time", "5", url, "-d", "hi", url).CombinedOutput()
		if err != nil || string(out) != "1 POST hi|2 POST hi|" {
			t.Fatalf("curl on %s: %v %q", host, err, out)
		}
		out, err = exec.Command(curl, "-sS", "--max-time", "5", "--http1.0", url).CombinedOutput()
		if err != nil || string(out) != "1 GET |" {
			t.Fatalf("curl --http1.0 on %s: %v %q", host, err, out)
		}
	}
}

// scriptConn feeds the same request a number of times, one Read each (so
// the server waits for every request as on a keep-alive connection), and
// drops what the server writes.
type scriptConn struct {
	req   []byte
	left  int
	off   int
	laddr net.TCPAddr
}

func (c *scriptConn) Read(p []byte) (int, error) {
	if c.left == 0 {
		return 0, io.EOF
	}
	n := copy(p, c.req[c.off:])
	c.off += n
	if c.off == len(c.req) {
		c.off = 0
		c.left--
	}
	return n, nil
}

func (c *scriptConn) Write(p []byte) (int, error)        { return len(p), nil }
func (c *scriptConn) Close() error                       { return nil }
func (c *scriptConn) LocalAddr() net.Addr                { return &c.laddr }
func (c *scriptConn) RemoteAddr() net.Addr               { return &c.laddr }
func (c *scriptConn) SetDeadline(t time.Time) error      { return nil }
func (c *scriptConn) SetReadDeadline(t time.Time) error  { return nil }
func (c *scriptConn) SetWriteDeadline(t time.Time) error { return nil }

// TestServerLoopDoesNotAllocate checks the request loop, keep-alive and
// idle waits included, in the default and ReduceMemoryUsage modes.
func TestServerLoopDoesNotAllocate(t *testing.T) {
	if srvRaceEnabled {
		t.Skip("sync.Pool drops items under the race detector")
	}
	const perConn = 100
	req := []byte("GET /a?b=c HTTP/1.1\r\nHost: x\r\nUser-Agent: t\r\n\r\n")
	for _, reduce := range []bool{false, true} {
		s := &Server{ReduceMemoryUsage: reduce, ReadTimeout: time.Minute, WriteTimeout: time.Minute, Handler: func(ctx *RequestCtx) {
			ctx.Write(ctx.QueryArgs().Peek("b"))
		}}
		c := &scriptConn{req: req}
		allocs := testing.AllocsPerRun(20, func() {
			c.left = perConn
			if err := s.ServeConn(c); err != nil {
				t.Fatal(err)
			}
		})
		if allocs/perConn > 0.05 {
			t.Fatalf("ReduceMemoryUsage=%v: %.1f allocations per connection of %d requests", reduce, allocs, perConn)
		}
	}
}

// TestServerBodyTooLargeWithCurl checks that a client still uploading an
// oversized body reads the 413 instead of losing it to a reset.
func TestServerBodyTooLargeWithCurl(t *testing.T) {
	t.Parallel()
	curl, err := exec.LookPath("curl")
	if err != nil {
		t.Skip("curl not installed")
	}
	body := filepath.Join(t.TempDir(), "body")
	if err := os.WriteFile(body, make([]byte, 8<<20), 0o600); err != nil {
		t.Fatal(err)
	}
	addr := srvStart(t, &Server{MaxRequestBodySize: 1000, Handler: func(ctx *RequestCtx) {}}, "127.0.0.1")
	for _, extra := range [][]string{nil, {"-H", "Transfer-Encoding: chunked"}, {"-H", "Expect:"}} {
		args := append([]string{"-sS", "--max-time", "5", "-o", "/dev/null", "-w", "%{http_code}", "--data-binary", "@" + body}, extra...)
		out, err := exec.Command(curl, append(args, srvURL("http", addr, "/"))...).CombinedOutput()
		if err != nil || string(out) != "413" {
			t.Errorf("curl %v: %v %q", extra, err, out)
		}
	}
}

// With header names kept as received, a lower-case "expect" still gets its
// 100 Continue before the client sends the body.
func TestServerExpectContinueWithoutNormalizing(t *testing.T) {
	s := &Server{DisableHeaderNamesNormalizing: true, Handler: func(ctx *RequestCtx) {
		ctx.SetBody(ctx.PostBody())
	}}
	addr := srvStart(t, s, "127.0.0.1")
	c := srvDial(t, addr)
	if _, err := io.WriteString(c, "POST / HTTP/1.1\r\nhost: a\r\nexpect: 100-continue\r\ncontent-length: 5\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(c)
	line, err := br.ReadString('\n')
	if err != nil || line != "HTTP/1.1 100 Continue\r\n" {
		t.Fatalf("got %q, %v; want 100 Continue before the body", line, err)
	}
	if _, err := br.ReadString('\n'); err != nil {
		t.Fatal(err)
	}
	if _, err := io.WriteString(c, "hello"); err != nil {
		t.Fatal(err)
	}
	resp, body := srvReadResponse(t, br, MethodPost)
	if resp.StatusCode != StatusOK || body != "hello" {
		t.Fatalf("got %d %q", resp.StatusCode, body)
	}
}
