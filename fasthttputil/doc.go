// Package fasthttputil holds in-memory networking helpers for tests and
// in-process servers: PipeConns, a buffered bi-directional connection pair
// with deadlines, and InmemoryListener, a net.Listener whose connections
// never touch the network stack.
//
//	ln := fasthttputil.NewInmemoryListener()
//	go server.Serve(ln)
//	c, err := ln.Dial()
package fasthttputil
