package fasthttp

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/net/http2"
	"golang.org/x/net/http2/hpack"
)

// Helpers of the HTTP/2 tests. Names start with "h2t".

// h2tServer serves an h2Engine on a loopback port: prior-knowledge h2c,
// or TLS with ALPN "h2". Phase B replaces it with Server.Serve.
type h2tServer struct {
	ln    net.Listener
	addr  string
	e     *h2Engine
	tls   *tls.Config // client side, when serving TLS
	wg    sync.WaitGroup
	mu    sync.Mutex
	conns map[net.Conn]struct{}
	errs  chan error
}

// h2tStart serves s.Handler over HTTP/2 on 127.0.0.1:0. Cleanup shuts the
// engine down and waits for every connection to end.
func h2tStart(t testing.TB, s *Server, cfg *HTTP2Config, useTLS bool) *h2tServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ts := &h2tServer{
		ln:    ln,
		addr:  ln.Addr().String(),
		e:     newH2EngineForServer(s, cfg),
		conns: make(map[net.Conn]struct{}),
		errs:  make(chan error, 1024),
	}
	var srvTLS *tls.Config
	if useTLS {
		certPEM, keyPEM, err := GenerateTestCertificate("127.0.0.1,localhost")
		if err != nil {
			t.Fatal(err)
		}
		cert, err := tls.X509KeyPair(certPEM, keyPEM)
		if err != nil {
			t.Fatal(err)
		}
		srvTLS = &tls.Config{Certificates: []tls.Certificate{cert}, NextProtos: []string{"h2", "http/1.1"}}
		pool := x509.NewCertPool()
		pool.AppendCertsFromPEM(certPEM)
		ts.tls = &tls.Config{RootCAs: pool, NextProtos: []string{"h2"}, ServerName: "127.0.0.1"}
	}
	ts.wg.Add(1)
	go func() {
		defer ts.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			ts.mu.Lock()
			ts.conns[c] = struct{}{}
			ts.mu.Unlock()
			ts.wg.Add(1)
			go func() {
				defer ts.wg.Done()
				defer func() {
					ts.mu.Lock()
					delete(ts.conns, c)
					ts.mu.Unlock()
				}()
				if srvTLS != nil {
					tc := tls.Server(c, srvTLS)
					_ = tc.SetDeadline(time.Now().Add(srvWait))
					if err := tc.Handshake(); err != nil || tc.ConnectionState().NegotiatedProtocol != "h2" {
						_ = tc.Close()
						return
					}
					_ = tc.SetDeadline(time.Time{})
					c = tc
				}
				if err := ts.e.serveConn(c, nil); err != nil {
					select {
					case ts.errs <- err:
					default:
					}
				}
			}()
		}
	}()
	t.Cleanup(func() {
		_ = ln.Close()
		ts.e.shutdown()
		done := make(chan struct{})
		go func() { ts.wg.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(srvWait):
			ts.mu.Lock()
			for c := range ts.conns {
				_ = c.Close()
			}
			ts.mu.Unlock()
			<-done
			t.Errorf("HTTP/2 connections still open %v after shutdown", srvWait)
		}
	})
	return ts
}

// url returns the URL of path on the server.
func (ts *h2tServer) url(path string) string {
	if ts.tls != nil {
		return "https://" + ts.addr + path
	}
	return "http://" + ts.addr + path
}

// h2tClient returns a net/http client that speaks only HTTP/2 to ts.
func h2tClient(t testing.TB, ts *h2tServer) *http.Client {
	tr := &http2.Transport{}
	if ts.tls != nil {
		tr.TLSClientConfig = ts.tls
	} else {
		tr.AllowHTTP = true
		tr.DialTLSContext = func(ctx context.Context, network, addr string, _ *tls.Config) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, network, addr)
		}
	}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr, Timeout: srvWait}
}

// h2tModes runs f over h2c and over TLS.
func h2tModes(t *testing.T, f func(t *testing.T, useTLS bool)) {
	for _, useTLS := range []bool{false, true} {
		name := "h2c"
		if useTLS {
			name = "tls"
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f(t, useTLS)
		})
	}
}

// h2tRaw is a hand-driven HTTP/2 client for protocol tests: frames go out
// exactly as the test writes them.
type h2tRaw struct {
	t   testing.TB
	c   net.Conn
	fr  *http2.Framer
	enc *hpack.Encoder
	eb  bytes.Buffer
	dec *hpack.Decoder

	// Settings the server sent.
	settings map[http2.SettingID]uint32

	fields  []hpack.HeaderField     // of the last HEADERS frame read
	pending map[uint32]*h2tResponse // responses of other streams read meanwhile
	gotHdr  map[uint32]bool         // streams whose final header came
}

// h2tDial opens a connection to ts and sends the preface and SETTINGS
// (settings, when given). It reads the server's SETTINGS and acknowledges
// them, but leaves the server's ACK of the client's to be read.
func h2tDial(t testing.TB, ts *h2tServer, settings ...http2.Setting) *h2tRaw {
	t.Helper()
	c, err := net.DialTimeout("tcp", ts.addr, srvWait)
	if err != nil {
		t.Fatal(err)
	}
	if ts.tls != nil {
		tc := tls.Client(c, ts.tls)
		if err := tc.Handshake(); err != nil {
			t.Fatal(err)
		}
		c = tc
	}
	t.Cleanup(func() { _ = c.Close() })
	_ = c.SetDeadline(time.Now().Add(srvWait))
	r := &h2tRaw{t: t, c: c, settings: map[http2.SettingID]uint32{}}
	r.fr = http2.NewFramer(c, c)
	r.fr.AllowIllegalWrites = true
	r.fr.SetMaxReadFrameSize(1 << 24)
	r.enc = hpack.NewEncoder(&r.eb)
	r.dec = hpack.NewDecoder(4096, nil)
	if _, err := io.WriteString(c, http2.ClientPreface); err != nil {
		t.Fatal(err)
	}
	if err := r.fr.WriteSettings(settings...); err != nil {
		t.Fatal(err)
	}
	f := r.next()
	sf, ok := f.(*http2.SettingsFrame)
	if !ok || sf.IsAck() {
		t.Fatalf("first frame from the server: %v, want SETTINGS", f)
	}
	_ = sf.ForeachSetting(func(s http2.Setting) error { r.settings[s.ID] = s.Val; return nil })
	if err := r.fr.WriteSettingsAck(); err != nil {
		t.Fatal(err)
	}
	return r
}

// read reads the next frame. A HEADERS frame's whole block (with its
// CONTINUATION frames) is decoded at once into r.fields, so that the HPACK
// state stays in step whichever frames a test looks at.
func (r *h2tRaw) read() (http2.Frame, error) {
	f, err := r.fr.ReadFrame()
	if err != nil {
		return nil, err
	}
	if hf, ok := f.(*http2.HeadersFrame); ok {
		b := append([]byte(nil), hf.HeaderBlockFragment()...)
		for ended := hf.HeadersEnded(); !ended; {
			cf, err := r.fr.ReadFrame()
			if err != nil {
				return nil, err
			}
			c, ok := cf.(*http2.ContinuationFrame)
			if !ok {
				r.t.Fatalf("header block interrupted by %v", cf)
			}
			b = append(b, c.HeaderBlockFragment()...)
			ended = c.HeadersEnded()
		}
		if r.fields, err = r.dec.DecodeFull(b); err != nil {
			r.t.Fatalf("decoding headers: %v", err)
		}
	}
	return f, nil
}

// next reads the next frame, failing the test on error.
func (r *h2tRaw) next() http2.Frame {
	r.t.Helper()
	f, err := r.read()
	if err != nil {
		r.t.Fatalf("reading a frame: %v", err)
	}
	return f
}

// encode returns the header block of fields given as name, value pairs.
func (r *h2tRaw) encode(fields ...string) []byte {
	r.eb.Reset()
	for i := 0; i+1 < len(fields); i += 2 {
		_ = r.enc.WriteField(hpack.HeaderField{Name: fields[i], Value: fields[i+1]})
	}
	return append([]byte(nil), r.eb.Bytes()...)
}

// request returns the header block of a request for path with extra
// fields.
func (r *h2tRaw) request(method, path string, extra ...string) []byte {
	fields := append([]string{":method", method, ":scheme", "http", ":path", path, ":authority", "example.com"}, extra...)
	return r.encode(fields...)
}

func (r *h2tRaw) headers(id uint32, block []byte, endStream bool) {
	r.t.Helper()
	if err := r.fr.WriteHeaders(http2.HeadersFrameParam{StreamID: id, BlockFragment: block, EndStream: endStream, EndHeaders: true}); err != nil {
		r.t.Fatal(err)
	}
}

func (r *h2tRaw) data(id uint32, p []byte, endStream bool) {
	r.t.Helper()
	if err := r.fr.WriteData(id, endStream, p); err != nil {
		r.t.Fatal(err)
	}
}

// h2tResponse is what a raw client read of one response.
type h2tResponse struct {
	status   string
	header   http.Header
	body     []byte
	trailer  http.Header
	interim  []string // statuses of 1xx responses
	rst      http2.ErrCode
	gotRST   bool
	goAway   *http2.GoAwayFrame
	dataSeen int // DATA frames
	done     bool
}

// h2tEvent is a frame read on a connection, or the error that ended it.
type h2tEvent struct {
	f   http2.Frame
	err error
}

// response reads frames until stream id ends (or is reset, or the
// connection ends), acknowledging PINGs and SETTINGS and opening windows
// as DATA arrives. Frames of other streams are kept for their own call.
func (r *h2tRaw) response(id uint32) *h2tResponse {
	r.t.Helper()
	if r.pending == nil {
		r.pending = map[uint32]*h2tResponse{}
		r.gotHdr = map[uint32]bool{}
	}
	get := func(sid uint32) *h2tResponse {
		p := r.pending[sid]
		if p == nil {
			p = &h2tResponse{header: http.Header{}, trailer: http.Header{}}
			r.pending[sid] = p
		}
		return p
	}
	for {
		resp := get(id)
		if resp.done {
			delete(r.pending, id)
			return resp
		}
		f, err := r.read()
		if err != nil {
			r.t.Fatalf("stream %d: %v (so far %+v)", id, err, resp)
		}
		switch f := f.(type) {
		case *http2.SettingsFrame:
			if !f.IsAck() {
				_ = r.fr.WriteSettingsAck()
			}
		case *http2.PingFrame:
			if !f.IsAck() {
				_ = r.fr.WritePing(true, f.Data)
			}
		case *http2.GoAwayFrame:
			resp.goAway = f
			if f.ErrCode != http2.ErrCodeNo || f.LastStreamID < id {
				resp.done = true
			}
		case *http2.RSTStreamFrame:
			p := get(f.StreamID)
			p.gotRST, p.rst, p.done = true, f.ErrCode, true
		case *http2.HeadersFrame:
			p := get(f.StreamID)
			target := p.header
			if r.gotHdr[f.StreamID] {
				target = p.trailer
			}
			status := ""
			for _, hf := range r.fields {
				if hf.Name == ":status" {
					status = hf.Value
				}
			}
			if status != "" && status[0] == '1' {
				p.interim = append(p.interim, status)
				continue
			}
			for _, hf := range r.fields {
				if hf.Name != ":status" {
					target.Add(hf.Name, hf.Value)
				}
			}
			if !r.gotHdr[f.StreamID] {
				p.status = status
				r.gotHdr[f.StreamID] = true
			}
			p.done = f.StreamEnded()
		case *http2.DataFrame:
			p := get(f.StreamID)
			p.dataSeen++
			p.body = append(p.body, f.Data()...)
			if n := f.Length; n > 0 {
				_ = r.fr.WriteWindowUpdate(0, n)
				if !f.StreamEnded() {
					_ = r.fr.WriteWindowUpdate(f.StreamID, n)
				}
			}
			p.done = f.StreamEnded()
		}
	}
}

// expectStreamError reads until a RST_STREAM for id (or a GOAWAY) with one
// of codes arrives.
func (r *h2tRaw) expectStreamError(id uint32, codes ...http2.ErrCode) {
	r.t.Helper()
	r.expect(fmt.Sprintf("RST_STREAM %d %v", id, codes), func(f http2.Frame) (bool, bool) {
		switch f := f.(type) {
		case *http2.RSTStreamFrame:
			if f.StreamID == id {
				return true, h2tHasCode(codes, f.ErrCode)
			}
		case *http2.GoAwayFrame:
			return true, h2tHasCode(codes, f.ErrCode)
		}
		return false, false
	})
}

// expectGoAway reads until a GOAWAY with one of codes arrives (or the
// connection closes, when closeOK).
func (r *h2tRaw) expectGoAway(codes ...http2.ErrCode) *http2.GoAwayFrame {
	r.t.Helper()
	var ga *http2.GoAwayFrame
	r.expect(fmt.Sprintf("GOAWAY %v", codes), func(f http2.Frame) (bool, bool) {
		if g, ok := f.(*http2.GoAwayFrame); ok {
			ga = g
			return true, h2tHasCode(codes, g.ErrCode)
		}
		return false, false
	})
	return ga
}

// expect reads frames until match says it is done, and fails unless it
// also says ok.
func (r *h2tRaw) expect(what string, match func(http2.Frame) (done, ok bool)) {
	r.t.Helper()
	for {
		f, err := r.read()
		if err != nil {
			r.t.Fatalf("waiting for %s: %v", what, err)
		}
		if done, ok := match(f); done {
			if !ok {
				r.t.Fatalf("waiting for %s, got %v", what, h2tDescribe(f))
			}
			return
		}
	}
}

// expectClosed reads until the connection ends, failing if that takes
// longer than srvWait; frames are skipped.
func (r *h2tRaw) expectClosed() {
	r.t.Helper()
	for {
		if _, err := r.read(); err != nil {
			if errors.Is(err, io.EOF) || errors.Is(err, net.ErrClosed) || isConnResetErr(err) || strings.Contains(err.Error(), "reset") {
				return
			}
			if srvIsTimeout(err) {
				r.t.Fatalf("connection still open")
			}
			return
		}
	}
}

func h2tHasCode(codes []http2.ErrCode, c http2.ErrCode) bool {
	for _, x := range codes {
		if x == c {
			return true
		}
	}
	return false
}

func h2tDescribe(f http2.Frame) string {
	switch f := f.(type) {
	case *http2.RSTStreamFrame:
		return fmt.Sprintf("RST_STREAM stream=%d code=%v", f.StreamID, f.ErrCode)
	case *http2.GoAwayFrame:
		return fmt.Sprintf("GOAWAY last=%d code=%v debug=%q", f.LastStreamID, f.ErrCode, f.DebugData())
	}
	return fmt.Sprintf("%v", f)
}
