package fasthttp

import (
	"bytes"
	"errors"
	"io"
	"sync"

	"github.com/klauspost/compress/flate"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zlib"
)

// This file holds what every content coding shares: the coding names, the
// pools of compressors and decompressors (one pool per level, since a
// writer's level is fixed when it is made), and the byte-slice helpers
// for gzip and deflate. Brotli and zstd live in brotli.go and zstd.go.

// Compression levels for gzip and deflate.
const (
	CompressNoCompression      = flate.NoCompression
	CompressBestSpeed          = flate.BestSpeed
	CompressBestCompression    = flate.BestCompression
	CompressDefaultCompression = 6
	CompressHuffmanOnly        = -2
)

// coding is a content coding this package can produce and undo.
type coding uint8

const (
	codingIdentity coding = iota
	codingGzip
	codingDeflate
	codingBrotli
	codingZstd
)

// name returns the coding as written in Content-Encoding.
func (c coding) name() []byte {
	switch c {
	case codingGzip:
		return strGzip
	case codingDeflate:
		return strDeflate
	case codingBrotli:
		return strBr
	case codingZstd:
		return strZstd
	}
	return nil
}

var (
	strGzip            = []byte("gzip")
	strDeflate         = []byte("deflate")
	strBr              = []byte("br")
	strZstd            = []byte("zstd")
	strIdentity        = []byte("identity")
	strVaryHeader      = []byte(HeaderVary)
	strAcceptEncodingV = []byte(HeaderAcceptEncoding)
)

// parseCoding maps a Content-Encoding token to a coding. "x-gzip" is the
// old alias RFC 9110 §8.4.1.3 asks recipients to accept.
func parseCoding(name []byte) (coding, bool) {
	switch {
	case equalFoldString(name, "gzip"), equalFoldString(name, "x-gzip"):
		return codingGzip, true
	case equalFoldString(name, "deflate"):
		return codingDeflate, true
	case equalFoldString(name, "br"):
		return codingBrotli, true
	case equalFoldString(name, "zstd"):
		return codingZstd, true
	case equalFoldString(name, "identity"):
		return codingIdentity, true
	}
	return codingIdentity, false
}

// compressor is the part of gzip, zlib, brotli and zstd writers used here.
type compressor interface {
	io.WriteCloser
	Flush() error
	Reset(w io.Writer)
}

// normalizeFlateLevel maps out-of-range gzip/deflate levels to the default.
func normalizeFlateLevel(level int) int {
	if level < CompressHuffmanOnly || level > CompressBestCompression || level == -1 {
		return CompressDefaultCompression
	}
	return level
}

// Writer pools, indexed by level-CompressHuffmanOnly.
var (
	gzipWriterPools    [CompressBestCompression - CompressHuffmanOnly + 1]sync.Pool
	deflateWriterPools [CompressBestCompression - CompressHuffmanOnly + 1]sync.Pool
)

// acquireCompressor returns a pooled writer of coding c at level that
// writes to w. Levels are normalized per coding.
func acquireCompressor(c coding, w io.Writer, level int) compressor {
	switch c {
	case codingGzip:
		level = normalizeFlateLevel(level)
		if v := gzipWriterPools[level-CompressHuffmanOnly].Get(); v != nil {
			zw := v.(*gzip.Writer)
			zw.Reset(w)
			return zw
		}
		zw, _ := gzip.NewWriterLevel(w, level)
		return zw
	case codingDeflate:
		level = normalizeFlateLevel(level)
		if v := deflateWriterPools[level-CompressHuffmanOnly].Get(); v != nil {
			zw := v.(*zlib.Writer)
			zw.Reset(w)
			return zw
		}
		zw, _ := zlib.NewWriterLevel(w, level)
		return zw
	case codingBrotli:
		return acquireBrotliWriter(w, level)
	case codingZstd:
		return acquireZstdWriter(w, level)
	}
	return nil
}

// releaseCompressor returns zw, made by acquireCompressor with the same c
// and level, to its pool. It drops the reference to the destination.
func releaseCompressor(c coding, level int, zw compressor) {
	zw.Reset(nil)
	switch c {
	case codingGzip:
		gzipWriterPools[normalizeFlateLevel(level)-CompressHuffmanOnly].Put(zw)
	case codingDeflate:
		deflateWriterPools[normalizeFlateLevel(level)-CompressHuffmanOnly].Put(zw)
	case codingBrotli:
		releaseBrotliWriter(zw, level)
	case codingZstd:
		releaseZstdWriter(zw, level)
	}
}

// byteSliceWriter appends what is written to b.
type byteSliceWriter struct{ b []byte }

func (w *byteSliceWriter) Write(p []byte) (int, error) {
	w.b = append(w.b, p...)
	return len(p), nil
}

var byteSliceWriterPool = sync.Pool{New: func() any { return &byteSliceWriter{} }}

// appendCompressed appends src encoded with c at level to dst.
func appendCompressed(dst, src []byte, c coding, level int) []byte {
	if c == codingZstd {
		return appendZstdEncoded(dst, src, level)
	}
	bw := byteSliceWriterPool.Get().(*byteSliceWriter)
	bw.b = dst
	zw := acquireCompressor(c, bw, level)
	_, _ = zw.Write(src)
	_ = zw.Close()
	releaseCompressor(c, level, zw)
	dst = bw.b
	bw.b = nil
	byteSliceWriterPool.Put(bw)
	return dst
}

// writeCompressed writes p encoded with c at level to w and reports how
// many bytes of p were consumed. An error of the encoder's final flush
// (Close) is returned like any other, and so is a short write: not every
// encoder checks the counts its destination returns, so w is wrapped.
func writeCompressed(w io.Writer, p []byte, c coding, level int) (int, error) {
	sw := fullWriterPool.Get().(*fullWriter)
	sw.w = w
	zw := acquireCompressor(c, sw, level)
	n, err := zw.Write(p)
	if cerr := zw.Close(); err == nil {
		err = cerr
	}
	releaseCompressor(c, level, zw)
	sw.w = nil
	fullWriterPool.Put(sw)
	return n, err
}

// fullWriter passes writes on to w and turns a short count without an
// error, which breaks io.Writer's contract, into io.ErrShortWrite.
type fullWriter struct{ w io.Writer }

var fullWriterPool = sync.Pool{New: func() any { return &fullWriter{} }}

func (f *fullWriter) Write(p []byte) (int, error) {
	n, err := writeFull(f.w, p)
	return int(n), err
}

// AppendGzipBytesLevel appends src compressed with gzip at level to dst.
// Levels outside CompressHuffmanOnly..CompressBestCompression mean
// CompressDefaultCompression.
func AppendGzipBytesLevel(dst, src []byte, level int) []byte {
	return appendCompressed(dst, src, codingGzip, level)
}

// AppendGzipBytes appends src compressed with gzip to dst.
func AppendGzipBytes(dst, src []byte) []byte {
	return AppendGzipBytesLevel(dst, src, CompressDefaultCompression)
}

// WriteGzipLevel writes p compressed with gzip at level to w. It returns
// len(p) when all of p was compressed and written.
func WriteGzipLevel(w io.Writer, p []byte, level int) (int, error) {
	return writeCompressed(w, p, codingGzip, level)
}

// WriteGzip writes p compressed with gzip to w.
func WriteGzip(w io.Writer, p []byte) (int, error) {
	return WriteGzipLevel(w, p, CompressDefaultCompression)
}

// AppendDeflateBytesLevel appends src compressed at level in the zlib
// format, which is what the HTTP "deflate" coding names, to dst.
func AppendDeflateBytesLevel(dst, src []byte, level int) []byte {
	return appendCompressed(dst, src, codingDeflate, level)
}

// AppendDeflateBytes appends src compressed in the zlib ("deflate")
// format to dst.
func AppendDeflateBytes(dst, src []byte) []byte {
	return AppendDeflateBytesLevel(dst, src, CompressDefaultCompression)
}

// WriteDeflateLevel writes p compressed at level in the zlib ("deflate")
// format to w. It returns len(p) on success.
func WriteDeflateLevel(w io.Writer, p []byte, level int) (int, error) {
	return writeCompressed(w, p, codingDeflate, level)
}

// WriteDeflate writes p compressed in the zlib ("deflate") format to w.
func WriteDeflate(w io.Writer, p []byte) (int, error) {
	return WriteDeflateLevel(w, p, CompressDefaultCompression)
}

// AppendGunzipBytes appends the gzip-decoded src to dst.
func AppendGunzipBytes(dst, src []byte) ([]byte, error) {
	return appendDecoded(dst, src, codingGzip, 0)
}

// WriteGunzip writes the gzip-decoded p to w and returns the number of
// decoded bytes written.
func WriteGunzip(w io.Writer, p []byte) (int, error) {
	return writeDecoded(w, p, codingGzip)
}

// AppendInflateBytes appends the decoded zlib ("deflate") stream src to
// dst.
func AppendInflateBytes(dst, src []byte) ([]byte, error) {
	return appendDecoded(dst, src, codingDeflate, 0)
}

// WriteInflate writes the decoded zlib ("deflate") stream p to w and
// returns the number of decoded bytes written.
func WriteInflate(w io.Writer, p []byte) (int, error) {
	return writeDecoded(w, p, codingDeflate)
}

// decompressor is the part of the gzip, zlib, brotli and zstd readers used
// here. Reset reads the stream header where the format has one.
type decompressor interface {
	io.Reader
	Reset(r io.Reader) error
}

// zlibReader adapts zlib's reader to decompressor.
type zlibReader struct{ rc io.ReadCloser }

func (z *zlibReader) Read(p []byte) (int, error) { return z.rc.Read(p) }

func (z *zlibReader) Reset(r io.Reader) error {
	if z.rc == nil {
		rc, err := zlib.NewReader(r)
		if err != nil {
			return err
		}
		z.rc = rc
		return nil
	}
	return z.rc.(zlib.Resetter).Reset(r, nil)
}

var (
	gzipReaderPool sync.Pool
	zlibReaderPool sync.Pool
)

// acquireDecompressor returns a pooled reader that decodes c from r, with
// zstd windows capped for limit (0: no cap). The error comes from reading
// the stream header.
func acquireDecompressor(c coding, r io.Reader, limit int) (decompressor, error) {
	switch c {
	case codingGzip:
		if v := gzipReaderPool.Get(); v != nil {
			zr := v.(*gzip.Reader)
			if err := zr.Reset(r); err != nil {
				gzipReaderPool.Put(zr)
				return nil, err
			}
			return zr, nil
		}
		zr, err := gzip.NewReader(r)
		if err != nil {
			return nil, err
		}
		return zr, nil
	case codingDeflate:
		zr, _ := zlibReaderPool.Get().(*zlibReader)
		if zr == nil {
			zr = &zlibReader{}
		}
		if err := zr.Reset(r); err != nil {
			if zr.rc != nil {
				zlibReaderPool.Put(zr)
			}
			return nil, err
		}
		return zr, nil
	case codingBrotli:
		return acquireBrotliReader(r)
	case codingZstd:
		return acquireZstdReader(r, limit)
	}
	return nil, ErrContentEncodingUnsupported
}

// releaseDecompressor returns zr, made by acquireDecompressor for c and
// limit, to its pool.
func releaseDecompressor(c coding, limit int, zr decompressor) {
	switch c {
	case codingGzip:
		gzipReaderPool.Put(zr)
	case codingDeflate:
		zlibReaderPool.Put(zr)
	case codingBrotli:
		releaseBrotliReader(zr)
	case codingZstd:
		releaseZstdReader(zr, limit)
	}
}

// bytesReaderPool holds the readers that feed byte slices to decoders.
var bytesReaderPool = sync.Pool{New: func() any { return bytes.NewReader(nil) }}

// decodeGrowStep is how much a decode buffer grows at least: output grows
// with what the decoder yields, never with what a header announces.
const decodeGrowStep = 4 << 10

// appendDecoded appends src decoded from c to dst. With limit > 0, more
// than limit decoded bytes fail with ErrBodyTooLarge; memory stays within
// about limit plus one read, so a small bomb cannot inflate to gigabytes.
func appendDecoded(dst, src []byte, c coding, limit int) ([]byte, error) {
	if c == codingIdentity {
		if limit > 0 && len(src) > limit {
			return dst, ErrBodyTooLarge
		}
		return append(dst, src...), nil
	}
	br := bytesReaderPool.Get().(*bytes.Reader)
	br.Reset(src)
	defer func() {
		br.Reset(nil)
		bytesReaderPool.Put(br)
	}()
	zr, err := acquireDecompressor(c, br, limit)
	if err != nil {
		return dst, decodeError(err)
	}
	start := len(dst)
	for {
		if len(dst) == cap(dst) {
			add := cap(dst) - start
			if add < decodeGrowStep {
				add = decodeGrowStep
			}
			if limit > 0 && add > limit+1-(len(dst)-start) {
				// One byte past the limit is enough to tell.
				add = limit + 1 - (len(dst) - start)
			}
			n := make([]byte, len(dst), cap(dst)+add)
			copy(n, dst)
			dst = n
		}
		m, rerr := zr.Read(dst[len(dst):cap(dst)])
		dst = dst[:len(dst)+m]
		if limit > 0 && len(dst)-start > limit {
			err = ErrBodyTooLarge
			break
		}
		if rerr != nil {
			if !errors.Is(rerr, io.EOF) {
				err = decodeError(rerr)
			}
			break
		}
	}
	releaseDecompressor(c, limit, zr)
	return dst, err
}

// writeDecoded writes p decoded from c to w.
func writeDecoded(w io.Writer, p []byte, c coding) (int, error) {
	br := bytesReaderPool.Get().(*bytes.Reader)
	br.Reset(p)
	defer func() {
		br.Reset(nil)
		bytesReaderPool.Put(br)
	}()
	zr, err := acquireDecompressor(c, br, 0)
	if err != nil {
		return 0, decodeError(err)
	}
	buf := copyBufPool.Get().(*[]byte)
	n, err := io.CopyBuffer(w, onlyReader{zr}, *buf)
	copyBufPool.Put(buf)
	releaseDecompressor(c, 0, zr)
	return int(n), decodeError(err)
}

// onlyReader hides any WriteTo of the wrapped reader, so copies go through
// Read and the given buffer.
type onlyReader struct{ io.Reader }

// decodeError turns an empty or cut-off stream into io.ErrUnexpectedEOF
// and a decoder's window refusal into ErrBodyTooLarge.
func decodeError(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	if isZstdTooLarge(err) {
		return ErrBodyTooLarge
	}
	return err
}

// newDecodingReader returns a reader that undoes the content codings named
// by encoding (a Content-Encoding value; several codings are undone last
// first). "identity" leaves r as it is.
func newDecodingReader(encoding []byte, r io.Reader) (io.Reader, error) {
	return newLimitedDecodingReader(encoding, r, 0)
}

// maxStackedCodings bounds how many codings one body may stack.
const maxStackedCodings = 4

// newLimitedDecodingReader is newDecodingReader whose output fails with
// ErrBodyTooLarge past limit bytes (0: no limit).
func newLimitedDecodingReader(encoding []byte, r io.Reader, limit int) (io.Reader, error) {
	var codings [maxStackedCodings]coding
	n, err := parseCodingList(encoding, &codings)
	if err != nil {
		return nil, err
	}
	for i := n - 1; i >= 0; i-- {
		if codings[i] == codingIdentity {
			continue
		}
		dr, err := newStreamDecoder(codings[i], r, limit)
		if err != nil {
			return nil, err
		}
		r = dr
	}
	if limit > 0 {
		r = &limitedDecodeReader{r: r, left: int64(limit)}
	}
	return r, nil
}

// parseCodingList splits a Content-Encoding value into codings, refusing
// unknown ones and more than maxStackedCodings.
func parseCodingList(value []byte, out *[maxStackedCodings]coding) (int, error) {
	n := 0
	for len(value) > 0 {
		var item []byte
		item, value = cutListItem(value)
		item = trimOWS(item)
		if len(item) == 0 {
			continue
		}
		c, ok := parseCoding(item)
		if !ok || n == maxStackedCodings {
			return 0, ErrContentEncodingUnsupported
		}
		out[n] = c
		n++
	}
	return n, nil
}

// streamDecoder decodes a stream with a pooled decompressor and returns it
// to the pool at the end of the stream. Its header is read lazily, on the
// first Read, so that building one never blocks.
type streamDecoder struct {
	c     coding
	limit int
	src   io.Reader
	zr    decompressor
	err   error
}

func newStreamDecoder(c coding, r io.Reader, limit int) (*streamDecoder, error) {
	return &streamDecoder{c: c, limit: limit, src: r}, nil
}

func (d *streamDecoder) Read(p []byte) (int, error) {
	if d.err != nil {
		return 0, d.err
	}
	if d.zr == nil {
		zr, err := acquireDecompressor(d.c, d.src, d.limit)
		if err != nil {
			d.err = decodeError(err)
			return 0, d.err
		}
		d.zr = zr
	}
	n, err := d.zr.Read(p)
	if err != nil {
		if errors.Is(err, io.EOF) {
			d.err = io.EOF
		} else {
			d.err = decodeError(err)
		}
		releaseDecompressor(d.c, d.limit, d.zr)
		d.zr = nil
		d.src = nil
		return n, d.err
	}
	return n, nil
}

// limitedDecodeReader fails with ErrBodyTooLarge once more than left bytes
// were read through it.
type limitedDecodeReader struct {
	r    io.Reader
	left int64
}

func (l *limitedDecodeReader) Read(p []byte) (int, error) {
	if l.left < 0 {
		return 0, ErrBodyTooLarge
	}
	if int64(len(p)) > l.left+1 {
		p = p[:l.left+1]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	if l.left < 0 {
		return n + int(l.left), ErrBodyTooLarge
	}
	return n, err
}
