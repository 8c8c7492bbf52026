//go:build unix

package prefork

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/valyala/fasthttp"
)

// The test binary doubles as the child process: the master under test
// re-executes it with FASTHTTP_PREFORK_CHILD=1, and TestMain then serves
// instead of running the tests. These variables steer the child.
const (
	envRole   = "PREFORK_TEST_ROLE"   // "child" (default) or "orphan-master"
	envAddr   = "PREFORK_TEST_ADDR"   // address for Reuseport children
	envReuse  = "PREFORK_TEST_REUSE"  // "1": children listen with Reuseport
	envMarker = "PREFORK_TEST_MARKER" // file a child writes when it stops
)

func TestMain(m *testing.M) {
	switch {
	case os.Getenv(envRole) == "orphan-master":
		orphanMaster()
	case IsChild():
		runChild()
	default:
		os.Exit(m.Run())
	}
}

// runChild serves "pid <n>" until its listener is closed.
func runChild() {
	s := &fasthttp.Server{Handler: func(ctx *fasthttp.RequestCtx) {
		fmt.Fprintf(ctx, "pid %d procs %d", os.Getpid(), runtime.GOMAXPROCS(0))
	}}
	p := New(s)
	p.Reuseport = os.Getenv(envReuse) == "1"
	if marker := os.Getenv(envMarker); marker != "" {
		// Lets the test kill this process should it fail to stop.
		os.WriteFile(marker+".pid", []byte(strconv.Itoa(os.Getpid())), 0o600)
	}
	err := p.ListenAndServe(os.Getenv(envAddr))
	if marker := os.Getenv(envMarker); marker != "" {
		os.WriteFile(marker, []byte(fmt.Sprint("stopped: ", err)), 0o600)
	}
	os.Exit(0)
}

// orphanMaster starts one child and exits at once, leaving it orphaned.
func orphanMaster() {
	cmd := exec.Command(os.Args[0], os.Args[1:]...)
	cmd.Env = append(os.Environ(), childEnv+"=1", envRole+"=child")
	if err := cmd.Start(); err != nil {
		os.Exit(2)
	}
	time.Sleep(300 * time.Millisecond) // let the child record its parent
	os.Exit(0)
}

// getPID asks the server at addr which process answered.
func getPID(t *testing.T, addr string) (pid, procs int) {
	t.Helper()
	c := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	var lastErr error
	for range 50 {
		resp, err := c.Get("http://" + addr + "/")
		if err != nil {
			lastErr = err
			time.Sleep(50 * time.Millisecond)
			continue
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if _, err := fmt.Sscanf(string(b), "pid %d procs %d", &pid, &procs); err != nil {
			t.Fatalf("body %q", b)
		}
		return pid, procs
	}
	t.Fatalf("no answer from %s: %v", addr, lastErr)
	return 0, 0
}

func alive(pid int) bool {
	return syscall.Kill(pid, 0) == nil
}

func waitGone(t *testing.T, pids []int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for _, pid := range pids {
		for alive(pid) {
			if time.Now().After(deadline) {
				t.Fatalf("child %d still running", pid)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
}

type masterRun struct {
	mu      sync.Mutex
	pids    []int
	spawned []int
	recov   [][2]int
	ready   chan struct{}
	done    chan error
}

// startMaster runs p as master in the background and waits until its
// children are started.
func startMaster(t *testing.T, p *Prefork, addr string) *masterRun {
	t.Helper()
	r := &masterRun{ready: make(chan struct{}), done: make(chan error, 1)}
	p.Logger = testLogger{t}
	p.OnChildSpawn = func(pid int) error {
		r.mu.Lock()
		r.spawned = append(r.spawned, pid)
		r.mu.Unlock()
		return nil
	}
	p.OnChildRecover = func(oldPID, newPID int) {
		r.mu.Lock()
		r.recov = append(r.recov, [2]int{oldPID, newPID})
		r.mu.Unlock()
	}
	p.OnMasterReady = func(pids []int) error {
		r.mu.Lock()
		r.pids = pids
		r.mu.Unlock()
		close(r.ready)
		return nil
	}
	go func() { r.done <- p.ListenAndServe(addr) }()
	select {
	case <-r.ready:
	case err := <-r.done:
		t.Fatalf("master returned early: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("children not started")
	}
	return r
}

func (r *masterRun) wait(t *testing.T) error {
	t.Helper()
	select {
	case err := <-r.done:
		return err
	case <-time.After(10 * time.Second):
		t.Fatal("master did not return")
		return nil
	}
}

type testLogger struct{ t *testing.T }

func (l testLogger) Printf(format string, args ...any) { l.t.Logf(format, args...) }

func TestPreforkInheritedListener(t *testing.T) {
	p := New(&fasthttp.Server{})
	p.RecoverThreshold = 0
	p.ShutdownGracePeriod = 2 * time.Second
	r := startMaster(t, p, "127.0.0.1:0")
	if len(r.pids) != runtime.GOMAXPROCS(0) {
		t.Fatalf("%d children for %d CPUs", len(r.pids), runtime.GOMAXPROCS(0))
	}
	addr := p.sock.ln.Addr().String()
	pid, procs := getPID(t, addr)
	if pid == os.Getpid() || !contains(r.pids, pid) {
		t.Fatalf("answered by %d, children are %v", pid, r.pids)
	}
	if procs != 1 {
		t.Fatalf("child GOMAXPROCS %d, want 1", procs)
	}

	// A dead child with no recovery left stops the master, which then
	// stops the other children.
	syscall.Kill(r.pids[0], syscall.SIGKILL)
	if err := r.wait(t); !errors.Is(err, ErrOverRecovery) {
		t.Fatalf("master returned %v, want ErrOverRecovery", err)
	}
	waitGone(t, r.pids)
	if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		c.Close()
		t.Fatal("the address still accepts after the master stopped")
	}
}

func TestPreforkRecoversChildren(t *testing.T) {
	p := New(&fasthttp.Server{})
	p.RecoverThreshold = 1
	p.RecoverInterval = 10 * time.Millisecond
	r := startMaster(t, p, "127.0.0.1:0")
	addr := p.sock.ln.Addr().String()
	victim := r.pids[0]
	syscall.Kill(victim, syscall.SIGKILL)

	deadline := time.Now().Add(5 * time.Second)
	for {
		r.mu.Lock()
		n := len(r.recov)
		r.mu.Unlock()
		if n == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("dead child not replaced")
		}
		time.Sleep(10 * time.Millisecond)
	}
	r.mu.Lock()
	rec := r.recov[0]
	spawned := append([]int(nil), r.spawned...)
	r.mu.Unlock()
	if rec[0] != victim || rec[1] == victim || !contains(spawned, rec[1]) {
		t.Fatalf("OnChildRecover(%d, %d), victim %d, spawned %v", rec[0], rec[1], victim, spawned)
	}
	getPID(t, addr) // still served

	// The second death exceeds the threshold.
	syscall.Kill(rec[1], syscall.SIGKILL)
	if err := r.wait(t); !errors.Is(err, ErrOverRecovery) {
		t.Fatalf("master returned %v", err)
	}
	waitGone(t, spawned)
}

func TestPreforkReuseport(t *testing.T) {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	t.Setenv(envReuse, "1")
	t.Setenv(envAddr, addr)

	p := New(&fasthttp.Server{})
	p.Reuseport = true
	p.RecoverThreshold = 0
	r := startMaster(t, p, addr)
	if p.sock.ln != nil {
		t.Fatal("the master opened a listener although children use Reuseport")
	}
	if pid, _ := getPID(t, addr); !contains(r.pids, pid) {
		t.Fatalf("answered by %d, children are %v", pid, r.pids)
	}
	syscall.Kill(r.pids[0], syscall.SIGKILL)
	if err := r.wait(t); !errors.Is(err, ErrOverRecovery) {
		t.Fatalf("master returned %v", err)
	}
	waitGone(t, r.pids)
}

func TestPreforkCommandProducer(t *testing.T) {
	for _, tc := range []struct {
		name    string
		produce func(files []*os.File) (*exec.Cmd, error)
		want    error
	}{
		{"nil", func([]*os.File) (*exec.Cmd, error) { return nil, nil }, ErrCommandProducerNilCmd},
		{"not started", func([]*os.File) (*exec.Cmd, error) { return exec.Command(os.Args[0]), nil }, ErrCommandProducerNotStarted},
		{"error", func([]*os.File) (*exec.Cmd, error) { return nil, errSentinel }, errSentinel},
	} {
		p := New(&fasthttp.Server{})
		p.Logger = testLogger{t}
		p.CommandProducer = tc.produce
		if err := p.ListenAndServe("127.0.0.1:0"); !errors.Is(err, tc.want) {
			t.Fatalf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}

	// A working producer: the files are the inherited listener.
	p := New(&fasthttp.Server{})
	p.RecoverThreshold = 0
	var produced []int
	p.CommandProducer = func(files []*os.File) (*exec.Cmd, error) {
		if len(files) != 1 {
			return nil, fmt.Errorf("%d files", len(files))
		}
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), childEnv+"=1")
		cmd.ExtraFiles = files
		err := cmd.Start()
		if err == nil {
			produced = append(produced, cmd.Process.Pid)
		}
		return cmd, err
	}
	r := startMaster(t, p, "127.0.0.1:0")
	if pid, _ := getPID(t, p.sock.ln.Addr().String()); !contains(produced, pid) {
		t.Fatalf("answered by %d, produced %v", pid, produced)
	}
	syscall.Kill(r.pids[0], syscall.SIGKILL)
	r.wait(t)
	waitGone(t, produced)
}

var errSentinel = errors.New("producer failed")

func TestPreforkOnChildSpawnErrorStops(t *testing.T) {
	p := New(&fasthttp.Server{})
	p.Logger = testLogger{t}
	var pids []int
	p.OnChildSpawn = func(pid int) error {
		pids = append(pids, pid)
		return errSentinel
	}
	if err := p.ListenAndServe("127.0.0.1:0"); !errors.Is(err, errSentinel) {
		t.Fatalf("%v", err)
	}
	waitGone(t, pids)
}

// TestPreforkOrphanStops: a child whose master died closes its listener
// and returns from ListenAndServe instead of serving on as an orphan.
func TestPreforkOrphanStops(t *testing.T) {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	marker := t.TempDir() + "/stopped"
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), envRole+"=orphan-master", envReuse+"=1", envAddr+"="+addr, envMarker+"="+marker)
	t.Cleanup(func() {
		if b, err := os.ReadFile(marker + ".pid"); err == nil {
			if pid, _ := strconv.Atoi(string(b)); pid > 0 {
				syscall.Kill(pid, syscall.SIGKILL)
			}
		}
	})
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("orphan master: %v\n%s", err, out)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		b, err := os.ReadFile(marker)
		if err == nil {
			if !strings.HasPrefix(string(b), "stopped") {
				t.Fatalf("marker %q", b)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("orphaned child still serving")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestNewDefaults(t *testing.T) {
	s := &fasthttp.Server{}
	p := New(s)
	if p.Network != "tcp4" || p.RecoverThreshold != runtime.GOMAXPROCS(0)/2 || p.ServeFunc == nil ||
		p.ServeTLSFunc == nil || p.ServeTLSEmbedFunc == nil || p.Reuseport {
		t.Fatalf("defaults %+v", p)
	}
	if IsChild() {
		t.Fatal("the test process reports being a child")
	}
}

func TestListenAndServeTLSArgumentOrder(t *testing.T) {
	t.Setenv(childEnv, "1")
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	p := New(&fasthttp.Server{})
	p.Reuseport = true
	prev := runtime.GOMAXPROCS(0)
	defer runtime.GOMAXPROCS(prev)
	var got [2]string
	p.ServeTLSFunc = func(ln net.Listener, certFile, keyFile string) error {
		got = [2]string{certFile, keyFile}
		return ln.Close()
	}
	if err := p.ListenAndServeTLS(addr, "key.pem", "cert.pem"); err != nil {
		t.Fatal(err)
	}
	if got != [2]string{"cert.pem", "key.pem"} {
		t.Fatalf("ServeTLSFunc got certFile=%q keyFile=%q", got[0], got[1])
	}
	var emb [2]string
	p.ServeTLSEmbedFunc = func(ln net.Listener, certData, keyData []byte) error {
		emb = [2]string{string(certData), string(keyData)}
		return ln.Close()
	}
	if err := p.ListenAndServeTLSEmbed(addr, []byte("cert"), []byte("key")); err != nil {
		t.Fatal(err)
	}
	if emb != [2]string{"cert", "key"} {
		t.Fatalf("ServeTLSEmbedFunc got %q", emb)
	}
}

func contains(s []int, v int) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
