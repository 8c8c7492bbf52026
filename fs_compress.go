package fasthttp

import (
	"errors"
	"io"
	"io/fs"
	"path"
)

// Compressed copies: made once per file and coding, stored next to the
// file (or under CompressRoot) with the coding's suffix and the file's
// modification time, and used while that time is not older than the
// file's. When a copy cannot be stored (read-only tree, fs.FS), it is
// kept in memory, up to fsMaxMemCompress bytes of source.

const fsMaxMemCompress = 8 << 20

// fsCompressLevel is the level for a coding: copies made once and kept
// are worth a slow, tight level; handlers that cache nothing compress on
// every request and use the default.
func (h *fsHandler) fsCompressLevel(c coding) int {
	if h.skipCache {
		switch c {
		case codingBrotli:
			return CompressBrotliDefaultCompression
		case codingZstd:
			return CompressZstdDefault
		}
		return CompressDefaultCompression
	}
	switch c {
	case codingBrotli:
		return 9
	case codingZstd:
		return CompressZstdBestCompression
	}
	return CompressBestCompression
}

// compressedEntry returns the entry of kind for ff (the file called
// name), or nil when there is none to be had.
func (h *fsHandler) compressedEntry(ff *fsFile, name string, kind CacheKind) *fsFile {
	c := kind.coding()
	level := h.fsCompressLevel(c)
	if h.fsys == nil && !ff.generated {
		target := name + h.suffixes[kind]
		if cf := h.openCompressed(target, ff, name, kind); cf != nil {
			return cf
		}
		h.compressMu.Lock()
		cf := h.openCompressed(target, ff, name, kind)
		if cf == nil && h.writeCompressed(target, ff, c, level) == nil {
			cf = h.openCompressed(target, ff, name, kind)
		}
		h.compressMu.Unlock()
		if cf != nil {
			return cf
		}
	}
	if ff.size > fsMaxMemCompress {
		return nil
	}
	src := ff.data
	if src == nil {
		src = make([]byte, ff.size)
		if _, err := ff.f.ReadAt(src, 0); err != nil && !errors.Is(err, io.EOF) {
			return nil
		}
	}
	cf := h.newDataEntry(appendCompressed(nil, src, c, level), name, ff.modTime, kind, ff.contentType)
	cf.generated = ff.generated
	return cf
}

// openCompressed opens a stored copy that is at least as new as ff.
func (h *fsHandler) openCompressed(target string, ff *fsFile, name string, kind CacheKind) *fsFile {
	st, err := h.compDir.stat(target)
	if err != nil || !st.Mode().IsRegular() || st.ModTime().Before(ff.modTime) {
		return nil
	}
	f, err := h.compDir.open(target)
	if err != nil {
		return nil
	}
	cf, err := h.newFileEntry(f, st.Size(), name, ff.modTime, kind, ff.contentType)
	if err != nil {
		return nil
	}
	return cf
}

// writeCompressed stores ff encoded with c as target: written to a
// temporary file, dated like the source, then renamed into place, so a
// reader never sees half a copy.
func (h *fsHandler) writeCompressed(target string, ff *fsFile, c coding, level int) error {
	if !h.compSame {
		if err := h.compDir.mkdirAll(path.Dir(target)); err != nil {
			return err
		}
	}
	tmp := target + ".tmp"
	f, err := h.compDir.create(tmp)
	if errors.Is(err, fs.ErrExist) {
		// Left over from a crash: writers are serialized, so it is stale.
		_ = h.compDir.remove(tmp)
		f, err = h.compDir.create(tmp)
	}
	if err != nil {
		return err
	}
	zw := acquireCompressor(c, f, level)
	if ff.data != nil {
		_, err = zw.Write(ff.data)
	} else {
		buf := copyBufPool.Get().(*[]byte)
		_, err = io.CopyBuffer(zw, onlyReader{io.NewSectionReader(ff.f, 0, ff.size)}, *buf)
		copyBufPool.Put(buf)
	}
	if cerr := zw.Close(); err == nil {
		err = cerr
	}
	releaseCompressor(c, level, zw)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = h.compDir.chtimes(tmp, ff.modTime)
	}
	if err == nil {
		err = h.compDir.rename(tmp, target)
	}
	if err != nil {
		_ = h.compDir.remove(tmp)
	}
	return err
}
