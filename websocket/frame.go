package websocket

import (
	"encoding/binary"
	"math/bits"
)

// Frame layout (RFC 6455 §5.2): two fixed bytes (FIN, RSV1-3 and the
// opcode; MASK and a 7-bit length), an extended length of 2 or 8 bytes when
// the 7-bit one is 126 or 127, then a 4-byte masking key on frames a
// client sends.

type opcode byte

const (
	opContinuation opcode = 0x0
	opText         opcode = 0x1
	opBinary       opcode = 0x2
	opClose        opcode = 0x8
	opPing         opcode = 0x9
	opPong         opcode = 0xa
)

const (
	bitFIN  = 0x80
	bitRSV1 = 0x40
	bitRSV2 = 0x20
	bitRSV3 = 0x10
	bitMask = 0x80

	// maxHeaderSize is the longest frame header: 2 + 8 + 4 bytes.
	maxHeaderSize = 14
	// maxControlPayload is the longest payload of a control frame (§5.5).
	maxControlPayload = 125
)

func (op opcode) isControl() bool { return op&0x8 != 0 }

// frameHeader is a decoded frame header.
type frameHeader struct {
	fin     bool
	rsv1    bool
	op      opcode
	masked  bool
	length  int64
	maskKey [4]byte
}

// headerLen returns how many bytes the header starting with b0, b1 takes.
func headerLen(b1 byte) int {
	n := 2
	switch b1 & 0x7f {
	case 126:
		n += 2
	case 127:
		n += 8
	}
	if b1&bitMask != 0 {
		n += 4
	}
	return n
}

// parseHeader decodes a complete header from b (len(b) == headerLen(b[1])).
// It checks only what needs no connection state: reserved bits other than
// RSV1, unknown opcodes, the rules for control frames and a 64-bit length
// with its top bit set. The rest (masking direction, RSV1 ownership,
// fragmentation order, size limits) is the reader's.
func parseHeader(b []byte) (frameHeader, string) {
	var h frameHeader
	b0, b1 := b[0], b[1]
	h.fin = b0&bitFIN != 0
	h.rsv1 = b0&bitRSV1 != 0
	h.op = opcode(b0 & 0x0f)
	h.masked = b1&bitMask != 0
	i := 2
	switch l := b1 & 0x7f; l {
	case 126:
		h.length = int64(binary.BigEndian.Uint16(b[2:]))
		i = 4
	case 127:
		u := binary.BigEndian.Uint64(b[2:])
		if u>>63 != 0 {
			return h, "invalid frame length"
		}
		h.length = int64(u)
		i = 10
	default:
		h.length = int64(l)
	}
	if h.masked {
		copy(h.maskKey[:], b[i:i+4])
	}
	// The whole header is decoded before it is judged, so that a caller
	// failing the connection still knows how long the frame is.
	if b0&(bitRSV2|bitRSV3) != 0 {
		return h, "reserved bit set"
	}
	switch h.op {
	case opContinuation, opText, opBinary, opClose, opPing, opPong:
	default:
		return h, "reserved opcode"
	}
	if h.op.isControl() {
		if !h.fin {
			return h, "fragmented control frame"
		}
		if h.length > maxControlPayload {
			return h, "control frame too long"
		}
	}
	return h, ""
}

// putHeader encodes a header into b (at least maxHeaderSize long) and
// returns its length. mask is the masking key, used when masked is set.
func putHeader(b []byte, fin, rsv1 bool, op opcode, length int, masked bool, mask [4]byte) int {
	b0 := byte(op)
	if fin {
		b0 |= bitFIN
	}
	if rsv1 {
		b0 |= bitRSV1
	}
	b[0] = b0
	var m byte
	if masked {
		m = bitMask
	}
	n := 2
	switch {
	case length <= 125:
		b[1] = m | byte(length)
	case length <= 0xffff:
		b[1] = m | 126
		binary.BigEndian.PutUint16(b[2:], uint16(length))
		n = 4
	default:
		b[1] = m | 127
		binary.BigEndian.PutUint64(b[2:], uint64(length))
		n = 10
	}
	if masked {
		copy(b[n:], mask[:])
		n += 4
	}
	return n
}

// maskBytes XORs b with the masking key, starting at position pos of the
// key's 4-byte cycle, and returns the position after b. Masking and
// unmasking are the same operation.
func maskBytes(key [4]byte, pos int, b []byte) int {
	if len(b) == 0 {
		return pos
	}
	k32 := binary.LittleEndian.Uint32(key[:])
	// Rotate the key so that its byte pos lines up with b[0].
	k32 = bits.RotateLeft32(k32, -8*(pos&3))
	k64 := uint64(k32) | uint64(k32)<<32
	i := 0
	for ; len(b)-i >= 32; i += 32 {
		s := b[i : i+32 : i+32]
		binary.LittleEndian.PutUint64(s[0:], binary.LittleEndian.Uint64(s[0:])^k64)
		binary.LittleEndian.PutUint64(s[8:], binary.LittleEndian.Uint64(s[8:])^k64)
		binary.LittleEndian.PutUint64(s[16:], binary.LittleEndian.Uint64(s[16:])^k64)
		binary.LittleEndian.PutUint64(s[24:], binary.LittleEndian.Uint64(s[24:])^k64)
	}
	for ; len(b)-i >= 8; i += 8 {
		binary.LittleEndian.PutUint64(b[i:], binary.LittleEndian.Uint64(b[i:])^k64)
	}
	for ; i < len(b); i++ {
		b[i] ^= byte(k32)
		k32 = bits.RotateLeft32(k32, -8)
	}
	return (pos + len(b)) & 3
}
