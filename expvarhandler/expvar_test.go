package expvarhandler

import (
	"encoding/json"
	"expvar"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/valyala/fasthttp"
)

func init() {
	expvar.NewInt("testInt").Set(42)
	expvar.NewString("testStr").Set(`quote " and \ back`)
	expvar.NewInt(`odd"name`).Set(1)
}

func fetch(t *testing.T, base, query string) (int, string, string) {
	t.Helper()
	c := &http.Client{Timeout: 5 * time.Second}
	resp, err := c.Get(base + "/vars" + query)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Content-Type"), string(b)
}

func TestExpvarHandler(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &fasthttp.Server{Handler: ExpvarHandler}
	go s.Serve(ln)
	defer s.Shutdown()
	base := "http://" + ln.Addr().String()

	code, ct, body := fetch(t, base, "")
	if code != 200 || ct != "application/json; charset=utf-8" {
		t.Fatalf("%d %q", code, ct)
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal([]byte(body), &all); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, body)
	}
	for _, k := range []string{"testInt", "testStr", `odd"name`, "memstats", "cmdline", "expvarHandlerCalls"} {
		if _, ok := all[k]; !ok {
			t.Errorf("variable %q missing", k)
		}
	}

	_, _, body = fetch(t, base, "?r="+url.QueryEscape("^test"))
	var some map[string]any
	if err := json.Unmarshal([]byte(body), &some); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, body)
	}
	if len(some) != 2 || some["testInt"] != float64(42) || some["testStr"] != `quote " and \ back` {
		t.Fatalf("filtered: %v", some)
	}

	_, _, body = fetch(t, base, "?r=nomatch-at-all")
	if body != "{\n\n}\n" {
		t.Fatalf("empty result %q", body)
	}

	before := regexpErrors.Value()
	code, _, body = fetch(t, base, "?r="+url.QueryEscape("("))
	if code != 400 || !strings.Contains(body, "r=\"(\"") {
		t.Fatalf("bad regexp: %d %q", code, body)
	}
	if regexpErrors.Value() != before+1 {
		t.Fatal("expvarRegexpErrors not incremented")
	}
}
