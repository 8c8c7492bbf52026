package fasthttp

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"strings"
	"testing"
	"time"
)

// Control bytes other than CR and LF in a value set on an ordinary field
// stay for Peek (as upstream keeps them: frameworks check values they set
// themselves, such as a Location, for control bytes) and are blanked when
// the header is written, so none reaches the wire.

// wireControls returns the control bytes but CR, LF and HTAB found in b.
func wireControls(b []byte) []byte {
	var bad []byte
	for _, c := range b {
		if badValueByte(c) && c != '\r' && c != '\n' {
			bad = append(bad, c)
		}
	}
	return bad
}

func TestServerControlBytesKeptForPeekBlankedOnWire(t *testing.T) {
	t.Parallel()
	seen := make(chan string, 1)
	ts := startServer(t, func(ctx *RequestCtx) {
		h := &ctx.Response.Header
		h.Set(HeaderLocation, "/bad\x00path")
		h.Add("X-Ctl", "a\x01b\x7fc")
		h.Add(HeaderLink, "</s.css>; rel=preload\x00")
		seen <- string(h.Peek(HeaderLocation)) + "|" + string(h.Peek("X-Ctl"))
		if err := ctx.EarlyHints(); err != nil {
			t.Error(err)
		}
		if err := h.SetTrailer("X-Sum"); err != nil {
			t.Error(err)
		}
		ctx.SetBodyStreamWriter(func(w *bufio.Writer) {
			_, _ = w.WriteString("body")
			h.Set("X-Sum", "s\x00um")
		})
		ctx.SetStatusCode(StatusFound)
	})
	c, err := net.Dial("tcp4", ts.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.WriteString(c, "GET / HTTP/1.1\r\nHost: a.test\r\nConnection: close\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	wire, err := io.ReadAll(c)
	if err != nil {
		t.Fatal(err)
	}
	if got := <-seen; got != "/bad\x00path|a\x01b\x7fc" {
		t.Errorf("handler read back %q", got)
	}
	if bad := wireControls(wire); len(bad) > 0 {
		t.Errorf("control bytes %q on the wire: %q", bad, wire)
	}
	for _, want := range []string{
		"HTTP/1.1 103 Early Hints\r\nLink: </s.css>; rel=preload \r\n",
		"\r\nLocation: /bad path\r\n",
		"\r\nX-Ctl: a b c\r\n",
		"\r\n0\r\nX-Sum: s um\r\n\r\n",
	} {
		if !bytes.Contains(wire, []byte(want)) {
			t.Errorf("wire lacks %q: %q", want, wire)
		}
	}
}

func TestClientControlBytesBlankedOnWire(t *testing.T) {
	t.Parallel()
	heads := make(chan string, 1)
	rs := startRawServer(t, func(c net.Conn) {
		head, err := readRequestHead(bufio.NewReader(c))
		if err != nil {
			return
		}
		heads <- head
		_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
	})
	req := AcquireRequest()
	defer ReleaseRequest(req)
	resp := AcquireResponse()
	defer ReleaseResponse(resp)
	req.SetRequestURI("http://" + rs.addr + "/")
	req.Header.Set("X-Ctl", "a\x00b\x1fc")
	if got := string(req.Header.Peek("X-Ctl")); got != "a\x00b\x1fc" {
		t.Fatalf("Peek = %q", got)
	}
	if err := (&HostClient{Addr: rs.addr}).Do(req, resp); err != nil {
		t.Fatal(err)
	}
	head := <-heads
	if !strings.Contains(head, "\r\nX-Ctl: a b c\r\n") || len(wireControls([]byte(head))) > 0 {
		t.Fatalf("request sent as %q", head)
	}
	// CR and LF never get that far: they are replaced when set.
	req.Header.Set("X-Split", "a\r\nX-Injected: 1")
	if got := string(req.Header.Peek("X-Split")); got != "a  X-Injected: 1" {
		t.Fatalf("Peek = %q", got)
	}
}
