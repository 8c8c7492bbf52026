package fasthttp

import (
	"bufio"
	"bytes"
	"errors"
	"io"
)

// This file is the response half of the header wire codec: the status line
// and the response-specific field rules.

func (h *ResponseHeader) resetParse() { h.resetSkipNormalize() }

func (h *ResponseHeader) setRaw(raw []byte) {}

func (h *ResponseHeader) appendRaw(line []byte) {}

// readLimited reads a response header whose section may take up to limit
// bytes. 1xx responses other than 101 are skipped.
func (h *ResponseHeader) readLimited(r *bufio.Reader, limit int) error {
	for {
		h.resetSkipNormalize()
		err := readHeaderBlock(r, h, limit, &h.bufV, false)
		if err != nil {
			var nr ErrNothingRead
			if errors.As(err, &nr) && errors.Is(nr.error, io.EOF) {
				return io.EOF
			}
			return err
		}
		if h.statusCode < 100 || h.statusCode >= 200 || h.statusCode == StatusSwitchingProtocols {
			return nil
		}
	}
}

// parseFirstLine parses "HTTP-version SP status-code SP [reason-phrase]".
func (h *ResponseHeader) parseFirstLine(line []byte) error {
	sp := bytes.IndexByte(line, ' ')
	if sp < 0 {
		return ErrResponseFirstLineMissingSpace
	}
	http11, err := parseHTTPVersion(line[:sp])
	if err != nil {
		return errBadStatusLine
	}
	rest := line[sp+1:]
	if len(rest) < 3 {
		return ErrUnexpectedStatusCodeChar
	}
	code := 0
	for _, c := range rest[:3] {
		if c < '0' || c > '9' {
			return ErrUnexpectedStatusCodeChar
		}
		code = code*10 + int(c-'0')
	}
	if code < 100 {
		return ErrUnexpectedStatusCodeChar
	}
	rest = rest[3:]
	if len(rest) > 0 {
		if rest[0] != ' ' {
			return ErrUnexpectedStatusCodeChar
		}
		rest = rest[1:]
	}
	if !validFieldValue(rest) {
		return errBadStatusLine
	}
	h.noHTTP11 = !http11
	h.protocol = append(h.protocol[:0], line[:sp]...)
	h.statusCode = code
	h.statusMessage = append(h.statusMessage[:0], rest...)
	return nil
}

// parseField parses one response field line, stored like a request
// field: at the end of the ordinary list unless it has dedicated storage.
func (h *ResponseHeader) parseField(b []byte, atEnd bool) (int, error) {
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
func (h *ResponseHeader) applyField(id fieldID, value []byte) (bool, error) {
	switch id {
	case fieldServer:
		h.server = append(h.server[:0], value...)
		return false, nil
	case fieldContentType:
		h.contentType = append(h.contentType[:0], value...)
		return false, nil
	case fieldContentEncoding:
		h.contentEncoding = append(h.contentEncoding[:0], value...)
		return false, nil
	case fieldTrailer:
		var err error
		if h.trailer, err = addTrailerNames(h.trailer, value, h.disableNormalizing); err != nil {
			return false, errBadTrailerSection
		}
		return false, nil
	case fieldSetCookie:
		var kv *argsKV
		h.cookies, kv = allocKV(h.cookies)
		kv.key = appendCookieName(kv.key[:0], value)
		kv.value = append(kv.value[:0], value...)
		return false, nil
	case fieldContentLength:
		n, err := parseContentLength(value)
		if err != nil {
			return false, err
		}
		if h.hasContentLength {
			// Repeated identical values are a known sender quirk
			// (RFC 9110 §8.6); differing ones make the framing unknowable.
			if first, _ := ParseUint(h.contentLengthBytes); n != first {
				return false, ErrDuplicateContentLength
			}
			return false, nil
		}
		if h.contentLength != -1 {
			h.contentLength = n
		}
		h.contentLengthBytes = append(h.contentLengthBytes[:0], value...)
		h.hasContentLength = true
		return false, nil
	case fieldTransferEncoding:
		return false, h.parseTransferEncoding(value)
	case fieldConnection:
		if hasTokenFold(value, "close") {
			h.connectionClose = true
		} else if hasTokenFold(value, "keep-alive") {
			h.keepAlive = true
		}
	case fieldDate:
		// A received Date is kept, so that writing the header again
		// repeats it instead of stamping a new one.
		h.noDefaultDate = true
	}
	return true, nil
}

// parseTransferEncoding accepts a coding list that ends with chunked, and
// "identity" alone (a pre-RFC 7230 no-op).
func (h *ResponseHeader) parseTransferEncoding(value []byte) error {
	last := value
	if i := bytes.LastIndexByte(value, ','); i >= 0 {
		last = value[i+1:]
	}
	last = trimOWS(last)
	switch {
	case equalFoldString(last, "chunked"):
		if h.contentLength == -1 {
			return ErrUnsupportedTransferEncoding
		}
		h.contentLength = -1
		return nil
	case equalFoldString(trimOWS(value), "identity"):
		return nil
	}
	return ErrUnsupportedTransferEncoding
}

// finish decides how the body is framed once every field is known.
func (h *ResponseHeader) finish() error {
	switch {
	case h.contentLength == -1:
		h.hasContentLength = false
		h.contentLengthBytes = h.contentLengthBytes[:0]
	case !h.hasContentLength:
		if h.mustSkipContentLength() {
			h.contentLength = 0
		} else {
			// No framing: the body runs until the connection closes, so
			// the connection cannot be reused.
			h.contentLength = -2
			h.connectionClose = true
		}
	}
	if h.noHTTP11 && !h.keepAlive {
		h.connectionClose = true
	}
	return nil
}
