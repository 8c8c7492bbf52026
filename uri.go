package fasthttp

import (
	"io"
	"strings"
	"sync"
)

// URI is a parsed URI: scheme, userinfo, host, path, query and fragment.
//
// Path returns the decoded, normalized path and PathOriginal the path as
// received or set. The userinfo is kept for Request.Write (which turns it
// into Basic authorization) but never written by FullURI. Slices returned
// by its methods are valid until the next change. URI must not be copied
// by value; use CopyTo. It is not safe for concurrent use.
type URI struct {
	noCopy noCopy

	uriParts

	queryArgs       Args
	parsedQueryArgs bool

	fullURI    []byte
	requestURI []byte

	// DisablePathNormalizing makes RequestURI and FullURI write the path
	// exactly as it was received or set (PathOriginal) instead of the
	// decoded, normalized and re-encoded Path. Proxies use it to forward
	// paths untouched. Path itself is always normalized.
	DisablePathNormalizing bool
}

var uriPool = sync.Pool{New: func() any { return &URI{} }}

// AcquireURI returns an empty URI from a pool. Return it with ReleaseURI
// when done.
func AcquireURI() *URI {
	return uriPool.Get().(*URI)
}

// ReleaseURI resets u and returns it to the pool. u must not be used after.
func ReleaseURI(u *URI) {
	u.Reset()
	uriPool.Put(u)
}

// uriParts are the components of a URI as parsed or set.
type uriParts struct {
	pathOriginal []byte
	scheme       []byte
	path         []byte // decoded and normalized from pathOriginal
	queryString  []byte
	hash         []byte
	host         []byte
	username     []byte
	password     []byte
}

// empty truncates every component, keeping its capacity.
func (p *uriParts) empty() {
	p.pathOriginal, p.scheme, p.path, p.queryString = p.pathOriginal[:0], p.scheme[:0], p.path[:0], p.queryString[:0]
	p.hash, p.host, p.username, p.password = p.hash[:0], p.host[:0], p.username[:0], p.password[:0]
}

// copyFrom makes p hold the components of src, reusing p's capacity.
func (p *uriParts) copyFrom(src *uriParts) {
	p.pathOriginal, p.path = append(p.pathOriginal[:0], src.pathOriginal...), append(p.path[:0], src.path...)
	p.scheme, p.host = append(p.scheme[:0], src.scheme...), append(p.host[:0], src.host...)
	p.queryString, p.hash = append(p.queryString[:0], src.queryString...), append(p.hash[:0], src.hash...)
	p.username, p.password = append(p.username[:0], src.username...), append(p.password[:0], src.password...)
}

// Reset clears the URI, DisablePathNormalizing included.
func (u *URI) Reset() {
	u.uriParts.empty()
	u.queryArgs.Reset()
	u.parsedQueryArgs, u.DisablePathNormalizing = false, false
}

// CopyTo copies u into dst.
func (u *URI) CopyTo(dst *URI) {
	dst.uriParts.copyFrom(&u.uriParts)
	u.queryArgs.CopyTo(&dst.queryArgs)
	dst.parsedQueryArgs, dst.DisablePathNormalizing = u.parsedQueryArgs, u.DisablePathNormalizing
}

// Hash returns the fragment, without '#'.
func (u *URI) Hash() []byte { return u.hash }

// SetHash sets the fragment.
func (u *URI) SetHash(hash string) { u.hash = append(u.hash[:0], hash...) }

// SetHashBytes sets the fragment.
func (u *URI) SetHashBytes(hash []byte) { u.hash = append(u.hash[:0], hash...) }

// Username returns the user name of the userinfo, percent-decoded.
func (u *URI) Username() []byte { return u.username }

// SetUsername sets the user name of the userinfo.
func (u *URI) SetUsername(username string) { u.username = append(u.username[:0], username...) }

// SetUsernameBytes sets the user name of the userinfo.
func (u *URI) SetUsernameBytes(username []byte) { u.username = append(u.username[:0], username...) }

// Password returns the password of the userinfo, percent-decoded.
func (u *URI) Password() []byte { return u.password }

// SetPassword sets the password of the userinfo.
func (u *URI) SetPassword(password string) { u.password = append(u.password[:0], password...) }

// SetPasswordBytes sets the password of the userinfo.
func (u *URI) SetPasswordBytes(password []byte) { u.password = append(u.password[:0], password...) }

// QueryString returns the query string as parsed or set, without '?'.
// Changes made through QueryArgs show in RequestURI and FullURI, not here.
func (u *URI) QueryString() []byte { return u.queryString }

// SetQueryString sets the raw query string; QueryArgs is parsed from it
// again on next use.
func (u *URI) SetQueryString(queryString string) {
	u.SetQueryStringBytes(s2b(queryString))
}

// SetQueryStringBytes sets the raw query string; QueryArgs is parsed from
// it again on next use.
func (u *URI) SetQueryStringBytes(queryString []byte) {
	u.queryString = append(u.queryString[:0], queryString...)
	u.parsedQueryArgs = false
}

// Path returns the percent-decoded path with dot segments and repeated
// slashes removed, such as "/f obar/zzz" for "//f%20obar/baz/../zzz". It
// is "/" when the path is empty. "%00" is not decoded: Path never holds a
// NUL that the request did not carry as a raw byte, which a server never
// accepts.
func (u *URI) Path() []byte {
	if len(u.path) == 0 {
		return strSlash
	}
	return u.path
}

// SetPath sets the path. Path returns it normalized; RequestURI writes it
// as given when DisablePathNormalizing is set.
func (u *URI) SetPath(path string) {
	u.setPath(s2b(path))
}

// SetPathBytes sets the path. Path returns it normalized; RequestURI
// writes it as given when DisablePathNormalizing is set.
func (u *URI) SetPathBytes(path []byte) {
	u.setPath(path)
}

func (u *URI) setPath(path []byte) {
	u.pathOriginal = append(u.pathOriginal[:0], path...)
	u.path = normalizePath(u.path[:0], u.pathOriginal)
}

// PathOriginal returns the path as received or set, before decoding.
func (u *URI) PathOriginal() []byte { return u.pathOriginal }

// Scheme returns the lower-case scheme, "http" when unset.
func (u *URI) Scheme() []byte {
	if len(u.scheme) == 0 {
		return strHTTP
	}
	return u.scheme
}

// SetScheme sets the scheme; it is stored in lower case.
func (u *URI) SetScheme(scheme string) {
	setLower(&u.scheme, s2b(scheme))
}

// SetSchemeBytes sets the scheme; it is stored in lower case.
func (u *URI) SetSchemeBytes(scheme []byte) {
	setLower(&u.scheme, scheme)
}

func (u *URI) isHTTPS() bool {
	return b2s(u.scheme) == "https"
}

// Host returns the lower-case host, with its port when one was given.
func (u *URI) Host() []byte { return u.host }

// SetHost sets the host; it is stored in lower case.
func (u *URI) SetHost(host string) {
	setLower(&u.host, s2b(host))
}

// SetHostBytes sets the host; it is stored in lower case.
func (u *URI) SetHostBytes(host []byte) {
	setLower(&u.host, host)
}

// setLower makes *dst hold b in lower case: schemes and host names compare
// without regard to case, so they are kept in one.
func setLower(dst *[]byte, b []byte) {
	n := append((*dst)[:0], b...)
	lowercaseBytes(n)
	*dst = n
}

// QueryArgs returns the query arguments, parsed from the query string on
// first use. Changes made to them show in RequestURI and FullURI.
func (u *URI) QueryArgs() *Args {
	if !u.parsedQueryArgs {
		u.queryArgs.ParseBytes(u.queryString)
		u.parsedQueryArgs = true
	}
	return &u.queryArgs
}

// LastPathSegment returns the part of Path after its last '/': "baz.html"
// for "/foo/bar/baz.html", empty for "/foo/bar/".
func (u *URI) LastPathSegment() []byte {
	path := u.Path()
	for i := len(path) - 1; i >= 0; i-- {
		if path[i] == '/' {
			return path[i+1:]
		}
	}
	return path
}

// RequestURI returns the path and query as written in a request line, such
// as "/a%20b?x=1". The result is valid until the next call.
func (u *URI) RequestURI() []byte {
	u.requestURI = u.appendRequestURI(u.requestURI[:0])
	return u.requestURI
}

// appendRequestURI writes the path and query. Whatever was set, the result
// holds no control byte or space: those are percent-encoded, so that no
// setter can break the request line.
func (u *URI) appendRequestURI(dst []byte) []byte {
	switch {
	case !u.DisablePathNormalizing:
		dst = appendQuotedPath(dst, u.Path())
	case len(u.pathOriginal) == 0:
		dst = append(dst, '/')
	default:
		dst = appendEscapedCTL(dst, u.pathOriginal, true)
	}
	switch {
	case !u.parsedQueryArgs:
		if len(u.queryString) > 0 {
			dst = appendEscapedCTL(append(dst, '?'), u.queryString, true)
		}
	case u.queryArgs.Len() > 0:
		dst = u.queryArgs.AppendBytes(append(dst, '?'))
	}
	return dst
}

// FullURI returns the complete URI, "{Scheme}://{Host}{RequestURI}#{Hash}",
// without userinfo. The result is valid until the next call.
func (u *URI) FullURI() []byte {
	u.fullURI = u.AppendBytes(u.fullURI[:0])
	return u.fullURI
}

// AppendBytes appends the complete URI, as FullURI returns it, to dst.
func (u *URI) AppendBytes(dst []byte) []byte {
	dst = append(dst, u.Scheme()...)
	dst = append(dst, "://"...)
	dst = appendEscapedCTL(dst, u.host, false)
	dst = u.appendRequestURI(dst)
	if len(u.hash) > 0 {
		dst = append(dst, '#')
		dst = appendEscapedCTL(dst, u.hash, false)
	}
	return dst
}

// appendEscapedCTL appends b with control bytes (and spaces too when
// space is set) percent-encoded.
func appendEscapedCTL(dst, b []byte, space bool) []byte {
	if space {
		return appendPercentEncoded(dst, b, &noCTLOrSpace)
	}
	return appendPercentEncoded(dst, b, &noCTL)
}

// noCTL marks every byte but the controls; noCTLOrSpace leaves out the
// space too.
var noCTL, noCTLOrSpace = func() (t, ts [256]bool) {
	for c := 0x20; c < 0x7f; c++ {
		t[c] = true
	}
	for c := 0x80; c < 0x100; c++ {
		t[c] = true
	}
	ts = t
	ts[' '] = false
	return t, ts
}()

// String returns the complete URI.
func (u *URI) String() string {
	full := u.FullURI()
	return string(full)
}

// WriteTo writes the complete URI to w.
func (u *URI) WriteTo(w io.Writer) (int64, error) {
	return writeFull(w, u.FullURI())
}

// AddMissingPort returns addr with ":80" (or ":443" when isTLS) appended
// when it names no port. A literal IPv6 address must be in brackets, as in
// "[::1]" or "[::1%lo0]"; a bare IPv6 address is returned unchanged.
func AddMissingPort(addr string, isTLS bool) string {
	if addr == "" {
		return addr
	}
	if addr[0] == '[' {
		if addr[len(addr)-1] != ']' {
			return addr
		}
	} else if strings.LastIndexByte(addr, ':') > 0 {
		return addr
	}
	if isTLS {
		return addr + ":443"
	}
	return addr + ":80"
}

var (
	strHTTP  = []byte("http")
	strHTTPS = []byte("https")
)
