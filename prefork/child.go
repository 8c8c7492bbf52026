package prefork

import (
	"net"
	"os"
	"runtime"
	"time"

	"github.com/valyala/fasthttp/reuseport"
)

// inheritedListenerFD is the descriptor of the first of the master's
// ExtraFiles in a child.
const inheritedListenerFD = 3

// masterPollInterval is how often a child checks that its master lives.
const masterPollInterval = 500 * time.Millisecond

func (p *Prefork) serveChild(addr string, serve func(net.Listener) error) error {
	// One CPU per process: the children together use them all.
	runtime.GOMAXPROCS(1)
	ln, err := p.childListener(addr)
	if err != nil {
		return err
	}
	p.sock.ln = ln
	stop := make(chan struct{})
	defer close(stop)
	go p.watchMaster(ln, stop)
	return serve(ln)
}

func (p *Prefork) childListener(addr string) (net.Listener, error) {
	if p.Reuseport {
		return reuseport.Listen(p.network(), addr)
	}
	f := os.NewFile(inheritedListenerFD, "prefork-listener")
	defer f.Close()
	return net.FileListener(f)
}

// watchMaster notices when the master process is gone, until stop closes.
func (p *Prefork) watchMaster(ln net.Listener, stop <-chan struct{}) {
	master := os.Getppid()
	t := time.NewTicker(masterPollInterval)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
		}
		if masterAlive(master) {
			continue
		}
		p.logf("prefork: master process %d died", master)
		if p.OnMasterDeath != nil {
			p.OnMasterDeath()
		} else {
			_ = ln.Close()
		}
		return
	}
}
