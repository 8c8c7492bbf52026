package fasthttp

import (
	"bytes"
	"crypto/tls"
	"sync"
	"time"
)

// Client sends requests to any host, keeping a HostClient (and so a pool
// of keep-alive connections) per host and scheme. The zero value is ready
// to use; settings must not change once it is in use. It is safe for
// concurrent use.
//
// Client does not follow redirects in Do; DoRedirects, Get and Post do.
type Client struct {
	noCopy noCopy

	// Transport, when set, replaces the built-in HTTP/1.1 transport of
	// every host; see RoundTripper.
	Transport RoundTripper

	// DialTimeout dials new connections with what is left of the
	// request's time; it takes precedence over Dial.
	DialTimeout DialFuncWithTimeout

	// Dial dials new connections. When neither Dial nor DialTimeout is set,
	// a TCPDialer with DNS caching is used.
	Dial DialFunc

	// TLSConfig configures https connections; ServerName defaults to the
	// request's host. nil means Go's defaults (system roots).
	TLSConfig *tls.Config

	// RetryIf decides whether a failed request is sent again.
	//
	// Deprecated: use RetryIfErr.
	RetryIf RetryIfFunc

	// RetryIfErr decides whether a failed request is sent again; see
	// RetryIfErrFunc. When nil, only idempotent requests are retried.
	RetryIfErr RetryIfErrFunc

	// RetryIfErrUpstream is RetryIfErr with the failing upstream address;
	// it takes precedence over RetryIfErr and RetryIf.
	RetryIfErrUpstream RetryIfErrUpstreamFunc

	// ConfigureClient, when set, is called with each new HostClient before
	// its first request, to adjust its settings. An error fails that
	// request and the HostClient is not kept.
	ConfigureClient func(hc *HostClient) error

	// Name is sent as User-Agent when the request has none; "fasthttp"
	// when empty.
	Name string

	// MaxConnsPerHost caps the connections to each host;
	// DefaultMaxConnsPerHost when 0.
	MaxConnsPerHost int

	// MaxIdleConnDuration closes connections idle for longer;
	// DefaultMaxIdleConnDuration when 0.
	MaxIdleConnDuration time.Duration

	// MaxConnDuration closes keep-alive connections older than this (0: no
	// limit).
	MaxConnDuration time.Duration

	// MaxIdemponentCallAttempts caps the attempts of a request that may be
	// retried; DefaultMaxIdemponentCallAttempts when 0.
	MaxIdemponentCallAttempts int

	// ReadBufferSize is the per-connection read buffer size, which also
	// caps the size of a response header; 4096 when 0.
	ReadBufferSize int

	// WriteBufferSize is the per-connection write buffer size; 4096 when 0.
	WriteBufferSize int

	// ReadTimeout bounds reading each response, body included (0: none).
	ReadTimeout time.Duration

	// WriteTimeout bounds writing each request, body included (0: none).
	WriteTimeout time.Duration

	// MaxResponseBodySize makes responses with a larger body fail with
	// ErrBodyTooLarge (0: no limit).
	MaxResponseBodySize int

	// MaxConnWaitTimeout is how long a request waits for a connection when
	// MaxConnsPerHost are busy; 0 fails at once with ErrNoFreeConns.
	MaxConnWaitTimeout time.Duration

	// ConnPoolStrategy chooses the idle connection to reuse: FIFO (the
	// default) or LIFO.
	ConnPoolStrategy ConnPoolStrategyType

	// NoDefaultUserAgentHeader sends no User-Agent unless the request sets
	// one.
	NoDefaultUserAgentHeader bool

	// DialDualStack lets the built-in dialer use IPv6 as well as IPv4.
	DialDualStack bool

	// DisableHeaderNamesNormalizing keeps header names as given in
	// requests and as received in responses.
	DisableHeaderNamesNormalizing bool

	// DisablePathNormalizing sends request paths exactly as given.
	DisablePathNormalizing bool

	// StreamResponseBody exposes response bodies through
	// Response.BodyStream instead of reading them whole.
	StreamResponseBody bool

	mu             sync.RWMutex
	m              map[string]*HostClient // http hosts
	ms             map[string]*HostClient // https hosts
	cleanerRunning bool
	readerPool     sync.Pool
	writerPool     sync.Pool
}

// defaultClient serves the package-level Do, Get and Post functions.
var defaultClient Client

// Do sends req with the default client; see Client.Do.
func Do(req *Request, resp *Response) error { return defaultClient.Do(req, resp) }

// DoTimeout sends req with the default client; see Client.DoTimeout.
func DoTimeout(req *Request, resp *Response, timeout time.Duration) error {
	return defaultClient.DoTimeout(req, resp, timeout)
}

// DoDeadline sends req with the default client; see Client.DoDeadline.
func DoDeadline(req *Request, resp *Response, deadline time.Time) error {
	return defaultClient.DoDeadline(req, resp, deadline)
}

// DoRedirects sends req with the default client, following up to
// maxRedirectsCount redirects; see Client.DoRedirects.
func DoRedirects(req *Request, resp *Response, maxRedirectsCount int) error {
	return defaultClient.DoRedirects(req, resp, maxRedirectsCount)
}

// Get fetches url with the default client; see Client.Get.
func Get(dst []byte, url string) (statusCode int, body []byte, err error) {
	return defaultClient.Get(dst, url)
}

// GetTimeout fetches url with the default client within timeout.
func GetTimeout(dst []byte, url string, timeout time.Duration) (statusCode int, body []byte, err error) {
	return defaultClient.GetTimeout(dst, url, timeout)
}

// GetDeadline fetches url with the default client before deadline.
func GetDeadline(dst []byte, url string, deadline time.Time) (statusCode int, body []byte, err error) {
	return defaultClient.GetDeadline(dst, url, deadline)
}

// Post posts postArgs to url with the default client; see Client.Post.
func Post(dst []byte, url string, postArgs *Args) (statusCode int, body []byte, err error) {
	return defaultClient.Post(dst, url, postArgs)
}

// Get sends a GET request for url, following redirects, and returns the
// status code and body, appended to dst[:0].
func (c *Client) Get(dst []byte, url string) (statusCode int, body []byte, err error) {
	return clientGetURL(c, dst, url, time.Time{})
}

// GetTimeout is Get bounded by timeout, redirects included. It returns
// ErrTimeout when the time runs out.
func (c *Client) GetTimeout(dst []byte, url string, timeout time.Duration) (statusCode int, body []byte, err error) {
	return clientGetURL(c, dst, url, time.Now().Add(timeout))
}

// GetDeadline is Get bounded by deadline, redirects included.
func (c *Client) GetDeadline(dst []byte, url string, deadline time.Time) (statusCode int, body []byte, err error) {
	return clientGetURL(c, dst, url, deadline)
}

// Post sends a POST request for url with postArgs as an
// application/x-www-form-urlencoded body (empty when nil), following
// redirects, and returns the status code and body, appended to dst[:0].
func (c *Client) Post(dst []byte, url string, postArgs *Args) (statusCode int, body []byte, err error) {
	return clientPostURL(c, dst, url, postArgs)
}

// Do sends req to the host of its URI (http or https) and reads the
// response into resp. It does not follow redirects. Idempotent requests
// are retried on connection failures. A timeout set with req.SetTimeout
// bounds the whole call.
func (c *Client) Do(req *Request, resp *Response) error {
	return c.doDeadline(req, resp, requestDeadline(req))
}

// DoTimeout is Do bounded by timeout: dialing, waiting for a connection,
// writing and reading all count. It returns ErrTimeout when the time runs
// out, even if the server never answers.
func (c *Client) DoTimeout(req *Request, resp *Response, timeout time.Duration) error {
	return c.doDeadline(req, resp, time.Now().Add(timeout))
}

// DoDeadline is Do bounded by deadline; see DoTimeout.
func (c *Client) DoDeadline(req *Request, resp *Response, deadline time.Time) error {
	return c.doDeadline(req, resp, deadline)
}

// DoRedirects is Do that follows up to maxRedirectsCount redirects,
// returning ErrTooManyRedirects past that. req is updated along the way:
// a 301 or 302 turns POST into GET and a 303 turns every method but HEAD
// into GET, dropping the body and the fields describing it; 307 and 308
// repeat the request as it was. A redirect to a host other than the first
// request's (or a subdomain of it) drops Authorization, Proxy-Authorization,
// Cookie and the other credential fields, and the trailers, as net/http's
// client does; a change of scheme or port alone keeps them.
func (c *Client) DoRedirects(req *Request, resp *Response, maxRedirectsCount int) error {
	return doRequestFollowRedirects(c, req, resp, maxRedirectsCount, requestDeadline(req))
}

func (c *Client) doDeadline(req *Request, resp *Response, deadline time.Time) error {
	if req == nil || resp == nil {
		return errClientNilReqResp
	}
	uri := req.URI()
	host := uri.Host()
	if len(host) == 0 {
		return errClientNoHost
	}
	var isTLS bool
	switch scheme := uri.Scheme(); {
	case bytes.Equal(scheme, strHTTP):
	case bytes.Equal(scheme, strHTTPS):
		isTLS = true
	default:
		return unsupportedProtocolError(scheme)
	}
	hc, err := c.hostClient(host, isTLS)
	if err != nil {
		return err
	}
	return hc.doDeadline(req, resp, deadline)
}

// hostClient returns the HostClient for host, creating it on first use.
func (c *Client) hostClient(host []byte, isTLS bool) (*HostClient, error) {
	c.mu.RLock()
	m := c.m
	if isTLS {
		m = c.ms
	}
	hc := m[string(host)]
	c.mu.RUnlock()
	if hc != nil {
		return hc, nil
	}

	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = make(map[string]*HostClient)
		c.ms = make(map[string]*HostClient)
	}
	m = c.m
	if isTLS {
		m = c.ms
	}
	if hc = m[string(host)]; hc != nil {
		return hc, nil
	}
	hc = &HostClient{
		Addr:                          clientAddPort(string(host), isTLS),
		Transport:                     c.Transport,
		Name:                          c.Name,
		NoDefaultUserAgentHeader:      c.NoDefaultUserAgentHeader,
		Dial:                          c.Dial,
		DialTimeout:                   c.DialTimeout,
		DialDualStack:                 c.DialDualStack,
		IsTLS:                         isTLS,
		TLSConfig:                     c.TLSConfig,
		MaxConns:                      c.MaxConnsPerHost,
		MaxIdleConnDuration:           c.MaxIdleConnDuration,
		MaxConnDuration:               c.MaxConnDuration,
		MaxIdemponentCallAttempts:     c.MaxIdemponentCallAttempts,
		ReadBufferSize:                c.ReadBufferSize,
		WriteBufferSize:               c.WriteBufferSize,
		ReadTimeout:                   c.ReadTimeout,
		WriteTimeout:                  c.WriteTimeout,
		MaxResponseBodySize:           c.MaxResponseBodySize,
		MaxConnWaitTimeout:            c.MaxConnWaitTimeout,
		RetryIf:                       c.RetryIf,
		RetryIfErr:                    c.RetryIfErr,
		RetryIfErrUpstream:            c.RetryIfErrUpstream,
		ConnPoolStrategy:              c.ConnPoolStrategy,
		DisableHeaderNamesNormalizing: c.DisableHeaderNamesNormalizing,
		DisablePathNormalizing:        c.DisablePathNormalizing,
		StreamResponseBody:            c.StreamResponseBody,
		readerPool:                    &c.readerPool,
		writerPool:                    &c.writerPool,
	}
	if c.ConfigureClient != nil {
		if err := c.ConfigureClient(hc); err != nil {
			return nil, err
		}
	}
	m[string(host)] = hc
	if !c.cleanerRunning {
		c.cleanerRunning = true
		go c.hostsCleaner()
	}
	return hc, nil
}

// hostsCleanupInterval is how often a Client drops HostClients that hold
// no connections and have not been used for a while.
const hostsCleanupInterval = 10 * time.Second

// hostsCleaner drops unused HostClients so that a Client talking to many
// hosts over time does not keep them all. It stops once none is left.
func (c *Client) hostsCleaner() {
	for {
		time.Sleep(hostsCleanupInterval)
		c.mu.Lock()
		c.dropIdleHosts(c.m)
		c.dropIdleHosts(c.ms)
		done := len(c.m) == 0 && len(c.ms) == 0
		if done {
			c.cleanerRunning = false
		}
		c.mu.Unlock()
		if done {
			return
		}
	}
}

// dropIdleHosts removes HostClients with no connection and no request in
// progress that were last used over a cleanup interval ago. c.mu must be
// held for writing.
func (c *Client) dropIdleHosts(m map[string]*HostClient) {
	now := time.Now()
	for k, hc := range m {
		if hc.PendingRequests() == 0 && hc.ConnsCount() == 0 &&
			now.Sub(hc.LastUseTime()) > hostsCleanupInterval {
			delete(m, k)
		}
	}
}

// CloseIdleConnections closes the idle connections of every host.
func (c *Client) CloseIdleConnections() {
	c.mu.RLock()
	defer c.mu.RUnlock()
	for _, hc := range c.m {
		hc.CloseIdleConnections()
	}
	for _, hc := range c.ms {
		hc.CloseIdleConnections()
	}
}

// ConnsCount returns the number of open connections over all hosts.
func (c *Client) ConnsCount() int {
	return c.sumHosts((*HostClient).ConnsCount)
}

// IdleConnsCount returns the number of idle connections over all hosts.
func (c *Client) IdleConnsCount() int {
	return c.sumHosts((*HostClient).IdleConnsCount)
}

// sumHosts adds up count over the plain and the TLS hosts.
func (c *Client) sumHosts(count func(*HostClient) int) int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	n := 0
	for _, hc := range c.m {
		n += count(hc)
	}
	for _, hc := range c.ms {
		n += count(hc)
	}
	return n
}
