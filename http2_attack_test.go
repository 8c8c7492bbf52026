package fasthttp

import (
	"bytes"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/net/http2"
	"golang.org/x/net/http2/hpack"
)

// The known attacks on HTTP/2 servers, each made against this one.

// h2tWatch reads every frame of r in the background and reports the
// first GOAWAY and when the connection ended.
type h2tWatch struct {
	mu     sync.Mutex
	goAway *http2.GoAwayFrame
	rsts   map[http2.ErrCode]int
	done   chan struct{}
}

func h2tWatchConn(r *h2tRaw) *h2tWatch {
	w := &h2tWatch{rsts: map[http2.ErrCode]int{}, done: make(chan struct{})}
	go func() {
		defer close(w.done)
		for {
			f, err := r.fr.ReadFrame()
			if err != nil {
				return
			}
			w.mu.Lock()
			switch f := f.(type) {
			case *http2.GoAwayFrame:
				if w.goAway == nil {
					w.goAway = f
				}
			case *http2.RSTStreamFrame:
				w.rsts[f.ErrCode]++
			}
			w.mu.Unlock()
		}
	}()
	return w
}

// ended waits for the connection to end and returns the GOAWAY code sent
// before (or ErrCode(0xff) for none).
func (w *h2tWatch) ended(t *testing.T) http2.ErrCode {
	t.Helper()
	select {
	case <-w.done:
	case <-time.After(srvWait):
		t.Fatalf("the server did not close the connection")
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.goAway == nil {
		return 0xff
	}
	return w.goAway.ErrCode
}

// Rapid reset (CVE-2023-44487): streams opened and reset at once. The
// handlers of reset streams still count against MaxConcurrentStreams, and
// the resets and refused streams exhaust the connection's control budget.
func TestHTTP2RapidReset(t *testing.T) {
	t.Parallel()
	var running, peak, calls atomic.Int32
	release := make(chan struct{})
	s := &Server{Handler: func(ctx *RequestCtx) {
		calls.Add(1)
		n := running.Add(1)
		for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
		}
		<-release
		running.Add(-1)
	}}
	ts := h2tStart(t, s, &HTTP2Config{MaxConcurrentStreams: 10}, false)
	defer close(release)
	r := h2tDial(t, ts)
	w := h2tWatchConn(r)
	block := r.request("GET", "/")
	for i := uint32(0); i < 5000; i++ {
		id := 2*i + 1
		if r.fr.WriteHeaders(http2.HeadersFrameParam{StreamID: id, BlockFragment: block, EndStream: true, EndHeaders: true}) != nil ||
			r.fr.WriteRSTStream(id, http2.ErrCodeCancel) != nil {
			break
		}
	}
	if code := w.ended(t); code != http2.ErrCodeEnhanceYourCalm {
		t.Errorf("GOAWAY %v, want ENHANCE_YOUR_CALM", code)
	}
	if p, n := peak.Load(), calls.Load(); p > 10 || n > 10 {
		t.Errorf("%d handlers ran (%d at once) for reset streams; MaxConcurrentStreams is 10", n, p)
	}
}

// CONTINUATION flood (CVE-2024-27316 and kin): a header block that never
// ends, in many tiny frames or in endless bytes.
func TestHTTP2ContinuationFlood(t *testing.T) {
	t.Parallel()
	s := &Server{Handler: func(ctx *RequestCtx) {}}
	ts := h2tStart(t, s, nil, false)
	t.Run("empty frames", func(t *testing.T) {
		r := h2tDial(t, ts)
		w := h2tWatchConn(r)
		_ = r.fr.WriteHeaders(http2.HeadersFrameParam{StreamID: 1, BlockFragment: r.request("GET", "/")})
		for i := 0; i < 5000; i++ {
			if r.fr.WriteContinuation(1, false, nil) != nil {
				break
			}
		}
		if code := w.ended(t); code != http2.ErrCodeEnhanceYourCalm {
			t.Errorf("GOAWAY %v, want ENHANCE_YOUR_CALM", code)
		}
	})
	t.Run("endless fields", func(t *testing.T) {
		r := h2tDial(t, ts)
		w := h2tWatchConn(r)
		_ = r.fr.WriteHeaders(http2.HeadersFrameParam{StreamID: 1, BlockFragment: r.request("GET", "/")})
		// Valid fields, never indexed, 16 KiB per frame.
		var buf bytes.Buffer
		enc := hpack.NewEncoder(&buf)
		for buf.Len() < 16000 {
			_ = enc.WriteField(hpack.HeaderField{Name: "x-flood", Value: strings.Repeat("f", 100), Sensitive: true})
		}
		frag := buf.Bytes()
		for i := 0; i < 1000; i++ {
			if r.fr.WriteContinuation(1, false, frag) != nil {
				break
			}
		}
		if code := w.ended(t); code != http2.ErrCodeEnhanceYourCalm {
			t.Errorf("GOAWAY %v, want ENHANCE_YOUR_CALM", code)
		}
	})
}

// HPACK bomb: one large field in the dynamic table, referred to by one-byte
// indexes until the decoded list would be megabytes. The header limit
// stops it (431) with no more than the limit stored, and the connection
// stays in step.
func TestHTTP2HPACKBomb(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	s := &Server{Handler: func(ctx *RequestCtx) { calls.Add(1); ctx.SetBodyString("ok") }}
	ts := h2tStart(t, s, nil, false)
	r := h2tDial(t, ts)
	r.eb.Reset()
	for _, f := range [][2]string{{":method", "GET"}, {":scheme", "http"}, {":path", "/"}} {
		_ = r.enc.WriteField(hpack.HeaderField{Name: f[0], Value: f[1]})
	}
	bomb := hpack.HeaderField{Name: "x-bomb", Value: strings.Repeat("b", 4000)}
	for i := 0; i < 1000; i++ { // 4 MB decoded, about 4 KB sent
		_ = r.enc.WriteField(bomb)
	}
	block := append([]byte(nil), r.eb.Bytes()...)
	if len(block) > 8000 {
		t.Fatalf("the bomb is %d bytes compressed", len(block))
	}
	r.headers(1, block, true)
	if resp := r.response(1); resp.status != "431" {
		t.Fatalf("HPACK bomb: %+v", resp)
	}
	r.headers(3, r.request("GET", "/"), true)
	if resp := r.response(3); resp.status != "200" {
		t.Errorf("after the bomb: %+v", resp)
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("handler ran %d times, want 1", n)
	}
}

// SETTINGS and PING floods: frames the server must answer, sent without
// end, exhaust the control budget.
func TestHTTP2ControlFloods(t *testing.T) {
	t.Parallel()
	s := &Server{Handler: func(ctx *RequestCtx) {}}
	ts := h2tStart(t, s, &HTTP2Config{MaxControlFramesPerSecond: 200}, false)
	for name, send := range map[string]func(r *h2tRaw) error{
		"SETTINGS": func(r *h2tRaw) error { return r.fr.WriteSettings(http2.Setting{ID: http2.SettingEnablePush, Val: 0}) },
		"PING":     func(r *h2tRaw) error { return r.fr.WritePing(false, [8]byte{}) },
		"PRIORITY": func(r *h2tRaw) error {
			return r.fr.WritePriority(1, http2.PriorityParam{StreamDep: 0, Weight: 1})
		},
		"empty DATA": func(r *h2tRaw) error { return r.fr.WriteData(1, false, nil) },
	} {
		t.Run(name, func(t *testing.T) {
			r := h2tDial(t, ts)
			w := h2tWatchConn(r)
			if name == "empty DATA" {
				r.headers(1, r.request("POST", "/"), false)
			}
			for i := 0; i < 5000; i++ {
				if send(r) != nil {
					break
				}
			}
			if code := w.ended(t); code != http2.ErrCodeEnhanceYourCalm {
				t.Errorf("GOAWAY %v, want ENHANCE_YOUR_CALM", code)
			}
		})
	}
	// Within the budget, the same frames are served.
	r := h2tDial(t, ts)
	for i := 0; i < 50; i++ {
		_ = r.fr.WritePing(false, [8]byte{byte(i)})
	}
	r.headers(1, r.request("GET", "/"), true)
	if resp := r.response(1); resp.status != "200" {
		t.Errorf("50 PINGs: %+v", resp)
	}
}

// A client that opens no window (zero-window stall) cannot keep a handler
// past WriteTimeout: the stream is reset and its slot freed.
func TestHTTP2ZeroWindowStall(t *testing.T) {
	t.Parallel()
	var done atomic.Int32
	s := &Server{WriteTimeout: 200 * time.Millisecond, Handler: func(ctx *RequestCtx) {
		ctx.SetBodyString("a body that never fits a zero window")
		done.Add(1)
	}}
	ts := h2tStart(t, s, &HTTP2Config{MaxConcurrentStreams: 1}, false)
	r := h2tDial(t, ts, http2.Setting{ID: http2.SettingInitialWindowSize, Val: 0})
	start := time.Now()
	r.headers(1, r.request("GET", "/"), true)
	resp := r.response(1)
	if !resp.gotRST || resp.status != "200" {
		t.Fatalf("stalled stream: %+v", resp)
	}
	if d := time.Since(start); d < 150*time.Millisecond {
		t.Errorf("reset after %v, before WriteTimeout", d)
	}
	// The only stream slot is free again, as soon as the handler is done
	// (the client may see the reset a moment before: REFUSED_STREAM is
	// retried, as clients do).
	_ = r.fr.WriteSettings(http2.Setting{ID: http2.SettingInitialWindowSize, Val: 65535})
	for id := uint32(3); ; id += 2 {
		r.headers(id, r.request("GET", "/"), true)
		resp := r.response(id)
		if resp.gotRST && resp.rst == http2.ErrCodeRefusedStream && id < 99 {
			time.Sleep(time.Millisecond)
			continue
		}
		if resp.status != "200" || resp.gotRST {
			t.Errorf("next stream: %+v", resp)
		}
		break
	}
}

// A client that stops reading the socket (slow read) cannot keep the
// connection past WriteTimeout.
func TestHTTP2SlowRead(t *testing.T) {
	t.Parallel()
	big := bytes.Repeat([]byte("x"), 8<<20)
	s := &Server{WriteTimeout: 200 * time.Millisecond, Handler: func(ctx *RequestCtx) { ctx.SetBody(big) }}
	ts := h2tStart(t, s, &HTTP2Config{}, false)
	r := h2tDial(t, ts, http2.Setting{ID: http2.SettingInitialWindowSize, Val: 1<<31 - 1})
	_ = r.fr.WriteWindowUpdate(0, 1<<31-1-65535)
	r.headers(1, r.request("GET", "/"), true)
	// Never read: the socket buffers fill and the server's writes stall.
	srvEventually(t, "the server to drop the connection", func() bool {
		ts.e.mu.Lock()
		defer ts.e.mu.Unlock()
		return len(ts.e.conns) == 0
	})
}

// MaxConcurrentStreams per connection and MaxStreamsPerIP across them:
// streams over either budget are refused, and served once slots free.
func TestHTTP2StreamBudgets(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	started := make(chan struct{}, 16)
	s := &Server{Handler: func(ctx *RequestCtx) {
		if string(ctx.Path()) == "/block" {
			started <- struct{}{}
			<-release
		}
		ctx.SetBodyString("ok")
	}}
	ts := h2tStart(t, s, &HTTP2Config{MaxConcurrentStreams: 2, MaxStreamsPerIP: 3}, false)
	a := h2tDial(t, ts)
	a.headers(1, a.request("GET", "/block"), true)
	a.headers(3, a.request("GET", "/block"), true)
	<-started
	<-started
	a.headers(5, a.request("GET", "/"), true)
	a.expectStreamError(5, http2.ErrCodeRefusedStream)

	b := h2tDial(t, ts)
	b.headers(1, b.request("GET", "/block"), true)
	<-started
	b.headers(3, b.request("GET", "/"), true) // the IP's fourth stream
	b.expectStreamError(3, http2.ErrCodeRefusedStream)

	close(release)
	for _, id := range []uint32{1, 3} {
		if resp := a.response(id); resp.status != "200" {
			t.Errorf("a stream %d: %+v", id, resp)
		}
	}
	if resp := b.response(1); resp.status != "200" {
		t.Errorf("b stream 1: %+v", resp)
	}
	b.headers(5, b.request("GET", "/"), true)
	if resp := b.response(5); resp.status != "200" {
		t.Errorf("after release: %+v", resp)
	}
}

// Slow uploads and trickled header blocks are bounded by ReadTimeout.
func TestHTTP2ReadTimeouts(t *testing.T) {
	t.Parallel()
	t.Run("buffered body", func(t *testing.T) {
		t.Parallel()
		s := &Server{ReadTimeout: 150 * time.Millisecond, Handler: func(ctx *RequestCtx) {}}
		ts := h2tStart(t, s, nil, false)
		r := h2tDial(t, ts)
		r.headers(1, r.request("POST", "/", "content-length", "100"), false)
		r.data(1, []byte("part"), false)
		if resp := r.response(1); resp.status != "408" {
			t.Errorf("slow upload: %+v", resp)
		}
	})
	t.Run("streamed body", func(t *testing.T) {
		t.Parallel()
		readErr := make(chan error, 1)
		s := &Server{ReadTimeout: 150 * time.Millisecond, StreamRequestBody: true, Handler: func(ctx *RequestCtx) {
			_, err := io.ReadAll(ctx.RequestBodyStream())
			readErr <- err
		}}
		ts := h2tStart(t, s, nil, false)
		r := h2tDial(t, ts)
		r.headers(1, r.request("POST", "/"), false)
		r.data(1, []byte("part"), false)
		r.expectStreamError(1, http2.ErrCodeCancel)
		if err := srvRecv(t, readErr, "the handler's read"); err == nil {
			t.Errorf("the handler read a cut-off body without error")
		}
	})
	t.Run("header block", func(t *testing.T) {
		t.Parallel()
		s := &Server{ReadTimeout: 150 * time.Millisecond, Handler: func(ctx *RequestCtx) {}}
		ts := h2tStart(t, s, nil, false)
		r := h2tDial(t, ts)
		block := r.request("GET", "/")
		_ = r.fr.WriteHeaders(http2.HeadersFrameParam{StreamID: 1, BlockFragment: block[:2]})
		r.expectGoAway(http2.ErrCodeEnhanceYourCalm)
	})
}
