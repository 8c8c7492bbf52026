package fasthttp

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/net/http2"
)

// Protocol behaviour of the HTTP/2 server, driven frame by frame.

func TestHTTP2SettingsAdvertised(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		s    *Server
		cfg  *HTTP2Config
		want map[http2.SettingID]uint32
	}{
		{"defaults", &Server{}, nil, map[http2.SettingID]uint32{
			http2.SettingMaxConcurrentStreams: 100,
			http2.SettingInitialWindowSize:    256 << 10,
			http2.SettingMaxHeaderListSize:    8 << 10, // the server's header limit
		}},
		{"ReadBufferSize is the header limit", &Server{ReadBufferSize: 16 << 10}, &HTTP2Config{}, map[http2.SettingID]uint32{
			http2.SettingMaxHeaderListSize: 16 << 10,
		}},
		{"configured", &Server{}, &HTTP2Config{
			MaxConcurrentStreams: 7, InitialStreamWindowSize: 1 << 20, MaxHeaderListSize: 3000, MaxReadFrameSize: 1 << 20,
		}, map[http2.SettingID]uint32{
			http2.SettingMaxConcurrentStreams: 7,
			http2.SettingInitialWindowSize:    1 << 20,
			http2.SettingMaxHeaderListSize:    3000,
			http2.SettingMaxFrameSize:         1 << 20,
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.s.Handler = func(ctx *RequestCtx) {}
			ts := h2tStart(t, tc.s, tc.cfg, false)
			r := h2tDial(t, ts)
			for id, want := range tc.want {
				if got, ok := r.settings[id]; !ok || got != want {
					t.Errorf("%v = %d (sent: %v), want %d", id, got, ok, want)
				}
			}
			// The connection window is opened to 1 MiB at once.
			r.expect("connection WINDOW_UPDATE", func(f http2.Frame) (bool, bool) {
				if wu, ok := f.(*http2.WindowUpdateFrame); ok && wu.StreamID == 0 {
					return true, wu.Increment == 1<<20-65535
				}
				return false, false
			})
		})
	}
}

func TestHTTP2SettingsAckTimeout(t *testing.T) {
	t.Parallel()
	s := &Server{Handler: func(ctx *RequestCtx) {}}
	ts := h2tStart(t, s, &HTTP2Config{SettingsTimeout: 100 * time.Millisecond}, false)
	c, err := net.Dial("tcp", ts.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(srvWait))
	fr := http2.NewFramer(c, c)
	io.WriteString(c, http2.ClientPreface)
	_ = fr.WriteSettings()
	start := time.Now()
	for {
		f, err := fr.ReadFrame()
		if err != nil {
			t.Fatalf("connection ended without GOAWAY: %v", err)
		}
		if ga, ok := f.(*http2.GoAwayFrame); ok {
			if ga.ErrCode != http2.ErrCodeSettingsTimeout {
				t.Fatalf("GOAWAY %v, want SETTINGS_TIMEOUT", ga.ErrCode)
			}
			if d := time.Since(start); d < 90*time.Millisecond {
				t.Fatalf("SETTINGS timeout after %v", d)
			}
			return
		}
	}
}

func TestHTTP2MalformedRequests(t *testing.T) {
	t.Parallel()
	s := &Server{Handler: func(ctx *RequestCtx) { ctx.SetBodyString("ok") }}
	ts := h2tStart(t, s, nil, false)
	r := h2tDial(t, ts)
	base := []string{":method", "GET", ":scheme", "http", ":path", "/", ":authority", "a.example"}
	with := func(extra ...string) []string { return append(append([]string(nil), base...), extra...) }
	cases := []struct {
		name   string
		fields []string
	}{
		{"no :method", []string{":scheme", "http", ":path", "/"}},
		{"no :scheme", []string{":method", "GET", ":path", "/"}},
		{"no :path", []string{":method", "GET", ":scheme", "http"}},
		{"empty :path", []string{":method", "GET", ":scheme", "http", ":path", ""}},
		{"relative :path", []string{":method", "GET", ":scheme", "http", ":path", "x"}},
		{"* path without OPTIONS", []string{":method", "GET", ":scheme", "http", ":path", "*"}},
		{"duplicated :path", with(":path", "/")},
		{"unknown pseudo", with(":foo", "x")},
		{"response pseudo", with(":status", "200")},
		{"pseudo after regular", []string{":method", "GET", "x-a", "1", ":scheme", "http", ":path", "/"}},
		{"upper-case name", with("X-Upper", "1")},
		{"space in name", with("x a", "1")},
		{"connection", with("connection", "keep-alive")},
		{"keep-alive", with("keep-alive", "5")},
		{"proxy-connection", with("proxy-connection", "close")},
		{"transfer-encoding", with("transfer-encoding", "chunked")},
		{"upgrade", with("upgrade", "h2c")},
		{"te other than trailers", with("te", "gzip")},
		{"NUL in value", with("x-a", "a\x00b")},
		{"LF in value", with("x-a", "a\nb")},
		{"leading space in value", with("x-a", " a")},
		{"bad :authority", []string{":method", "GET", ":scheme", "http", ":path", "/", ":authority", "a b"}},
		{"host differs from :authority", with("host", "b.example")},
		{"CONNECT with :path", []string{":method", "CONNECT", ":authority", "a.example:443", ":path", "/"}},
		{"CONNECT without :authority", []string{":method", "CONNECT"}},
		{"bad method", []string{":method", "G T", ":scheme", "http", ":path", "/"}},
		{"bad content-length", with("content-length", "abc")},
	}
	id := uint32(1)
	for _, tc := range cases {
		r.headers(id, r.encode(tc.fields...), true)
		resp := r.response(id)
		if !resp.gotRST || resp.rst != http2.ErrCodeProtocol {
			t.Errorf("%s: got status %q, RST %v %v; want RST_STREAM PROTOCOL_ERROR", tc.name, resp.status, resp.gotRST, resp.rst)
		}
		id += 2
	}
	// The connection, HPACK state included, is still fine.
	for _, ok := range [][]string{
		with("te", "trailers", "host", "a.example"),
		{":method", "OPTIONS", ":scheme", "https", ":path", "*", ":authority", "a.example"},
		{":method", "GET", ":scheme", "http", ":path", "/"}, // no authority: allowed
	} {
		r.headers(id, r.encode(ok...), true)
		if resp := r.response(id); resp.status != "200" || string(resp.body) != "ok" {
			t.Errorf("valid request %v: %+v", ok, resp)
		}
		id += 2
	}
}

func TestHTTP2ContentLengthChecked(t *testing.T) {
	t.Parallel()
	var served atomic.Int32
	s := &Server{Handler: func(ctx *RequestCtx) { served.Add(1); ctx.SetBody(ctx.PostBody()) }}
	ts := h2tStart(t, s, nil, false)
	r := h2tDial(t, ts)
	for i, tc := range []struct {
		cl     string
		chunks []string
	}{
		{"5", []string{"abc"}},
		{"2", []string{"abc"}},
		{"4", []string{"ab", "cde"}},
		{"3", nil}, // END_STREAM on HEADERS with a length promised
	} {
		id := uint32(2*i + 1)
		end := len(tc.chunks) == 0
		r.headers(id, r.request("POST", "/", "content-length", tc.cl), end)
		for j, c := range tc.chunks {
			r.data(id, []byte(c), j == len(tc.chunks)-1)
		}
		if resp := r.response(id); !resp.gotRST || resp.rst != http2.ErrCodeProtocol {
			t.Errorf("content-length %s with %q: %+v, want RST_STREAM PROTOCOL_ERROR", tc.cl, tc.chunks, resp)
		}
	}
	if n := served.Load(); n != 0 {
		t.Errorf("handler ran %d times for malformed bodies", n)
	}
	r.headers(9, r.request("POST", "/", "content-length", "6"), false)
	r.data(9, []byte("abc"), false)
	r.data(9, []byte("def"), true)
	if resp := r.response(9); resp.status != "200" || string(resp.body) != "abcdef" {
		t.Errorf("matching content-length: %+v", resp)
	}
}

func TestHTTP2ExpectContinue(t *testing.T) {
	t.Parallel()
	s := &Server{
		Handler: func(ctx *RequestCtx) { ctx.SetBody(ctx.PostBody()) },
		ContinueHandler: func(h *RequestHeader) bool {
			return string(h.Peek("X-Allow")) == "yes"
		},
	}
	ts := h2tStart(t, s, nil, false)
	r := h2tDial(t, ts)

	r.headers(1, r.request("POST", "/", "expect", "100-continue", "x-allow", "yes", "content-length", "4"), false)
	r.expect("100 Continue", func(f http2.Frame) (bool, bool) {
		if hf, ok := f.(*http2.HeadersFrame); ok && hf.StreamID == 1 {
			return true, len(r.fields) == 1 && r.fields[0].Value == "100" && !hf.StreamEnded()
		}
		return false, false
	})
	r.data(1, []byte("body"), true)
	if resp := r.response(1); resp.status != "200" || string(resp.body) != "body" {
		t.Errorf("after 100 Continue: %+v", resp)
	}

	// Refused: 417 without reading the body, then RST_STREAM(NO_ERROR)
	// tells the client to stop sending it.
	r.headers(3, r.request("POST", "/", "expect", "100-continue", "content-length", "4"), false)
	resp := r.response(3)
	if resp.status != "417" || len(resp.interim) != 0 {
		t.Fatalf("refused expectation: %+v", resp)
	}
	r.expectStreamError(3, http2.ErrCodeNo)

	// An expectation the server does not know: 417.
	r.headers(5, r.request("POST", "/", "expect", "something"), false)
	if resp := r.response(5); resp.status != "417" {
		t.Errorf("unknown expectation: %+v", resp)
	}
}

func TestHTTP2BodyLimits(t *testing.T) {
	t.Parallel()
	var served atomic.Int32
	s := &Server{MaxRequestBodySize: 1000, Handler: func(ctx *RequestCtx) {
		served.Add(1)
		ctx.SetBodyString(strconv.Itoa(len(ctx.PostBody())))
	}}
	ts := h2tStart(t, s, nil, false)
	r := h2tDial(t, ts)

	r.headers(1, r.request("POST", "/", "content-length", "1001"), false)
	if resp := r.response(1); resp.status != "413" {
		t.Errorf("declared too large: %+v", resp)
	}
	// No length: the limit stops the body as it comes.
	r.headers(3, r.request("POST", "/"), false)
	r.data(3, bytes.Repeat([]byte("x"), 600), false)
	r.data(3, bytes.Repeat([]byte("x"), 600), false)
	if resp := r.response(3); resp.status != "413" {
		t.Errorf("streamed too large: %+v", resp)
	}
	r.headers(5, r.request("POST", "/"), false)
	r.data(5, bytes.Repeat([]byte("x"), 1000), true)
	if resp := r.response(5); resp.status != "200" || string(resp.body) != "1000" {
		t.Errorf("at the limit: %+v", resp)
	}
	if n := served.Load(); n != 1 {
		t.Errorf("handler ran %d times, want 1", n)
	}
}

func TestHTTP2HeaderListTooLarge(t *testing.T) {
	t.Parallel()
	s := &Server{ReadBufferSize: 4096, Handler: func(ctx *RequestCtx) { ctx.SetBodyString("ok") }}
	ts := h2tStart(t, s, nil, false)
	r := h2tDial(t, ts)
	big := strings.Repeat("v", 5000)
	r.headers(1, r.request("GET", "/", "x-big", big), true)
	if resp := r.response(1); resp.status != "431" {
		t.Fatalf("header list over ReadBufferSize: %+v", resp)
	}
	// HPACK stayed in step: the next request decodes (and may refer to
	// what the big block added to the table).
	r.headers(3, r.request("GET", "/", "x-small", "1"), true)
	if resp := r.response(3); resp.status != "200" {
		t.Errorf("after 431: %+v", resp)
	}
}

func TestHTTP2RequestTrailers(t *testing.T) {
	for _, streamed := range []bool{false, true} {
		t.Run(fmt.Sprint("streamed=", streamed), func(t *testing.T) {
			t.Parallel()
			s := &Server{StreamRequestBody: streamed, Handler: func(ctx *RequestCtx) {
				var body []byte
				if streamed {
					body, _ = io.ReadAll(ctx.RequestBodyStream())
				} else {
					body = ctx.PostBody()
				}
				ctx.SetBodyString(string(body) + "|" + string(ctx.Request.Header.Peek("X-Check")))
			}}
			ts := h2tStart(t, s, nil, false)
			r := h2tDial(t, ts)
			r.headers(1, r.request("POST", "/", "trailer", "x-check"), false)
			r.data(1, []byte("data"), false)
			r.headers(1, r.encode("x-check", "sum"), true)
			if resp := r.response(1); string(resp.body) != "data|sum" {
				t.Errorf("trailers: %+v", resp)
			}
			// Fields that may not be trailers make the request malformed.
			r.headers(3, r.request("POST", "/"), false)
			r.data(3, []byte("data"), false)
			r.headers(3, r.encode("content-length", "4"), true)
			if resp := r.response(3); !resp.gotRST || resp.rst != http2.ErrCodeProtocol {
				t.Errorf("forbidden trailer: %+v", resp)
			}
		})
	}
}

func TestHTTP2StreamedBodiesBothWays(t *testing.T) {
	t.Parallel()
	// The handler echoes a 2 MiB body as it reads it: more than the stream
	// and connection windows, so both ways must credit as they go.
	s := &Server{StreamRequestBody: true, Handler: func(ctx *RequestCtx) {
		src := ctx.RequestBodyStream()
		ctx.SetBodyStreamWriter(func(w *bufio.Writer) {
			buf := make([]byte, 10000)
			for {
				n, err := src.Read(buf)
				w.Write(buf[:n])
				_ = w.Flush()
				if err != nil {
					return
				}
			}
		})
	}}
	h2tModes(t, func(t *testing.T, useTLS bool) {
		ts := h2tStart(t, s, &HTTP2Config{InitialStreamWindowSize: 65535, InitialConnWindowSize: 65535}, useTLS)
		c := h2tClient(t, ts)
		payload := bytes.Repeat([]byte("stream-me!"), 200<<10)
		resp, err := c.Post(ts.url("/"), "application/octet-stream", io.MultiReader(bytes.NewReader(payload)))
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || !bytes.Equal(got, payload) {
			t.Fatalf("echoed %d of %d bytes: %v", len(got), len(payload), err)
		}
	})
}

func TestHTTP2SendFlowControl(t *testing.T) {
	t.Parallel()
	body := bytes.Repeat([]byte("z"), 100)
	s := &Server{Handler: func(ctx *RequestCtx) { ctx.SetBody(body) }}
	ts := h2tStart(t, s, nil, false)
	// A stream window of 10 bytes: the server sends 10, then waits.
	r := h2tDial(t, ts, http2.Setting{ID: http2.SettingInitialWindowSize, Val: 10})
	r.headers(1, r.request("GET", "/"), true)
	got := 0
	for got < 10 {
		switch f := r.next().(type) {
		case *http2.DataFrame:
			got += len(f.Data())
			if got > 10 {
				t.Fatalf("server sent %d bytes in a 10-byte window", got)
			}
		case *http2.RSTStreamFrame, *http2.GoAwayFrame:
			t.Fatalf("unexpected %v", h2tDescribe(f))
		}
	}
	_ = r.c.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
	if f, err := r.fr.ReadFrame(); err == nil {
		if df, ok := f.(*http2.DataFrame); ok {
			t.Fatalf("DATA beyond the window: %d bytes", len(df.Data()))
		}
	}
	_ = r.c.SetReadDeadline(time.Now().Add(srvWait))
	_ = r.fr.WriteWindowUpdate(1, 90)
	for got < 100 {
		if f, ok := r.next().(*http2.DataFrame); ok {
			got += len(f.Data())
			if f.StreamEnded() && got != 100 {
				t.Fatalf("stream ended after %d bytes", got)
			}
		}
	}
}

func TestHTTP2GracefulGoAway(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	started := make(chan struct{}, 1)
	s := &Server{Handler: func(ctx *RequestCtx) {
		started <- struct{}{}
		<-release
		ctx.SetBodyString("finished")
	}}
	ts := h2tStart(t, s, nil, false)
	r := h2tDial(t, ts)
	r.headers(1, r.request("GET", "/"), true)
	<-started
	go ts.e.shutdown()
	ga := r.expectGoAway(http2.ErrCodeNo)
	if ga.LastStreamID != 1 {
		t.Errorf("GOAWAY last stream %d, want 1", ga.LastStreamID)
	}
	// A stream opened after the GOAWAY is not served.
	r.headers(3, r.request("GET", "/"), true)
	close(release)
	if resp := r.response(1); resp.status != "200" || string(resp.body) != "finished" {
		t.Errorf("in-flight stream: %+v", resp)
	}
	r.expectClosed()
	select {
	case <-started:
		t.Errorf("stream 3 was served after GOAWAY")
	default:
	}
}

func TestHTTP2Ping(t *testing.T) {
	t.Parallel()
	s := &Server{Handler: func(ctx *RequestCtx) {}}
	ts := h2tStart(t, s, &HTTP2Config{PingInterval: 50 * time.Millisecond, PingTimeout: 100 * time.Millisecond}, false)
	r := h2tDial(t, ts)
	data := [8]byte{1, 2, 3, 4, 5, 6, 7, 8}
	_ = r.fr.WritePing(false, data)
	r.expect("PING ack", func(f http2.Frame) (bool, bool) {
		if p, ok := f.(*http2.PingFrame); ok {
			if !p.IsAck() {
				_ = r.fr.WritePing(true, p.Data) // the server's own, already
				return false, false
			}
			return true, p.Data == data
		}
		return false, false
	})
	// Silence: the server pings; an answered ping keeps the connection.
	r.expect("server PING", func(f http2.Frame) (bool, bool) {
		if p, ok := f.(*http2.PingFrame); ok && !p.IsAck() {
			_ = r.fr.WritePing(true, p.Data)
			return true, true
		}
		return false, false
	})
	// Unanswered: the connection is closed after PingTimeout.
	start := time.Now()
	r.expectClosed()
	if d := time.Since(start); d < 100*time.Millisecond {
		t.Errorf("closed %v after the answered ping", d)
	}
}

func TestHTTP2IdleTimeout(t *testing.T) {
	t.Parallel()
	s := &Server{IdleTimeout: 100 * time.Millisecond, Handler: func(ctx *RequestCtx) { ctx.SetBodyString("x") }}
	ts := h2tStart(t, s, nil, false)
	r := h2tDial(t, ts)
	r.headers(1, r.request("GET", "/"), true)
	if resp := r.response(1); resp.status != "200" {
		t.Fatal(resp)
	}
	start := time.Now()
	ga := r.expectGoAway(http2.ErrCodeNo)
	if d := time.Since(start); d < 80*time.Millisecond || ga.LastStreamID != 1 {
		t.Errorf("GOAWAY after %v, last stream %d", d, ga.LastStreamID)
	}
	r.expectClosed()
}

func TestHTTP2HeadAndNoBodyStatuses(t *testing.T) {
	t.Parallel()
	s := &Server{Handler: func(ctx *RequestCtx) {
		switch string(ctx.Path()) {
		case "/204":
			ctx.SetStatusCode(StatusNoContent)
		case "/304":
			ctx.NotModified()
		default:
			ctx.SetBodyString("twelve bytes")
		}
	}}
	ts := h2tStart(t, s, nil, false)
	r := h2tDial(t, ts)
	r.headers(1, r.request("HEAD", "/"), true)
	resp := r.response(1)
	if resp.status != "200" || resp.dataSeen != 0 || resp.header.Get("content-length") != "12" {
		t.Errorf("HEAD: %+v", resp)
	}
	for i, path := range []string{"/204", "/304"} {
		id := uint32(3 + 2*i)
		r.headers(id, r.request("GET", path), true)
		resp := r.response(id)
		if resp.status != path[1:] || resp.dataSeen != 0 || resp.header.Get("content-length") != "" {
			t.Errorf("%s: %+v", path, resp)
		}
	}
}

func TestHTTP2RequestCtxFacts(t *testing.T) {
	h2tModes(t, func(t *testing.T, useTLS bool) {
		type facts struct {
			proto, remote   string
			connID, reqNum  uint64
			tls, hijacked   bool
			writeErr        bool
			earlyHints      error
			hijackHandlerOK bool
		}
		got := make(chan facts, 8)
		hijackRan := make(chan struct{}, 1)
		log := &srvLog{}
		s := &Server{Logger: log, Handler: func(ctx *RequestCtx) {
			ctx.Response.Header.Add("Link", "</style.css>; rel=preload")
			f := facts{
				proto:  string(ctx.Request.Header.Protocol()),
				remote: ctx.RemoteAddr().String(),
				connID: ctx.ConnID(), reqNum: ctx.ConnRequestNum(),
				tls: ctx.IsTLS() && ctx.TLSConnectionState() != nil && ctx.TLSConnectionState().NegotiatedProtocol == "h2",
			}
			_, err := ctx.Conn().Write([]byte("GET / HTTP/1.1\r\n\r\n"))
			f.writeErr = err != nil
			f.earlyHints = ctx.EarlyHints()
			ctx.Hijack(func(net.Conn) { hijackRan <- struct{}{} })
			got <- f
			ctx.SetBodyString("served")
		}}
		ts := h2tStart(t, s, nil, useTLS)
		r := h2tDial(t, ts)
		for id := uint32(1); id <= 3; id += 2 {
			r.headers(id, r.request("GET", "/"), true)
			if resp := r.response(id); resp.status != "200" || string(resp.body) != "served" {
				t.Fatalf("stream %d: %+v", id, resp)
			}
		}
		f1, f2 := <-got, <-got
		if f1.proto != "HTTP/2.0" || f1.remote != r.c.LocalAddr().String() || f1.tls != useTLS || !f1.writeErr {
			t.Errorf("facts: %+v (client %s)", f1, r.c.LocalAddr())
		}
		if f1.connID != f2.connID || f1.reqNum != 1 || f2.reqNum != 2 {
			t.Errorf("ConnID %d/%d, ConnRequestNum %d/%d", f1.connID, f2.connID, f1.reqNum, f2.reqNum)
		}
		r2 := h2tDial(t, ts)
		r2.headers(1, r2.request("GET", "/"), true)
		r2.response(1)
		if f3 := <-got; f3.connID == f1.connID {
			t.Errorf("two connections share ConnID %d", f3.connID)
		}
		select {
		case <-hijackRan:
			t.Errorf("a HijackHandler ran on an HTTP/2 stream")
		case <-time.After(20 * time.Millisecond):
		}
		if log.count("Hijack is not supported") == 0 {
			t.Errorf("refused Hijack not logged: %q", log.all())
		}
	})
}

// A client that keeps MaxConcurrentStreams streams in flight opens the
// next one the moment it sees a response end; the slot must be free by
// then, whatever the handler goroutine is still doing.
func TestHTTP2StreamSlotFreedWithEndStream(t *testing.T) {
	t.Parallel()
	s := &Server{Handler: func(ctx *RequestCtx) { ctx.SetBodyString("x") }}
	ts := h2tStart(t, s, &HTTP2Config{MaxConcurrentStreams: 4}, false)
	r := h2tDial(t, ts)
	block := r.request("GET", "/")
	next := uint32(1)
	open := func() {
		r.headers(next, block, true)
		next += 2
	}
	for i := 0; i < 4; i++ {
		open()
	}
	for done := 0; done < 500; {
		switch f := r.next().(type) {
		case *http2.RSTStreamFrame:
			t.Fatalf("stream %d reset: %v", f.StreamID, f.ErrCode)
		case *http2.DataFrame:
			if f.StreamEnded() {
				done++
				open()
			}
		}
	}
}

// Parallel buffered uploads beyond the connection's buffering budget all
// complete: the oldest always gets window, the others wait for it.
func TestHTTP2ParallelUploadsBudget(t *testing.T) {
	t.Parallel()
	s := &Server{MaxRequestBodySize: 600 << 10, Handler: func(ctx *RequestCtx) {
		ctx.SetBodyString(strconv.Itoa(len(ctx.PostBody())))
	}}
	ts := h2tStart(t, s, &HTTP2Config{InitialStreamWindowSize: 64 << 10, InitialConnWindowSize: 256 << 10}, false)
	c := h2tClient(t, ts)
	payload := bytes.Repeat([]byte("u"), 512<<10)
	errs := make(chan error, 8)
	for i := 0; i < 8; i++ {
		go func() {
			resp, err := c.Post(ts.url("/"), "application/octet-stream", bytes.NewReader(payload))
			if err == nil {
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if string(b) != strconv.Itoa(len(payload)) {
					err = fmt.Errorf("server read %s bytes", b)
				}
			}
			errs <- err
		}()
	}
	for i := 0; i < 8; i++ {
		if err := srvRecv(t, errs, "an upload"); err != nil {
			t.Error(err)
		}
	}
}

func TestHTTP2PrefaceDetection(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{http2.ClientPreface, true},
		{http2.ClientPreface + "\x00\x00\x00\x04", true},
		{"PRI * HTTP/2.0\r\n\r\nXX\r\n\r\n", false},
		{"GET / HTTP/1.1\r\nHost: x\r\n\r\n", false},
		{"PRI * HTTP/1.1\r\n\r\n", false},
		{"P", false}, // the client sent one byte and left
		{"", false},
	} {
		br := bufio.NewReader(strings.NewReader(tc.in))
		if got := hasH2Preface(br); got != tc.want {
			t.Errorf("%q: %v", tc.in, got)
		}
		if rest, _ := io.ReadAll(br); string(rest) != tc.in {
			t.Errorf("%q: consumed, %q left", tc.in, rest)
		}
	}
	// An HTTP/1 request is judged on its first byte: no wait for more.
	c1, c2 := net.Pipe()
	defer c1.Close()
	defer c2.Close()
	go c2.Write([]byte("GET"))
	done := make(chan bool, 1)
	go func() { done <- hasH2Preface(bufio.NewReader(c1)) }()
	if got := srvRecv(t, done, "the preface check"); got {
		t.Errorf("GET taken for a preface")
	}
}
