// Package resilience guards the router's fetches to each subgraph instance,
// in the role Hystrix plays: a timeout per attempt, a circuit breaker that
// answers at once while a subgraph is cut off, a bulkhead bounding the
// fetches in flight, and retries with jittered backoff for queries only,
// within a retry budget. It also checks every instance actively and reports
// its health and breaker state for readiness.
//
// The policies are failsafe-go's; this package chooses them, composes them
// per instance behind the fetch.Middleware seam and turns their refusals
// into fetch.Errors the executor shows clients.
package resilience

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/cinegraph/cinegraph/internal/depguard"
	"github.com/cinegraph/cinegraph/router/fetch"
	"github.com/cinegraph/cinegraph/router/wire"
	"github.com/failsafe-go/failsafe-go"
	"github.com/failsafe-go/failsafe-go/budget"
	"github.com/failsafe-go/failsafe-go/bulkhead"
	"github.com/failsafe-go/failsafe-go/circuitbreaker"
	"github.com/failsafe-go/failsafe-go/retrypolicy"
	"github.com/failsafe-go/failsafe-go/timeout"
)

// response is what every policy here handles.
type response = *wire.SubgraphResponse

// Guard holds the policies and health of every subgraph instance the
// router fetches from. Its Middleware goes into router.Config's
// FetchMiddleware; Run keeps the active checks going.
type Guard struct {
	cfg    Config
	health Health
	logger *slog.Logger

	mu        sync.Mutex
	instances []*instance
}

// New returns a Guard with no instances yet: the router's fetch set adds
// them through Middleware when it is built.
func New(cfg Config, logger *slog.Logger) (*Guard, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Guard{cfg: cfg, health: cfg.health(), logger: logger}, nil
}

var _ fetch.Middleware = (*Guard)(nil).Middleware

// Middleware guards the instance of subgraph at url with the subgraph's
// policy. The state it keeps (breaker counts, bulkhead slots, retry budget,
// health) belongs to this instance alone.
func (g *Guard) Middleware(subgraph, url string, next fetch.Fetcher) fetch.Fetcher {
	in := newInstance(subgraph, url, g.cfg.For(subgraph), next, g.logger)
	in.guard = g
	g.mu.Lock()
	g.instances = append(g.instances, in)
	g.mu.Unlock()
	return in
}

// instance is the guarded fetcher of one subgraph instance.
//
// Every error counts against its breakers but two (see subgraphFailed).
// A fetch cancelled because its client went away, or its plan no longer
// needs it, says nothing about the subgraph: counting those would let a
// burst of disconnecting clients open a healthy subgraph's breaker.
// failsafe-go records each outcome as a success or a failure, so such a
// cancellation counts as a success; a hung subgraph still opens the
// breaker through the router's own fetch timeout, which fires before the
// request deadline with the defaults.
type instance struct {
	subgraph, url string
	guard         *Guard // that checks and reports it until Release
	policy        Policy
	next          fetch.Fetcher
	logger        *slog.Logger
	// breakers open on consecutive failures and on the failure rate;
	// either one open refuses the fetch. rules names each, for reports.
	breakers []circuitbreaker.CircuitBreaker[response]
	rules    []string
	// queries may be sent twice; everything else (mutations) only once.
	queries, once failsafe.Executor[response]

	mu      sync.Mutex
	checked time.Time // zero until the first active check ends
	down    error     // what the last active check found
}

func newInstance(subgraph, url string, p Policy, next fetch.Fetcher, logger *slog.Logger) *instance {
	in := &instance{subgraph: subgraph, url: url, policy: p, next: next, logger: logger}
	b := p.Breaker
	rate, consecutive := depguard.NewBreakers(depguard.BreakerPolicy{
		ConsecutiveFailures: b.ConsecutiveFailures, FailureRate: b.FailureRate, MinCalls: b.MinRequests,
		Window: b.Window, OpenFor: b.OpenFor, HalfOpenProbes: b.HalfOpenProbes,
	}, subgraphFailed, in.breakerChanged)
	in.breakers = []circuitbreaker.CircuitBreaker[response]{rate, consecutive}
	in.rules = []string{depguard.RuleFailureRate, depguard.RuleConsecutiveFailures}
	// The bulkhead sits outside the breakers: a fetch it turns away never
	// reached the subgraph, and a breaker would count it as a success.
	bh := bulkhead.NewBuilder[response](uint(p.Bulkhead.MaxConcurrent)).WithMaxWaitTime(p.Bulkhead.MaxWait).Build()
	to := timeout.New[response](p.Timeout)
	in.once = failsafe.With[response](bh, rate, consecutive, to)
	in.queries = in.once
	if r := p.Retry; r.MaxAttempts > 1 {
		rb := budget.NewBuilder().WithMaxRate(r.Budget).WithMinConcurrency(uint(r.BudgetFloor)).Build()
		retry := retrypolicy.NewBuilder[response]().
			WithMaxAttempts(r.MaxAttempts).
			WithBackoff(r.Backoff, max(r.MaxBackoff, r.Backoff)).
			WithJitterFactor(r.Jitter).
			WithBudget(rb).
			// A refusal or a timeout would only be repeated: the subgraph
			// is cut off, busy or slow, not briefly unreachable. A response
			// over the request's allowance would be as long again.
			AbortIf(func(_ response, err error) bool {
				return refusal(err) != "" || errors.Is(err, fetch.ErrOverAllowance)
			}).
			ReturnLastFailure().
			Build()
		// Each attempt takes its own bulkhead slot and passes the breakers.
		in.queries = failsafe.With[response](retry, bh, rate, consecutive, to)
	}
	return in
}

// Fetch implements fetch.Fetcher.
func (in *instance) Fetch(ctx context.Context, req *wire.SubgraphRequest, header http.Header) (*wire.SubgraphResponse, error) {
	exec := in.once
	// Only the executor's queries (entity fetches included) are known to be
	// safe to send twice; a request without a kind is sent once.
	if req.OperationKind == "query" {
		exec = in.queries
	}
	resp, err := exec.WithContext(ctx).GetWithExecution(func(e failsafe.Execution[response]) (response, error) {
		return in.next.Fetch(e.Context(), req, header)
	})
	if err != nil {
		return nil, in.explain(ctx, err)
	}
	return resp, nil
}

// explain wraps a refusal or timeout in a fetch.Error saying which.
func (in *instance) explain(ctx context.Context, err error) error {
	reason := refusal(err)
	// The fetcher's own deadline (an HTTP client timeout) is a timeout too,
	// unless it is the caller's deadline that passed.
	if reason == "" && errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
		reason = fetch.Timeout
	}
	if reason == "" {
		return err
	}
	return &fetch.Error{Subgraph: in.subgraph, Reason: reason, Err: err}
}

// subgraphFailed is the breakers' failure condition: every error but a
// cancellation (see instance); a response the fetcher stopped reading
// at the request's allowance (fetch.ErrOverAllowance), which the subgraph
// answered and the client's operation made too long (counting those would
// let one client's large queries cut a healthy subgraph off for everyone);
// and the other breaker's refusal, which never reached the subgraph
// (counting it would open the failure-rate breaker behind an open
// consecutive one, and keep a recovered subgraph cut off for another
// OpenFor).
func subgraphFailed(_ response, err error) bool {
	return err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, fetch.ErrOverAllowance) &&
		!errors.Is(err, circuitbreaker.ErrOpen)
}

// refusal is the reason for an error a policy made, or "".
func refusal(err error) fetch.Reason {
	switch {
	case errors.Is(err, circuitbreaker.ErrOpen):
		return fetch.CircuitOpen
	case errors.Is(err, bulkhead.ErrFull):
		return fetch.BulkheadFull
	case errors.Is(err, timeout.ErrExceeded):
		return fetch.Timeout
	}
	return ""
}

func (in *instance) breakerChanged(rule string) func(circuitbreaker.StateChangedEvent) {
	return func(ev circuitbreaker.StateChangedEvent) {
		level := slog.LevelInfo
		if ev.NewState == circuitbreaker.OpenState {
			level = slog.LevelWarn
		}
		in.logger.Log(context.Background(), level, fmt.Sprintf("subgraph circuit breaker %s", ev.NewState),
			"subgraph", in.subgraph, "url", in.url, "rule", rule, "from", ev.OldState.String())
	}
}

// Available says whether the instance is worth sending to now: no breaker
// is open (or one is, but its delay has passed, so the next fetch probes
// it) and the last active check did not find it down. A balancer over the
// instances of a subgraph (router/discovery) prefers those available.
func (in *instance) Available() bool {
	for _, b := range in.breakers {
		if b.State() == circuitbreaker.OpenState && b.RemainingDelay() > 0 {
			return false
		}
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.down == nil
}

// Release drops the instance from the guard: it is no longer checked nor
// reported, as when it has left the registry and drained. A fetch still
// holding it runs to its end under its policies.
func (in *instance) Release() {
	g := in.guard
	if g == nil {
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if i := slices.Index(g.instances, in); i >= 0 {
		g.instances = slices.Delete(g.instances, i, i+1)
	}
}

// breakerState is the state of the instance's breakers taken together:
// open if either is open, half-open if either is probing, else closed.
func (in *instance) breakerState() circuitbreaker.State {
	state := circuitbreaker.ClosedState
	for _, b := range in.breakers {
		switch b.State() {
		case circuitbreaker.OpenState:
			return circuitbreaker.OpenState
		case circuitbreaker.HalfOpenState:
			state = circuitbreaker.HalfOpenState
		}
	}
	return state
}

// Unrouted returns, sorted, the subgraphs the config names (overrides and
// required subgraphs) that no instance was added for: a typo there would
// otherwise go unnoticed, or keep the router unready for good.
func (g *Guard) Unrouted() []string {
	routed := map[string]bool{}
	for _, in := range g.snapshot() {
		routed[in.subgraph] = true
	}
	var out []string
	for _, name := range append(slices.Collect(maps.Keys(g.cfg.Subgraphs)), g.cfg.Required...) {
		if !routed[name] && !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}
