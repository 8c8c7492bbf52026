package fasthttp

import (
	"bufio"
	"crypto/tls"
	"errors"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultMaxConnsPerHost is the default of Client.MaxConnsPerHost and
// HostClient.MaxConns.
const DefaultMaxConnsPerHost = 512

// DefaultMaxIdleConnDuration is how long an idle keep-alive connection is
// kept by default.
const DefaultMaxIdleConnDuration = 10 * time.Second

// DefaultMaxIdemponentCallAttempts is the default number of attempts for
// an idempotent request.
const DefaultMaxIdemponentCallAttempts = 5

// DialFunc dials addr ("host:port", or whatever the client's Addr holds).
// It should bound itself; the clients cannot interrupt it.
type DialFunc func(addr string) (net.Conn, error)

// DialFuncWithTimeout dials addr, giving up after timeout. The clients pass
// what is left of the request's time, so a DoTimeout covers the dial.
type DialFuncWithTimeout func(addr string, timeout time.Duration) (net.Conn, error)

// RetryIfFunc reports whether a failed request may be sent again.
//
// Deprecated: use RetryIfErrFunc, which also sees the error.
type RetryIfFunc func(request *Request) bool

// RetryIfErrFunc decides about a failed attempt: attempts is how many were
// made so far and err the last failure. It returns whether the request's
// timeout restarts for the next attempt, and whether there is one.
type RetryIfErrFunc func(request *Request, attempts int, err error) (resetTimeout bool, retry bool)

// RetryIfErrUpstreamFunc is RetryIfErrFunc that also gets the address the
// failed attempt went to.
type RetryIfErrUpstreamFunc func(request *Request, attempts int, err error, upstream string) (resetTimeout bool, retry bool)

// ConnPoolStrategyType chooses which idle connection a client reuses.
type ConnPoolStrategyType int

const (
	// FIFO reuses the connection idle the longest, spreading requests over
	// every pooled connection.
	FIFO ConnPoolStrategyType = iota
	// LIFO reuses the connection idle the shortest, letting the others
	// reach MaxIdleConnDuration and close when load drops.
	LIFO
)

// HostClient sends requests to one host, given by Addr, keeping a pool of
// keep-alive connections to it. It is safe for concurrent use. Settings
// must not change once it is in use.
type HostClient struct {
	noCopy noCopy

	// Transport, when set, sends each request instead of the built-in
	// HTTP/1.1 transport (DefaultTransport).
	Transport RoundTripper

	// RetryIfErr decides whether a failed request is sent again; see
	// RetryIfErrFunc. When nil, only idempotent requests are retried.
	RetryIfErr RetryIfErrFunc

	// RetryIfErrUpstream is RetryIfErr with the failing upstream address;
	// it takes precedence over RetryIfErr and RetryIf.
	RetryIfErrUpstream RetryIfErrUpstreamFunc

	// DialTimeout dials new connections with what is left of the
	// request's time; it takes precedence over Dial.
	DialTimeout DialFuncWithTimeout

	// Dial dials new connections. When neither Dial nor DialTimeout is set,
	// a TCPDialer with DNS caching is used.
	Dial DialFunc

	// TLSConfig configures connections when IsTLS is set. ServerName
	// defaults to the host being dialed; nil means Go's defaults, which
	// verify certificates against the system roots.
	TLSConfig *tls.Config

	// RetryIf decides whether a failed request is sent again.
	//
	// Deprecated: use RetryIfErr.
	RetryIf RetryIfFunc

	// Name is sent as User-Agent when the request has none; "fasthttp"
	// when empty.
	Name string

	// Addr lists the upstream addresses, comma separated, used in turn
	// for new connections. With the built-in dialer a missing port
	// defaults to 80, or 443 with IsTLS.
	Addr string

	// MaxConnDuration closes keep-alive connections older than this
	// (0: no limit).
	MaxConnDuration time.Duration

	// MaxIdleConnDuration closes connections idle for longer;
	// DefaultMaxIdleConnDuration when 0.
	MaxIdleConnDuration time.Duration

	// ReadTimeout bounds reading each response, body included (0: none).
	ReadTimeout time.Duration

	// WriteTimeout bounds writing each request, body included (0: none).
	WriteTimeout time.Duration

	// MaxConnWaitTimeout is how long a request waits for a connection when
	// MaxConns are busy; 0 fails at once with ErrNoFreeConns.
	MaxConnWaitTimeout time.Duration

	// MaxConns caps the connections to the host; DefaultMaxConnsPerHost
	// when 0.
	MaxConns int

	// MaxIdemponentCallAttempts caps the attempts of a request that may be
	// retried; DefaultMaxIdemponentCallAttempts when 0.
	MaxIdemponentCallAttempts int

	// ReadBufferSize is the per-connection read buffer size, which also
	// caps the size of a response header; 4096 when 0.
	ReadBufferSize int

	// WriteBufferSize is the per-connection write buffer size; 4096 when 0.
	WriteBufferSize int

	// MaxResponseBodySize makes responses with a larger body fail with
	// ErrBodyTooLarge (0: no limit).
	MaxResponseBodySize int

	// ConnPoolStrategy chooses the idle connection to reuse: FIFO (the
	// default) or LIFO.
	ConnPoolStrategy ConnPoolStrategyType

	// IsTLS makes the client speak HTTPS to Addr.
	IsTLS bool

	// DialDualStack lets the built-in dialer use IPv6 as well as IPv4.
	DialDualStack bool

	// SecureErrorLogMessage keeps request and response contents out of
	// error texts.
	SecureErrorLogMessage bool

	// NoDefaultUserAgentHeader sends no User-Agent unless the request sets
	// one.
	NoDefaultUserAgentHeader bool

	// DisableHeaderNamesNormalizing keeps header names as given in
	// requests and as received in responses.
	DisableHeaderNamesNormalizing bool

	// DisablePathNormalizing sends request paths exactly as given.
	DisablePathNormalizing bool

	// StreamResponseBody exposes response bodies through
	// Response.BodyStream instead of reading them whole. The connection
	// returns to the pool once the stream is read to its end; closing it
	// early closes the connection.
	StreamResponseBody bool

	// Pool state, guarded by connsMu.
	connsMu        sync.Mutex
	connsCount     int           // open connections and dials in progress
	conns          []*clientConn // idle connections, oldest first
	waiters        []*connWaiter // requests waiting for a connection
	cleanerRunning bool

	addrIdx         atomic.Uint32
	pendingRequests atomic.Int32
	lastUseTime     atomic.Int64 // unix nanoseconds

	tlsMu      sync.Mutex
	tlsConfigs map[string]*tls.Config

	// Buffer pools; a Client points these at pools shared by its hosts.
	readerPool *sync.Pool
	writerPool *sync.Pool
	ownReaders sync.Pool
	ownWriters sync.Pool
}

// LastUseTime returns when the client last sent a request.
func (hc *HostClient) LastUseTime() time.Time {
	n := hc.lastUseTime.Load()
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n)
}

// PendingRequests returns how many requests are in progress.
func (hc *HostClient) PendingRequests() int {
	return int(hc.pendingRequests.Load())
}

// SetMaxConns changes MaxConns while the client is in use.
func (hc *HostClient) SetMaxConns(newMaxConns int) {
	hc.connsMu.Lock()
	hc.MaxConns = newMaxConns
	hc.connsMu.Unlock()
}

// Get sends a GET request for url, following redirects, and returns the
// status code and body, appended to dst[:0].
func (hc *HostClient) Get(dst []byte, url string) (statusCode int, body []byte, err error) {
	return clientGetURL(hc, dst, url, time.Time{})
}

// GetTimeout is Get bounded by timeout, redirects included. It returns
// ErrTimeout when the time runs out.
func (hc *HostClient) GetTimeout(dst []byte, url string, timeout time.Duration) (statusCode int, body []byte, err error) {
	return clientGetURL(hc, dst, url, time.Now().Add(timeout))
}

// GetDeadline is Get bounded by deadline, redirects included.
func (hc *HostClient) GetDeadline(dst []byte, url string, deadline time.Time) (statusCode int, body []byte, err error) {
	return clientGetURL(hc, dst, url, deadline)
}

// Post sends a POST request for url with postArgs as an
// application/x-www-form-urlencoded body (empty when nil), following
// redirects, and returns the status code and body, appended to dst[:0].
func (hc *HostClient) Post(dst []byte, url string, postArgs *Args) (statusCode int, body []byte, err error) {
	return clientPostURL(hc, dst, url, postArgs)
}

// Do sends req and reads the response into resp. It does not follow
// redirects. Idempotent requests are retried on connection failures, up to
// MaxIdemponentCallAttempts times. A timeout set with req.SetTimeout bounds
// the whole call.
//
// resp must not be used while Do runs. Responses for HEAD requests, 1xx,
// 204 and 304 have no body.
func (hc *HostClient) Do(req *Request, resp *Response) error {
	return hc.doDeadline(req, resp, requestDeadline(req))
}

// DoTimeout is Do bounded by timeout: dialing, waiting for a connection,
// writing and reading all count. It returns ErrTimeout when the time runs
// out, even if the server never answers.
func (hc *HostClient) DoTimeout(req *Request, resp *Response, timeout time.Duration) error {
	return hc.doDeadline(req, resp, time.Now().Add(timeout))
}

// DoDeadline is Do bounded by deadline; see DoTimeout.
func (hc *HostClient) DoDeadline(req *Request, resp *Response, deadline time.Time) error {
	return hc.doDeadline(req, resp, deadline)
}

// DoRedirects is Do that follows up to maxRedirectsCount redirects,
// returning ErrTooManyRedirects past that, and changes req along the way
// as Client.DoRedirects does. Redirects to the other scheme fail with
// ErrHostClientRedirectToDifferentScheme.
func (hc *HostClient) DoRedirects(req *Request, resp *Response, maxRedirectsCount int) error {
	return doRequestFollowRedirects(hc, req, resp, maxRedirectsCount, requestDeadline(req))
}

// requestDeadline turns the timeout set with Request.SetTimeout into a
// deadline (zero: none).
func requestDeadline(req *Request) time.Time {
	if req != nil && req.timeout > 0 {
		return time.Now().Add(req.timeout)
	}
	return time.Time{}
}

// doDeadline is the retry loop shared by every Do variant.
func (hc *HostClient) doDeadline(req *Request, resp *Response, deadline time.Time) error {
	if req == nil || resp == nil {
		return errClientNilReqResp
	}
	hasDeadline := !deadline.IsZero()
	if hasDeadline && !time.Now().Before(deadline) {
		return ErrTimeout
	}
	hc.pendingRequests.Add(1)
	defer hc.pendingRequests.Add(-1)
	clearResponse(resp)

	// The timeout restored by RetryIfErr's resetTimeout.
	timeout := req.timeout
	if hasDeadline {
		timeout = time.Until(deadline)
	}
	saved := req.timeout
	defer func() { req.timeout = saved }()

	maxAttempts := hc.MaxIdemponentCallAttempts
	if maxAttempts <= 0 {
		maxAttempts = DefaultMaxIdemponentCallAttempts
	}
	bodyStream := req.IsBodyStream()
	attempts := 0
	for {
		if hasDeadline {
			left := time.Until(deadline)
			if left <= 0 {
				return ErrTimeout
			}
			// Transports learn the time left from the request.
			req.timeout = left
		} else {
			req.timeout = 0
		}
		retry, upstream, err := hc.roundTrip(req, resp)
		if err == nil {
			return nil
		}
		if !retry || bodyStream {
			// A spent body stream cannot be sent again.
			return err
		}
		attempts++
		if attempts >= maxAttempts {
			return err
		}
		resetTimeout := false
		switch {
		case hc.RetryIfErrUpstream != nil:
			resetTimeout, retry = hc.RetryIfErrUpstream(req, attempts, err, upstream)
		case hc.RetryIfErr != nil:
			resetTimeout, retry = hc.RetryIfErr(req, attempts, err)
		case hc.RetryIf != nil:
			retry = hc.RetryIf(req)
		default:
			retry = isIdempotent(req)
		}
		if !retry {
			return err
		}
		if resetTimeout && timeout > 0 {
			deadline = time.Now().Add(timeout)
			hasDeadline = true
		}
	}
}

// clearResponse empties resp before a request, keeping its buffers and the
// caller's flags, so that a failed call never leaves an older response
// behind.
func clearResponse(resp *Response) {
	if resp.bodyStream != nil {
		// A body stream left from an earlier response may hold a pooled
		// connection that this request needs.
		_ = resp.CloseBodyStream()
	}
	resp.bodyRaw = nil
	if resp.body != nil {
		resp.body.Reset()
	}
	resp.Header.resetSkipNormalize()
}

// roundTrip runs one attempt through the configured transport and reports
// the upstream it went to.
func (hc *HostClient) roundTrip(req *Request, resp *Response) (retry bool, upstream string, err error) {
	if hc.Transport == nil || hc.Transport == DefaultTransport {
		// doDefault records the use with the clock reading it needs anyway.
		return hc.doDefault(req, resp)
	}
	hc.lastUseTime.Store(time.Now().UnixNano())
	retry, err = hc.Transport.RoundTrip(hc, req, resp)
	if err != nil {
		var de *ErrDialWithUpstream
		if errors.As(err, &de) {
			upstream = de.Upstream
		} else {
			upstream = hc.Addr
		}
	}
	return retry, upstream, err
}

// isIdempotent reports whether sending req twice has the effect of sending
// it once (RFC 9110 §9.2.2), which makes a blind retry safe.
func isIdempotent(req *Request) bool {
	h := &req.Header
	return h.IsGet() || h.IsHead() || h.IsPut() || h.IsDelete() || h.IsOptions() || h.IsTrace() || h.IsQuery()
}

// userAgent returns the User-Agent sent by default.
func (hc *HostClient) userAgent() string {
	if hc.Name != "" {
		return hc.Name
	}
	return defaultClientName
}

const defaultClientName = "fasthttp"

// AcquireReader returns a read buffer for conn from the client's pool.
func (hc *HostClient) AcquireReader(conn net.Conn) *bufio.Reader {
	pool := hc.readerPool
	if pool == nil {
		pool = &hc.ownReaders
	}
	if v := pool.Get(); v != nil {
		br := v.(*bufio.Reader)
		br.Reset(conn)
		return br
	}
	size := hc.ReadBufferSize
	if size <= 0 {
		size = defaultBufferSize
	}
	return bufio.NewReaderSize(conn, size)
}

// ReleaseReader returns br to the client's pool.
func (hc *HostClient) ReleaseReader(br *bufio.Reader) {
	pool := hc.readerPool
	if pool == nil {
		pool = &hc.ownReaders
	}
	br.Reset(nil)
	pool.Put(br)
}

// AcquireWriter returns a write buffer for conn from the client's pool.
func (hc *HostClient) AcquireWriter(conn net.Conn) *bufio.Writer {
	pool := hc.writerPool
	if pool == nil {
		pool = &hc.ownWriters
	}
	if v := pool.Get(); v != nil {
		bw := v.(*bufio.Writer)
		bw.Reset(conn)
		return bw
	}
	size := hc.WriteBufferSize
	if size <= 0 {
		size = defaultBufferSize
	}
	return bufio.NewWriterSize(conn, size)
}

// ReleaseWriter returns bw to the client's pool.
func (hc *HostClient) ReleaseWriter(bw *bufio.Writer) {
	pool := hc.writerPool
	if pool == nil {
		pool = &hc.ownWriters
	}
	bw.Reset(nil)
	pool.Put(bw)
}
