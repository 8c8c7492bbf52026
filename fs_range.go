package fasthttp

import (
	"bytes"
	"errors"
)

// Byte ranges (RFC 9110 §14): FS answers a single range with 206 and
// Content-Range, an unsatisfiable one with 416, and serves the whole file
// for several ranges or another unit, which the RFC allows.

var (
	errRangeUnit          = errors.New("unsupported range unit: expecting \"bytes\"")
	errRangeMultiple      = errors.New("multiple byte ranges are not supported")
	errRangeSyntax        = errors.New("malformed byte range")
	errRangeUnsatisfiable = errors.New("byte range not satisfiable")
)

// ParseByteRange parses a "Range: bytes=..." value against a body of
// contentLength bytes and returns the first and last byte positions,
// inclusive. It accepts one range: "bytes=first-last", "bytes=first-" or
// the suffix form "bytes=-length"; a last position past the end is cut
// to the end. Ranges that start past the end, suffixes of length 0 and
// any range of an empty body are unsatisfiable.
func ParseByteRange(byteRange []byte, contentLength int) (startPos, endPos int, err error) {
	b := trimOWS(byteRange)
	if len(b) < 6 || !equalFoldString(b[:5], "bytes") || b[5] != '=' {
		return 0, 0, errRangeUnit
	}
	b = trimOWS(b[6:])
	if bytes.IndexByte(b, ',') >= 0 {
		return 0, 0, errRangeMultiple
	}
	dash := bytes.IndexByte(b, '-')
	if dash < 0 {
		return 0, 0, errRangeSyntax
	}
	first, last := b[:dash], b[dash+1:]
	if len(first) == 0 {
		n, ok := parseRangeInt(last)
		if !ok {
			return 0, 0, errRangeSyntax
		}
		if n == 0 || contentLength <= 0 {
			return 0, 0, errRangeUnsatisfiable
		}
		if n > contentLength {
			n = contentLength
		}
		return contentLength - n, contentLength - 1, nil
	}
	start, ok := parseRangeInt(first)
	if !ok {
		return 0, 0, errRangeSyntax
	}
	end := contentLength - 1
	if len(last) > 0 {
		e, ok := parseRangeInt(last)
		if !ok || e < start {
			return 0, 0, errRangeSyntax
		}
		if e < end {
			end = e
		}
	}
	if start >= contentLength {
		return 0, 0, errRangeUnsatisfiable
	}
	return start, end, nil
}

// parseRangeInt parses 1*DIGIT; values too large for an int fail.
func parseRangeInt(b []byte) (int, bool) {
	if len(b) == 0 {
		return 0, false
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		if n > (maxRangeInt-int(c-'0'))/10 {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

const maxRangeInt = int(^uint(0) >> 1)
