package fasthttp

import (
	"bufio"
	"errors"
	"net"
	"strings"
	"sync"
	"testing"

	"golang.org/x/net/http2"
)

// The engine's boundary with the handler surface, tested with a
// dispatcher of its own rather than RequestCtx: what phase B's responder
// seam will rely on.

// h2tDispatcher serves with plain functions, recording the calls.
type h2tDispatcher struct {
	mu     sync.Mutex
	begun  int
	ended  int
	check  func(st *h2Stream) error
	serve  func(st *h2Stream, resp *Response)
	checks []string
}

func (d *h2tDispatcher) h2Begin(st *h2Stream) *Request {
	d.mu.Lock()
	d.begun++
	d.mu.Unlock()
	req := AcquireRequest()
	st.user = req
	return req
}

func (d *h2tDispatcher) h2Check(st *h2Stream) error {
	d.mu.Lock()
	d.checks = append(d.checks, string(st.request().Header.RequestURI()))
	d.mu.Unlock()
	if d.check != nil {
		return d.check(st)
	}
	return nil
}

func (d *h2tDispatcher) h2Serve(st *h2Stream) {
	resp := AcquireResponse()
	defer ReleaseResponse(resp)
	if err := st.requestErr(); err != nil {
		resp.SetStatusCode(statusForError(err))
		_ = st.respond(resp)
		return
	}
	d.serve(st, resp)
}

func (d *h2tDispatcher) h2End(st *h2Stream) {
	d.mu.Lock()
	d.ended++
	d.mu.Unlock()
	ReleaseRequest(st.user.(*Request))
	st.user = nil
}

// h2tStartEngine serves d on 127.0.0.1:0 over h2c.
func h2tStartEngine(t *testing.T, d h2Dispatcher, o h2Options) *h2tServer {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ts := &h2tServer{ln: ln, addr: ln.Addr().String(), e: newH2Engine(o, d)}
	ts.wg.Add(1)
	go func() {
		defer ts.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			ts.wg.Add(1)
			go func() {
				defer ts.wg.Done()
				_ = ts.e.serveConn(c, nil)
			}()
		}
	}()
	t.Cleanup(func() {
		_ = ln.Close()
		ts.e.shutdown()
		ts.wg.Wait()
	})
	return ts
}

func TestHTTP2DispatcherBoundary(t *testing.T) {
	t.Parallel()
	d := &h2tDispatcher{}
	d.check = func(st *h2Stream) error {
		if string(st.request().Header.Peek("X-Refuse")) != "" {
			return errors.New("refused")
		}
		return nil
	}
	d.serve = func(st *h2Stream, resp *Response) {
		req := st.request()
		// An interim response first, as EarlyHints will send it.
		var hints ResponseHeader
		hints.Add("Link", "</a.css>; rel=preload")
		if err := st.writeInterim(StatusEarlyHints, &hints); err != nil {
			t.Errorf("interim: %v", err)
		}
		_ = resp.Header.SetTrailer("X-Done")
		resp.SetBodyStreamWriter(func(w *bufio.Writer) {
			w.WriteString(string(req.Header.Method()) + " " + string(req.Header.RequestURI()) + " " + string(req.Body()))
			_ = w.Flush()
			resp.Header.Set("X-Done", "yes") // a trailer set while streaming
		})
		if err := st.respond(resp); err != nil {
			t.Errorf("respond: %v", err)
		}
		if err := st.respond(resp); err != errH2Responded {
			t.Errorf("second respond: %v", err)
		}
	}
	o := (*HTTP2Config)(nil).options(h2ServerLimits{})
	ts := h2tStartEngine(t, d, o)
	r := h2tDial(t, ts)

	r.headers(1, r.request("POST", "/b?x=1", "content-length", "4"), false)
	r.data(1, []byte("body"), true)
	resp := r.response(1)
	if resp.status != "200" || string(resp.body) != "POST /b?x=1 body" || resp.trailer.Get("x-done") != "yes" ||
		len(resp.interim) != 1 || resp.interim[0] != "103" || resp.header.Get("link") != "" {
		t.Errorf("served: %+v", resp)
	}

	r.headers(3, r.request("GET", "/r", "x-refuse", "1"), true)
	if resp := r.response(3); resp.status != "400" {
		t.Errorf("refused by h2Check: %+v", resp)
	}
	// A malformed block: begun and ended, never checked nor served.
	r.headers(5, r.encode(":method", "GET"), true)
	r.expectStreamError(5, http2.ErrCodeProtocol)

	r.headers(7, r.request("GET", "/last"), true)
	r.response(7)
	srvEventually(t, "every stream to end", func() bool {
		d.mu.Lock()
		defer d.mu.Unlock()
		return d.begun == 4 && d.ended == 4
	})
	d.mu.Lock()
	if got := strings.Join(d.checks, ","); got != "/b?x=1,/r,/last" {
		t.Errorf("h2Check saw %s", got)
	}
	d.mu.Unlock()
}
