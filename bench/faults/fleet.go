package faults

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
)

// FleetOptions configure a Fleet.
type FleetOptions struct {
	// Bin is the cinegraph binary.
	Bin string
	// Config is the cluster-mode configuration file every process loads
	// (deploy/config/cluster.yaml: the engines of make services-up).
	Config string
	// DataParent is where the fresh data directory goes ("" for the
	// system's temporary directory). In cluster mode it holds only the
	// demo token key, shared by every process.
	DataParent string
	// DrainDelay is every process's server.drain_delay.
	DrainDelay time.Duration
	// EtcdTTL is the lease of a subgraph's registration
	// (router.discovery.etcd.ttl): how long a killed instance stays listed.
	EtcdTTL time.Duration
	// Routers and PerSubgraph are how many routers and instances of each
	// subgraph run.
	Routers, PerSubgraph int
}

// Fleet is Cinegraph in cluster mode as separate processes: routers and
// several instances of every subgraph, discovering each other through an
// etcd run in this process.
type Fleet struct {
	opts  FleetOptions
	dir   string
	data  string
	etcd  *Etcd
	env   []string
	token string

	mu    sync.Mutex
	procs map[string]*Process // the current process of each name
	gen   map[string]int
	// all are every process started, replaced ones included, for the
	// sizing figures.
	all []*Process
}

// FleetSubgraphs are the subgraphs a Fleet runs.
var FleetSubgraphs = []string{"catalog", "video", "chat", "insights"}

// StartFleet starts etcd, migrates and seeds the cluster engines once, and
// starts every subgraph instance (registering in etcd), then the routers
// (discovering them), and waits until each router answers a query touching
// every subgraph without errors.
func StartFleet(ctx context.Context, opts FleetOptions) (_ *Fleet, err error) {
	opts.Routers = max(opts.Routers, 1)
	opts.PerSubgraph = max(opts.PerSubgraph, 1)
	if opts.EtcdTTL <= 0 {
		opts.EtcdTTL = 10 * time.Second
	}
	dir, err := os.MkdirTemp(opts.DataParent, "cinegraph-fleet-")
	if err != nil {
		return nil, err
	}
	f := &Fleet{opts: opts, dir: dir, data: filepath.Join(dir, "data"), procs: map[string]*Process{}, gen: map[string]int{}}
	defer func() {
		if err != nil {
			f.Close()
		}
	}()
	if f.etcd, err = StartEtcd(filepath.Join(dir, "etcd")); err != nil {
		return nil, err
	}
	secret := make([]byte, 16)
	_, _ = rand.Read(secret)
	f.env = []string{
		"CINEGRAPH_DATA_DIR=" + f.data,
		// One router token for every process, as a deployment sets it.
		"CINEGRAPH_ROUTER_AUTH_TOKEN=" + hex.EncodeToString(secret),
		"CINEGRAPH_SERVER_DRAIN_DELAY=" + opts.DrainDelay.String(),
		"CINEGRAPH_ROUTER_DISCOVERY_ETCD_TTL=" + opts.EtcdTTL.String(),
		// The load comes from one address.
		"CINEGRAPH_ROUTER_RATE_LIMIT_ENABLED=false",
	}
	for _, step := range [][]string{{"migrate", "--config", opts.Config}, {"seed", "--config", opts.Config}} {
		cmd := exec.CommandContext(ctx, opts.Bin, step...)
		cmd.Env = append(environ(), f.env...)
		if out, err := cmd.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("%s: %v\n%s", step[0], err, out)
		}
	}
	// The demo token key, made once before the routers read it.
	if f.token, err = f.Token(ctx, "profile-1"); err != nil {
		return nil, err
	}
	for _, sg := range FleetSubgraphs {
		for i := 1; i <= opts.PerSubgraph; i++ {
			if _, err := f.Start(ctx, fmt.Sprintf("%s-%d", sg, i)); err != nil {
				return nil, err
			}
		}
	}
	for i := 1; i <= opts.Routers; i++ {
		if _, err := f.Start(ctx, fmt.Sprintf("router-%d", i)); err != nil {
			return nil, err
		}
	}
	client := &http.Client{Timeout: 5 * time.Second}
	for _, name := range f.RouterNames() {
		p := f.Process(name)
		for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(200 * time.Millisecond) {
			r := send(ctx, client, p.URL+"/graphql", allSubgraphs)
			if r.Err == "" {
				break
			}
			if time.Now().After(deadline) {
				return nil, fmt.Errorf("%s did not answer a query without errors within 60 s (last: %s)\n%s", name, r.Err, p.Log())
			}
		}
	}
	return f, nil
}

// Etcd returns the fleet's etcd endpoint.
func (f *Fleet) Etcd() string { return f.etcd.Endpoint }

// Token returns a demo bearer token for profile.
func (f *Fleet) Token(ctx context.Context, profile string) (string, error) {
	cmd := exec.CommandContext(ctx, f.opts.Bin, "token", "--profile", profile, "--config", f.opts.Config)
	cmd.Env = append(environ(), f.env...)
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("token: %w", err)
	}
	return strings.TrimSpace(string(out)), nil
}

// Start starts the process called name ("router-2", "chat-1"), a new
// generation of it when one ran before, and waits until it is ready
// (/health/ready answers 200). The previous generation, if running, is
// left as it is: Replace stops it.
func (f *Fleet) Start(ctx context.Context, name string) (*Process, error) {
	role, _, ok := strings.Cut(name, "-")
	if !ok {
		return nil, fmt.Errorf("fleet: %q is not role-n", name)
	}
	etcd := "etcd://" + f.etcd.Endpoint
	var args []string
	switch {
	case role == "router":
		args = []string{"router", "--config", f.opts.Config, "--listen", "127.0.0.1:0", "--discovery", etcd}
	case slices.Contains(FleetSubgraphs, role):
		args = []string{"subgraph", role, "--config", f.opts.Config, "--listen", "127.0.0.1:0", "--register", etcd}
	default:
		return nil, fmt.Errorf("fleet: no role %q", role)
	}
	f.mu.Lock()
	f.gen[name]++
	label := name
	if g := f.gen[name]; g > 1 {
		label = fmt.Sprintf("%s#%d", name, g)
	}
	f.mu.Unlock()
	// The process outlives ctx: Close stops it.
	p, err := startProcess(context.WithoutCancel(ctx), f.opts.Bin, label, f.env, args...)
	if p != nil {
		f.mu.Lock()
		f.all = append(f.all, p)
		f.mu.Unlock()
	}
	if err != nil {
		return nil, err
	}
	if err := waitReady(ctx, p, 60*time.Second); err != nil {
		return nil, err
	}
	f.mu.Lock()
	f.procs[name] = p
	f.mu.Unlock()
	return p, nil
}

// waitReady polls p's /health/ready until it answers 200.
func waitReady(ctx context.Context, p *Process, within time.Duration) error {
	client := &http.Client{Timeout: time.Second}
	for deadline := time.Now().Add(within); ; {
		if ready(ctx, client, p.URL) {
			return nil
		}
		if !p.Running() {
			return fmt.Errorf("%s exited before it was ready:\n%s", p.Name, p.Log())
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return fmt.Errorf("%s was not ready within %s:\n%s", p.Name, within, p.Log())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func ready(ctx context.Context, client *http.Client, base string) bool {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/health/ready", nil)
	if err != nil {
		return false
	}
	resp, err := client.Do(req)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// Process returns the current process called name.
func (f *Fleet) Process(name string) *Process {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.procs[name]
}

// Names returns the names of the fleet's processes: subgraph instances
// first, then routers.
func (f *Fleet) Names() []string {
	var names []string
	for _, sg := range FleetSubgraphs {
		for i := 1; i <= f.opts.PerSubgraph; i++ {
			names = append(names, fmt.Sprintf("%s-%d", sg, i))
		}
	}
	return append(names, f.RouterNames()...)
}

// RouterNames returns the routers' names.
func (f *Fleet) RouterNames() []string {
	var names []string
	for i := 1; i <= f.opts.Routers; i++ {
		names = append(names, fmt.Sprintf("router-%d", i))
	}
	return names
}

// All returns every process the fleet started, replaced ones included.
func (f *Fleet) All() []*Process {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.all)
}

// Close interrupts every process still running, routers first, stops
// etcd and removes the data directory.
func (f *Fleet) Close() {
	// Routers first, then the subgraphs, each group at once.
	all := f.All()
	for _, routers := range []bool{true, false} {
		var wg sync.WaitGroup
		for _, p := range all {
			if strings.HasPrefix(p.Name, "router-") == routers {
				wg.Go(p.stop)
			}
		}
		wg.Wait()
	}
	if f.etcd != nil {
		f.etcd.Close()
	}
	_ = os.RemoveAll(f.dir)
}
