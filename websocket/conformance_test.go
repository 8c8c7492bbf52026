package websocket

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"
)

// The conformance table follows the Autobahn|Testsuite case groups 1-7
// (framing, pings and pongs, reserved bits, opcodes, fragmentation, UTF-8,
// closing) and 12-13 (permessage-deflate), with the outcome RFC 6455 and
// RFC 7692 require for each. Every case runs twice: the package's server
// against a raw-frame client, and the package's client against a raw-frame
// server. The implementation under test echoes each message it reads.
//
// Stricter than Autobahn on one point: where Autobahn accepts either a
// close frame or a dropped TCP connection for a failed connection, the
// table wants the close frame with the code the RFC names.

type confCase struct {
	id    string
	steps []step
	side  string // "server" or "client" when the case applies to one side only

	mode   CompressionMode // the implementation's
	offer  string          // what the peer offers (as a client)
	answer string          // what the peer answers (as a server)
	want   string          // what the server must answer to offer, when not answer
}

func msgOf(n int) []byte { return bytes.Repeat([]byte("*"), n) }

// fragments splits one message into frames of at most size payload bytes.
func fragments(op opcode, p []byte, size int) []step {
	var out []step
	for first := true; first || len(p) > 0; first = false {
		k := min(size, len(p))
		f := frame(len(p) == k, opContinuation, p[:k])
		if first {
			f.op = op
		}
		out = append(out, f)
		p = p[k:]
	}
	return out
}

func cat(parts ...any) []step {
	var out []step
	for _, p := range parts {
		switch v := p.(type) {
		case step:
			out = append(out, v)
		case []step:
			out = append(out, v...)
		}
	}
	return out
}

func conformanceCases() []confCase {
	var cs []confCase
	add := func(id string, steps ...any) { cs = append(cs, confCase{id: id, steps: cat(steps...)}) }
	fail := expClose(StatusProtocolError)
	failUTF8 := expClose(StatusInvalidFramePayloadData)

	// 1 Framing (§5.2): text and binary messages of the sizes around the
	// length encodings, whole and written in 997-byte pieces, echoed.
	for i, n := range []int{0, 125, 126, 127, 128, 65535, 65536} {
		add("1.1."+itoa(i+1), text(string(msgOf(n))), expText(string(msgOf(n))))
		add("1.2."+itoa(i+1), binaryFrame(msgOf(n)), expBinary(msgOf(n)))
	}
	add("1.1.8", chunked(text(string(msgOf(65536))), 997), expText(string(msgOf(65536))))
	add("1.2.8", chunked(binaryFrame(msgOf(65536)), 997), expBinary(msgOf(65536)))
	// Masking direction (§5.1): servers refuse unmasked frames, clients
	// masked ones. The peer's masking is flipped for these.
	cs = append(cs, confCase{id: "1.3.1", side: "server", steps: []step{{kind: sendFrame, fin: true, op: opText, payload: []byte("unmasked"), code: -1}, fail}})
	cs = append(cs, confCase{id: "1.3.2", side: "client", steps: []step{{kind: sendFrame, fin: true, op: opText, payload: []byte("masked"), code: -1}, fail}})

	// 2 Pings and pongs (§5.5.2, §5.5.3): a ping gets a pong with its
	// payload, an unsolicited pong nothing, a ping over 125 bytes 1002.
	add("2.1", ping(""), expPong(""))
	add("2.2", ping("Hello, world!"), expPong("Hello, world!"))
	add("2.3", ping("\x00\xff\xfe\xfd\xfc\xfb\x00\xff"), expPong("\x00\xff\xfe\xfd\xfc\xfb\x00\xff"))
	add("2.4", ping(string(msgOf(125))), expPong(string(msgOf(125))))
	add("2.5", ping(string(msgOf(126))), fail)
	add("2.6", chunked(ping(string(msgOf(125))), 1), expPong(string(msgOf(125))))
	add("2.7", pong(""))
	add("2.8", pong("unsolicited pong payload"))
	add("2.9", pong("unsolicited pong payload"), ping("ping payload"), expPong("ping payload"))
	var ten, tenChunked []step
	for i := 0; i < 10; i++ {
		ten = append(ten, ping("payload-"+itoa(i)))
		tenChunked = append(tenChunked, chunked(ping("payload-"+itoa(i)), 1))
	}
	var tenPongs []step
	for i := 0; i < 10; i++ {
		tenPongs = append(tenPongs, expPong("payload-"+itoa(i)))
	}
	add("2.10", ten, tenPongs)
	add("2.11", tenChunked, tenPongs)

	// 3 Reserved bits (§5.2): refused with 1002 unless an extension owns
	// them (none here); frames before the bad one are answered.
	add("3.1", withRSV(text("Hello, world!"), bitRSV1), fail)
	add("3.2", text("Hello, world!"), withRSV(text("Hello, world!"), bitRSV2), ping(""), expText("Hello, world!"), fail)
	add("3.3", text("Hello, world!"), withRSV(text("Hello, world!"), bitRSV1|bitRSV2), ping(""), expText("Hello, world!"), fail)
	add("3.4", text("Hello, world!"), chunked(withRSV(text("Hello, world!"), bitRSV3), 1), ping(""), expText("Hello, world!"), fail)
	add("3.5", withRSV(binaryFrame([]byte{0, 0xff, 0xfe}), bitRSV1|bitRSV3), fail)
	add("3.6", withRSV(ping("Hello, world!"), bitRSV2|bitRSV3), fail)
	add("3.7", withRSV(closeCode(StatusNormalClosure, ""), bitRSV1|bitRSV2|bitRSV3), fail)

	// 4 Opcodes (§5.2): reserved non-control (3-7) and control (11-15)
	// opcodes fail the connection with 1002.
	for i, op := range []opcode{3, 4, 5, 6, 7} {
		add("4.1."+itoa(i+1), text("Hello, world!"), frame(true, op, []byte("reserved")), ping(""), expText("Hello, world!"), fail)
	}
	for i, op := range []opcode{11, 12, 13, 14, 15} {
		add("4.2."+itoa(i+1), text("Hello, world!"), frame(true, op, []byte("reserved")), ping(""), expText("Hello, world!"), fail)
	}

	// 5 Fragmentation (§5.4): fragmented control frames and continuations
	// without a message fail with 1002; control frames between fragments
	// are answered and the message reassembled.
	add("5.1", frame(false, opPing, []byte("frag")), frame(true, opContinuation, []byte("ment")), fail)
	add("5.2", frame(false, opPong, []byte("frag")), frame(true, opContinuation, []byte("ment")), fail)
	add("5.3", frame(false, opText, []byte("frag")), frame(true, opContinuation, []byte("ment")), expText("fragment"))
	add("5.4", chunked(frame(false, opText, []byte("frag")), 1), chunked(frame(true, opContinuation, []byte("ment")), 1), expText("fragment"))
	add("5.6", frame(false, opText, []byte("frag")), ping("between"), frame(true, opContinuation, []byte("ment")), expPong("between"), expText("fragment"))
	add("5.7", chunked(frame(false, opText, []byte("frag")), 1), chunked(ping("between"), 1), chunked(frame(true, opContinuation, []byte("ment")), 1), expPong("between"), expText("fragment"))
	add("5.9", frame(true, opContinuation, []byte("no start")), text("Hello, world!"), fail)
	add("5.10", chunked(frame(true, opContinuation, []byte("no start")), 1), text("Hello, world!"), fail)
	add("5.12", frame(false, opContinuation, []byte("no start")), text("Hello, world!"), fail)
	add("5.15", frame(false, opText, []byte("frag1")), frame(true, opContinuation, []byte("frag2")), frame(false, opContinuation, []byte("frag3")), frame(true, opText, []byte("frag4")), expText("frag1frag2"), fail)
	add("5.18", frame(false, opText, []byte("frag1")), frame(true, opText, []byte("frag2")), fail)
	add("5.19", frame(false, opText, []byte("f1")), frame(false, opContinuation, []byte("f2")), ping("p1"),
		frame(false, opContinuation, []byte("f3")), frame(false, opContinuation, []byte("f4")), ping("p2"),
		frame(true, opContinuation, []byte("f5")), expPong("p1"), expPong("p2"), expText("f1f2f3f4f5"))
	add("5.20", fragments(opBinary, msgOf(300), 7), expBinary(msgOf(300)))

	// 6 UTF-8 (§8.1, RFC 3629): valid text in every fragmentation, invalid
	// text refused with 1007, and failed fast: before the rest of the
	// message arrives.
	valid := []string{"", "κόσμε", "\x00", "\u0080", "\u0800", "\U00010000", "\u007f", "\u07ff", "\uffff", "\U0010ffff",
		"\ud7ff", "\ue000", "\ufffd", "\ufffe", "Hello-µ@ßöäüàá-UTF-8!!"}
	for i, v := range valid {
		add("6.2."+itoa(i+1), text(v), expText(v))
		if len(v) > 1 {
			add("6.6."+itoa(i+1), fragments(opText, []byte(v), 1), expText(v)) // cut inside code points
		}
	}
	invalid := []string{
		"\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5\xed\xa0\x80\x65\x64\x69\x74\x65\x64", // surrogate
		"\xf4\x90\x80\x80",     // above U+10FFFF
		"\xf8\x88\x80\x80\x80", // 5-byte form
		"\x80", "\xbf", "\x80\xbf\x80",
		"\xc0 ", "\xe0 ", "\xf0 ", // lonely start bytes
		"\xc2", "\xe0\x80", "\xf0\x80\x80", // missing last byte (and overlong)
		"\xfe", "\xff", "\xfe\xfe\xff\xff", // impossible bytes
		"\xc0\xaf", "\xe0\x80\xaf", "\xf0\x80\x80\xaf", "\xc1\xbf", // overlong
		"\xed\xa0\x80", "\xed\xbf\xbf", "\xed\xa0\x80\xed\xb0\x80", // surrogates
		"\xe1\x80", // cut short at the message's end
	}
	for i, v := range invalid {
		add("6.3."+itoa(i+1), text(v), failUTF8)
		add("6.3."+itoa(i+1)+"f", fragments(opText, []byte(v), 1), failUTF8)
	}
	// Fail fast: the invalid first fragment alone gets the close frame.
	add("6.4.1", frame(false, opText, []byte("\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5\xf4\x90\x80\x80")), failUTF8)
	add("6.4.2", frame(false, opText, []byte("\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5\xf4")),
		frame(false, opContinuation, []byte("\x90")), failUTF8)
	add("6.4.3", frame(false, opText, []byte("Hello \xed\xa0")), failUTF8)
	add("6.4.4", frame(false, opText, []byte("ok so far")), frame(false, opContinuation, []byte("\xc0\xaf")), failUTF8)

	// 7 Closing (§5.5.1, §7.4): the close frame is answered with its code,
	// nothing is answered after it, a bad payload, code or reason fails
	// with 1002 (1007 for the reason's UTF-8).
	add("7.1.1", text("Hello World!"), expText("Hello World!"), closeCode(StatusNormalClosure, ""), expClose(StatusNormalClosure))
	add("7.1.2", closeCode(StatusNormalClosure, ""), closeCode(StatusNormalClosure, ""), expClose(StatusNormalClosure))
	add("7.1.3", closeCode(StatusNormalClosure, ""), ping("after close"), expClose(StatusNormalClosure))
	add("7.1.4", closeCode(StatusNormalClosure, ""), text("after close"), expClose(StatusNormalClosure))
	add("7.1.5", frame(false, opText, []byte("frag1")), closeCode(StatusNormalClosure, ""), frame(true, opContinuation, []byte("frag2")), expClose(StatusNormalClosure))
	add("7.1.6", binaryFrame(msgOf(256<<10)), text("Hello World!"), closeCode(StatusNormalClosure, ""),
		expBinary(msgOf(256<<10)), expText("Hello World!"), expClose(StatusNormalClosure))
	add("7.3.1", closeFrame(nil), expClose(StatusNoStatusReceived))
	add("7.3.2", closeFrame([]byte{0x03}), fail)
	add("7.3.3", closeCode(StatusNormalClosure, ""), expClose(StatusNormalClosure))
	add("7.3.4", closeCode(StatusNormalClosure, "Hello World!"), expClose(StatusNormalClosure))
	add("7.3.5", closeCode(StatusNormalClosure, string(msgOf(123))), expClose(StatusNormalClosure))
	add("7.3.6", closeCode(StatusNormalClosure, string(msgOf(124))), fail)
	add("7.5.1", closeCode(StatusNormalClosure, "\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5\xed\xa0\x80\x65\x64\x69\x74\x65\x64"), failUTF8)
	// Codes that may be sent are echoed; 1012-1014 are registered with
	// IANA since the RFC, so they count as valid here.
	for i, code := range []StatusCode{1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999} {
		add("7.7."+itoa(i+1), closeCode(code, "Hello"), expClose(code))
	}
	for i, code := range []StatusCode{0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535} {
		add("7.9."+itoa(i+1), closeCode(code, ""), fail)
	}

	// 12 permessage-deflate (RFC 7692 §7.2): messages of growing sizes,
	// whole and fragmented, both directions compressed, context taken over.
	z := func(id string, mode CompressionMode, offer, answer string, steps ...any) {
		cs = append(cs, confCase{id: id, mode: mode, offer: offer, answer: answer, steps: cat(steps...)})
	}
	sizes := []int{16, 64, 256, 1024, 4096, 8192, 16384, 32768, 65536, 131072}
	for i, n := range sizes {
		msg := bytes.Repeat([]byte("Hello, WebSocket compression! "), n/30+1)[:n]
		var bin []byte
		for j := 0; j < n; j++ {
			bin = append(bin, byte(j*j%251))
		}
		var echoSteps []any
		for k := 0; k < 3; k++ { // several messages: the window carries over
			echoSteps = append(echoSteps, zframes(opText, msg, 0), expZ(opText, msg))
		}
		z("12.1."+itoa(i+1), CompressionContextTakeover, "permessage-deflate", "permessage-deflate", echoSteps...)
		z("12.2."+itoa(i+1), CompressionContextTakeover, "permessage-deflate", "permessage-deflate",
			zframes(opBinary, bin, 0), expZ(opBinary, bin), zframes(opBinary, bin, 0), expZ(opBinary, bin))
		z("12.3."+itoa(i+1), CompressionContextTakeover, "permessage-deflate", "permessage-deflate",
			zframes(opText, msg, 256), expZ(opText, msg), zframes(opText, msg, 1000), expZ(opText, msg))
		z("12.4."+itoa(i+1), CompressionNoContextTakeover, "permessage-deflate", "permessage-deflate; server_no_context_takeover; client_no_context_takeover",
			zframes(opText, msg, 0), expZ(opText, msg), zframes(opBinary, bin, 4096), expZ(opBinary, bin))
	}
	// Uncompressed messages mix with compressed ones.
	z("12.5.1", CompressionContextTakeover, "permessage-deflate", "permessage-deflate",
		text("plain"), expZ(opText, []byte("plain")), zframes(opText, msgOf(500), 0), expZ(opText, msgOf(500)), text("plain again"), expZ(opText, []byte("plain again")))
	// RSV1 on a continuation frame is a protocol error, as is RSV1 when
	// compression was not negotiated (3.1).
	z("12.6.1", CompressionContextTakeover, "permessage-deflate", "permessage-deflate",
		frame(false, opText, []byte("a")), withRSV(frame(true, opContinuation, []byte("b")), bitRSV1), fail)
	// Corrupt DEFLATE data fails the connection.
	z("12.6.2", CompressionContextTakeover, "permessage-deflate", "permessage-deflate",
		withRSV(text("\xff\xff\xff\xff not deflate"), bitRSV1), failUTF8)

	// 13 Negotiation parameters (RFC 7692 §7.1): each offer gets the answer
	// the RFC allows, and both sides then honour it.
	big := bytes.Repeat([]byte("negotiated parameters, "), 500)
	ex := []any{zframes(opText, big, 0), expZ(opText, big), zframes(opText, big, 2000), expZ(opText, big)}
	z("13.1.1", CompressionContextTakeover, "permessage-deflate", "permessage-deflate", ex...)
	z("13.2.1", CompressionContextTakeover, "permessage-deflate; client_no_context_takeover", "permessage-deflate; client_no_context_takeover", ex...)
	z("13.3.1", CompressionContextTakeover, "permessage-deflate; server_no_context_takeover", "permessage-deflate; server_no_context_takeover", ex...)
	for _, bits := range []string{"8", "9", "12", "15"} {
		z("13.4."+bits, CompressionContextTakeover, "permessage-deflate; server_max_window_bits="+bits, "permessage-deflate; server_max_window_bits="+bits, ex...)
		// The client's own limit needs no answer from the server (its
		// inflater takes any window); the client honours a limit the
		// server sets.
		z("13.5."+bits, CompressionContextTakeover, "permessage-deflate; client_max_window_bits="+bits, "permessage-deflate; client_max_window_bits="+bits, ex...)
		cs[len(cs)-1].want = "permessage-deflate"
	}
	z("13.6.1", CompressionNoContextTakeover, "permessage-deflate; client_max_window_bits", "permessage-deflate; server_no_context_takeover; client_no_context_takeover", ex...)
	z("13.7.1", CompressionContextTakeover, "permessage-deflate; unknown_param, permessage-deflate; server_no_context_takeover", "permessage-deflate; server_no_context_takeover", ex...)
	return cs
}

// zframes is a message the peer compresses (whole, or cut into frames of
// size compressed bytes).
func zframes(op opcode, p []byte, size int) step {
	return step{kind: sendFrame, fin: true, op: op, payload: p, deflate: true, chunk: -size}
}

func expZ(op opcode, p []byte) step { return step{kind: expectMsg, op: op, payload: p, deflate: true} }

func TestConformance(t *testing.T) {
	t.Parallel()
	for _, cc := range conformanceCases() {
		for _, side := range []string{"server", "client"} {
			if cc.side != "" && cc.side != side {
				continue
			}
			t.Run(cc.id+"/"+side, func(t *testing.T) {
				t.Parallel()
				var p *rawPeer
				if side == "server" {
					p = peerAgainstServer(t, cc)
				} else {
					p = peerAgainstClient(t, cc)
				}
				runCase(t, p, cc)
			})
		}
	}
}

func runCase(t *testing.T, p *rawPeer, cc confCase) {
	steps := append([]step(nil), cc.steps...) // both sides run the same case at once
	if last := steps[len(steps)-1]; last.kind != expectClose {
		steps = append(steps, closeCode(StatusNormalClosure, ""), expClose(StatusNormalClosure))
	}
	for i, s := range steps {
		switch s.kind {
		case sendFrame:
			switch {
			case s.code == -1: // wrong masking direction on purpose
				p.mask = !p.mask
				p.write(s)
				p.mask = !p.mask
			case s.deflate:
				p.writeCompressed(s)
			default:
				p.write(s)
			}
		default:
			if err := p.check(s); err != nil {
				t.Fatalf("step %d: %v", i+1, err)
			}
		}
	}
}

// writeCompressed sends a whole message compressed by the peer, in frames
// of -s.chunk compressed bytes when that is set.
func (p *rawPeer) writeCompressed(s step) {
	if p.zResetEach {
		p.zw = nil
	}
	z := p.compress(s.payload)
	size := -s.chunk
	if size <= 0 {
		size = len(z) + 1
	}
	for i, f := range fragments(s.op, z, size) {
		if i == 0 {
			f.rsv = bitRSV1
		}
		p.write(f)
	}
}

// peerAgainstServer opens a raw client connection to the package's echo
// server.
func peerAgainstServer(t *testing.T, cc confCase) *rawPeer {
	addr := startServer(t, &AcceptOptions{CompressionMode: cc.mode, MaxMessageSize: -1}, echo)
	extra := ""
	if cc.offer != "" {
		extra = "Sec-WebSocket-Extensions: " + cc.offer + "\r\n"
	}
	nc, br, head := rawHandshake(t, addr, extra)
	if !strings.HasPrefix(head, "HTTP/1.1 101 ") {
		t.Fatalf("handshake: %q", head)
	}
	p := &rawPeer{t: t, nc: nc, br: br, mask: true}
	if cc.offer != "" {
		resp := headerValue(head, "Sec-Websocket-Extensions")
		want := cc.answer
		if cc.want != "" {
			want = cc.want
		}
		if resp != want {
			t.Fatalf("server answered %q to %q, want %q", resp, cc.offer, want)
		}
		p.configure(resp, true)
	}
	return p
}

// peerAgainstClient accepts the package's client, which echoes.
func peerAgainstClient(t *testing.T, cc confCase) *rawPeer {
	ln := listenT(t)
	type accepted struct {
		p   *rawPeer
		err error
	}
	got := make(chan accepted, 1)
	go func() {
		nc, err := ln.Accept()
		if err != nil {
			got <- accepted{err: err}
			return
		}
		_ = nc.SetDeadline(time.Now().Add(10 * time.Second))
		p := &rawPeer{t: t, nc: nc, br: newBufReader(nc)}
		var req strings.Builder
		for !strings.HasSuffix(req.String(), "\r\n\r\n") {
			b, err := p.br.ReadByte()
			if err != nil {
				got <- accepted{err: err}
				return
			}
			req.WriteByte(b)
		}
		key := headerValue(req.String(), "Sec-WebSocket-Key")
		resp := "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " + acceptKey([]byte(key)) + "\r\n"
		if cc.answer != "" {
			resp += "Sec-WebSocket-Extensions: " + cc.answer + "\r\n"
			p.configure(cc.answer, false)
		}
		_, err = io.WriteString(nc, resp+"\r\n")
		got <- accepted{p: p, err: err}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := Dial(ctx, "ws://"+ln.Addr().String()+"/", &DialOptions{CompressionMode: cc.mode, MaxMessageSize: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.CloseNow() })
	go func() {
		for {
			typ, msg, err := c.Read(context.Background())
			if err != nil {
				return
			}
			if err := c.Write(context.Background(), typ, msg); err != nil {
				return
			}
		}
	}()
	a := <-got
	if a.err != nil {
		t.Fatal(a.err)
	}
	t.Cleanup(func() { _ = a.p.nc.Close() })
	return a.p
}

// configure sets the peer's compression from the negotiated parameters;
// peerIsClient tells which side's parameters bind the peer.
func (p *rawPeer) configure(resp string, peerIsClient bool) {
	if resp == "" {
		return
	}
	p.zw = nil
	p.zEnabled = true
	if peerIsClient {
		p.zResetEach = strings.Contains(resp, "client_no_context_takeover")
		p.zNoCtx = strings.Contains(resp, "server_no_context_takeover")
	} else {
		p.zResetEach = strings.Contains(resp, "server_no_context_takeover")
		p.zNoCtx = strings.Contains(resp, "client_no_context_takeover")
	}
}

func headerValue(head, name string) string {
	for _, line := range strings.Split(head, "\r\n") {
		k, v, ok := strings.Cut(line, ":")
		if ok && strings.EqualFold(k, name) {
			return strings.TrimSpace(v)
		}
	}
	return ""
}
