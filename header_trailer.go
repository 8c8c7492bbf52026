package fasthttp

import (
	"bufio"
	"bytes"
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

// inTrailerSection reports whether the ordinary field kv belongs to the
// trailer section: names announces it and it was not read from the header
// section. Which section a field is in thus follows the Trailer field as
// it changes, except for what the peer put in its header.
func inTrailerSection(kv *argsKV, names []argsKV) bool {
	return !kv.inHeader && inTrailer(names, kv.key)
}

// peekTrailerField returns the value of the first trailer-section field
// named key (in the form the header stores names), or nil.
func peekTrailerField(fields, names []argsKV, key []byte) []byte {
	if !inTrailer(names, key) {
		return nil
	}
	for i := range fields {
		if kv := &fields[i]; !kv.inHeader && bytes.Equal(kv.key, key) {
			return kv.value
		}
	}
	return nil
}

// appendTrailerValues appends the values of the trailer-section fields
// named key.
func appendTrailerValues(dst [][]byte, fields, names []argsKV, key []byte) [][]byte {
	if !inTrailer(names, key) {
		return dst
	}
	for i := range fields {
		if kv := &fields[i]; !kv.inHeader && bytes.Equal(kv.key, key) {
			dst = append(dst, kv.value)
		}
	}
	return dst
}

// setSectionKV is setKV for a header's ordinary fields. A name the Trailer
// field announces is set in the trailer section only: the first such field
// takes the value, later ones go, and fields of that name received in the
// header section stay as they are.
func setSectionKV(fields, names []argsKV, key, value []byte) []argsKV {
	if !inTrailer(names, key) {
		return setKV(fields, key, value, false)
	}
	set := false
	for i := 0; i < len(fields); {
		kv := &fields[i]
		switch {
		case kv.inHeader || !bytes.Equal(kv.key, key):
			i++
		case !set:
			kv.value = append(kv.value[:0], value...)
			kv.noValue = false
			set = true
			i++
		default:
			fields = delKVAt(fields, i)
		}
	}
	if !set {
		fields = appendKV(fields, key, value, false)
	}
	return fields
}

// appendTrailerFields writes "Name: value\r\n" for every trailer-section
// field, announced name by announced name, followed by the closing CRLF.
func appendTrailerFields(dst []byte, names, fields []argsKV) []byte {
	for i := range names {
		k := names[i].key
		for j := range fields {
			if !fields[j].inHeader && equalFoldASCII(fields[j].key, k) {
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
	pinned := false
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
		if !pinned {
			pinHeaderSection(fields, names)
			pinned = true
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

// pinHeaderSection marks every field not yet in the trailer section as
// read from the header section: a trailer now arriving comes after all of
// them, whatever names it adds to the Trailer list.
func pinHeaderSection(fields, names []argsKV) {
	for i := range fields {
		if kv := &fields[i]; !kv.inHeader && !inTrailer(names, kv.key) {
			kv.inHeader = true
		}
	}
}

// maxTrailerBytes bounds the size of a trailer section.
const maxTrailerBytes = 16 << 10
