module github.com/valyala/fasthttp

go 1.26.0

require github.com/valyala/bytebufferpool v1.0.0

require (
	golang.org/x/net v0.62.0
	golang.org/x/text v0.43.0 // indirect
)
