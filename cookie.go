package fasthttp

import (
	"bytes"
	"errors"
	"io"
	"sync"
	"time"
)

var (
	// CookieExpireDelete may be passed to Cookie.SetExpire to make the
	// client delete the cookie.
	CookieExpireDelete = time.Date(2009, time.November, 10, 23, 0, 0, 0, time.UTC)

	// CookieExpireUnlimited marks a cookie that never expires (a session
	// cookie: no Expires attribute is written).
	CookieExpireUnlimited = time.Time{}
)

// ErrNoCookies is returned when parsing finds no cookie.
var ErrNoCookies = errors.New("fasthttp: no cookies found")

// ErrInvalidCookieValue is returned by Parse for a value that opens a
// double quote and never closes it.
var ErrInvalidCookieValue = errors.New("fasthttp: invalid cookie value")

// CookieSameSite is the SameSite attribute of a cookie.
type CookieSameSite int

const (
	// CookieSameSiteDisabled writes no SameSite attribute.
	CookieSameSiteDisabled CookieSameSite = 0
	// CookieSameSiteDefaultMode writes a bare "SameSite".
	CookieSameSiteDefaultMode CookieSameSite = 1
	// CookieSameSiteLaxMode writes "SameSite=Lax".
	CookieSameSiteLaxMode CookieSameSite = 2
	// CookieSameSiteStrictMode writes "SameSite=Strict".
	CookieSameSiteStrictMode CookieSameSite = 3
	// CookieSameSiteNoneMode writes "SameSite=None" (and forces Secure, as
	// browsers require).
	CookieSameSiteNoneMode CookieSameSite = 4
)

// sameSiteAttrs is the attribute each SameSite mode writes.
var sameSiteAttrs = [...]string{
	CookieSameSiteDisabled:    "",
	CookieSameSiteDefaultMode: "; SameSite",
	CookieSameSiteLaxMode:     "; SameSite=Lax",
	CookieSameSiteStrictMode:  "; SameSite=Strict",
	CookieSameSiteNoneMode:    "; SameSite=None",
}

// Cookie is an HTTP cookie as carried by Set-Cookie.
//
// Cookie must not be copied by value; use CopyTo. It is not safe for
// concurrent use.
type Cookie struct {
	noCopy noCopy

	key    []byte
	value  []byte
	domain []byte
	path   []byte
	expire time.Time
	maxAge int

	httpOnly    bool
	secure      bool
	partitioned bool
	sameSite    CookieSameSite

	buf []byte
}

var cookiePool = sync.Pool{New: func() any { return &Cookie{} }}

// AcquireCookie returns an empty Cookie from a pool. Return it with
// ReleaseCookie when done.
func AcquireCookie() *Cookie {
	return cookiePool.Get().(*Cookie)
}

// ReleaseCookie resets c and returns it to the pool. c must not be used
// after.
func ReleaseCookie(c *Cookie) {
	c.Reset()
	cookiePool.Put(c)
}

// CopyTo copies src into c.
func (c *Cookie) CopyTo(src *Cookie) {
	c.Reset()
	c.key = append(c.key, src.key...)
	c.value = append(c.value, src.value...)
	c.domain = append(c.domain, src.domain...)
	c.path = append(c.path, src.path...)
	c.expire = src.expire
	c.maxAge = src.maxAge
	c.httpOnly = src.httpOnly
	c.secure = src.secure
	c.partitioned = src.partitioned
	c.sameSite = src.sameSite
}

// Reset clears the cookie.
func (c *Cookie) Reset() {
	c.key = c.key[:0]
	c.value = c.value[:0]
	c.domain = c.domain[:0]
	c.path = c.path[:0]
	c.expire = CookieExpireUnlimited
	c.maxAge = 0
	c.httpOnly = false
	c.secure = false
	c.partitioned = false
	c.sameSite = CookieSameSiteDisabled
}

// Key returns the cookie name.
func (c *Cookie) Key() []byte { return c.key }

// SetKey sets the cookie name. Control bytes and ';' become spaces, so the
// name can never end the Set-Cookie field or add an attribute.
func (c *Cookie) SetKey(key string) { c.key = appendCookieSafe(c.key[:0], s2b(key)) }

// SetKeyBytes is SetKey for a byte slice.
func (c *Cookie) SetKeyBytes(key []byte) { c.key = appendCookieSafe(c.key[:0], key) }

// Value returns the cookie value.
func (c *Cookie) Value() []byte { return c.value }

// SetValue sets the cookie value. Control bytes and ';' become spaces.
func (c *Cookie) SetValue(value string) { c.value = appendCookieSafe(c.value[:0], s2b(value)) }

// SetValueBytes is SetValue for a byte slice.
func (c *Cookie) SetValueBytes(value []byte) { c.value = appendCookieSafe(c.value[:0], value) }

// Domain returns the Domain attribute.
func (c *Cookie) Domain() []byte { return c.domain }

// SetDomain sets the Domain attribute. Control bytes and ';' become spaces.
func (c *Cookie) SetDomain(domain string) { c.domain = appendCookieSafe(c.domain[:0], s2b(domain)) }

// SetDomainBytes is SetDomain for a byte slice.
func (c *Cookie) SetDomainBytes(domain []byte) { c.domain = appendCookieSafe(c.domain[:0], domain) }

// Path returns the Path attribute.
func (c *Cookie) Path() []byte { return c.path }

// SetPath sets the Path attribute, made absolute and cleaned of dot
// segments and repeated slashes ("" becomes "/"). Control bytes and ";"
// become spaces.
func (c *Cookie) SetPath(path string) { c.SetPathBytes(s2b(path)) }

// SetPathBytes is SetPath for a byte slice.
func (c *Cookie) SetPathBytes(path []byte) {
	// Like upstream, the path is made absolute and cleaned ("" is "/").
	c.path = appendCookieSafe(c.path[:0], cleanPath(c.buf[:0], path))
}

// appendCookieSafe appends b with every byte that could break out of a
// Set-Cookie field or attribute (controls, DEL and ';') turned into a
// space.
func appendCookieSafe(dst, b []byte) []byte {
	start := len(dst)
	dst = append(dst, b...)
	for i := start; i < len(dst); i++ {
		if c := dst[i]; c < 0x20 || c == 0x7f || c == ';' {
			dst[i] = ' '
		}
	}
	return dst
}

// Expire returns the Expires attribute; CookieExpireUnlimited when unset.
func (c *Cookie) Expire() time.Time {
	if c.expire.IsZero() {
		return CookieExpireUnlimited
	}
	return c.expire
}

// SetExpire sets the Expires attribute. Max-Age, when set, takes precedence
// when the cookie is written.
func (c *Cookie) SetExpire(expire time.Time) { c.expire = expire }

// MaxAge returns the Max-Age attribute in seconds; 0 when unset.
func (c *Cookie) MaxAge() int { return c.maxAge }

// SetMaxAge sets Max-Age in seconds. 0 leaves it out (Expires is written
// instead, when set); a negative value writes "max-age=0", which tells the
// client to delete the cookie.
func (c *Cookie) SetMaxAge(seconds int) { c.maxAge = seconds }

// HTTPOnly reports whether the HttpOnly attribute is set.
func (c *Cookie) HTTPOnly() bool { return c.httpOnly }

// SetHTTPOnly sets the HttpOnly attribute.
func (c *Cookie) SetHTTPOnly(httpOnly bool) { c.httpOnly = httpOnly }

// Secure reports whether the Secure attribute is set.
func (c *Cookie) Secure() bool { return c.secure }

// SetSecure sets the Secure attribute.
func (c *Cookie) SetSecure(secure bool) { c.secure = secure }

// Partitioned reports whether the Partitioned attribute (CHIPS) is set.
func (c *Cookie) Partitioned() bool { return c.partitioned }

// SetPartitioned sets the Partitioned attribute (CHIPS). As the CHIPS
// draft asks, setting it also sets Secure and Path=/ (a later SetPath may
// change the path).
func (c *Cookie) SetPartitioned(partitioned bool) {
	c.partitioned = partitioned
	if partitioned {
		c.secure = true
		c.path = append(c.path[:0], '/')
	}
}

// SameSite returns the SameSite attribute.
func (c *Cookie) SameSite() CookieSameSite { return c.sameSite }

// SetSameSite sets the SameSite attribute. CookieSameSiteNoneMode also sets
// Secure, as browsers reject SameSite=None without it.
func (c *Cookie) SetSameSite(mode CookieSameSite) {
	c.sameSite = mode
	c.secure = c.secure || mode == CookieSameSiteNoneMode
}

// AppendBytes appends the cookie in Set-Cookie form to dst, attributes in
// this order: max-age or expires, domain, path, HttpOnly, secure,
// SameSite, Partitioned.
func (c *Cookie) AppendBytes(dst []byte) []byte {
	if len(c.key) > 0 {
		dst = append(append(dst, c.key...), '=')
	}
	dst = c.appendLifetime(append(dst, c.value...))
	dst = appendCookieAttr(dst, "; domain=", c.domain)
	dst = appendCookieAttr(dst, "; path=", c.path)
	dst = appendCookieFlag(dst, "; HttpOnly", c.httpOnly)
	dst = appendCookieFlag(dst, "; secure", c.secure)
	if m := c.sameSite; m >= 0 && int(m) < len(sameSiteAttrs) {
		dst = append(dst, sameSiteAttrs[m]...)
	}
	return appendCookieFlag(dst, "; Partitioned", c.partitioned)
}

// appendLifetime writes the one lifetime attribute that applies: a
// positive max-age, an immediate expiry (negative max-age), or expires.
func (c *Cookie) appendLifetime(dst []byte) []byte {
	switch {
	case c.maxAge > 0:
		return AppendUint(append(dst, "; max-age="...), c.maxAge)
	case c.maxAge < 0:
		return append(dst, "; max-age=0"...)
	case !c.expire.IsZero():
		return AppendHTTPDate(append(dst, "; expires="...), c.expire)
	}
	return dst
}

// appendCookieAttr writes "; name=value" when value is set.
func appendCookieAttr(dst []byte, prefix string, value []byte) []byte {
	if len(value) == 0 {
		return dst
	}
	return append(append(dst, prefix...), value...)
}

// appendCookieFlag writes a valueless attribute when on.
func appendCookieFlag(dst []byte, attr string, on bool) []byte {
	if !on {
		return dst
	}
	return append(dst, attr...)
}

// Cookie returns the cookie in Set-Cookie form. The result is valid until
// the next change of c.
func (c *Cookie) Cookie() []byte {
	b := c.AppendBytes(c.buf[:0])
	c.buf = b
	return b
}

// String returns the cookie in Set-Cookie form.
func (c *Cookie) String() string {
	return string(c.Cookie())
}

// WriteTo writes the cookie in Set-Cookie form to w.
func (c *Cookie) WriteTo(w io.Writer) (int64, error) {
	return writeFull(w, c.Cookie())
}

// Parse parses a Set-Cookie value such as
// "id=1; Path=/; Max-Age=60; HttpOnly". Unknown attributes are ignored, and
// so are Expires and Max-Age values that do not parse.
func (c *Cookie) Parse(src string) error {
	return c.ParseBytes(s2b(src))
}

// ParseBytes is Parse for a byte slice.
func (c *Cookie) ParseBytes(src []byte) error {
	c.Reset()
	if len(trimOWS(src)) == 0 {
		return ErrNoCookies
	}
	part, src := nextCookiePart(src)
	key, value := part, []byte(nil)
	if eq := bytes.IndexByte(part, '='); eq >= 0 {
		key, value = trimOWS(part[:eq]), trimOWS(part[eq+1:])
	} else {
		key, value = nil, part
	}
	if len(value) > 0 && value[0] == '"' {
		if len(value) < 2 || value[len(value)-1] != '"' {
			return ErrInvalidCookieValue
		}
		value = value[1 : len(value)-1]
	}
	c.key = appendCookieSafeTrim(c.key[:0], key)
	c.value = appendCookieSafeTrim(c.value[:0], value)

	for len(src) > 0 {
		part, src = nextCookiePart(src)
		if len(part) == 0 {
			continue
		}
		name, val := part, []byte(nil)
		if eq := bytes.IndexByte(part, '='); eq >= 0 {
			name, val = trimOWS(part[:eq]), trimOWS(part[eq+1:])
		}
		c.parseAttribute(name, val)
	}
	return nil
}

// appendCookieSafeTrim is appendCookieSafe for parsed text: the spaces the
// replaced bytes leave at either end are trimmed too, as the separators
// around them were.
func appendCookieSafeTrim(dst, b []byte) []byte {
	start := len(dst)
	dst = appendCookieSafe(dst, b)
	t := trimOWS(dst[start:])
	n := copy(dst[start:], t)
	return dst[:start+n]
}

// nextCookiePart returns the OWS-trimmed text before the next ';' and what
// follows it.
func nextCookiePart(src []byte) (part, rest []byte) {
	if i := bytes.IndexByte(src, ';'); i >= 0 {
		return trimOWS(src[:i]), src[i+1:]
	}
	return trimOWS(src), nil
}

// parseAttribute applies one cookie attribute, matched without regard to
// case.
func (c *Cookie) parseAttribute(name, val []byte) {
	switch {
	case equalFoldString(name, "expires"):
		if t, ok := parseCookieExpires(val); ok {
			c.expire = t
		}
	case equalFoldString(name, "max-age"):
		// Max-Age of zero or less expires the cookie at once; it is kept
		// as -1, which writes back as "max-age=0".
		neg := len(val) > 0 && val[0] == '-'
		digits := val
		if neg {
			digits = val[1:]
		}
		if n, err := ParseUint(digits); err == nil {
			if neg || n == 0 {
				n = -1
			}
			c.maxAge = n
		}
	case equalFoldString(name, "domain"):
		c.domain = appendCookieSafeTrim(c.domain[:0], val)
	case equalFoldString(name, "path"):
		c.path = appendCookieSafeTrim(c.path[:0], val)
	case equalFoldString(name, "httponly"):
		c.httpOnly = true
	case equalFoldString(name, "secure"):
		c.secure = true
	case equalFoldString(name, "partitioned"):
		c.partitioned = true
	case equalFoldString(name, "samesite"):
		switch {
		case len(val) == 0:
			c.sameSite = CookieSameSiteDefaultMode
		case equalFoldString(val, "lax"):
			c.sameSite = CookieSameSiteLaxMode
		case equalFoldString(val, "strict"):
			c.sameSite = CookieSameSiteStrictMode
		case equalFoldString(val, "none"):
			c.sameSite = CookieSameSiteNoneMode
		}
	}
}

// parseCookieExpires accepts the IMF-fixdate and the dashed variant
// browsers also send ("Mon, 02-Jan-2006 15:04:05 GMT").
func parseCookieExpires(b []byte) (time.Time, bool) {
	if t, err := time.Parse(time.RFC1123, b2s(b)); err == nil {
		return t, true
	}
	if t, err := time.Parse("Mon, 02-Jan-2006 15:04:05 MST", b2s(b)); err == nil {
		return t, true
	}
	return time.Time{}, false
}

// parseRequestCookies appends the pairs of a Cookie field value
// ("a=1; b=2") to dst, repeated names included. From a peer, a pair whose
// name is not an RFC 6265 token (no '=', an empty name, spaces, '@',
// quotes, brackets ...) is dropped: a handler never sees a cookie name the
// grammar does not allow. Pairs set by the program itself are kept as
// given, a part without '=' as a cookie without a name.
func parseRequestCookies(dst []argsKV, src []byte, fromPeer bool) []argsKV {
	for len(src) > 0 {
		var name, value []byte
		var ok bool
		name, value, src, ok = nextCookiePair(src, fromPeer)
		if !ok {
			continue
		}
		var kv *argsKV
		dst, kv = allocKV(dst)
		kv.key = append(kv.key[:0], name...)
		kv.value = append(kv.value[:0], value...)
	}
	return dst
}

// nextCookiePair cuts the first pair off a Cookie field value and returns
// it with the rest; ok is false for a pair not to keep (see
// parseRequestCookies). From a peer, the name is found and checked in one
// pass: optional whitespace, tchar bytes, optional whitespace, '='.
func nextCookiePair(src []byte, fromPeer bool) (name, value, rest []byte, ok bool) {
	pair := src
	if i := bytes.IndexByte(src, ';'); i >= 0 {
		pair, rest = src[:i], src[i+1:]
	}
	if !fromPeer {
		pair = trimOWS(pair)
		eq := bytes.IndexByte(pair, '=')
		if eq < 0 {
			return nil, pair, rest, len(pair) > 0
		}
		return trimOWS(pair[:eq]), trimOWS(pair[eq+1:]), rest, true
	}
	i := 0
	for i < len(pair) && (pair[i] == ' ' || pair[i] == '\t') {
		i++
	}
	start := i
	for i < len(pair) && tokenTable[pair[i]] {
		i++
	}
	name = pair[start:i]
	for i < len(pair) && (pair[i] == ' ' || pair[i] == '\t') {
		i++
	}
	if i == len(pair) || pair[i] != '=' || len(name) == 0 {
		return nil, nil, rest, false
	}
	return name, trimOWS(pair[i+1:]), rest, true
}

// appendRequestCookies writes cookies in Cookie field form ("a=1; b=2").
func appendRequestCookies(dst []byte, cookies []argsKV) []byte {
	for i := range cookies {
		if i > 0 {
			dst = append(dst, ';', ' ')
		}
		kv := &cookies[i]
		if len(kv.key) > 0 {
			dst = appendCookieSafe(dst, kv.key)
			dst = append(dst, '=')
		}
		dst = appendCookieSafe(dst, kv.value)
	}
	return dst
}
