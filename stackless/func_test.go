package stackless

import (
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestNewFuncRunsF(t *testing.T) {
	t.Parallel()
	var calls atomic.Int64
	f := NewFunc(func(ctx any) {
		*ctx.(*int) *= 2
		calls.Add(1)
	})
	var wg sync.WaitGroup
	for i := range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v := i
			if !f(&v) {
				t.Error("call refused under light load")
				return
			}
			// The call has completed when f returns.
			if v != 2*i {
				t.Errorf("ctx %d, want %d", v, 2*i)
			}
		}()
	}
	wg.Wait()
	if calls.Load() != 100 {
		t.Fatalf("f ran %d times", calls.Load())
	}
}

// TestNewFuncRunsElsewhere checks f runs on one of the dedicated goroutines,
// not on the caller's: the caller's frames must not be on f's stack.
func TestNewFuncRunsElsewhere(t *testing.T) {
	t.Parallel()
	stacks := make(chan string, 1)
	marker := new(int)
	f := NewFunc(func(ctx any) {
		if ctx != any(marker) {
			stacks <- "wrong ctx"
			return
		}
		buf := make([]byte, 64<<10)
		stacks <- string(buf[:runtime.Stack(buf, false)])
	})
	if !f(marker) {
		t.Fatal("refused")
	}
	if st := <-stacks; st == "wrong ctx" || strings.Contains(st, "testing.tRunner") || !strings.Contains(st, "runFuncWorker") {
		t.Fatalf("f ran on the caller's goroutine or got the wrong ctx:\n%s", st)
	}
}

func TestNewFuncRefusesWhenSaturated(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	f := NewFunc(func(any) { <-release })
	capacity := runtime.GOMAXPROCS(0) * (queuePerCPU + 1)
	var refused atomic.Int64
	var wg sync.WaitGroup
	for range capacity + 200 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if !f(nil) {
				refused.Add(1)
			}
		}()
	}
	deadline := time.Now().Add(5 * time.Second)
	for refused.Load() < 200 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	close(release)
	wg.Wait()
	if refused.Load() < 200 {
		t.Fatalf("%d calls refused, want at least 200 beyond the queue", refused.Load())
	}
}

func TestNewFuncNil(t *testing.T) {
	t.Parallel()
	defer func() {
		if recover() == nil {
			t.Fatal("NewFunc(nil) did not panic")
		}
	}()
	NewFunc(nil)
}
