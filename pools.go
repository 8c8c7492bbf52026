package fasthttp

import (
	"encoding/base64"
	"sync"
	"sync/atomic"

	"github.com/valyala/bytebufferpool"
)

// Body buffers come from bytebufferpool, which learns the usual body size
// and drops outliers instead of keeping them alive.
var bodyPool bytebufferpool.Pool

// reqBodyPoolLimit and respBodyPoolLimit cap the capacity of body buffers
// returned to the pool (0: no cap), set with SetBodySizePoolLimit.
var reqBodyPoolLimit, respBodyPoolLimit atomic.Int64

// SetBodySizePoolLimit sets the largest request and response body buffer
// capacity that is returned to the pool for reuse; larger buffers are left
// to the garbage collector. 0 means no limit.
func SetBodySizePoolLimit(reqBodyLimit, respBodyLimit int) {
	reqBodyPoolLimit.Store(int64(reqBodyLimit))
	respBodyPoolLimit.Store(int64(respBodyLimit))
}

// putBodyBuffer returns b to the pool unless its capacity exceeds limit
// (0: no limit).
func putBodyBuffer(b *bytebufferpool.ByteBuffer, limit int64) {
	if limit > 0 && int64(cap(b.B)) > limit {
		return
	}
	bodyPool.Put(b)
}

// acquireBodyBuffer returns an empty body buffer from the pool.
func acquireBodyBuffer() *bytebufferpool.ByteBuffer {
	return bodyPool.Get()
}

// releaseBodyBuffer returns a request body buffer to the pool, within the
// request limit of SetBodySizePoolLimit.
func releaseBodyBuffer(b *bytebufferpool.ByteBuffer) {
	putBodyBuffer(b, reqBodyPoolLimit.Load())
}

// releaseRespBodyBuffer returns a response body buffer to the pool,
// within the response limit of SetBodySizePoolLimit.
func releaseRespBodyBuffer(b *bytebufferpool.ByteBuffer) {
	putBodyBuffer(b, respBodyPoolLimit.Load())
}

// copyBufPool holds the buffers used to copy streams.
var copyBufPool = sync.Pool{New: func() any {
	b := make([]byte, 16<<10)
	return &b
}}

func base64Encode(b []byte) string {
	return base64.StdEncoding.EncodeToString(b)
}
