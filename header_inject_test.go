package fasthttp

import (
	"bufio"
	"bytes"
	"strings"
	"testing"
)

// hdrEvil holds the bytes that could split a header if they reached the
// wire: each setter below gets a value carrying one of them followed by an
// injected field.
var hdrEvil = []string{"\r\nX-Evil: 1", "\nX-Evil: 1", "\rX-Evil: 1", "\x00X-Evil: 1", "\r\n\r\nX-Evil: 1"}

// hdrCheckWire fails when the serialized header section has a control byte
// inside a line, or when a field named X-Evil appears in it.
func hdrCheckWire(t *testing.T, what string, wire []byte) {
	t.Helper()
	body := bytes.TrimSuffix(wire, []byte("\r\n\r\n"))
	if len(body) == len(wire) {
		t.Errorf("%s: header does not end with an empty line: %q", what, wire)
		return
	}
	for _, line := range bytes.Split(body, []byte("\r\n")) {
		for _, c := range line {
			if c < 0x20 && c != '\t' || c == 0x7f {
				t.Errorf("%s: control byte %#x in line %q", what, c, line)
				break
			}
		}
		if bytes.HasPrefix(bytes.ToLower(line), []byte("x-evil")) {
			t.Errorf("%s: injected field in %q", what, wire)
		}
	}
}

func TestRequestHeaderSettersNeverInject(t *testing.T) {
	setters := map[string]func(h *RequestHeader, v string){
		"Set value":      func(h *RequestHeader, v string) { h.Set("X-A", v) },
		"Add value":      func(h *RequestHeader, v string) { h.Add("X-A", v) },
		"SetBytesV":      func(h *RequestHeader, v string) { h.SetBytesV("X-A", []byte(v)) },
		"SetCanonical":   func(h *RequestHeader, v string) { h.SetCanonical([]byte("X-A"), []byte(v)) },
		"Set name":       func(h *RequestHeader, v string) { h.Set("X-A"+v, "v") },
		"Add name":       func(h *RequestHeader, v string) { h.AddBytesK([]byte("X-A"+v), "v") },
		"SetCanonical k": func(h *RequestHeader, v string) { h.SetCanonical([]byte("X-A"+v), []byte("v")) },
		"SetHost":        func(h *RequestHeader, v string) { h.SetHost("h" + v) },
		"Set Host":       func(h *RequestHeader, v string) { h.Set("Host", "h"+v) },
		"SetUserAgent":   func(h *RequestHeader, v string) { h.SetUserAgentBytes([]byte("u" + v)) },
		"SetContentType": func(h *RequestHeader, v string) { h.SetContentType("t" + v) },
		"SetReferer":     func(h *RequestHeader, v string) { h.SetReferer("r" + v) },
		"SetContentEnc":  func(h *RequestHeader, v string) { h.SetContentEncoding("g" + v) },
		"Set Connection": func(h *RequestHeader, v string) { h.Set("Connection", "keep-alive"+v) },
		"SetCookie val":  func(h *RequestHeader, v string) { h.SetCookie("k", "v"+v) },
		"SetCookie key":  func(h *RequestHeader, v string) { h.SetCookie("k"+v, "v") },
		"Set Cookie":     func(h *RequestHeader, v string) { h.Set("Cookie", "k=v"+v) },
		"Boundary":       func(h *RequestHeader, v string) { h.SetMultipartFormBoundary("b" + v) },
		"SetMethod":      func(h *RequestHeader, v string) { h.SetMethod("GET" + v) },
		"SetRequestURI":  func(h *RequestHeader, v string) { h.SetRequestURI("/a" + v) },
		"SetProtocol":    func(h *RequestHeader, v string) { h.SetProtocol("HTTP/1.1" + v) },
		"SetTrailer":     func(h *RequestHeader, v string) { _ = h.SetTrailer("X-T" + v) },
		"DisableSpecial": func(h *RequestHeader, v string) {
			h.DisableSpecialHeader()
			h.SetHost("h" + v)
			h.Set("Content-Type", v)
		},
		"DisableNorm":  func(h *RequestHeader, v string) { h.DisableNormalizing(); h.Set("x-a", v); h.Set("x-b"+v, "v") },
		"control name": func(h *RequestHeader, v string) { h.Set(v[:1], "v"); h.Add(v[:1]+"X", "v") },
	}
	for name, set := range setters {
		for _, evil := range hdrEvil {
			var h RequestHeader
			h.SetHost("h")
			set(&h, evil)
			wire := h.Header()
			hdrCheckWire(t, name, wire)
			// A request line with stray spaces may be refused, but no
			// parse of the result may see the injected field.
			var back RequestHeader
			if err := back.Read(bufio.NewReader(bytes.NewReader(wire))); err == nil && back.Peek("X-Evil") != nil {
				t.Errorf("%s: X-Evil parsed back from %q", name, wire)
			}
		}
	}
}

func TestRequestHeaderTrailerNeverInjects(t *testing.T) {
	var h RequestHeader
	if err := h.SetTrailer("X-T"); err != nil {
		t.Fatal(err)
	}
	h.Set("X-T", "v\r\nX-Evil: 1")
	hdrCheckWire(t, "TrailerHeader", h.TrailerHeader())
	if err := h.AddTrailer("X-U\r\nX-Evil"); err == nil {
		t.Error("trailer name with CRLF accepted")
	}
	hdrCheckWire(t, "TrailerHeader", h.TrailerHeader())
}

func TestResponseHeaderSettersNeverInject(t *testing.T) {
	setters := map[string]func(h *ResponseHeader, v string){
		"Set value":        func(h *ResponseHeader, v string) { h.Set("X-A", v) },
		"Add value":        func(h *ResponseHeader, v string) { h.AddBytesV("X-A", []byte(v)) },
		"SetBytesKV":       func(h *ResponseHeader, v string) { h.SetBytesKV([]byte("X-A"), []byte(v)) },
		"Set name":         func(h *ResponseHeader, v string) { h.Set("X-A"+v, "v") },
		"Add name":         func(h *ResponseHeader, v string) { h.Add("X-A"+v, "v") },
		"Location":         func(h *ResponseHeader, v string) { h.Set("Location", "/x"+v) },
		"SetStatusMessage": func(h *ResponseHeader, v string) { h.SetStatusMessage([]byte("OK" + v)) },
		"custom status":    func(h *ResponseHeader, v string) { h.SetStatusCode(299); h.SetStatusMessage([]byte("Fine" + v)) },
		"SetContentType":   func(h *ResponseHeader, v string) { h.SetContentType("t" + v) },
		"SetContentTypeB":  func(h *ResponseHeader, v string) { h.SetContentTypeBytes([]byte("t" + v)) },
		"Set Content-Type": func(h *ResponseHeader, v string) { h.Set("Content-Type", "t"+v) },
		"SetServer":        func(h *ResponseHeader, v string) { h.SetServer("s" + v) },
		"SetContentEnc":    func(h *ResponseHeader, v string) { h.SetContentEncodingBytes([]byte("g" + v)) },
		"Set-Cookie field": func(h *ResponseHeader, v string) { h.Set("Set-Cookie", "a=b"+v) },
		"Add Set-Cookie":   func(h *ResponseHeader, v string) { h.Add("Set-Cookie", "a=b"+v) },
		"Cookie value": func(h *ResponseHeader, v string) {
			c := AcquireCookie()
			c.SetKey("k")
			c.SetValue("v" + v)
			c.SetPath("/p" + v)
			c.SetDomain("d" + v)
			h.SetCookie(c)
			ReleaseCookie(c)
		},
		"DelClientCookie": func(h *ResponseHeader, v string) { h.DelClientCookie("k" + v) },
		"Set Date":        func(h *ResponseHeader, v string) { h.Set("Date", "d"+v) },
		"Set Connection":  func(h *ResponseHeader, v string) { h.Set("Connection", "Upgrade"+v) },
		"SetProtocol":     func(h *ResponseHeader, v string) { h.SetProtocol([]byte("HTTP/1.0" + v)) },
		"SetTrailer":      func(h *ResponseHeader, v string) { _ = h.SetTrailer("X-T" + v) },
		"DisableNorm":     func(h *ResponseHeader, v string) { h.DisableNormalizing(); h.Set("x-a"+v, v) },
		"control name":    func(h *ResponseHeader, v string) { h.Set(v[:1], "v"); h.SetBytesK([]byte(v[:1]), "v") },
	}
	for name, set := range setters {
		for _, evil := range hdrEvil {
			var h ResponseHeader
			h.SetContentLength(0)
			set(&h, evil)
			wire := h.Header()
			hdrCheckWire(t, name, wire)
			var back ResponseHeader
			if err := back.Read(bufio.NewReader(bytes.NewReader(wire))); err == nil && back.Peek("X-Evil") != nil {
				t.Errorf("%s: X-Evil parsed back from %q", name, wire)
			}
		}
	}
}

func TestHeaderInjectionSanitizesWithSpaces(t *testing.T) {
	// The replacement is visible and predictable: each control byte
	// becomes one space on the wire, tabs stay. CR and LF are replaced
	// when set; the others (NUL …) stay for Peek, as upstream keeps them,
	// and are replaced when written.
	var h ResponseHeader
	h.Set("X-A", "a\r\nb\x00c\td")
	if got := string(h.Peek("X-A")); got != "a  b\x00c\td" {
		t.Fatalf("stored value %q", got)
	}
	if !strings.Contains(h.String(), "\r\nX-A: a  b c\td\r\n") {
		t.Fatalf("String = %q", h.String())
	}
	var r RequestHeader
	r.SetHost("h\r\nX")
	if got := string(r.Host()); got != "h  X" {
		t.Fatalf("sanitized host %q", got)
	}
	if !strings.Contains(r.String(), "Host: h  X\r\n") {
		t.Fatalf("String = %q", r.String())
	}
}
