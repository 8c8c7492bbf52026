package fasthttp

import (
	"bufio"
	"bytes"
	stdgzip "compress/gzip"
	stdzlib "compress/zlib"
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/zstd"
)

var cfsText = []byte(strings.Repeat("The quick brown fox jumps over the lazy dog. ", 200))

// Every Append* encoder must produce a stream that an independent decoder
// (the standard library where it has one) reads back, at every level,
// including the out-of-range ones that fall back to the default.
func TestCompressAppendRoundTripAllLevels(t *testing.T) {
	t.Parallel()
	for _, level := range []int{-5, CompressHuffmanOnly, -1, CompressNoCompression, CompressBestSpeed, 5, CompressBestCompression, 10} {
		gz := AppendGzipBytesLevel([]byte("prefix"), cfsText, level)
		if !bytes.HasPrefix(gz, []byte("prefix")) {
			t.Fatalf("gzip level %d: prefix lost", level)
		}
		zr, err := stdgzip.NewReader(bytes.NewReader(gz[6:]))
		if err != nil {
			t.Fatalf("gzip level %d: %v", level, err)
		}
		if got, _ := io.ReadAll(zr); !bytes.Equal(got, cfsText) {
			t.Fatalf("gzip level %d: round trip mismatch", level)
		}
		df := AppendDeflateBytesLevel(nil, cfsText, level)
		fr, err := stdzlib.NewReader(bytes.NewReader(df))
		if err != nil {
			t.Fatalf("deflate level %d is not zlib: %v", level, err)
		}
		if got, _ := io.ReadAll(fr); !bytes.Equal(got, cfsText) {
			t.Fatalf("deflate level %d: round trip mismatch", level)
		}
	}
	for _, level := range []int{-1, 0, 1, 4, 11, 12} {
		br := AppendBrotliBytesLevel(nil, cfsText, level)
		if got, err := io.ReadAll(brotli.NewReader(bytes.NewReader(br))); err != nil || !bytes.Equal(got, cfsText) {
			t.Fatalf("brotli level %d: %v", level, err)
		}
	}
	dec, _ := zstd.NewReader(nil)
	defer dec.Close()
	for _, level := range []int{-1, CompressZstdSpeedNotSet, CompressZstdBestSpeed, CompressZstdDefault, CompressZstdSpeedBetter, CompressZstdBestCompression, 9} {
		zs := AppendZstdBytesLevel(nil, cfsText, level)
		if got, err := dec.DecodeAll(zs, nil); err != nil || !bytes.Equal(got, cfsText) {
			t.Fatalf("zstd level %d: %v", level, err)
		}
	}
}

func TestCompressAppendDecodeRoundTrip(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		enc  func(dst, src []byte) []byte
		dec  func(dst, src []byte) ([]byte, error)
	}{
		{"gzip", AppendGzipBytes, AppendGunzipBytes},
		{"deflate", AppendDeflateBytes, AppendInflateBytes},
		{"br", AppendBrotliBytes, AppendUnbrotliBytes},
		{"zstd", AppendZstdBytes, AppendUnzstdBytes},
	}
	for _, c := range cases {
		for _, src := range [][]byte{nil, []byte("x"), cfsText} {
			enc := c.enc(nil, src)
			if len(enc) == 0 {
				t.Fatalf("%s: empty input gave no stream", c.name)
			}
			got, err := c.dec([]byte("pre"), enc)
			if err != nil || string(got) != "pre"+string(src) {
				t.Fatalf("%s(%d bytes): got %d bytes, %v", c.name, len(src), len(got), err)
			}
		}
		// Garbage and truncated streams fail without panicking.
		if _, err := c.dec(nil, []byte("definitely not compressed data")); err == nil {
			t.Errorf("%s: garbage decoded without error", c.name)
		}
		enc := c.enc(nil, cfsText)
		if _, err := c.dec(nil, enc[:len(enc)/2]); err == nil {
			t.Errorf("%s: truncated stream decoded without error", c.name)
		}
		// zstd defines an empty input as zero frames; the others need a header.
		if _, err := c.dec(nil, nil); err == nil && c.name != "zstd" {
			t.Errorf("%s: empty input decoded without error", c.name)
		}
	}
}

func TestCompressWriteFunctions(t *testing.T) {
	t.Parallel()
	type wfn func(io.Writer, []byte) (int, error)
	cases := []struct {
		name     string
		enc, dec wfn
	}{
		{"gzip", WriteGzip, WriteGunzip},
		{"gzip9", func(w io.Writer, p []byte) (int, error) { return WriteGzipLevel(w, p, 9) }, WriteGunzip},
		{"deflate", WriteDeflate, WriteInflate},
		{"deflate1", func(w io.Writer, p []byte) (int, error) { return WriteDeflateLevel(w, p, 1) }, WriteInflate},
		{"br", WriteBrotli, WriteUnbrotli},
		{"br11", func(w io.Writer, p []byte) (int, error) { return WriteBrotliLevel(w, p, 11) }, WriteUnbrotli},
		{"zstd", func(w io.Writer, p []byte) (int, error) { return WriteZstdLevel(w, p, CompressZstdBestSpeed) }, WriteUnzstd},
	}
	for _, c := range cases {
		var enc bytes.Buffer
		n, err := c.enc(&enc, cfsText)
		if err != nil || n != len(cfsText) {
			t.Fatalf("%s: wrote %d of %d: %v", c.name, n, len(cfsText), err)
		}
		if enc.Len() >= len(cfsText)/4 {
			t.Fatalf("%s: %d bytes is hardly compressed", c.name, enc.Len())
		}
		var dec bytes.Buffer
		n, err = c.dec(&dec, enc.Bytes())
		if err != nil || n != len(cfsText) || !bytes.Equal(dec.Bytes(), cfsText) {
			t.Fatalf("%s: decoded %d bytes: %v", c.name, n, err)
		}
		if _, err := c.dec(io.Discard, []byte("garbage garbage")); err == nil {
			t.Errorf("%s: garbage decoded", c.name)
		}
	}
}

// failingWriter takes left bytes, then fails every write with errSink.
type failingWriter struct{ left int }

var errSink = errors.New("sink refused the write")

func (f *failingWriter) Write(p []byte) (int, error) {
	if len(p) <= f.left {
		f.left -= len(p)
		return len(p), nil
	}
	n := f.left
	f.left = 0
	return n, errSink
}

// The Write* encoders return what goes wrong on the way out: an error of
// the encoder's final flush (a short input is written only by Close) and
// a destination that takes less than it is given without saying why.
func TestCompressWriteReportsCloseAndShortWriteErrors(t *testing.T) {
	t.Parallel()
	encoders := map[string]func(io.Writer, []byte) (int, error){
		"gzip":    WriteGzip,
		"deflate": WriteDeflate,
		"br":      WriteBrotli,
		"zstd":    func(w io.Writer, p []byte) (int, error) { return WriteZstdLevel(w, p, CompressZstdDefault) },
	}
	short := []byte("a short body that every encoder keeps until Close")
	for name, enc := range encoders {
		for _, left := range []int{0, 3} {
			if _, err := enc(&failingWriter{left: left}, short); !errors.Is(err, errSink) {
				t.Errorf("%s, sink failing after %d bytes: error %v", name, left, err)
			}
		}
		if _, err := enc(&shortWriter{n: 7}, cfsText); !errors.Is(err, io.ErrShortWrite) {
			t.Errorf("%s, short writes: error %v, want io.ErrShortWrite", name, err)
		}
	}
}

// A compressed response body, buffered or streamed, reports the failure of
// the connection it is written to, the encoder's last block included, and
// a short write as io.ErrShortWrite.
func TestCompressedBodiesReportWriteErrors(t *testing.T) {
	t.Parallel()
	body := bytes.Repeat([]byte("hello compressed world "), 100)
	modes := map[string]func(ctx *RequestCtx){
		"bytes":        func(ctx *RequestCtx) { ctx.SetBody(body) },
		"stream":       func(ctx *RequestCtx) { ctx.SetBodyStream(bytes.NewReader(body), -1) },
		"streamWriter": func(ctx *RequestCtx) { ctx.SetBodyStreamWriter(func(w *bufio.Writer) { _, _ = w.Write(body) }) },
	}
	for mode, set := range modes {
		h := CompressHandlerBrotliLevel(func(ctx *RequestCtx) {
			ctx.SetContentType("text/plain")
			set(ctx)
		}, CompressBrotliDefaultCompression, CompressDefaultCompression)
		for _, ae := range []string{"gzip", "deflate", "br", "zstd"} {
			respond := func() *RequestCtx {
				ctx := &RequestCtx{}
				ctx.Request.Header.SetHost("test")
				ctx.Request.Header.Set(HeaderAcceptEncoding, ae)
				h(ctx)
				if got := string(ctx.Response.Header.ContentEncoding()); got != ae {
					t.Fatalf("%s %s: Content-Encoding %q", mode, ae, got)
				}
				return ctx
			}
			for _, left := range []int{0, 5} {
				if err := respond().Response.BodyWriteTo(&failingWriter{left: left}); !errors.Is(err, errSink) {
					t.Errorf("%s %s, sink failing after %d bytes: %v", mode, ae, left, err)
				}
			}
			if err := respond().Response.BodyWriteTo(&shortWriter{n: 7}); !errors.Is(err, io.ErrShortWrite) {
				t.Errorf("%s %s, short writes: %v, want io.ErrShortWrite", mode, ae, err)
			}
		}
	}
}

// cfsBombs builds streams that are small but decode to total bytes of
// zeros, cheaply: gzip and zstd allow concatenated members/frames.
func cfsBomb(t testing.TB, c coding, total int) []byte {
	t.Helper()
	const piece = 4 << 20
	zeros := make([]byte, piece)
	switch c {
	case codingGzip:
		one := AppendGzipBytesLevel(nil, zeros, CompressBestCompression)
		return bytes.Repeat(one, total/piece)
	case codingZstd:
		one := AppendZstdBytesLevel(nil, zeros, CompressZstdBestCompression)
		return bytes.Repeat(one, total/piece)
	case codingDeflate:
		var b bytes.Buffer
		zw, _ := stdzlib.NewWriterLevel(&b, stdzlib.BestSpeed)
		for i := 0; i < total/piece; i++ {
			_, _ = zw.Write(zeros)
		}
		_ = zw.Close()
		return b.Bytes()
	case codingBrotli:
		var b bytes.Buffer
		zw := brotli.NewWriterLevel(&b, 0)
		for i := 0; i < total/piece; i++ {
			_, _ = zw.Write(zeros)
		}
		_ = zw.Close()
		return b.Bytes()
	}
	t.Fatalf("no bomb for %v", c)
	return nil
}

// A small stream inflating to gigabytes must stop at the limit with
// ErrBodyTooLarge, holding no more than about the limit in memory.
func TestCompressDecompressionBombIsBounded(t *testing.T) {
	const limit = 1 << 20
	cases := []struct {
		c     coding
		total int
		fn    func(*Request, int) ([]byte, error)
	}{
		{codingGzip, 1 << 30, (*Request).BodyGunzipWithLimit},
		{codingZstd, 1 << 30, (*Request).BodyUnzstdWithLimit},
		{codingDeflate, 64 << 20, (*Request).BodyInflateWithLimit},
		{codingBrotli, 64 << 20, (*Request).BodyUnbrotliWithLimit},
	}
	for _, tc := range cases {
		bomb := cfsBomb(t, tc.c, tc.total)
		if len(bomb) > 2<<20 {
			t.Fatalf("%v bomb is %d bytes: not a bomb", tc.c, len(bomb))
		}
		var req Request
		req.SetBody(bomb)
		req.Header.SetContentEncodingBytes(tc.c.name())
		for name, fn := range map[string]func(int) ([]byte, error){
			"specific":     func(l int) ([]byte, error) { return tc.fn(&req, l) },
			"uncompressed": req.BodyUncompressedWithLimit,
		} {
			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			out, err := fn(limit)
			runtime.ReadMemStats(&after)
			if !errors.Is(err, ErrBodyTooLarge) {
				t.Fatalf("%v %s: got %d bytes, err %v; want ErrBodyTooLarge", tc.c, name, len(out), err)
			}
			if grown := after.TotalAlloc - before.TotalAlloc; grown > 48<<20 {
				t.Fatalf("%v %s: allocated %d MiB for a %d-byte limit", tc.c, name, grown>>20, limit)
			}
		}
		// Within the limit the same data decodes.
		small := AppendGzipBytes(nil, cfsText)
		req.SetBody(small)
		req.Header.SetContentEncoding("gzip")
		if got, err := req.BodyUncompressedWithLimit(len(cfsText)); err != nil || !bytes.Equal(got, cfsText) {
			t.Fatalf("exact limit: %v", err)
		}
		if _, err := req.BodyUncompressedWithLimit(len(cfsText) - 1); !errors.Is(err, ErrBodyTooLarge) {
			t.Fatalf("one byte over: %v", err)
		}
	}
}

// zstd frames can announce a window far larger than the data; a limit
// caps the window the decoder accepts, so such a frame cannot make it
// reserve memory.
func TestCompressZstdWindowCappedByLimit(t *testing.T) {
	t.Parallel()
	enc, err := zstd.NewWriter(nil, zstd.WithWindowSize(64<<20), zstd.WithSingleSegment(false))
	if err != nil {
		t.Fatal(err)
	}
	data := make([]byte, 32<<20)
	for i := range data {
		data[i] = byte(i * 7 / 13)
	}
	frame := enc.EncodeAll(data, nil)
	var req Request
	req.SetBody(frame)
	if _, err := req.BodyUnzstdWithLimit(1 << 20); !errors.Is(err, ErrBodyTooLarge) {
		t.Fatalf("want ErrBodyTooLarge, got %v", err)
	}
	if got, err := req.BodyUnzstdWithLimit(0); err != nil || !bytes.Equal(got, data) {
		t.Fatalf("unlimited: %v", err)
	}
}

func TestCompressBodyUncompressed(t *testing.T) {
	t.Parallel()
	var req Request
	req.SetBody(cfsText)
	for _, ce := range []string{"", "identity", "IDENTITY"} {
		req.Header.SetContentEncoding(ce)
		if got, err := req.BodyUncompressed(); err != nil || !bytes.Equal(got, cfsText) {
			t.Fatalf("%q: %v", ce, err)
		}
	}
	req.Header.SetContentEncoding("compress")
	if _, err := req.BodyUncompressed(); !errors.Is(err, ErrContentEncodingUnsupported) {
		t.Fatalf("compress: %v", err)
	}
	// Stacked codings are undone last first: gzip applied, then br.
	stacked := AppendBrotliBytes(nil, AppendGzipBytes(nil, cfsText))
	req.SetBody(stacked)
	req.Header.SetContentEncoding("gzip, br")
	if got, err := req.BodyUncompressed(); err != nil || !bytes.Equal(got, cfsText) {
		t.Fatalf("stacked: %v", err)
	}
	req.Header.SetContentEncoding("x-gzip")
	req.SetBody(AppendGzipBytes(nil, cfsText))
	if got, err := req.BodyUncompressed(); err != nil || !bytes.Equal(got, cfsText) {
		t.Fatalf("x-gzip: %v", err)
	}

	var resp Response
	for _, c := range []struct {
		ce  string
		enc []byte
		fn  func() ([]byte, error)
	}{
		{"gzip", AppendGzipBytes(nil, cfsText), resp.BodyGunzip},
		{"deflate", AppendDeflateBytes(nil, cfsText), resp.BodyInflate},
		{"br", AppendBrotliBytes(nil, cfsText), resp.BodyUnbrotli},
		{"zstd", AppendZstdBytes(nil, cfsText), resp.BodyUnzstd},
	} {
		resp.SetBody(c.enc)
		resp.Header.SetContentEncoding(c.ce)
		if got, err := c.fn(); err != nil || !bytes.Equal(got, cfsText) {
			t.Fatalf("response %s: %v", c.ce, err)
		}
		if got, err := resp.BodyUncompressed(); err != nil || !bytes.Equal(got, cfsText) {
			t.Fatalf("response uncompressed %s: %v", c.ce, err)
		}
		if _, err := resp.BodyUncompressedWithLimit(10); !errors.Is(err, ErrBodyTooLarge) {
			t.Fatalf("response limit %s: %v", c.ce, err)
		}
	}
	// The Request methods decode whatever the header says.
	req.Header.SetContentEncoding("")
	for _, c := range []struct {
		enc []byte
		fn  func() ([]byte, error)
	}{
		{AppendGzipBytes(nil, cfsText), req.BodyGunzip},
		{AppendDeflateBytes(nil, cfsText), req.BodyInflate},
		{AppendBrotliBytes(nil, cfsText), req.BodyUnbrotli},
		{AppendZstdBytes(nil, cfsText), req.BodyUnzstd},
	} {
		req.SetBody(c.enc)
		if got, err := c.fn(); err != nil || !bytes.Equal(got, cfsText) {
			t.Fatalf("request decode: %v", err)
		}
	}
}

func TestCompressResponseWriteGzipDeflate(t *testing.T) {
	t.Parallel()
	write := func(resp *Response, deflate bool, level int) *Response {
		var b bytes.Buffer
		w := bufio.NewWriter(&b)
		var err error
		switch {
		case deflate && level != 0:
			err = resp.WriteDeflateLevel(w, level)
		case deflate:
			err = resp.WriteDeflate(w)
		case level != 0:
			err = resp.WriteGzipLevel(w, level)
		default:
			err = resp.WriteGzip(w)
		}
		if err != nil {
			t.Fatal(err)
		}
		_ = w.Flush()
		var got Response
		if err := got.Read(bufio.NewReader(&b)); err != nil {
			t.Fatal(err)
		}
		return &got
	}
	for _, deflate := range []bool{false, true} {
		for _, level := range []int{0, CompressBestSpeed} {
			var resp Response
			resp.SetBody(cfsText)
			got := write(&resp, deflate, level)
			want := "gzip"
			if deflate {
				want = "deflate"
			}
			if string(got.Header.ContentEncoding()) != want || string(got.Header.Peek(HeaderVary)) != "Accept-Encoding" {
				t.Fatalf("headers: %s", got.Header.String())
			}
			if body, err := got.BodyUncompressed(); err != nil || !bytes.Equal(body, cfsText) {
				t.Fatalf("body: %v", err)
			}
		}
	}
	// Too small, or a type that does not compress: left alone.
	var small Response
	small.SetBodyString("tiny")
	if got := write(&small, false, 0); len(got.Header.ContentEncoding()) != 0 || string(got.Body()) != "tiny" {
		t.Fatalf("small body was encoded: %s", got.Header.String())
	}
	var img Response
	img.Header.SetContentType("image/png")
	img.SetBody(cfsText)
	if got := write(&img, false, 0); len(got.Header.ContentEncoding()) != 0 {
		t.Fatalf("image was encoded")
	}
}

// The decoding reader the multipart parser uses undoes each coding and
// honours its limit.
func TestCompressDecodingReader(t *testing.T) {
	t.Parallel()
	for _, ce := range []string{"gzip", "deflate", "br", "zstd", "identity", "gzip, zstd"} {
		var codings [maxStackedCodings]coding
		n, err := parseCodingList([]byte(ce), &codings)
		if err != nil {
			t.Fatal(err)
		}
		enc := cfsText
		for i := 0; i < n; i++ {
			if codings[i] != codingIdentity {
				enc = appendCompressed(nil, enc, codings[i], 1)
			}
		}
		r, err := newDecodingReader([]byte(ce), bytes.NewReader(enc))
		if err != nil {
			t.Fatal(err)
		}
		if got, err := io.ReadAll(r); err != nil || !bytes.Equal(got, cfsText) {
			t.Fatalf("%s: %v", ce, err)
		}
		r, _ = newLimitedDecodingReader([]byte(ce), bytes.NewReader(enc), 100)
		if _, err := io.ReadAll(r); !errors.Is(err, ErrBodyTooLarge) {
			t.Fatalf("%s limited: %v", ce, err)
		}
	}
	if _, err := newDecodingReader([]byte("compress"), bytes.NewReader(nil)); !errors.Is(err, ErrContentEncodingUnsupported) {
		t.Fatalf("unknown coding: %v", err)
	}
	if _, err := newDecodingReader([]byte("gzip,gzip,gzip,gzip,gzip"), bytes.NewReader(nil)); !errors.Is(err, ErrContentEncodingUnsupported) {
		t.Fatalf("too many codings: %v", err)
	}
}
