package fasthttp

import (
	"bufio"
	"crypto/tls"
	"errors"
	"io"
	"log"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// Server serves HTTP/1.x requests, calling Handler for each.
//
// The zero value is not usable: Handler must be set. Settings must not
// change once Serve is called. It is safe to call Shutdown from another
// goroutine.
type Server struct {
	noCopy noCopy

	// Handler handles every request. It must be set.
	Handler RequestHandler

	// ErrorHandler, when set, builds the response to a request that could
	// not be read or parsed (the error says why). The connection is closed
	// afterwards.
	ErrorHandler func(ctx *RequestCtx, err error)

	// HeaderReceived, when set, is called once the request header is read
	// and may return per-request read and write timeouts and body limit.
	HeaderReceived func(header *RequestHeader) RequestConfig

	// ContinueHandler, when set, decides whether a request carrying
	// "Expect: 100-continue" may send its body: false answers 417.
	ContinueHandler func(header *RequestHeader) bool

	// ExpectHandler, when set, is called for every request that carries an
	// Expect field. It returns 100 (or 0) to go on, or the status code to
	// answer with instead, without reading the body.
	ExpectHandler func(ctx *RequestCtx) int

	// ConnState, when set, is told about each connection's transitions:
	// New, Active, Idle, Hijacked and Closed.
	ConnState func(net.Conn, ConnState)

	// Logger logs errors; the standard logger when nil.
	Logger Logger

	// TLSConfig is used by ServeTLS and its siblings (certificates set by
	// AppendCert are added to it).
	TLSConfig *tls.Config

	// FormValueFunc, when set, replaces the lookup order of
	// RequestCtx.FormValue.
	FormValueFunc FormValueFunc

	// Name is sent in the Server field; "fasthttp" when empty.
	Name string

	// Concurrency is the largest number of connections served at once;
	// DefaultConcurrency when 0.
	Concurrency int

	// ReadBufferSize is the per-connection read buffer size. It also
	// bounds the request header when set; when 0 the buffer is 4096 bytes
	// and headers may take up to 8 KiB.
	ReadBufferSize int

	// WriteBufferSize is the per-connection write buffer size; 4096 when 0.
	WriteBufferSize int

	// ReadTimeout bounds reading a whole request, header and body: the
	// first request from the moment the connection opens (TLS handshake
	// included), later ones from their first byte. 0 means no limit.
	ReadTimeout time.Duration

	// WriteTimeout bounds writing a response. 0 means no limit.
	WriteTimeout time.Duration

	// IdleTimeout bounds the wait for the next request on a keep-alive
	// connection (and for the first one when ReadTimeout is 0);
	// ReadTimeout is used when it is 0.
	IdleTimeout time.Duration

	// MaxConnsPerIP limits the connections a client IP may hold open at
	// once; 0 means no limit. TLS stays visible through the wrapper used
	// to count connections.
	MaxConnsPerIP int

	// MaxRequestsPerConn closes a connection after that many requests; 0
	// means no limit.
	MaxRequestsPerConn int

	// MaxIdleWorkerDuration is how long an idle worker goroutine is kept;
	// 10s when 0.
	MaxIdleWorkerDuration time.Duration

	// TCPKeepalivePeriod sets the TCP keep-alive period when TCPKeepalive
	// is on; the system default when 0.
	TCPKeepalivePeriod time.Duration

	// MaxRequestBodySize is the largest request body accepted;
	// DefaultMaxRequestBodySize when 0. Larger bodies get 413.
	MaxRequestBodySize int

	// MaxKeepaliveDuration is the old name of IdleTimeout, used when
	// IdleTimeout is 0.
	//
	// Deprecated: use IdleTimeout.
	MaxKeepaliveDuration time.Duration

	// SleepWhenConcurrencyLimitsExceeded makes the acceptor pause this long
	// after refusing a connection with 503 because Concurrency connections
	// are busy, leaving new connections in the listen queue meanwhile.
	SleepWhenConcurrencyLimitsExceeded time.Duration

	// DisableKeepalive closes every connection after its first response.
	DisableKeepalive bool

	// TCPKeepalive turns TCP keep-alive probes on for accepted connections
	// (otherwise the listener's setting applies).
	TCPKeepalive bool

	// ReduceMemoryUsage returns the read and write buffers to their pools
	// while a connection waits for its next request, trading a little CPU
	// for memory when many connections are idle.
	ReduceMemoryUsage bool

	// GetOnly refuses every method but GET and HEAD with 405 Method Not
	// Allowed, before reading any body.
	GetOnly bool

	// DisablePreParseMultipartForm leaves multipart bodies unparsed until
	// the handler asks for them (they are always parsed lazily here).
	DisablePreParseMultipartForm bool

	// LogAllErrors logs every connection error, including client
	// protocol errors and timeouts.
	LogAllErrors bool

	// SecureErrorLogMessage keeps request contents (such as the URI) out of
	// error logs.
	SecureErrorLogMessage bool

	// DisableHeaderNamesNormalizing keeps header names as received.
	DisableHeaderNamesNormalizing bool

	// NoDefaultServerHeader sends no Server field unless the handler sets
	// one.
	NoDefaultServerHeader bool

	// NoDefaultDate sends no Date field.
	NoDefaultDate bool

	// NoDefaultContentType sends no Content-Type unless the handler sets
	// one.
	NoDefaultContentType bool

	// KeepHijackedConns leaves hijacked connections open when the
	// HijackHandler returns; the handler must close them.
	KeepHijackedConns bool

	// CloseOnShutdown adds "Connection: close" to responses once Shutdown
	// has started. Here that is always done, whatever this field says:
	// the connection closes after that response, and telling the client
	// spares it a failed reuse.
	CloseOnShutdown bool

	// StreamRequestBody hands request bodies to the handler as a stream
	// (RequestCtx.RequestBodyStream) instead of reading them first; bodies
	// over MaxRequestBodySize are streamed, not refused.
	StreamRequestBody bool

	// LazyRequestTime skips reading the clock per request; RequestCtx.Time
	// reads it on first use.
	LazyRequestTime bool

	// internal state
	initOnce       sync.Once
	serverName     []byte
	concurrency    atomic.Uint32
	open           atomic.Int32
	rejected       atomic.Uint32
	perIP          *perIPConnCounter
	perIPLog       logLimiter
	concLog        logLimiter
	hasNextProtos  atomic.Bool
	stopping       atomic.Bool
	stopAt         atomic.Int64 // when Shutdown began, UnixNano
	accepting      atomic.Int32 // Serve loops running
	mu             sync.Mutex
	listeners      []net.Listener
	done           chan struct{}
	doneOnce       sync.Once
	conns          connRegistry
	nextProtos     map[string]ServeHandler
	ctxPool        sync.Pool
	readerPool     sync.Pool
	writerPool     sync.Pool
	maxHeaderBytes int
}

// RequestConfig holds per-request settings returned by
// Server.HeaderReceived. Zero fields keep the server's settings.
type RequestConfig struct {
	// ReadTimeout bounds reading the rest of the request.
	ReadTimeout time.Duration
	// WriteTimeout bounds writing the response.
	WriteTimeout time.Duration
	// MaxRequestBodySize limits the body of this request.
	MaxRequestBodySize int
}

// Logger is what the server logs through.
type Logger interface {
	// Printf formats and logs a message.
	Printf(format string, args ...any)
}

var defaultLogger = Logger(log.New(os.Stderr, "", log.LstdFlags))

// DefaultConcurrency is the default of Server.Concurrency.
const DefaultConcurrency = 256 * 1024

// DefaultMaxRequestBodySize is the default of Server.MaxRequestBodySize.
const DefaultMaxRequestBodySize = 4 * 1024 * 1024

const defaultBufferSize = 4096

// ConnState describes a connection's state, reported to Server.ConnState.
type ConnState int

// The values are upstream's, spelled out: code may store or compare them.
const (
	// StateNew is a connection just accepted.
	StateNew ConnState = 0
	// StateActive is a connection that received request bytes.
	StateActive ConnState = 1
	// StateIdle is a keep-alive connection waiting for a request.
	StateIdle ConnState = 2
	// StateHijacked is a connection taken over by a HijackHandler.
	StateHijacked ConnState = 3
	// StateClosed is a closed connection.
	StateClosed ConnState = 4
)

var connStateNames = [...]string{
	StateNew:      "new",
	StateActive:   "active",
	StateIdle:     "idle",
	StateHijacked: "hijacked",
	StateClosed:   "closed",
}

// String returns the state's name.
func (c ConnState) String() string {
	if c >= 0 && int(c) < len(connStateNames) {
		return connStateNames[c]
	}
	return "unknown"
}

func (s *Server) init() {
	s.initOnce.Do(func() {
		if s.Name != "" {
			s.serverName = []byte(s.Name)
		} else {
			s.serverName = strDefaultServerName
		}
		if s.MaxConnsPerIP > 0 {
			s.perIP = newPerIPConnCounter()
		}
		if s.ReadBufferSize > 0 {
			s.maxHeaderBytes = s.ReadBufferSize
		} else {
			s.maxHeaderBytes = minMaxHeaderBytes
		}
		s.mu.Lock()
		if s.done == nil {
			s.done = make(chan struct{})
		}
		s.mu.Unlock()
	})
}

func (s *Server) logger() Logger {
	if s != nil && s.Logger != nil {
		return s.Logger
	}
	return defaultLogger
}

func (s *Server) doneChan() <-chan struct{} {
	// init sets done before any request exists and it never changes after,
	// so the common case needs no lock.
	if d := s.done; d != nil {
		return d
	}
	s.mu.Lock()
	if s.done == nil {
		s.done = make(chan struct{})
	}
	d := s.done
	s.mu.Unlock()
	return d
}

func (s *Server) getConcurrency() int {
	if s.Concurrency <= 0 {
		return DefaultConcurrency
	}
	return s.Concurrency
}

func (s *Server) maxRequestBodySize() int {
	if s.MaxRequestBodySize <= 0 {
		return DefaultMaxRequestBodySize
	}
	return s.MaxRequestBodySize
}

func (s *Server) idleTimeout() time.Duration {
	switch {
	case s.IdleTimeout > 0:
		return s.IdleTimeout
	case s.MaxKeepaliveDuration > 0:
		return s.MaxKeepaliveDuration
	}
	return s.ReadTimeout
}

// GetCurrentConcurrency returns how many connections are being served now.
func (s *Server) GetCurrentConcurrency() uint32 { return s.concurrency.Load() }

// GetOpenConnectionsCount returns how many accepted connections are open.
func (s *Server) GetOpenConnectionsCount() int32 { return s.open.Load() }

// GetRejectedConnectionsCount returns how many connections were refused
// because Concurrency or MaxConnsPerIP was reached.
func (s *Server) GetRejectedConnectionsCount() uint32 { return s.rejected.Load() }

// NextProto registers a handler for the TLS ALPN protocol key: connections
// that negotiate it are handed to nph instead of the HTTP/1 loop.
func (s *Server) NextProto(key string, nph ServeHandler) {
	s.mu.Lock()
	if s.nextProtos == nil {
		s.nextProtos = make(map[string]ServeHandler)
	}
	s.nextProtos[key] = nph
	s.mu.Unlock()
	s.hasNextProtos.Store(true)
	s.configTLS()
	s.TLSConfig.NextProtos = appendUniqueString(s.TLSConfig.NextProtos, key)
}

func appendUniqueString(list []string, v string) []string {
	for _, x := range list {
		if x == v {
			return list
		}
	}
	return append(list, v)
}

// ListenAndServe serves HTTP on the TCP address addr.
func (s *Server) ListenAndServe(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	return s.Serve(ln)
}

// ListenAndServeUNIX serves HTTP on the unix socket addr, created with mode.
// An existing socket file is removed first. Unix connections are not
// counted against MaxConnsPerIP.
func (s *Server) ListenAndServeUNIX(addr string, mode os.FileMode) error {
	if err := os.Remove(addr); err != nil && !os.IsNotExist(err) {
		return err
	}
	ln, err := net.Listen("unix", addr)
	if err != nil {
		return err
	}
	if err = os.Chmod(addr, mode); err != nil {
		_ = ln.Close()
		return err
	}
	return s.Serve(ln)
}

// Serve accepts connections from ln and serves them until ln fails or
// Shutdown is called; after Shutdown it returns nil.
func (s *Server) Serve(ln net.Listener) error {
	s.init()
	s.mu.Lock()
	if s.stopping.Load() {
		s.mu.Unlock()
		_ = ln.Close()
		return nil
	}
	s.listeners = append(s.listeners, ln)
	// Counted under mu, with the listener: Shutdown waits for this loop
	// to return, so that a connection it just accepted is counted open.
	s.accepting.Add(1)
	s.mu.Unlock()
	defer s.accepting.Add(-1)

	wp := newWorkerPool(s.serveConnWorker, s.logConnError, s.getConcurrency(), s.MaxIdleWorkerDuration)
	defer wp.Stop()

	var tempDelay time.Duration
	for {
		c, err := ln.Accept()
		if err != nil {
			if s.stopping.Load() || errors.Is(err, net.ErrClosed) {
				return nil
			}
			var ne interface{ Temporary() bool }
			if errors.As(err, &ne) && ne.Temporary() {
				// Back off on temporary errors such as EMFILE.
				if tempDelay == 0 {
					tempDelay = 5 * time.Millisecond
				} else if tempDelay *= 2; tempDelay > time.Second {
					tempDelay = time.Second
				}
				s.logger().Printf("fasthttp: temporary error when accepting new connections: %v", err)
				time.Sleep(tempDelay)
				continue
			}
			return err
		}
		tempDelay = 0
		s.setupAccepted(c)
		c, ok := s.admitPerIP(c)
		if !ok {
			continue
		}
		s.open.Add(1)
		s.setState(c, StateNew)
		if !wp.Serve(c) {
			s.open.Add(-1)
			s.rejected.Add(1)
			if s.concLog.allow(time.Minute) {
				s.logger().Printf("fasthttp: the incoming connection cannot be served because %d concurrent connections are served; "+
					"try increasing Server.Concurrency", s.getConcurrency())
			}
			s.rejectConn(c, StatusServiceUnavailable,
				"The connection cannot be served because Server.Concurrency limit exceeded", true)
			if s.SleepWhenConcurrencyLimitsExceeded > 0 {
				time.Sleep(s.SleepWhenConcurrencyLimitsExceeded)
			}
		}
	}
}

// setupAccepted applies the TCP settings to a freshly accepted connection
// (or to the TCP connection it wraps).
func (s *Server) setupAccepted(c net.Conn) {
	if !s.TCPKeepalive {
		return
	}
	if tc, ok := connAs[*net.TCPConn](c); ok {
		_ = tc.SetKeepAlive(true)
		if s.TCPKeepalivePeriod > 0 {
			_ = tc.SetKeepAlivePeriod(s.TCPKeepalivePeriod)
		}
	}
}

// admitPerIP counts c against MaxConnsPerIP. Over the limit, a plain
// connection gets 429 and a TLS one is closed before its handshake (no
// plaintext ever goes into a TLS stream). Counted connections come back
// wrapped so that closing them releases the count.
func (s *Server) admitPerIP(c net.Conn) (net.Conn, bool) {
	if s.MaxConnsPerIP <= 0 || s.perIP == nil {
		return c, true
	}
	ip, ok := connIP(c)
	if !ok {
		return c, true
	}
	if !s.perIP.tryRegister(ip, s.MaxConnsPerIP) {
		s.rejected.Add(1)
		if s.perIPLog.allow(time.Second) {
			s.logger().Printf("fasthttp: the number of connections from %s exceeds MaxConnsPerIP=%d", ip, s.MaxConnsPerIP)
		}
		if tlsStaterOf(c) != nil {
			_ = c.Close()
		} else {
			s.rejectConn(c, StatusTooManyRequests,
				"The number of connections from your ip exceeds MaxConnsPerIP", false)
		}
		return nil, false
	}
	return wrapPerIPConn(c, ip, s.perIP), true
}

// logLimiter lets a repeated log line through at most once per period.
type logLimiter struct {
	last atomic.Int64
}

func (l *logLimiter) allow(period time.Duration) bool {
	now := time.Now().UnixNano()
	last := l.last.Load()
	return (last == 0 || now-last >= int64(period)) && l.last.CompareAndSwap(last, now)
}

// rejectConn answers a connection that will not be served and closes it.
// It runs on its own goroutine, bounded by deadlines, so that a slow
// client cannot stall the acceptor, and it reads what the client sent
// before closing so that the answer is not lost to a TCP reset.
// reportClosed tells ConnState about the close (the connection was
// reported as new).
func (s *Server) rejectConn(c net.Conn, status int, msg string, reportClosed bool) {
	go func() {
		// A TLS connection handshakes inside Write: the deadline bounds
		// both directions.
		_ = c.SetDeadline(time.Now().Add(time.Second))
		resp := make([]byte, 0, 256)
		resp = appendStatusLine(resp, status, nil)
		resp = append(resp, "Connection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: "...)
		resp = AppendUint(resp, len(msg))
		resp = append(resp, "\r\n\r\n"...)
		resp = append(resp, msg...)
		if _, err := c.Write(resp); err == nil {
			lingerClose(c)
		}
		_ = c.Close()
		if reportClosed {
			s.setState(c, StateClosed)
		}
	}()
}

// ServeConn serves the requests of c until it closes, then closes c. It
// returns nil when every request was served (or the connection was
// hijacked), ErrPerIPConnLimit or ErrConcurrencyLimit when c was refused
// (it is then closed without an answer), or the error that ended it.
func (s *Server) ServeConn(c net.Conn) error {
	s.init()
	if s.MaxConnsPerIP > 0 {
		if ip, ok := connIP(c); ok {
			if !s.perIP.tryRegister(ip, s.MaxConnsPerIP) {
				s.rejected.Add(1)
				_ = c.Close()
				return ErrPerIPConnLimit
			}
			c = wrapPerIPConn(c, ip, s.perIP)
		}
	}
	n := s.concurrency.Add(1)
	if n > uint32(s.getConcurrency()) {
		s.concurrency.Add(^uint32(0))
		s.rejected.Add(1)
		_ = c.Close()
		return ErrConcurrencyLimit
	}
	s.open.Add(1)
	s.setState(c, StateNew)
	err := s.serveConn(c)
	s.concurrency.Add(^uint32(0))
	err = s.finishConn(c, err)
	s.open.Add(-1)
	return err
}

// serveConnWorker is the worker-pool entry for a connection from Serve.
func (s *Server) serveConnWorker(c net.Conn) error {
	s.concurrency.Add(1)
	err := s.serveConn(c)
	s.concurrency.Add(^uint32(0))
	err = s.finishConn(c, err)
	s.open.Add(-1)
	return err
}

// finishConn closes c after its loop ended, unless it was hijacked.
func (s *Server) finishConn(c net.Conn, err error) error {
	if errors.Is(err, errHijacked) {
		return nil
	}
	_ = c.Close()
	s.setState(c, StateClosed)
	if errors.Is(err, errAnswered) {
		return nil
	}
	return err
}

func (s *Server) setState(c net.Conn, state ConnState) {
	if f := s.ConnState; f != nil {
		f(c, state)
	}
}

// logConnError logs what ended a connection, leaving out the everyday
// endings (peer gone, timeouts, malformed requests) unless LogAllErrors.
func (s *Server) logConnError(c net.Conn, err error) {
	if !s.LogAllErrors && isQuietError(err) {
		return
	}
	s.logger().Printf("error when serving connection %q<->%q: %v", c.LocalAddr(), c.RemoteAddr(), err)
}

func isQuietError(err error) bool {
	var pe *protocolError
	var ne net.Error
	switch {
	case errors.As(err, &pe), errors.As(err, &ne),
		errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, net.ErrClosed),
		errors.Is(err, ErrBodyTooLarge), errors.Is(err, ErrGetOnly), errors.Is(err, ErrBadTrailer),
		errors.Is(err, ErrDuplicateContentLength), errors.Is(err, ErrUnsupportedTransferEncoding),
		errors.Is(err, ErrEmptyRequestURI), errors.Is(err, ErrMissingRequestMethod),
		errors.Is(err, ErrExtraWhitespaceInRequestLine), errors.Is(err, syscall.ECONNRESET),
		errors.Is(err, syscall.EPIPE):
		return true
	}
	var bc ErrBrokenChunk
	var nr ErrNothingRead
	return isSmallBuffer(err) || errors.As(err, &bc) || errors.As(err, &nr)
}

func (s *Server) acquireReader(r io.Reader) *bufio.Reader {
	if v := s.readerPool.Get(); v != nil {
		br := v.(*bufio.Reader)
		br.Reset(r)
		return br
	}
	size := s.ReadBufferSize
	if size <= 0 {
		size = defaultBufferSize
	}
	return bufio.NewReaderSize(r, size)
}

func (s *Server) releaseReader(br *bufio.Reader) {
	br.Reset(nil)
	s.readerPool.Put(br)
}

func (s *Server) acquireWriter(c net.Conn) *bufio.Writer {
	if v := s.writerPool.Get(); v != nil {
		bw := v.(*bufio.Writer)
		bw.Reset(c)
		return bw
	}
	size := s.WriteBufferSize
	if size <= 0 {
		size = defaultBufferSize
	}
	return bufio.NewWriterSize(c, size)
}

func (s *Server) releaseWriter(bw *bufio.Writer) {
	bw.Reset(nil)
	s.writerPool.Put(bw)
}

// ListenAndServe serves HTTP on addr with handler.
func ListenAndServe(addr string, handler RequestHandler) error {
	s := &Server{Handler: handler}
	return s.ListenAndServe(addr)
}

// ListenAndServeUNIX serves HTTP on the unix socket addr with handler.
func ListenAndServeUNIX(addr string, mode os.FileMode, handler RequestHandler) error {
	s := &Server{Handler: handler}
	return s.ListenAndServeUNIX(addr, mode)
}

// Serve serves HTTP from ln with handler.
func Serve(ln net.Listener, handler RequestHandler) error {
	s := &Server{Handler: handler}
	return s.Serve(ln)
}

// ServeConn serves HTTP from c with handler; see Server.ServeConn.
func ServeConn(c net.Conn, handler RequestHandler) error {
	s := &Server{Handler: handler}
	return s.ServeConn(c)
}
