package fasthttp

// HTTP request methods.
const (
	MethodConnect = "CONNECT"
	MethodDelete  = "DELETE"
	MethodGet     = "GET"
	MethodHead    = "HEAD"
	MethodOptions = "OPTIONS"
	MethodPatch   = "PATCH"
	MethodPost    = "POST"
	MethodPut     = "PUT"
	MethodQuery   = "QUERY"
	MethodTrace   = "TRACE"
)
