package fasthttp

// CompressHandler and the rules for compressing a response body that is
// already built: which responses qualify, and how the body, buffered or
// streamed, is swapped for its encoded form.

// minCompressLen is the smallest body worth compressing: below it the
// coding's framing eats the gain.
const minCompressLen = 200

// compressLevels are the levels a handler uses per coding family.
type compressLevels struct {
	flate  int // gzip and deflate
	brotli int
	zstd   int
}

func (lv compressLevels) of(c coding) int {
	switch c {
	case codingBrotli:
		return lv.brotli
	case codingZstd:
		return lv.zstd
	}
	return lv.flate
}

var (
	handlerCodings       = setOf(codingGzip, codingDeflate, codingZstd)
	handlerCodingsBrotli = setOf(codingBrotli, codingGzip, codingDeflate, codingZstd)
)

// CompressHandler wraps h so that its response bodies are compressed with
// gzip, deflate or zstd when the request's Accept-Encoding allows it.
func CompressHandler(h RequestHandler) RequestHandler {
	return CompressHandlerLevel(h, CompressDefaultCompression)
}

// CompressHandlerLevel is CompressHandler with gzip and deflate at level
// (CompressNoCompression..CompressBestCompression or CompressHuffmanOnly).
func CompressHandlerLevel(h RequestHandler, level int) RequestHandler {
	lv := compressLevels{flate: level, zstd: CompressZstdDefault}
	return func(ctx *RequestCtx) {
		h(ctx)
		compressCtxResponse(ctx, handlerCodings, lv)
	}
}

// CompressHandlerBrotliLevel is CompressHandler that also offers brotli,
// preferred when the client accepts it equally: brotli at brotliLevel,
// gzip and deflate at otherLevel.
func CompressHandlerBrotliLevel(h RequestHandler, brotliLevel, otherLevel int) RequestHandler {
	lv := compressLevels{flate: otherLevel, brotli: brotliLevel, zstd: CompressZstdDefault}
	return func(ctx *RequestCtx) {
		h(ctx)
		compressCtxResponse(ctx, handlerCodingsBrotli, lv)
	}
}

// compressCtxResponse compresses ctx.Response with the best coding the
// request accepts among allowed.
func compressCtxResponse(ctx *RequestCtx, allowed codingSet, lv compressLevels) {
	if ctx.hijackHandler != nil && ctx.hijackNoResponse {
		return
	}
	resp := &ctx.Response
	if !resp.compressible() {
		return
	}
	// The representation now depends on Accept-Encoding, whether or not
	// this client gets it compressed: caches must know.
	addVaryAcceptEncoding(&resp.Header)
	c := negotiateCoding(peekKVString(ctx.Request.Header.h, HeaderAcceptEncoding), allowed, handlerPrefs)
	if c == codingIdentity {
		return
	}
	resp.encodeBody(c, lv.of(c))
}

// compressible reports whether the response may be given a content
// coding: a status with a body that is not partial, no coding yet, a type
// that compresses, and a body long enough (or a stream of unknown length).
func (resp *Response) compressible() bool {
	h := &resp.Header
	code := h.StatusCode()
	if code < 200 || code == StatusNoContent || code == StatusNotModified || code == StatusPartialContent {
		return false
	}
	if len(h.ContentEncoding()) > 0 || peekKVString(h.h, HeaderContentRange) != nil {
		return false
	}
	if resp.bodyStream != nil || resp.bodyStreamWriter != nil {
		if n := h.ContentLength(); n >= 0 && n < minCompressLen {
			return false
		}
	} else if len(resp.bodyBytes()) < minCompressLen {
		return false
	}
	return compressibleContentType(h.ContentType())
}

// compressibleContentType reports whether a body of media type ct is
// worth compressing: not media formats, archives and fonts that carry
// their own compression.
func compressibleContentType(ct []byte) bool {
	if i := indexByteSemicolon(ct); i >= 0 {
		ct = ct[:i]
	}
	ct = trimOWS(ct)
	if len(ct) > 6 && equalFoldString(ct[:6], "image/") {
		sub := ct[6:]
		return equalFoldString(sub, "svg+xml") || equalFoldString(sub, "bmp") ||
			equalFoldString(sub, "x-icon") || equalFoldString(sub, "vnd.microsoft.icon")
	}
	if (len(ct) > 6 && equalFoldString(ct[:6], "video/")) || (len(ct) > 6 && equalFoldString(ct[:6], "audio/")) {
		return false
	}
	for _, s := range incompressibleTypes {
		if equalFoldString(ct, s) {
			return false
		}
	}
	return true
}

var incompressibleTypes = []string{
	"application/zip", "application/gzip", "application/x-gzip", "application/zstd",
	"application/x-bzip2", "application/x-xz", "application/x-7z-compressed",
	"application/x-rar-compressed", "application/vnd.rar", "application/x-brotli",
	"font/woff", "font/woff2", "application/font-woff",
}

func indexByteSemicolon(b []byte) int {
	for i, c := range b {
		if c == ';' {
			return i
		}
	}
	return -1
}

// addVaryAcceptEncoding lists Accept-Encoding in Vary unless a Vary field
// already names it or "*".
func addVaryAcceptEncoding(h *ResponseHeader) {
	for i := range h.h {
		kv := &h.h[i]
		if equalFoldString(kv.key, HeaderVary) &&
			(hasTokenFold(kv.value, "accept-encoding") || hasTokenFold(kv.value, "*")) {
			return
		}
	}
	h.AddBytesKV(strVaryHeader, strAcceptEncodingV)
}

// encodeBody replaces the body with its encoding by c at level and sets
// Content-Encoding. Streams stay streams, encoded as they are sent.
func (resp *Response) encodeBody(c coding, level int) {
	switch {
	case resp.bodyStreamWriter != nil:
		sw := resp.bodyStreamWriter
		resp.bodyStreamWriter = nil
		resp.SetBodyStreamWriter(newCompressStreamWriter(sw, c, level))
	case resp.bodyStream != nil:
		src := resp.bodyStream
		resp.bodyStream = nil
		resp.SetBodyStream(acquireCompressReader(src, c, level), -1)
	default:
		bb := acquireBodyBuffer()
		bb.B = appendCompressed(bb.B[:0], resp.bodyBytes(), c, level)
		if resp.body != nil {
			releaseRespBodyBuffer(resp.body)
		}
		resp.body = bb
		resp.bodyRaw = nil
	}
	resp.Header.SetContentEncodingBytes(c.name())
	tagETagWithCoding(&resp.Header, c)
}

// tagETagWithCoding gives a strong ETag a coding-specific value: "abc"
// becomes "abc-gzip". A strong validator promises byte-identical content
// (RFC 9110 §8.8.1), so the encoded body must not share the identity
// body's tag; it stays strong, so a framework that recomputes strong tags
// over the encoded body (Fiber's compress middleware does) still does.
// Weak tags already allow equivalent encodings and are left alone.
func tagETagWithCoding(h *ResponseHeader, c coding) {
	name := c.name()
	for i := range h.h {
		kv := &h.h[i]
		v := kv.value
		if !equalFoldString(kv.key, HeaderETag) || len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' {
			continue
		}
		v = append(v[:len(v)-1], '-')
		v = append(v, name...)
		kv.value = append(v, '"')
	}
}
