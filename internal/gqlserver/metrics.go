package gqlserver

import (
	"context"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/vektah/gqlparser/v2/ast"
)

// Metrics counts and times the GraphQL operations subgraph servers answer
// (Prometheus): cinegraph_graphql_operations_total and
// cinegraph_graphql_operation_duration_seconds, by subgraph, operation
// type and outcome. One Metrics serves every subgraph of a process;
// Handler names the subgraph a server's operations count under.
type Metrics struct {
	operations *prometheus.CounterVec
	durations  *prometheus.HistogramVec
}

// Operation types and outcomes, as labels. An operation refused before it
// ran (parse, validation, variables) is rejected; one that ran is ok,
// graphql_error (errors beside data) or error (errors and no data).
var (
	operationTypes = [...]string{"unknown", "query", "mutation", "subscription"}
	outcomes       = [...]string{"ok", "graphql_error", "error", "rejected"}
)

const (
	typeUnknown = iota
	typeQuery
	typeMutation
	typeSubscription
	numTypes
)

const (
	outcomeOK = iota
	outcomeGraphQLError
	outcomeError
	outcomeRejected
	numOutcomes
)

// DurationBuckets are the operation duration histogram's, in seconds.
var DurationBuckets = []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}

// NewMetrics makes the subgraph servers' metrics and registers them with
// reg.
func NewMetrics(reg prometheus.Registerer) (*Metrics, error) {
	m := &Metrics{
		operations: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "cinegraph", Subsystem: "graphql", Name: "operations_total",
			Help: "GraphQL operations a subgraph server answered, by subgraph, type and outcome; a subscription counts when its first result goes out.",
		}, []string{"subgraph", "operation_type", "outcome"}),
		durations: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: "cinegraph", Subsystem: "graphql", Name: "operation_duration_seconds",
			Help:    "Time a subgraph server took to answer a query or mutation, from reading the request to the response, by subgraph, type and outcome.",
			Buckets: DurationBuckets,
		}, []string{"subgraph", "operation_type", "outcome"}),
	}
	for _, c := range []prometheus.Collector{m.operations, m.durations} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// Handler counts the operations h (a server from New) answers under
// subgraph's name; a nil Metrics returns h as it is.
func (m *Metrics) Handler(subgraph string, h http.Handler) http.Handler {
	if m == nil {
		return h
	}
	s := &series{m: m, subgraph: subgraph}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), seriesKey{}, s)))
	})
}

// series are one subgraph's counters and histograms, each child made on
// first use and kept.
type series struct {
	m         *Metrics
	subgraph  string
	counters  [numTypes][numOutcomes]atomic.Pointer[counterSlot]
	observers [numTypes][numOutcomes]atomic.Pointer[observerSlot]
}

type counterSlot struct{ prometheus.Counter }

type observerSlot struct{ prometheus.Observer }

func (s *series) count(t, o int, start time.Time) {
	c := s.counters[t][o].Load()
	if c == nil {
		s.counters[t][o].CompareAndSwap(nil, &counterSlot{s.m.operations.WithLabelValues(s.subgraph, operationTypes[t], outcomes[o])})
		c = s.counters[t][o].Load()
	}
	c.Inc()
	if t == typeSubscription || start.IsZero() {
		return
	}
	h := s.observers[t][o].Load()
	if h == nil {
		s.observers[t][o].CompareAndSwap(nil, &observerSlot{s.m.durations.WithLabelValues(s.subgraph, operationTypes[t], outcomes[o])})
		h = s.observers[t][o].Load()
	}
	h.Observe(time.Since(start).Seconds())
}

type (
	seriesKey     struct{}
	dispatchedKey struct{}
)

// operationMetrics is the handler extension that counts operations for
// Metrics.Handler; without it around the server it does nothing.
type operationMetrics struct{}

var (
	_ graphql.HandlerExtension     = operationMetrics{}
	_ graphql.OperationInterceptor = operationMetrics{}
	_ graphql.ResponseInterceptor  = operationMetrics{}
)

func (operationMetrics) ExtensionName() string                   { return "OperationMetrics" }
func (operationMetrics) Validate(graphql.ExecutableSchema) error { return nil }

// InterceptOperation counts an operation that runs once its first
// response is made: a query's or mutation's only one, a subscription's
// first event.
func (operationMetrics) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	s, ok := ctx.Value(seriesKey{}).(*series)
	if !ok {
		return next(ctx)
	}
	opCtx := graphql.GetOperationContext(ctx)
	t := operationType(opCtx.Operation)
	start := opCtx.Stats.OperationStart
	responses := next(ctx)
	counted := false
	return func(ctx context.Context) *graphql.Response {
		resp := responses(context.WithValue(ctx, dispatchedKey{}, true))
		if !counted && resp != nil {
			counted = true
			s.count(t, outcome(resp), start)
		}
		return resp
	}
}

// InterceptResponse counts the responses of operations refused before they
// ran, which InterceptOperation never sees.
func (operationMetrics) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	s, ok := ctx.Value(seriesKey{}).(*series)
	if !ok || ctx.Value(dispatchedKey{}) != nil {
		return resp
	}
	t, start := typeUnknown, time.Time{}
	if graphql.HasOperationContext(ctx) {
		opCtx := graphql.GetOperationContext(ctx)
		t, start = operationType(opCtx.Operation), opCtx.Stats.OperationStart
	}
	s.count(t, outcomeRejected, start)
	return resp
}

func operationType(op *ast.OperationDefinition) int {
	if op == nil {
		return typeUnknown
	}
	switch op.Operation {
	case ast.Query, "":
		return typeQuery
	case ast.Mutation:
		return typeMutation
	case ast.Subscription:
		return typeSubscription
	}
	return typeUnknown
}

func outcome(resp *graphql.Response) int {
	switch {
	case len(resp.Errors) == 0:
		return outcomeOK
	case len(resp.Data) > 0 && string(resp.Data) != "null":
		return outcomeGraphQLError
	}
	return outcomeError
}
