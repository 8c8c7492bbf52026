package fasthttp

import (
	"io/fs"
	"sort"
	"strings"
)

// indexPage builds the listing of directory dir (named name) as an
// in-memory entry. Names are HTML-escaped and links are relative
// ("./name"), so they stay right under any PathRewrite and a name can
// never be read as a scheme or another host. Compressed copies FS stored
// are left out.
func (h *fsHandler) indexPage(dir fs.File, st fs.FileInfo, name string, title []byte) (*fsFile, error) {
	rd, ok := dir.(fs.ReadDirFile)
	if !ok {
		return nil, fs.ErrInvalid
	}
	entries, err := rd.ReadDir(-1)
	if err != nil {
		return nil, err
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })

	b := make([]byte, 0, 512+128*len(entries))
	b = append(b, `<!DOCTYPE html><html><head><meta charset="utf-8"><title>`...)
	b = AppendHTMLEscapeBytes(b, title)
	b = append(b, `</title><style>.dir { font-weight: bold }</style></head><body><h1>`...)
	b = AppendHTMLEscapeBytes(b, title)
	b = append(b, `</h1><ul>`...)
	if name != "" && name != "." && name != "/" {
		b = append(b, `<li><a href="../" class="dir">..</a></li>`...)
	}
	var href []byte
	for _, e := range entries {
		n := e.Name()
		if h.isCompressedCopy(n) {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue
		}
		isDir := info.IsDir()
		href = append(href[:0], "./"...)
		href = appendQuotedPath(href, s2b(n))
		if isDir {
			href = append(href, '/')
		}
		b = append(b, `<li><a href="`...)
		b = AppendHTMLEscapeBytes(b, href)
		if isDir {
			b = append(b, `" class="dir">`...)
		} else {
			b = append(b, `" class="file">`...)
		}
		b = AppendHTMLEscape(b, n)
		b = append(b, "</a>, "...)
		if isDir {
			b = append(b, "dir"...)
		} else {
			b = append(b, "file, "...)
			b = AppendUint(b, int(info.Size()))
			b = append(b, " bytes"...)
		}
		if mt := info.ModTime(); !mt.IsZero() {
			b = append(b, ", last modified "...)
			b = mt.UTC().AppendFormat(b, "2006-01-02 15:04:05 MST")
		}
		b = append(b, "</li>"...)
	}
	b = append(b, "</ul></body></html>"...)
	ff := h.newDataEntry(b, "index.html", st.ModTime(), cacheKindPlain, strTextHTMLUTF8)
	ff.generated = true
	return ff, nil
}

var strTextHTMLUTF8 = []byte("text/html; charset=utf-8")

// isCompressedCopy reports whether name ends with a compressed-copy
// suffix, or with one and the ".tmp" of a copy being written.
func (h *fsHandler) isCompressedCopy(name string) bool {
	name = strings.TrimSuffix(name, ".tmp")
	for k := cacheKindGzip; k < cacheKinds; k++ {
		if s := h.suffixes[k]; s != "" && strings.HasSuffix(name, s) {
			return true
		}
	}
	return false
}
