package fasthttp

import (
	"bytes"
)

// Parse replaces u with the URI parsed from uri. When uri is not absolute,
// host supplies the host. Hosts with bytes outside RFC 3986 are refused.
func (u *URI) Parse(host, uri []byte) error {
	return u.parse(host, uri, false)
}

func (u *URI) parse(host, uri []byte, isTLS bool) error {
	disable := u.DisablePathNormalizing
	u.Reset()
	u.DisablePathNormalizing = disable

	if scheme, rest, ok := splitScheme(uri); ok {
		u.scheme = append(u.scheme, scheme...)
		lowercaseBytes(u.scheme)
		if len(rest) >= 2 && rest[0] == '/' && rest[1] == '/' {
			rest = rest[2:]
			end := bytes.IndexAny(rest, "/?#")
			if end < 0 {
				end = len(rest)
			}
			host, uri = rest[:end], rest[end:]
		} else {
			host, uri = nil, rest
		}
	} else if isTLS {
		u.scheme = append(u.scheme, strHTTPS...)
	}

	if at := bytes.LastIndexByte(host, '@'); at >= 0 {
		userinfo := host[:at]
		host = host[at+1:]
		if colon := bytes.IndexByte(userinfo, ':'); colon >= 0 {
			u.username = decodeArgAppend(u.username, userinfo[:colon])
			u.password = decodeArgAppend(u.password, userinfo[colon+1:])
		} else {
			u.username = decodeArgAppend(u.username, userinfo)
		}
	}
	if err := checkURIHost(host); err != nil {
		return err
	}
	u.host = append(u.host, host...)
	lowercaseBytes(u.host)

	u.setPathQueryHash(uri)
	return nil
}

// setPathQueryHash parses "/path?query#hash" into u.
func (u *URI) setPathQueryHash(b []byte) {
	if i := bytes.IndexByte(b, '#'); i >= 0 {
		u.hash = append(u.hash[:0], b[i+1:]...)
		b = b[:i]
	} else {
		u.hash = u.hash[:0]
	}
	if i := bytes.IndexByte(b, '?'); i >= 0 {
		u.queryString = append(u.queryString[:0], b[i+1:]...)
		b = b[:i]
	} else {
		u.queryString = u.queryString[:0]
	}
	u.parsedQueryArgs = false
	u.pathOriginal = append(u.pathOriginal[:0], b...)
	u.path = u.normalizePath(u.path[:0], u.pathOriginal)
}

// splitScheme splits "scheme:rest" when uri starts with an RFC 3986 scheme
// followed by "://".
func splitScheme(uri []byte) (scheme, rest []byte, ok bool) {
	for i, c := range uri {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
		case (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.':
			if i == 0 {
				return nil, uri, false
			}
		case c == ':':
			if i == 0 || len(uri) < i+3 || uri[i+1] != '/' || uri[i+2] != '/' {
				return nil, uri, false
			}
			return uri[:i], uri[i+1:], true
		default:
			return nil, uri, false
		}
	}
	return nil, uri, false
}

// checkURIHost refuses hosts holding bytes that cannot appear in an
// authority: controls, spaces and delimiters.
func checkURIHost(host []byte) error {
	for _, c := range host {
		if c <= ' ' || c == 0x7f || c == '/' || c == '?' || c == '#' || c == '@' || c == '\\' ||
			c == '<' || c == '>' || c == '"' || c == '`' || c == '{' || c == '}' || c == '|' || c == '^' {
			return InvalidHostError(string([]byte{c}))
		}
	}
	return nil
}

// normalizePath decodes src and removes dot segments and repeated slashes,
// appending the result to dst. With DisablePathNormalizing it copies src.
func (u *URI) normalizePath(dst, src []byte) []byte {
	if u.DisablePathNormalizing {
		return append(dst, src...)
	}
	return normalizePath(dst, src)
}

// normalizePath is the RFC 3986 §5.2.4 dot-segment removal applied to the
// percent-decoded path, with runs of '/' collapsed and a leading '/' added.
func normalizePath(dst, src []byte) []byte {
	start := len(dst)
	if len(src) == 0 || src[0] != '/' {
		dst = append(dst, '/')
	}
	dst = decodeArgAppendNoPlus(dst, src)
	p := dst[start:]
	if !needsDotOrSlashCleanup(p) {
		return dst
	}
	out := p[:0]
	i := 0
	for i < len(p) {
		// p[i] is always '/' here: read the next segment.
		j := i + 1
		for j < len(p) && p[j] != '/' {
			j++
		}
		seg := p[i+1 : j]
		last := j >= len(p)
		switch {
		case len(seg) == 0:
			if last {
				out = append(out, '/')
			}
		case len(seg) == 1 && seg[0] == '.':
			if last {
				out = append(out, '/')
			}
		case len(seg) == 2 && seg[0] == '.' && seg[1] == '.':
			if k := bytes.LastIndexByte(out, '/'); k >= 0 {
				out = out[:k]
			}
			if last {
				out = append(out, '/')
			}
		default:
			out = append(out, '/')
			out = append(out, seg...)
		}
		i = j
	}
	if len(out) == 0 {
		out = append(out, '/')
	}
	return dst[:start+len(out)]
}

// needsDotOrSlashCleanup reports whether p holds "//", "/." segments, or
// anything else normalizePath would change.
func needsDotOrSlashCleanup(p []byte) bool {
	for i := 0; i < len(p); i++ {
		if p[i] != '/' {
			continue
		}
		if i+1 < len(p) && (p[i+1] == '/' || p[i+1] == '.') {
			return true
		}
	}
	return false
}

// Update changes u by newURI, which may be absolute ("https://h/p"),
// scheme-relative ("//h/p"), absolute-path ("/p?q"), query-only ("?q"),
// fragment-only ("#f") or relative to the current path ("p", "../p").
func (u *URI) Update(newURI string) {
	_ = u.UpdateBytesErr(s2b(newURI))
}

// UpdateBytes is Update for a byte slice.
func (u *URI) UpdateBytes(newURI []byte) {
	_ = u.UpdateBytesErr(newURI)
}

// UpdateBytesErr is UpdateBytes that reports an invalid host.
func (u *URI) UpdateBytesErr(newURI []byte) error {
	if len(newURI) == 0 {
		return nil
	}
	if _, _, ok := splitScheme(newURI); ok {
		return u.parseKeep(nil, newURI)
	}
	switch newURI[0] {
	case '/':
		if len(newURI) > 1 && newURI[1] == '/' {
			// Scheme-relative: keep the scheme.
			scheme := append([]byte(nil), u.Scheme()...)
			b := append(scheme, ':')
			b = append(b, newURI...)
			return u.parseKeep(nil, b)
		}
		u.setPathQueryHash(newURI)
	case '?':
		b := newURI[1:]
		if i := bytes.IndexByte(b, '#'); i >= 0 {
			u.hash = append(u.hash[:0], b[i+1:]...)
			b = b[:i]
		} else {
			u.hash = u.hash[:0]
		}
		u.SetQueryStringBytes(b)
	case '#':
		u.SetHashBytes(newURI[1:])
	default:
		// Relative path: resolve against the directory of the current path.
		base := u.Path()
		dir := base[:bytes.LastIndexByte(base, '/')+1]
		b := append(append([]byte(nil), dir...), newURI...)
		u.setPathQueryHash(b)
	}
	return nil
}

// parseKeep parses uri into u, keeping DisablePathNormalizing.
func (u *URI) parseKeep(host, uri []byte) error {
	return u.parse(host, uri, false)
}
