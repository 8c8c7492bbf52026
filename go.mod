module github.com/valyala/fasthttp

go 1.24

require github.com/valyala/bytebufferpool v1.0.0
