package fasthttp

import (
	"bufio"
	"errors"
)

// ErrBadTrailer is returned for a trailer field name that may not appear in
// a trailer, such as Content-Length or Host (RFC 9110 §6.5.1).
var ErrBadTrailer = errors.New("fasthttp: contain forbidden trailer")

// errForbiddenTrailerField is returned for a received trailer section
// holding a field that may not appear there: merging it could override
// framing, routing or authentication decided from the header.
var errForbiddenTrailerField = newProtocolError(StatusBadRequest, "forbidden field in trailer section")

// forbiddenTrailer reports whether a field named key may not be sent in a
// trailer: framing, routing, authentication, request modifiers and the
// fields that describe how to process the content.
func forbiddenTrailer(key []byte) bool {
	switch len(key) {
	case 2:
		return equalFoldString(key, "TE")
	case 4:
		return equalFoldString(key, "Host")
	case 5:
		return equalFoldString(key, "Range")
	case 6:
		return equalFoldString(key, "Cookie") || equalFoldString(key, "Expect") || equalFoldString(key, "Pragma")
	case 7:
		return equalFoldString(key, "Trailer") || equalFoldString(key, "Upgrade")
	case 8:
		return equalFoldString(key, "If-Match") || equalFoldString(key, "If-Range")
	case 10:
		return equalFoldString(key, "Connection") || equalFoldString(key, "Set-Cookie") || equalFoldString(key, "Keep-Alive")
	case 12:
		return equalFoldString(key, "Content-Type") || equalFoldString(key, "Max-Forwards")
	case 13:
		return equalFoldString(key, "Authorization") || equalFoldString(key, "Content-Range") ||
			equalFoldString(key, "If-None-Match") || equalFoldString(key, "Cache-Control")
	case 14:
		return equalFoldString(key, "Content-Length")
	case 16:
		return equalFoldString(key, "Content-Encoding") || equalFoldString(key, "WWW-Authenticate")
	case 17:
		return equalFoldString(key, "Transfer-Encoding") || equalFoldString(key, "If-Modified-Since")
	case 18:
		return equalFoldString(key, "Proxy-Authenticate")
	case 19:
		return equalFoldString(key, "Proxy-Authorization") || equalFoldString(key, "If-Unmodified-Since")
	}
	return false
}

// addTrailerNames appends the comma-separated field names in value to list.
func addTrailerNames(list []argsKV, value []byte, disableNormalizing bool) ([]argsKV, error) {
	var err error
	for len(value) > 0 {
		var name []byte
		name, value = cutListItem(value)
		name = trimOWS(name)
		if len(name) == 0 {
			continue
		}
		if !validToken(name) || forbiddenTrailer(name) {
			err = ErrBadTrailer
			continue
		}
		if inTrailer(list, name) {
			continue
		}
		var kv *argsKV
		list, kv = allocKV(list)
		kv.key = append(kv.key[:0], name...)
		if !disableNormalizing {
			normalizeHeaderKey(kv.key)
		}
		kv.value = kv.value[:0]
		kv.noValue = true
	}
	return list, err
}

// appendTrailerNames writes the announced trailer names as a Trailer value.
func appendTrailerNames(dst []byte, names []argsKV) []byte {
	for i := range names {
		if i > 0 {
			dst = append(dst, ',', ' ')
		}
		dst = append(dst, names[i].key...)
	}
	return dst
}

// appendTrailerFields writes "Name: value\r\n" for every announced trailer
// name that has a value among fields, followed by the closing CRLF.
func appendTrailerFields(dst []byte, names, fields []argsKV) []byte {
	for i := range names {
		k := names[i].key
		for j := range fields {
			if equalFoldASCII(fields[j].key, k) {
				dst = appendHeaderLine(dst, fields[j].key, fields[j].value)
			}
		}
	}
	return append(dst, strCRLF...)
}

// readTrailerFields reads a trailer section and appends its fields to
// fields, for callers that do not track the announced names.
func readTrailerFields(r *bufio.Reader, fields []argsKV, disableNormalizing bool) ([]argsKV, error) {
	fields, _, err := readTrailerSection(r, fields, nil, disableNormalizing)
	return fields, err
}

// readTrailerSection reads the trailer section after a last chunk, up to and
// including its empty line. Its fields are appended to fields and their
// names, when not announced already, to names. A field that may not appear
// in a trailer fails the whole section, so that a trailer can never replace
// Host, framing or authentication fields.
func readTrailerSection(r *bufio.Reader, fields, names []argsKV, disableNormalizing bool) ([]argsKV, []argsKV, error) {
	total := 0
	var scratch []byte
	for {
		line, err := readLineInto(r, maxTrailerBytes-total, &scratch)
		if err != nil {
			return fields, names, err
		}
		total += len(line) + 2
		if len(line) == 0 {
			return fields, names, nil
		}
		key, value, err := splitFieldLine(line)
		if err != nil {
			return fields, names, err
		}
		if forbiddenTrailer(key) {
			return fields, names, errForbiddenTrailerField
		}
		var kv *argsKV
		fields, kv = allocKV(fields)
		kv.key, _ = appendFieldName(kv.key[:0], key, !disableNormalizing)
		kv.value = append(kv.value[:0], value...)
		if !inTrailer(names, kv.key) {
			var nk *argsKV
			names, nk = allocKV(names)
			nk.key = append(nk.key[:0], kv.key...)
			nk.value = nk.value[:0]
			nk.noValue = true
		}
	}
}

// maxTrailerBytes bounds the size of a trailer section.
const maxTrailerBytes = 16 << 10
