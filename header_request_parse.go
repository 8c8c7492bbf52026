package fasthttp

import (
	"bufio"
	"bytes"
	"errors"
	"io"
)

// This file is the request half of the header wire codec: the request line
// and the request-specific field rules.

func (h *RequestHeader) resetParse() { h.resetSkipNormalize() }

func (h *RequestHeader) setRaw(raw []byte) {
	if len(raw) <= 2 {
		// Only the empty line: there are no fields to keep.
		return
	}
	h.rawHeaders = append(h.rawHeaders[:0], raw...)
}

func (h *RequestHeader) appendRaw(line []byte) {
	h.rawHeaders = append(h.rawHeaders, line...)
	h.rawHeaders = append(h.rawHeaders, '\r', '\n')
}

// readLimited reads a request header whose section may take up to limit
// bytes.
func (h *RequestHeader) readLimited(r *bufio.Reader, limit int) error {
	h.resetSkipNormalize()
	err := readHeaderBlock(r, h, limit, &h.bufV, true)
	if err != nil {
		var nr ErrNothingRead
		if errors.As(err, &nr) && errors.Is(nr.error, io.EOF) {
			return io.EOF
		}
	}
	return err
}

// parseFirstLine parses "method SP request-target SP HTTP-version"
// (RFC 9112 §3), strictly: single spaces, a token method, a target of
// visible ASCII in one of the four forms, and an exact version.
func (h *RequestHeader) parseFirstLine(line []byte) error {
	sp := bytes.IndexByte(line, ' ')
	if sp < 0 {
		return errBadRequestLine
	}
	if sp == 0 {
		return ErrMissingRequestMethod
	}
	method := line[:sp]
	if !validToken(method) {
		return errBadMethod
	}
	rest := line[sp+1:]
	sp = bytes.IndexByte(rest, ' ')
	if sp < 0 {
		// HTTP/0.9 simple requests are not served.
		return errBadVersion
	}
	if sp == 0 {
		return ErrEmptyRequestURI
	}
	target, proto := rest[:sp], rest[sp+1:]
	http11, err := parseHTTPVersion(proto)
	if err != nil {
		if bytes.IndexByte(proto, ' ') >= 0 {
			return ErrExtraWhitespaceInRequestLine
		}
		return err
	}
	if err := checkRequestTarget(method, target); err != nil {
		return err
	}
	// The defaults, GET and HTTP/1.1, are kept as empty values: Method
	// and Protocol report them, and nothing needs copying.
	if string(method) == MethodGet {
		h.method = h.method[:0]
	} else {
		h.method = append(h.method[:0], method...)
	}
	h.requestURI = append(h.requestURI[:0], target...)
	if string(proto) == "HTTP/1.1" {
		h.proto = h.proto[:0]
	} else {
		h.proto = append(h.proto[:0], proto...)
	}
	h.noHTTP11 = !http11
	h.received = true
	return nil
}

// checkRequestTarget accepts origin-form ("/path?q"), absolute-form
// ("http://host/path"), authority-form (CONNECT only) and asterisk-form
// (OPTIONS only), made of visible ASCII without a fragment.
func checkRequestTarget(method, target []byte) error {
	if !validTargetBytes(target) {
		return errBadTarget
	}
	switch {
	case target[0] == '/':
		return nil
	case len(target) == 1 && target[0] == '*':
		if string(method) == MethodOptions {
			return nil
		}
		return errBadTarget
	case string(method) == MethodConnect:
		if validHost(target) && bytes.IndexByte(target, ':') > 0 {
			return nil
		}
		return errBadTarget
	}
	var rest []byte
	switch {
	case len(target) > 7 && equalFoldString(target[:7], "http://"):
		rest = target[7:]
	case len(target) > 8 && equalFoldString(target[:8], "https://"):
		rest = target[8:]
	default:
		return errBadTarget
	}
	authority := rest
	if i := bytes.IndexAny(rest, "/?"); i >= 0 {
		authority = rest[:i]
	}
	if len(authority) == 0 || !validHost(authority) {
		return errBadTarget
	}
	return nil
}

// parseField parses one request field line. The field is first stored at
// the end of the ordinary list, then taken back out if it has dedicated
// storage.
func (h *RequestHeader) parseField(b []byte, atEnd bool) (int, error) {
	var kv *argsKV
	h.h, kv = allocKV(h.h)
	normalize := !h.disableNormalizing
	key, value, n, err := scanField(kv.key[:0], b, normalize, atEnd)
	kv.key = key
	if n > 0 && err == nil {
		var keep bool
		if keep, err = h.applyField(lookupField(key, normalize), value); keep && err == nil {
			kv.value = append(kv.value[:0], value...)
			kv.inHeader = true
			return n, nil
		}
	}
	h.h = h.h[:len(h.h)-1]
	return n, err
}

// applyField checks a received field and stores it when it has dedicated
// storage, reporting whether it belongs in the ordinary list as well.
// Framing and routing fields are checked as they arrive: one valid Host,
// one digits-only Content-Length, and Transfer-Encoding with chunked as the
// single, final coding. With DisableSpecialHeader every field is kept in
// the ordinary list, as received.
func (h *RequestHeader) applyField(id fieldID, value []byte) (bool, error) {
	special := !h.disableSpecialHeader
	switch id {
	case fieldHost:
		if h.hasHost {
			return false, errDupHost
		}
		if !validHost(value) {
			return false, errBadHost
		}
		h.hasHost = true
		if special {
			h.host = append(h.host[:0], value...)
			return false, nil
		}
	case fieldUserAgent:
		if special {
			h.userAgent = append(h.userAgent[:0], value...)
			return false, nil
		}
	case fieldContentType:
		if h.seenContentType {
			// Two different media types leave the body's meaning to
			// whichever one a reader picks: refused. An exact repeat
			// changes nothing and is kept once.
			if !bytes.Equal(value, h.firstContentType()) {
				return false, errDupContentType
			}
			return false, nil
		}
		h.seenContentType = true
		if special {
			h.contentType = append(h.contentType[:0], value...)
			return false, nil
		}
	case fieldContentLength:
		if h.hasContentLength {
			return false, errDupContentLength
		}
		n, err := parseContentLength(value)
		if err != nil {
			return false, err
		}
		if h.contentLength != -1 {
			// Transfer-Encoding, when present, frames the body.
			h.contentLength = n
		}
		h.contentLengthBytes = append(h.contentLengthBytes[:0], value...)
		h.hasContentLength = true
		return !special, nil
	case fieldTransferEncoding:
		if err := h.parseTransferEncoding(value); err != nil {
			return false, err
		}
		return !special, nil
	case fieldTrailer:
		var err error
		if h.trailer, err = addTrailerNames(h.trailer, value, h.disableNormalizing); err != nil {
			return false, errBadTrailerSection
		}
		return !special, nil
	case fieldConnection:
		if hasTokenFold(value, "close") {
			h.connectionClose = true
		} else if hasTokenFold(value, "keep-alive") {
			h.keepAlive = true
		}
	}
	// Cookies stay here too: they are parsed only when asked for.
	return true, nil
}

// firstContentType returns the Content-Type value received first. With
// DisableSpecialHeader it is in the ordinary list, whose last entry is the
// field being parsed.
func (h *RequestHeader) firstContentType() []byte {
	if !h.disableSpecialHeader {
		return h.contentType
	}
	return peekKVFold(h.h[:len(h.h)-1], HeaderContentType)
}

// parseTransferEncoding folds one Transfer-Encoding field into the framing
// state. contentLength -1 means chunked was seen (and must stay last);
// unsupported codings are refused with 501, codings after chunked with 400.
func (h *RequestHeader) parseTransferEncoding(value []byte) error {
	if h.noHTTP11 {
		return errTEInHTTP10
	}
	any := false
	for len(value) > 0 {
		var item []byte
		item, value = cutListItem(value)
		item = trimOWS(item)
		if len(item) == 0 {
			continue
		}
		any = true
		if h.contentLength == -1 {
			return errChunkedNotFinal
		}
		if !equalFoldString(item, "chunked") {
			return errUnsupportedTE
		}
		h.contentLength = -1
	}
	if !any {
		return errUnsupportedTE
	}
	return nil
}

// finish applies the rules that need the whole section.
func (h *RequestHeader) finish() error {
	if h.contentLength == -1 && h.hasContentLength {
		// RFC 9112 §6.3: Transfer-Encoding overrides Content-Length, and
		// such a message must not be followed on this connection.
		h.hasContentLength = false
		h.contentLengthBytes = h.contentLengthBytes[:0]
		h.connectionClose = true
		if h.disableSpecialHeader {
			h.h = delKVFold(h.h, HeaderContentLength)
		}
	}
	if !h.noHTTP11 && !h.hasHost {
		return errMissingHost
	}
	if h.contentLength == 0 && !h.hasContentLength && h.ignoreBody() {
		// A GET or HEAD without framing fields reports -2, as upstream's
		// does; loggers and frameworks print that value.
		h.noBodyFraming = true
	}
	if h.noHTTP11 && !h.keepAlive {
		h.connectionClose = true
	}
	return nil
}
