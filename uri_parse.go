package fasthttp

import (
	"bytes"
	"errors"
	"fmt"
	"net/netip"
)

// This file turns URI text into a URI: scheme and authority splitting
// (RFC 3986 §3), host checks, path normalization (§5.2.4) and the
// reference resolution behind Update (§5.2).

// Parse replaces u with the URI parsed from uri. When uri is not absolute
// ("http://host/path"), host supplies the host; host may be nil for an
// absolute uri. A uri holding a control byte, a bad scheme, or a host with
// bytes outside RFC 3986 is refused, and u is then left empty.
func (u *URI) Parse(host, uri []byte) error {
	u.Reset()
	return u.parse(host, uri, false)
}

// parse fills a reset u. isTLS makes the scheme default to https.
func (u *URI) parse(host, uri []byte, isTLS bool) error {
	if hasCTL(uri) || hasCTL(host) {
		return ErrorInvalidURI
	}
	scheme, rest, err := splitScheme(uri)
	if err != nil {
		return err
	}
	hasAuthority := false
	switch {
	case scheme != nil:
		u.scheme = append(u.scheme, scheme...)
		lowercaseBytes(u.scheme)
		hasAuthority = true
	case len(host) == 0 && len(rest) >= 2 && rest[0] == '/' && rest[1] == '/':
		// A scheme-relative reference names its own host.
		rest = rest[2:]
		hasAuthority = true
	}
	if len(u.scheme) == 0 && isTLS {
		u.scheme = append(u.scheme, strHTTPS...)
	}
	if hasAuthority {
		end := len(rest)
		if i := bytes.IndexAny(rest, "/?#"); i >= 0 {
			end = i
		}
		host, rest = rest[:end], rest[end:]
		if len(rest) == 0 {
			rest = strSlash
		}
	}
	return u.setAuthorityPath(host, rest)
}

// parseOriginForm fills a reset u from a received origin-form request
// target ("/path?query", RFC 9112 §3.2.1) and the Host field. All of the
// target is path and query, even when it starts with "//": a server that
// read "//evil/x" as an authority would hand its handler a host the
// client never sent in Host.
func (u *URI) parseOriginForm(host, target []byte, isTLS bool) error {
	if hasCTL(target) || hasCTL(host) {
		return ErrorInvalidURI
	}
	if isTLS {
		u.scheme = append(u.scheme, strHTTPS...)
	}
	return u.setAuthorityPath(host, target)
}

// setAuthorityPath fills u from an authority ("user:pass@host:port") and
// the path, query and fragment that follow it.
func (u *URI) setAuthorityPath(host, rest []byte) error {
	if at := bytes.LastIndexByte(host, '@'); at >= 0 {
		userinfo := host[:at]
		host = host[at+1:]
		if colon := bytes.IndexByte(userinfo, ':'); colon >= 0 {
			u.username = decodeArgAppendNoPlus(u.username[:0], userinfo[:colon])
			u.password = decodeArgAppendNoPlus(u.password[:0], userinfo[colon+1:])
		} else {
			u.username = decodeArgAppendNoPlus(u.username[:0], userinfo)
		}
	}
	if err := checkURIHost(host); err != nil {
		u.Reset()
		return err
	}
	u.host = appendURIHost(u.host[:0], host)
	u.setPathQueryHash(rest)
	return nil
}

// setPathQueryHash parses "/path?query#hash" into u.
func (u *URI) setPathQueryHash(b []byte) {
	u.hash = u.hash[:0]
	if i := bytes.IndexByte(b, '#'); i >= 0 {
		u.hash = append(u.hash, b[i+1:]...)
		b = b[:i]
	}
	u.queryString = u.queryString[:0]
	if i := bytes.IndexByte(b, '?'); i >= 0 {
		u.queryString = append(u.queryString, b[i+1:]...)
		b = b[:i]
	}
	u.parsedQueryArgs = false
	u.setPath(b)
}

// hasCTL reports whether b holds an ASCII control byte.
func hasCTL(b []byte) bool {
	for _, c := range b {
		if c < 0x20 || c == 0x7f {
			return true
		}
	}
	return false
}

// splitScheme splits "scheme://rest" into the scheme and the text after
// "://". It returns a nil scheme when uri has no "://" before its first
// '/', '?' or '#', and an error when the text before "://" is not a scheme
// (ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )). An empty scheme ("://h")
// counts as none and leaves "//h" as rest.
func splitScheme(uri []byte) (scheme, rest []byte, err error) {
	i := bytes.IndexAny(uri, ":/?#")
	if i < 0 || uri[i] != ':' || len(uri) < i+3 || uri[i+1] != '/' || uri[i+2] != '/' {
		return nil, uri, nil
	}
	if i == 0 {
		return nil, uri[1:], nil
	}
	for j, c := range uri[:i] {
		alpha := toLowerTable[c] >= 'a' && toLowerTable[c] <= 'z'
		if !alpha && (j == 0 || !(c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.')) {
			return nil, uri, fmt.Errorf("invalid scheme %q", uri[:i])
		}
	}
	return uri[:i], uri[i+3:], nil
}

var errMissingBracket = errors.New("missing ']' in host")

// checkURIHost checks an authority's host[:port]. It refuses what
// RFC 3986 forbids there (controls, spaces, delimiters, '%' outside an
// IPv6 zone), an IP literal that is not IPv6, and a port that is not
// digits. An empty port ("h:") is allowed, as RFC 3986 allows it.
// uriHostBad marks the bytes a URI host may not hold: controls, space,
// DEL, delimiters, and '%' (reported as an escape error).
var uriHostBad = func() (t [256]bool) {
	for c := 0; c <= ' '; c++ {
		t[c] = true
	}
	t[0x7f] = true
	for _, c := range "/?#@\\<>\"`{}|^[]%" {
		t[c] = true
	}
	return
}()

func checkURIHost(host []byte) error {
	port := []byte(nil)
	if len(host) > 0 && host[0] == '[' {
		end := bytes.IndexByte(host, ']')
		if end < 0 {
			return errMissingBracket
		}
		if !validIPv6Literal(host[1:end]) {
			return fmt.Errorf("invalid ipv6 host %q", host)
		}
		port = host[end+1:]
		if len(port) > 0 && port[0] != ':' {
			return fmt.Errorf("invalid port %q after host", port)
		}
	} else {
		if i := bytes.IndexByte(host, ':'); i >= 0 {
			if bytes.IndexByte(host[i+1:], ':') >= 0 {
				return fmt.Errorf("invalid host %q with multiple port delimiters", host)
			}
			host, port = host[:i], host[i:]
		}
		for _, c := range host {
			if !uriHostBad[c] {
				continue
			}
			if c == '%' {
				return EscapeError(host)
			}
			return InvalidHostError(string([]byte{c}))
		}
	}
	if len(port) > 0 {
		for _, c := range port[1:] {
			if c < '0' || c > '9' {
				return fmt.Errorf("invalid port %q after host", port)
			}
		}
	}
	return nil
}

// validIPv6Literal reports whether b is an IPv6 address, optionally with a
// zone written "%25zone" (RFC 6874) or "%zone".
func validIPv6Literal(b []byte) bool {
	addr := b
	if i := bytes.IndexByte(b, '%'); i >= 0 {
		addr = b[:i]
		zone := b[i+1:]
		if len(zone) >= 2 && zone[0] == '2' && zone[1] == '5' {
			zone = zone[2:]
		}
		if len(zone) == 0 {
			return false
		}
	}
	a, err := netip.ParseAddr(b2s(addr))
	return err == nil && a.Is6()
}

// appendURIHost appends host in lower case, with an IPv6 zone's "%25"
// written as the '%' it stands for.
func appendURIHost(dst, host []byte) []byte {
	start := len(dst)
	if len(host) > 0 && host[0] == '[' {
		if i := bytes.Index(host, strPct25); i >= 0 && i < bytes.IndexByte(host, ']') {
			dst = append(dst, host[:i+1]...)
			host = host[i+3:]
		}
	}
	dst = append(dst, host...)
	lowercaseBytes(dst[start:])
	return dst
}

var strPct25 = []byte("%25")

// normalizePath appends to dst the percent-decoded src (a "%00" kept as
// it is) with dot segments (RFC 3986 §5.2.4) and runs of '/' removed,
// starting with '/'.
func normalizePath(dst, src []byte) []byte {
	start := len(dst)
	if len(src) == 0 || src[0] != '/' {
		dst = append(dst, '/')
	}
	dst = decodeArgAppendNoPlus(dst, src)
	return removeDotSegments(dst, start)
}

// cleanPath is normalizePath without the percent-decoding: for paths that
// are not URI components, such as a cookie's Path attribute.
func cleanPath(dst, src []byte) []byte {
	start := len(dst)
	if len(src) == 0 || src[0] != '/' {
		dst = append(dst, '/')
	}
	dst = append(dst, src...)
	return removeDotSegments(dst, start)
}

// removeDotSegments rewrites dst[start:], a path starting with '/', in
// place without dot segments and runs of '/'.
func removeDotSegments(dst []byte, start int) []byte {
	p := dst[start:]
	if !needsDotOrSlashCleanup(p) {
		return dst
	}
	out := p[:0]
	for i := 0; i < len(p); {
		// p[i] is always '/' here: take the segment after it.
		j := i + 1
		for j < len(p) && p[j] != '/' {
			j++
		}
		seg := p[i+1 : j]
		last := j >= len(p)
		switch {
		case len(seg) == 0, len(seg) == 1 && seg[0] == '.':
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
			// out never runs ahead of i, so the copy is in place.
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

// needsDotOrSlashCleanup reports whether p holds "//" or a segment
// starting with '.', the only cases normalizePath must rewrite.
func needsDotOrSlashCleanup(p []byte) bool {
	for i := 0; i+1 < len(p); i++ {
		if p[i] == '/' && (p[i+1] == '/' || p[i+1] == '.') {
			return true
		}
	}
	return false
}

// Update changes u by newURI, which may be absolute ("https://h/p?q"),
// scheme-relative ("//h/p", keeping the scheme), absolute-path ("/p?q",
// keeping scheme and host), query-only ("?q", keeping the rest),
// fragment-only ("#f") or relative to the current path ("p?q", "../p").
// A path change drops the userinfo. Errors are ignored; see
// UpdateBytesErr.
func (u *URI) Update(newURI string) {
	_ = u.UpdateBytesErr(s2b(newURI))
}

// UpdateBytes is Update for a byte slice.
func (u *URI) UpdateBytes(newURI []byte) {
	_ = u.UpdateBytesErr(newURI)
}

// UpdateBytesErr is UpdateBytes that reports why newURI cannot be used. A
// newURI holding a control byte is refused with ErrorInvalidURI and leaves
// u unchanged; an absolute one that Parse refuses leaves u empty.
func (u *URI) UpdateBytesErr(newURI []byte) error {
	if len(newURI) == 0 {
		return nil
	}
	if hasCTL(newURI) {
		return ErrorInvalidURI
	}
	switch newURI[0] {
	case '?':
		b := newURI[1:]
		if i := bytes.IndexByte(b, '#'); i >= 0 {
			u.hash = append(u.hash[:0], b[i+1:]...)
			b = b[:i]
		}
		u.SetQueryStringBytes(b)
		return nil
	case '#':
		u.SetHashBytes(newURI[1:])
		return nil
	}
	scheme, _, err := splitScheme(newURI)
	if err != nil {
		u.Reset()
		return err
	}
	keep := u.DisablePathNormalizing
	switch {
	case scheme != nil:
		u.Reset()
		err = u.parse(nil, newURI, false)
	case len(newURI) >= 2 && newURI[0] == '/' && newURI[1] == '/':
		b := append(append(append([]byte(nil), u.Scheme()...), ':'), newURI...)
		u.Reset()
		err = u.parse(nil, b, false)
	case newURI[0] == '/':
		u.username = u.username[:0]
		u.password = u.password[:0]
		u.setPathQueryHash(newURI)
	default:
		// Relative: resolve against the directory of the current path,
		// written back in encoded form so that it is decoded only once.
		base := u.Path()
		dir := base[:bytes.LastIndexByte(base, '/')+1]
		b := appendQuotedPath(nil, dir)
		b = append(b, newURI...)
		u.username = u.username[:0]
		u.password = u.password[:0]
		u.setPathQueryHash(b)
	}
	u.DisablePathNormalizing = keep
	return err
}
