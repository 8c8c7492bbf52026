package fasthttp

import (
	"errors"
	"strconv"

	"golang.org/x/net/http2"
	"golang.org/x/net/http2/hpack"
)

// This file maps HTTP/2 header blocks onto the RequestHeader and
// ResponseHeader data model: the request rules of RFC 9113 §8.2-8.3
// (pseudo-header fields, lower-case names, connection-specific fields)
// as fields are decoded, and the response header section as it is
// encoded. HPACK itself is golang.org/x/net/http2/hpack.

// Why a request header block is malformed. Each is answered with a
// RST_STREAM of type PROTOCOL_ERROR (RFC 9113 §8.1.1); the texts are for
// logs and tests.
var (
	errH2PseudoOrder   = errors.New("fasthttp: HTTP/2 pseudo-header field after a regular field or in trailers")
	errH2PseudoUnknown = errors.New("fasthttp: unknown or response HTTP/2 pseudo-header field")
	errH2PseudoDup     = errors.New("fasthttp: duplicated HTTP/2 pseudo-header field")
	errH2PseudoMissing = errors.New("fasthttp: HTTP/2 request without :method, :scheme or :path")
	errH2BadPseudo     = errors.New("fasthttp: invalid HTTP/2 pseudo-header field value")
	errH2FieldName     = errors.New("fasthttp: invalid HTTP/2 field name")
	errH2FieldValue    = errors.New("fasthttp: invalid HTTP/2 field value")
	errH2ConnField     = errors.New("fasthttp: connection-specific field in an HTTP/2 request")
	errH2HostMismatch  = errors.New("fasthttp: Host differs from :authority")
	errH2BadTrailer    = errors.New("fasthttp: forbidden field in HTTP/2 trailers")
	errH2HeaderTooBig  = smallBuffer(StatusRequestHeaderFieldsTooLarge, "HTTP/2 header list too large")
)

// strHTTP20 is the protocol RequestHeader.Protocol reports for HTTP/2.
var strHTTP20 = []byte("HTTP/2.0")

// Pseudo-header fields seen so far in a request header block.
const (
	h2SawMethod uint8 = 1 << iota
	h2SawScheme
	h2SawPath
	h2SawAuthority
)

// h2HeaderBlock is the decoding state of the header block being read: the
// HPACK decoder calls back for each field and the fields are checked and
// stored as they come.
type h2HeaderBlock struct {
	st       *h2Stream // nil: decoded only to keep HPACK in step, then dropped
	id       uint32
	trailers bool // a trailer block, after the body
	drop     bool // trailers of a body nobody reads: checked for nothing
	end      bool // END_STREAM was set on the HEADERS frame
	rst      http2.ErrCode

	size     uint32 // header list size, RFC 9113 §6.5.2
	frag     int    // compressed bytes received
	frames   int
	tooLarge bool
	err      error

	pseudo     uint8
	sawRegular bool
	connect    bool
	expect100  bool
	hasExpect  bool
}

// onField is the HPACK decoder's callback.
func (sc *h2Conn) onField(f hpack.HeaderField) {
	hb := &sc.hb
	hb.size += uint32(len(f.Name)+len(f.Value)) + 32
	if hb.size > sc.o.maxHeaderListSize {
		// Stop storing, but go on decoding so that the dynamic table
		// stays in step with the client's.
		hb.tooLarge = true
		sc.dec.SetEmitEnabled(false)
		return
	}
	if hb.err != nil || hb.st == nil || hb.drop {
		return
	}
	name, value := s2b(f.Name), s2b(f.Value)
	if len(name) > 0 && name[0] == ':' {
		hb.err = hb.pseudoField(name, value)
		return
	}
	hb.sawRegular = true
	if err := checkH2Field(name, value); err != nil {
		hb.err = err
		return
	}
	if hb.trailers {
		hb.err = hb.st.addTrailer(name, value, sc.o.disableNormalizing)
		return
	}
	hb.err = hb.regularField(name, value, sc.o.disableNormalizing)
}

// pseudoField stores a request pseudo-header field.
func (hb *h2HeaderBlock) pseudoField(name, value []byte) error {
	if hb.sawRegular || hb.trailers {
		return errH2PseudoOrder
	}
	h := &hb.st.req.Header
	var bit uint8
	switch b2s(name) {
	case ":method":
		bit = h2SawMethod
		if !validToken(value) {
			return errH2BadPseudo
		}
		hb.connect = string(value) == MethodConnect
		if string(value) == MethodGet {
			h.method = h.method[:0]
		} else {
			h.method = append(h.method[:0], value...)
		}
	case ":scheme":
		bit = h2SawScheme
		if !validScheme(value) {
			return errH2BadPseudo
		}
	case ":path":
		bit = h2SawPath
		if len(value) == 0 || !validTargetBytes(value) {
			return errH2BadPseudo
		}
		h.requestURI = append(h.requestURI[:0], value...)
	case ":authority":
		bit = h2SawAuthority
		if !validHost(value) {
			return errH2BadPseudo
		}
		h.host = append(h.host[:0], value...)
		h.hasHost = true
	default:
		return errH2PseudoUnknown
	}
	if hb.pseudo&bit != 0 {
		return errH2PseudoDup
	}
	hb.pseudo |= bit
	return nil
}

// validScheme reports whether b is a URI scheme (RFC 3986 §3.1).
func validScheme(b []byte) bool {
	if len(b) == 0 || !isASCIILetter(b[0]) {
		return false
	}
	for _, c := range b[1:] {
		if !isASCIILetter(c) && (c < '0' || c > '9') && c != '+' && c != '-' && c != '.' {
			return false
		}
	}
	return true
}

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// checkH2Field applies the rules every HTTP/2 request field follows: a
// lower-case token name (RFC 9113 §8.2.1), a value without control bytes
// or surrounding whitespace, and no connection-specific field (§8.2.2).
func checkH2Field(name, value []byte) error {
	if len(name) == 0 {
		return errH2FieldName
	}
	for _, c := range name {
		if !tokenTable[c] || (c >= 'A' && c <= 'Z') {
			return errH2FieldName
		}
	}
	if !validFieldValue(value) {
		return errH2FieldValue
	}
	if n := len(value); n > 0 && (value[0] == ' ' || value[0] == '\t' || value[n-1] == ' ' || value[n-1] == '\t') {
		return errH2FieldValue
	}
	switch b2s(name) {
	case "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade":
		return errH2ConnField
	case "te":
		if string(value) != "trailers" {
			return errH2ConnField
		}
	}
	return nil
}

// regularField stores a request field in the header, under its canonical
// name unless normalizing is off, with the same special-field handling
// as an HTTP/1 request.
func (hb *h2HeaderBlock) regularField(name, value []byte, disableNormalizing bool) error {
	h := &hb.st.req.Header
	normalize := !disableNormalizing
	var kv *argsKV
	h.h, kv = allocKV(h.h)
	kv.key, _ = appendFieldName(kv.key[:0], name, normalize)
	id := lookupField(kv.key, normalize)
	keep := true
	var err error
	switch {
	case id == fieldHost && hb.pseudo&h2SawAuthority != 0:
		// :authority already set the host: a Host field may only agree.
		keep = false
		if !equalFoldASCII(h.host, value) {
			err = errH2HostMismatch
		}
	default:
		if id == fieldOther && len(kv.key) == len(HeaderExpect) && equalFoldString(kv.key, HeaderExpect) {
			hb.hasExpect = true
			hb.expect100 = equalFoldString(value, "100-continue")
		}
		keep, err = h.applyField(id, value)
	}
	if keep && err == nil {
		kv.value = append(kv.value[:0], value...)
		return nil
	}
	h.h = h.h[:len(h.h)-1]
	return err
}

// finishRequest checks what needs the whole block and completes the
// request line. endStream tells whether the request has a body to come.
func (hb *h2HeaderBlock) finishRequest() error {
	h := &hb.st.req.Header
	if hb.connect {
		// RFC 9113 §8.5: CONNECT names only the authority.
		if hb.pseudo != h2SawMethod|h2SawAuthority {
			return errH2PseudoMissing
		}
		h.requestURI = append(h.requestURI[:0], h.host...)
	} else {
		if hb.pseudo&(h2SawMethod|h2SawScheme|h2SawPath) != h2SawMethod|h2SawScheme|h2SawPath {
			return errH2PseudoMissing
		}
		p := h.requestURI
		if p[0] != '/' && (len(p) != 1 || p[0] != '*' || !h.IsOptions()) {
			return errH2BadPseudo
		}
	}
	h.proto = append(h.proto[:0], strHTTP20...)
	h.noHTTP11 = false
	if !h.hasContentLength {
		switch {
		case !hb.end:
			// A body of unknown length follows, as with chunked framing.
			h.contentLength = -1
		case h.ignoreBody():
			h.noBodyFraming = true
		}
	}
	return nil
}

// addTrailer stores one field of the request's trailer block. Trailers of
// a buffered body go straight into the header; those of a streamed body
// wait in the stream until the handler reads to the end of the body.
func (st *h2Stream) addTrailer(name, value []byte, disableNormalizing bool) error {
	if forbiddenTrailer(name) {
		return errH2BadTrailer
	}
	var list *[]argsKV
	if st.pipe != nil {
		list = &st.pipe.trailer
	} else {
		list = &st.req.Header.h
	}
	var kv *argsKV
	*list, kv = allocKV(*list)
	kv.key, _ = appendFieldName(kv.key[:0], name, !disableNormalizing)
	kv.value = append(kv.value[:0], value...)
	if st.pipe == nil {
		h := &st.req.Header
		if !inTrailer(h.trailer, kv.key) {
			var nk *argsKV
			h.trailer, nk = allocKV(h.trailer)
			nk.key = append(nk.key[:0], kv.key...)
			nk.value = nk.value[:0]
			nk.noValue = true
		}
	}
	return nil
}

// The response side. Field values that usually repeat from one response
// to the next (Server, Content-Type, Date...) are added to the HPACK
// dynamic table, so they cost one byte after the first response; the
// others are sent as literals that are never indexed, straight from the
// header's own bytes, which costs no allocation. Indexed values must be
// strings that never change, hence h2ValueCache.

// h2ValueCache keeps the indexable values a connection sent lately as
// strings, so that a repeated value is neither allocated again nor added
// to the dynamic table again.
type h2ValueCache struct {
	ents [8]struct{ name, val string }
	next int
}

func (c *h2ValueCache) intern(name string, v []byte) string {
	for i := range c.ents {
		if e := &c.ents[i]; e.name == name && e.val == b2s(v) {
			return e.val
		}
	}
	s := string(v)
	c.ents[c.next].name, c.ents[c.next].val = name, s
	c.next = (c.next + 1) % len(c.ents)
	return s
}

// indexed writes a field whose value is kept in the dynamic table.
func (w *h2Writer) indexed(name string, value []byte) {
	_ = w.enc.WriteField(hpack.HeaderField{Name: name, Value: w.vals.intern(name, value)})
}

// literal writes a field that is never indexed. name and value may be
// scratch bytes: the encoder keeps neither.
func (w *h2Writer) literal(name string, value []byte) {
	_ = w.enc.WriteField(hpack.HeaderField{Name: name, Value: b2s(value), Sensitive: true})
}

// h2StatusText holds the :status values of the codes from 100 to 599.
var h2StatusText = func() (t [500]string) {
	for i := range t {
		t[i] = strconv.Itoa(i + 100)
	}
	return
}()

func h2Status(code int) string {
	if code >= 100 && code < 600 {
		return h2StatusText[code-100]
	}
	return strconv.Itoa(code)
}

// encodeResponseHeader encodes the header section of a response into
// w.hbuf. contentLength is the body length to announce, or -1 when it is
// not known before the body is sent. The caller holds the writer.
func (w *h2Writer) encodeResponseHeader(h *ResponseHeader, contentLength int) {
	w.hbuf.Reset()
	code := h.StatusCode()
	_ = w.enc.WriteField(hpack.HeaderField{Name: ":status", Value: h2Status(code)})
	if len(h.server) > 0 {
		w.indexed("server", h.server)
	}
	if !h.noDefaultDate {
		line := currentDateLine() // "Date: ...\r\n", never changed once built
		_ = w.enc.WriteField(hpack.HeaderField{Name: "date", Value: b2s(line[6 : len(line)-2])})
	}
	bodyAllowed := !h.mustSkipContentLength()
	if len(h.contentType) > 0 {
		w.indexed("content-type", h.contentType)
	} else if bodyAllowed && contentLength != 0 && !h.noDefaultContentType {
		w.indexed("content-type", strDefaultContentType)
	}
	if len(h.contentEncoding) > 0 {
		w.indexed("content-encoding", h.contentEncoding)
	}
	if bodyAllowed && contentLength >= 0 {
		w.name = AppendUint(w.name[:0], contentLength)
		w.literal("content-length", w.name)
	}
	for i := range h.h {
		kv := &h.h[i]
		if len(h.trailer) > 0 && inTrailer(h.trailer, kv.key) {
			continue
		}
		w.field(kv.key, kv.value)
	}
	if len(h.trailer) > 0 {
		w.name = appendTrailerNames(w.name[:0], h.trailer)
		w.literal("trailer", w.name)
	}
	for i := range h.cookies {
		w.literal("set-cookie", h.cookies[i].value)
	}
}

// field writes an ordinary response field under its lower-case name,
// dropping the connection-specific fields HTTP/2 forbids.
func (w *h2Writer) field(key, value []byte) {
	w.name = appendLower(w.name[:0], key)
	name := b2s(w.name)
	switch name {
	case "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade":
		return
	case "cache-control":
		w.indexed("cache-control", value)
	case "vary":
		w.indexed("vary", value)
	default:
		w.literal(name, value)
	}
}

// encodeTrailers encodes the announced trailer fields that have a value
// into w.hbuf and reports whether there was any.
func (w *h2Writer) encodeTrailers(h *ResponseHeader) bool {
	w.hbuf.Reset()
	any := false
	for i := range h.trailer {
		for j := range h.h {
			kv := &h.h[j]
			if equalFoldASCII(kv.key, h.trailer[i].key) {
				w.name = appendLower(w.name[:0], kv.key)
				w.literal(b2s(w.name), kv.value)
				any = true
			}
		}
	}
	return any
}

// encodeInterim encodes an informational response: its status and, for
// 103 Early Hints, the Link fields of h.
func (w *h2Writer) encodeInterim(code int, h *ResponseHeader) {
	w.hbuf.Reset()
	_ = w.enc.WriteField(hpack.HeaderField{Name: ":status", Value: h2Status(code)})
	if h == nil {
		return
	}
	for i := range h.h {
		kv := &h.h[i]
		if equalFoldString(kv.key, HeaderLink) {
			w.literal("link", kv.value)
		}
	}
}

func appendLower(dst, s []byte) []byte {
	for _, c := range s {
		dst = append(dst, toLowerTable[c])
	}
	return dst
}
