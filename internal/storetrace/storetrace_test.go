package storetrace

import (
	"context"
	"errors"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/internal/telemetry"
)

var errNotFound = errors.New("not found")

func recording(t testing.TB) (*telemetry.Provider, *tracetest.SpanRecorder) {
	t.Helper()
	rec := tracetest.NewSpanRecorder()
	p, err := telemetry.New(context.Background(), config.Tracing{Exporter: config.TracingOTLPHTTP, SamplingRatio: 1}, "test", telemetry.WithSpanProcessor(rec))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Shutdown(context.Background()) })
	return p, rec
}

func attrs(s sdktrace.ReadOnlySpan) map[attribute.Key]attribute.Value {
	out := map[attribute.Key]attribute.Value{}
	for _, kv := range s.Attributes() {
		out[kv.Key] = kv.Value
	}
	return out
}

func TestCallSpans(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		collection string
		err        error
		wantSpan   string
		wantStatus codes.Code
		wantError  bool // error.type and an exception event
		outcome    string
	}{
		{"ok", "rooms", nil, "RoomsByIDs rooms", codes.Unset, false, OutcomeOK},
		{"failure", "rooms", errors.New("disk I/O error"), "RoomsByIDs rooms", codes.Error, true, OutcomeError},
		{"not found is an answer", "rooms", errNotFound, "RoomsByIDs rooms", codes.Unset, false, OutcomeOK},
		{"no collection", "", nil, "RoomsByIDs", codes.Unset, false, OutcomeOK},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p, rec := recording(t)
			reg := prometheus.NewRegistry()
			m, err := NewMetrics(reg)
			if err != nil {
				t.Fatal(err)
			}
			in := New(Options{Subgraph: "chat", System: SQLite, Tracing: p, Metrics: m, Expected: func(err error) bool { return errors.Is(err, errNotFound) }})
			op := in.Op("RoomsByIDs", tc.collection)

			ctx, parent := p.Tracer().Start(context.Background(), "Query.rooms")
			inner, call := op.Start(ctx)
			if got := trace.SpanFromContext(inner).SpanContext(); got.SpanID() == parent.SpanContext().SpanID() {
				t.Fatal("the call's context does not carry its span")
			}
			call.End(tc.err)
			parent.End()

			spans := rec.Ended()
			if len(spans) != 2 {
				t.Fatalf("%d spans, want the call's and its parent's", len(spans))
			}
			s := spans[0]
			if s.Name() != tc.wantSpan || s.SpanKind() != trace.SpanKindClient {
				t.Fatalf("span %q kind %v, want %q client", s.Name(), s.SpanKind(), tc.wantSpan)
			}
			if s.Parent().SpanID() != parent.SpanContext().SpanID() {
				t.Fatal("the call's span is not its caller's child")
			}
			a := attrs(s)
			want := map[attribute.Key]string{
				"db.system.name":          "sqlite",
				"db.operation.name":       "RoomsByIDs",
				"cinegraph.subgraph.name": "chat",
			}
			if tc.collection != "" {
				want["db.collection.name"] = tc.collection
			} else if _, ok := a["db.collection.name"]; ok {
				t.Fatal("db.collection.name set without a collection")
			}
			for k, v := range want {
				if a[k].AsString() != v {
					t.Errorf("%s = %q, want %q", k, a[k].AsString(), v)
				}
			}
			if s.Status().Code != tc.wantStatus {
				t.Errorf("status %v, want %v", s.Status(), tc.wantStatus)
			}
			if _, ok := a["error.type"]; ok != tc.wantError {
				t.Errorf("error.type present %v, want %v", ok, tc.wantError)
			}
			other := OutcomeError
			if tc.outcome == OutcomeError {
				other = OutcomeOK
			}
			if n := calls(t, reg, "chat", "sqlite", "RoomsByIDs", other); n != 0 {
				t.Fatalf("%d calls timed as %s, want 0", n, other)
			}
			if n := calls(t, reg, "chat", "sqlite", "RoomsByIDs", tc.outcome); n != 1 {
				t.Fatalf("%d calls timed as %s, want 1", n, tc.outcome)
			}
		})
	}
}

// TestNoSpanWithoutRecordingParent: store calls outside a recorded trace
// (the outbox relay's polls, seeding) start no trace of their own, and
// nothing at all when the provider records nothing; they are timed anyway.
func TestNoSpanWithoutRecordingParent(t *testing.T) {
	t.Parallel()
	p, rec := recording(t)
	tests := []struct {
		name string
		p    *telemetry.Provider
		ctx  func() context.Context
	}{
		{"recording provider, no parent", p, context.Background},
		{"recording provider, unsampled parent", p, func() context.Context {
			return trace.ContextWithSpanContext(context.Background(), trace.NewSpanContext(trace.SpanContextConfig{TraceID: [16]byte{1}, SpanID: [8]byte{1}}))
		}},
		{"tracing off, recording parent", telemetry.Disabled(), func() context.Context {
			ctx, _ := p.Tracer().Start(context.Background(), "parent")
			return ctx
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			reg := prometheus.NewRegistry()
			m, err := NewMetrics(reg)
			if err != nil {
				t.Fatal(err)
			}
			op := New(Options{Subgraph: "chat", System: SQLite, Tracing: tc.p, Metrics: m}).Op("Ping", "")
			ctx := tc.ctx()
			before := len(rec.Ended()) + len(rec.Started())
			inner, call := op.Start(ctx)
			call.End(nil)
			if inner != ctx {
				t.Error("the context changed without a span")
			}
			if got := len(rec.Ended()) + len(rec.Started()); got != before {
				t.Errorf("%d spans recorded, want none", got-before)
			}
			if n := calls(t, reg, "chat", "sqlite", "Ping", OutcomeOK); n != 1 {
				t.Errorf("%d calls timed, want 1", n)
			}
		})
	}
}

// TestInstalledMetrics: an instrument made before the process's metrics
// exist times into them once they are installed.
func TestInstalledMetrics(t *testing.T) {
	// Not parallel: Install is the process's.
	t.Cleanup(func() { Install(nil) })
	Install(nil)
	op := New(Options{Subgraph: "video", System: Cassandra, Tracing: telemetry.Disabled()}).Op("VideosByIDs", "video_videos")
	_, call := op.Start(context.Background())
	call.End(nil) // nothing installed: not timed, no panic

	for i, n := range []int{2, 3} { // a second install gets fresh children
		reg := prometheus.NewRegistry()
		m, err := NewMetrics(reg)
		if err != nil {
			t.Fatal(err)
		}
		Install(m)
		for range n {
			_, call := op.Start(context.Background())
			call.End(errors.New("timeout"))
		}
		if got := calls(t, reg, "video", "cassandra", "VideosByIDs", OutcomeError); got != uint64(n) {
			t.Fatalf("install %d: %d calls timed, want %d", i, got, n)
		}
	}
}

// TestNoAllocations: with tracing off, or outside a recorded trace, a call
// allocates nothing, whether or not it is timed.
func TestNoAllocations(t *testing.T) {
	p, _ := recording(t)
	m, err := NewMetrics(prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		o    Options
	}{
		{"tracing off, not timed", Options{Tracing: telemetry.Disabled()}},
		{"tracing off, timed", Options{Tracing: telemetry.Disabled(), Metrics: m}},
		{"tracing on, no recorded trace, timed", Options{Tracing: p, Metrics: m}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.o.Subgraph, tc.o.System = "chat", SQLite
			op := New(tc.o).Op("RoomStats", "messages")
			ctx := context.Background()
			fail := errors.New("boom")
			allocs := testing.AllocsPerRun(1000, func() {
				_, c := op.Start(ctx)
				c.End(nil)
				_, c = op.Start(ctx)
				c.End(fail)
			})
			if allocs != 0 {
				t.Fatalf("%v allocations per call pair, want 0", allocs)
			}
		})
	}
}

// calls is how many calls g's histogram timed under the labels subgraph,
// system, operation, outcome.
func calls(t *testing.T, g prometheus.Gatherer, labels ...string) uint64 {
	t.Helper()
	mfs, err := g.Gather()
	if err != nil {
		t.Fatal(err)
	}
	names := []string{"subgraph", "system", "operation", "outcome"}
	for _, mf := range mfs {
		if mf.GetName() != "cinegraph_store_call_duration_seconds" {
			continue
		}
	metrics:
		for _, m := range mf.GetMetric() {
			got := map[string]string{}
			for _, l := range m.GetLabel() {
				got[l.GetName()] = l.GetValue()
			}
			for i, n := range names {
				if got[n] != labels[i] {
					continue metrics
				}
			}
			return m.GetHistogram().GetSampleCount()
		}
	}
	return 0
}

func BenchmarkCall(b *testing.B) {
	p, _ := recording(b)
	m, err := NewMetrics(prometheus.NewRegistry())
	if err != nil {
		b.Fatal(err)
	}
	traced, span := p.Tracer().Start(context.Background(), "parent")
	defer span.End()
	benches := []struct {
		name string
		p    *telemetry.Provider
		ctx  context.Context
	}{
		{"tracing off", telemetry.Disabled(), context.Background()},
		{"tracing on, untraced request", p, context.Background()},
		{"tracing on, traced request", p, traced},
	}
	for _, bc := range benches {
		b.Run(bc.name, func(b *testing.B) {
			op := New(Options{Subgraph: "chat", System: SQLite, Tracing: bc.p, Metrics: m}).Op("RoomStats", "messages")
			b.ReportAllocs()
			for b.Loop() {
				_, c := op.Start(bc.ctx)
				c.End(nil)
			}
		})
	}
}
