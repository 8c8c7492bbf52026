// Package prefork runs a fasthttp server in several processes that share
// one listening address: a master process starts one child per CPU and
// restarts children that die, and each child serves with GOMAXPROCS=1.
// Processes share nothing, so in-memory state (caches, counters, sessions)
// is per child.
//
//	p := prefork.New(server)
//	if err := p.ListenAndServe(":8080"); err != nil { ... }
//
// The same program runs as master and as children; IsChild tells them
// apart.
package prefork

import (
	"errors"
	"log"
	"net"
	"os"
	"os/exec"
	"runtime"
	"time"

	"github.com/valyala/fasthttp"
)

// childEnv marks a child process; its value is "1".
const childEnv = "FASTHTTP_PREFORK_CHILD"

const defaultShutdownGracePeriod = 5 * time.Second

var (
	// ErrOverRecovery is returned by the master once children have died
	// more often than RecoverThreshold allows.
	ErrOverRecovery = errors.New("prefork: exceeding the value of recoverthreshold")

	// ErrOnlyReuseportOnWindows is returned on Windows when Reuseport is
	// false: the listening socket cannot be handed to child processes
	// there.
	ErrOnlyReuseportOnWindows = errors.New("prefork: windows only supports reuseport = true")

	// ErrCommandProducerNilCmd is returned when CommandProducer returns no
	// command and no error.
	ErrCommandProducerNilCmd = errors.New("prefork: commandproducer returned nil command")

	// ErrCommandProducerNotStarted is returned when CommandProducer returns
	// a command it has not started.
	ErrCommandProducerNotStarted = errors.New("prefork: commandproducer must return a started command")
)

// Logger is used for logging formatted messages.
type Logger interface {
	// Printf must have the same semantics as log.Printf.
	Printf(format string, args ...any)
}

// Prefork runs a server in preforked child processes. Create it with New
// and adjust the fields before calling one of the ListenAndServe methods.
type Prefork struct {
	// How each child serves.

	// ServeFunc, ServeTLSFunc and ServeTLSEmbedFunc serve a child's
	// listener; New sets them to the server's Serve, ServeTLS and
	// ServeTLSEmbed.
	ServeFunc         func(ln net.Listener) error
	ServeTLSFunc      func(ln net.Listener, certFile, keyFile string) error
	ServeTLSEmbedFunc func(ln net.Listener, certData, keyData []byte) error

	// Network is "tcp", "tcp4" or "tcp6"; empty means "tcp4".
	Network string

	// Reuseport makes every child open its own listener with SO_REUSEPORT
	// instead of inheriting the master's socket. It is required on
	// Windows.
	Reuseport bool

	// How the master watches its children.

	// RecoverThreshold is how many times dead children are replaced
	// before the master gives up and returns ErrOverRecovery. New sets it
	// to half the number of CPUs.
	RecoverThreshold int

	// RecoverInterval is how long the master waits before replacing a
	// dead child; zero replaces it at once.
	RecoverInterval time.Duration

	// ShutdownGracePeriod is how long the master waits for its children
	// to exit after asking them to (SIGTERM) when it stops, before killing
	// them. Zero means 5 seconds. Windows children are killed at once.
	ShutdownGracePeriod time.Duration

	// Hooks.

	// CommandProducer, when set, starts a child process instead of the
	// default (this program, same arguments, with FASTHTTP_PREFORK_CHILD=1
	// added to the environment). It must pass files as the command's
	// ExtraFiles, in order, set FASTHTTP_PREFORK_CHILD=1 in its
	// environment, and return the command already started.
	CommandProducer func(files []*os.File) (*exec.Cmd, error)

	// OnChildSpawn is called in the master with the PID of each child
	// started, including replacements. An error stops the master.
	OnChildSpawn func(pid int) error

	// OnMasterReady is called in the master once all children are
	// started, with their PIDs. An error stops the master.
	OnMasterReady func(childPIDs []int) error

	// OnChildRecover is called in the master after a dead child was
	// replaced, with the PIDs of the dead child and of its replacement.
	OnChildRecover func(oldPID, newPID int)

	// OnMasterDeath is called in a child when its master process is gone.
	// When nil, the child closes its listener, so its ListenAndServe
	// returns and no orphan keeps serving.
	OnMasterDeath func()

	// Logger receives the master's and children's messages. The standard
	// logger is used when it is nil.
	Logger Logger

	sock socketState
}

// socketState is the listening socket of a run: in the master, the one its
// children inherit (and its file, handed to them) when Reuseport is false;
// in a child, the one it serves.
type socketState struct {
	ln    net.Listener
	files []*os.File
}

// IsChild reports whether this process is a prefork child.
func IsChild() bool {
	return os.Getenv(childEnv) == "1"
}

// New returns a Prefork serving s.
func New(s *fasthttp.Server) *Prefork {
	return &Prefork{
		Network:           "tcp4",
		RecoverThreshold:  runtime.GOMAXPROCS(0) / 2,
		Logger:            s.Logger,
		ServeFunc:         s.Serve,
		ServeTLSFunc:      s.ServeTLS,
		ServeTLSEmbedFunc: s.ServeTLSEmbed,
	}
}

// ListenAndServe serves HTTP on addr: in the master it starts and watches
// the children, in a child it serves.
func (p *Prefork) ListenAndServe(addr string) error {
	return p.run(addr, p.ServeFunc)
}

// ListenAndServeTLS serves HTTPS on addr with the key and certificate in
// the files certKey and certFile. Note the order of the arguments: the key
// file comes first.
func (p *Prefork) ListenAndServeTLS(addr, certKey, certFile string) error {
	return p.run(addr, func(ln net.Listener) error {
		return p.ServeTLSFunc(ln, certFile, certKey)
	})
}

// ListenAndServeTLSEmbed serves HTTPS on addr with the PEM certificate and
// key given in memory.
func (p *Prefork) ListenAndServeTLSEmbed(addr string, certData, keyData []byte) error {
	return p.run(addr, func(ln net.Listener) error {
		return p.ServeTLSEmbedFunc(ln, certData, keyData)
	})
}

func (p *Prefork) run(addr string, serve func(net.Listener) error) error {
	if IsChild() {
		return p.serveChild(addr, serve)
	}
	return p.runMaster(addr)
}

func (p *Prefork) network() string {
	if p.Network == "" {
		return "tcp4"
	}
	return p.Network
}

func (p *Prefork) logf(format string, args ...any) {
	if p.Logger != nil {
		p.Logger.Printf(format, args...)
		return
	}
	log.Printf(format, args...)
}
