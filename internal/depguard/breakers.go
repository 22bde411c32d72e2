package depguard

import (
	"time"

	"github.com/failsafe-go/failsafe-go/circuitbreaker"
)

// The rules of the two breakers in front of a dependency, as reports name
// them.
const (
	RuleFailureRate         = "failure rate"
	RuleConsecutiveFailures = "consecutive failures"
)

// BreakerPolicy is when the breakers in front of a dependency open and
// close: after ConsecutiveFailures in a row, or FailureRate percent of the
// calls within Window once MinCalls fell in it; they refuse for OpenFor,
// then let HalfOpenProbes through, which must all succeed to close them.
type BreakerPolicy struct {
	ConsecutiveFailures int
	FailureRate         int
	MinCalls            int
	Window              time.Duration
	OpenFor             time.Duration
	HalfOpenProbes      int
}

// NewBreakers builds the two breakers Cinegraph puts in front of a
// dependency (a subgraph's dependency here, a subgraph instance in the
// router): rate opens on the failure rate, consecutive on failures in a
// row; either one open refuses a call. failed says which outcomes are
// failures; changed(rule) receives each breaker's state changes.
func NewBreakers[R any](p BreakerPolicy, failed func(R, error) bool, changed func(rule string) func(circuitbreaker.StateChangedEvent)) (rate, consecutive circuitbreaker.CircuitBreaker[R]) {
	consecutive = circuitbreaker.NewBuilder[R]().
		HandleIf(failed).
		WithFailureThreshold(uint(p.ConsecutiveFailures)).
		WithSuccessThreshold(uint(p.HalfOpenProbes)).
		WithDelay(p.OpenFor).
		OnStateChanged(changed(RuleConsecutiveFailures)).
		Build()
	rate = circuitbreaker.NewBuilder[R]().
		HandleIf(failed).
		WithFailureRateThreshold(float64(p.FailureRate)/100, uint(p.MinCalls), p.Window).
		WithSuccessThreshold(uint(p.HalfOpenProbes)).
		WithDelay(p.OpenFor).
		OnStateChanged(changed(RuleFailureRate)).
		Build()
	return rate, consecutive
}
