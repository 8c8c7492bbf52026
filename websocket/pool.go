package websocket

import "sync"

// Buffers are borrowed for the duration of one message and handed back, so
// an idle connection holds none of them.

const (
	smallWriteBuffer = 4 << 10
	largeWriteBuffer = 64 << 10
)

var (
	smallBufPool = sync.Pool{New: func() any { b := make([]byte, smallWriteBuffer+maxHeaderSize); return &b }}
	largeBufPool = sync.Pool{New: func() any { b := make([]byte, largeWriteBuffer+maxHeaderSize); return &b }}
	// msgBufPool holds the buffers Read returns messages in; their sizes
	// vary, and a buffer that proves too small is grown by its user.
	msgBufPool sync.Pool
)

// getWriteBuffer returns a buffer with room for a header and n payload bytes
// when n fits the large size (else the large buffer, to be filled in turns).
func getWriteBuffer(n int) *[]byte {
	if n <= smallWriteBuffer {
		return smallBufPool.Get().(*[]byte)
	}
	return largeBufPool.Get().(*[]byte)
}

func putWriteBuffer(b *[]byte) {
	if cap(*b) == smallWriteBuffer+maxHeaderSize {
		smallBufPool.Put(b)
	} else {
		largeBufPool.Put(b)
	}
}

func getMsgBuffer() *[]byte {
	if v := msgBufPool.Get(); v != nil {
		b := v.(*[]byte)
		*b = (*b)[:0]
		return b
	}
	b := make([]byte, 0, 512)
	return &b
}

// maxPooledMsgBuffer keeps one huge message from pinning its buffer in the
// pool for every later small one.
const maxPooledMsgBuffer = 1 << 20

func putMsgBuffer(b *[]byte) {
	if cap(*b) <= maxPooledMsgBuffer {
		msgBufPool.Put(b)
	}
}
