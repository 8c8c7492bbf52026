package websocket

import (
	"io"
	"sync"

	"github.com/klauspost/compress/flate"
)

// permessage-deflate (RFC 7692): each compressed message is a raw DEFLATE
// stream ending in a sync flush, whose 4-byte trailer is dropped on the
// wire (§7.2.1) and restored before inflating (§7.2.2).

// CompressionMode says whether and how a connection compresses messages
// with permessage-deflate.
type CompressionMode int

const (
	// CompressionDisabled offers and accepts no compression (the default).
	CompressionDisabled CompressionMode = 0
	// CompressionNoContextTakeover compresses each message on its own: both
	// sides reset their compressor per message, so no compression state is
	// kept between messages (pooled, little memory per connection).
	CompressionNoContextTakeover CompressionMode = 1
	// CompressionContextTakeover keeps the compression window from message
	// to message: better ratios on similar messages, at the cost of a
	// compressor and a 32 KiB window held by each connection.
	CompressionContextTakeover CompressionMode = 2
)

// defaultCompressionThreshold is the smallest message compressed when the
// options leave CompressionThreshold at zero: below it, DEFLATE's block
// overhead outweighs its gain.
const defaultCompressionThreshold = 128

var (
	// deflateTail is the sync flush trailer stripped from each message.
	deflateTail = []byte{0x00, 0x00, 0xff, 0xff}
	// inflateTrailer restores it and adds a final empty stored block, so
	// the inflater ends the message with io.EOF.
	inflateTrailer = []byte{0x00, 0x00, 0xff, 0xff, 0x01, 0x00, 0x00, 0xff, 0xff}
)

// windowSize is DEFLATE's largest window (2^15 bytes).
const windowSize = 1 << 15

// deflate is a connection's compression state.
type deflate struct {
	threshold      int
	writeNoContext bool // reset the compressor per message
	writeBits      int  // the compressor's window: 2^writeBits bytes
	readNoContext  bool // the peer resets its compressor: keep no window

	fw     *flate.Writer // the compressor, held across messages with context takeover
	window []byte        // the last 32 KiB inflated, for context takeover
}

func newDeflate(p deflateParams, client bool, threshold int) *deflate {
	d := &deflate{threshold: threshold}
	if d.threshold <= 0 {
		d.threshold = defaultCompressionThreshold
	}
	if client {
		d.writeNoContext, d.writeBits, d.readNoContext = p.clientNoContext, p.clientBits, p.serverNoContext
	} else {
		d.writeNoContext, d.writeBits, d.readNoContext = p.serverNoContext, p.serverBits, p.clientNoContext
	}
	if d.writeBits <= 0 || d.writeBits > 15 {
		d.writeBits = 15
	}
	return d
}

// Compressors are pooled per window size; 15 bits (32 KiB) is the common
// one, smaller windows come only from a peer's max_window_bits.
var flateWriterPools [16]sync.Pool

func getFlateWriter(bits int, dst io.Writer) *flate.Writer {
	if v := flateWriterPools[bits].Get(); v != nil {
		fw := v.(*flate.Writer)
		fw.Reset(dst)
		return fw
	}
	var fw *flate.Writer
	if bits == 15 {
		fw, _ = flate.NewWriter(dst, flate.BestSpeed)
	} else {
		fw, _ = flate.NewWriterWindow(dst, 1<<bits)
	}
	return fw
}

// startWrite readies the compressor for a message whose output goes to
// sink. With context takeover the compressor carries on from the last
// message (its output always goes to the same sink).
func (d *deflate) startWrite(sink io.Writer) {
	if d.fw == nil {
		d.fw = getFlateWriter(d.writeBits, sink)
	}
}

// releaseWriter hands a per-message compressor back to its pool.
func (d *deflate) releaseWriter() {
	if d.writeNoContext && d.fw != nil {
		flateWriterPools[d.writeBits].Put(d.fw)
		d.fw = nil
	}
}

var flateReaderPool sync.Pool

// getFlateReader returns an inflater reading src, primed with dict.
func getFlateReader(src io.Reader, dict []byte) io.ReadCloser {
	if v := flateReaderPool.Get(); v != nil {
		fr := v.(io.ReadCloser)
		_ = fr.(flate.Resetter).Reset(src, dict)
		return fr
	}
	return flate.NewReaderDict(src, dict)
}

// keepWindow appends inflated output to the window kept for context
// takeover.
func (d *deflate) keepWindow(p []byte) {
	if d.readNoContext || len(p) == 0 {
		return
	}
	if d.window == nil {
		d.window = make([]byte, 0, windowSize)
	}
	if len(p) >= windowSize {
		d.window = append(d.window[:0], p[len(p)-windowSize:]...)
		return
	}
	if over := len(d.window) + len(p) - windowSize; over > 0 {
		d.window = d.window[:copy(d.window, d.window[over:])]
	}
	d.window = append(d.window, p...)
}

// inflateSource feeds the inflater: the message's payload as received,
// then inflateTrailer.
type inflateSource struct {
	r       *reader
	rawDone bool
	tail    int
	one     [1]byte // ReadByte's slow path reads into it (a local would escape)
}

func (s *inflateSource) reset() { s.rawDone, s.tail = false, 0 }

func (s *inflateSource) Read(p []byte) (int, error) {
	if !s.rawDone {
		n, err := s.r.readMsg(p)
		if err != io.EOF {
			return n, err
		}
		s.rawDone = true
		if n > 0 {
			return n, nil
		}
	}
	if s.tail == len(inflateTrailer) {
		return 0, io.EOF
	}
	n := copy(p, inflateTrailer[s.tail:])
	s.tail += n
	return n, nil
}

// ReadByte serves the inflater byte by byte from the read-ahead buffer
// when it can (flate wraps readers without it in a bufio.Reader).
func (s *inflateSource) ReadByte() (byte, error) {
	r := s.r
	if !s.rawDone && r.remaining > 0 && r.pos < r.end {
		b := r.buf[r.pos]
		if r.masked {
			b ^= r.key[r.keyPos]
			r.keyPos = (r.keyPos + 1) & 3
		}
		r.pos++
		r.remaining--
		return b, nil
	}
	for {
		n, err := s.Read(s.one[:])
		if n == 1 {
			return s.one[0], nil
		}
		if err != nil {
			return 0, err
		}
	}
}

// inflateRead reads inflated bytes of the current message into p.
func (r *reader) inflateRead(p []byte) (int, error) {
	d := r.c.df
	if r.fr == nil {
		r.src.reset()
		var dict []byte
		if !d.readNoContext {
			dict = d.window
		}
		r.fr = getFlateReader(&r.src, dict)
	}
	if max := r.c.maxMessageSize; max >= 0 {
		// Ask for at most one byte past the limit: enough to tell a
		// message that is too big, never more inflated than that.
		if room := max - r.size + 1; int64(len(p)) > room {
			p = p[:room]
		}
	}
	n, err := r.fr.Read(p)
	r.size += int64(n)
	if r.c.maxMessageSize >= 0 && r.size > r.c.maxMessageSize {
		return 0, r.c.fail(StatusMessageTooBig, "message too big")
	}
	if r.op == opText && !r.utf8.feed(p[:n]) {
		return 0, r.c.fail(StatusInvalidFramePayloadData, "invalid UTF-8")
	}
	d.keepWindow(p[:n])
	if err == nil {
		return n, nil
	}
	if err != io.EOF {
		if r.c.broken.Load() {
			return n, r.c.stickyErr()
		}
		return n, r.c.fail(StatusInvalidFramePayloadData, "invalid compressed data")
	}
	// The inflater is done: the message must be too.
	if !r.src.rawDone {
		var scratch [64]byte
		for {
			_, err := r.readMsg(scratch[:])
			if err == io.EOF {
				break
			}
			if err != nil {
				return n, err
			}
		}
	}
	r.inMessage = false
	flateReaderPool.Put(r.fr)
	r.fr = nil
	if r.op == opText && !r.utf8.complete() {
		return n, r.c.fail(StatusInvalidFramePayloadData, "invalid UTF-8")
	}
	return n, io.EOF
}

// inflateAll appends the rest of a compressed message, inflated, to buf.
func (r *reader) inflateAll(buf []byte) ([]byte, error) {
	for {
		if len(buf) == cap(buf) {
			buf = grow(buf, 0)
		}
		n, err := r.inflateRead(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

// inflateDiscard inflates and drops the rest of a compressed message (its
// output still belongs to the window).
func (r *reader) inflateDiscard() error {
	var scratch [512]byte
	for {
		_, err := r.inflateRead(scratch[:])
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}
