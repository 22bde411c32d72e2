package app

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/internal/health"
	"github.com/cinegraph/cinegraph/router"
	"github.com/cinegraph/cinegraph/router/dedupe"
	"github.com/cinegraph/cinegraph/router/resilience"
)

// Router is the federation router with the guard around its subgraph
// fetches.
type Router struct {
	*router.Router
	Guard *resilience.Guard
	// release closes the Redis client shared by the rate limiter and the
	// persisted query store, if they have them.
	release func() error
	// identity authenticates clients (identity.go).
	identity *identity
	// dedupe counts the work shared in flight.
	dedupe DedupeReport
}

// DedupeReport counts the work the router shared in flight since it was
// built (router.dedupe): subgraph fetches that went out and those answered
// by another's round trip, client queries executed and those answered by
// another's execution. A part that is off reports nothing.
type DedupeReport struct {
	fetches    *dedupe.Group
	operations *dedupe.Operations
}

// MarshalJSON writes the counts.
func (d DedupeReport) MarshalJSON() ([]byte, error) {
	out := map[string]any{}
	if d.fetches != nil {
		c := d.fetches.Counts()
		out["fetches"] = map[string]uint64{"sent": c.Fetches, "shared": c.Shared}
	}
	if d.operations != nil {
		c := d.operations.Counts()
		out["operations"] = map[string]uint64{"executed": c.Runs, "merged": c.Merged}
	}
	return json.Marshal(out)
}

// dedupeCounts are a DedupeReport's counts, zero for a part that is off.
type dedupeCounts struct {
	fetchesSent, fetchesShared, operationsExecuted, operationsMerged uint64
}

func (d DedupeReport) counts() dedupeCounts {
	var out dedupeCounts
	if d.fetches != nil {
		c := d.fetches.Counts()
		out.fetchesSent, out.fetchesShared = c.Fetches, c.Shared
	}
	if d.operations != nil {
		c := d.operations.Counts()
		out.operationsExecuted, out.operationsMerged = c.Runs, c.Merged
	}
	return out
}

func (c dedupeCounts) plus(o dedupeCounts) dedupeCounts {
	return dedupeCounts{
		fetchesSent:        c.fetchesSent + o.fetchesSent,
		fetchesShared:      c.fetchesShared + o.fetchesShared,
		operationsExecuted: c.operationsExecuted + o.operationsExecuted,
		operationsMerged:   c.operationsMerged + o.operationsMerged,
	}
}

// Close releases what the router holds beyond its memory: the Redis
// client its rate limiter and persisted query store share in cluster mode.
func (r *Router) Close() error {
	var err error
	if r.release != nil {
		err = r.release()
	}
	return errors.Join(err, r.identity.Close())
}

// Watch shows the subgraphs' health and breakers on checker's readiness
// (failing it only for router.resilience.required subgraphs) and checks
// them actively until ctx is done or stop is called; stop returns once the
// checks have stopped.
func (r *Router) Watch(ctx context.Context, checker *health.Checker) (stop func()) {
	r.Guard.Register(checker)
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		r.Guard.Run(ctx)
	}()
	return func() {
		cancel()
		<-done
	}
}

// resilienceConfig carries router.resilience over to the guard: the fetch
// timeout is the default timeout of one attempt.
func resilienceConfig(cfg config.Router) resilience.Config {
	r := cfg.Resilience
	out := resilience.Config{
		Default:   policy(cfg.FetchTimeout, r.Breaker, r.Bulkhead, r.Retry, ""),
		Health:    resilience.Health{Interval: r.Health.Interval, Timeout: r.Health.Timeout},
		Required:  r.Required,
		Subgraphs: map[string]resilience.Policy{},
	}
	for name, s := range r.Subgraphs {
		out.Subgraphs[name] = policy(s.Timeout, s.Breaker, s.Bulkhead, s.Retry, s.HealthURL)
	}
	return out
}

func policy(timeout time.Duration, b config.Breaker, bh config.Bulkhead, r config.Retry, healthURL string) resilience.Policy {
	return resilience.Policy{
		Timeout: timeout,
		Breaker: resilience.Breaker{
			ConsecutiveFailures: b.ConsecutiveFailures, FailureRate: b.FailureRate, MinRequests: b.MinRequests,
			Window: b.Window, OpenFor: b.OpenFor, HalfOpenProbes: b.HalfOpenProbes,
		},
		Bulkhead: resilience.Bulkhead{MaxConcurrent: bh.MaxConcurrent, MaxWait: bh.MaxWait},
		Retry: resilience.Retry{
			MaxAttempts: r.MaxAttempts, Backoff: r.Backoff, MaxBackoff: r.MaxBackoff,
			Jitter: r.Jitter, Budget: r.Budget, BudgetFloor: r.BudgetFloor,
		},
		HealthURL: healthURL,
	}
}
