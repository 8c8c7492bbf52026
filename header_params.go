package fasthttp

import "bytes"

// This file reads parameters and lists inside field values: media-type
// parameters, multipart boundaries and Accept-Encoding q-values.

// VisitHeaderParams calls f for each parameter of a field value such as
// `text/html; charset=utf-8; q="0.5"`: the part before the first ';' is
// skipped, and each parameter must be token=token or token=quoted-string
// (RFC 9110 §5.6.6). A quoted value is passed without its quotes, its
// backslash escapes left as they are. Parsing stops at the first malformed
// parameter, or when f returns false.
func VisitHeaderParams(b []byte, f func(key, value []byte) bool) {
	for {
		i := bytes.IndexByte(b, ';')
		if i < 0 {
			return
		}
		b = b[i+1:]
		for len(b) > 0 && (b[0] == ' ' || b[0] == '\t') {
			b = b[1:]
		}
		if len(b) == 0 {
			return
		}
		if b[0] == ';' {
			// An empty parameter, as in "a;;b=1", is skipped.
			continue
		}
		k := tokenPrefix(b)
		if k == 0 || k == len(b) || b[k] != '=' {
			return
		}
		key := b[:k]
		b = b[k+1:]
		var value []byte
		if len(b) > 0 && b[0] == '"' {
			end := quotedStringEnd(b)
			if end < 0 {
				return
			}
			value = b[1:end]
			b = b[end+1:]
		} else {
			v := tokenPrefix(b)
			if v == 0 {
				return
			}
			value = b[:v]
			b = b[v:]
		}
		if !f(key, value) {
			return
		}
	}
}

// tokenPrefix returns the length of the run of tchar bytes that starts b.
func tokenPrefix(b []byte) int {
	for i, c := range b {
		if !tokenTable[c] {
			return i
		}
	}
	return len(b)
}

// quotedStringEnd returns the index of the quote that closes the
// quoted-string starting at b[0], honouring backslash escapes, or -1.
func quotedStringEnd(b []byte) int {
	for i := 1; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i
		}
	}
	return -1
}

// multipartBoundary extracts the boundary parameter of a
// multipart/form-data content type, or nil.
func multipartBoundary(ct []byte) []byte {
	mt := ct
	if i := bytes.IndexByte(ct, ';'); i >= 0 {
		mt = ct[:i]
	}
	if !equalFoldString(trimOWS(mt), "multipart/form-data") {
		return nil
	}
	var boundary []byte
	VisitHeaderParams(ct, func(k, v []byte) bool {
		if equalFoldString(k, "boundary") {
			boundary = v
			return false
		}
		return true
	})
	return boundary
}

// hasAcceptEncoding reports whether the Accept-Encoding value ae accepts the
// coding, honouring q-values: a coding listed with q=0 is refused
// (RFC 9110 §12.4.2).
func hasAcceptEncoding(ae []byte, coding string) bool {
	for len(ae) > 0 {
		var item []byte
		item, ae = cutListItem(ae)
		name := item
		if i := bytes.IndexByte(item, ';'); i >= 0 {
			name = item[:i]
		}
		if equalFoldString(trimOWS(name), coding) {
			return !qValueIsZero(item)
		}
	}
	return false
}

// qValueIsZero reports whether a list item carries q=0 (q=0.0, q=0.000...).
func qValueIsZero(item []byte) bool {
	zero := false
	VisitHeaderParams(item, func(k, v []byte) bool {
		if len(k) == 1 && (k[0] == 'q' || k[0] == 'Q') {
			f, err := ParseUfloat(v)
			zero = err == nil && f == 0
			return false
		}
		return true
	})
	return zero
}
