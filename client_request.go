package fasthttp

import "bytes"

// This file prepares an outgoing request for the wire: the defaults a
// client adds (Host, User-Agent) and the checks that keep caller data from
// splitting the message (request smuggling and header injection).

// prepareRequest applies the client's defaults to req and checks that every
// part written on the wire is well formed. A request that fails the check
// is never sent.
func (hc *HostClient) prepareRequest(req *Request) error {
	if hc.DisableHeaderNamesNormalizing {
		req.Header.DisableNormalizing()
	}
	uri := req.URI()
	if hc.DisablePathNormalizing {
		uri.DisablePathNormalizing = true
	}
	if len(uri.Host()) == 0 && len(req.Header.Host()) == 0 {
		// A request without a host goes to the client's own address, which
		// HTTP/1.1 wants in the Host field anyway.
		uri.SetHost(firstAddr(hc.Addr))
	}
	if !hc.NoDefaultUserAgentHeader && len(req.Header.UserAgent()) == 0 {
		req.Header.SetUserAgent(hc.userAgent())
	}
	return checkRequestWire(req)
}

// firstAddr returns the first address of a comma-separated list.
func firstAddr(addrs string) string {
	for i := 0; i < len(addrs); i++ {
		if addrs[i] == ',' {
			return addrs[:i]
		}
	}
	return addrs
}

// checkRequestWire refuses a request whose method, target, Host or header
// fields hold bytes that would change the framing of the message once
// written: CR, LF, other controls, or spaces in the request line.
func checkRequestWire(req *Request) error {
	if !validToken(req.Header.Method()) {
		return errClientBadMethod
	}
	uri := req.URI()
	host := uri.Host()
	if req.UseHostHeader && len(req.Header.Host()) > 0 {
		host = req.Header.Host()
	}
	if !validHost(host) {
		return errClientBadHost
	}
	target := uri.RequestURI()
	if !validTargetBytes(target) {
		return errClientBadTarget
	}
	// Request.Write would build the same target again: hand it over. It was
	// just checked, so it is stored without SetRequestURIBytes' sanitizing.
	req.Header.requestURI = append(req.Header.requestURI[:0], target...)
	req.targetReady = true
	if !validTargetBytes(req.Header.Protocol()) {
		return errClientBadTarget
	}
	if !headerWireSafe(&req.Header) {
		return errClientBadField
	}
	return nil
}

// headerWireSafe checks every stored field of h, the way All would list
// them but without building the joined Cookie and Trailer values: names
// must be tokens, values free of controls. Parsed cookies need no check:
// writing them neutralises control bytes. So does writing the other
// control bytes (NUL …) a setter kept in an ordinary field, so a header
// holding some gets the slower second look of fieldsBlankable.
func headerWireSafe(h *RequestHeader) bool {
	if !validFieldValue(h.host) || !validFieldValue(h.contentType) || !validFieldValue(h.userAgent) {
		return false
	}
	for i := range h.h {
		if kv := &h.h[i]; !validToken(kv.key) || !validFieldValue(kv.value) {
			return h.ctlKept && fieldsBlankable(h)
		}
	}
	return trailerNamesSafe(h)
}

// trailerNamesSafe reports whether every announced trailer name is a token.
func trailerNamesSafe(h *RequestHeader) bool {
	for i := range h.trailer {
		if !validToken(h.trailer[i].key) {
			return false
		}
	}
	return true
}

// fieldsBlankable is headerWireSafe's check of the ordinary fields for a
// header in which setters kept control bytes: names must be tokens and
// values free of CR and LF; writing blanks the other control bytes.
func fieldsBlankable(h *RequestHeader) bool {
	for i := range h.h {
		kv := &h.h[i]
		if !validToken(kv.key) || bytes.IndexByte(kv.value, '\r') >= 0 || bytes.IndexByte(kv.value, '\n') >= 0 {
			return false
		}
	}
	return trailerNamesSafe(h)
}
