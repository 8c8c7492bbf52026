package stackless

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"sync"
	"testing"
)

func newGzip(w io.Writer) Writer { return gzip.NewWriter(w) }

func gunzip(t *testing.T, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestWriterGzipRoundTrip(t *testing.T) {
	t.Parallel()
	var dst bytes.Buffer
	w := NewWriter(&dst, newGzip)
	var want bytes.Buffer
	for i := range 1000 {
		line := fmt.Sprintf("line %d of some compressible text\n", i)
		want.WriteString(line)
		if n, err := w.Write([]byte(line)); n != len(line) || err != nil {
			t.Fatalf("Write = %d, %v", n, err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if got := gunzip(t, dst.Bytes()); !bytes.Equal(got, want.Bytes()) {
		t.Fatalf("round trip lost data: %d bytes, want %d", len(got), want.Len())
	}
}

func TestWriterFlushReachesDestination(t *testing.T) {
	t.Parallel()
	var dst bytes.Buffer
	w := NewWriter(&dst, func(w io.Writer) Writer {
		fw, _ := flate.NewWriter(w, flate.BestSpeed)
		return fw
	})
	w.Write([]byte("hello"))
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	// A flushed deflate stream decodes to everything written so far.
	got, _ := io.ReadAll(flate.NewReader(bytes.NewReader(dst.Bytes())))
	if string(got) != "hello" {
		t.Fatalf("after Flush the destination decodes to %q", got)
	}
}

func TestWriterReset(t *testing.T) {
	t.Parallel()
	var a, b bytes.Buffer
	w := NewWriter(&a, newGzip)
	w.Write([]byte("first"))
	w.Close()
	w.Reset(&b)
	w.Write([]byte("second"))
	w.Close()
	if string(gunzip(t, a.Bytes())) != "first" || string(gunzip(t, b.Bytes())) != "second" {
		t.Fatal("Reset did not start a fresh stream on the new destination")
	}
}

type failingWriter struct{}

var errSink = errors.New("sink failed")

func (failingWriter) Write([]byte) (int, error) { return 0, errSink }

func TestWriterReportsDestinationErrors(t *testing.T) {
	t.Parallel()
	w := NewWriter(failingWriter{}, newGzip)
	w.Write([]byte("x"))
	if err := w.Close(); !errors.Is(err, errSink) {
		t.Fatalf("Close: %v, want the destination's error", err)
	}
}

func TestWriterConcurrentUse(t *testing.T) {
	t.Parallel()
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var dst bytes.Buffer
			w := NewWriter(&dst, newGzip)
			payload := bytes.Repeat([]byte{byte('a' + i)}, 10000)
			for range 5 {
				w.Write(payload)
			}
			w.Close()
			if got := gunzip(t, dst.Bytes()); len(got) != 50000 || got[0] != byte('a'+i) {
				t.Errorf("writer %d: %d bytes", i, len(got))
			}
		}()
	}
	wg.Wait()
}

func BenchmarkWriterGzip(b *testing.B) {
	payload := bytes.Repeat([]byte("benchmark payload "), 64)
	w := NewWriter(io.Discard, newGzip)
	b.ReportAllocs()
	for b.Loop() {
		w.Reset(io.Discard)
		w.Write(payload)
		w.Close()
	}
}
