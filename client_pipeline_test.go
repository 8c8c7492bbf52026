package fasthttp

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

var quietLogger = log.New(io.Discard, "", 0)

func TestPipelineClientConcurrentRequests(t *testing.T) {
	t.Parallel()
	ts := startServer(t, func(ctx *RequestCtx) {
		ctx.SetBody(ctx.Path())
		ctx.Response.Header.Set("X-Method", string(ctx.Method()))
	})
	pc := &PipelineClient{Addr: ts.addr, Logger: quietLogger}
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for g := 0; g < 20; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			req := AcquireRequest()
			resp := AcquireResponse()
			defer ReleaseRequest(req)
			defer ReleaseResponse(resp)
			for i := 0; i < 25; i++ {
				path := fmt.Sprintf("/g%d/r%d", g, i)
				req.SetRequestURI("http://" + ts.addr + path)
				if err := pc.DoTimeout(req, resp, 5*time.Second); err != nil {
					errs <- err
					return
				}
				if string(resp.Body()) != path || string(resp.Header.Peek("X-Method")) != "GET" {
					errs <- fmt.Errorf("response %q for %s", resp.Body(), path)
					return
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if n := ts.accepts.Load(); n != 1 {
		t.Fatalf("%d connections, want 1 (MaxConns defaults to 1)", n)
	}
	if pc.PendingRequests() != 0 {
		t.Fatalf("%d pending after all returned", pc.PendingRequests())
	}
}

func TestPipelineClientPipelines(t *testing.T) {
	t.Parallel()
	// The server reads three requests before answering any: only a client
	// that pipelines gets answers.
	rs := startRawServer(t, func(c net.Conn) {
		br := bufio.NewReader(c)
		var paths []string
		for len(paths) < 3 {
			head, err := readRequestHead(br)
			if err != nil {
				return
			}
			paths = append(paths, strings.Fields(head)[1])
		}
		for _, p := range paths {
			fmt.Fprintf(c, "HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s", len(p), p)
		}
	})
	pc := &PipelineClient{Addr: rs.addr, MaxBatchDelay: 20 * time.Millisecond, Logger: quietLogger}
	var wg sync.WaitGroup
	var failures atomic.Int32
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			req := AcquireRequest()
			resp := AcquireResponse()
			path := fmt.Sprintf("/p%d", i)
			req.SetRequestURI("http://" + rs.addr + path)
			if err := pc.DoTimeout(req, resp, 3*time.Second); err != nil || string(resp.Body()) != path {
				t.Errorf("%s: %q %v", path, resp.Body(), err)
				failures.Add(1)
			}
		}(i)
	}
	wg.Wait()
	if failures.Load() == 0 && rs.accepts.Load() != 1 {
		t.Fatalf("%d connections, want 1", rs.accepts.Load())
	}
}

func TestPipelineClientTimeoutAndOverflow(t *testing.T) {
	t.Parallel()
	rs := hangServer(t, "")
	pc := &PipelineClient{Addr: rs.addr, MaxPendingRequests: 2, Logger: quietLogger}
	req := AcquireRequest()
	resp := AcquireResponse()
	req.SetRequestURI("http://" + rs.addr + "/")
	start := time.Now()
	err := pc.DoTimeout(req, resp, 100*time.Millisecond)
	assertTimeout(t, err, time.Since(start), 100*time.Millisecond)

	// Fill the queue with requests that never get answers.
	var wg sync.WaitGroup
	var overflows atomic.Int32
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req := AcquireRequest()
			resp := AcquireResponse()
			req.SetRequestURI("http://" + rs.addr + "/")
			if err := pc.DoTimeout(req, resp, 300*time.Millisecond); err == ErrPipelineOverflow {
				overflows.Add(1)
			} else if err != ErrTimeout {
				t.Errorf("got %v", err)
			}
		}()
	}
	wg.Wait()
	if overflows.Load() == 0 {
		t.Fatal("no ErrPipelineOverflow with 8 requests and a queue of 2")
	}
}

func TestPipelineClientServerClosesConnection(t *testing.T) {
	t.Parallel()
	// Three answers per connection, the last with Connection: close.
	rs := startRawServer(t, func(c net.Conn) {
		br := bufio.NewReader(c)
		for i := 0; i < 3; i++ {
			head, err := readRequestHead(br)
			if err != nil {
				return
			}
			p := strings.Fields(head)[1]
			closeHdr := ""
			if i == 2 {
				closeHdr = "Connection: close\r\n"
			}
			fmt.Fprintf(c, "HTTP/1.1 200 OK\r\n%sContent-Length: %d\r\n\r\n%s", closeHdr, len(p), p)
		}
	})
	pc := &PipelineClient{Addr: rs.addr, Logger: quietLogger}
	var wg sync.WaitGroup
	var failures atomic.Int32
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 5; i++ {
				req := AcquireRequest()
				resp := AcquireResponse()
				path := fmt.Sprintf("/g%d/%d", g, i)
				req.SetRequestURI("http://" + rs.addr + path)
				if err := pc.DoTimeout(req, resp, 5*time.Second); err != nil || string(resp.Body()) != path {
					t.Errorf("%s: %q %v", path, resp.Body(), err)
					failures.Add(1)
				}
				ReleaseRequest(req)
				ReleaseResponse(resp)
			}
		}(g)
	}
	wg.Wait()
	if failures.Load() > 0 {
		t.FailNow()
	}
	if n := rs.accepts.Load(); n < 7 {
		t.Fatalf("%d connections for 20 requests at 3 per connection", n)
	}
}

func TestPipelineClientDialFailure(t *testing.T) {
	t.Parallel()
	boom := errors.New("dial refused")
	pc := &PipelineClient{Addr: "nowhere.test:80", Logger: quietLogger,
		Dial: func(string) (net.Conn, error) { return nil, boom }}
	req := AcquireRequest()
	resp := AcquireResponse()
	req.SetRequestURI("http://nowhere.test/")
	start := time.Now()
	if err := pc.DoTimeout(req, resp, 2*time.Second); err != boom {
		t.Fatalf("got %v, want the dial error", err)
	}
	if time.Since(start) > time.Second {
		t.Fatal("dial failure was not reported promptly")
	}
}

func TestPipelineClientPostAndHead(t *testing.T) {
	t.Parallel()
	ts := startServer(t, func(ctx *RequestCtx) {
		ctx.SetBodyString(string(ctx.Method()) + ":" + string(ctx.PostBody()))
	})
	pc := &PipelineClient{Addr: ts.addr, Logger: quietLogger, MaxConns: 2}
	req := AcquireRequest()
	resp := AcquireResponse()
	req.Header.SetMethod(MethodPost)
	req.SetRequestURI("http://" + ts.addr + "/")
	req.SetBodyStream(strings.NewReader("streamed body"), -1)
	if err := pc.Do(req, resp); err != nil || string(resp.Body()) != "POST:streamed body" {
		t.Fatalf("POST: %q %v", resp.Body(), err)
	}
	req.Reset()
	req.Header.SetMethod(MethodHead)
	req.SetRequestURI("http://" + ts.addr + "/")
	if err := pc.Do(req, resp); err != nil || len(resp.Body()) != 0 || resp.Header.ContentLength() != len("HEAD:") {
		t.Fatalf("HEAD: %q cl=%d %v", resp.Body(), resp.Header.ContentLength(), err)
	}
	// A request that cannot be written safely is refused.
	req.Header.SetMethod("BAD METHOD")
	if err := pc.Do(req, resp); err == nil {
		t.Fatal("invalid method sent")
	}
}
