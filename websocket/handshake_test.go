package websocket

import (
	"bytes"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/valyala/fasthttp"
)

func rawRequest(t *testing.T, addr, req string) string {
	t.Helper()
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	_ = nc.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.WriteString(nc, req); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	tmp := make([]byte, 4096)
	for !strings.Contains(buf.String(), "\r\n\r\n") {
		n, err := nc.Read(tmp)
		buf.Write(tmp[:n])
		if err != nil {
			break
		}
	}
	// A refusal has a body: read what its Content-Length promises.
	head, body, _ := strings.Cut(buf.String(), "\r\n\r\n")
	if i := strings.Index(strings.ToLower(head), "content-length: "); i >= 0 {
		var n int
		for _, ch := range head[i+16:] {
			if ch < '0' || ch > '9' {
				break
			}
			n = n*10 + int(ch-'0')
		}
		for len(body) < n {
			m, err := nc.Read(tmp)
			body += string(tmp[:m])
			if err != nil {
				break
			}
		}
	}
	return head + "\r\n\r\n" + body
}

func TestHandshakeValidation(t *testing.T) {
	t.Parallel()
	accepted := make(chan struct{}, 100)
	addr := startServer(t, &AcceptOptions{Subprotocols: []string{"b", "a"}}, func(c *Conn) {
		accepted <- struct{}{}
	})
	base := "GET /x HTTP/1.1\r\nHost: " + addr + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Key: " + handshakeKey + "\r\nSec-WebSocket-Version: 13\r\n"
	repl := func(old, new string) string { return strings.Replace(base, old, new, 1) }
	cases := []struct {
		name, req, status string
		want              []string
	}{
		{"ok", base + "\r\n", "101", []string{"Sec-Websocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n", "Upgrade: websocket\r\n"}},
		{"upgrade any case", repl("Upgrade: websocket", "Upgrade: WebSocket") + "\r\n", "101", nil},
		{"connection list", repl("Connection: Upgrade", "Connection: keep-alive, UPGRADE") + "\r\n", "101", nil},
		{"subprotocol", base + "Sec-WebSocket-Protocol: a, b\r\n\r\n", "101", []string{"Sec-Websocket-Protocol: b\r\n"}},
		{"no shared subprotocol", base + "Sec-WebSocket-Protocol: c\r\n\r\n", "101", nil},
		{"same origin", base + "Origin: http://" + addr + "\r\n\r\n", "101", nil},
		{"POST", repl("GET", "POST") + "Content-Length: 0\r\n\r\n", "405", []string{"Allow: GET\r\n", "method must be GET"}},
		{"HTTP/1.0", repl("HTTP/1.1", "HTTP/1.0") + "\r\n", "400", []string{"HTTP/1.1 is required"}},
		{"no Upgrade", repl("Upgrade: websocket\r\n", "") + "\r\n", "400", []string{"not a WebSocket upgrade request"}},
		{"other Upgrade", repl("Upgrade: websocket", "Upgrade: h2c") + "\r\n", "400", nil},
		{"no Connection", repl("Connection: Upgrade\r\n", "") + "\r\n", "400", nil},
		{"version 8", repl("Version: 13", "Version: 8") + "\r\n", "426", []string{"Sec-Websocket-Version: 13\r\n"}},
		{"no version", repl("Sec-WebSocket-Version: 13\r\n", "") + "\r\n", "426", nil},
		{"no key", repl("Sec-WebSocket-Key: "+handshakeKey+"\r\n", "") + "\r\n", "400", []string{"bad Sec-WebSocket-Key"}},
		{"short key", repl(handshakeKey, "abc") + "\r\n", "400", nil},
		{"key of 15 bytes", repl(handshakeKey, "dGhlIHNhbXBsZSBub25jZQ=") + "\r\n", "400", nil},
		{"two keys", base + "Sec-WebSocket-Key: " + handshakeKey + "\r\n\r\n", "400", nil},
		{"cross origin", base + "Origin: http://evil.example\r\n\r\n", "403", []string{"origin not allowed"}},
		{"null origin", base + "Origin: null\r\n\r\n", "403", nil},
		{"bad subprotocol list", base + "Sec-WebSocket-Protocol: a b\r\n\r\n", "400", nil},
	}
	for _, tc := range cases {
		resp := rawRequest(t, addr, tc.req)
		if !strings.HasPrefix(resp, "HTTP/1.1 "+tc.status+" ") {
			t.Errorf("%s: got %q, want status %s", tc.name, resp, tc.status)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(resp, w) {
				t.Errorf("%s: response %q lacks %q", tc.name, resp, w)
			}
		}
		if tc.status != "101" && strings.Contains(resp, "Sec-Websocket-Accept") {
			t.Errorf("%s: refused handshake carries Sec-WebSocket-Accept: %q", tc.name, resp)
		}
	}
}

func TestCheckOriginOverride(t *testing.T) {
	t.Parallel()
	addr := startServer(t, &AcceptOptions{CheckOrigin: func(ctx *fasthttp.RequestCtx) bool {
		return string(ctx.Request.Header.Peek("Origin")) == "https://app.example"
	}}, func(c *Conn) {})
	base := "GET / HTTP/1.1\r\nHost: " + addr + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Key: " + handshakeKey + "\r\nSec-WebSocket-Version: 13\r\n"
	if r := rawRequest(t, addr, base+"Origin: https://app.example\r\n\r\n"); !strings.HasPrefix(r, "HTTP/1.1 101") {
		t.Fatalf("allowed origin refused: %q", r)
	}
	if r := rawRequest(t, addr, base+"Origin: http://"+addr+"\r\n\r\n"); !strings.HasPrefix(r, "HTTP/1.1 403") {
		t.Fatalf("CheckOrigin not consulted: %q", r)
	}
}

func TestNegotiateDeflate(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		mode          CompressionMode
		offer, answer string // answer "" means declined
	}{
		{CompressionDisabled, "permessage-deflate", ""},
		{CompressionContextTakeover, "permessage-deflate", "permessage-deflate"},
		{CompressionNoContextTakeover, "permessage-deflate", "permessage-deflate; server_no_context_takeover; client_no_context_takeover"},
		{CompressionContextTakeover, "permessage-deflate; server_no_context_takeover; server_no_context_takeover", ""},
		{CompressionContextTakeover, "permessage-deflate; server_max_window_bits=\"10\"", "permessage-deflate; server_max_window_bits=10"},
		{CompressionContextTakeover, "permessage-deflate; server_max_window_bits", ""},
		{CompressionContextTakeover, "permessage-deflate; server_max_window_bits=16", ""},
		{CompressionContextTakeover, "permessage-deflate; client_max_window_bits=08", ""},
		{CompressionContextTakeover, "permessage-deflate; client_no_context_takeover=1", ""},
		{CompressionContextTakeover, "permessage-deflate; mystery, permessage-deflate; client_max_window_bits", "permessage-deflate"},
		{CompressionContextTakeover, "x-webkit-deflate-frame, PERMESSAGE-DEFLATE", ""},
	} {
		exts, ok := parseExtensions([][]byte{[]byte(tc.offer)})
		var answer string
		if ok {
			_, answer, _ = negotiateDeflate(tc.mode, exts)
		}
		if answer != tc.answer {
			t.Errorf("mode %d, offer %q: answered %q, want %q", tc.mode, tc.offer, answer, tc.answer)
		}
	}
	for _, bad := range []string{"permessage-deflate;", "permessage-deflate; a=\"b", "permessage-deflate; =1", "a b"} {
		if _, ok := parseExtensions([][]byte{[]byte(bad)}); ok {
			t.Errorf("%q parsed", bad)
		}
	}
}
