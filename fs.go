package fasthttp

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sync"
	"time"
)

// FSCompressedFileSuffix is the suffix FS appends to a file name for the
// gzip copy it caches next to the file (or under CompressRoot).
const FSCompressedFileSuffix = ".fasthttp.gz"

// FSCompressedFileSuffixes maps each coding FS caches to the suffix of its
// copies. FS reads it once, when a handler is built: change it before
// that, never while handlers are being built.
var FSCompressedFileSuffixes = map[string]string{
	"gzip": ".fasthttp.gz",
	"br":   ".fasthttp.br",
	"zstd": ".fasthttp.zst",
}

// FSHandlerCacheDuration is how long FS keeps an open file (or a small
// file's content) by default before looking at the file again.
const FSHandlerCacheDuration = 10 * time.Second

// CacheKind tells which form of a file an FS cache entry holds: the file
// itself or one of its compressed copies.
type CacheKind uint8

const (
	cacheKindPlain CacheKind = iota
	cacheKindGzip
	cacheKindBrotli
	cacheKindZstd
	cacheKinds
)

// coding returns the content coding of entries of kind k.
func (k CacheKind) coding() coding {
	switch k {
	case cacheKindGzip:
		return codingGzip
	case cacheKindBrotli:
		return codingBrotli
	case cacheKindZstd:
		return codingZstd
	}
	return codingIdentity
}

func cacheKindOf(c coding) CacheKind {
	switch c {
	case codingGzip:
		return cacheKindGzip
	case codingBrotli:
		return cacheKindBrotli
	case codingZstd:
		return cacheKindZstd
	}
	return cacheKindPlain
}

// PathRewriteFunc returns the path of the file to serve, relative to
// FS.Root, for a request. The result may point into ctx (ctx.Path(), for
// one) and must not contain ".." segments: FS refuses those with 400.
type PathRewriteFunc func(ctx *RequestCtx) []byte

// FS serves static files from a directory of the OS file system or from
// an fs.FS. Build the handler once with NewRequestHandler and reuse it;
// an FS must not be copied.
//
// The file served is exactly the path the request carries after
// percent-decoding, which the server does once: FS never decodes it
// again, so a guard that inspects ctx.Path() sees the same path FS opens.
// Paths with NUL bytes, backslashes or ".." segments get 400.
//
// Content-Type is the extension's type in Go's mime table (which includes
// the system's mime.types), or else what the first 512 bytes look like
// (http.DetectContentType). Last-Modified is the file's modification
// time, left out when that is the zero time or the Unix epoch, which
// embed.FS and some archives report for "unknown".
type FS struct {
	noCopy noCopy

	// FS, when set, is the file system to serve from (embed.FS,
	// os.DirFS, ...) instead of the OS one; Root then names a
	// subdirectory of it, or a file of it that answers every request.
	FS fs.FS

	// PathRewrite maps a request to the path to serve; by default the
	// request path.
	PathRewrite PathRewriteFunc

	// PathNotFound handles requests for files that do not exist; by
	// default they get 404 "Cannot open requested path".
	PathNotFound RequestHandler

	// CompressedFileSuffixes maps a coding ("gzip", "br", "zstd") to the
	// suffix of its cached copies; FSCompressedFileSuffixes by default.
	// Used only with Compress.
	CompressedFileSuffixes map[string]string

	// CleanStop, when set, stops the handler's cache cleaner once
	// closed. Close it only when the handler is no longer used.
	CleanStop chan struct{}

	// Root is the directory to serve; the current directory when empty
	// unless AllowEmptyRoot. When Root is a file, that file answers every
	// request. Symbolic links are followed only while they stay inside
	// Root, unless AllowSymlinksOutsideRoot.
	Root string

	// CompressRoot is where compressed copies are stored, mirroring the
	// layout of Root; next to the files when empty. Copies are confined
	// to it as files are to Root.
	CompressRoot string

	// CompressedFileSuffix is the suffix of gzip copies when
	// CompressedFileSuffixes has none; FSCompressedFileSuffix by default.
	CompressedFileSuffix string

	// IndexNames are the files tried, in order, for a directory request,
	// e.g. "index.html".
	IndexNames []string

	// CacheDuration is how long an open file (or a small file's content,
	// or a generated index page) is kept from when it was loaded;
	// FSHandlerCacheDuration by default. Changes to files show once their
	// entries expire.
	CacheDuration time.Duration

	// AllowEmptyRoot makes an empty Root mean "no root": request paths
	// are then used as absolute file system paths.
	AllowEmptyRoot bool

	// AllowSymlinksOutsideRoot makes FS follow symbolic links that lead
	// out of Root (or CompressRoot). By default every open goes through
	// os.Root, which refuses them; requests through such links get 404.
	AllowSymlinksOutsideRoot bool

	// CompressBrotli offers brotli copies, preferred to zstd and gzip.
	// Used only with Compress.
	CompressBrotli bool

	// CompressZstd offers zstd copies, preferred to gzip. Used only with
	// Compress.
	CompressZstd bool

	// GenerateIndexPages lists directories that have none of IndexNames.
	// Otherwise such directories get 403.
	GenerateIndexPages bool

	// Compress serves compressed copies to clients that accept them. A
	// copy is made once per file and stored next to it (or under
	// CompressRoot) with the coding's suffix, or kept in memory when it
	// cannot be written. Files of types that do not compress (images,
	// video, archives) and files under 200 bytes are sent as they are.
	Compress bool

	// AcceptByteRange answers single byte-range requests with 206.
	AcceptByteRange bool

	// GenerateETag sends a weak ETag built from the file's modification
	// time and size, and answers a matching If-None-Match with 304 (GET,
	// HEAD) or 412 (other methods). Files without a modification time,
	// as in embed.FS, get none.
	GenerateETag bool

	// SkipCache opens files anew for every request.
	SkipCache bool

	once sync.Once
	h    *fsHandler
}

// NewRequestHandler returns the handler serving files as fs describes.
// Calling it again returns the same handler; fs must not change after the
// first call.
func (fs *FS) NewRequestHandler() RequestHandler {
	fs.once.Do(func() {
		fs.h = newFSHandler(fs)
		fs.h.startCleaner(fs.CleanStop)
	})
	return fs.h.handleRequest
}

// FSHandler returns a handler serving the files under root, with index
// pages for directories that have no index.html, byte ranges, and
// stripSlashes leading path segments removed from request paths.
// Build one handler per root and reuse it.
func FSHandler(root string, stripSlashes int) RequestHandler {
	fs := &FS{
		Root:               root,
		IndexNames:         []string{"index.html"},
		GenerateIndexPages: true,
		AcceptByteRange:    true,
	}
	if stripSlashes > 0 {
		fs.PathRewrite = NewPathSlashesStripper(stripSlashes)
	}
	return fs.NewRequestHandler()
}

// NewPathSlashesStripper returns a PathRewriteFunc removing slashesCount
// leading path segments: with 1, "/foo/bar" becomes "/bar"; with 2, "".
func NewPathSlashesStripper(slashesCount int) PathRewriteFunc {
	return func(ctx *RequestCtx) []byte {
		return stripLeadingSegments(ctx.Path(), slashesCount)
	}
}

func stripLeadingSegments(p []byte, n int) []byte {
	for ; n > 0 && len(p) > 0; n-- {
		i := 1
		for i < len(p) && p[i] != '/' {
			i++
		}
		p = p[i:]
	}
	return p
}

// NewPathPrefixStripper returns a PathRewriteFunc removing the first
// prefixSize bytes of the path: with 4, "/foo/bar" becomes "/bar".
func NewPathPrefixStripper(prefixSize int) PathRewriteFunc {
	return func(ctx *RequestCtx) []byte {
		p := ctx.Path()
		if prefixSize >= len(p) {
			return p[len(p):]
		}
		if prefixSize < 0 {
			return p
		}
		return p[prefixSize:]
	}
}

// NewVHostPathRewriter returns a PathRewriteFunc that removes
// slashesCount leading path segments and puts the request host in front,
// so that each virtual host has its own directory under FS.Root: host
// "img.example.com", path "/images/1.jpg" and slashesCount 1 give
// "/img.example.com/1.jpg". A host that is empty or could name something
// other than one directory ("..", one with '/' or '\') becomes
// "invalid-host".
func NewVHostPathRewriter(slashesCount int) PathRewriteFunc {
	return func(ctx *RequestCtx) []byte {
		host := ctx.Host()
		if !safeVHost(host) {
			host = strInvalidHost
		}
		p := stripLeadingSegments(ctx.Path(), slashesCount)
		b := make([]byte, 0, len(host)+len(p)+2)
		b = append(b, '/')
		b = append(b, host...)
		if len(p) == 0 || p[0] != '/' {
			b = append(b, '/')
		}
		return append(b, p...)
	}
}

var strInvalidHost = []byte("invalid-host")

func safeVHost(h []byte) bool {
	if len(h) == 0 || (len(h) == 1 && h[0] == '.') || (len(h) == 2 && h[0] == '.' && h[1] == '.') {
		return false
	}
	for _, c := range h {
		if c == '/' || c == '\\' || c == 0 {
			return false
		}
	}
	return true
}

// FileLastModified returns the modification time of the file at path,
// truncated to seconds as HTTP dates are.
func FileLastModified(path string) (time.Time, error) {
	st, err := os.Stat(path)
	if err != nil {
		return time.Time{}, err
	}
	return st.ModTime().Truncate(time.Second), nil
}

// Shared handlers behind ServeFile and its siblings: they take file
// system paths, confined to nothing, and cache like any FS.
var (
	serveFileOnce    [2]sync.Once
	serveFileHandler [2]*fsHandler
)

func rootlessHandler(compress bool) *fsHandler {
	i := 0
	if compress {
		i = 1
	}
	serveFileOnce[i].Do(func() {
		// Paths are the caller's, not a request's: nothing to confine.
		cfg := &FS{AllowEmptyRoot: true, AllowSymlinksOutsideRoot: true}
		h := newFSHandler(cfg.withServeDefaults(compress))
		h.startCleaner(nil)
		serveFileHandler[i] = h
	})
	return serveFileHandler[i]
}

// ServeFile answers with the file or directory at path, a file system
// path (relative ones start at the working directory): its content, or a
// compressed copy when the client accepts one, with Content-Type (see FS),
// Last-Modified, conditional requests and byte ranges handled.
// A directory gets its index.html or a generated listing.
//
// path is used as written: it is never percent-decoded and '?' or '#' in
// it are part of the name. Never build it from request input without
// checking it: it can name any file the process can read. Use FS with a
// Root for that.
func ServeFile(ctx *RequestCtx, path string) {
	serveFilePath(ctx, path, true)
}

// ServeFileLiteral is ServeFile: both take path literally.
func ServeFileLiteral(ctx *RequestCtx, path string) {
	serveFilePath(ctx, path, true)
}

// ServeFileBytes is ServeFile for a byte-slice path.
func ServeFileBytes(ctx *RequestCtx, path []byte) {
	serveFilePath(ctx, b2s(path), true)
}

// ServeFileUncompressed is ServeFile that never sends a compressed copy.
func ServeFileUncompressed(ctx *RequestCtx, path string) {
	serveFilePath(ctx, path, false)
}

// ServeFileBytesUncompressed is ServeFileUncompressed for a byte-slice
// path.
func ServeFileBytesUncompressed(ctx *RequestCtx, path []byte) {
	serveFilePath(ctx, b2s(path), false)
}

func serveFilePath(ctx *RequestCtx, p string, compress bool) {
	if len(p) == 0 {
		ctx.Response.Reset()
		ctx.SetStatusCode(StatusNotFound)
		ctx.SetBodyString(fsNotFoundBody)
		return
	}
	// Clean lexically, keeping a trailing slash: filepath.Clean returns p
	// itself when there is nothing to clean.
	c := filepath.Clean(p)
	rootlessHandler(compress).serveName(ctx, c)
}

// ServeFS answers with the file or directory at path in filesystem, as
// ServeFile does for the OS file system. path is slash-separated and used
// as written, never percent-decoded.
func ServeFS(ctx *RequestCtx, filesystem fs.FS, path string) {
	serveFSPath(ctx, filesystem, path)
}

// ServeFSLiteral is ServeFS: both take path literally.
func ServeFSLiteral(ctx *RequestCtx, filesystem fs.FS, path string) {
	serveFSPath(ctx, filesystem, path)
}

func serveFSPath(ctx *RequestCtx, filesystem fs.FS, p string) {
	// fs.FS values need not be comparable, so there is no handler to
	// share between calls: this one caches nothing.
	cfg := &FS{FS: filesystem, SkipCache: true}
	h := newFSHandler(cfg.withServeDefaults(true))
	name := path.Clean("/" + p)
	h.serveName(ctx, name[1:])
}

var indexHTMLOnly = []string{"index.html"}

// withServeDefaults turns on what the ServeFile and ServeFS families
// promise on top of cfg: a directory answers with its index.html or a
// listing, byte ranges are honoured, and, with compress, every coding
// FS knows is offered.
func (cfg *FS) withServeDefaults(compress bool) *FS {
	cfg.IndexNames = indexHTMLOnly
	cfg.GenerateIndexPages = true
	cfg.AcceptByteRange = true
	cfg.Compress = compress
	cfg.CompressBrotli = compress
	cfg.CompressZstd = compress
	return cfg
}

// SendFile makes the file at path the response body, streamed when the
// response is written, and sets Last-Modified (unless the file reports
// the zero time or the Unix epoch, which mean "unknown"). It sets no
// Content-Type. Only regular files can be sent.
func (resp *Response) SendFile(path string) error {
	f, info, err := openRegularFile(path)
	if err != nil {
		return err
	}
	resp.SetBodyStream(f, int(info.Size()))
	if mt := info.ModTime(); knownModTime(mt) {
		resp.Header.SetLastModified(mt)
	}
	return nil
}

// openRegularFile opens path for reading when it names a regular file;
// the caller owns the returned file.
func openRegularFile(path string) (*os.File, fs.FileInfo, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	info, err := f.Stat()
	if err == nil && !info.Mode().IsRegular() {
		err = fmt.Errorf("fasthttp: cannot send %q: not a regular file", path)
	}
	if err != nil {
		_ = f.Close()
		return nil, nil, err
	}
	return f, info, nil
}
