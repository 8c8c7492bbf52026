package fasthttp

import (
	"errors"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// fsDir opens names in a directory tree: through os.Root, which keeps
// every lookup (symbolic links included) inside the tree, or by joining
// names to base when confinement is off or there is nothing to confine
// to (no root, or a whole volume).
type fsDir struct {
	root    *os.Root
	base    string
	missing bool // confinement was asked for but root could not be opened
}

var errFSRootMissing = errors.New("fasthttp: FS root cannot be opened")

func (d *fsDir) path(name string) string {
	if d.base == "" {
		return filepath.FromSlash(name)
	}
	return filepath.Join(d.base, filepath.FromSlash(name))
}

func rootName(name string) string {
	if name == "" {
		return "."
	}
	return name
}

func (d *fsDir) open(name string) (*os.File, error) {
	if d.missing {
		return nil, errFSRootMissing
	}
	if d.root != nil {
		return d.root.Open(rootName(name))
	}
	return os.Open(d.path(name))
}

func (d *fsDir) stat(name string) (fs.FileInfo, error) {
	if d.missing {
		return nil, errFSRootMissing
	}
	if d.root != nil {
		return d.root.Stat(rootName(name))
	}
	return os.Stat(d.path(name))
}

func (d *fsDir) create(name string) (*os.File, error) {
	if d.missing {
		return nil, errFSRootMissing
	}
	const flags = os.O_WRONLY | os.O_CREATE | os.O_EXCL
	if d.root != nil {
		return d.root.OpenFile(name, flags, 0o600)
	}
	return os.OpenFile(d.path(name), flags, 0o600)
}

func (d *fsDir) mkdirAll(name string) error {
	if d.missing {
		return errFSRootMissing
	}
	if name == "" || name == "." {
		return nil
	}
	if d.root != nil {
		return d.root.MkdirAll(name, 0o755)
	}
	return os.MkdirAll(d.path(name), 0o755)
}

func (d *fsDir) chtimes(name string, t time.Time) error {
	if d.missing {
		return errFSRootMissing
	}
	if d.root != nil {
		return d.root.Chtimes(name, t, t)
	}
	return os.Chtimes(d.path(name), t, t)
}

func (d *fsDir) rename(from, to string) error {
	if d.missing {
		return errFSRootMissing
	}
	if d.root != nil {
		return d.root.Rename(from, to)
	}
	return os.Rename(d.path(from), d.path(to))
}

func (d *fsDir) remove(name string) error {
	if d.missing {
		return errFSRootMissing
	}
	if d.root != nil {
		return d.root.Remove(name)
	}
	return os.Remove(d.path(name))
}

// fsFile is one servable form of a file: the file itself or a compressed
// copy, held as an open handle read with ReadAt (safe for concurrent
// readers) or, for small files and generated pages, as bytes. Entries are
// shared by the cache and the responses streaming them, and counted: the
// handle closes when the last user lets go.
type fsFile struct {
	h      *fsHandler
	f      io.ReaderAt // nil when data holds the content
	closer io.Closer
	data   []byte

	size         int64
	modTime      time.Time
	lastModified []byte // HTTP date, empty when the time is unknown
	etag         []byte
	contentType  []byte
	kind         CacheKind
	// compressible: a compressed form may exist, so responses vary with
	// Accept-Encoding.
	compressible bool
	inMemory     bool // counted in fsHandler.memFiles
	generated    bool // an index page, not a file

	refs     atomic.Int32
	loadedAt int64 // set once, under the cache lock
}

// release drops one reference, closing the handle after the last.
func (ff *fsFile) release() {
	if ff.refs.Add(-1) != 0 {
		return
	}
	if ff.closer != nil {
		_ = ff.closer.Close()
	}
	if ff.inMemory {
		ff.h.memFiles.Add(-1)
	}
}

// setMeta fills the response metadata of ff. size is what is served;
// modTime is the original file's, also for compressed copies. ct is the
// media type when the caller knows it (a compressed copy has its
// source's); nil means it comes from name, or from the content itself
// when the extension is unknown.
func (ff *fsFile) setMeta(h *fsHandler, name string, modTime time.Time, ct []byte) {
	ff.h = h
	ff.modTime = modTime
	if ct == nil {
		ct = ff.mediaType(name)
	}
	ff.contentType = ct
	if knownModTime(modTime) {
		ff.lastModified = AppendHTTPDate(nil, modTime)
		if h.generateETag && modTime.Unix() > 0 {
			ff.etag = appendFileETag(nil, modTime, ff.size)
		}
	}
	ff.compressible = h.compress && ff.size >= minCompressLen && compressibleContentType(ff.contentType)
	ff.refs.Store(1)
}

// knownModTime reports whether t is a real modification time. Archives and
// embed.FS report the zero time or the Unix epoch for "unknown"; sending
// either as Last-Modified would make every copy look unchanged since 1970.
func knownModTime(t time.Time) bool {
	return !t.IsZero() && !(t.Unix() == 0 && t.Nanosecond() == 0)
}

// appendFileETag appends a weak tag from the modification time and the
// size of what is served, both in hex: W/"<mtime>-<size>".
func appendFileETag(dst []byte, modTime time.Time, size int64) []byte {
	dst = append(dst, 'W', '/', '"')
	dst = strconv.AppendInt(dst, modTime.Unix(), 16)
	dst = append(dst, '-')
	dst = strconv.AppendInt(dst, size, 16)
	return append(dst, '"')
}

// mediaType picks the Content-Type of the entry called name: the
// extension's type in Go's mime table (which also reads the system's
// mime.types), or else what the first bytes of the content look like
// (the WHATWG sniffing rules of http.DetectContentType), so that a PNG
// saved without an extension is still served as image/png.
func (ff *fsFile) mediaType(name string) []byte {
	if ext := filepath.Ext(name); ext != "" {
		if t := mime.TypeByExtension(ext); t != "" {
			return []byte(t)
		}
	}
	head := ff.data
	if head == nil {
		var buf [sniffLen]byte
		n, _ := ff.f.ReadAt(buf[:], 0)
		return []byte(http.DetectContentType(buf[:n]))
	}
	if len(head) > sniffLen {
		head = head[:sniffLen]
	}
	return []byte(http.DetectContentType(head))
}

// sniffLen is how much content http.DetectContentType looks at.
const sniffLen = 512

// Files up to fsMemFileSize bytes are kept in memory, up to fsMaxMemFiles
// of them per handler, instead of holding a descriptor each.
const (
	fsMemFileSize = 8 << 10
	fsMaxMemFiles = 4096
)

// newFileEntry builds an entry for the open file f. It takes f over: f is
// closed here or by the entry.
// ct is the media type when known already (nil: see setMeta).
func (h *fsHandler) newFileEntry(f fs.File, size int64, name string, modTime time.Time, kind CacheKind, ct []byte) (*fsFile, error) {
	ff := &fsFile{size: size, kind: kind}
	ra, isRA := f.(io.ReaderAt)
	if ff.size <= fsMemFileSize {
		if h.memFiles.Add(1) <= fsMaxMemFiles {
			ff.inMemory = true
		} else {
			h.memFiles.Add(-1)
		}
	}
	if ff.inMemory || !isRA {
		// Without ReadAt a shared handle cannot serve concurrent
		// requests, so such files are held in memory too.
		data, err := readAllSized(f, ff.size)
		_ = f.Close()
		if err != nil {
			if ff.inMemory {
				h.memFiles.Add(-1)
			}
			return nil, err
		}
		ff.data = data
		ff.size = int64(len(data))
	} else {
		ff.f = ra
		ff.closer = f
	}
	ff.setMeta(h, name, modTime, ct)
	return ff, nil
}

// fsMaxInMemoryRead bounds files of an fs.FS that cannot be read at an
// offset: they are held in memory whole.
const fsMaxInMemoryRead = 64 << 20

var errFileTooLargeForMemory = errors.New("fasthttp: file too large to hold in memory")

func readAllSized(r io.Reader, size int64) ([]byte, error) {
	buf := make([]byte, 0, size+1)
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err != nil {
			if errors.Is(err, io.EOF) {
				return buf, nil
			}
			return nil, err
		}
		if int64(len(buf)) > fsMaxInMemoryRead {
			return nil, errFileTooLargeForMemory
		}
	}
}

// newDataEntry builds an entry holding data, for generated pages and
// in-memory compressed copies.
func (h *fsHandler) newDataEntry(data []byte, name string, modTime time.Time, kind CacheKind, ct []byte) *fsFile {
	ff := &fsFile{data: data, size: int64(len(data)), kind: kind}
	ff.setMeta(h, name, modTime, ct)
	return ff
}

// fsFileReader streams part of a handle-backed entry as a response body,
// holding one reference to it until closed.
type fsFileReader struct {
	ff  *fsFile
	off int64
	end int64
}

var fsFileReaderPool sync.Pool

func acquireFSFileReader(ff *fsFile, start, end int64) *fsFileReader {
	r, _ := fsFileReaderPool.Get().(*fsFileReader)
	if r == nil {
		r = &fsFileReader{}
	}
	r.ff = ff
	r.off = start
	r.end = end
	return r
}

func (r *fsFileReader) Read(p []byte) (int, error) {
	if r.ff == nil {
		return 0, errBodyStreamClosed
	}
	left := r.end - r.off
	if left <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > left {
		p = p[:left]
	}
	n, err := r.ff.f.ReadAt(p, r.off)
	r.off += int64(n)
	if err != nil && errors.Is(err, io.EOF) {
		if r.off < r.end {
			// The file shrank under us: the promised length cannot be sent.
			return n, io.ErrUnexpectedEOF
		}
		err = nil
	}
	return n, err
}

// Close releases the entry and recycles r.
func (r *fsFileReader) Close() error {
	if r.ff == nil {
		return nil
	}
	r.ff.release()
	r.ff = nil
	fsFileReaderPool.Put(r)
	return nil
}
