// Package storetrace traces and times the calls a subgraph's service makes
// to its store, the same way whatever the engine behind it: a client span
// per call with the OpenTelemetry database conventions (db.system.name,
// db.operation.name, db.collection.name), and the histogram
// cinegraph_store_call_duration_seconds{subgraph, system, operation,
// outcome}.
//
// The instrumentation sits at the store interface, not in the drivers:
// SQLite, PostgreSQL, Cassandra, Redis and Elasticsearch would each need a
// different contrib library (none of them in go.mod) with spans of
// different shapes and names, while one wrapper per store contract gives
// every engine the same span per contract method, which is also the unit
// the dataloaders batch and the storage benchmark counts. Each subgraph's
// store/<name>observed package decorates its Store with an Instrument.
//
// A call costs nothing extra when nothing records it: spans start only
// under a span that is recording (a resolver's, a loader batch's), so the
// outbox relays' polling and seeding start no trace of their own, and with
// the no-op provider (tracing.exporter none) no span is ever started. The
// histogram's children are made once per operation and outcome and kept.
package storetrace

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/cinegraph/cinegraph/internal/telemetry"
)

// Systems, as db.system.name and the system label name them: the
// conventions' values, and bleve (the embedded search index), which they
// do not list.
const (
	SQLite        = "sqlite"
	PostgreSQL    = "postgresql"
	Cassandra     = "cassandra"
	Redis         = "redis"
	Elasticsearch = "elasticsearch"
	Bleve         = "bleve"
)

// AttrSubgraph names the subgraph whose store a span's call went to, as the
// subgraph servers' spans do.
const AttrSubgraph = attribute.Key("cinegraph.subgraph.name")

// Options describe the store an Instrument watches.
type Options struct {
	// Subgraph is the subgraph's name (the subgraph label).
	Subgraph string
	// System is the engine: SQLite, PostgreSQL, Cassandra, Redis or
	// Elasticsearch.
	System string
	// Tracing is the provider spans start from; nil means the process's
	// (telemetry.Current) when the Instrument is made.
	Tracing *telemetry.Provider
	// Metrics is where calls are timed; nil means the process's, as
	// Install set it at the time of each call (stores open before the
	// process's registry is built).
	Metrics *Metrics
	// Expected reports the errors that are answers, not failures (a
	// not-found the contract returns): their spans keep an unset status
	// and they count as ok.
	Expected func(error) bool
}

// Instrument traces and times one store's calls.
type Instrument struct {
	// tracer is nil when the provider records nothing.
	tracer   trace.Tracer
	subgraph string
	system   string
	metrics  *Metrics
	expected func(error) bool
	base     []attribute.KeyValue
}

// New returns the instrument of the store o describes.
func New(o Options) *Instrument {
	p := o.Tracing
	if p == nil {
		p = telemetry.Current()
	}
	in := &Instrument{
		subgraph: o.Subgraph,
		system:   o.System,
		metrics:  o.Metrics,
		expected: o.Expected,
		base: []attribute.KeyValue{
			semconv.DBSystemNameKey.String(o.System),
			AttrSubgraph.String(o.Subgraph),
		},
	}
	if telemetry.Recording(p.TracerProvider()) {
		in.tracer = p.Tracer()
	}
	return in
}

// System is the engine the instrument's store runs on.
func (in *Instrument) System() string { return in.system }

// Op is one operation of a store (a contract method), with its span's name
// and attributes and its histogram children made ahead of its calls.
type Op struct {
	in        *Instrument
	name      string
	spanName  string
	startOpts []trace.SpanStartOption
	series    atomic.Pointer[opSeries]
}

// opSeries are an operation's histogram children in one Metrics.
type opSeries struct {
	m       *Metrics
	ok, err prometheus.Observer
}

// Op prepares the operation called name (db.operation.name), on collection
// (db.collection.name: the table or index it reads or writes, "" when the
// call spans several or none). The span is named "name collection", as the
// conventions' "{db.operation.name} {target}".
func (in *Instrument) Op(name, collection string) *Op {
	attrs := append([]attribute.KeyValue{semconv.DBOperationName(name)}, in.base...)
	spanName := name
	if collection != "" {
		attrs = append(attrs, semconv.DBCollectionName(collection))
		spanName += " " + collection
	}
	return &Op{
		in:       in,
		name:     name,
		spanName: spanName,
		startOpts: []trace.SpanStartOption{
			trace.WithSpanKind(trace.SpanKindClient),
			trace.WithAttributes(attrs...),
		},
	}
}

// Call is one call of an Op in progress; End it with the call's error.
type Call struct {
	op    *Op
	span  trace.Span // nil when not traced
	start time.Time
}

// Start begins a call: a client span, child of ctx's span, when that span
// is recording, and the clock. The context returned carries the span, so
// that what the store does below (a cache's fall-through to its engine)
// nests under it.
func (o *Op) Start(ctx context.Context) (context.Context, Call) {
	c := Call{op: o, start: time.Now()}
	if o.in.tracer != nil && trace.SpanFromContext(ctx).IsRecording() {
		ctx, c.span = o.in.tracer.Start(ctx, o.spanName, o.startOpts...)
	}
	return ctx, c
}

// End ends the call: the span's status is an error when err is a failure
// (not one Options.Expected accepts), and the call is timed under its
// outcome.
func (c Call) End(err error) {
	failed := err != nil && (c.op.in.expected == nil || !c.op.in.expected(err))
	if c.span != nil {
		if failed {
			c.span.RecordError(err)
			c.span.SetStatus(codes.Error, err.Error())
			c.span.SetAttributes(semconv.ErrorType(err))
		}
		c.span.End()
	}
	c.op.observe(failed, time.Since(c.start))
}

func (o *Op) observe(failed bool, d time.Duration) {
	m := o.in.metrics
	if m == nil {
		if m = installed.Load(); m == nil {
			return
		}
	}
	s := o.series.Load()
	if s == nil || s.m != m {
		// A process installs one Metrics, so this runs once per operation;
		// tests that install another get fresh children.
		s = &opSeries{
			m:   m,
			ok:  m.durations.WithLabelValues(o.in.subgraph, o.in.system, o.name, OutcomeOK),
			err: m.durations.WithLabelValues(o.in.subgraph, o.in.system, o.name, OutcomeError),
		}
		o.series.Store(s)
	}
	if failed {
		s.err.Observe(d.Seconds())
		return
	}
	s.ok.Observe(d.Seconds())
}
