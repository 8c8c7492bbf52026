package fasthttp

// Byte-slice forms of the names and values the hot paths compare and write.
// They are never modified.
var (
	strHTTP10 = []byte("HTTP/1.0")
	strHTTP11 = []byte("HTTP/1.1")
	strGet    = []byte(MethodGet)
	strHead   = []byte(MethodHead)
	strPost   = []byte(MethodPost)
	strSlash  = []byte("/")
	strCRLF   = []byte("\r\n")
	strColonS = []byte(": ")

	strHost             = []byte(HeaderHost)
	strUserAgent        = []byte(HeaderUserAgent)
	strReferer          = []byte(HeaderReferer)
	strContentType      = []byte(HeaderContentType)
	strContentLength    = []byte(HeaderContentLength)
	strContentEncoding  = []byte(HeaderContentEncoding)
	strTransferEncoding = []byte(HeaderTransferEncoding)
	strConnection       = []byte(HeaderConnection)
	strCookie           = []byte(HeaderCookie)
	strSetCookie        = []byte(HeaderSetCookie)
	strTrailer          = []byte(HeaderTrailer)
	strRange            = []byte(HeaderRange)
	strServer           = []byte(HeaderServer)
	strDate             = []byte(HeaderDate)
	strLocation         = []byte(HeaderLocation)
	strLastModified     = []byte(HeaderLastModified)
	strContentRange     = []byte(HeaderContentRange)
	strExpect           = []byte(HeaderExpect)

	strChunked   = []byte("chunked")
	strClose     = []byte("close")
	strKeepAlive = []byte("keep-alive")
	strUpgrade   = []byte("Upgrade")

	strDefaultContentType = []byte("text/plain; charset=utf-8")
	strDefaultServerName  = []byte("fasthttp")
	str100Continue        = []byte("HTTP/1.1 100 Continue\r\n\r\n")
)
