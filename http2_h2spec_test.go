package fasthttp

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// h2specModule is the conformance suite the server must pass entirely.
const h2specModule = "github.com/summerwind/h2spec/cmd/h2spec@v2.2.1+incompatible"

// h2specBinary finds h2spec: $H2SPEC, then PATH, then $GOBIN or
// $GOPATH/bin; failing those it is go-installed into a temporary
// directory. The test is skipped, saying why, only when that fails too
// (no network and no module cache).
func h2specBinary(t *testing.T) string {
	if p := os.Getenv("H2SPEC"); p != "" {
		return p
	}
	if p, err := exec.LookPath("h2spec"); err == nil {
		return p
	}
	goBin := func(args ...string) string {
		out, err := exec.Command("go", args...).Output()
		if err != nil {
			return ""
		}
		return strings.TrimSpace(string(out))
	}
	for _, dir := range []string{goBin("env", "GOBIN"), filepath.Join(goBin("env", "GOPATH"), "bin")} {
		if dir == "" || dir == "bin" {
			continue
		}
		if p := filepath.Join(dir, "h2spec"); fileExists(p) {
			return p
		}
	}
	dir := t.TempDir()
	cmd := exec.Command("go", "install", h2specModule)
	cmd.Env = append(os.Environ(), "GOBIN="+dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Skipf("h2spec is not installed and `go install %s` failed (offline?): %v\n%s", h2specModule, err, out)
	}
	return filepath.Join(dir, "h2spec")
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

var h2specSummary = regexp.MustCompile(`(\d+) tests, (\d+) passed, (\d+) skipped, (\d+) failed`)

// TestHTTP2H2Spec runs every h2spec case (generic, HTTP/2 and HPACK, the
// strict ones included) against the server, over h2c and over TLS, and
// wants them all to pass.
func TestHTTP2H2Spec(t *testing.T) {
	if testing.Short() {
		t.Skip("h2spec takes a few seconds")
	}
	bin := h2specBinary(t)
	h2tModes(t, func(t *testing.T, useTLS bool) {
		s := &Server{Handler: func(ctx *RequestCtx) {
			ctx.SetContentType("text/plain")
			ctx.SetBodyString("h2spec says hello, over " + string(ctx.Request.Header.Protocol()))
		}, Logger: &srvLog{}}
		ts := h2tStart(t, s, &HTTP2Config{MaxConcurrentStreams: 100}, useTLS)
		_, port, _ := strings.Cut(ts.addr, ":")
		args := []string{"-h", "127.0.0.1", "-p", port, "-o", "5", "-S"}
		if useTLS {
			args = append(args, "-t", "-k")
		}
		out, _ := exec.Command(bin, args...).CombinedOutput()
		m := h2specSummary.FindSubmatch(out)
		if m == nil {
			t.Fatalf("h2spec gave no summary:\n%s", out)
		}
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		t.Logf("h2spec: %s", lines[len(lines)-1])
		if string(m[4]) != "0" || string(m[3]) != "0" {
			t.Errorf("h2spec: %s\n%s", m[0], out)
		}
	})
}
