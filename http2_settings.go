package fasthttp

import (
	"errors"
	"io"
	"time"

	"golang.org/x/net/http2"
)

// This file is the connection-level control of HTTP/2: the prefaces and
// SETTINGS exchange (RFC 9113 §3.4, §6.5), PING (§6.7), and the read
// loop's timers. The timers need no goroutine: the read loop sets the
// read deadline to the earliest of them while it waits for a frame, and
// looks at them when the wait times out.

// writePreface sends the server's SETTINGS and opens the connection
// window beyond the protocol's 65535 bytes.
func (sc *h2Conn) writePreface() error {
	o := sc.o
	settings := [...]http2.Setting{
		{ID: http2.SettingMaxConcurrentStreams, Val: o.maxStreams},
		{ID: http2.SettingMaxHeaderListSize, Val: o.maxHeaderListSize},
		{ID: http2.SettingInitialWindowSize, Val: o.streamWindow},
		{ID: http2.SettingMaxFrameSize, Val: o.maxReadFrameSize},
	}
	n := len(settings)
	if o.maxReadFrameSize == h2MinFrameSize {
		n-- // the default: nothing to say
	}
	sc.recvWindow = int32(o.connWindow)
	sc.settingsDeadline = time.Now().Add(o.settingsTimeout)
	w := &sc.w
	if err := w.lock(); err == nil {
		w.fail(w.fr.WriteSettings(settings[:n]...))
		if o.connWindow > h2DefaultWindow {
			w.fail(w.fr.WriteWindowUpdate(0, o.connWindow-h2DefaultWindow))
		}
	}
	return w.unlock()
}

// readPreface reads the client's connection preface, within the SETTINGS
// timeout (or ReadTimeout when shorter).
func (sc *h2Conn) readPreface() error {
	deadline := sc.settingsDeadline
	if rt := sc.o.readTimeout; rt > 0 && sc.connTime.Add(rt).Before(deadline) {
		deadline = sc.connTime.Add(rt)
	}
	_ = sc.c.SetReadDeadline(deadline)
	sc.readDeadline = deadline
	var buf [len(http2.ClientPreface)]byte
	if _, err := io.ReadFull(sc.br, buf[:]); err != nil {
		return err
	}
	if string(buf[:]) != http2.ClientPreface {
		return errH2Preface
	}
	return nil
}

func (sc *h2Conn) onSettings(f *http2.SettingsFrame) error {
	if f.IsAck() {
		sc.settingsAcked = true
		return nil
	}
	if !sc.flood.spend(time.Now()) {
		return http2.ConnectionError(http2.ErrCodeEnhanceYourCalm)
	}
	// Settings apply in the order they appear (§6.5.3); the ACK goes out
	// once they all have.
	for i := 0; i < f.NumSettings(); i++ {
		s := f.Setting(i)
		if err := s.Valid(); err != nil {
			return err
		}
		switch s.ID {
		case http2.SettingInitialWindowSize:
			if err := sc.setPeerInitialWindow(s.Val); err != nil {
				return err
			}
		case http2.SettingMaxFrameSize:
			sc.mu.Lock()
			sc.peerMaxFrame = s.Val
			sc.mu.Unlock()
		}
	}
	w := &sc.w
	if err := w.lock(); err == nil {
		for i := 0; i < f.NumSettings(); i++ {
			switch s := f.Setting(i); s.ID {
			case http2.SettingHeaderTableSize:
				w.enc.SetMaxDynamicTableSizeLimit(s.Val)
			case http2.SettingMaxFrameSize:
				w.peerMaxFrame = s.Val
			}
		}
		w.fail(w.fr.WriteSettingsAck())
	}
	return w.unlock()
}

func (sc *h2Conn) onPing(f *http2.PingFrame) error {
	if f.IsAck() {
		if sc.pingOut && f.Data == sc.pingData {
			sc.pingOut = false
		}
		return nil
	}
	if !sc.flood.spend(time.Now()) {
		return http2.ConnectionError(http2.ErrCodeEnhanceYourCalm)
	}
	return sc.w.writePing(true, f.Data)
}

// Reasons the read loop ends on a timer.
var (
	errH2Idle           = errors.New("fasthttp: HTTP/2 connection idle")
	errH2PingTimeout    = errors.New("fasthttp: HTTP/2 PING not answered in time")
	errH2SettingsTimout = errors.New("fasthttp: HTTP/2 SETTINGS not acknowledged in time")
)

// waitFrame waits until a frame begins to arrive, keeping the timers: it
// returns nil when there is something to read or to look at again, and
// the error that ends the connection otherwise.
func (sc *h2Conn) waitFrame() error {
	now := time.Now()
	if sc.frames != sc.framesAtWait {
		sc.framesAtWait = sc.frames
		sc.lastRead = now
	}
	if err := sc.checkTimers(now); err != nil {
		return err
	}
	sc.armReadDeadline(now)
	// Checked after arming: a wakeLoop that came before has its flag seen
	// here, one that comes after interrupts the wait below.
	if sc.kick.Swap(false) {
		sc.deadlineStale = true
		return nil
	}
	_, err := sc.br.Peek(1)
	if err != nil && isTimeoutErr(err) {
		sc.deadlineStale = true
		return nil
	}
	return err
}

// checkTimers acts on the timers that are due.
func (sc *h2Conn) checkTimers(now time.Time) error {
	o := sc.o
	if !sc.settingsAcked && !now.Before(sc.settingsDeadline) {
		_ = sc.goAwayNow(http2.ErrCodeSettingsTimeout)
		return errH2SettingsTimout
	}
	if sc.pingOut && !now.Before(sc.pingDeadline) {
		return errH2PingTimeout
	}
	if o.pingInterval > 0 && !sc.pingOut && now.Sub(sc.lastRead) >= o.pingInterval {
		sc.pingOut = true
		sc.pingDeadline = now.Add(o.pingTimeout)
		sc.pingData = [8]byte{'f', 'a', 's', 't', 'h', byte(sc.frames >> 16), byte(sc.frames >> 8), byte(sc.frames)}
		if err := sc.w.writePing(false, sc.pingData); err != nil {
			return err
		}
	}
	if sc.hbOpen && o.readTimeout > 0 && now.Sub(sc.hbStart) >= o.readTimeout {
		// A header block trickling in: HPACK cannot skip it.
		return sc.goAwayNow(http2.ErrCodeEnhanceYourCalm)
	}
	sc.mu.Lock()
	noStreams := len(sc.streams) == 0
	idle := noStreams && o.idleTimeout > 0 && now.Sub(sc.idleSince) >= o.idleTimeout
	var late []*h2Stream
	if o.readTimeout > 0 {
		for _, st := range sc.streams {
			if !st.remoteClosed && !st.bodyDeadline.IsZero() && !now.Before(st.bodyDeadline) {
				late = append(late, st)
			}
		}
	}
	sc.mu.Unlock()
	if noStreams {
		sc.trimIdle()
	}
	if idle {
		sc.goAway()
		sc.graceful = true
		return errH2Idle
	}
	for _, st := range late {
		st.bodyDeadline = time.Time{}
		if st.collecting {
			// Not served yet: answer 408, as HTTP/1 does.
			sc.stopCollecting(st)
			st.discard = true
			st.reqErr = errH2BodyTimeout
			sc.dispatch(st)
			continue
		}
		sc.resetStream(st, http2.ErrCodeCancel)
	}
	return nil
}

// armReadDeadline sets the read deadline to the earliest timer.
func (sc *h2Conn) armReadDeadline(now time.Time) {
	o := sc.o
	var t time.Time
	earliest := func(c time.Time) {
		if !c.IsZero() && (t.IsZero() || c.Before(t)) {
			t = c
		}
	}
	if !sc.settingsAcked {
		earliest(sc.settingsDeadline)
	}
	if sc.pingOut {
		earliest(sc.pingDeadline)
	} else if o.pingInterval > 0 {
		earliest(sc.lastRead.Add(o.pingInterval))
	}
	if sc.hbOpen && o.readTimeout > 0 {
		earliest(sc.hbStart.Add(o.readTimeout))
	}
	if o.idleTimeout > 0 || o.readTimeout > 0 {
		sc.mu.Lock()
		if o.idleTimeout > 0 {
			if len(sc.streams) == 0 {
				earliest(sc.idleSince.Add(o.idleTimeout))
			} else {
				// Looked at again then: the last stream may end meanwhile.
				earliest(now.Add(o.idleTimeout))
			}
		}
		if o.readTimeout > 0 {
			for _, st := range sc.streams {
				if !st.remoteClosed {
					earliest(st.bodyDeadline)
				}
			}
		}
		sc.mu.Unlock()
	}
	cur := sc.readDeadline
	if !sc.deadlineStale && !cur.IsZero() && cur.After(now) && (t.IsZero() || !t.Before(cur)) {
		// The deadline in force comes first: keep it (it costs a timer
		// update to move) and look again when it fires.
		return
	}
	if sc.deadlineStale || !t.Equal(cur) {
		sc.deadlineStale = false
		sc.readDeadline = t
		_ = sc.c.SetReadDeadline(t)
	}
}
