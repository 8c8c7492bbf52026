package fasthttp

import "io"

// writeFull writes b to w in one call and turns a short count that comes
// without an error (which breaks io.Writer's contract) into
// io.ErrShortWrite, as io.Copy does: no WriteTo here claims success for
// bytes the destination did not take.
func writeFull(w io.Writer, b []byte) (int64, error) {
	n, err := w.Write(b)
	if err == nil && n < len(b) {
		err = io.ErrShortWrite
	}
	return int64(n), err
}
