//go:build !linux

package fasthttp

import (
	"net"
	"testing"
)

const srvHasKeepaliveProbe = false

func srvKeepaliveOf(t testing.TB, c net.Conn) (bool, int) { return false, 0 }
