package resilience

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"
)

// Defaults of every setting; a zero field in a Policy takes these. The
// breaker's consecutive-failure rule is what cuts a hung subgraph off
// within a handful of requests; the failure-rate rule catches one that
// fails only some of the time.
const (
	// DefaultTimeout bounds one attempt of a fetch.
	DefaultTimeout = 10 * time.Second
	// DefaultConsecutiveFailures open the breaker whatever came before.
	DefaultConsecutiveFailures = 5
	// DefaultFailureRate (percent) over DefaultWindow opens the breaker
	// once DefaultMinRequests fetches fell in the window.
	DefaultFailureRate = 50
	DefaultMinRequests = 20
	DefaultWindow      = 10 * time.Second
	// DefaultOpenFor is how long an open breaker refuses fetches before
	// letting probes through.
	DefaultOpenFor = 5 * time.Second
	// DefaultHalfOpenProbes must all succeed for a half-open breaker to
	// close; they are also the most fetches let through while half-open.
	DefaultHalfOpenProbes = 3
	// DefaultMaxConcurrent fetches per instance: a hung subgraph holds at
	// most this many connections.
	DefaultMaxConcurrent = 128
	// DefaultMaxWait bounds the wait for a bulkhead slot.
	DefaultMaxWait = 500 * time.Millisecond
	// DefaultMaxAttempts of a query, the first included: one retry.
	DefaultMaxAttempts = 2
	// DefaultBackoff is the first retry's delay, doubling up to
	// DefaultMaxBackoff, each varied by DefaultJitter (a factor).
	DefaultBackoff    = 25 * time.Millisecond
	DefaultMaxBackoff = 250 * time.Millisecond
	DefaultJitter     = 0.5
	// DefaultRetryBudget is the largest share of an instance's fetches in
	// flight that may be retries, so retries cannot multiply the load on a
	// struggling subgraph; DefaultRetryBudgetFloor retries are always
	// allowed, so a quiet router still retries.
	DefaultRetryBudget      = 0.2
	DefaultRetryBudgetFloor = 3
	// DefaultHealthInterval between active checks of each instance, each
	// bounded by DefaultHealthTimeout.
	DefaultHealthInterval = 5 * time.Second
	DefaultHealthTimeout  = 2 * time.Second
)

// Config configures the Guard: a default policy, overrides per subgraph,
// active health checks and the subgraphs readiness depends on.
type Config struct {
	Default Policy
	// Subgraphs overrides Default by subgraph name; zero fields keep it.
	Subgraphs map[string]Policy
	Health    Health
	// Required names the subgraphs without which the router reports
	// itself unready; by default it stays ready and serves what it can.
	Required []string
}

// Policy is what guards the fetches to one subgraph instance.
type Policy struct {
	// Timeout bounds one attempt.
	Timeout  time.Duration
	Breaker  Breaker
	Bulkhead Bulkhead
	Retry    Retry
	// HealthURL, when set, is fetched with GET by the active check, which
	// otherwise sends the subgraph `{ __typename }`.
	HealthURL string
}

// Breaker opens on either rule and answers at once while open.
type Breaker struct {
	// ConsecutiveFailures (or timeouts) in a row open the breaker.
	ConsecutiveFailures int
	// FailureRate is a percentage: the breaker opens when at least that
	// share of the fetches in the last Window failed, once MinRequests
	// fetches fell in it.
	FailureRate int
	MinRequests int
	Window      time.Duration
	// OpenFor is how long an open breaker refuses fetches.
	OpenFor time.Duration
	// HalfOpenProbes fetches are then let through; all must succeed for
	// the breaker to close, and one failure opens it again.
	HalfOpenProbes int
}

// Bulkhead bounds the fetches in flight to one instance.
type Bulkhead struct {
	MaxConcurrent int
	// MaxWait bounds how long a fetch waits for a slot.
	MaxWait time.Duration
}

// Retry retries queries (never mutations) that failed without an answer.
type Retry struct {
	// MaxAttempts counts the first; 1 turns retries off.
	MaxAttempts int
	Backoff     time.Duration
	MaxBackoff  time.Duration
	// Jitter varies each delay by up to this factor either way (0 to 1).
	Jitter float64
	// Budget is the largest share (0 to 1) of the fetches in flight that
	// may be retries; BudgetFloor retries are allowed whatever the share.
	Budget      float64
	BudgetFloor int
}

// Health configures the active checks.
type Health struct {
	Interval time.Duration
	Timeout  time.Duration
}

// Defaults returns the default policy, every field set.
func Defaults() Policy {
	return Policy{
		Timeout: DefaultTimeout,
		Breaker: Breaker{
			ConsecutiveFailures: DefaultConsecutiveFailures,
			FailureRate:         DefaultFailureRate,
			MinRequests:         DefaultMinRequests,
			Window:              DefaultWindow,
			OpenFor:             DefaultOpenFor,
			HalfOpenProbes:      DefaultHalfOpenProbes,
		},
		Bulkhead: Bulkhead{MaxConcurrent: DefaultMaxConcurrent, MaxWait: DefaultMaxWait},
		Retry: Retry{
			MaxAttempts: DefaultMaxAttempts,
			Backoff:     DefaultBackoff,
			MaxBackoff:  DefaultMaxBackoff,
			Jitter:      DefaultJitter,
			Budget:      DefaultRetryBudget,
			BudgetFloor: DefaultRetryBudgetFloor,
		},
	}
}

// For returns the policy of subgraph: its override over Default over
// Defaults, field by field.
func (c Config) For(subgraph string) Policy {
	p := overlay(Defaults(), c.Default)
	if o, ok := c.Subgraphs[subgraph]; ok {
		p = overlay(p, o)
	}
	return p
}

func (c Config) health() Health {
	h := Health{Interval: DefaultHealthInterval, Timeout: DefaultHealthTimeout}
	set(&h.Interval, c.Health.Interval)
	set(&h.Timeout, c.Health.Timeout)
	return h
}

// overlay returns base with the non-zero fields of o.
func overlay(base, o Policy) Policy {
	set(&base.Timeout, o.Timeout)
	set(&base.HealthURL, o.HealthURL)
	b := &base.Breaker
	set(&b.ConsecutiveFailures, o.Breaker.ConsecutiveFailures)
	set(&b.FailureRate, o.Breaker.FailureRate)
	set(&b.MinRequests, o.Breaker.MinRequests)
	set(&b.Window, o.Breaker.Window)
	set(&b.OpenFor, o.Breaker.OpenFor)
	set(&b.HalfOpenProbes, o.Breaker.HalfOpenProbes)
	set(&base.Bulkhead.MaxConcurrent, o.Bulkhead.MaxConcurrent)
	set(&base.Bulkhead.MaxWait, o.Bulkhead.MaxWait)
	r := &base.Retry
	set(&r.MaxAttempts, o.Retry.MaxAttempts)
	set(&r.Backoff, o.Retry.Backoff)
	set(&r.MaxBackoff, o.Retry.MaxBackoff)
	set(&r.Jitter, o.Retry.Jitter)
	set(&r.Budget, o.Retry.Budget)
	set(&r.BudgetFloor, o.Retry.BudgetFloor)
	return base
}

func set[T comparable](dst *T, v T) {
	var zero T
	if v != zero {
		*dst = v
	}
}

// Validate reports every setting out of range at once; zero fields are
// fine, they take the defaults.
func (c Config) Validate() error {
	var errs []error
	c.Default.check("default", &errs)
	for _, name := range slices.Sorted(maps.Keys(c.Subgraphs)) {
		c.Subgraphs[name].check("subgraph "+name, &errs)
	}
	if c.Health.Interval < 0 || c.Health.Timeout < 0 {
		errs = append(errs, errors.New("resilience: health interval and timeout must not be negative"))
	}
	return errors.Join(errs...)
}

func (p Policy) check(scope string, errs *[]error) {
	bad := func(ok bool, format string, args ...any) {
		if !ok {
			*errs = append(*errs, fmt.Errorf("resilience: %s: "+format, append([]any{scope}, args...)...))
		}
	}
	b, r := p.Breaker, p.Retry
	// In a fixed order, so the problems read the same every time.
	durations := []struct {
		name string
		d    time.Duration
	}{
		{"timeout", p.Timeout}, {"breaker window", b.Window}, {"breaker open time", b.OpenFor},
		{"bulkhead wait", p.Bulkhead.MaxWait}, {"retry backoff", r.Backoff}, {"retry max backoff", r.MaxBackoff},
	}
	for _, s := range durations {
		bad(s.d >= 0, "%s must not be negative, got %s", s.name, s.d)
	}
	counts := []struct {
		name string
		n    int
	}{
		{"breaker consecutive failures", b.ConsecutiveFailures}, {"breaker min requests", b.MinRequests},
		{"breaker half-open probes", b.HalfOpenProbes}, {"bulkhead max concurrent", p.Bulkhead.MaxConcurrent},
		{"retry max attempts", r.MaxAttempts}, {"retry budget floor", r.BudgetFloor},
	}
	for _, s := range counts {
		bad(s.n >= 0, "%s must not be negative, got %d", s.name, s.n)
	}
	bad(b.FailureRate >= 0 && b.FailureRate <= 100, "breaker failure rate must be a percentage, got %d", b.FailureRate)
	bad(r.Jitter >= 0 && r.Jitter <= 1, "retry jitter must be between 0 and 1, got %g", r.Jitter)
	bad(r.Budget >= 0 && r.Budget <= 1, "retry budget must be between 0 and 1, got %g", r.Budget)
}
