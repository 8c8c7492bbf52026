module github.com/valyala/fasthttp

go 1.25

require (
	github.com/andybalholm/brotli v1.3.0
	github.com/klauspost/compress v1.20.4
	github.com/valyala/bytebufferpool v1.0.0
)
