package fasthttp

import (
	"io"
	"sync"

	"github.com/andybalholm/brotli"
)

// Compression levels for brotli.
const (
	CompressBrotliNoCompression      = 0
	CompressBrotliBestSpeed          = brotli.BestSpeed
	CompressBrotliBestCompression    = brotli.BestCompression
	CompressBrotliDefaultCompression = 4
)

// normalizeBrotliLevel maps out-of-range brotli levels to the default.
func normalizeBrotliLevel(level int) int {
	if level < CompressBrotliNoCompression || level > CompressBrotliBestCompression {
		return CompressBrotliDefaultCompression
	}
	return level
}

var (
	brotliWriterPools [CompressBrotliBestCompression + 1]sync.Pool
	brotliReaderPool  sync.Pool
)

func acquireBrotliWriter(w io.Writer, level int) compressor {
	level = normalizeBrotliLevel(level)
	if v := brotliWriterPools[level].Get(); v != nil {
		zw := v.(*brotli.Writer)
		zw.Reset(w)
		return zw
	}
	return brotli.NewWriterLevel(w, level)
}

func releaseBrotliWriter(zw compressor, level int) {
	brotliWriterPools[normalizeBrotliLevel(level)].Put(zw)
}

func acquireBrotliReader(r io.Reader) (decompressor, error) {
	if v := brotliReaderPool.Get(); v != nil {
		zr := v.(*brotli.Reader)
		if err := zr.Reset(r); err != nil {
			brotliReaderPool.Put(zr)
			return nil, err
		}
		return zr, nil
	}
	return brotli.NewReader(r), nil
}

func releaseBrotliReader(zr decompressor) {
	brotliReaderPool.Put(zr)
}

// AppendBrotliBytesLevel appends src compressed with brotli at level to
// dst. Levels outside 0..11 mean CompressBrotliDefaultCompression.
func AppendBrotliBytesLevel(dst, src []byte, level int) []byte {
	return appendCompressed(dst, src, codingBrotli, level)
}

// AppendBrotliBytes appends src compressed with brotli to dst.
func AppendBrotliBytes(dst, src []byte) []byte {
	return AppendBrotliBytesLevel(dst, src, CompressBrotliDefaultCompression)
}

// WriteBrotliLevel writes p compressed with brotli at level to w. It
// returns len(p) on success.
func WriteBrotliLevel(w io.Writer, p []byte, level int) (int, error) {
	return writeCompressed(w, p, codingBrotli, level)
}

// WriteBrotli writes p compressed with brotli to w.
func WriteBrotli(w io.Writer, p []byte) (int, error) {
	return WriteBrotliLevel(w, p, CompressBrotliDefaultCompression)
}

// AppendUnbrotliBytes appends the brotli-decoded src to dst.
func AppendUnbrotliBytes(dst, src []byte) ([]byte, error) {
	return appendDecoded(dst, src, codingBrotli, 0)
}

// WriteUnbrotli writes the brotli-decoded p to w and returns the number
// of decoded bytes written.
func WriteUnbrotli(w io.Writer, p []byte) (int, error) {
	return writeDecoded(w, p, codingBrotli)
}
