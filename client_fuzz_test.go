package fasthttp

import (
	"bufio"
	"net"
	"testing"
	"time"
)

// FuzzClientResponse feeds arbitrary bytes to the client as a server's
// answer: whatever they are, the client must neither panic nor hang.
func FuzzClientResponse(f *testing.F) {
	for _, seed := range []string{
		"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\nX: y\r\n\r\n",
		"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n",
		"HTTP/1.0 200 OK\r\n\r\nbody until close",
		"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
		"HTTP/1.1 301 Moved\r\nLocation: /x\r\nContent-Length: 0\r\n\r\n",
		"HTTP/1.1 999 \r\n\r\n",
		"\r\n\r\nHTTP/1.1 200 OK\r\n\r\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, answer []byte) {
		dial := func(string) (net.Conn, error) {
			client, server := net.Pipe()
			go func() {
				defer server.Close()
				br := bufio.NewReader(server)
				if _, err := readRequestHead(br); err != nil {
					return
				}
				_ = server.SetWriteDeadline(time.Now().Add(time.Second))
				_, _ = server.Write(answer)
			}()
			return client, nil
		}
		hc := &HostClient{Addr: "fuzz.test:80", Dial: dial, MaxResponseBodySize: 1 << 20, MaxIdemponentCallAttempts: 1}
		req := AcquireRequest()
		resp := AcquireResponse()
		defer ReleaseRequest(req)
		defer ReleaseResponse(resp)
		req.SetRequestURI("http://fuzz.test/")
		start := time.Now()
		_ = hc.DoTimeout(req, resp, time.Second)
		if time.Since(start) > 3*time.Second {
			t.Fatal("client hung on a bad answer")
		}
	})
}
