package fasthttputil

import (
	"bytes"
	"errors"
	"io"
	"net"
	"os"
	"sync"
	"testing"
	"time"
)

// within fails the test when f does not return in d, so a bug that blocks
// forever fails instead of hanging the suite.
func within(t *testing.T, d time.Duration, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); f() }()
	select {
	case <-done:
	case <-time.After(d):
		t.Fatalf("operation did not finish within %v", d)
	}
}

func TestPipeConnsBothDirections(t *testing.T) {
	t.Parallel()
	pc := NewPipeConns()
	c1, c2 := pc.Conn1(), pc.Conn2()
	for _, dir := range []struct {
		name string
		w, r net.Conn
	}{{"1to2", c1, c2}, {"2to1", c2, c1}} {
		if n, err := dir.w.Write([]byte("hello")); n != 5 || err != nil {
			t.Fatalf("%s: Write = %d, %v", dir.name, n, err)
		}
		if n, err := dir.w.Write([]byte(" world")); n != 6 || err != nil {
			t.Fatalf("%s: Write = %d, %v", dir.name, n, err)
		}
		buf := make([]byte, 3)
		var got []byte
		for len(got) < 11 {
			n, err := dir.r.Read(buf)
			if err != nil {
				t.Fatalf("%s: Read: %v", dir.name, err)
			}
			got = append(got, buf[:n]...)
		}
		if string(got) != "hello world" {
			t.Fatalf("%s: read %q", dir.name, got)
		}
	}
}

func TestPipeConnsWriteDoesNotWaitForReader(t *testing.T) {
	t.Parallel()
	pc := NewPipeConns()
	big := bytes.Repeat([]byte("0123456789"), 200<<10)
	within(t, 5*time.Second, func() {
		if n, err := pc.Conn1().Write(big); n != len(big) || err != nil {
			t.Errorf("Write = %d, %v", n, err)
		}
	})
	got, err := io.ReadAll(io.LimitReader(pc.Conn2(), int64(len(big))))
	if err != nil || !bytes.Equal(got, big) {
		t.Fatalf("read back %d bytes, err %v", len(got), err)
	}
}

func TestPipeConnsPeerCloseDrainsThenEOF(t *testing.T) {
	t.Parallel()
	pc := NewPipeConns()
	c1, c2 := pc.Conn1(), pc.Conn2()
	if _, err := c1.Write([]byte("last words")); err != nil {
		t.Fatal(err)
	}
	if err := c1.Close(); err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(c2)
	if err != nil || string(got) != "last words" {
		t.Fatalf("ReadAll after peer close = %q, %v", got, err)
	}
	if _, err := c2.Write([]byte("x")); !errors.Is(err, ErrConnectionClosed) {
		t.Fatalf("Write to closed peer: %v, want ErrConnectionClosed", err)
	}
	if _, err := c1.Write([]byte("x")); !errors.Is(err, ErrConnectionClosed) {
		t.Fatalf("Write on closed end: %v, want ErrConnectionClosed", err)
	}
	if _, err := c1.Read(make([]byte, 1)); !errors.Is(err, ErrConnectionClosed) {
		t.Fatalf("Read on closed end: %v, want ErrConnectionClosed", err)
	}
	if err := c1.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
}

func TestPipeConnsCloseUnblocksReads(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		closeFn func(pc *PipeConns)
		want    error
	}{
		{"own end", func(pc *PipeConns) { pc.Conn2().Close() }, ErrConnectionClosed},
		{"peer end", func(pc *PipeConns) { pc.Conn1().Close() }, io.EOF},
		{"pair", func(pc *PipeConns) { pc.Close() }, nil},
	} {
		pc := NewPipeConns()
		// Two concurrent readers: both must wake, not only one.
		errs := make(chan error, 2)
		for range 2 {
			go func() {
				_, err := pc.Conn2().Read(make([]byte, 8))
				errs <- err
			}()
		}
		time.Sleep(10 * time.Millisecond)
		tc.closeFn(pc)
		for range 2 {
			select {
			case err := <-errs:
				if err == nil || (tc.want != nil && !errors.Is(err, tc.want)) {
					t.Errorf("%s: Read returned %v, want %v", tc.name, err, tc.want)
				}
			case <-time.After(2 * time.Second):
				t.Fatalf("%s: Read still blocked after Close", tc.name)
			}
		}
	}
}

func TestPipeConnsReadDeadline(t *testing.T) {
	t.Parallel()
	pc := NewPipeConns()
	c1, c2 := pc.Conn1(), pc.Conn2()

	start := time.Now()
	c2.SetReadDeadline(time.Now().Add(30 * time.Millisecond))
	_, err := c2.Read(make([]byte, 1))
	if err != ErrTimeout {
		t.Fatalf("Read after deadline: %v, want ErrTimeout", err)
	}
	if el := time.Since(start); el < 25*time.Millisecond || el > 2*time.Second {
		t.Fatalf("deadline fired after %v", el)
	}
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("ErrTimeout is not a net.Error with Timeout: %T", err)
	}
	if !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatal("ErrTimeout does not match os.ErrDeadlineExceeded")
	}

	// An expired deadline fails reads even with data waiting, as on a
	// real connection; clearing it makes the data readable.
	c1.Write([]byte("x"))
	if _, err := c2.Read(make([]byte, 1)); err != ErrTimeout {
		t.Fatalf("Read past deadline with data: %v", err)
	}
	c2.SetReadDeadline(time.Time{})
	if n, err := c2.Read(make([]byte, 1)); n != 1 || err != nil {
		t.Fatalf("Read after clearing deadline = %d, %v", n, err)
	}

	// Setting a deadline wakes a reader blocked with none at all (how a
	// server's Shutdown stops its idle connections).
	c2.SetReadDeadline(time.Time{})
	go func() {
		time.Sleep(20 * time.Millisecond)
		c2.SetReadDeadline(time.Now())
	}()
	within(t, 2*time.Second, func() {
		if _, err := c2.Read(make([]byte, 1)); err != ErrTimeout {
			t.Errorf("Read woken by a new deadline: %v", err)
		}
	})

	// Shortening the deadline wakes a reader blocked on a far one.
	c2.SetReadDeadline(time.Now().Add(time.Hour))
	go func() {
		time.Sleep(20 * time.Millisecond)
		c2.SetReadDeadline(time.Now())
	}()
	within(t, 2*time.Second, func() {
		if _, err := c2.Read(make([]byte, 1)); err != ErrTimeout {
			t.Errorf("Read with shortened deadline: %v", err)
		}
	})

	// Extending the deadline while blocked keeps the reader waiting for
	// data that arrives after the first deadline would have fired.
	c2.SetReadDeadline(time.Now().Add(20 * time.Millisecond))
	c2.SetReadDeadline(time.Now().Add(2 * time.Second))
	go func() {
		time.Sleep(60 * time.Millisecond)
		c1.Write([]byte("y"))
	}()
	if n, err := c2.Read(make([]byte, 1)); n != 1 || err != nil {
		t.Fatalf("Read with extended deadline = %d, %v", n, err)
	}
}

func TestPipeConnsWriteDeadline(t *testing.T) {
	t.Parallel()
	pc := NewPipeConns()
	c1 := pc.Conn1()
	c1.SetWriteDeadline(time.Now().Add(-time.Second))
	if _, err := c1.Write([]byte("x")); err != ErrTimeout {
		t.Fatalf("Write past deadline: %v", err)
	}
	c1.SetDeadline(time.Now().Add(time.Hour))
	if _, err := c1.Write([]byte("x")); err != nil {
		t.Fatalf("Write before deadline: %v", err)
	}
}

func TestPipeConnsAddresses(t *testing.T) {
	t.Parallel()
	pc := NewPipeConns()
	if a := pc.Conn1().LocalAddr(); a.Network() != "pipe" || a.String() != "pipe" {
		t.Fatalf("default address %v/%v", a.Network(), a)
	}
	addr := func(s string) net.Addr { return &net.TCPAddr{IP: net.ParseIP(s), Port: 1} }
	a1, a2, a3, a4 := addr("10.0.0.1"), addr("10.0.0.2"), addr("10.0.0.3"), addr("10.0.0.4")
	pc.SetAddresses(a1, a2, a3, a4)
	if pc.Conn1().LocalAddr() != a1 || pc.Conn1().RemoteAddr() != a2 ||
		pc.Conn2().LocalAddr() != a3 || pc.Conn2().RemoteAddr() != a4 {
		t.Fatal("SetAddresses not reflected by LocalAddr/RemoteAddr")
	}
}

// TestPipeConnsConcurrentStream checks ordering and completeness with
// writers and readers on both ends at once (meaningful under -race).
func TestPipeConnsConcurrentStream(t *testing.T) {
	t.Parallel()
	pc := NewPipeConns()
	const total = 1 << 20
	var wg sync.WaitGroup
	for _, pair := range [][2]net.Conn{{pc.Conn1(), pc.Conn2()}, {pc.Conn2(), pc.Conn1()}} {
		w, r := pair[0], pair[1]
		wg.Add(2)
		go func() {
			defer wg.Done()
			var b [251]byte
			for i := 0; i < total; {
				n := min(len(b), total-i)
				for j := range n {
					b[j] = byte(i + j)
				}
				if _, err := w.Write(b[:n]); err != nil {
					t.Errorf("Write: %v", err)
					return
				}
				i += n
			}
		}()
		go func() {
			defer wg.Done()
			r.SetReadDeadline(time.Now().Add(10 * time.Second))
			buf := make([]byte, 997)
			for i := 0; i < total; {
				n, err := r.Read(buf)
				if err != nil {
					t.Errorf("Read at %d: %v", i, err)
					return
				}
				for j := range n {
					if buf[j] != byte(i+j) {
						t.Errorf("byte %d = %d, want %d", i+j, buf[j], byte(i+j))
						return
					}
				}
				i += n
			}
		}()
	}
	wg.Wait()
}

func TestPipeConnsZeroLength(t *testing.T) {
	t.Parallel()
	pc := NewPipeConns()
	if n, err := pc.Conn1().Write(nil); n != 0 || err != nil {
		t.Fatalf("Write(nil) = %d, %v", n, err)
	}
	if n, err := pc.Conn2().Read(nil); n != 0 || err != nil {
		t.Fatalf("Read(nil) = %d, %v", n, err)
	}
	// An empty write must not wake the reader with a zero-byte read.
	pc.Conn2().SetReadDeadline(time.Now().Add(20 * time.Millisecond))
	if _, err := pc.Conn2().Read(make([]byte, 1)); err != ErrTimeout {
		t.Fatalf("Read after empty write: %v, want ErrTimeout", err)
	}
}
