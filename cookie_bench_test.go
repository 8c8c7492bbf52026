package fasthttp

import (
	"testing"
	"time"
)

func BenchmarkCookieParse(b *testing.B) {
	s := []byte("session=abc123; Path=/; Domain=example.com; Max-Age=3600; Secure; HttpOnly; SameSite=Lax")
	var c Cookie
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := c.ParseBytes(s); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCookieAppend(b *testing.B) {
	var c Cookie
	c.SetKey("session")
	c.SetValue("abc123")
	c.SetPath("/")
	c.SetDomain("example.com")
	c.SetExpire(time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC))
	c.SetSecure(true)
	c.SetHTTPOnly(true)
	c.SetSameSite(CookieSameSiteLaxMode)
	var buf []byte
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		buf = c.AppendBytes(buf[:0])
	}
}
