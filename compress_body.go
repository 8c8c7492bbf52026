package fasthttp

import "bufio"

// Request and Response helpers that decode a received body or encode a
// body being written.

// decodeBody decodes body, encoded with the Content-Encoding value ce
// (several codings are undone last first), into a new slice. More than
// limit decoded bytes (0: no limit) fail with ErrBodyTooLarge.
func decodeBody(body, ce []byte, limit int) ([]byte, error) {
	var codings [maxStackedCodings]coding
	n, err := parseCodingList(ce, &codings)
	if err != nil {
		return nil, err
	}
	out := body
	copied := false
	for i := n - 1; i >= 0; i-- {
		if codings[i] == codingIdentity {
			continue
		}
		out, err = appendDecoded(nil, out, codings[i], limit)
		if err != nil {
			return nil, err
		}
		copied = true
	}
	if !copied {
		if limit > 0 && len(out) > limit {
			return nil, ErrBodyTooLarge
		}
		out = append([]byte(nil), out...)
	}
	return out, nil
}

// decodeBodyAs decodes body as coding c into a new slice.
func decodeBodyAs(body []byte, c coding, limit int) ([]byte, error) {
	return appendDecoded(nil, body, c, limit)
}

// decodeLimit is the limit for the Body* methods that take none: the
// body size limit of the server that read the request, or none.
func (req *Request) decodeLimit() int { return req.bodyDecodeLimit }

// BodyGunzip returns the gzip-decoded body. Inside a server handler the
// decoded size is limited by the server's MaxRequestBodySize.
func (req *Request) BodyGunzip() ([]byte, error) {
	return req.BodyGunzipWithLimit(req.decodeLimit())
}

// BodyGunzipWithLimit returns the gzip-decoded body, failing with
// ErrBodyTooLarge past maxBodySize decoded bytes (<= 0: no limit).
func (req *Request) BodyGunzipWithLimit(maxBodySize int) ([]byte, error) {
	return decodeBodyAs(req.Body(), codingGzip, maxBodySize)
}

// BodyInflate returns the body decoded from the zlib ("deflate") format.
// Inside a server handler the decoded size is limited by the server's
// MaxRequestBodySize.
func (req *Request) BodyInflate() ([]byte, error) {
	return req.BodyInflateWithLimit(req.decodeLimit())
}

// BodyInflateWithLimit is BodyInflate failing with ErrBodyTooLarge past
// maxBodySize decoded bytes (<= 0: no limit).
func (req *Request) BodyInflateWithLimit(maxBodySize int) ([]byte, error) {
	return decodeBodyAs(req.Body(), codingDeflate, maxBodySize)
}

// BodyUnbrotli returns the brotli-decoded body. Inside a server handler
// the decoded size is limited by the server's MaxRequestBodySize.
func (req *Request) BodyUnbrotli() ([]byte, error) {
	return req.BodyUnbrotliWithLimit(req.decodeLimit())
}

// BodyUnbrotliWithLimit is BodyUnbrotli failing with ErrBodyTooLarge past
// maxBodySize decoded bytes (<= 0: no limit).
func (req *Request) BodyUnbrotliWithLimit(maxBodySize int) ([]byte, error) {
	return decodeBodyAs(req.Body(), codingBrotli, maxBodySize)
}

// BodyUnzstd returns the zstd-decoded body. Inside a server handler the
// decoded size is limited by the server's MaxRequestBodySize.
func (req *Request) BodyUnzstd() ([]byte, error) {
	return req.BodyUnzstdWithLimit(req.decodeLimit())
}

// BodyUnzstdWithLimit is BodyUnzstd failing with ErrBodyTooLarge past
// maxBodySize decoded bytes (<= 0: no limit). The limit also caps the
// zstd window the decoder accepts, rounded up to 8 MiB.
func (req *Request) BodyUnzstdWithLimit(maxBodySize int) ([]byte, error) {
	return decodeBodyAs(req.Body(), codingZstd, maxBodySize)
}

// BodyUncompressed returns the body with its Content-Encoding (gzip,
// deflate, br, zstd, identity, or a list of them) undone. Unknown codings
// give ErrContentEncodingUnsupported. Inside a server handler the decoded
// size is limited by the server's MaxRequestBodySize.
func (req *Request) BodyUncompressed() ([]byte, error) {
	return req.BodyUncompressedWithLimit(req.decodeLimit())
}

// BodyUncompressedWithLimit is BodyUncompressed failing with
// ErrBodyTooLarge past maxBodySize decoded bytes (<= 0: no limit).
func (req *Request) BodyUncompressedWithLimit(maxBodySize int) ([]byte, error) {
	return decodeBody(req.Body(), req.Header.ContentEncoding(), maxBodySize)
}

// BodyGunzip returns the gzip-decoded body.
func (resp *Response) BodyGunzip() ([]byte, error) { return resp.BodyGunzipWithLimit(0) }

// BodyGunzipWithLimit returns the gzip-decoded body, failing with
// ErrBodyTooLarge past maxBodySize decoded bytes (<= 0: no limit).
func (resp *Response) BodyGunzipWithLimit(maxBodySize int) ([]byte, error) {
	return decodeBodyAs(resp.Body(), codingGzip, maxBodySize)
}

// BodyInflate returns the body decoded from the zlib ("deflate") format.
func (resp *Response) BodyInflate() ([]byte, error) { return resp.BodyInflateWithLimit(0) }

// BodyInflateWithLimit is BodyInflate failing with ErrBodyTooLarge past
// maxBodySize decoded bytes (<= 0: no limit).
func (resp *Response) BodyInflateWithLimit(maxBodySize int) ([]byte, error) {
	return decodeBodyAs(resp.Body(), codingDeflate, maxBodySize)
}

// BodyUnbrotli returns the brotli-decoded body.
func (resp *Response) BodyUnbrotli() ([]byte, error) { return resp.BodyUnbrotliWithLimit(0) }

// BodyUnbrotliWithLimit is BodyUnbrotli failing with ErrBodyTooLarge past
// maxBodySize decoded bytes (<= 0: no limit).
func (resp *Response) BodyUnbrotliWithLimit(maxBodySize int) ([]byte, error) {
	return decodeBodyAs(resp.Body(), codingBrotli, maxBodySize)
}

// BodyUnzstd returns the zstd-decoded body.
func (resp *Response) BodyUnzstd() ([]byte, error) { return resp.BodyUnzstdWithLimit(0) }

// BodyUnzstdWithLimit is BodyUnzstd failing with ErrBodyTooLarge past
// maxBodySize decoded bytes (<= 0: no limit). The limit also caps the
// zstd window the decoder accepts, rounded up to 8 MiB.
func (resp *Response) BodyUnzstdWithLimit(maxBodySize int) ([]byte, error) {
	return decodeBodyAs(resp.Body(), codingZstd, maxBodySize)
}

// BodyUncompressed returns the body with its Content-Encoding undone, as
// Request.BodyUncompressed does.
func (resp *Response) BodyUncompressed() ([]byte, error) {
	return resp.BodyUncompressedWithLimit(0)
}

// BodyUncompressedWithLimit is BodyUncompressed failing with
// ErrBodyTooLarge past maxBodySize decoded bytes (<= 0: no limit).
func (resp *Response) BodyUncompressedWithLimit(maxBodySize int) ([]byte, error) {
	return decodeBody(resp.Body(), resp.Header.ContentEncoding(), maxBodySize)
}

// WriteGzip writes the response to w with its body gzip-compressed and
// Content-Encoding set, when the body qualifies: not already encoded, of
// a compressible type and at least 200 bytes long. It does not flush w.
func (resp *Response) WriteGzip(w *bufio.Writer) error {
	return resp.WriteGzipLevel(w, CompressDefaultCompression)
}

// WriteGzipLevel is WriteGzip at the given gzip level.
func (resp *Response) WriteGzipLevel(w *bufio.Writer, level int) error {
	resp.encodeForWrite(codingGzip, level)
	return resp.Write(w)
}

// WriteDeflate writes the response to w with its body in the zlib
// ("deflate") format and Content-Encoding set, when the body qualifies as
// for WriteGzip. It does not flush w.
func (resp *Response) WriteDeflate(w *bufio.Writer) error {
	return resp.WriteDeflateLevel(w, CompressDefaultCompression)
}

// WriteDeflateLevel is WriteDeflate at the given level.
func (resp *Response) WriteDeflateLevel(w *bufio.Writer, level int) error {
	resp.encodeForWrite(codingDeflate, level)
	return resp.Write(w)
}

func (resp *Response) encodeForWrite(c coding, level int) {
	if resp.compressible() {
		addVaryAcceptEncoding(&resp.Header)
		resp.encodeBody(c, level)
	}
}
