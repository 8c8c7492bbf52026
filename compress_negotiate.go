package fasthttp

import "bytes"

// Content negotiation for Accept-Encoding (RFC 9110 §12.5.3): the coding
// with the highest q-value wins, q=0 means "never", "*" stands for every
// coding not listed, and ties go to the server's order of preference.
// Parsing walks the field value in place: nothing is allocated.

// codingPrefs lists codings in the server's order of preference.
type codingPrefs []coding

var (
	// handlerPrefs is CompressHandler's order (brotli only when enabled).
	handlerPrefs = codingPrefs{codingBrotli, codingGzip, codingDeflate, codingZstd}
	// fsPrefs is FS's order: its cached copies are br, zstd or gzip.
	fsPrefs = codingPrefs{codingBrotli, codingZstd, codingGzip}
)

// codingSet is a bit set of allowed codings.
type codingSet uint8

func (s codingSet) has(c coding) bool { return s&(1<<c) != 0 }

func setOf(cs ...coding) codingSet {
	var s codingSet
	for _, c := range cs {
		s |= 1 << c
	}
	return s
}

// acceptQ holds the q-values (in thousandths) an Accept-Encoding value
// gives; -1 marks a coding it does not list.
type acceptQ struct {
	q    [codingZstd + 1]int
	star int
}

// parseAcceptEncoding reads an Accept-Encoding value.
func parseAcceptEncoding(ae []byte, out *acceptQ) {
	for i := range out.q {
		out.q[i] = -1
	}
	out.star = -1
	for len(ae) > 0 {
		var item []byte
		item, ae = cutListItem(ae)
		name := item
		params := []byte(nil)
		if i := bytes.IndexByte(item, ';'); i >= 0 {
			name, params = item[:i], item[i:]
		}
		name = trimOWS(name)
		if len(name) == 0 {
			continue
		}
		q := parseQValue(params)
		if len(name) == 1 && name[0] == '*' {
			if q > out.star {
				out.star = q
			}
			continue
		}
		c, ok := parseCoding(name)
		if !ok {
			continue
		}
		// A coding listed twice keeps its highest weight.
		if q > out.q[c] {
			out.q[c] = q
		}
	}
}

// parseQValue returns the weight of ";q=..." parameters in thousandths;
// 1000 when absent, 0 when malformed, since a value a server cannot read
// is no permission to use the coding.
func parseQValue(params []byte) int {
	q := 1000
	for len(params) > 0 {
		params = params[1:] // the ';'
		var p []byte
		if i := bytes.IndexByte(params, ';'); i >= 0 {
			p, params = params[:i], params[i:]
		} else {
			p, params = params, nil
		}
		p = trimOWS(p)
		if len(p) < 2 || (p[0] != 'q' && p[0] != 'Q') {
			continue
		}
		v := trimOWS(p[1:])
		if len(v) == 0 || v[0] != '=' {
			continue
		}
		q = parseWeight(trimOWS(v[1:]))
	}
	return q
}

// parseWeight parses a qvalue (RFC 9110 §12.4.2: "0" or "1" with up to
// three decimals) into thousandths; anything else is 0.
func parseWeight(v []byte) int {
	if len(v) == 0 || len(v) > 5 || (v[0] != '0' && v[0] != '1') {
		return 0
	}
	q := int(v[0]-'0') * 1000
	if len(v) == 1 {
		return q
	}
	if v[1] != '.' {
		return 0
	}
	scale := 100
	for _, c := range v[2:] {
		if c < '0' || c > '9' {
			return 0
		}
		q += int(c-'0') * scale
		scale /= 10
	}
	if q > 1000 {
		return 0
	}
	return q
}

// weight returns the q-value the request gives c.
func (a *acceptQ) weight(c coding) int {
	if q := a.q[c]; q >= 0 {
		return q
	}
	if a.star >= 0 {
		return a.star
	}
	return 0
}

// negotiateCoding picks the coding for a response to a request with
// Accept-Encoding ae, among allowed, in prefs order on ties. It returns
// codingIdentity when the client accepts none of them, or explicitly
// prefers identity.
func negotiateCoding(ae []byte, allowed codingSet, prefs codingPrefs) coding {
	if len(ae) == 0 {
		return codingIdentity
	}
	var a acceptQ
	parseAcceptEncoding(ae, &a)
	best, bestQ := codingIdentity, 0
	for _, c := range prefs {
		if !allowed.has(c) {
			continue
		}
		if q := a.weight(c); q > bestQ {
			best, bestQ = c, q
		}
	}
	if best != codingIdentity && a.q[codingIdentity] > bestQ {
		return codingIdentity
	}
	return best
}
