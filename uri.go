package fasthttp

import (
	"bytes"
	"io"
	"sync"
)

// URI is a parsed request URI: scheme, userinfo, host, path, query and
// fragment.
//
// Path returns the decoded, normalized path; PathOriginal the path as
// received. Slices returned by its methods are valid until the next change.
// URI must not be copied by value; use CopyTo. It is not safe for
// concurrent use.
type URI struct {
	noCopy noCopy

	pathOriginal []byte
	scheme       []byte
	path         []byte
	queryString  []byte
	hash         []byte
	host         []byte
	username     []byte
	password     []byte

	queryArgs       Args
	parsedQueryArgs bool

	fullURI    []byte
	requestURI []byte

	// DisablePathNormalizing keeps the path exactly as received: no
	// percent-decoding, no removal of dot segments or duplicate slashes.
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

// Reset clears the URI.
func (u *URI) Reset() {
	u.pathOriginal = u.pathOriginal[:0]
	u.scheme = u.scheme[:0]
	u.path = u.path[:0]
	u.queryString = u.queryString[:0]
	u.hash = u.hash[:0]
	u.host = u.host[:0]
	u.username = u.username[:0]
	u.password = u.password[:0]
	u.queryArgs.Reset()
	u.parsedQueryArgs = false
	u.DisablePathNormalizing = false
}

// CopyTo copies u into dst.
func (u *URI) CopyTo(dst *URI) {
	dst.Reset()
	dst.pathOriginal = append(dst.pathOriginal, u.pathOriginal...)
	dst.scheme = append(dst.scheme, u.scheme...)
	dst.path = append(dst.path, u.path...)
	dst.queryString = append(dst.queryString, u.queryString...)
	dst.hash = append(dst.hash, u.hash...)
	dst.host = append(dst.host, u.host...)
	dst.username = append(dst.username, u.username...)
	dst.password = append(dst.password, u.password...)
	u.queryArgs.CopyTo(&dst.queryArgs)
	dst.parsedQueryArgs = u.parsedQueryArgs
	dst.DisablePathNormalizing = u.DisablePathNormalizing
}

// Hash returns the fragment, without '#'.
func (u *URI) Hash() []byte { return u.hash }

// SetHash sets the fragment.
func (u *URI) SetHash(hash string) { u.hash = append(u.hash[:0], hash...) }

// SetHashBytes sets the fragment.
func (u *URI) SetHashBytes(hash []byte) { u.hash = append(u.hash[:0], hash...) }

// Username returns the user name of the userinfo.
func (u *URI) Username() []byte { return u.username }

// SetUsername sets the user name of the userinfo.
func (u *URI) SetUsername(username string) { u.username = append(u.username[:0], username...) }

// SetUsernameBytes sets the user name of the userinfo.
func (u *URI) SetUsernameBytes(username []byte) { u.username = append(u.username[:0], username...) }

// Password returns the password of the userinfo.
func (u *URI) Password() []byte { return u.password }

// SetPassword sets the password of the userinfo.
func (u *URI) SetPassword(password string) { u.password = append(u.password[:0], password...) }

// SetPasswordBytes sets the password of the userinfo.
func (u *URI) SetPasswordBytes(password []byte) { u.password = append(u.password[:0], password...) }

// QueryString returns the raw query string, without '?'.
func (u *URI) QueryString() []byte {
	if u.parsedQueryArgs {
		u.queryString = u.queryArgs.AppendBytes(u.queryString[:0])
	}
	return u.queryString
}

// SetQueryString sets the raw query string.
func (u *URI) SetQueryString(queryString string) {
	u.queryString = append(u.queryString[:0], queryString...)
	u.parsedQueryArgs = false
}

// SetQueryStringBytes sets the raw query string.
func (u *URI) SetQueryStringBytes(queryString []byte) {
	u.queryString = append(u.queryString[:0], queryString...)
	u.parsedQueryArgs = false
}

// Path returns the decoded, normalized path ("/" when empty).
func (u *URI) Path() []byte {
	if len(u.path) == 0 {
		return strSlash
	}
	return u.path
}

// SetPath sets the path; it is normalized like a received one.
func (u *URI) SetPath(path string) {
	u.SetPathBytes(s2b(path))
}

// SetPathBytes sets the path; it is normalized like a received one.
func (u *URI) SetPathBytes(path []byte) {
	u.pathOriginal = append(u.pathOriginal[:0], path...)
	u.path = u.normalizePath(u.path[:0], u.pathOriginal)
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
	u.scheme = append(u.scheme[:0], scheme...)
	lowercaseBytes(u.scheme)
}

// SetSchemeBytes sets the scheme; it is stored in lower case.
func (u *URI) SetSchemeBytes(scheme []byte) {
	u.scheme = append(u.scheme[:0], scheme...)
	lowercaseBytes(u.scheme)
}

func (u *URI) isHTTPS() bool {
	return bytes.Equal(u.scheme, strHTTPS)
}

// Host returns the lower-case host, with its port when one was given.
func (u *URI) Host() []byte { return u.host }

// SetHost sets the host; it is stored in lower case.
func (u *URI) SetHost(host string) {
	u.host = append(u.host[:0], host...)
	lowercaseBytes(u.host)
}

// SetHostBytes sets the host; it is stored in lower case.
func (u *URI) SetHostBytes(host []byte) {
	u.host = append(u.host[:0], host...)
	lowercaseBytes(u.host)
}

// QueryArgs returns the parsed query arguments. Changes made to them are
// reflected by QueryString, RequestURI and FullURI.
func (u *URI) QueryArgs() *Args {
	u.parseQueryArgs()
	return &u.queryArgs
}

func (u *URI) parseQueryArgs() {
	if u.parsedQueryArgs {
		return
	}
	u.queryArgs.ParseBytes(u.queryString)
	u.parsedQueryArgs = true
}

// LastPathSegment returns the part of the path after its last '/'.
func (u *URI) LastPathSegment() []byte {
	path := u.Path()
	return path[bytes.LastIndexByte(path, '/')+1:]
}

// RequestURI returns the path (re-encoded) and query, as sent in a request
// line. The result is valid until the next call.
func (u *URI) RequestURI() []byte {
	u.requestURI = u.appendRequestURI(u.requestURI[:0])
	return u.requestURI
}

func (u *URI) appendRequestURI(dst []byte) []byte {
	if u.DisablePathNormalizing {
		if len(u.pathOriginal) == 0 {
			dst = append(dst, '/')
		} else {
			dst = append(dst, u.pathOriginal...)
		}
	} else {
		dst = appendQuotedPath(dst, u.Path())
	}
	if u.parsedQueryArgs && u.queryArgs.Len() > 0 {
		dst = append(dst, '?')
		dst = u.queryArgs.AppendBytes(dst)
	} else if !u.parsedQueryArgs && len(u.queryString) > 0 {
		dst = append(dst, '?')
		dst = append(dst, u.queryString...)
	}
	return dst
}

// FullURI returns the complete URI, "scheme://host/path?query#hash". The
// result is valid until the next call.
func (u *URI) FullURI() []byte {
	u.fullURI = u.AppendBytes(u.fullURI[:0])
	return u.fullURI
}

// AppendBytes appends the complete URI to dst.
func (u *URI) AppendBytes(dst []byte) []byte {
	dst = append(dst, u.Scheme()...)
	dst = append(dst, "://"...)
	if len(u.username) > 0 || len(u.password) > 0 {
		dst = AppendQuotedArg(dst, u.username)
		if len(u.password) > 0 {
			dst = append(dst, ':')
			dst = AppendQuotedArg(dst, u.password)
		}
		dst = append(dst, '@')
	}
	dst = append(dst, u.host...)
	dst = u.appendRequestURI(dst)
	if len(u.hash) > 0 {
		dst = append(dst, '#')
		dst = append(dst, u.hash...)
	}
	return dst
}

// String returns the complete URI.
func (u *URI) String() string {
	return string(u.FullURI())
}

// WriteTo writes the complete URI to w.
func (u *URI) WriteTo(w io.Writer) (int64, error) {
	n, err := w.Write(u.FullURI())
	return int64(n), err
}

var (
	strHTTP  = []byte("http")
	strHTTPS = []byte("https")
)
