// Package faults runs Cinegraph as separate processes on loopback (each
// subgraph on its own, chat twice, and a router in front configured with
// their URLs), puts a steady load of queries through the router and injects
// faults into the processes: a subgraph hung with SIGSTOP and resumed with
// SIGCONT, a chat instance killed, a broken configuration pushed to the
// router. Each scenario reports what clients saw (requests sent, failed,
// p50/p99 latency before, during and after, time to recover); the
// bench-faults program prints the figures, and the end-to-end tests check
// the counts.
package faults

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Options configure a Cluster.
type Options struct {
	// Bin is the cinegraph binary.
	Bin string
	// DataParent is where the fresh data directory goes ("" for the
	// system's temporary directory).
	DataParent string
	// FetchTimeout is the router's router.fetch_timeout: how long a fetch
	// to a hung subgraph waits. Everything else is the router's default,
	// the circuit breaker included.
	FetchTimeout time.Duration
}

// Cluster is a router and its subgraphs, each a process of its own.
type Cluster struct {
	opts      Options
	dir       string
	data      string
	config    string
	RouterURL string
	procs     map[string]*Process
	order     []string
}

// Subgraph processes a Cluster starts, by name: chat runs twice.
var instances = []struct{ name, subgraph string }{
	{"catalog", "catalog"},
	{"video", "video"},
	{"chat-1", "chat"},
	{"chat-2", "chat"},
	{"insights", "insights"},
}

var listeningAt = regexp.MustCompile(`addr=(http://127\.0\.0\.1:\d+)`)

// Start seeds a fresh data directory and starts every subgraph instance,
// then the router, and waits until a query through the router touching
// every subgraph is answered without errors.
func Start(ctx context.Context, opts Options) (_ *Cluster, err error) {
	if opts.FetchTimeout <= 0 {
		opts.FetchTimeout = 10 * time.Second
	}
	dir, err := os.MkdirTemp(opts.DataParent, "cinegraph-faults-")
	if err != nil {
		return nil, err
	}
	c := &Cluster{opts: opts, dir: dir, config: filepath.Join(dir, "router.yaml"), procs: map[string]*Process{}}
	defer func() {
		if err != nil {
			c.Close()
		}
	}()
	data := filepath.Join(dir, "data")
	c.data = data
	seed := exec.CommandContext(ctx, opts.Bin, "seed", "--data-dir", data)
	seed.Env = environ()
	if out, err := seed.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("seed: %v\n%s", err, out)
	}
	urls := map[string][]string{}
	for _, in := range instances {
		p, err := c.start(ctx, in.name, "subgraph", in.subgraph, "--listen", "127.0.0.1:0", "--data-dir", data)
		if err != nil {
			return nil, err
		}
		urls[in.subgraph] = append(urls[in.subgraph], p.URL+"/graphql")
	}
	if err := os.WriteFile(c.config, []byte(c.routerConfig(urls)), 0o600); err != nil {
		return nil, err
	}
	p, err := c.start(ctx, "router", "router", "--config", c.config, "--listen", "127.0.0.1:0", "--data-dir", data)
	if err != nil {
		return nil, err
	}
	c.RouterURL = p.URL + "/graphql"
	client := &http.Client{Timeout: 5 * time.Second}
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		r := send(ctx, client, c.RouterURL, allSubgraphs)
		if r.Err == "" {
			return c, nil
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("the router did not answer a query without errors within 30 s (last: %s)\n%s", r.Err, p.Log())
		}
	}
}

// routerConfig is the router's configuration file: the subgraphs' URLs,
// chat's two instances, the fetch timeout, and no rate limit (the load
// comes from one address).
func (c *Cluster) routerConfig(urls map[string][]string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "router:\n  fetch_timeout: %s\n  rate_limit:\n    enabled: false\n  subgraph_urls:\n", c.opts.FetchTimeout)
	for name, u := range urls {
		if len(u) == 1 {
			fmt.Fprintf(&b, "    %s: %s\n", name, u[0])
		}
	}
	b.WriteString("  discovery:\n    subgraph_instances:\n")
	for name, u := range urls {
		if len(u) > 1 {
			fmt.Fprintf(&b, "      %s: [%s]\n", name, strings.Join(u, ", "))
		}
	}
	return b.String()
}

// WriteRouterConfig replaces the router's configuration file (which the
// router watches) with text.
func (c *Cluster) WriteRouterConfig(text string) error {
	tmp := c.config + ".tmp"
	if err := os.WriteFile(tmp, []byte(text), 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, c.config)
}

// RouterConfig returns the router's configuration file as it is.
func (c *Cluster) RouterConfig() (string, error) {
	b, err := os.ReadFile(c.config)
	return string(b), err
}

// Process returns the process called name: "router", "catalog", "video",
// "chat-1", "chat-2" or "insights".
func (c *Cluster) Process(name string) *Process { return c.procs[name] }

// Restart starts the process called name again, on the address it had,
// once it has exited (after Kill).
func (c *Cluster) Restart(ctx context.Context, name string) error {
	old := c.procs[name]
	if old == nil {
		return fmt.Errorf("faults: no process %q", name)
	}
	select {
	case <-old.exited:
	default:
		return fmt.Errorf("faults: %s is still running", name)
	}
	args := slices.Clone(old.args)
	if i := slices.Index(args, "--listen"); i >= 0 && i+1 < len(args) {
		args[i+1] = strings.TrimPrefix(old.URL, "http://")
	}
	p, err := c.start(ctx, name, args...)
	if err != nil {
		return err
	}
	if p.URL != old.URL {
		return fmt.Errorf("faults: %s restarted at %s, not %s", name, p.URL, old.URL)
	}
	return nil
}

// Close interrupts every process still running (resuming a stopped one
// first), waits for them, and removes the data directory.
func (c *Cluster) Close() {
	for i := len(c.order) - 1; i >= 0; i-- {
		c.procs[c.order[i]].stop()
	}
	_ = os.RemoveAll(c.dir)
}

func (c *Cluster) start(ctx context.Context, name string, args ...string) (*Process, error) {
	p, err := startProcess(ctx, c.opts.Bin, name, nil, args...)
	if p != nil {
		if _, again := c.procs[name]; !again {
			c.order = append(c.order, name)
		}
		c.procs[name] = p
	}
	return p, err
}

// startProcess starts bin with args and env (over environ()) and waits
// until it logs the address it listens at. The process gets SIGINT when ctx
// ends. On an error after the start, the process is returned all the same
// so that its owner can stop it.
func startProcess(ctx context.Context, bin, name string, env []string, args ...string) (*Process, error) {
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = append(environ(), env...)
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 10 * time.Second
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	p := &Process{Name: name, cmd: cmd, args: args, exited: make(chan struct{}), Started: time.Now()}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		sent := false
		for sc.Scan() {
			p.appendLog(sc.Text())
			if m := listeningAt.FindStringSubmatch(sc.Text()); m != nil && !sent {
				found <- m[1]
				sent = true
			}
		}
		_ = cmd.Wait()
		close(p.exited)
	}()
	select {
	case u := <-found:
		p.URL = u
		return p, nil
	case <-p.exited:
		return p, fmt.Errorf("%s exited before listening:\n%s", name, p.Log())
	case <-time.After(60 * time.Second):
		return p, fmt.Errorf("%s did not listen within 60 s:\n%s", name, p.Log())
	}
}

// environ is this process's environment less the CINEGRAPH_ variables,
// which the config loader would read (and refuse where unknown).
func environ() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "CINEGRAPH_") {
			env = append(env, kv)
		}
	}
	return env
}

// Process is one cinegraph process of a Cluster.
type Process struct {
	Name string
	// URL is where it listens (http://127.0.0.1:port).
	URL string
	// Started is when it was started.
	Started time.Time
	cmd     *exec.Cmd
	args    []string
	exited  chan struct{}

	mu  sync.Mutex
	log []string
}

// maxLogLines bounds the log a Process keeps (its latest lines).
const maxLogLines = 2000

func (p *Process) appendLog(line string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.log) == maxLogLines {
		p.log = append(p.log[:0], p.log[maxLogLines/2:]...)
	}
	p.log = append(p.log, line)
}

// Log returns the latest lines the process wrote to stderr.
func (p *Process) Log() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return strings.Join(p.log, "\n")
}

// Running reports whether the process has not exited.
func (p *Process) Running() bool {
	select {
	case <-p.exited:
		return false
	default:
		return true
	}
}

// Hang stops the process (SIGSTOP): its sockets stay open and nothing
// answers.
func (p *Process) Hang() error { return p.cmd.Process.Signal(syscall.SIGSTOP) }

// Resume continues a hung process (SIGCONT).
func (p *Process) Resume() error { return p.cmd.Process.Signal(syscall.SIGCONT) }

// Kill ends the process at once (SIGKILL) and waits for it.
func (p *Process) Kill() error {
	if err := p.cmd.Process.Kill(); err != nil {
		return err
	}
	<-p.exited
	return nil
}

// Pid is the process id.
func (p *Process) Pid() int { return p.cmd.Process.Pid }

// Exited is closed when the process has exited.
func (p *Process) Exited() <-chan struct{} { return p.exited }

// ExitCode is the process's exit status once it has exited (-1 when a
// signal ended it), else -1.
func (p *Process) ExitCode() int {
	if p.Running() || p.cmd.ProcessState == nil {
		return -1
	}
	return p.cmd.ProcessState.ExitCode()
}

// Terminate asks the process to stop (SIGTERM), as an orchestrator does
// on a rolling restart, and waits up to wait for it to exit; it is killed
// when it has not.
func (p *Process) Terminate(wait time.Duration) error {
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return err
	}
	select {
	case <-p.exited:
		return nil
	case <-time.After(wait):
		_ = p.cmd.Process.Kill()
		<-p.exited
		return fmt.Errorf("%s did not exit within %s of SIGTERM; killed", p.Name, wait)
	}
}

func (p *Process) stop() {
	select {
	case <-p.exited:
		return
	default:
	}
	_ = p.Resume()
	_ = p.cmd.Process.Signal(os.Interrupt)
	select {
	case <-p.exited:
	case <-time.After(15 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.exited
	}
}
