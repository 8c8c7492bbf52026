package fasthttp

import (
	"iter"
)

// This file holds the generic field operations of ResponseHeader: Peek,
// Set, Add, Del and iteration, each dispatching the special fields to their
// dedicated storage.

// name returns key in the form the header stores it, and whether it is a
// valid field name.
func (h *ResponseHeader) name(key []byte) ([]byte, bool) {
	return canonicalName(&h.bufK, key, !h.disableNormalizing)
}

// setNamed stores key: value under the name the header uses for key; an
// invalid name is ignored.
func (h *ResponseHeader) setNamed(key, value []byte, add bool) {
	if k, ok := h.name(key); ok {
		h.setField(k, value, add, !h.disableNormalizing)
	}
}

// Peek returns the value of the field key, or nil. The result is valid until
// the next change of h.
func (h *ResponseHeader) Peek(key string) []byte {
	return h.peekNamed(s2b(key))
}

// PeekBytes is Peek with a byte-slice key.
func (h *ResponseHeader) PeekBytes(key []byte) []byte {
	return h.peekNamed(key)
}

func (h *ResponseHeader) peekNamed(key []byte) []byte {
	k, ok := h.name(key)
	if !ok {
		return nil
	}
	return h.peek(k, !h.disableNormalizing)
}

// PeekCanonical is Peek for a key already in canonical form.
func (h *ResponseHeader) PeekCanonical(key []byte) []byte {
	return h.peek(key, false)
}

func (h *ResponseHeader) peek(key []byte, canonical bool) []byte {
	switch lookupField(key, canonical) {
	case fieldContentType:
		return h.ContentType()
	case fieldContentEncoding:
		return nilIfEmpty(h.contentEncoding)
	case fieldServer:
		return nilIfEmpty(h.server)
	case fieldContentLength:
		if !h.hasContentLength {
			return nil
		}
		return h.contentLengthBytes
	case fieldTransferEncoding:
		if h.contentLength == -1 {
			return strChunked
		}
		return nil
	case fieldConnection:
		if v := peekKVFold(h.h, HeaderConnection); v != nil {
			return v
		}
		if h.connectionClose {
			return strClose
		}
		return nil
	case fieldSetCookie:
		switch len(h.cookies) {
		case 0:
			return nil
		case 1:
			return h.cookies[0].value
		}
		// Several cookies: their values joined by "; ", as upstream's Peek
		// returns them (PeekAll gives them one by one).
		b := h.bufV[:0]
		for i := range h.cookies {
			if i > 0 {
				b = append(b, ';', ' ')
			}
			b = append(b, h.cookies[i].value...)
		}
		h.bufV = b
		return b
	case fieldTrailer:
		if len(h.trailer) == 0 {
			return nil
		}
		h.bufV = appendTrailerNames(h.bufV[:0], h.trailer)
		return h.bufV
	}
	return peekKV(h.h, key)
}

// PeekAll returns the values of every field named key; for Set-Cookie, one
// value per cookie. The result is valid until the next change of h.
func (h *ResponseHeader) PeekAll(key string) [][]byte {
	k, _ := h.name(s2b(key))
	h.mulHeader = h.mulHeader[:0]
	switch lookupField(k, !h.disableNormalizing) {
	case fieldOther, fieldDate:
	case fieldSetCookie:
		for i := range h.cookies {
			h.mulHeader = append(h.mulHeader, h.cookies[i].value)
		}
		return h.mulHeader
	case fieldConnection:
		for i := range h.h {
			if equalFoldString(h.h[i].key, HeaderConnection) {
				h.mulHeader = append(h.mulHeader, h.h[i].value)
			}
		}
		if len(h.mulHeader) == 0 && h.connectionClose {
			h.mulHeader = append(h.mulHeader, strClose)
		}
		return h.mulHeader
	default:
		if v := h.peek(k, !h.disableNormalizing); len(v) > 0 {
			h.mulHeader = append(h.mulHeader, v)
		}
		return h.mulHeader
	}
	h.mulHeader = appendValuesOf(h.mulHeader, h.h, k)
	return h.mulHeader
}

// PeekKeys returns the names of every field, in the order All yields them.
func (h *ResponseHeader) PeekKeys() [][]byte {
	h.mulHeader = appendSeqKeys(h.mulHeader[:0], h.All())
	return h.mulHeader
}

// PeekTrailer returns the value of the trailer field key, or nil. Only the
// trailer section is searched: fields received after a chunked body, and
// fields set for a name the Trailer field announces. A field of that name
// that came in the header section is Peek's, not PeekTrailer's. The result
// is valid until the next change of h.
func (h *ResponseHeader) PeekTrailer(key string) []byte {
	k, ok := h.name(s2b(key))
	if !ok {
		return nil
	}
	return peekTrailerField(h.h, h.trailer, k)
}

// PeekAllTrailer returns the values of every trailer field named key, from
// the trailer section only (see PeekTrailer). The result is valid until
// the next change of h.
func (h *ResponseHeader) PeekAllTrailer(key string) [][]byte {
	h.mulHeader = h.mulHeader[:0]
	if k, ok := h.name(s2b(key)); ok {
		h.mulHeader = appendTrailerValues(h.mulHeader, h.h, h.trailer, k)
	}
	return h.mulHeader
}

// PeekTrailerKeys returns the field names announced by Trailer.
func (h *ResponseHeader) PeekTrailerKeys() [][]byte {
	h.mulHeader = appendKVKeys(h.mulHeader[:0], h.trailer)
	return h.mulHeader
}

// Trailers returns an iterator over the field names announced by Trailer.
func (h *ResponseHeader) Trailers() iter.Seq[[]byte] {
	return func(yield func([]byte) bool) { yieldKVKeys(h.trailer, yield) }
}

// VisitAllTrailer calls f for each announced trailer name.
//
// Deprecated: use Trailers.
func (h *ResponseHeader) VisitAllTrailer(f func(value []byte)) {
	visitKeys(h.Trailers(), f)
}

// Len returns the number of fields All yields.
func (h *ResponseHeader) Len() int {
	return seqLen(h.All())
}

// All returns an iterator over every field of the header section as
// name/value pairs: Content-Length, Content-Type (the default one included),
// Content-Encoding, Server, the Set-Cookie fields and Trailer first, then
// the other fields in order. Fields announced as trailers are not part of
// it, and neither is the automatic Date. The slices are valid only inside
// the loop body.
func (h *ResponseHeader) All() iter.Seq2[[]byte, []byte] {
	return func(yield func([]byte, []byte) bool) {
		if h.hasContentLength && !yield(strContentLength, h.contentLengthBytes) {
			return
		}
		if ct := h.ContentType(); len(ct) > 0 && !yield(strContentType, ct) {
			return
		}
		if len(h.contentEncoding) > 0 && !yield(strContentEncoding, h.contentEncoding) {
			return
		}
		if len(h.server) > 0 && !yield(strServer, h.server) {
			return
		}
		for i := range h.cookies {
			if !yield(strSetCookie, h.cookies[i].value) {
				return
			}
		}
		if len(h.trailer) > 0 {
			h.bufV = appendTrailerNames(h.bufV[:0], h.trailer)
			if !yield(strTrailer, h.bufV) {
				return
			}
		}
		for i := range h.h {
			kv := &h.h[i]
			if keepFieldInHeader(kv, h.trailer, h.connectionClose) && !yield(kv.key, kv.value) {
				return
			}
		}
		if h.contentLength == -1 && !yield(strTransferEncoding, strChunked) {
			return
		}
		if h.connectionClose {
			if listed, _ := connectionListed(h.h, "close"); !listed {
				yield(strConnection, strClose)
			}
		}
	}
}

// VisitAll calls f for each field.
//
// Deprecated: use All.
func (h *ResponseHeader) VisitAll(f func(key, value []byte)) {
	visitPairs(h.All(), f)
}

// Del removes every field named key.
func (h *ResponseHeader) Del(key string) {
	h.DelBytes(s2b(key))
}

// DelBytes removes every field named key.
func (h *ResponseHeader) DelBytes(key []byte) {
	k, _ := h.name(key)
	switch lookupField(k, !h.disableNormalizing) {
	case fieldContentType:
		h.contentType = h.contentType[:0]
		return
	case fieldContentEncoding:
		h.contentEncoding = h.contentEncoding[:0]
		return
	case fieldServer:
		h.server = h.server[:0]
		return
	case fieldSetCookie:
		h.cookies = h.cookies[:0]
		return
	case fieldContentLength:
		h.contentLength = 0
		h.contentLengthBytes = h.contentLengthBytes[:0]
		h.hasContentLength = false
		return
	case fieldTransferEncoding:
		if h.contentLength == -1 {
			h.contentLength = 0
		}
		return
	case fieldTrailer:
		h.trailer = h.trailer[:0]
		return
	case fieldConnection:
		h.connectionClose = false
		h.h = delKVFold(h.h, HeaderConnection)
		return
	case fieldDate:
		// Back to the automatic Date.
		h.noDefaultDate = false
	}
	h.h = delKV(h.h, k)
}

// Set sets the field key to value, replacing earlier values. Control
// bytes in value are replaced by spaces; a key that is not a valid field
// name is ignored, and so is Date, which the server sets itself.
func (h *ResponseHeader) Set(key, value string) {
	h.setNamed(s2b(key), s2b(value), false)
}

// SetBytesK is Set with a byte-slice key.
func (h *ResponseHeader) SetBytesK(key []byte, value string) {
	h.setNamed(key, s2b(value), false)
}

// SetBytesV is Set with a byte-slice value.
func (h *ResponseHeader) SetBytesV(key string, value []byte) {
	h.setNamed(s2b(key), value, false)
}

// SetBytesKV is Set with byte-slice key and value.
func (h *ResponseHeader) SetBytesKV(key, value []byte) {
	h.setNamed(key, value, false)
}

// SetCanonical is Set for a key already in canonical form.
func (h *ResponseHeader) SetCanonical(key, value []byte) {
	if validHeaderName(key) {
		h.setField(key, value, false, false)
	}
}

// Add appends a field, keeping earlier fields of the same name. Fields with
// a single value, such as Content-Type or Server, are replaced instead;
// each Set-Cookie added is kept.
func (h *ResponseHeader) Add(key, value string) {
	h.setNamed(s2b(key), s2b(value), true)
}

// AddBytesK is Add with a byte-slice key.
func (h *ResponseHeader) AddBytesK(key []byte, value string) {
	h.setNamed(key, s2b(value), true)
}

// AddBytesV is Add with a byte-slice value.
func (h *ResponseHeader) AddBytesV(key string, value []byte) {
	h.setNamed(s2b(key), value, true)
}

// AddBytesKV is Add with byte-slice key and value.
func (h *ResponseHeader) AddBytesKV(key, value []byte) {
	h.setNamed(key, value, true)
}

// setField stores key: value, appending when add is set. key is a valid
// field name; canonical tells whether it is known to be in canonical form.
func (h *ResponseHeader) setField(key, value []byte, add, canonical bool) {
	id := lookupField(key, canonical)
	value = storedFieldValue(&h.bufS, value, id == fieldOther, &h.ctlKept)
	switch id {
	case fieldContentType:
		h.SetContentTypeBytes(value)
		return
	case fieldContentEncoding:
		h.SetContentEncodingBytes(value)
		return
	case fieldServer:
		h.SetServerBytes(value)
		return
	case fieldContentLength:
		if n, err := ParseUint(trimOWS(value)); err == nil {
			h.SetContentLength(n)
		}
		return
	case fieldTransferEncoding:
		// The body decides the framing when the response is written.
		return
	case fieldTrailer:
		if add {
			_ = h.AddTrailerBytes(value)
		} else {
			_ = h.SetTrailerBytes(value)
		}
		return
	case fieldSetCookie:
		h.addSetCookie(value, add)
		return
	case fieldConnection:
		if add {
			h.connectionClose = h.connectionClose || hasTokenFold(value, "close")
			h.h = appendKV(h.h, key, value, false)
		} else {
			h.connectionClose = hasTokenFold(value, "close")
			h.h = setKVFold(h.h, key, value)
		}
		return
	case fieldDate:
		// The server stamps Date from its own clock (RFC 9110 §6.6.1), as
		// upstream v1.79 does: a Date set by hand is ignored. A received
		// one is kept (see parseField), so a relayed response repeats it.
		return
	}
	if add {
		h.h = appendKV(h.h, key, value, false)
	} else if len(h.trailer) == 0 {
		h.h = setKV(h.h, key, value, false)
	} else {
		h.h = setSectionKV(h.h, h.trailer, key, value)
	}
}
