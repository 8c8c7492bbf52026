package fasthttp

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/net/http2"
	"golang.org/x/net/http2/hpack"
)

// This file is the HTTP/2 connection: the engine that serves connections
// handed to it after TLS (ALPN "h2") or on a plain connection that starts
// with the HTTP/2 preface, and the read loop that runs the connection's
// state machine (RFC 9113). Frames are read and written with
// golang.org/x/net/http2's Framer and header blocks coded with its hpack
// package; streams, flow control, limits and scheduling are this file's
// and its siblings' (http2_stream.go, http2_flow.go, http2_settings.go,
// http2_response.go, http2_writer.go).

// h2Dispatcher is the engine's whole view of the handler surface. For
// each request stream the engine calls, in order:
//
//   - h2Begin (read loop), for the Request the header block is decoded
//     into; the dispatcher may keep its own state in st.user;
//   - h2Check (read loop) once the header is decoded and before any body
//     byte is read or 100 Continue sent: a non-nil error is answered
//     instead of running the handler (GetOnly, Expect policy...);
//   - h2Serve (a stream goroutine), once the body is buffered, or at once
//     when the body is streamed, or when st.requestErr() must be answered.
//     It must answer with st.respond; the engine resets the stream if it
//     does not;
//   - h2End once the request is no longer used: by the stream goroutine
//     right after h2Serve, or by the read loop for a stream never served
//     (malformed, reset, refused once opened). The Request may then be
//     recycled.
type h2Dispatcher interface {
	h2Begin(st *h2Stream) *Request
	h2Check(st *h2Stream) error
	h2Serve(st *h2Stream)
	h2End(st *h2Stream)
}

// h2Engine serves HTTP/2 connections for one server.
type h2Engine struct {
	o h2Options
	d h2Dispatcher

	mu       sync.Mutex
	conns    map[*h2Conn]struct{}
	stopping bool
}

func newH2Engine(o h2Options, d h2Dispatcher) *h2Engine {
	return &h2Engine{o: o, d: d, conns: make(map[*h2Conn]struct{})}
}

// serveConn serves c as an HTTP/2 connection until it ends. br, when not
// nil, is a reader of c that may hold bytes already read (the preface of
// an h2c connection, peeked by the HTTP/1 loop); the connection preface
// must still be unread in it. serveConn closes c and returns once every
// stream's handler has returned: nil when the connection ended normally
// (the client left, GOAWAY), else the error that ended it.
func (e *h2Engine) serveConn(c net.Conn, br *bufio.Reader) error {
	sc := newH2Conn(e, c, br)
	e.mu.Lock()
	if e.stopping {
		e.mu.Unlock()
		_ = c.Close()
		return nil
	}
	e.conns[sc] = struct{}{}
	e.mu.Unlock()
	err := sc.serve()
	e.mu.Lock()
	delete(e.conns, sc)
	e.mu.Unlock()
	return err
}

// shutdown starts a graceful shutdown of every connection: each gets a
// GOAWAY, finishes the streams it has and closes; new connections are
// refused. Server.Shutdown calls it in phase B.
func (e *h2Engine) shutdown() {
	e.mu.Lock()
	e.stopping = true
	conns := make([]*h2Conn, 0, len(e.conns))
	for sc := range e.conns {
		conns = append(conns, sc)
	}
	e.mu.Unlock()
	for _, sc := range conns {
		sc.goAway()
	}
}

// h2Conn is one HTTP/2 connection.
type h2Conn struct {
	e *h2Engine
	o *h2Options
	d h2Dispatcher
	c net.Conn

	br        *bufio.Reader
	ownReader bool
	rfr       *http2.Framer
	dec       *hpack.Decoder
	w         h2Writer
	hb        h2HeaderBlock

	id       uint64
	connTime time.Time
	ip       netip.Addr
	hasIP    bool
	user     any // the dispatcher's own state for the connection

	// Read loop only.
	maxSeen          uint32 // highest stream id the client opened
	recvWindow       int32  // what the client may still send on the connection
	recvUnacked      int32  // consumed, not yet credited back
	buffered         int64  // body bytes buffered by streams still collecting
	flood            h2FloodGuard
	settingsAcked    bool
	settingsDeadline time.Time
	pingOut          bool
	pingData         [8]byte
	pingDeadline     time.Time
	lastRead         time.Time
	frames           uint64
	framesAtWait     uint64
	hbOpen           bool
	hbStart          time.Time
	readDeadline     time.Time
	deadlineStale    bool
	peerGoAway       bool
	graceful         bool // ended by GOAWAY: let the client read it before closing

	kick atomic.Bool // another goroutine wants the read loop to look around

	// Guarded by mu.
	mu             sync.Mutex
	streams        []*h2Stream // open, or with a handler still running
	finished       []*h2Stream // done, waiting for the read loop to release them
	open           int         // streams not closed both ways
	running        int         // handlers started and not returned
	queue          []*h2Stream // dispatched, waiting for a handler slot
	calm           bool        // the queue overflowed: ENHANCE_YOUR_CALM
	sendWindow     int64
	peerInitWindow int32
	peerMaxFrame   uint32
	goingAway      bool
	closed         bool
	lastID         uint32
	idleSince      time.Time
	reqNum         uint64
	resets         [32]uint32 // streams this side reset lately: their late frames are ignored
	resetPos       int

	work        chan *h2Stream
	trim        chan struct{}
	closing     chan struct{}
	idleWorkers atomic.Int32
	handlers    sync.WaitGroup
}

var h2ReaderPool sync.Pool

func newH2Conn(e *h2Engine, c net.Conn, br *bufio.Reader) *h2Conn {
	sc := &h2Conn{
		e:              e,
		o:              &e.o,
		d:              e.d,
		c:              c,
		br:             br,
		id:             ctxConnIDCounter.Add(1),
		connTime:       time.Now(),
		sendWindow:     h2DefaultWindow,
		peerInitWindow: h2DefaultWindow,
		peerMaxFrame:   h2MinFrameSize,
		work:           make(chan *h2Stream),
		trim:           make(chan struct{}),
		closing:        make(chan struct{}),
	}
	sc.idleSince = sc.connTime
	sc.lastRead = sc.connTime
	sc.ip, sc.hasIP = connIP(c)
	if sc.br == nil {
		sc.ownReader = true
		if v := h2ReaderPool.Get(); v != nil {
			sc.br = v.(*bufio.Reader)
			sc.br.Reset(c)
		} else {
			sc.br = bufio.NewReaderSize(c, 16<<10)
		}
	}
	sc.rfr = http2.NewFramer(nil, sc.br)
	sc.rfr.SetReuseFrames()
	sc.rfr.SetMaxReadFrameSize(e.o.maxReadFrameSize)
	sc.dec = hpack.NewDecoder(4096, sc.onField)
	// One string may not be larger than the whole list limit allows (with
	// room to answer 431 rather than fail the connection).
	sc.dec.SetMaxStringLength(int(e.o.maxHeaderListSize) * 2)
	sc.flood.budget = e.o.controlBudget
	sc.w.init(c, e.o.writeTimeout)
	return sc
}

// errH2Preface is a connection that did not start with the HTTP/2 preface.
var errH2Preface = errors.New("fasthttp: bad HTTP/2 connection preface")

// hasH2Preface reports whether br starts with the HTTP/2 client preface,
// without consuming it: how a plain listener recognises prior-knowledge
// h2c before handing br to serveConn. It reads only when the buffered
// bytes begin like the preface ("PRI "), so an HTTP/1 request is never
// waited on for more bytes than it sent.
func hasH2Preface(br *bufio.Reader) bool {
	const preface = http2.ClientPreface
	// Peek more only while what came matches: 1, 2, 4... bytes.
	for n := 1; ; n = min(2*n, len(preface)) {
		b, err := br.Peek(n)
		if err != nil || string(b) != preface[:n] {
			return false
		}
		if n == len(preface) {
			return true
		}
	}
}

// serve runs the read loop until the connection ends.
func (sc *h2Conn) serve() (err error) {
	defer func() { sc.teardown() }()
	if err = sc.writePreface(); err != nil {
		return err
	}
	if err = sc.readPreface(); err != nil {
		sc.goAwayNow(http2.ErrCodeProtocol)
		return err
	}
	for {
		sc.releaseFinished()
		if sc.shouldExit() {
			sc.graceful = true
			return nil
		}
		if sc.br.Buffered() == 0 {
			if err = sc.waitFrame(); err != nil {
				if err == io.EOF || errors.Is(err, net.ErrClosed) || err == errH2Idle {
					return nil
				}
				return err
			}
			continue
		}
		if err = sc.readFrame(); err != nil {
			return err
		}
	}
}

// readFrame reads and processes one frame. Errors the peer caused are
// answered here; the error returned ends the connection.
func (sc *h2Conn) readFrame() error {
	fh, err := sc.rfr.ReadFrameHeader()
	var f http2.Frame
	if err == nil {
		f, err = sc.rfr.ReadFrameForHeader(fh)
	}
	if err != nil {
		var se http2.StreamError
		var ce http2.ConnectionError
		switch {
		case errors.As(err, &se) && fh.Type != http2.FrameHeaders:
			// The frame was bad but the connection is still in step.
			sc.resetByID(se.StreamID, se.Code)
			return nil
		case errors.As(err, &se):
			// A bad HEADERS frame leaves its header block undecoded: the
			// HPACK state cannot be trusted any more.
			return sc.goAwayNow(http2.ErrCodeProtocol)
		case errors.As(err, &ce):
			return sc.goAwayNow(http2.ErrCode(ce))
		case errors.Is(err, http2.ErrFrameTooLarge):
			return sc.goAwayNow(http2.ErrCodeFrameSize)
		}
		return err
	}
	sc.frames++
	err = sc.processFrame(f)
	if err == nil && sc.calm {
		err = http2.ConnectionError(http2.ErrCodeEnhanceYourCalm)
	}
	if err != nil {
		var ce http2.ConnectionError
		if errors.As(err, &ce) {
			return sc.goAwayNow(http2.ErrCode(ce))
		}
		return err
	}
	return nil
}

func (sc *h2Conn) processFrame(f http2.Frame) error {
	switch f := f.(type) {
	case *http2.DataFrame:
		return sc.onData(f)
	case *http2.HeadersFrame:
		return sc.onHeaders(f)
	case *http2.ContinuationFrame:
		return sc.onContinuation(f)
	case *http2.SettingsFrame:
		return sc.onSettings(f)
	case *http2.PingFrame:
		return sc.onPing(f)
	case *http2.WindowUpdateFrame:
		return sc.onWindowUpdate(f)
	case *http2.RSTStreamFrame:
		return sc.onRSTStream(f)
	case *http2.PriorityFrame:
		return sc.onPriority(f)
	case *http2.GoAwayFrame:
		sc.peerGoAway = true
		return nil
	case *http2.PushPromiseFrame:
		// Clients never push (RFC 9113 §8.4).
		return http2.ConnectionError(http2.ErrCodeProtocol)
	}
	// Unknown and extension frame types are ignored (§5.5); the Framer
	// already refused one in the middle of a header block.
	return nil
}

// lookup returns the stream id if it is open or still being served.
func (sc *h2Conn) lookup(id uint32) *h2Stream {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	for _, st := range sc.streams {
		if st.id == id {
			return st
		}
	}
	return nil
}

// noteReset remembers that this side reset stream id, so that frames the
// client sent before it saw the reset are ignored (RFC 9113 §5.4.2).
func (sc *h2Conn) noteReset(id uint32) {
	sc.mu.Lock()
	sc.resets[sc.resetPos] = id
	sc.resetPos = (sc.resetPos + 1) % len(sc.resets)
	sc.mu.Unlock()
}

func (sc *h2Conn) wasReset(id uint32) bool {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	for _, r := range sc.resets {
		if r == id {
			return true
		}
	}
	return false
}

// resetByID resets stream id, open or not (read loop).
func (sc *h2Conn) resetByID(id uint32, code http2.ErrCode) {
	if st := sc.lookup(id); st != nil {
		sc.resetStream(st, code)
		return
	}
	_ = sc.w.writeRST(id, code)
	sc.noteReset(id)
}

// onHeaders starts a header block: a new request, a request's trailers,
// or a block that is only decoded to keep HPACK in step.
func (sc *h2Conn) onHeaders(f *http2.HeadersFrame) error {
	id := f.StreamID
	if id%2 == 0 {
		return http2.ConnectionError(http2.ErrCodeProtocol)
	}
	hb := &sc.hb
	*hb = h2HeaderBlock{id: id, end: f.StreamEnded()}
	if sc.o.readTimeout > 0 {
		sc.hbStart = time.Now()
		sc.hbOpen = true
	}
	var rst http2.ErrCode = h2NoReset
	st := sc.lookup(id)
	switch {
	case st != nil:
		remote, local := st.closed()
		switch {
		case remote && local:
			// Closed, but its handler still runs.
			if !sc.wasReset(id) {
				return http2.ConnectionError(http2.ErrCodeStreamClosed)
			}
			rst = h2Ignore
		case remote:
			rst = http2.ErrCodeStreamClosed
		case !hb.end:
			// Trailers must end the stream (RFC 9113 §8.1).
			rst = http2.ErrCodeProtocol
		default:
			// Trailers; those of a body answered early are dropped, but
			// their END_STREAM still closes the stream.
			hb.st, hb.trailers, hb.drop = st, true, st.discard
		}
	case id <= sc.maxSeen:
		if !sc.wasReset(id) {
			return http2.ConnectionError(http2.ErrCodeStreamClosed)
		}
		rst = h2Ignore
	default:
		sc.maxSeen = id
		var refused bool
		if st, refused = sc.openStream(id); st != nil {
			hb.st = st
			st.req = sc.d.h2Begin(st)
		} else if refused {
			rst = http2.ErrCodeRefusedStream
			if !sc.flood.spend(time.Now()) {
				return http2.ConnectionError(http2.ErrCodeEnhanceYourCalm)
			}
		} else {
			rst = h2Ignore // after GOAWAY: not processed, the client may retry
		}
	}
	if f.HasPriority() && f.Priority.StreamDep == id {
		// A stream cannot depend on itself (RFC 9113 §5.3.1).
		rst = http2.ErrCodeProtocol
	}
	if rst != h2NoReset && hb.st != nil && !hb.trailers {
		// Opened just now: it ends without being served.
		sc.abortStream(hb.st, errH2StreamReset)
	}
	if rst != h2NoReset {
		hb.st = nil
	}
	hb.rst = rst
	if err := sc.feedHeaderBlock(f.HeaderBlockFragment()); err != nil {
		return err
	}
	if f.HeadersEnded() {
		return sc.endHeaderBlock()
	}
	return nil
}

// Pseudo error codes of h2HeaderBlock.rst.
const (
	h2NoReset http2.ErrCode = 1<<32 - 1 // the block is fine so far
	h2Ignore  http2.ErrCode = 1<<32 - 2 // decode and drop, answer nothing
)

// openStream creates the stream id unless the connection is going away
// (nil, false) or the stream would exceed a budget (nil, true).
func (sc *h2Conn) openStream(id uint32) (*h2Stream, bool) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	sc.lastID = id
	if sc.goingAway || sc.closed {
		return nil, false
	}
	if uint32(sc.open) >= sc.o.maxStreams {
		return nil, true
	}
	if sc.o.budget != nil && sc.hasIP && !sc.o.budget.acquire(sc.ip) {
		return nil, true
	}
	st := acquireH2Stream(sc, id)
	sc.open++
	sc.reqNum++
	st.seq = sc.reqNum
	sc.streams = append(sc.streams, st)
	return st, false
}

func (sc *h2Conn) onContinuation(f *http2.ContinuationFrame) error {
	if err := sc.feedHeaderBlock(f.HeaderBlockFragment()); err != nil {
		return err
	}
	if f.HeadersEnded() {
		return sc.endHeaderBlock()
	}
	return nil
}

// feedHeaderBlock decodes one fragment of the current header block. The
// block is bounded in bytes and in frames, so a CONTINUATION flood ends
// the connection instead of keeping it decoding forever.
func (sc *h2Conn) feedHeaderBlock(frag []byte) error {
	hb := &sc.hb
	hb.frag += len(frag)
	hb.frames++
	if hb.frag > h2MaxBlockBytes(sc.o) || hb.frames > h2MaxBlockFrames {
		return http2.ConnectionError(http2.ErrCodeEnhanceYourCalm)
	}
	if _, err := sc.dec.Write(frag); err != nil {
		return http2.ConnectionError(http2.ErrCodeCompression)
	}
	return nil
}

// h2MaxBlockFrames bounds the frames of one header block: a client needs
// a handful; thousands of tiny CONTINUATION frames are an attack.
const h2MaxBlockFrames = 128

// h2MaxBlockBytes bounds the compressed size of one header block. A block
// somewhat over the header limit is still decoded, to answer 431; one far
// over it is an attack.
func h2MaxBlockBytes(o *h2Options) int {
	return 4*int(o.maxHeaderListSize) + 64<<10
}

// endHeaderBlock acts on a complete header block.
func (sc *h2Conn) endHeaderBlock() error {
	hb := &sc.hb
	sc.hbOpen = false
	err := sc.dec.Close()
	sc.dec.SetEmitEnabled(true)
	if err != nil {
		return http2.ConnectionError(http2.ErrCodeCompression)
	}
	st := hb.st
	if st == nil {
		if hb.rst != h2Ignore && hb.rst != h2NoReset {
			sc.resetByID(hb.id, hb.rst)
		}
		return nil
	}
	if hb.trailers {
		if (hb.err != nil || hb.tooLarge) && !hb.drop {
			sc.resetStream(st, http2.ErrCodeProtocol)
			return nil
		}
		sc.endRemote(st)
		return nil
	}
	if hb.err == nil && !hb.tooLarge {
		hb.err = hb.finishRequest()
	}
	if hb.err != nil && !hb.tooLarge {
		sc.resetStream(st, http2.ErrCodeProtocol)
		return nil
	}
	h := &st.req.Header
	st.head = h.IsHead()
	if h.hasContentLength {
		st.declared = int64(h.contentLength)
		if hb.end && st.declared > 0 {
			// The length promises a body that END_STREAM denies (§8.1.1).
			sc.resetStream(st, http2.ErrCodeProtocol)
			return nil
		}
	}
	if !hb.end && sc.o.readTimeout > 0 {
		st.bodyDeadline = sc.hbStart.Add(sc.o.readTimeout)
	}
	switch {
	case hb.tooLarge:
		st.reqErr = errH2HeaderTooBig
	default:
		st.reqErr = sc.d.h2Check(st)
	}
	if st.reqErr == nil && !sc.o.streamRequestBody && st.declared > int64(sc.o.maxRequestBodySize) {
		st.reqErr = ErrBodyTooLarge
	}
	if st.reqErr != nil {
		// Answered without the body: what the client still sends is
		// dropped, and RST_STREAM(NO_ERROR) follows the answer.
		st.discard = true
		if hb.end {
			sc.closeRemote(st)
		}
		sc.dispatch(st)
		return nil
	}
	if hb.expect100 && !hb.end {
		_ = st.writeInterim(StatusContinue, nil)
	}
	switch {
	case hb.end:
		sc.endRemote(st)
	case sc.o.streamRequestBody:
		st.pipe = acquireH2BodyPipe(st)
		st.req.bodySetStream(st.pipe)
		sc.dispatch(st)
	default:
		st.collecting = true
	}
	return nil
}

// closeRemote records END_STREAM from the client.
func (sc *h2Conn) closeRemote(st *h2Stream) {
	sc.mu.Lock()
	st.remoteClosed = true
	sc.finishLocked(st)
	sc.mu.Unlock()
}

// endRemote ends the request body: Content-Length must match what came
// (RFC 9113 §8.1.1); a buffered request is then served, a streamed one
// sees the end of its body.
func (sc *h2Conn) endRemote(st *h2Stream) {
	if st.declared >= 0 && st.received != st.declared && !st.discard {
		sc.stopCollecting(st)
		sc.resetStream(st, http2.ErrCodeProtocol)
		return
	}
	sc.stopCollecting(st)
	if st.pipe != nil {
		st.pipe.finish(nil)
	}
	sc.mu.Lock()
	st.remoteClosed = true
	dispatched := st.dispatched
	sc.finishLocked(st)
	sc.mu.Unlock()
	if !dispatched {
		sc.dispatch(st)
	}
}

// onData takes body bytes: counted against both receive windows, checked
// against Content-Length and the body limit, then buffered or streamed.
func (sc *h2Conn) onData(f *http2.DataFrame) error {
	id := f.StreamID
	n := int32(f.Length) // padding counts against flow control too
	if n > sc.recvWindow {
		return http2.ConnectionError(http2.ErrCodeFlowControl)
	}
	sc.recvWindow -= n
	st := sc.lookup(id)
	if st == nil {
		if id > sc.maxSeen {
			return http2.ConnectionError(http2.ErrCodeProtocol)
		}
		sc.creditConn(n)
		if !sc.wasReset(id) {
			_ = sc.w.writeRST(id, http2.ErrCodeStreamClosed)
		}
		return nil
	}
	sc.creditConn(n)
	if remote, _ := st.closed(); remote {
		if !st.rst.Load() {
			sc.resetStream(st, http2.ErrCodeStreamClosed)
		} else if !sc.wasReset(id) {
			_ = sc.w.writeRST(id, http2.ErrCodeStreamClosed)
		}
		return nil
	}
	if n > st.recvWindow.Load() {
		sc.stopCollecting(st)
		sc.resetStream(st, http2.ErrCodeFlowControl)
		return nil
	}
	st.recvWindow.Add(-n)
	data := f.Data()
	pad := n - int32(len(data))
	if len(data) == 0 && !f.StreamEnded() && !sc.flood.spend(time.Now()) {
		return http2.ConnectionError(http2.ErrCodeEnhanceYourCalm)
	}
	st.received += int64(len(data))
	if st.declared >= 0 && st.received > st.declared && !st.discard {
		sc.stopCollecting(st)
		sc.resetStream(st, http2.ErrCodeProtocol)
		return nil
	}
	switch {
	case st.discard:
		sc.creditStream(st, n)
	case st.pipe != nil:
		if st.pipe.write(data) {
			sc.creditStream(st, pad)
		} else {
			st.discard = true
			sc.creditStream(st, n)
		}
	case st.received > int64(sc.o.maxRequestBodySize):
		sc.stopCollecting(st)
		st.discard = true
		st.reqErr = ErrBodyTooLarge
		sc.creditStream(st, n)
		sc.dispatch(st)
	default:
		st.req.bodyAppend(data)
		sc.buffered += int64(len(data))
		sc.creditCollecting(st, n)
	}
	if f.StreamEnded() {
		sc.endRemote(st)
	}
	return nil
}

func (sc *h2Conn) onRSTStream(f *http2.RSTStreamFrame) error {
	id := f.StreamID
	if id > sc.maxSeen {
		return http2.ConnectionError(http2.ErrCodeProtocol)
	}
	st := sc.lookup(id)
	if st == nil {
		return nil
	}
	sc.mu.Lock()
	unfinished := !st.localClosed
	sc.mu.Unlock()
	if unfinished && !sc.flood.spend(time.Now()) {
		// Rapid reset: streams opened and cancelled to make the server
		// start handlers for nothing (CVE-2023-44487).
		return http2.ConnectionError(http2.ErrCodeEnhanceYourCalm)
	}
	sc.stopCollecting(st)
	sc.abortStream(st, errH2StreamReset)
	return nil
}

func (sc *h2Conn) onPriority(f *http2.PriorityFrame) error {
	if !sc.flood.spend(time.Now()) {
		return http2.ConnectionError(http2.ErrCodeEnhanceYourCalm)
	}
	if f.StreamDep == f.StreamID {
		sc.resetByID(f.StreamID, http2.ErrCodeProtocol)
	}
	// Priorities are advice (RFC 9113 §5.3): streams are served as they
	// come and share the connection window fairly.
	return nil
}

// shouldExit reports whether a connection going away has no stream left.
func (sc *h2Conn) shouldExit() bool {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	return (sc.goingAway || sc.peerGoAway) && len(sc.streams) == 0
}

// wakeLoop makes the read loop look at the connection's state soon,
// even while it waits for a frame.
func (sc *h2Conn) wakeLoop() {
	sc.kick.Store(true)
	_ = sc.c.SetReadDeadline(time.Now())
}

// goAway shuts the connection down gracefully: a GOAWAY tells the client
// which streams will be served; newer ones are ignored (the client may
// retry them elsewhere); the connection closes once the streams are done.
// It is safe to call from any goroutine, any number of times.
func (sc *h2Conn) goAway() {
	sc.mu.Lock()
	if sc.goingAway || sc.closed {
		sc.mu.Unlock()
		return
	}
	sc.goingAway = true
	last := sc.lastID
	sc.mu.Unlock()
	_ = sc.w.writeGoAway(last, http2.ErrCodeNo, nil)
	sc.wakeLoop()
}

// goAwayNow ends the connection with a connection error of code. The
// returned error is what serve reports.
func (sc *h2Conn) goAwayNow(code http2.ErrCode) error {
	sc.mu.Lock()
	sc.goingAway = true
	last := sc.lastID
	sc.mu.Unlock()
	_ = sc.w.writeGoAway(last, code, nil)
	sc.graceful = true
	return http2.ConnectionError(code)
}

// teardown ends the connection: every stream is aborted, the handlers
// still running are waited for, and everything pooled goes back.
func (sc *h2Conn) teardown() {
	sc.mu.Lock()
	sc.closed = true
	open := append([]*h2Stream(nil), sc.streams...)
	sc.mu.Unlock()
	close(sc.closing)
	for _, st := range open {
		sc.abortStream(st, errH2ConnClosed)
	}
	if sc.graceful {
		// Flush what is queued and let the client read it: closing with
		// unread input would reset the connection under it.
		if sc.w.lock() == nil {
			sc.w.fail(sc.w.bw.Flush())
		}
		sc.w.unlock()
		lingerClose(sc.c)
	}
	_ = sc.c.Close()
	sc.handlers.Wait()
	sc.releaseFinished()
	sc.w.release()
	if sc.ownReader {
		sc.br.Reset(nil)
		h2ReaderPool.Put(sc.br)
	}
	sc.br = nil
}
