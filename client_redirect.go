package fasthttp

import (
	"bytes"
	"errors"
	"strconv"
	"time"
)

// This file follows redirects (RFC 9110 §15.4) for Client and HostClient,
// and holds the Get and Post helpers built on it.

// defaultMaxRedirectsCount is how many redirects Get and Post follow.
const defaultMaxRedirectsCount = 16

// redirectDoer is what following redirects needs from a client.
type redirectDoer interface {
	doDeadline(req *Request, resp *Response, deadline time.Time) error
	// sameSchemeOnly reports whether the client cannot switch between http
	// and https (a HostClient).
	sameSchemeOnly() bool
}

func (hc *HostClient) sameSchemeOnly() bool { return true }

func (c *Client) sameSchemeOnly() bool { return false }

// doRequestFollowRedirects sends req and follows up to maxRedirects
// redirects, updating req's URI along the way. resp holds the last
// response; with ErrTooManyRedirects it is the last redirect.
func doRequestFollowRedirects(c redirectDoer, req *Request, resp *Response, maxRedirects int, deadline time.Time) error {
	if req == nil || resp == nil {
		return errClientNilReqResp
	}
	hadBodyStream := req.IsBodyStream()
	// Credentials are trusted to the host the caller addressed (and its
	// subdomains), judged against that first host on every hop as net/http
	// does: a chain through another host cannot bring them back.
	var originBuf [64]byte
	origin := append(originBuf[:0], hostWithoutPort(req.URI().Host())...)
	for redirects := 0; ; redirects++ {
		if err := c.doDeadline(req, resp, deadline); err != nil {
			return err
		}
		code := resp.StatusCode()
		if !StatusCodeIsRedirect(code) {
			return nil
		}
		if redirects >= maxRedirects {
			return ErrTooManyRedirects
		}
		location := peekLocation(&resp.Header)
		if len(location) == 0 {
			return ErrMissingLocation
		}
		if err := redirectRequest(c, req, code, location, origin, hadBodyStream); err != nil {
			return err
		}
	}
}

// redirectRequest turns req into the request for the redirect target:
// location is resolved against the current URI, and the method and body
// change as the status code says. Leaving origin (the first request's host
// name) and its subdomains drops credentials and trailers, so they never
// reach a server they were not meant for. A change of scheme or port alone
// keeps them, as net/http's client does: the host name is what the caller
// chose to trust.
func redirectRequest(c redirectDoer, req *Request, code int, location, origin []byte, hadBodyStream bool) error {
	uri := req.URI()
	var oldHostBuf [64]byte
	oldHost := append(oldHostBuf[:0], uri.Host()...)
	if err := resolveLocation(c, uri, location, req.DisableRedirectPathNormalizing); err != nil {
		return err
	}
	if !bytes.Equal(uri.Host(), oldHost) {
		req.Header.SetHostBytes(uri.Host())
	}
	if !trustedRedirectHost(hostWithoutPort(uri.Host()), origin) {
		dropCredentials(&req.Header)
		dropTrailers(&req.Header)
	}
	switch code {
	case StatusSeeOther:
		// 303: fetch the target with GET (HEAD stays HEAD), without body.
		if !req.Header.IsHead() {
			req.Header.SetMethod(MethodGet)
		}
		dropRequestBody(req)
	case StatusMovedPermanently, StatusFound:
		// 301 and 302: user agents turn POST into GET (RFC 9110 §15.4.2);
		// other methods keep their body.
		if req.Header.IsPost() {
			req.Header.SetMethod(MethodGet)
			dropRequestBody(req)
		}
	default:
		// 307 and 308 repeat the request as it was, body included.
		if hadBodyStream {
			return ErrRedirectBodyStream
		}
	}
	return nil
}

// resolveLocation points uri at the redirect target location, resolved
// against it. A Location that is not a valid URI for HTTP (one Parse
// refuses, or an http or https URI without a host) fails with an error
// that errors.Is matches to ErrorInvalidURI, and one with another scheme
// (mailto:, ftp://, …) with an unsupported protocol error; either way uri
// is left as it was.
func resolveLocation(c redirectDoer, uri *URI, location []byte, disablePathNormalizing bool) error {
	if scheme := locationScheme(location); scheme != nil {
		if !equalFoldString(scheme, "http") && !equalFoldString(scheme, "https") {
			return unsupportedProtocolError(scheme)
		}
		if rest := location[len(scheme)+1:]; len(rest) < 2 || rest[0] != '/' || rest[1] != '/' {
			// "http:path" names no host: nothing to connect to.
			return &clientReadError{phase: ErrorInvalidURI, cause: errRedirectNoHost}
		}
	}
	next := AcquireURI()
	defer ReleaseURI(next)
	uri.CopyTo(next)
	if disablePathNormalizing {
		next.DisablePathNormalizing = true
	}
	if err := next.UpdateBytesErr(location); err != nil {
		if !errors.Is(err, ErrorInvalidURI) {
			err = &clientReadError{phase: ErrorInvalidURI, cause: err}
		}
		return err
	}
	next.SetHashBytes(nil)
	scheme := next.Scheme()
	if !bytes.Equal(scheme, strHTTP) && !bytes.Equal(scheme, strHTTPS) {
		return unsupportedProtocolError(scheme)
	}
	if len(next.Host()) == 0 {
		return &clientReadError{phase: ErrorInvalidURI, cause: errRedirectNoHost}
	}
	if c.sameSchemeOnly() && !bytes.Equal(scheme, uri.Scheme()) {
		return ErrHostClientRedirectToDifferentScheme
	}
	next.CopyTo(uri)
	return nil
}

// errRedirectNoHost is the cause for a Location naming no host.
var errRedirectNoHost = errors.New("redirect location has no host")

// locationScheme returns the scheme of a Location that is an absolute URI
// (RFC 3986 §3.1: a letter, then letters, digits, '+', '-' or '.', up to
// a ':' that comes before any '/', '?' or '#'), or nil for a relative
// reference.
func locationScheme(location []byte) []byte {
	for i, c := range location {
		switch {
		case c == ':':
			if i == 0 {
				return nil
			}
			return location[:i]
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
		case i > 0 && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.'):
		default:
			return nil
		}
	}
	return nil
}

// hostWithoutPort returns the host name of an authority ("host:port",
// "[v6]:port" or a bare host), brackets kept.
func hostWithoutPort(host []byte) []byte {
	for i := len(host) - 1; i >= 0; i-- {
		switch host[i] {
		case ':':
			return host[:i]
		case ']', '.':
			return host
		}
	}
	return host
}

// trustedRedirectHost reports whether credentials given for origin may go
// to host: the same name, or a subdomain of it. IP literals match only
// themselves.
func trustedRedirectHost(host, origin []byte) bool {
	if equalFoldASCII(host, origin) {
		return true
	}
	n := len(host) - len(origin)
	if len(origin) == 0 || n < 2 || host[n-1] != '.' || bytes.IndexByte(host, ':') >= 0 || bytes.IndexByte(host, '%') >= 0 {
		return false
	}
	return equalFoldASCII(host[n:], origin)
}

// dropCredentials removes the fields that authenticate the caller: they
// must not follow a redirect to another host.
func dropCredentials(h *RequestHeader) {
	h.Del(HeaderAuthorization)
	h.Del(HeaderProxyAuthorization)
	h.Del(HeaderCookie)
	h.Del("Cookie2")
	h.Del(HeaderWWWAuthenticate)
	h.Del(HeaderProxyAuthenticate)
}

// dropTrailers removes the announced trailer names and the fields holding
// their values.
func dropTrailers(h *RequestHeader) {
	for i := range h.trailer {
		name := h.trailer[i].key
		for j := 0; j < len(h.h); {
			if equalFoldASCII(h.h[j].key, name) {
				h.h = delKVAt(h.h, j)
				continue
			}
			j++
		}
	}
	h.trailer = h.trailer[:0]
}

// dropRequestBody removes the body and the fields that describe it: the
// framing, the trailers that would follow it, and its representation
// metadata (Content-Type, -Encoding, -Language, -Location), as the Fetch
// standard's redirect steps do.
func dropRequestBody(req *Request) {
	req.ResetBody()
	req.postArgs.Reset()
	req.Header.SetContentLength(0)
	req.Header.Del(HeaderContentType)
	req.Header.Del(HeaderContentLength)
	req.Header.Del(HeaderContentEncoding)
	req.Header.Del(HeaderContentLanguage)
	req.Header.Del(HeaderContentLocation)
	dropTrailers(&req.Header)
}

// unsupportedProtocolError names a scheme the clients cannot speak.
func unsupportedProtocolError(scheme []byte) error {
	return errors.New("fasthttp: unsupported protocol " + strconv.Quote(string(scheme)) +
		". http and https are supported")
}

// peekLocation returns the Location field, matched without regard to case
// so that it is found when header names are not normalized.
func peekLocation(h *ResponseHeader) []byte {
	if v := h.peek(strLocation, false); len(v) > 0 {
		return v
	}
	for k, v := range h.All() {
		if equalFoldString(k, HeaderLocation) {
			return v
		}
	}
	return nil
}

// clientGetURL is the shared body of the Get helpers.
func clientGetURL(c redirectDoer, dst []byte, url string, deadline time.Time) (int, []byte, error) {
	req := AcquireRequest()
	resp := AcquireResponse()
	defer ReleaseRequest(req)
	defer ReleaseResponse(resp)
	req.SetRequestURI(url)
	return clientFetch(c, req, resp, dst, deadline)
}

// clientPostURL is the shared body of the Post helpers.
func clientPostURL(c redirectDoer, dst []byte, url string, postArgs *Args) (int, []byte, error) {
	req := AcquireRequest()
	resp := AcquireResponse()
	defer ReleaseRequest(req)
	defer ReleaseResponse(resp)
	req.Header.SetMethod(MethodPost)
	req.Header.SetContentTypeBytes(strPostArgsContentType)
	if postArgs != nil {
		req.bodyBuffer().B = postArgs.AppendBytes(req.bodyBuffer().B[:0])
	}
	req.SetRequestURI(url)
	return clientFetch(c, req, resp, dst, time.Time{})
}

func clientFetch(c redirectDoer, req *Request, resp *Response, dst []byte, deadline time.Time) (int, []byte, error) {
	err := doRequestFollowRedirects(c, req, resp, defaultMaxRedirectsCount, deadline)
	if err != nil {
		return 0, dst[:0], err
	}
	return resp.StatusCode(), append(dst[:0], resp.Body()...), nil
}
