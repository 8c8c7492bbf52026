package fasthttp

import (
	"iter"
)

// This file holds the generic field operations of RequestHeader: Peek, Set,
// Add, Del and iteration, each dispatching the special fields to their
// dedicated storage.

// name returns key in the form the header stores it, and whether it is a
// valid field name.
func (h *RequestHeader) name(key []byte) ([]byte, bool) {
	return canonicalName(&h.bufK, key, !h.disableNormalizing)
}

// setNamed stores key: value under the name the header uses for key; an
// invalid name is ignored.
func (h *RequestHeader) setNamed(key, value []byte, add bool) {
	if k, ok := h.name(key); ok {
		h.setField(k, value, add, !h.disableNormalizing)
	}
}

// special reports the fieldID of key when special fields are handled.
func (h *RequestHeader) special(key []byte, canonical bool) fieldID {
	if h.disableSpecialHeader {
		switch id := lookupField(key, canonical); id {
		case fieldContentLength, fieldCookie, fieldConnection:
			// Still understood: framing, cookies parsed on demand, and
			// the close flag.
			return id
		}
		return fieldOther
	}
	return lookupField(key, canonical)
}

// Peek returns the value of the field key, or nil. The result is valid until
// the next change of h.
func (h *RequestHeader) Peek(key string) []byte {
	return h.peekNamed(s2b(key))
}

// PeekBytes is Peek with a byte-slice key.
func (h *RequestHeader) PeekBytes(key []byte) []byte {
	return h.peekNamed(key)
}

func (h *RequestHeader) peekNamed(key []byte) []byte {
	k, ok := h.name(key)
	if !ok {
		return nil
	}
	return h.peek(k, !h.disableNormalizing)
}

// PeekCanonical is Peek for a key already in canonical form; it skips
// normalization.
func (h *RequestHeader) PeekCanonical(key []byte) []byte {
	return h.peek(key, false)
}

func (h *RequestHeader) peek(key []byte, canonical bool) []byte {
	switch h.special(key, canonical) {
	case fieldHost:
		if !h.hasHost {
			return nil
		}
		return h.host
	case fieldContentType:
		return nilIfEmpty(h.contentType)
	case fieldUserAgent:
		return nilIfEmpty(h.userAgent)
	case fieldContentLength:
		if h.disableSpecialHeader {
			break
		}
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
	case fieldCookie:
		if !h.disableSpecialHeader || h.cookiesCollected {
			h.collectCookies()
			if len(h.cookies) == 0 {
				return nil
			}
			h.bufV = appendRequestCookies(h.bufV[:0], h.cookies)
			return h.bufV
		}
	case fieldTrailer:
		if len(h.trailer) == 0 {
			return nil
		}
		h.bufV = appendTrailerNames(h.bufV[:0], h.trailer)
		return h.bufV
	}
	return peekKV(h.h, key)
}

// PeekAll returns the values of every field named key. The result is valid
// until the next change of h.
func (h *RequestHeader) PeekAll(key string) [][]byte {
	k, _ := h.name(s2b(key))
	h.mulHeader = h.mulHeader[:0]
	switch h.special(k, !h.disableNormalizing) {
	case fieldHost:
		if len(h.host) > 0 || h.hasHost {
			h.mulHeader = append(h.mulHeader, h.host)
		}
		return h.mulHeader
	case fieldOther:
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
			return h.mulHeader
		}
		if !h.disableSpecialHeader {
			return h.mulHeader
		}
	}
	h.mulHeader = appendValuesOf(h.mulHeader, h.h, k)
	return h.mulHeader
}

// PeekKeys returns the names of every field, in the order All yields them.
// The result is valid until the next change of h.
func (h *RequestHeader) PeekKeys() [][]byte {
	h.mulHeader = appendSeqKeys(h.mulHeader[:0], h.All())
	return h.mulHeader
}

// PeekTrailer returns the value of the trailer field key, or nil. Only the
// trailer section is searched: fields received after a chunked body, and
// fields set for a name the Trailer field announces. A field of that name
// that came in the header section is Peek's, not PeekTrailer's. The result
// is valid until the next change of h.
func (h *RequestHeader) PeekTrailer(key string) []byte {
	k, ok := h.name(s2b(key))
	if !ok {
		return nil
	}
	return peekTrailerField(h.h, h.trailer, k)
}

// PeekAllTrailer returns the values of every trailer field named key, from
// the trailer section only (see PeekTrailer). The result is valid until
// the next change of h.
func (h *RequestHeader) PeekAllTrailer(key string) [][]byte {
	h.mulHeader = h.mulHeader[:0]
	if k, ok := h.name(s2b(key)); ok {
		h.mulHeader = appendTrailerValues(h.mulHeader, h.h, h.trailer, k)
	}
	return h.mulHeader
}

// PeekTrailerKeys returns the field names announced by Trailer.
func (h *RequestHeader) PeekTrailerKeys() [][]byte {
	h.mulHeader = appendKVKeys(h.mulHeader[:0], h.trailer)
	return h.mulHeader
}

// Trailers returns an iterator over the field names announced by Trailer.
func (h *RequestHeader) Trailers() iter.Seq[[]byte] {
	return func(yield func([]byte) bool) { yieldKVKeys(h.trailer, yield) }
}

// VisitAllTrailer calls f for each field name announced by Trailer.
//
// Deprecated: use Trailers.
func (h *RequestHeader) VisitAllTrailer(f func(value []byte)) {
	visitKeys(h.Trailers(), f)
}

// Len returns the number of fields All yields, the cookies counting as one
// Cookie field.
func (h *RequestHeader) Len() int {
	return seqLen(h.All())
}

// All returns an iterator over every field of the header section as
// name/value pairs: Host, Content-Length, Content-Type, User-Agent, Trailer
// and Cookie first, then the other fields in the order they were received
// or added. Fields announced as trailers are not part of it. The slices are
// valid only inside the loop body.
func (h *RequestHeader) All() iter.Seq2[[]byte, []byte] {
	return func(yield func([]byte, []byte) bool) {
		if !h.disableSpecialHeader {
			h.collectCookies()
			if len(h.host) > 0 && !yield(strHost, h.host) {
				return
			}
			if h.hasContentLength && !yield(strContentLength, h.contentLengthBytes) {
				return
			}
			if len(h.contentType) > 0 && !yield(strContentType, h.contentType) {
				return
			}
			if len(h.userAgent) > 0 && !yield(strUserAgent, h.userAgent) {
				return
			}
			if len(h.trailer) > 0 {
				h.bufV = appendTrailerNames(h.bufV[:0], h.trailer)
				if !yield(strTrailer, h.bufV) {
					return
				}
			}
			if len(h.cookies) > 0 {
				h.bufV = appendRequestCookies(h.bufV[:0], h.cookies)
				if !yield(strCookie, h.bufV) {
					return
				}
			}
		}
		for i := range h.h {
			kv := &h.h[i]
			if keepFieldInHeader(kv, h.trailer, h.connectionClose) && !yield(kv.key, kv.value) {
				return
			}
		}
		if h.disableSpecialHeader {
			if h.cookiesCollected && len(h.cookies) > 0 {
				h.bufV = appendRequestCookies(h.bufV[:0], h.cookies)
				if !yield(strCookie, h.bufV) {
					return
				}
			}
		} else if h.contentLength == -1 && !yield(strTransferEncoding, strChunked) {
			return
		}
		if h.connectionClose {
			if listed, _ := connectionListed(h.h, "close"); !listed {
				yield(strConnection, strClose)
			}
		}
	}
}

// AllInOrder is All: the fields without dedicated storage come in the
// order they were received or added.
func (h *RequestHeader) AllInOrder() iter.Seq2[[]byte, []byte] {
	return h.All()
}

// VisitAll calls f for each field.
//
// Deprecated: use All.
func (h *RequestHeader) VisitAll(f func(key, value []byte)) {
	visitPairs(h.All(), f)
}

// VisitAllInOrder calls f for each field.
//
// Deprecated: use AllInOrder.
func (h *RequestHeader) VisitAllInOrder(f func(key, value []byte)) {
	visitPairs(h.AllInOrder(), f)
}

// Del removes every field named key.
func (h *RequestHeader) Del(key string) {
	h.DelBytes(s2b(key))
}

// DelBytes removes every field named key.
func (h *RequestHeader) DelBytes(key []byte) {
	k, _ := h.name(key)
	switch h.special(k, !h.disableNormalizing) {
	case fieldHost:
		h.host = h.host[:0]
		h.hasHost = false
		return
	case fieldContentType:
		h.contentType = h.contentType[:0]
		return
	case fieldUserAgent:
		h.userAgent = h.userAgent[:0]
		return
	case fieldContentLength:
		h.contentLength = 0
		h.contentLengthBytes = h.contentLengthBytes[:0]
		h.hasContentLength = false
		if !h.disableSpecialHeader {
			return
		}
	case fieldTransferEncoding:
		if h.contentLength == -1 {
			h.contentLength = 0
		}
		return
	case fieldConnection:
		h.connectionClose = false
		h.h = delKVFold(h.h, HeaderConnection)
		return
	case fieldCookie:
		h.cookies = h.cookies[:0]
		h.h = delKVFold(h.h, HeaderCookie)
		return
	case fieldTrailer:
		h.trailer = h.trailer[:0]
		return
	}
	h.h = delKV(h.h, k)
}

// Set sets the field key to value, replacing earlier values. Control
// bytes in value are replaced by spaces; a key that is not a valid field
// name is ignored.
func (h *RequestHeader) Set(key, value string) {
	h.setNamed(s2b(key), s2b(value), false)
}

// SetBytesK is Set with a byte-slice key.
func (h *RequestHeader) SetBytesK(key []byte, value string) {
	h.setNamed(key, s2b(value), false)
}

// SetBytesV is Set with a byte-slice value.
func (h *RequestHeader) SetBytesV(key string, value []byte) {
	h.setNamed(s2b(key), value, false)
}

// SetBytesKV is Set with byte-slice key and value.
func (h *RequestHeader) SetBytesKV(key, value []byte) {
	h.setNamed(key, value, false)
}

// SetCanonical is Set for a key already in canonical form.
func (h *RequestHeader) SetCanonical(key, value []byte) {
	if validHeaderName(key) {
		h.setField(key, value, false, false)
	}
}

// Add appends a field, keeping earlier fields of the same name. Fields with
// a single value, such as Host or Content-Type, are replaced instead;
// Cookie and Trailer values are merged.
func (h *RequestHeader) Add(key, value string) {
	h.setNamed(s2b(key), s2b(value), true)
}

// AddBytesK is Add with a byte-slice key.
func (h *RequestHeader) AddBytesK(key []byte, value string) {
	h.setNamed(key, s2b(value), true)
}

// AddBytesV is Add with a byte-slice value.
func (h *RequestHeader) AddBytesV(key string, value []byte) {
	h.setNamed(s2b(key), value, true)
}

// AddBytesKV is Add with byte-slice key and value.
func (h *RequestHeader) AddBytesKV(key, value []byte) {
	h.setNamed(key, value, true)
}

// setField stores key: value, appending when add is set. key is a valid
// field name; canonical tells whether it is known to be in canonical form.
func (h *RequestHeader) setField(key, value []byte, add, canonical bool) {
	id := h.special(key, canonical)
	value = storedFieldValue(&h.bufS, value, id == fieldOther, &h.ctlKept)
	switch id {
	case fieldHost:
		h.SetHostBytes(value)
		return
	case fieldContentType:
		h.SetContentTypeBytes(value)
		return
	case fieldUserAgent:
		h.SetUserAgentBytes(value)
		return
	case fieldContentLength:
		n, err := ParseUint(trimOWS(value))
		if err != nil {
			return
		}
		h.SetContentLength(n)
		if !h.disableSpecialHeader {
			return
		}
		add = false
	case fieldTransferEncoding:
		// The body decides the framing when the request is written.
		return
	case fieldConnection:
		if h.disableSpecialHeader {
			break
		}
		if add {
			h.connectionClose = h.connectionClose || hasTokenFold(value, "close")
			h.h = appendKV(h.h, key, value, false)
		} else {
			h.connectionClose = hasTokenFold(value, "close")
			h.h = setKVFold(h.h, key, value)
		}
		return
	case fieldCookie:
		if !h.disableSpecialHeader {
			h.collectCookies()
			if add {
				h.cookies = parseRequestCookies(h.cookies, value, false)
			} else {
				h.cookies = setRequestCookies(h.cookies, value)
			}
			return
		}
	case fieldTrailer:
		if add {
			_ = h.AddTrailerBytes(value)
		} else {
			_ = h.SetTrailerBytes(value)
		}
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
