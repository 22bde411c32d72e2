// Package depguard guards the calls a subgraph's resolvers make to the
// dependencies behind them (a search engine, a cache, a model, a ranking
// query), one Guard per named dependency: a timeout per call, circuit
// breakers that refuse at once while the dependency keeps failing, and a
// bulkhead bounding the calls in flight. What to serve instead is the
// caller's choice (a fallback); Guard.Degraded counts its use and marks the
// request, so the GraphQL server can list in extensions.degraded which
// answers a fallback gave. A Registry keeps a process's guards and reports
// their state, counts and fallback uses.
//
// The policies are failsafe-go's, composed as the router composes them
// around its subgraph fetches (router/resilience): bulkhead outermost, then
// a failure-rate breaker, a consecutive-failures breaker and the timeout.
package depguard

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"sync"
	"sync/atomic"
	"time"

	"github.com/failsafe-go/failsafe-go"
	"github.com/failsafe-go/failsafe-go/bulkhead"
	"github.com/failsafe-go/failsafe-go/circuitbreaker"
	"github.com/failsafe-go/failsafe-go/timeout"

	"github.com/cinegraph/cinegraph/internal/errs"
)

// Defaults for a Policy's zero fields; they match the router's breaker
// so that both layers trip on the same evidence.
const (
	// DefaultTimeout bounds one call.
	DefaultTimeout = time.Second
	// DefaultConsecutiveFailures in a row open the breaker.
	DefaultConsecutiveFailures = 5
	// DefaultFailureRate (percent) of the calls in DefaultWindow opens the
	// breaker once DefaultMinCalls fell in the window.
	DefaultFailureRate = 50
	DefaultMinCalls    = 20
	DefaultWindow      = 10 * time.Second
	// DefaultOpenFor is how long an open breaker refuses before probing.
	DefaultOpenFor = 5 * time.Second
	// DefaultHalfOpenProbes calls are let through to probe; that many
	// successes close the breaker, one failure opens it again.
	DefaultHalfOpenProbes = 3
	// DefaultMaxConcurrent calls run at once per dependency; more wait at
	// most DefaultMaxWait for a slot and are then refused.
	DefaultMaxConcurrent = 64
	DefaultMaxWait       = 100 * time.Millisecond
)

// Policy says how a dependency is guarded; zero fields take the defaults.
type Policy struct {
	// Timeout bounds one call. The call's function must honour its
	// context for the timeout to cut it short; one that does not is still
	// counted as timed out when it returns late.
	Timeout             time.Duration
	ConsecutiveFailures int
	// FailureRate is a percentage of the calls within Window, counted once
	// MinCalls fell in the window.
	FailureRate    int
	MinCalls       int
	Window         time.Duration
	OpenFor        time.Duration
	HalfOpenProbes int
	MaxConcurrent  int
	MaxWait        time.Duration
}

// withDefaults fills p's zero fields.
func (p Policy) withDefaults() Policy {
	set := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	setD := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	setD(&p.Timeout, DefaultTimeout)
	set(&p.ConsecutiveFailures, DefaultConsecutiveFailures)
	set(&p.FailureRate, DefaultFailureRate)
	p.FailureRate = min(p.FailureRate, 100)
	set(&p.MinCalls, DefaultMinCalls)
	setD(&p.Window, DefaultWindow)
	setD(&p.OpenFor, DefaultOpenFor)
	set(&p.HalfOpenProbes, DefaultHalfOpenProbes)
	set(&p.MaxConcurrent, DefaultMaxConcurrent)
	setD(&p.MaxWait, DefaultMaxWait)
	return p
}

// Reasons a guard gives for refusing a call or cutting it short, as the
// router names them for its subgraph fetches.
const (
	CircuitOpen  = "CIRCUIT_OPEN"
	BulkheadFull = "BULKHEAD_FULL"
	Timeout      = "TIMEOUT"
)

// Error is a call a guard refused (CircuitOpen, BulkheadFull) or cut short
// (Timeout). Do returns it inside an errs.Error coded UNAVAILABLE.
type Error struct {
	Dependency string
	Reason     string
	Err        error
}

func (e *Error) Error() string { return fmt.Sprintf("%s: %s: %v", e.Dependency, e.Reason, e.Err) }

func (e *Error) Unwrap() error { return e.Err }

// ReasonOf is the reason of the guard's Error in err's chain, or "".
func ReasonOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Reason
	}
	return ""
}

// Guard guards the calls to one dependency. It is safe for concurrent use.
type Guard struct {
	name     string
	policy   Policy
	logger   *slog.Logger
	exec     failsafe.Executor[any]
	breakers []circuitbreaker.CircuitBreaker[any]
	rules    []string

	successes, failures, timeouts, refusals, notCounted atomic.Uint64

	mu        sync.Mutex
	fallbacks map[string]uint64
}

// New returns a guard for the dependency called name (e.g.
// "catalog.search"), outside any Registry; Registry.Guard keeps the ones
// to report.
func New(name string, p Policy, logger *slog.Logger) *Guard {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	p = p.withDefaults()
	g := &Guard{name: name, policy: p, logger: logger, fallbacks: map[string]uint64{}}
	rate, consecutive := NewBreakers(BreakerPolicy{
		ConsecutiveFailures: p.ConsecutiveFailures, FailureRate: p.FailureRate, MinCalls: p.MinCalls,
		Window: p.Window, OpenFor: p.OpenFor, HalfOpenProbes: p.HalfOpenProbes,
	}, dependencyFailed, g.breakerChanged)
	g.breakers = []circuitbreaker.CircuitBreaker[any]{rate, consecutive}
	g.rules = []string{RuleFailureRate, RuleConsecutiveFailures}
	// The bulkhead sits outside the breakers: a call it turns away never
	// reached the dependency and must not count for or against it.
	bh := bulkhead.NewBuilder[any](uint(p.MaxConcurrent)).WithMaxWaitTime(p.MaxWait).Build()
	g.exec = failsafe.With[any](bh, rate, consecutive, timeout.New[any](p.Timeout))
	return g
}

// Name is the dependency's name.
func (g *Guard) Name() string { return g.name }

// Policy is the guard's policy, defaults filled in.
func (g *Guard) Policy() Policy { return g.policy }

// notCounted wraps an error that is the caller's doing, so the breakers
// let it pass as no failure; Do unwraps it again.
type notCounted struct{ err error }

func (n *notCounted) Error() string { return n.err.Error() }
func (n *notCounted) Unwrap() error { return n.err }

// dependencyFailed is the breakers' failure condition: any error but the
// caller's own (notCounted) and the other breaker's refusal, which never
// reached the dependency (counting it would keep the failure-rate breaker
// open behind the consecutive one).
//
// failsafe-go records every outcome either way, so what is no failure
// counts as a success in the breakers' windows; leaving it unrecorded
// would leak a half-open breaker's probe permit.
func dependencyFailed(_ any, err error) bool {
	var nc *notCounted
	return err != nil && !errors.As(err, &nc) && !errors.Is(err, circuitbreaker.ErrOpen)
}

// callerFault reports errors that say the caller asked for something
// wrong or absent: the dependency answered, so they are no failure of it.
func callerFault(err error) bool {
	e, ok := errs.As(err)
	return ok && (e.Code == errs.BadUserInput || e.Code == errs.NotFound)
}

// Do calls fn through g: refused at once while g's breaker is open or its
// bulkhead full, cut short after the timeout. A refusal or timeout comes
// back as an errs.Error coded UNAVAILABLE around an *Error; fn's own errors
// come back as they are. The caller giving up (ctx cancelled or past its
// deadline) and errors coded BAD_USER_INPUT or NOT_FOUND are no failure of
// the dependency and do not count against it. A nil g calls fn unguarded.
func Do[T any](ctx context.Context, g *Guard, fn func(context.Context) (T, error)) (T, error) {
	var zero T
	if g == nil {
		return fn(ctx)
	}
	if err := ctx.Err(); err != nil {
		g.notCounted.Add(1)
		return zero, err
	}
	v, err := g.exec.WithContext(ctx).GetWithExecution(func(e failsafe.Execution[any]) (any, error) {
		v, err := fn(e.Context())
		if err != nil && (ctx.Err() != nil || callerFault(err)) {
			err = &notCounted{err}
		}
		return v, err
	})
	var nc *notCounted
	switch {
	case err == nil:
		g.successes.Add(1)
		t, _ := v.(T)
		return t, nil
	case errors.As(err, &nc):
		g.notCounted.Add(1)
		return zero, nc.err
	case errors.Is(err, circuitbreaker.ErrOpen):
		g.refusals.Add(1)
		return zero, g.refused(CircuitOpen, err)
	case errors.Is(err, bulkhead.ErrFull):
		g.refusals.Add(1)
		return zero, g.refused(BulkheadFull, err)
	case errors.Is(err, timeout.ErrExceeded):
		g.failures.Add(1)
		g.timeouts.Add(1)
		return zero, g.refused(Timeout, err)
	case ctx.Err() != nil:
		// Cancelled while waiting for a bulkhead slot.
		g.notCounted.Add(1)
		return zero, err
	default:
		g.failures.Add(1)
		return zero, err
	}
}

func (g *Guard) refused(reason string, err error) error {
	return errs.Unavailablef(&Error{Dependency: g.name, Reason: reason, Err: err}, "%s is unavailable", g.name)
}

// Failed reports whether err, from Do, means the dependency failed or was
// refused, so that a fallback should serve instead: false for nil, for the
// caller's own errors (BAD_USER_INPUT, NOT_FOUND) and once ctx is done, as
// nobody waits for the answer any more.
func Failed(ctx context.Context, err error) bool {
	return err != nil && ctx.Err() == nil && !callerFault(err)
}

// Degraded records that a fallback served ctx's request instead of g's
// dependency: it counts the use and marks the request (see Degraded).
func (g *Guard) Degraded(ctx context.Context, fallback string) {
	if g == nil {
		return
	}
	g.mu.Lock()
	g.fallbacks[fallback]++
	g.mu.Unlock()
	Degraded(ctx, g.name, fallback)
}

// State is the state of g's breakers taken together: open if either is
// open, half-open if either is probing, else closed.
func (g *Guard) State() circuitbreaker.State {
	state := circuitbreaker.ClosedState
	for _, b := range g.breakers {
		switch b.State() {
		case circuitbreaker.OpenState:
			return circuitbreaker.OpenState
		case circuitbreaker.HalfOpenState:
			state = circuitbreaker.HalfOpenState
		}
	}
	return state
}

func (g *Guard) breakerChanged(rule string) func(circuitbreaker.StateChangedEvent) {
	return func(ev circuitbreaker.StateChangedEvent) {
		level := slog.LevelInfo
		if ev.NewState == circuitbreaker.OpenState {
			level = slog.LevelWarn
		}
		g.logger.Log(context.Background(), level, "dependency circuit breaker "+ev.NewState.String(),
			"dependency", g.name, "rule", rule, "from", ev.OldState.String())
	}
}

// Report is what a guard shows: its breakers, what its calls came to and
// how often each fallback served instead.
type Report struct {
	// State is closed, open or half-open (State); Breakers gives each
	// rule's own.
	State    string            `json:"state"`
	Breakers map[string]string `json:"breakers"`
	// Successes, Failures (Timeouts among them) and Refusals (breaker
	// open, bulkhead full) count calls; NotCounted are those the caller
	// gave up on or that failed by the caller's fault.
	Successes  uint64            `json:"successes"`
	Failures   uint64            `json:"failures"`
	Timeouts   uint64            `json:"timeouts"`
	Refusals   uint64            `json:"refusals"`
	NotCounted uint64            `json:"notCounted"`
	Fallbacks  map[string]uint64 `json:"fallbacks"`
	Policy     PolicyReport      `json:"policy"`
}

// PolicyReport is a Policy in readable units.
type PolicyReport struct {
	Timeout             string `json:"timeout"`
	ConsecutiveFailures int    `json:"consecutiveFailures"`
	FailureRate         int    `json:"failureRatePercent"`
	MinCalls            int    `json:"minCalls"`
	Window              string `json:"window"`
	OpenFor             string `json:"openFor"`
	HalfOpenProbes      int    `json:"halfOpenProbes"`
	MaxConcurrent       int    `json:"maxConcurrent"`
	MaxWait             string `json:"maxWait"`
}

// Report is g's report now.
func (g *Guard) Report() Report {
	r := Report{
		State:      g.State().String(),
		Breakers:   make(map[string]string, len(g.breakers)),
		Successes:  g.successes.Load(),
		Failures:   g.failures.Load(),
		Timeouts:   g.timeouts.Load(),
		Refusals:   g.refusals.Load(),
		NotCounted: g.notCounted.Load(),
		Policy: PolicyReport{
			Timeout: g.policy.Timeout.String(), ConsecutiveFailures: g.policy.ConsecutiveFailures,
			FailureRate: g.policy.FailureRate, MinCalls: g.policy.MinCalls, Window: g.policy.Window.String(),
			OpenFor: g.policy.OpenFor.String(), HalfOpenProbes: g.policy.HalfOpenProbes,
			MaxConcurrent: g.policy.MaxConcurrent, MaxWait: g.policy.MaxWait.String(),
		},
	}
	for i, b := range g.breakers {
		r.Breakers[g.rules[i]] = b.State().String()
	}
	g.mu.Lock()
	r.Fallbacks = maps.Clone(g.fallbacks)
	g.mu.Unlock()
	return r
}
