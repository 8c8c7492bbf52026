package fasthttp

import "iter"

// This file holds the response-side cookie operations. Each Set-Cookie
// field is kept whole, keyed by the name of the cookie it sets.

// addSetCookie stores a Set-Cookie value. Without add, a cookie of the
// same name is replaced.
func (h *ResponseHeader) addSetCookie(value []byte, add bool) {
	h.bufK = appendCookieName(h.bufK[:0], value)
	if add {
		h.cookies = appendKV(h.cookies, h.bufK, value, false)
		return
	}
	h.cookies = setKV(h.cookies, h.bufK, value, false)
}

// SetCookie adds cookie as a Set-Cookie field, replacing an earlier cookie
// of the same name.
func (h *ResponseHeader) SetCookie(cookie *Cookie) {
	h.cookies = setKV(h.cookies, cookie.Key(), cookie.Cookie(), false)
}

// Cookie fills cookie with the Set-Cookie field named cookie.Key() and
// reports whether there was one.
func (h *ResponseHeader) Cookie(cookie *Cookie) bool {
	v := peekKV(h.cookies, cookie.Key())
	if v == nil {
		return false
	}
	_ = cookie.ParseBytes(v)
	return true
}

// PeekCookie returns the Set-Cookie value of the cookie named key.
func (h *ResponseHeader) PeekCookie(key string) []byte {
	return peekKVString(h.cookies, key)
}

// DelCookie removes the Set-Cookie field of the cookie named key.
func (h *ResponseHeader) DelCookie(key string) {
	h.cookies = delKV(h.cookies, s2b(key))
}

// DelCookieBytes removes the Set-Cookie field of the cookie named key.
func (h *ResponseHeader) DelCookieBytes(key []byte) {
	h.cookies = delKV(h.cookies, key)
}

// DelClientCookie tells the client to delete its cookie named key, by
// sending it expired with an empty value.
func (h *ResponseHeader) DelClientCookie(key string) {
	h.DelClientCookieBytes(s2b(key))
}

// DelClientCookieBytes tells the client to delete its cookie named key.
func (h *ResponseHeader) DelClientCookieBytes(key []byte) {
	h.cookies = delKV(h.cookies, key)
	c := AcquireCookie()
	c.SetKeyBytes(key)
	c.SetExpire(CookieExpireDelete)
	h.SetCookie(c)
	ReleaseCookie(c)
}

// DelAllCookies removes every Set-Cookie field.
func (h *ResponseHeader) DelAllCookies() {
	h.cookies = h.cookies[:0]
}

// Cookies returns an iterator over the Set-Cookie fields as cookie
// name/whole field value pairs.
func (h *ResponseHeader) Cookies() iter.Seq2[[]byte, []byte] {
	return pairsOf(h.cookies)
}

// VisitAllCookie calls f for each Set-Cookie field.
//
// Deprecated: use Cookies.
func (h *ResponseHeader) VisitAllCookie(f func(key, value []byte)) {
	visitPairs(h.Cookies(), f)
}
