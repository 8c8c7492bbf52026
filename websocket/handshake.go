package websocket

import (
	"bytes"
	"crypto/sha1"
	"encoding/base64"
	"strconv"
)

// keyGUID is appended to Sec-WebSocket-Key before hashing (§4.2.2).
const keyGUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

// acceptKey computes Sec-WebSocket-Accept for a Sec-WebSocket-Key.
func acceptKey(key []byte) string {
	h := sha1.New()
	h.Write(key)
	h.Write([]byte(keyGUID))
	var sum [sha1.Size]byte
	return base64.StdEncoding.EncodeToString(h.Sum(sum[:0]))
}

// validKey reports whether key is the base64 form of 16 bytes (§4.1).
func validKey(key []byte) bool {
	if len(key) != 24 {
		return false
	}
	var raw [18]byte
	n, err := base64.StdEncoding.Decode(raw[:], key)
	return err == nil && n == 16
}

// isTchar reports whether b may appear in an HTTP token (RFC 9110 §5.6.2).
func isTchar(b byte) bool {
	switch {
	case b >= 'a' && b <= 'z', b >= 'A' && b <= 'Z', b >= '0' && b <= '9':
		return true
	}
	return bytes.IndexByte([]byte("!#$%&'*+-.^_`|~"), b) >= 0
}

func isToken(s []byte) bool {
	if len(s) == 0 {
		return false
	}
	for _, b := range s {
		if !isTchar(b) {
			return false
		}
	}
	return true
}

func trimOWS(s []byte) []byte { return bytes.Trim(s, " \t") }

// hasToken reports whether any of the comma-separated lists in values holds
// token, compared without regard to case (Connection: keep-alive, Upgrade).
func hasToken(values [][]byte, token string) bool {
	for _, v := range values {
		for len(v) > 0 {
			var item []byte
			if i := bytes.IndexByte(v, ','); i >= 0 {
				item, v = v[:i], v[i+1:]
			} else {
				item, v = v, nil
			}
			if bytes.EqualFold(trimOWS(item), []byte(token)) {
				return true
			}
		}
	}
	return false
}

// tokenList splits comma-separated lists of tokens (Sec-WebSocket-Protocol),
// dropping empty items; ok is false when an item is not a token.
func tokenList(values [][]byte) (list []string, ok bool) {
	for _, v := range values {
		for _, item := range bytes.Split(v, []byte{','}) {
			item = trimOWS(item)
			if len(item) == 0 {
				continue
			}
			if !isToken(item) {
				return nil, false
			}
			list = append(list, string(item))
		}
	}
	return list, true
}

// extension is one item of a Sec-WebSocket-Extensions list.
type extension struct {
	name   string
	params []extParam
}

type extParam struct {
	name     string
	value    string
	hasValue bool
}

// parseExtensions parses Sec-WebSocket-Extensions field values (§9.1):
// extension *( ";" param ), param = token [ "=" ( token / quoted-string ) ],
// where a quoted value must itself be a token.
func parseExtensions(values [][]byte) ([]extension, bool) {
	var exts []extension
	for _, v := range values {
		p := extParser{s: v}
		for {
			p.skipOWS()
			if p.done() {
				break
			}
			if p.peek() == ',' {
				p.i++
				continue
			}
			name, ok := p.token()
			if !ok {
				return nil, false
			}
			ext := extension{name: string(name)}
			for {
				p.skipOWS()
				if p.done() || p.peek() == ',' {
					break
				}
				if p.peek() != ';' {
					return nil, false
				}
				p.i++
				p.skipOWS()
				pn, ok := p.token()
				if !ok {
					return nil, false
				}
				param := extParam{name: string(pn)}
				p.skipOWS()
				if !p.done() && p.peek() == '=' {
					p.i++
					p.skipOWS()
					val, ok := p.value()
					if !ok {
						return nil, false
					}
					param.value, param.hasValue = string(val), true
				}
				ext.params = append(ext.params, param)
			}
			exts = append(exts, ext)
		}
	}
	return exts, true
}

type extParser struct {
	s []byte
	i int
}

func (p *extParser) done() bool { return p.i >= len(p.s) }
func (p *extParser) peek() byte { return p.s[p.i] }

func (p *extParser) skipOWS() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t') {
		p.i++
	}
}

func (p *extParser) token() ([]byte, bool) {
	start := p.i
	for p.i < len(p.s) && isTchar(p.s[p.i]) {
		p.i++
	}
	return p.s[start:p.i], p.i > start
}

func (p *extParser) value() ([]byte, bool) {
	if p.done() || p.peek() != '"' {
		return p.token()
	}
	p.i++
	var out []byte
	for p.i < len(p.s) {
		b := p.s[p.i]
		p.i++
		switch b {
		case '"':
			return out, isToken(out)
		case '\\':
			if p.i >= len(p.s) {
				return nil, false
			}
			b = p.s[p.i]
			p.i++
		}
		out = append(out, b)
	}
	return nil, false
}

// deflateParams are the negotiated permessage-deflate parameters (RFC 7692
// §7.1), as the server's response states them.
type deflateParams struct {
	serverNoContext bool
	clientNoContext bool
	serverBits      int // server_max_window_bits; 0 when absent
	clientBits      int // client_max_window_bits; 0 when absent, -1 with no value (offers only)
}

const extPermessageDeflate = "permessage-deflate"

// parseDeflateParams reads one permessage-deflate item. ok is false when
// a parameter is unknown, repeated or out of range (§7.1: such an offer is
// declined, such a response fails the handshake).
func parseDeflateParams(params []extParam, response bool) (deflateParams, bool) {
	var d deflateParams
	var seen uint8 // one bit per known parameter: none may repeat
	for _, p := range params {
		bit := uint8(0)
		switch p.name {
		case "server_no_context_takeover":
			bit = 1
		case "client_no_context_takeover":
			bit = 2
		case "server_max_window_bits":
			bit = 4
		case "client_max_window_bits":
			bit = 8
		}
		if seen&bit != 0 {
			return d, false
		}
		seen |= bit
		switch p.name {
		case "server_no_context_takeover":
			if p.hasValue {
				return d, false
			}
			d.serverNoContext = true
		case "client_no_context_takeover":
			if p.hasValue {
				return d, false
			}
			d.clientNoContext = true
		case "server_max_window_bits":
			bits, ok := windowBits(p)
			if !ok {
				return d, false
			}
			d.serverBits = bits
		case "client_max_window_bits":
			if !p.hasValue {
				if response {
					return d, false
				}
				d.clientBits = -1
				continue
			}
			bits, ok := windowBits(p)
			if !ok {
				return d, false
			}
			d.clientBits = bits
		default:
			return d, false
		}
	}
	return d, true
}

// windowBits parses a max_window_bits value: a decimal 8 to 15, without
// leading zeros (§7.1.2).
func windowBits(p extParam) (int, bool) {
	if !p.hasValue || len(p.value) == 0 || len(p.value) > 2 || p.value[0] == '0' {
		return 0, false
	}
	n, err := strconv.Atoi(p.value)
	if err != nil || n < 8 || n > 15 {
		return 0, false
	}
	return n, true
}

// negotiateDeflate picks the first permessage-deflate offer this server
// can accept under mode and returns the parameters and the response item.
func negotiateDeflate(mode CompressionMode, exts []extension) (deflateParams, string, bool) {
	if mode != CompressionNoContextTakeover && mode != CompressionContextTakeover {
		return deflateParams{}, "", false
	}
	for _, ext := range exts {
		if ext.name != extPermessageDeflate {
			continue
		}
		offer, ok := parseDeflateParams(ext.params, false)
		if !ok {
			continue
		}
		var d deflateParams
		resp := extPermessageDeflate
		if mode == CompressionNoContextTakeover || offer.serverNoContext {
			d.serverNoContext = true
			resp += "; server_no_context_takeover"
		}
		if mode == CompressionNoContextTakeover || offer.clientNoContext {
			d.clientNoContext = true
			resp += "; client_no_context_takeover"
		}
		if offer.serverBits > 0 {
			// Honoured: the compressor uses that window.
			d.serverBits = offer.serverBits
			resp += "; server_max_window_bits=" + strconv.Itoa(offer.serverBits)
		}
		// client_max_window_bits needs no answer: the inflater takes any
		// window up to 32 KiB.
		return d, resp, true
	}
	return deflateParams{}, "", false
}

// deflateOffer is the Sec-WebSocket-Extensions value Dial sends for mode.
// It always allows the server to limit the client's window.
func deflateOffer(mode CompressionMode) string {
	if mode != CompressionNoContextTakeover && mode != CompressionContextTakeover {
		return ""
	}
	offer := extPermessageDeflate
	if mode == CompressionNoContextTakeover {
		offer += "; client_no_context_takeover; server_no_context_takeover"
	}
	return offer + "; client_max_window_bits"
}
