package fasthttp

import (
	"errors"
	"io"
	"sync"

	"github.com/klauspost/compress/zstd"
)

// Compression levels for zstd: the encoder speeds of
// github.com/klauspost/compress/zstd, fastest to tightest. Unset means
// the default.
const (
	CompressZstdSpeedNotSet     = 0
	CompressZstdBestSpeed       = 1
	CompressZstdDefault         = 2
	CompressZstdSpeedBetter     = 3
	CompressZstdBestCompression = 4
)

// zstdEncoderWindow keeps frames decodable by HTTP clients: RFC 9659 lets
// them refuse windows over 8 MiB.
const zstdEncoderWindow = 4 << 20

// normalizeZstdLevel maps unset and out-of-range levels to the default.
func normalizeZstdLevel(level int) int {
	if level < CompressZstdBestSpeed || level > CompressZstdBestCompression {
		return CompressZstdDefault
	}
	return level
}

var zstdWriterPools [CompressZstdBestCompression + 1]sync.Pool

func acquireZstdEncoder(level int) *zstd.Encoder {
	level = normalizeZstdLevel(level)
	if v := zstdWriterPools[level].Get(); v != nil {
		return v.(*zstd.Encoder)
	}
	enc, err := zstd.NewWriter(nil,
		zstd.WithEncoderLevel(zstd.EncoderLevel(level)),
		zstd.WithEncoderConcurrency(1),
		zstd.WithWindowSize(zstdEncoderWindow),
		zstd.WithZeroFrames(true),
		zstd.WithLowerEncoderMem(true))
	if err != nil {
		panic("BUG: zstd encoder options: " + err.Error())
	}
	return enc
}

func acquireZstdWriter(w io.Writer, level int) compressor {
	enc := acquireZstdEncoder(level)
	enc.Reset(w)
	return enc
}

func releaseZstdWriter(zw compressor, level int) {
	zstdWriterPools[normalizeZstdLevel(level)].Put(zw)
}

// appendZstdEncoded appends src as one zstd frame to dst.
func appendZstdEncoded(dst, src []byte, level int) []byte {
	enc := acquireZstdEncoder(level)
	dst = enc.EncodeAll(src, dst)
	zstdWriterPools[normalizeZstdLevel(level)].Put(enc)
	return dst
}

// Decoders are pooled per window cap: a decoder's limits are fixed when it
// is made. The cap is the decode limit rounded up to a multiple of
// zstdWindowStep, so a stream can never make the decoder hold more than
// about limit bytes of history; class 0 has the library's defaults.
const zstdWindowStep = 8 << 20

var zstdReaderPools sync.Map // int class -> *sync.Pool

func zstdClass(limit int) int {
	if limit <= 0 {
		return 0
	}
	return (limit + zstdWindowStep - 1) / zstdWindowStep
}

func zstdReaderPool(class int) *sync.Pool {
	if p, ok := zstdReaderPools.Load(class); ok {
		return p.(*sync.Pool)
	}
	p, _ := zstdReaderPools.LoadOrStore(class, &sync.Pool{})
	return p.(*sync.Pool)
}

func acquireZstdReader(r io.Reader, limit int) (decompressor, error) {
	class := zstdClass(limit)
	pool := zstdReaderPool(class)
	if v := pool.Get(); v != nil {
		zr := v.(*zstd.Decoder)
		if err := zr.Reset(r); err != nil {
			pool.Put(zr)
			return nil, err
		}
		return zr, nil
	}
	opts := []zstd.DOption{zstd.WithDecoderConcurrency(1), zstd.WithDecoderLowmem(true)}
	if class > 0 {
		window := uint64(class) * zstdWindowStep
		opts = append(opts, zstd.WithDecoderMaxWindow(window), zstd.WithDecoderMaxMemory(window))
	}
	zr, err := zstd.NewReader(r, opts...)
	if err != nil {
		return nil, err
	}
	return zr, nil
}

func releaseZstdReader(zr decompressor, limit int) {
	zstdReaderPool(zstdClass(limit)).Put(zr)
}

// isZstdTooLarge reports a zstd refusal of a window or size over the cap.
func isZstdTooLarge(err error) bool {
	return errors.Is(err, zstd.ErrWindowSizeExceeded) || errors.Is(err, zstd.ErrDecoderSizeExceeded)
}

// AppendZstdBytesLevel appends src compressed with zstd at level to dst.
// Levels outside CompressZstdBestSpeed..CompressZstdBestCompression mean
// CompressZstdDefault.
func AppendZstdBytesLevel(dst, src []byte, level int) []byte {
	return appendZstdEncoded(dst, src, level)
}

// AppendZstdBytes appends src compressed with zstd to dst.
func AppendZstdBytes(dst, src []byte) []byte {
	return AppendZstdBytesLevel(dst, src, CompressZstdDefault)
}

// WriteZstdLevel writes p compressed with zstd at level to w. It returns
// len(p) on success.
func WriteZstdLevel(w io.Writer, p []byte, level int) (int, error) {
	return writeCompressed(w, p, codingZstd, level)
}

// AppendUnzstdBytes appends the zstd-decoded src to dst.
func AppendUnzstdBytes(dst, src []byte) ([]byte, error) {
	return appendDecoded(dst, src, codingZstd, 0)
}

// WriteUnzstd writes the zstd-decoded p to w and returns the number of
// decoded bytes written.
func WriteUnzstd(w io.Writer, p []byte) (int, error) {
	return writeDecoded(w, p, codingZstd)
}

// The levels are handed to the library as its speeds: keep them equal.
var _ = [1]struct{}{}[(CompressZstdBestSpeed-int(zstd.SpeedFastest))|
	(CompressZstdDefault-int(zstd.SpeedDefault))|
	(CompressZstdSpeedBetter-int(zstd.SpeedBetterCompression))|
	(CompressZstdBestCompression-int(zstd.SpeedBestCompression))]
