package config

import (
	"slices"
	"time"
)

// Defaults of server, the settings of every HTTP server Cinegraph starts
// (serve, router, subgraph).
const (
	// DefaultReadHeaderTimeout bounds reading a request's headers, so a
	// client trickling them cannot hold a connection.
	DefaultReadHeaderTimeout = 10 * time.Second
	// DefaultReadTimeout bounds reading a whole request, body included;
	// request bodies are small (router.max_request_bytes).
	DefaultReadTimeout = 30 * time.Second
	// DefaultWriteTimeout bounds writing a response. It is above
	// router.limits.request_timeout so a slow plan gets its own error
	// first. Subscriptions (websocket, SSE, multipart) are long-lived and
	// are exempted per request.
	DefaultWriteTimeout = 60 * time.Second
	// DefaultIdleTimeout closes keep-alive connections idle that long.
	DefaultIdleTimeout = 120 * time.Second
	// DefaultMaxHeaderBytes bounds a request's headers (net/http's own
	// default).
	DefaultMaxHeaderBytes = 1 << 20
	// DefaultDrainDelay is how long a stopping process keeps serving while
	// unready: none, so a process run by hand stops at once. Behind a load
	// balancer or a Kubernetes Service, set it above the time they take to
	// see readiness fail (a few probe periods).
	DefaultDrainDelay = 0
	// MaxDrainDelay bounds drain_delay: a process asked to stop should not
	// linger for long (Kubernetes kills it after its grace period anyway).
	MaxDrainDelay = 5 * time.Minute
)

// Profiles: demo is the embedded, explorable default; production turns off
// what helps a developer and helps an attacker as much.
const (
	ProfileDemo       = "demo"
	ProfileProduction = "production"
)

// Server configures every HTTP server a Cinegraph process starts.
type Server struct {
	ReadHeaderTimeout time.Duration `koanf:"read_header_timeout" yaml:"read_header_timeout"`
	ReadTimeout       time.Duration `koanf:"read_timeout" yaml:"read_timeout"`
	// WriteTimeout bounds a response; subscriptions are exempt.
	WriteTimeout   time.Duration `koanf:"write_timeout" yaml:"write_timeout"`
	IdleTimeout    time.Duration `koanf:"idle_timeout" yaml:"idle_timeout"`
	MaxHeaderBytes int           `koanf:"max_header_bytes" yaml:"max_header_bytes"`
	TLS            TLS           `koanf:"tls" yaml:"tls"`
	// DrainDelay is how long a process keeps accepting and serving
	// requests, readiness failing ("draining"), once asked to stop
	// (SIGTERM, SIGINT) and before it stops accepting and finishes what
	// is in flight within shutdown_timeout: the time for load balancers
	// and endpoint controllers to stop sending it new work.
	DrainDelay time.Duration `koanf:"drain_delay" yaml:"drain_delay"`
}

// TLS turns on HTTPS (and with it HTTP/2 and HSTS) when both files are set.
type TLS struct {
	CertFile string `koanf:"cert_file" yaml:"cert_file"`
	KeyFile  string `koanf:"key_file" yaml:"key_file"`
}

// Enabled reports whether TLS is configured.
func (t TLS) Enabled() bool { return t.CertFile != "" && t.KeyFile != "" }

func defaultServer() Server {
	return Server{
		ReadHeaderTimeout: DefaultReadHeaderTimeout,
		ReadTimeout:       DefaultReadTimeout,
		WriteTimeout:      DefaultWriteTimeout,
		IdleTimeout:       DefaultIdleTimeout,
		MaxHeaderBytes:    DefaultMaxHeaderBytes,
		DrainDelay:        DefaultDrainDelay,
	}
}

func (s Server) problems(check func(ok bool, format string, args ...any)) {
	for _, d := range []struct {
		key string
		v   time.Duration
	}{
		{"read_header_timeout", s.ReadHeaderTimeout}, {"read_timeout", s.ReadTimeout},
		{"write_timeout", s.WriteTimeout}, {"idle_timeout", s.IdleTimeout},
	} {
		check(d.v > 0, "server.%s: must be positive, got %s", d.key, d.v)
	}
	check(s.MaxHeaderBytes > 0, "server.max_header_bytes: must be positive, got %d", s.MaxHeaderBytes)
	check(s.DrainDelay >= 0, "server.drain_delay: must not be negative, got %s", s.DrainDelay)
	check(s.DrainDelay <= MaxDrainDelay, "server.drain_delay: at most %s, got %s", MaxDrainDelay, s.DrainDelay)
	check((s.TLS.CertFile == "") == (s.TLS.KeyFile == ""), "server.tls: cert_file and key_file must be set together")
}

// productionDefaults are the settings the production profile changes, with
// their production values; each applies unless the file or the
// environment sets it.
var productionDefaults = map[string]func(*Config){
	"router.introspection":          func(c *Config) { c.Router.Introspection = false },
	"router.plan_header":            func(c *Config) { c.Router.PlanHeader = "" },
	"router.cost_header":            func(c *Config) { c.Router.CostHeader = "" },
	"router.expose_subgraph_errors": func(c *Config) { c.Router.ExposeSubgraphErrors = false },
	"frontend.playground":           func(c *Config) { c.Frontend.Playground = false },
	"auth.demo_tokens":              func(c *Config) { c.Auth.DemoTokens = false },
}

// applyProfile gives the production profile's defaults to every setting
// not explicitly set.
func applyProfile(c *Config, explicit map[string]bool) {
	if c.Profile != ProfileProduction {
		return
	}
	keys := make([]string, 0, len(productionDefaults))
	for k := range productionDefaults {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if !explicit[k] {
			productionDefaults[k](c)
		}
	}
}
