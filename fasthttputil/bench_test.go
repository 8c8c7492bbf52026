package fasthttputil

import (
	"io"
	"testing"
)

// BenchmarkPipeConnsPingPong measures a request/response exchange over a
// pipe, the pattern of a server under test.
func BenchmarkPipeConnsPingPong(b *testing.B) {
	pc := NewPipeConns()
	c1, c2 := pc.Conn1(), pc.Conn2()
	msg := make([]byte, 1024)
	go func() {
		buf := make([]byte, len(msg))
		for {
			if _, err := io.ReadFull(c2, buf); err != nil {
				return
			}
			if _, err := c2.Write(buf); err != nil {
				return
			}
		}
	}()
	buf := make([]byte, len(msg))
	b.SetBytes(int64(len(msg)))
	b.ReportAllocs()
	for b.Loop() {
		c1.Write(msg)
		if _, err := io.ReadFull(c1, buf); err != nil {
			b.Fatal(err)
		}
	}
	pc.Close()
}

func BenchmarkInmemoryListenerDial(b *testing.B) {
	ln := NewInmemoryListener()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	b.ReportAllocs()
	for b.Loop() {
		c, err := ln.Dial()
		if err != nil {
			b.Fatal(err)
		}
		c.Close()
	}
	ln.Close()
}
