package fasthttpproxy

import (
	"bufio"
	"encoding/binary"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/valyala/fasthttp"
)

// This file holds the peers the proxy tests talk to: an origin server, a
// small HTTP CONNECT proxy and a small SOCKS5 proxy. Both proxies resolve
// every name ending in ".test" to 127.0.0.1, so tests can use names that
// no real resolver knows.

// startOrigin serves h over plain HTTP on 127.0.0.1 and returns the port.
func startOrigin(t *testing.T, h fasthttp.RequestHandler) string {
	t.Helper()
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &fasthttp.Server{Handler: h}
	go func() { _ = s.Serve(ln) }()
	t.Cleanup(func() { _ = s.Shutdown() })
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	return port
}

// mapTarget turns "name.test:port" into "127.0.0.1:port".
func mapTarget(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err == nil && strings.HasSuffix(host, ".test") {
		return net.JoinHostPort("127.0.0.1", port)
	}
	return addr
}

// proxyLog records what a test proxy saw.
type proxyLog struct {
	mu      sync.Mutex
	targets []string
	auths   []string
}

func (l *proxyLog) add(target, auth string) {
	l.mu.Lock()
	l.targets = append(l.targets, target)
	l.auths = append(l.auths, auth)
	l.mu.Unlock()
}

func (l *proxyLog) snapshot() ([]string, []string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.targets...), append([]string(nil), l.auths...)
}

// serveLoop accepts connections on a fresh listener and hands each to
// serve; it stops at the end of the test.
func serveLoop(t *testing.T, serve func(c net.Conn)) string {
	t.Helper()
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var conns []net.Conn
	// The accept loop counts in wg too, so every later Add happens while
	// the counter is above zero and never races the cleanup's Wait.
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				serve(c)
			}()
		}
	}()
	t.Cleanup(func() {
		_ = ln.Close()
		mu.Lock()
		for _, c := range conns {
			_ = c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	return ln.Addr().String()
}

// relay copies between a and b until either side closes.
func relay(a, b net.Conn) {
	done := make(chan struct{}, 2)
	go func() { _, _ = io.Copy(a, b); done <- struct{}{} }()
	go func() { _, _ = io.Copy(b, a); done <- struct{}{} }()
	<-done
	_ = a.Close()
	_ = b.Close()
	<-done
}

// startConnectProxy runs an HTTP CONNECT proxy. When wantAuth is set,
// requests without that Proxy-Authorization get 407.
func startConnectProxy(t *testing.T, wantAuth string) (string, *proxyLog) {
	log := &proxyLog{}
	addr := serveLoop(t, func(c net.Conn) {
		br := bufio.NewReader(c)
		line, err := br.ReadString('\n')
		if err != nil {
			return
		}
		auth := ""
		for {
			h, err := br.ReadString('\n')
			if err != nil {
				return
			}
			if h == "\r\n" {
				break
			}
			if k, v, ok := strings.Cut(h, ":"); ok && strings.EqualFold(k, "Proxy-Authorization") {
				auth = strings.TrimSpace(v)
			}
		}
		fields := strings.Fields(line)
		if len(fields) != 3 || fields[0] != "CONNECT" {
			_, _ = io.WriteString(c, "HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
			return
		}
		log.add(fields[1], auth)
		if wantAuth != "" && auth != wantAuth {
			_, _ = io.WriteString(c, "HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n")
			return
		}
		upstream, err := net.DialTimeout("tcp", mapTarget(fields[1]), time.Second)
		if err != nil {
			_, _ = io.WriteString(c, "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
			return
		}
		_, _ = io.WriteString(c, "HTTP/1.1 200 Connection established\r\n\r\n")
		relay(&readerConn{Conn: c, r: br}, upstream)
	})
	return addr, log
}

// readerConn reads through r, which may hold bytes already received.
type readerConn struct {
	net.Conn
	r io.Reader
}

func (c *readerConn) Read(p []byte) (int, error) { return c.r.Read(p) }

// startSOCKS5Proxy runs a SOCKS5 proxy (RFC 1928) with the CONNECT
// command. With user set, it requires username/password authentication
// (RFC 1929).
func startSOCKS5Proxy(t *testing.T, user, password string) (string, *proxyLog) {
	log := &proxyLog{}
	addr := serveLoop(t, func(c net.Conn) {
		br := bufio.NewReader(c)
		var hdr [2]byte
		if _, err := io.ReadFull(br, hdr[:]); err != nil || hdr[0] != 5 {
			return
		}
		methods := make([]byte, hdr[1])
		if _, err := io.ReadFull(br, methods); err != nil {
			return
		}
		want := byte(0)
		if user != "" {
			want = 2
		}
		if !strings.ContainsRune(string(methods), rune(want)) {
			_, _ = c.Write([]byte{5, 0xff})
			return
		}
		_, _ = c.Write([]byte{5, want})
		auth := ""
		if want == 2 {
			// ver, ulen, user, plen, password
			var v [2]byte
			if _, err := io.ReadFull(br, v[:]); err != nil {
				return
			}
			u := make([]byte, v[1])
			_, _ = io.ReadFull(br, u)
			var pl [1]byte
			_, _ = io.ReadFull(br, pl[:])
			p := make([]byte, pl[0])
			_, _ = io.ReadFull(br, p)
			auth = string(u) + ":" + string(p)
			if string(u) != user || string(p) != password {
				_, _ = c.Write([]byte{1, 1})
				return
			}
			_, _ = c.Write([]byte{1, 0})
		}
		var req [4]byte
		if _, err := io.ReadFull(br, req[:]); err != nil || req[1] != 1 {
			return
		}
		var host string
		switch req[3] {
		case 1:
			ip := make([]byte, 4)
			_, _ = io.ReadFull(br, ip)
			host = net.IP(ip).String()
		case 4:
			ip := make([]byte, 16)
			_, _ = io.ReadFull(br, ip)
			host = net.IP(ip).String()
		case 3:
			var l [1]byte
			_, _ = io.ReadFull(br, l[:])
			name := make([]byte, l[0])
			_, _ = io.ReadFull(br, name)
			host = string(name)
		default:
			return
		}
		var port [2]byte
		if _, err := io.ReadFull(br, port[:]); err != nil {
			return
		}
		target := net.JoinHostPort(host, strconv.Itoa(int(binary.BigEndian.Uint16(port[:]))))
		log.add(target, auth)
		upstream, err := net.DialTimeout("tcp", mapTarget(target), time.Second)
		if err != nil {
			_, _ = c.Write([]byte{5, 5, 0, 1, 0, 0, 0, 0, 0, 0})
			return
		}
		_, _ = c.Write([]byte{5, 0, 0, 1, 127, 0, 0, 1, 0, 0})
		relay(&readerConn{Conn: c, r: br}, upstream)
	})
	return addr, log
}
