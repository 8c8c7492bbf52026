package fasthttp

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// The server owns Date, as upstream v1.79 does: a handler's Set or Add of
// Date is ignored (so middleware reading it back, such as Fiber's cache,
// sees no stale value), the wire carries the server's clock, and a Date
// received by a client is kept as it came.
func TestResponseDateIsTheServers(t *testing.T) {
	t.Parallel()
	const old = "Mon, 02 Jan 2006 15:04:05 GMT"
	seen := make(chan string, 1)
	addr := hdrServe(t, "tcp", "127.0.0.1:0", &Server{Handler: func(ctx *RequestCtx) {
		ctx.Response.Header.Set(HeaderDate, old)
		ctx.Response.Header.Add(HeaderDate, old)
		ctx.Response.Header.SetCanonical([]byte(HeaderDate), []byte(old))
		seen <- string(ctx.Response.Header.Peek(HeaderDate))
		ctx.SetBodyString("ok")
	}})
	resp, err := (&http.Client{Timeout: 5 * time.Second}).Get("http://" + addr + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := <-seen; got != "" {
		t.Errorf("handler reads back Date %q", got)
	}
	if got := resp.Header.Values("Date"); len(got) != 1 {
		t.Fatalf("Date fields %q", got)
	}
	d, err := http.ParseTime(resp.Header.Get("Date"))
	if err != nil || time.Since(d).Abs() > time.Minute {
		t.Errorf("Date %q (%v): not the server's clock", resp.Header.Get("Date"), err)
	}

	// A Date read from a peer is what the peer sent: net/http lets its
	// handler pick one.
	peer := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Date", old)
	}))
	defer peer.Close()
	var r Response
	req := AcquireRequest()
	defer ReleaseRequest(req)
	req.SetRequestURI(peer.URL + "/")
	if err := (&Client{}).DoTimeout(req, &r, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	if got := string(r.Header.Peek(HeaderDate)); got != old || !strings.Contains(r.Header.String(), "Date: "+old+"\r\n") {
		t.Errorf("received Date %q, header %q", got, r.Header.String())
	}
}
