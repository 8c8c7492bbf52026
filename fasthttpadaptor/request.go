package fasthttpadaptor

import (
	"bytes"
	"encoding/base64"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/valyala/fasthttp"
)

// ConvertRequest fills r from the request of ctx. r.URL is parsed from the
// request target as a server would (a path, or an absolute URL when the
// target was absolute). Set forServer when r goes to an http.Handler:
// r.RequestURI is then set too; otherwise it stays empty, as http.Client
// requires. The context of r becomes ctx.
//
// r refers to memory owned by ctx (its body in particular): it must not be
// used after the fasthttp handler has returned.
func ConvertRequest(ctx *fasthttp.RequestCtx, r *http.Request, forServer bool) error {
	if err := convertRequest(ctx, r, forServer); err != nil {
		return err
	}
	*r = *r.WithContext(ctx)
	return nil
}

// convertRequest is ConvertRequest without touching the context of r.
func convertRequest(ctx *fasthttp.RequestCtx, r *http.Request, forServer bool) error {
	fr := &ctx.Request
	r.Method = internMethod(fr.Header.Method())
	r.Proto, r.ProtoMajor, r.ProtoMinor = protoVersion(fr.Header.Protocol())
	r.RemoteAddr = ctx.RemoteAddr().String()
	r.Close = fr.Header.ConnectionClose()
	if state := ctx.TLSConnectionState(); state != nil {
		// A copy: ctx keeps one state per connection and is reused.
		ts := *state
		r.TLS = &ts
	} else {
		r.TLS = nil
	}

	var err error
	requestURI := string(ctx.RequestURI())
	r.URL, err = url.ParseRequestURI(requestURI)
	if forServer {
		r.RequestURI = requestURI
	} else {
		r.RequestURI = ""
	}
	if err != nil {
		return err
	}
	// The Host field, as in net/http: from an absolute request target,
	// else from the Host header field.
	if r.URL.Host != "" {
		r.Host = r.URL.Host
	} else if h := fr.Header.Host(); len(h) > 0 {
		r.Host = string(h)
	} else {
		r.Host = string(ctx.Host())
	}

	r.Header = convertHeader(&fr.Header)
	r.TransferEncoding = nil
	r.Trailer = nil

	if fr.IsBodyStream() {
		r.Body = io.NopCloser(fr.BodyStream())
		r.ContentLength = int64(fr.Header.ContentLength())
		if r.ContentLength < 0 {
			r.ContentLength = -1
		}
		return nil
	}
	body := fr.Body()
	r.ContentLength = int64(len(body))
	if len(body) == 0 {
		r.Body = http.NoBody
	} else {
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	return nil
}

// convertHeader copies the fields of h into a new http.Header. Host is left
// out (it is Request.Host) and so is Transfer-Encoding: the body reaches the
// handler already decoded.
func convertHeader(h *fasthttp.RequestHeader) http.Header {
	n := h.Len()
	hdr := make(http.Header, n)
	// One backing array for the usual single values, as net/textproto does.
	values := make([]string, 0, n)
	for k, v := range h.All() {
		key := internHeaderKey(k)
		if key == "Host" || key == "Transfer-Encoding" {
			continue
		}
		if prev, ok := hdr[key]; ok || len(values) == cap(values) {
			hdr[key] = append(prev, string(v))
			continue
		}
		values = append(values, string(v))
		hdr[key] = values[len(values)-1 : len(values) : len(values)]
	}
	return hdr
}

// ConvertNetHTTPRequestToFastHTTPRequest fills req from r: method, target,
// Host, header fields, body (read to its end) and, when r.URL carries a
// user name, an Authorization: Basic field as net/http's client would send.
func ConvertNetHTTPRequestToFastHTTPRequest(r *http.Request, req *fasthttp.Request) {
	method := r.Method
	if method == "" {
		method = http.MethodGet
	}
	req.Header.SetMethod(method)

	target := r.RequestURI
	host := r.Host
	scheme := ""
	if r.URL != nil {
		target = r.URL.RequestURI()
		if host == "" {
			host = r.URL.Host
		}
		scheme = r.URL.Scheme
	}
	if target == "" {
		target = "/"
	}
	req.SetRequestURI(target)
	if host != "" {
		req.Header.SetHost(host)
	}
	if strings.EqualFold(scheme, "https") {
		req.URI().SetScheme("https")
	}

	for k, vv := range r.Header {
		if strings.EqualFold(k, "Host") {
			continue
		}
		for _, v := range vv {
			req.Header.Add(k, v)
		}
	}
	if r.URL != nil && r.URL.User != nil && len(r.Header["Authorization"]) == 0 {
		user := r.URL.User.Username()
		pass, _ := r.URL.User.Password()
		req.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(user+":"+pass)))
	}
	if r.Close {
		req.SetConnectionClose()
	}

	if r.Body != nil && r.Body != http.NoBody {
		_, _ = io.Copy(req.BodyWriter(), r.Body)
		_ = r.Body.Close()
	}
}
