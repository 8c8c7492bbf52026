package fasthttp

import (
	"compress/flate"
	"compress/gzip"
	"io"
)

// newDecodingReader returns a reader that undoes the content coding named
// by encoding (gzip or deflate).
func newDecodingReader(encoding []byte, r io.Reader) (io.Reader, error) {
	switch {
	case equalFoldString(encoding, "gzip"):
		return gzip.NewReader(r)
	case equalFoldString(encoding, "deflate"):
		return flate.NewReader(r), nil
	}
	return nil, ErrContentEncodingUnsupported
}
