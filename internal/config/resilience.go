package config

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/knadh/koanf/providers/structs"
	"github.com/knadh/koanf/v2"
)

// Defaults of router.resilience. They match the router's own defaults
// (router/resilience), which a test in app/ holds them to.
const (
	// DefaultConsecutiveFailures cut a hung subgraph off within a handful
	// of requests.
	DefaultConsecutiveFailures = 5
	// DefaultFailureRate (percent) over DefaultBreakerWindow, once
	// DefaultMinRequests fell in it, catches a subgraph failing now and then.
	DefaultFailureRate    = 50
	DefaultMinRequests    = 20
	DefaultBreakerWindow  = 10 * time.Second
	DefaultOpenFor        = 5 * time.Second
	DefaultHalfOpenProbes = 3
	// DefaultMaxConcurrent fetches per subgraph instance, each waiting at
	// most DefaultMaxWait for a slot.
	DefaultMaxConcurrent = 128
	DefaultMaxWait       = 500 * time.Millisecond
	// DefaultMaxAttempts of a query: one retry after a failure with no
	// answer, after a jittered, doubling backoff, within a budget of
	// retries in flight.
	DefaultMaxAttempts      = 2
	DefaultBackoff          = 25 * time.Millisecond
	DefaultMaxBackoff       = 250 * time.Millisecond
	DefaultJitter           = 0.5
	DefaultRetryBudget      = 0.2
	DefaultRetryBudgetFloor = 3
	// DefaultHealthInterval between the router's active checks of each
	// subgraph, each bounded by DefaultHealthTimeout.
	DefaultHealthInterval = 5 * time.Second
	DefaultHealthTimeout  = 2 * time.Second
)

// Resilience guards the router's fetches to every subgraph instance. The
// timeout of one attempt is router.fetch_timeout.
type Resilience struct {
	Breaker  Breaker      `koanf:"breaker" yaml:"breaker"`
	Bulkhead Bulkhead     `koanf:"bulkhead" yaml:"bulkhead"`
	Retry    Retry        `koanf:"retry" yaml:"retry"`
	Health   HealthChecks `koanf:"health" yaml:"health"`
	// Required names the subgraphs without which the router reports itself
	// unready; with none it stays ready and serves what it can.
	Required []string `koanf:"required" yaml:"required"`
	// Subgraphs overrides the settings above by subgraph name; zero fields
	// keep them.
	Subgraphs map[string]SubgraphResilience `koanf:"subgraphs" yaml:"subgraphs"`
}

// Breaker opens on ConsecutiveFailures (or timeouts) in a row, or on
// FailureRate percent of the fetches in the last Window once MinRequests
// fell in it; it refuses fetches for OpenFor, then lets HalfOpenProbes
// through, which must all succeed for it to close.
type Breaker struct {
	ConsecutiveFailures int           `koanf:"consecutive_failures" yaml:"consecutive_failures"`
	FailureRate         int           `koanf:"failure_rate" yaml:"failure_rate"`
	MinRequests         int           `koanf:"min_requests" yaml:"min_requests"`
	Window              time.Duration `koanf:"window" yaml:"window"`
	OpenFor             time.Duration `koanf:"open_for" yaml:"open_for"`
	HalfOpenProbes      int           `koanf:"half_open_probes" yaml:"half_open_probes"`
}

// Bulkhead bounds the fetches in flight to one instance.
type Bulkhead struct {
	MaxConcurrent int           `koanf:"max_concurrent" yaml:"max_concurrent"`
	MaxWait       time.Duration `koanf:"max_wait" yaml:"max_wait"`
}

// Retry resends queries (never mutations) that got no answer. MaxAttempts
// counts the first (1 turns retries off); Jitter varies each delay by up to
// that factor; Budget is the largest share of the fetches in flight that
// may be retries, BudgetFloor the retries allowed whatever the share.
type Retry struct {
	MaxAttempts int           `koanf:"max_attempts" yaml:"max_attempts"`
	Backoff     time.Duration `koanf:"backoff" yaml:"backoff"`
	MaxBackoff  time.Duration `koanf:"max_backoff" yaml:"max_backoff"`
	Jitter      float64       `koanf:"jitter" yaml:"jitter"`
	Budget      float64       `koanf:"budget" yaml:"budget"`
	BudgetFloor int           `koanf:"budget_floor" yaml:"budget_floor"`
}

// HealthChecks configures the router's active checks of its subgraphs.
type HealthChecks struct {
	Interval time.Duration `koanf:"interval" yaml:"interval"`
	Timeout  time.Duration `koanf:"timeout" yaml:"timeout"`
}

// SubgraphResilience overrides router.resilience for one subgraph.
type SubgraphResilience struct {
	// Timeout overrides router.fetch_timeout.
	Timeout  time.Duration `koanf:"timeout" yaml:"timeout"`
	Breaker  Breaker       `koanf:"breaker" yaml:"breaker"`
	Bulkhead Bulkhead      `koanf:"bulkhead" yaml:"bulkhead"`
	Retry    Retry         `koanf:"retry" yaml:"retry"`
	// HealthURL, when set, is checked with GET instead of sending the
	// subgraph `{ __typename }`.
	HealthURL string `koanf:"health_url" yaml:"health_url"`
}

func defaultResilience() Resilience {
	return Resilience{
		Breaker: Breaker{
			ConsecutiveFailures: DefaultConsecutiveFailures, FailureRate: DefaultFailureRate, MinRequests: DefaultMinRequests,
			Window: DefaultBreakerWindow, OpenFor: DefaultOpenFor, HalfOpenProbes: DefaultHalfOpenProbes,
		},
		Bulkhead: Bulkhead{MaxConcurrent: DefaultMaxConcurrent, MaxWait: DefaultMaxWait},
		Retry: Retry{
			MaxAttempts: DefaultMaxAttempts, Backoff: DefaultBackoff, MaxBackoff: DefaultMaxBackoff,
			Jitter: DefaultJitter, Budget: DefaultRetryBudget, BudgetFloor: DefaultRetryBudgetFloor,
		},
		Health:    HealthChecks{Interval: DefaultHealthInterval, Timeout: DefaultHealthTimeout},
		Required:  []string{},
		Subgraphs: map[string]SubgraphResilience{},
	}
}

// problems checks router.resilience: the defaults must all be set, the
// overrides may be zero (kept from the defaults) but not out of range.
func (r Resilience) problems(check func(ok bool, format string, args ...any)) {
	const prefix = "router.resilience"
	r.Breaker.problems(prefix+".breaker", false, check)
	r.Bulkhead.problems(prefix+".bulkhead", false, check)
	r.Retry.problems(prefix+".retry", false, check)
	check(r.Health.Interval > 0, "%s.health.interval: must be positive, got %s", prefix, r.Health.Interval)
	check(r.Health.Timeout > 0, "%s.health.timeout: must be positive, got %s", prefix, r.Health.Timeout)
	for i, name := range r.Required {
		check(name != "", "%s.required[%d]: must name a subgraph", prefix, i)
	}
	names := make([]string, 0, len(r.Subgraphs))
	for name := range r.Subgraphs {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		s, p := r.Subgraphs[name], prefix+".subgraphs."+name
		check(s.Timeout >= 0, "%s.timeout: must not be negative, got %s", p, s.Timeout)
		s.Breaker.problems(p+".breaker", true, check)
		s.Bulkhead.problems(p+".bulkhead", true, check)
		s.Retry.problems(p+".retry", true, check)
		if s.HealthURL != "" {
			u, err := url.Parse(s.HealthURL)
			check(err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "", "%s.health_url: %q is not an http(s) URL", p, s.HealthURL)
		}
	}
}

// atLeast returns the least value a setting may take: 0 in an override,
// where it keeps the default, else min.
func atLeast[T int | time.Duration | float64](override bool, min T) T {
	if override {
		return 0
	}
	return min
}

func (b Breaker) problems(p string, override bool, check func(bool, string, ...any)) {
	check(b.ConsecutiveFailures >= atLeast(override, 1), "%s.consecutive_failures: must be positive, got %d", p, b.ConsecutiveFailures)
	check(b.FailureRate >= atLeast(override, 1) && b.FailureRate <= 100, "%s.failure_rate: must be a percentage from 1 to 100, got %d", p, b.FailureRate)
	check(b.MinRequests >= atLeast(override, 1), "%s.min_requests: must be positive, got %d", p, b.MinRequests)
	check(b.Window >= atLeast(override, time.Millisecond), "%s.window: must be positive, got %s", p, b.Window)
	check(b.OpenFor >= atLeast(override, time.Millisecond), "%s.open_for: must be positive, got %s", p, b.OpenFor)
	check(b.HalfOpenProbes >= atLeast(override, 1), "%s.half_open_probes: must be positive, got %d", p, b.HalfOpenProbes)
}

func (b Bulkhead) problems(p string, override bool, check func(bool, string, ...any)) {
	check(b.MaxConcurrent >= atLeast(override, 1), "%s.max_concurrent: must be positive, got %d", p, b.MaxConcurrent)
	check(b.MaxWait >= atLeast(override, time.Millisecond), "%s.max_wait: must be positive, got %s", p, b.MaxWait)
}

func (r Retry) problems(p string, override bool, check func(bool, string, ...any)) {
	check(r.MaxAttempts >= atLeast(override, 1), "%s.max_attempts: must be at least 1, got %d", p, r.MaxAttempts)
	check(r.Backoff >= atLeast(override, time.Millisecond), "%s.backoff: must be positive, got %s", p, r.Backoff)
	check(r.MaxBackoff >= atLeast(override, time.Millisecond), "%s.max_backoff: must be positive, got %s", p, r.MaxBackoff)
	if r.Backoff > 0 && r.MaxBackoff > 0 {
		check(r.MaxBackoff >= r.Backoff, "%s.max_backoff: %s is less than backoff %s", p, r.MaxBackoff, r.Backoff)
	}
	check(r.Jitter >= atLeast(override, 0.0) && r.Jitter <= 1, "%s.jitter: must be a factor from 0 to 1, got %g", p, r.Jitter)
	budgetOK := r.Budget > 0 || (override && r.Budget == 0)
	check(budgetOK && r.Budget <= 1, "%s.budget: must be a share above 0 and at most 1, got %g", p, r.Budget)
	check(r.BudgetFloor >= 0, "%s.budget_floor: must not be negative, got %d", p, r.BudgetFloor)
}

// structMaps are the settings that map a name to a group of settings;
// CINEGRAPH_ROUTER_RESILIENCE_SUBGRAPHS_VIDEO_BREAKER_OPEN_FOR sets
// router.resilience.subgraphs.video.breaker.open_for.
var structMaps = map[string]any{"router.resilience.subgraphs": SubgraphResilience{}}

// structMapEntryKey finds the setting an environment variable names inside
// a structMaps entry: the longest field name that ends it, after the name.
func structMapEntryKey(name string) (string, bool) {
	for m, zero := range structMaps {
		prefix := envName(m) + "_"
		rest, ok := strings.CutPrefix(name, prefix)
		if !ok {
			continue
		}
		fields := koanf.New(".")
		if err := fields.Load(structs.Provider(zero, "koanf"), nil); err != nil {
			return "", false
		}
		best := ""
		for _, f := range fields.Keys() {
			suffix := "_" + strings.TrimPrefix(envName(f), EnvPrefix)
			if strings.HasSuffix(rest, suffix) && len(rest) > len(suffix) && len(f) > len(best) {
				best = f
			}
		}
		if best != "" {
			entry := strings.ToLower(strings.TrimSuffix(rest, "_"+strings.TrimPrefix(envName(best), EnvPrefix)))
			return fmt.Sprintf("%s.%s.%s", m, entry, best), true
		}
	}
	return "", false
}
