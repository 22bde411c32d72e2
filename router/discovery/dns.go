package discovery

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Resolver is the part of *net.Resolver the DNS registry uses; tests
// substitute a fake.
type Resolver interface {
	LookupHost(ctx context.Context, host string) ([]string, error)
	LookupSRV(ctx context.Context, service, proto, name string) (string, []*net.SRV, error)
}

var _ Resolver = (*net.Resolver)(nil)

// DefaultDNSInterval is how often the DNS registry re-resolves its names
// when DNSConfig.Interval is zero.
const DefaultDNSInterval = 10 * time.Second

// DNSConfig configures a DNS registry.
type DNSConfig struct {
	// Names maps a subgraph to what to resolve, in one of two forms:
	//
	//   - a URL whose host is an A/AAAA name, as
	//     http://catalog.cinegraph.svc.cluster.local:4001/graphql: each
	//     address becomes an instance with the URL's scheme, port and path;
	//   - a URL whose host is an SRV name (its first label starts with "_"),
	//     as http://_graphql._tcp.catalog.cinegraph.svc.cluster.local/graphql:
	//     each SRV target and port becomes an instance (a Kubernetes headless
	//     service publishes one per ready pod).
	//
	// A bare name without a scheme means http:// and the path /graphql.
	Names map[string]string
	// Static lists the instances of subgraphs Names does not name.
	Static map[string][]string
	// Interval between resolutions; 0 means DefaultDNSInterval.
	Interval time.Duration
	// Resolver nil means net.DefaultResolver.
	Resolver Resolver
	Logger   *slog.Logger
}

// DNS is a Registry that resolves DNS names on an interval. A failed
// lookup keeps the instances last found, as a DNS outage says nothing of
// the subgraphs.
type DNS struct {
	hub
	cfg     DNSConfig
	targets map[string]*url.URL
	cancel  context.CancelFunc
	done    chan struct{}
	once    sync.Once
}

var _ Registry = (*DNS)(nil)

// NewDNS resolves every name once, then again every interval until Close.
func NewDNS(ctx context.Context, cfg DNSConfig) (*DNS, error) {
	if cfg.Interval <= 0 {
		cfg.Interval = DefaultDNSInterval
	}
	if cfg.Resolver == nil {
		cfg.Resolver = net.DefaultResolver
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	d := &DNS{cfg: cfg, targets: map[string]*url.URL{}, done: make(chan struct{})}
	for name, raw := range cfg.Names {
		u, err := ParseDNSTarget(raw)
		if err != nil {
			return nil, fmt.Errorf("discovery: dns name of %s: %w", name, err)
		}
		d.targets[name] = u
	}
	for name, urls := range cfg.Static {
		if _, ok := d.targets[name]; !ok {
			d.set(name, urls)
		}
	}
	d.resolveAll(ctx)
	ctx, d.cancel = context.WithCancel(context.WithoutCancel(ctx))
	go d.loop(ctx)
	return d, nil
}

// ParseDNSTarget parses a DNSConfig.Names value.
func ParseDNSTarget(raw string) (*url.URL, error) {
	if !strings.Contains(raw, "://") {
		raw = "http://" + raw + "/graphql"
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, err
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("%q is not an http(s) URL", raw)
	}
	if u.Hostname() == "" {
		return nil, fmt.Errorf("%q names no host", raw)
	}
	if !isSRV(u.Hostname()) && u.Port() == "" {
		return nil, fmt.Errorf("%q names no port (only an SRV name gives one)", raw)
	}
	return u, nil
}

func isSRV(host string) bool { return strings.HasPrefix(host, "_") }

func (d *DNS) loop(ctx context.Context) {
	defer close(d.done)
	t := time.NewTicker(d.cfg.Interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			d.resolveAll(ctx)
		}
	}
}

func (d *DNS) resolveAll(ctx context.Context) {
	var wg sync.WaitGroup
	for name, target := range d.targets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rctx, cancel := context.WithTimeout(ctx, max(d.cfg.Interval, time.Second))
			defer cancel()
			urls, err := d.resolve(rctx, target)
			if err != nil {
				if ctx.Err() == nil {
					d.cfg.Logger.Warn("subgraph DNS lookup failed; keeping the instances last found", "subgraph", name, "name", target.Hostname(), "error", err)
				}
				return
			}
			d.set(name, urls)
		}()
	}
	wg.Wait()
}

// resolve returns the instance URLs target stands for now.
func (d *DNS) resolve(ctx context.Context, target *url.URL) ([]string, error) {
	host := target.Hostname()
	var urls []string
	if isSRV(host) {
		_, srvs, err := d.cfg.Resolver.LookupSRV(ctx, "", "", host)
		if err != nil {
			return nil, err
		}
		for _, s := range srvs {
			urls = append(urls, withHost(target, strings.TrimSuffix(s.Target, "."), strconv.Itoa(int(s.Port))))
		}
		return urls, nil
	}
	addrs, err := d.cfg.Resolver.LookupHost(ctx, host)
	if err != nil {
		return nil, err
	}
	for _, a := range addrs {
		urls = append(urls, withHost(target, a, target.Port()))
	}
	return urls, nil
}

func withHost(target *url.URL, host, port string) string {
	u := *target
	u.Host = net.JoinHostPort(host, port)
	return u.String()
}

// Close implements Registry.
func (d *DNS) Close() error {
	d.once.Do(func() {
		d.cancel()
		<-d.done
		d.close()
	})
	return nil
}
