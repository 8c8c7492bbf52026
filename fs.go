package fasthttp

import (
	"mime"
	"os"
	"path/filepath"
)

// ServeFile serves the file at path: its content with a Content-Type from
// the extension and Last-Modified, or 304 when the client's copy is
// current. path is cleaned first; a request path never reaches it
// unchecked.
func ServeFile(ctx *RequestCtx, path string) {
	serveFileSimple(ctx, filepath.Clean(path))
}

// ServeFileBytes is ServeFile for a byte-slice path.
func ServeFileBytes(ctx *RequestCtx, path []byte) {
	ServeFile(ctx, string(path))
}

// ServeFileLiteral serves the file at path exactly as named.
func ServeFileLiteral(ctx *RequestCtx, path string) {
	serveFileSimple(ctx, path)
}

func serveFileSimple(ctx *RequestCtx, path string) {
	f, err := os.Open(path)
	if err != nil {
		ctx.NotFound()
		return
	}
	st, err := f.Stat()
	if err != nil || st.IsDir() {
		_ = f.Close()
		ctx.NotFound()
		return
	}
	if !ctx.IfModifiedSince(st.ModTime()) {
		_ = f.Close()
		ctx.NotModified()
		return
	}
	ct := mime.TypeByExtension(filepath.Ext(path))
	if ct == "" {
		ct = "application/octet-stream"
	}
	ctx.SetContentType(ct)
	ctx.Response.Header.SetLastModified(st.ModTime())
	ctx.Response.SetBodyStream(f, int(st.Size()))
}
