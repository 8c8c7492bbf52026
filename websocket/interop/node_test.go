package interop

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// nodeAvailable reports whether node and the installed ws package are
// there (run.sh installs ws).
func nodeAvailable(t *testing.T) string {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not installed: run.sh explains")
	}
	if _, err := os.Stat("node/node_modules/ws/package.json"); err != nil {
		t.Fatal("the ws package is not installed: run websocket/interop/run.sh (make test does)")
	}
	return node
}

// TestNodeClientOurServer: Node's ws client sends the matrix to this
// repository's server.
func TestNodeClientOurServer(t *testing.T) {
	node := nodeAvailable(t)
	for _, md := range modes[:2] {
		t.Run(md.name, func(t *testing.T) {
			t.Parallel()
			addr := ourServer(t, md.mode)
			deflate := "0"
			if md.mode != 0 {
				deflate = "1"
			}
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			out, err := exec.CommandContext(ctx, node, "node/peer.js", "client", "ws://"+addr+"/", deflate).CombinedOutput()
			if err != nil || !strings.HasPrefix(string(out), "OK ") {
				t.Fatalf("node client: %v\n%s", err, out)
			}
		})
	}
}

// TestOurClientNodeServer: this repository's client against Node's ws
// server.
func TestOurClientNodeServer(t *testing.T) {
	node := nodeAvailable(t)
	for _, md := range modes {
		t.Run(md.name, func(t *testing.T) {
			t.Parallel()
			deflate := "0"
			if md.mode != 0 {
				deflate = "1"
			}
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, node, "node/peer.js", "server", deflate)
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			cmd.Stderr = os.Stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer func() {
				_ = cmd.Process.Kill()
				_ = cmd.Wait()
			}()
			line, err := bufio.NewReader(stdout).ReadString('\n')
			port, ok := strings.CutPrefix(strings.TrimSpace(line), "PORT ")
			if err != nil || !ok {
				t.Fatalf("node server did not start: %q %v", line, err)
			}
			ourClientRun(t, "ws://127.0.0.1:"+port+"/", md.mode)
		})
	}
}
