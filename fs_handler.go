package fasthttp

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// fsHandler is the request handler FS builds: FS's settings resolved
// once, the open roots and the cache.
type fsHandler struct {
	fsys     fs.FS // serve from this instead of the OS file system
	dir      fsDir // the OS tree files are opened in
	compDir  fsDir // where compressed copies go
	compSame bool  // copies go next to the files
	// singleFile is set when Root is a file: it answers every request.
	singleFile string
	// absPaths: an empty Root with AllowEmptyRoot, where request paths
	// are absolute file system paths.
	absPaths bool

	pathRewrite  PathRewriteFunc
	pathNotFound RequestHandler
	indexNames   []string
	suffixes     [cacheKinds]string

	allowed            codingSet
	compress           bool
	generateIndexPages bool
	acceptByteRange    bool
	generateETag       bool
	skipCache          bool
	cacheDuration      time.Duration

	cache    fsCache
	memFiles atomic.Int32
	// compressMu serializes writing compressed copies, so that two
	// requests never write the same temporary file.
	compressMu sync.Mutex
}

func newFSHandler(cfg *FS) *fsHandler {
	h := &fsHandler{
		pathRewrite:        cfg.PathRewrite,
		pathNotFound:       cfg.PathNotFound,
		indexNames:         append([]string(nil), cfg.IndexNames...),
		compress:           cfg.Compress,
		generateIndexPages: cfg.GenerateIndexPages,
		acceptByteRange:    cfg.AcceptByteRange,
		generateETag:       cfg.GenerateETag,
		skipCache:          cfg.SkipCache,
		cacheDuration:      cfg.CacheDuration,
	}
	if h.cacheDuration <= 0 {
		h.cacheDuration = FSHandlerCacheDuration
	}
	if h.compress {
		h.allowed = setOf(codingGzip)
		if cfg.CompressBrotli {
			h.allowed |= setOf(codingBrotli)
		}
		if cfg.CompressZstd {
			h.allowed |= setOf(codingZstd)
		}
	}
	h.setSuffixes(cfg)
	if cfg.FS != nil {
		h.fsys = cfg.FS
		sub := strings.Trim(filepath.ToSlash(cfg.Root), "/")
		if sub == "" || sub == "." {
			return h
		}
		// As with the OS file system, a Root naming a file serves that
		// file for every request.
		if st, err := fs.Stat(cfg.FS, sub); err == nil && st.Mode().IsRegular() {
			h.singleFile = sub
		} else if s, err := fs.Sub(cfg.FS, sub); err == nil {
			h.fsys = s
		}
		return h
	}
	confine := !cfg.AllowSymlinksOutsideRoot
	root := cfg.Root
	if root == "" && !cfg.AllowEmptyRoot {
		root = "."
	}
	if root != "" {
		if abs, err := filepath.Abs(root); err == nil {
			root = abs
		}
		if st, err := os.Stat(root); err == nil && st.Mode().IsRegular() {
			h.singleFile = filepath.Base(root)
			root = filepath.Dir(root)
		}
	}
	h.absPaths = root == "" && cfg.AllowEmptyRoot
	h.dir = openFSDir(root, confine)
	h.compSame = true
	h.compDir = h.dir
	if cfg.CompressRoot != "" {
		croot := cfg.CompressRoot
		if abs, err := filepath.Abs(croot); err == nil {
			croot = abs
		}
		if st, err := os.Stat(croot); err == nil && st.Mode().IsRegular() {
			croot = filepath.Dir(croot)
		}
		if croot != root {
			if confine && !isVolumeRoot(croot) {
				_ = os.MkdirAll(croot, 0o755)
			}
			h.compDir = openFSDir(croot, confine)
			h.compSame = false
		}
	}
	return h
}

// setSuffixes picks each coding's copy suffix: FS.CompressedFileSuffixes,
// then (for gzip) FS.CompressedFileSuffix, then the package defaults.
func (h *fsHandler) setSuffixes(cfg *FS) {
	pick := func(coding, legacy, def string) string {
		if s := cfg.CompressedFileSuffixes[coding]; s != "" {
			return s
		}
		if legacy != "" {
			return legacy
		}
		if s := FSCompressedFileSuffixes[coding]; s != "" {
			return s
		}
		return def
	}
	h.suffixes[cacheKindGzip] = pick("gzip", cfg.CompressedFileSuffix, FSCompressedFileSuffix)
	h.suffixes[cacheKindBrotli] = pick("br", "", ".fasthttp.br")
	h.suffixes[cacheKindZstd] = pick("zstd", "", ".fasthttp.zst")
}

// openFSDir opens root for confined lookups when asked and when there is
// a directory to confine to; otherwise names are joined to root. A root
// that cannot be opened (missing) serves nothing rather than falling back
// to unconfined lookups.
func openFSDir(root string, confine bool) fsDir {
	if root == "" || isVolumeRoot(root) || !confine {
		return fsDir{base: root}
	}
	r, err := os.OpenRoot(root)
	if err != nil {
		return fsDir{base: root, missing: true}
	}
	return fsDir{root: r, base: root}
}

func isVolumeRoot(p string) bool {
	return filepath.Dir(p) == p
}

const (
	fsNotFoundBody       = "Cannot open requested path"
	fsForbiddenBody      = "Directory index is forbidden"
	fsBadPathBody        = "Invalid path"
	fsRangeNotSatisfying = "Range Not Satisfiable"
)

// handleRequest serves the file the request path (or PathRewrite) names.
func (h *fsHandler) handleRequest(ctx *RequestCtx) {
	var p []byte
	if h.pathRewrite != nil {
		p = h.pathRewrite(ctx)
	} else {
		p = ctx.Path()
	}
	if !fsPathSafe(p) {
		ctx.Error(fsBadPathBody, StatusBadRequest)
		return
	}
	if h.singleFile != "" {
		h.serveKey(ctx, s2b(h.singleFile), false)
		return
	}
	for len(p) > 1 && p[0] == '/' && p[1] == '/' {
		p = p[1:]
	}
	// Keys have no leading slash, except absolute Unix paths under an
	// empty Root ("/C:/x" on Windows loses it too).
	rel := p
	if len(rel) > 0 && rel[0] == '/' {
		rel = rel[1:]
	}
	keepSlash := h.absPaths && len(p) > 0 && p[0] == '/' && filepath.VolumeName(b2s(rel)) == ""
	if needsFSPathClean(rel) {
		c := path.Clean("/" + string(rel))
		if c != "/" && rel[len(rel)-1] == '/' {
			c += "/"
		}
		p, rel = s2b(c), s2b(c[1:])
	}
	if !keepSlash {
		p = rel
	}
	h.serveKey(ctx, p, true)
}

// serveName serves the file called name, named as the handler names
// files (an OS path for rootless handlers, slash-separated and relative
// for an fs.FS). Directories are served without a redirect.
func (h *fsHandler) serveName(ctx *RequestCtx, name string) {
	h.serveKey(ctx, s2b(name), false)
}

// fsPathSafe refuses paths that could leave the root or be read
// differently by the file system than by a guard: NUL bytes, backslashes
// (a separator on Windows) and ".." segments. Percent signs are plain
// bytes here; nothing is decoded again.
func fsPathSafe(p []byte) bool {
	if bytes.IndexByte(p, 0) >= 0 || bytes.IndexByte(p, '\\') >= 0 {
		return false
	}
	for len(p) > 0 {
		i := bytes.IndexByte(p, '/')
		seg := p
		if i >= 0 {
			seg, p = p[:i], p[i+1:]
		} else {
			p = nil
		}
		if len(seg) == 2 && seg[0] == '.' && seg[1] == '.' {
			return false
		}
	}
	return true
}

// needsFSPathClean reports "//" and "." segments, which a PathRewrite may
// produce; request paths arrive normalized.
func needsFSPathClean(p []byte) bool {
	for len(p) > 0 {
		i := bytes.IndexByte(p, '/')
		seg := p
		if i >= 0 {
			seg, p = p[:i], p[i+1:]
			if len(seg) == 0 {
				return true
			}
		} else {
			p = nil
		}
		if len(seg) == 1 && seg[0] == '.' {
			return true
		}
	}
	return false
}

// serveKey serves the entry cached under key, loading it on a miss. key
// is the name of the file, with a trailing '/' for directory requests
// ("" is the root directory).
func (h *fsHandler) serveKey(ctx *RequestCtx, key []byte, redirectDirs bool) {
	kind := cacheKindPlain
	rangeReq := h.acceptByteRange && len(peekKVString(ctx.Request.Header.h, HeaderRange)) > 0
	if h.compress && !rangeReq {
		kind = cacheKindOf(negotiateCoding(peekKVString(ctx.Request.Header.h, HeaderAcceptEncoding), h.allowed, fsPrefs))
	}
	var ff *fsFile
	if !h.skipCache {
		ff = h.cache.get(kind, key)
	}
	if ff == nil {
		var status int
		ff, status = h.load(ctx, b2s(key), kind, redirectDirs)
		if ff == nil {
			h.fail(ctx, status)
			return
		}
		if !h.skipCache {
			ff = h.cache.put(kind, string(key), ff, time.Now().UnixNano())
		}
	}
	h.respond(ctx, ff, rangeReq)
}

// fail answers a request that found no entry; status 0 means the answer
// (a redirect) is already set.
func (h *fsHandler) fail(ctx *RequestCtx, status int) {
	switch status {
	case 0:
	case StatusNotFound:
		if h.pathNotFound != nil {
			h.pathNotFound(ctx)
			return
		}
		ctx.Error(fsNotFoundBody, StatusNotFound)
	case StatusForbidden:
		ctx.Error(fsForbiddenBody, StatusForbidden)
	default:
		ctx.Error(StatusMessage(status), status)
	}
}

// load opens what key names and returns its entry of the wanted kind, or
// the entry to serve instead when that kind cannot be had, or nil and the
// status to answer.
func (h *fsHandler) load(ctx *RequestCtx, key string, kind CacheKind, redirectDirs bool) (*fsFile, int) {
	dirRequest := key == "" || key[len(key)-1] == '/'
	name := strings.TrimSuffix(key, "/")
	f, st, err := h.open(name)
	if err != nil {
		return nil, StatusNotFound
	}
	var ff *fsFile
	switch {
	case st.IsDir():
		if redirectDirs && !dirRequest {
			_ = f.Close()
			redirectToDir(ctx)
			return nil, 0
		}
		idx, ist, iname := h.openIndex(name)
		if idx != nil {
			_ = f.Close()
			ff, err = h.newFileEntry(idx, ist.Size(), iname, ist.ModTime(), cacheKindPlain, nil)
			name = iname
			break
		}
		if !h.generateIndexPages {
			_ = f.Close()
			return nil, StatusForbidden
		}
		// The title is the URL path, never the file system path behind it.
		ff, err = h.indexPage(f, st, name, ctx.Path())
		_ = f.Close()
		name = "index.html"
	case st.Mode().IsRegular():
		ff, err = h.newFileEntry(f, st.Size(), name, st.ModTime(), cacheKindPlain, nil)
	default:
		_ = f.Close()
		return nil, StatusNotFound
	}
	if err != nil {
		return nil, StatusInternalServerError
	}
	if kind != cacheKindPlain && ff.compressible {
		if cf := h.compressedEntry(ff, name, kind); cf != nil {
			ff.release()
			return cf, 0
		}
	}
	return ff, 0
}

// open opens name, in the fs.FS or the OS tree, and stats it.
func (h *fsHandler) open(name string) (fs.File, fs.FileInfo, error) {
	var f fs.File
	var err error
	if h.fsys != nil {
		n := rootName(name)
		if !fs.ValidPath(n) {
			return nil, nil, fs.ErrNotExist
		}
		f, err = h.fsys.Open(n)
	} else {
		var of *os.File
		of, err = h.dir.open(name)
		if err == nil {
			f = of
		}
	}
	if err != nil {
		return nil, nil, err
	}
	st, err := f.Stat()
	if err != nil {
		_ = f.Close()
		return nil, nil, err
	}
	return f, st, nil
}

// openIndex opens the first of IndexNames that is a regular file in dir.
func (h *fsHandler) openIndex(dir string) (fs.File, fs.FileInfo, string) {
	for _, idx := range h.indexNames {
		name := idx
		if dir != "" {
			name = dir + "/" + idx
		}
		f, st, err := h.open(name)
		if err != nil {
			continue
		}
		if st.Mode().IsRegular() {
			return f, st, name
		}
		_ = f.Close()
	}
	return nil, nil, ""
}

// redirectToDir answers 302 to the request path with a trailing slash, as
// a relative reference: a path from ctx.Path() never starts with "//", so
// it cannot turn into another host.
func redirectToDir(ctx *RequestCtx) {
	p := ctx.Path()
	for len(p) > 1 && p[0] == '/' && p[1] == '/' {
		p = p[1:]
	}
	b := appendQuotedPath(make([]byte, 0, len(p)+8), p)
	b = append(b, '/')
	if qs := ctx.URI().QueryString(); len(qs) > 0 {
		b = append(b, '?')
		b = append(b, qs...)
	}
	ctx.Response.Header.SetCanonical(strLocation, b)
	ctx.SetStatusCode(StatusFound)
}

var (
	strAcceptRangesBytes = []byte("bytes")
	strETagHeader        = []byte("Etag")
	strAcceptRangesName  = []byte(HeaderAcceptRanges)
)

// respond answers with ff, taking over the reference the caller holds.
func (h *fsHandler) respond(ctx *RequestCtx, ff *fsFile, rangeReq bool) {
	resp := &ctx.Response
	rh := &ctx.Request.Header
	if status := h.checkConditions(ctx, ff); status != 0 {
		resp.Reset()
		resp.SetStatusCode(status)
		if status == StatusNotModified {
			h.setValidators(resp, ff)
		}
		ff.release()
		return
	}
	hdr := &resp.Header
	hdr.SetContentTypeBytes(ff.contentType)
	h.setValidators(resp, ff)
	if h.acceptByteRange {
		hdr.SetCanonical(strAcceptRangesName, strAcceptRangesBytes)
	}
	if c := ff.kind.coding(); c != codingIdentity {
		hdr.SetContentEncodingBytes(c.name())
	}
	start, end := int64(0), ff.size
	if rangeReq && ff.kind == cacheKindPlain && ifRangeMatches(peekKVString(rh.h, HeaderIfRange), ff) {
		s, e, err := ParseByteRange(peekKVString(rh.h, HeaderRange), int(ff.size))
		switch {
		case err == nil:
			start, end = int64(s), int64(e)+1
			resp.SetStatusCode(StatusPartialContent)
			hdr.SetContentRange(s, e, int(ff.size))
		case errors.Is(err, errRangeMultiple), errors.Is(err, errRangeUnit):
			// Served whole, as RFC 9110 §14.2 allows.
		default:
			ff.release()
			resp.SetStatusCode(StatusRequestedRangeNotSatisfiable)
			hdr.SetContentTypeBytes(strDefaultContentType)
			var buf [32]byte
			b := append(buf[:0], "bytes */"...)
			b = AppendUint(b, int(ff.size))
			hdr.SetCanonical(strContentRange, b)
			resp.SetBodyString(fsRangeNotSatisfying)
			return
		}
	}
	if ff.data != nil {
		resp.SetBodyRaw(ff.data[start:end])
		ff.release()
		return
	}
	resp.SetBodyStream(acquireFSFileReader(ff, start, end), int(end-start))
}

// setValidators sets Last-Modified, ETag and Vary for ff.
func (h *fsHandler) setValidators(resp *Response, ff *fsFile) {
	hdr := &resp.Header
	if len(ff.lastModified) > 0 {
		hdr.SetCanonical(strLastModified, ff.lastModified)
	}
	if len(ff.etag) > 0 {
		hdr.SetCanonical(strETagHeader, ff.etag)
	}
	if ff.compressible || ff.kind != cacheKindPlain {
		hdr.SetCanonical(strVaryHeader, strAcceptEncodingV)
	}
}

// checkConditions evaluates If-None-Match, then If-Modified-Since when
// there is no If-None-Match (RFC 9110 §13.2.2). It returns 304 or 412
// when the request's preconditions say so, else 0.
func (h *fsHandler) checkConditions(ctx *RequestCtx, ff *fsFile) int {
	rh := &ctx.Request.Header
	getOrHead := rh.IsGet() || rh.IsHead()
	if inm := peekKVString(rh.h, HeaderIfNoneMatch); len(inm) > 0 {
		if len(ff.etag) == 0 || !etagListMatches(inm, ff.etag) {
			return 0
		}
		if getOrHead {
			return StatusNotModified
		}
		return StatusPreconditionFailed
	}
	if !getOrHead || len(ff.lastModified) == 0 {
		return 0
	}
	ims := peekKVString(rh.h, HeaderIfModifiedSince)
	if len(ims) == 0 {
		return 0
	}
	if bytes.Equal(ims, ff.lastModified) {
		return StatusNotModified
	}
	t, err := ParseHTTPDate(ims)
	if err != nil {
		return 0
	}
	if !ff.modTime.Truncate(time.Second).After(t) {
		return StatusNotModified
	}
	return 0
}

// etagListMatches applies the weak comparison of RFC 9110 §8.8.3.2 to an
// If-None-Match list: "*" or any tag with the same opaque value.
func etagListMatches(list, etag []byte) bool {
	want := bytes.TrimPrefix(etag, []byte("W/"))
	for len(list) > 0 {
		var item []byte
		item, list = cutListItem(list)
		item = trimOWS(item)
		if len(item) == 1 && item[0] == '*' {
			return true
		}
		if len(item) > 2 && item[0] == 'W' && item[1] == '/' {
			item = item[2:]
		}
		if bytes.Equal(item, want) {
			return true
		}
	}
	return false
}

// ifRangeMatches reports whether a range may be applied under If-Range
// (RFC 9110 §13.1.5): always without one; with a date, only when it is
// the file's Last-Modified; with a tag, never, since FS's tags are weak.
func ifRangeMatches(ifRange []byte, ff *fsFile) bool {
	if len(ifRange) == 0 {
		return true
	}
	if ifRange[0] == '"' || (len(ifRange) > 1 && ifRange[0] == 'W' && ifRange[1] == '/') {
		return false
	}
	return len(ff.lastModified) > 0 && bytes.Equal(ifRange, ff.lastModified)
}
