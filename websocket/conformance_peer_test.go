package websocket

import (
	"bufio"
	"bytes"
	"compress/flate"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"strings"
	"testing"
	"time"
)

// A raw-frame peer for the conformance table: it writes frames byte by
// byte as a case dictates (masked when it plays the client) and reads the
// implementation's frames back, independently of the package's own reader.
// Its compression uses the standard library's compress/flate, a different
// DEFLATE implementation from the package's.

type stepKind int

const (
	sendFrame   stepKind = iota // write one frame
	expectMsg                   // read one data message (frames up to FIN)
	expectPong                  // read a pong with a payload
	expectClose                 // read a close frame with a code (0: any), then the end of the stream
	pause                       // let the implementation act before the next write
)

type step struct {
	kind    stepKind
	fin     bool
	rsv     byte // RSV bits, already shifted (0x40, 0x20, 0x10)
	op      opcode
	payload []byte
	chunk   int  // write the frame in pieces of this many bytes
	deflate bool // compress payload (sendFrame) or expect it possibly compressed (expectMsg)
	code    StatusCode
}

func frame(fin bool, op opcode, payload []byte) step {
	return step{kind: sendFrame, fin: fin, op: op, payload: payload}
}
func text(s string) step            { return frame(true, opText, []byte(s)) }
func binaryFrame(b []byte) step     { return frame(true, opBinary, b) }
func ping(p string) step            { return frame(true, opPing, []byte(p)) }
func pong(p string) step            { return frame(true, opPong, []byte(p)) }
func expText(s string) step         { return step{kind: expectMsg, op: opText, payload: []byte(s)} }
func expBinary(b []byte) step       { return step{kind: expectMsg, op: opBinary, payload: b} }
func expPong(p string) step         { return step{kind: expectPong, payload: []byte(p)} }
func expClose(code StatusCode) step { return step{kind: expectClose, code: code} }
func chunked(s step, n int) step    { s.chunk = n; return s }
func withRSV(s step, rsv byte) step { s.rsv = rsv; return s }
func closeFrame(p []byte) step      { return frame(true, opClose, p) }
func closeCode(code StatusCode, reason string) step {
	p := binary.BigEndian.AppendUint16(nil, uint16(code))
	return closeFrame(append(p, reason...))
}

// rawPeer is one end of a connection driven by a case.
type rawPeer struct {
	t    *testing.T
	nc   net.Conn
	br   *bufio.Reader
	mask bool // the peer is the client

	// compression, once negotiated
	zw      *flate.Writer
	zbuf    bytes.Buffer
	zwindow []byte // the peer's inflate window (implementation compresses with context takeover)
	zNoCtx  bool   // the implementation resets its compressor per message

	zEnabled   bool // permessage-deflate was negotiated
	zResetEach bool // the peer must reset its compressor per message
	closeSent  bool
}

func newBufReader(nc net.Conn) *bufio.Reader { return bufio.NewReader(nc) }

func (p *rawPeer) write(s step) {
	if s.op == opClose {
		p.closeSent = true
	}
	payload := s.payload
	rsv := s.rsv
	if s.deflate {
		payload = p.compress(payload)
		if s.op != opContinuation {
			rsv |= bitRSV1
		}
	}
	var hdr [maxHeaderSize]byte
	var key [4]byte
	if p.mask {
		key = [4]byte{0x37, 0xfa, 0x21, 0x3d}
	}
	n := putHeader(hdr[:], s.fin, false, s.op, len(payload), p.mask, key)
	hdr[0] |= rsv
	b := append(hdr[:n:n], payload...)
	if p.mask {
		maskBytes(key, 0, b[n:])
	}
	if s.chunk <= 0 {
		s.chunk = len(b)
	}
	for len(b) > 0 {
		k := min(s.chunk, len(b))
		if _, err := p.nc.Write(b[:k]); err != nil {
			return // the implementation may already have failed the connection
		}
		b = b[k:]
	}
}

func (p *rawPeer) compress(b []byte) []byte {
	p.zbuf.Reset()
	if p.zw == nil {
		p.zw, _ = flate.NewWriter(&p.zbuf, flate.BestSpeed)
	}
	_, _ = p.zw.Write(b)
	_ = p.zw.Flush()
	out := bytes.TrimSuffix(p.zbuf.Bytes(), deflateTail)
	return append([]byte(nil), out...)
}

func (p *rawPeer) inflate(b []byte) ([]byte, error) {
	src := io.MultiReader(bytes.NewReader(b), bytes.NewReader(inflateTrailer))
	out, err := io.ReadAll(flate.NewReaderDict(src, p.zwindow))
	if err != nil {
		return nil, err
	}
	if !p.zNoCtx {
		p.zwindow = append(p.zwindow, out...)
		if len(p.zwindow) > windowSize {
			p.zwindow = p.zwindow[len(p.zwindow)-windowSize:]
		}
	}
	return out, nil
}

type peerFrame struct {
	fin     bool
	rsv     byte
	op      opcode
	masked  bool
	payload []byte
}

func (p *rawPeer) readFrame() (peerFrame, error) {
	_ = p.nc.SetReadDeadline(time.Now().Add(5 * time.Second))
	var b [maxHeaderSize]byte
	if _, err := io.ReadFull(p.br, b[:2]); err != nil {
		return peerFrame{}, err
	}
	n := headerLen(b[1])
	if _, err := io.ReadFull(p.br, b[2:n]); err != nil {
		return peerFrame{}, err
	}
	f := peerFrame{fin: b[0]&bitFIN != 0, rsv: b[0] & 0x70, op: opcode(b[0] & 0x0f), masked: b[1]&bitMask != 0}
	var length uint64
	switch l := b[1] & 0x7f; l {
	case 126:
		length = uint64(binary.BigEndian.Uint16(b[2:]))
	case 127:
		length = binary.BigEndian.Uint64(b[2:])
	default:
		length = uint64(l)
	}
	if length > 64<<20 {
		return f, errors.New("frame too long for the test peer")
	}
	f.payload = make([]byte, length)
	if _, err := io.ReadFull(p.br, f.payload); err != nil {
		return f, err
	}
	if f.masked {
		var key [4]byte
		copy(key[:], b[n-4:n])
		maskBytes(key, 0, f.payload)
	}
	return f, nil
}

// check reads what a step expects and reports a mismatch.
func (p *rawPeer) check(s step) error {
	f, err := p.readFrame()
	if err != nil {
		return errors.New("reading: " + err.Error())
	}
	if f.masked == p.mask {
		return errors.New("frame masking is wrong for its direction")
	}
	switch s.kind {
	case expectPong:
		if f.op != opPong || !bytes.Equal(f.payload, s.payload) {
			return errors.New("want pong " + quote(s.payload) + ", got " + describe(f))
		}
	case expectMsg:
		if f.op != s.op {
			return errors.New("want a message of opcode " + opName(s.op) + ", got " + describe(f))
		}
		compressed := f.rsv&bitRSV1 != 0
		if f.rsv&^bitRSV1 != 0 || (compressed && !p.zEnabled) {
			return errors.New("reserved bits on " + describe(f))
		}
		msg := f.payload
		for !f.fin {
			if f, err = p.readFrame(); err != nil {
				return errors.New("reading continuation: " + err.Error())
			}
			if f.op != opContinuation || f.rsv != 0 {
				return errors.New("want a continuation, got " + describe(f))
			}
			msg = append(msg, f.payload...)
		}
		if compressed {
			if msg, err = p.inflate(msg); err != nil {
				return errors.New("inflating: " + err.Error())
			}
		}
		if !bytes.Equal(msg, s.payload) {
			return errors.New("want message " + quote(s.payload) + ", got " + quote(msg))
		}
	case expectClose:
		if f.op != opClose {
			return errors.New("want a close frame, got " + describe(f))
		}
		got := StatusNoStatusReceived
		if len(f.payload) >= 2 {
			got = StatusCode(binary.BigEndian.Uint16(f.payload))
		}
		if s.code != 0 && got != s.code {
			return errors.New("want close code " + itoa(int(s.code)) + ", got " + itoa(int(got)) + " " + quote(f.payload))
		}
		// A well-behaved peer answers the close frame, then the
		// implementation closes the transport.
		if !p.closeSent {
			p.write(closeCode(StatusNormalClosure, ""))
		}
		if _, err := p.readFrame(); err == nil {
			return errors.New("a frame after the close frame")
		}
	}
	return nil
}

func opName(op opcode) string { return itoa(int(op)) }

func describe(f peerFrame) string {
	return "frame op " + opName(f.op) + " fin " + map[bool]string{true: "1", false: "0"}[f.fin] +
		" rsv " + itoa(int(f.rsv)) + " payload " + quote(f.payload)
}

func quote(b []byte) string {
	if len(b) > 40 {
		return "[" + itoa(len(b)) + " bytes]"
	}
	return "\"" + strings.ToValidUTF8(string(b), "\\x??") + "\""
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	neg := n < 0
	if neg {
		n = -n
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	if neg {
		return "-" + string(b)
	}
	return string(b)
}
