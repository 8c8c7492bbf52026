package fasthttp

import (
	"iter"
)

// This file holds the request-side cookie operations: the Cookie field is
// parsed into name/value pairs on first use, and from then on the pairs are
// the only source of the Cookie field.

// Cookie returns the value of the request cookie key, or nil.
func (h *RequestHeader) Cookie(key string) []byte {
	h.collectCookies()
	return peekKVString(h.cookies, key)
}

// CookieBytes is Cookie with a byte-slice key.
func (h *RequestHeader) CookieBytes(key []byte) []byte {
	h.collectCookies()
	return peekKV(h.cookies, key)
}

// SetCookie sets the request cookie key to value. Control bytes and, in the
// name, ';' are dropped when the Cookie field is written.
func (h *RequestHeader) SetCookie(key, value string) {
	h.SetCookieBytesKV(s2b(key), s2b(value))
}

// SetCookieBytesK is SetCookie with a byte-slice key.
func (h *RequestHeader) SetCookieBytesK(key []byte, value string) {
	h.SetCookieBytesKV(key, s2b(value))
}

// SetCookieBytesKV is SetCookie with byte-slice key and value.
func (h *RequestHeader) SetCookieBytesKV(key, value []byte) {
	h.collectCookies()
	h.cookies = setKV(h.cookies, key, value, false)
}

// DelCookie removes the request cookie key.
func (h *RequestHeader) DelCookie(key string) {
	h.DelCookieBytes(s2b(key))
}

// DelCookieBytes removes the request cookie key.
func (h *RequestHeader) DelCookieBytes(key []byte) {
	h.collectCookies()
	h.cookies = delKV(h.cookies, key)
}

// DelAllCookies removes every request cookie.
func (h *RequestHeader) DelAllCookies() {
	h.collectCookies()
	h.cookies = h.cookies[:0]
}

// Cookies returns an iterator over the request cookies as name/value pairs.
func (h *RequestHeader) Cookies() iter.Seq2[[]byte, []byte] {
	h.collectCookies()
	return pairsOf(h.cookies)
}

// VisitAllCookie calls f for each request cookie.
//
// Deprecated: use Cookies.
func (h *RequestHeader) VisitAllCookie(f func(key, value []byte)) {
	visitPairs(h.Cookies(), f)
}

// collectCookies parses the received Cookie fields into h.cookies once and
// removes them from the ordinary list.
func (h *RequestHeader) collectCookies() {
	if h.cookiesCollected {
		return
	}
	h.cookies = h.cookies[:0]
	n := 0
	for i := range h.h {
		kv := &h.h[i]
		if len(kv.key) == len(HeaderCookie) && equalFoldString(kv.key, HeaderCookie) {
			h.cookies = parseRequestCookies(h.cookies, kv.value, kv.inHeader)
			continue
		}
		if n != i {
			h.h[n], h.h[i] = h.h[i], h.h[n]
		}
		n++
	}
	h.h = h.h[:n]
	h.cookiesCollected = true
}

// setRequestCookies sets each pair of a Cookie field value in cookies,
// replacing the pairs of the same name; pairs without a name share none
// and are appended.
func setRequestCookies(cookies []argsKV, value []byte) []argsKV {
	for len(value) > 0 {
		var name, v []byte
		var ok bool
		name, v, value, ok = nextCookiePair(value, false)
		switch {
		case !ok:
		case len(name) == 0:
			cookies = appendKV(cookies, nil, v, false)
		default:
			cookies = setKV(cookies, name, v, false)
		}
	}
	return cookies
}
