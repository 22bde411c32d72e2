// Package metrics is the router's Prometheus instrumentation: requests by
// operation, type and outcome, their duration, the requests in flight, the
// plan cache, every subgraph fetch (a fetch.Middleware), and the
// websockets and subscriptions open. One Router lives as long as the
// process and is shared by every router a configuration reload builds, so
// counters survive reloads. A nil *Router counts nothing, at the cost of a
// nil check.
//
// The request path resolves its label children once and keeps them, so
// counting a request costs a few atomic operations and no allocation.
package metrics

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/cinegraph/cinegraph/router/request"
	"github.com/cinegraph/cinegraph/router/wire"
)

// Namespace prefixes every Cinegraph metric.
const Namespace = "cinegraph"

// DefaultMaxOperationNames is how many distinct operation names get a
// label of their own when Options does not say.
const DefaultMaxOperationNames = 100

// OtherOperations is the operation_name of operations past the bound, and
// of refused requests whose name was not seen executing before.
const OtherOperations = "other"

// OperationType is the operation_type label.
type OperationType uint8

// The operation types; Unknown is a request refused before its document
// was read.
const (
	Unknown OperationType = iota
	Query
	Mutation
	Subscription
	numTypes
)

var typeNames = [numTypes]string{"unknown", "query", "mutation", "subscription"}

func (t OperationType) String() string { return typeNames[t] }

// Outcome is the outcome label of a request.
type Outcome uint8

// The outcomes: an executed operation is OK, GraphQLError (errors beside
// data) or Error (errors and no data, or the router's own failure); a
// refused one says why, as its request.Outcome does.
const (
	OK Outcome = iota
	GraphQLError
	Error
	Rejected
	NotAllowed
	Blocked
	Limited
	Unauthenticated
	numOutcomes
)

var outcomeNames = [numOutcomes]string{"ok", "graphql_error", "error", "rejected", "not_allowed", "blocked", "limited", "unauthenticated"}

func (o Outcome) String() string { return outcomeNames[o] }

// Refused is the outcome of a request refused with o.
func Refused(o request.Outcome) Outcome {
	switch o {
	case request.Rejected:
		return Rejected
	case request.NotAllowed:
		return NotAllowed
	case request.Blocked:
		return Blocked
	case request.Limited:
		return Limited
	case request.Unauthenticated:
		return Unauthenticated
	case request.Executed:
		return OK
	}
	return Error
}

// Answered is the outcome of an executed operation's response.
func Answered(resp *wire.Response) Outcome {
	switch {
	case resp == nil:
		return Error
	case len(resp.Errors) == 0:
		return OK
	case hasData(resp.Data):
		return GraphQLError
	}
	return Error
}

func hasData(raw []byte) bool {
	return len(raw) > 0 && string(raw) != "null"
}

// Options tune a Router's metrics.
type Options struct {
	// MaxOperationNames bounds the distinct operation_name values: the
	// first names seen on operations that validated get their own, the
	// rest are counted as OtherOperations. 0 means
	// DefaultMaxOperationNames; negative gives no operation its own name.
	MaxOperationNames int
	// Buckets are the request duration histogram's, in seconds; nil means
	// DefaultBuckets.
	Buckets []float64
}

// DefaultBuckets suit a router answering in milliseconds to seconds.
var DefaultBuckets = []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30}

// Router holds the router's metrics.
type Router struct {
	requests  *prometheus.CounterVec
	durations *prometheus.HistogramVec
	inflight  prometheus.Gauge
	planHit   prometheus.Counter
	planMiss  prometheus.Counter

	maxNames int
	mu       sync.Mutex // serializes admitting names
	// names is copied on write: reading it is one atomic load and a map
	// lookup, without a lock.
	names    atomic.Pointer[map[string]*nameSeries]
	other    *nameSeries
	duration [numTypes][numOutcomes]atomic.Pointer[observerSlot]

	fetchDuration *prometheus.HistogramVec
	fetchErrors   *prometheus.CounterVec
	fetchInflight *prometheus.GaugeVec

	websockets prometheus.Gauge
	upstreams  prometheus.Gauge
	delivered  prometheus.Counter
	dropped    prometheus.Counter
}

// nameSeries are one operation name's request counters by type and
// outcome, each made on first use so that only combinations seen are
// exported.
type nameSeries struct {
	name string
	c    [numTypes][numOutcomes]atomic.Pointer[counterSlot]
}

type counterSlot struct{ prometheus.Counter }

type observerSlot struct{ prometheus.Observer }

// New makes the router's metrics and registers them with reg.
func New(reg prometheus.Registerer, opts Options) (*Router, error) {
	max := opts.MaxOperationNames
	switch {
	case max == 0:
		max = DefaultMaxOperationNames
	case max < 0:
		max = 0
	}
	buckets := opts.Buckets
	if buckets == nil {
		buckets = DefaultBuckets
	}
	m := &Router{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: Namespace, Subsystem: "router", Name: "requests_total",
			Help: "GraphQL operations the router answered, by operation name (bounded: the first names seen, then \"other\"), type and outcome.",
		}, []string{"operation_name", "operation_type", "outcome"}),
		durations: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: Namespace, Subsystem: "router", Name: "request_duration_seconds",
			Help:    "Time from a GraphQL operation's arrival to its answer, by type and outcome; subscriptions are not timed.",
			Buckets: buckets,
		}, []string{"operation_type", "outcome"}),
		inflight: prometheus.NewGauge(prometheus.GaugeOpts{
			Namespace: Namespace, Subsystem: "router", Name: "inflight_requests",
			Help: "GraphQL operations being answered now (a subscription only while it starts).",
		}),
		fetchDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: Namespace, Subsystem: "subgraph", Name: "fetch_duration_seconds",
			Help:    "Time of the router's fetches from each subgraph, retries included, whatever their outcome.",
			Buckets: buckets,
		}, []string{"subgraph"}),
		fetchErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: Namespace, Subsystem: "subgraph", Name: "fetch_errors_total",
			Help: "Failed fetches from each subgraph, by reason.",
		}, []string{"subgraph", "reason"}),
		fetchInflight: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Namespace: Namespace, Subsystem: "subgraph", Name: "inflight_fetches",
			Help: "Fetches from each subgraph in flight now.",
		}, []string{"subgraph"}),
		websockets: prometheus.NewGauge(prometheus.GaugeOpts{
			Namespace: Namespace, Subsystem: "router", Name: "websockets",
			Help: "Client websockets open now.",
		}),
		upstreams: prometheus.NewGauge(prometheus.GaugeOpts{
			Namespace: Namespace, Subsystem: "router", Name: "upstream_subscriptions",
			Help: "Subscriptions open on subgraphs now (identical client subscriptions share one).",
		}),
		delivered: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: Namespace, Subsystem: "router", Name: "subscription_events_delivered_total",
			Help: "Subscription results handed to clients, one per client per event.",
		}),
		dropped: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: Namespace, Subsystem: "router", Name: "subscription_events_dropped_total",
			Help: "Subscription results a client lagging too far behind missed; its subscription ended with an error.",
		}),
		maxNames: max,
	}
	planCache := prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: Namespace, Subsystem: "router", Name: "plan_cache_requests_total",
		Help: "Lookups of parsed and validated operations in the plan cache, by result (hit or miss).",
	}, []string{"result"})
	m.planHit, m.planMiss = planCache.WithLabelValues("hit"), planCache.WithLabelValues("miss")
	for _, c := range []prometheus.Collector{m.requests, m.durations, m.inflight, planCache, m.fetchDuration, m.fetchErrors, m.fetchInflight, m.websockets, m.upstreams, m.delivered, m.dropped} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	m.other = &nameSeries{name: OtherOperations}
	empty := map[string]*nameSeries{}
	m.names.Store(&empty)
	return m, nil
}

// Begin counts a request in flight and returns when it began, for Done.
func (m *Router) Begin() time.Time {
	if m == nil {
		return time.Time{}
	}
	m.inflight.Inc()
	return time.Now()
}

// Done counts a request begun at start (Begin) as answered: name is its
// operation's name, validated says whether the name is the validated
// operation's (only those take one of the bounded names; others are
// counted under a name already taken, else as OtherOperations). A
// subscription is counted when it starts, and not timed.
func (m *Router) Done(start time.Time, name string, validated bool, t OperationType, o Outcome) {
	if m == nil {
		return
	}
	m.inflight.Dec()
	m.series(name, validated).counter(m, t, o).Inc()
	if t != Subscription {
		m.observer(t, o).Observe(time.Since(start).Seconds())
	}
}

// series are name's counters, admitting it when there is room.
func (m *Router) series(name string, validated bool) *nameSeries {
	if s := (*m.names.Load())[name]; s != nil {
		return s
	}
	if !validated {
		return m.other
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	names := *m.names.Load()
	if s := names[name]; s != nil {
		return s
	}
	if len(names) >= m.maxNames {
		return m.other
	}
	next := make(map[string]*nameSeries, len(names)+1)
	for k, v := range names {
		next[k] = v
	}
	s := &nameSeries{name: name}
	next[name] = s
	m.names.Store(&next)
	return s
}

// OperationNames is how many operation names have a label of their own.
func (m *Router) OperationNames() int {
	if m == nil {
		return 0
	}
	return len(*m.names.Load())
}

func (s *nameSeries) counter(m *Router, t OperationType, o Outcome) prometheus.Counter {
	slot := &s.c[t][o]
	if c := slot.Load(); c != nil {
		return c.Counter
	}
	slot.CompareAndSwap(nil, &counterSlot{m.requests.WithLabelValues(s.name, typeNames[t], outcomeNames[o])})
	return slot.Load().Counter
}

func (m *Router) observer(t OperationType, o Outcome) prometheus.Observer {
	slot := &m.duration[t][o]
	if h := slot.Load(); h != nil {
		return h.Observer
	}
	slot.CompareAndSwap(nil, &observerSlot{m.durations.WithLabelValues(typeNames[t], outcomeNames[o])})
	return slot.Load().Observer
}

// PlanCache counts a plan cache lookup.
func (m *Router) PlanCache(hit bool) {
	if m == nil {
		return
	}
	if hit {
		m.planHit.Inc()
	} else {
		m.planMiss.Inc()
	}
}

// Gauge goes up and down; prometheus.Gauge is one.
type Gauge interface {
	Inc()
	Dec()
}

// Counter only goes up; prometheus.Counter is one.
type Counter interface {
	Add(float64)
}

// Websockets is the gauge of client websockets open; nil when m is.
func (m *Router) Websockets() Gauge {
	if m == nil {
		return nil
	}
	return m.websockets
}

// Upstreams is the gauge of subscriptions open on subgraphs; nil when m
// is.
func (m *Router) Upstreams() Gauge {
	if m == nil {
		return nil
	}
	return m.upstreams
}

// Delivered counts subscription results handed to clients; nil when m is.
func (m *Router) Delivered() Counter {
	if m == nil {
		return nil
	}
	return m.delivered
}

// Dropped counts subscription results lagging clients missed; nil when m
// is.
func (m *Router) Dropped() Counter {
	if m == nil {
		return nil
	}
	return m.dropped
}
