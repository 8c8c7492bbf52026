package interop

import (
	"bytes"
	"io"
	"strconv"
	"testing"
)

// A message of the matrix: 0 B to 16 MiB, text and binary, sent whole or
// in fragments by the side under test.
type message struct {
	text       bool
	size       int
	fragmented bool
}

func (m message) String() string {
	kind := "binary"
	if m.text {
		kind = "text"
	}
	how := "whole"
	if m.fragmented {
		how = "fragmented"
	}
	return kind + "/" + strconv.Itoa(m.size) + "/" + how
}

var sizes = []int{0, 1, 125, 126, 65535, 65536, 1 << 20, 16 << 20}

func matrix() []message {
	var ms []message
	for _, size := range sizes {
		for _, text := range []bool{true, false} {
			for _, frag := range []bool{false, true} {
				ms = append(ms, message{text: text, size: size, fragmented: frag})
			}
		}
	}
	return ms
}

// payload is deterministic content: text mixes multi-byte runes (cut only
// at rune boundaries), binary covers every byte value.
func payload(m message) []byte {
	if m.text {
		unit := []byte("κόσμε WebSocket ")
		b := bytes.Repeat(unit, m.size/len(unit)+1)
		for n := m.size; ; n-- {
			if n == 0 || (b[n]&0xc0 != 0x80) {
				return b[:n:n]
			}
		}
	}
	b := make([]byte, m.size)
	for i := range b {
		b[i] = byte(i*31 + m.size)
	}
	return b
}

const maxMessage = 32 << 20

func check(t *testing.T, m message, got []byte, text bool) {
	t.Helper()
	want := payload(m)
	if text != m.text || !bytes.Equal(got, want) {
		t.Fatalf("%v: echo differs (text %v, %d bytes, want %d)", m, text, len(got), len(want))
	}
}

// sendInPieces sends p as one message through the writer open returns, in
// 1000-byte writes, so that the implementation fragments it its own way.
func sendInPieces(p []byte, open func() (io.WriteCloser, error)) error {
	w, err := open()
	if err != nil {
		return err
	}
	for rest := p; len(rest) > 0; rest = rest[min(len(rest), 1000):] {
		if _, err := w.Write(rest[:min(len(rest), 1000)]); err != nil {
			return err
		}
	}
	return w.Close()
}
