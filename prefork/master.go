package prefork

import (
	"errors"
	"net"
	"os"
	"os/exec"
	"runtime"
	"time"
)

// childExit reports that a child process ended.
type childExit struct {
	pid int
	err error
}

// master is the state of the master process while it runs.
type master struct {
	p        *Prefork
	children map[int]*exec.Cmd
	exits    chan childExit
}

func (p *Prefork) runMaster(addr string) (err error) {
	if !p.Reuseport {
		if runtime.GOOS == "windows" {
			return ErrOnlyReuseportOnWindows
		}
		if err := p.listenForChildren(addr); err != nil {
			return err
		}
		defer p.closeListener()
	}

	n := runtime.GOMAXPROCS(0)
	m := &master{p: p, children: make(map[int]*exec.Cmd, n), exits: make(chan childExit, n)}
	defer m.stopAll()

	pids := make([]int, 0, n)
	for range n {
		pid, err := m.spawn()
		if err != nil {
			return err
		}
		pids = append(pids, pid)
	}
	if p.OnMasterReady != nil {
		if err := p.OnMasterReady(pids); err != nil {
			return err
		}
	}
	return m.supervise()
}

// listenForChildren opens the socket the children inherit.
func (p *Prefork) listenForChildren(addr string) error {
	network := p.network()
	switch network {
	case "tcp", "tcp4", "tcp6":
	default:
		return &net.OpError{Op: "listen", Net: network, Err: net.UnknownNetworkError(network)}
	}
	ln, err := net.Listen(network, addr)
	if err != nil {
		return err
	}
	f, err := ln.(*net.TCPListener).File()
	if err != nil {
		_ = ln.Close()
		return err
	}
	p.sock.ln = ln
	p.sock.files = []*os.File{f}
	return nil
}

func (p *Prefork) closeListener() {
	for _, f := range p.sock.files {
		_ = f.Close()
	}
	p.sock.files = nil
	if p.sock.ln != nil {
		_ = p.sock.ln.Close()
	}
}

// supervise replaces children that die, up to RecoverThreshold times.
func (m *master) supervise() error {
	p := m.p
	recovered := 0
	for exit := range m.exits {
		delete(m.children, exit.pid)
		p.logf("prefork: child PID %d exited: %v", exit.pid, exitReason(exit.err))
		if recovered >= p.RecoverThreshold {
			p.logf("prefork: child processes died %d times, more than RecoverThreshold allows", recovered+1)
			return ErrOverRecovery
		}
		recovered++
		if p.RecoverInterval > 0 {
			time.Sleep(p.RecoverInterval)
		}
		pid, err := m.spawn()
		if err != nil {
			return err
		}
		if p.OnChildRecover != nil {
			p.OnChildRecover(exit.pid, pid)
		}
	}
	return nil
}

func exitReason(err error) any {
	if err == nil {
		return "exit status 0"
	}
	return err
}

// spawn starts one child and watches for its end.
func (m *master) spawn() (int, error) {
	p := m.p
	cmd, err := p.startChild()
	if err != nil {
		p.logf("prefork: failed to start a child process: %v", err)
		return 0, err
	}
	pid := cmd.Process.Pid
	m.children[pid] = cmd
	go func() {
		m.exits <- childExit{pid: pid, err: cmd.Wait()}
	}()
	if p.OnChildSpawn != nil {
		if err := p.OnChildSpawn(pid); err != nil {
			return 0, err
		}
	}
	return pid, nil
}

func (p *Prefork) startChild() (*exec.Cmd, error) {
	if p.CommandProducer != nil {
		cmd, err := p.CommandProducer(p.sock.files)
		switch {
		case err != nil:
			if cmd != nil && cmd.Process != nil {
				_ = cmd.Process.Kill()
				_ = cmd.Wait()
			}
			return nil, err
		case cmd == nil:
			return nil, ErrCommandProducerNilCmd
		case cmd.Process == nil:
			return nil, ErrCommandProducerNotStarted
		}
		return cmd, nil
	}
	exe, err := os.Executable()
	if err != nil {
		exe = os.Args[0]
	}
	cmd := exec.Command(exe, os.Args[1:]...)
	cmd.Stdin = os.Stdin
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	cmd.Env = append(os.Environ(), childEnv+"=1")
	cmd.ExtraFiles = p.sock.files
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	return cmd, nil
}

// stopAll ends the children still running: it asks them to exit, waits up
// to ShutdownGracePeriod, then kills the rest.
func (m *master) stopAll() {
	if len(m.children) == 0 {
		return
	}
	grace := m.p.ShutdownGracePeriod
	if grace <= 0 {
		grace = defaultShutdownGracePeriod
	}
	for _, cmd := range m.children {
		if err := askToStop(cmd.Process); err != nil && !errors.Is(err, os.ErrProcessDone) {
			_ = cmd.Process.Kill()
		}
	}
	timer := time.NewTimer(grace)
	defer timer.Stop()
	for len(m.children) > 0 {
		select {
		case exit := <-m.exits:
			delete(m.children, exit.pid)
		case <-timer.C:
			for pid, cmd := range m.children {
				_ = cmd.Process.Kill()
				<-m.exits
				delete(m.children, pid)
			}
		}
	}
}
