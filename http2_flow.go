package fasthttp

import (
	"time"

	"golang.org/x/net/http2"
)

// This file is HTTP/2 flow control (RFC 9113 §5.2, §6.9): the windows the
// client grants for the responses, which stream goroutines wait on, and
// the windows this side grants for request bodies, credited back as the
// bytes are consumed. No window is ever overdrawn: a sender takes bytes
// from both the stream's and the connection's window before writing, and
// a window the client shrinks below zero with SETTINGS is tracked as
// negative until WINDOW_UPDATEs lift it.

// Receive side.

// creditConn gives n consumed bytes back to the connection window. Credit
// goes out in batches of a quarter window, so that a busy connection does
// not send a WINDOW_UPDATE per DATA frame (read loop).
func (sc *h2Conn) creditConn(n int32) {
	if n <= 0 {
		return
	}
	sc.recvUnacked += n
	if sc.recvUnacked >= int32(sc.o.connWindow/4) {
		inc := sc.recvUnacked
		sc.recvUnacked = 0
		sc.recvWindow += inc
		_ = sc.w.writeWindowUpdate(0, uint32(inc))
	}
}

// creditStream gives n bytes back to the stream window, in batches; the
// credit of a stream that ends meanwhile is never sent (read loop).
func (sc *h2Conn) creditStream(st *h2Stream, n int32) {
	if n <= 0 {
		return
	}
	st.pendingCredit += n
	if st.pendingCredit >= int32(sc.o.streamWindow/4) && !st.rst.Load() {
		inc := st.pendingCredit
		st.pendingCredit = 0
		st.recvWindow.Add(inc)
		_ = sc.w.writeWindowUpdate(st.id, uint32(inc))
	}
}

// creditCollecting credits bytes a stream buffers before its handler
// runs. While the connection already buffers more than its budget for
// such bodies, only the oldest collecting stream gets credit; the others
// wait, so that many parallel uploads cannot make one connection hold
// MaxConcurrentStreams full bodies at once, and the oldest always
// progresses (read loop).
func (sc *h2Conn) creditCollecting(st *h2Stream, n int32) {
	if sc.buffered <= sc.bufferBudget() || sc.oldestCollecting() == st {
		sc.creditStream(st, n)
		return
	}
	st.withheld += n
}

// bufferBudget is how many body bytes a connection buffers for handlers
// not yet started before it slows the uploads down.
func (sc *h2Conn) bufferBudget() int64 {
	return max(int64(sc.o.connWindow), int64(sc.o.maxRequestBodySize))
}

func (sc *h2Conn) oldestCollecting() *h2Stream {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	var oldest *h2Stream
	for _, s := range sc.streams {
		if s.collecting && (oldest == nil || s.id < oldest.id) {
			oldest = s
		}
	}
	return oldest
}

// stopCollecting ends the buffering of st's body (it is complete, too
// large or reset) and releases credit withheld from the others.
func (sc *h2Conn) stopCollecting(st *h2Stream) {
	if !st.collecting {
		return
	}
	st.collecting = false
	sc.buffered -= st.received
	sc.mu.Lock()
	var waiting []*h2Stream
	for _, s := range sc.streams {
		if s.collecting && s.withheld > 0 {
			waiting = append(waiting, s)
		}
	}
	sc.mu.Unlock()
	for _, s := range waiting {
		if sc.buffered <= sc.bufferBudget() || sc.oldestCollecting() == s {
			n := s.withheld
			s.withheld = 0
			sc.creditStream(s, n)
		}
	}
}

// creditRead gives back the bytes a handler read from a streamed body
// (stream goroutine).
func (st *h2Stream) creditRead(n int) {
	st.unacked += int32(n)
	if st.unacked < int32(st.sc.o.streamWindow/4) || st.rst.Load() {
		return
	}
	inc := st.unacked
	st.unacked = 0
	st.recvWindow.Add(inc)
	_ = st.sc.w.writeWindowUpdate(st.id, uint32(inc))
}

// Send side.

// takeSendWindow takes up to want bytes from the stream's and the
// connection's send windows, no more than a frame. When wait is set it
// waits for the client to open a window, until the response deadline
// (stream goroutine).
func (st *h2Stream) takeSendWindow(want int, wait bool, deadline time.Time) (int, error) {
	sc := st.sc
	sc.mu.Lock()
	for {
		switch {
		case st.rst.Load():
			sc.mu.Unlock()
			return 0, errH2StreamReset
		case sc.closed:
			sc.mu.Unlock()
			return 0, errH2ConnClosed
		}
		n := min(int64(want), st.sendWindow, sc.sendWindow, int64(sc.peerMaxFrame))
		if n > 0 {
			st.sendWindow -= n
			sc.sendWindow -= n
			sc.mu.Unlock()
			return int(n), nil
		}
		if !wait {
			sc.mu.Unlock()
			return 0, nil
		}
		st.waitWindow = true
		sc.mu.Unlock()
		err := st.await(deadline)
		sc.mu.Lock()
		st.waitWindow = false
		if err != nil {
			sc.mu.Unlock()
			return 0, err
		}
	}
}

// await waits for st.signal, or until deadline (none when zero).
func (st *h2Stream) await(deadline time.Time) error {
	if deadline.IsZero() {
		<-st.wake
		return nil
	}
	d := time.Until(deadline)
	if d <= 0 {
		return errH2SendStalled
	}
	if st.timer == nil {
		st.timer = time.NewTimer(d)
	} else {
		st.timer.Reset(d)
	}
	select {
	case <-st.wake:
		st.timer.Stop()
		return nil
	case <-st.timer.C:
		return errH2SendStalled
	}
}

// sendDeadline is how long a response may wait for the client's window:
// WriteTimeout bounds the whole response, as for HTTP/1; without it a
// stream may wait IdleTimeout for each window update. Zero: no bound.
func (st *h2Stream) sendDeadline(start time.Time) time.Time {
	switch o := st.sc.o; {
	case o.writeTimeout > 0:
		return start.Add(o.writeTimeout)
	case o.idleTimeout > 0:
		return time.Now().Add(o.idleTimeout)
	}
	return time.Time{}
}

// wakeWindowWaiters wakes the streams waiting for send window. sc.mu is
// held.
func (sc *h2Conn) wakeWindowWaiters() {
	for _, s := range sc.streams {
		if s.waitWindow {
			s.signal()
		}
	}
}

func (sc *h2Conn) onWindowUpdate(f *http2.WindowUpdateFrame) error {
	id, inc := f.StreamID, int64(f.Increment)
	if id == 0 {
		sc.mu.Lock()
		sc.sendWindow += inc
		if sc.sendWindow > h2MaxWindow {
			sc.mu.Unlock()
			return http2.ConnectionError(http2.ErrCodeFlowControl)
		}
		sc.wakeWindowWaiters()
		sc.mu.Unlock()
		return nil
	}
	if id > sc.maxSeen {
		return http2.ConnectionError(http2.ErrCodeProtocol)
	}
	sc.mu.Lock()
	var st *h2Stream
	for _, s := range sc.streams {
		if s.id == id {
			st = s
			break
		}
	}
	if st == nil {
		sc.mu.Unlock()
		return nil // a closed stream: window updates may still be in flight
	}
	st.sendWindow += inc
	overflow := st.sendWindow > h2MaxWindow
	if st.waitWindow {
		st.signal()
	}
	sc.mu.Unlock()
	if overflow {
		sc.resetStream(st, http2.ErrCodeFlowControl)
	}
	return nil
}

// setPeerInitialWindow applies a new SETTINGS_INITIAL_WINDOW_SIZE to every
// stream's send window (RFC 9113 §6.9.2); a window may go negative.
func (sc *h2Conn) setPeerInitialWindow(v uint32) error {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	delta := int64(v) - int64(sc.peerInitWindow)
	sc.peerInitWindow = int32(v)
	for _, s := range sc.streams {
		s.sendWindow += delta
		if s.sendWindow > h2MaxWindow {
			return http2.ConnectionError(http2.ErrCodeFlowControl)
		}
	}
	sc.wakeWindowWaiters()
	return nil
}
