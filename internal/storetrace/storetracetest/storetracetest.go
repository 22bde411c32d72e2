// Package storetracetest lets a subgraph's tests watch its store calls the
// way an operator would: it installs a recording tracing provider and
// fresh store metrics as the process's, and checks the spans one GraphQL
// operation left (store calls under the operation, batched ones under
// their loader's batch span) and the calls the histogram counted.
package storetracetest

import (
	"context"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/internal/dataload"
	"github.com/cinegraph/cinegraph/internal/storetrace"
	"github.com/cinegraph/cinegraph/internal/telemetry"
)

// Recorder holds what the process's instrumentation recorded.
type Recorder struct {
	spans    *tracetest.SpanRecorder
	reg      *prometheus.Registry
	provider *telemetry.Provider
	mark     int
	counted  map[string]uint64
}

// Install makes a recording provider (or, with tracing false, the no-op
// one) and fresh store metrics the process's until the test ends. Tests
// calling it must not be parallel: both are process-wide.
func Install(t *testing.T, tracing bool) *Recorder {
	t.Helper()
	r := &Recorder{spans: tracetest.NewSpanRecorder(), reg: prometheus.NewRegistry(), provider: telemetry.Disabled()}
	if tracing {
		p, err := telemetry.New(context.Background(), config.Tracing{Exporter: config.TracingOTLPHTTP, SamplingRatio: 1}, "test", telemetry.WithSpanProcessor(r.spans))
		if err != nil {
			t.Fatal(err)
		}
		r.provider = p
	}
	m, err := storetrace.NewMetrics(r.reg)
	if err != nil {
		t.Fatal(err)
	}
	telemetry.Install(r.provider)
	storetrace.Install(m)
	t.Cleanup(func() {
		telemetry.Install(telemetry.Disabled())
		storetrace.Install(nil)
		_ = r.provider.Shutdown(context.Background())
	})
	return r
}

// Mark starts what Spans and Calls report: what is recorded from now on.
func (r *Recorder) Mark(t *testing.T) {
	t.Helper()
	r.mark = len(r.spans.Ended())
	r.counted = r.counts(t)
}

// Spans are the spans ended since Mark.
func (r *Recorder) Spans() []sdktrace.ReadOnlySpan { return r.spans.Ended()[r.mark:] }

// Calls are the store calls the histogram timed since Mark, by operation,
// whatever their outcome.
func (r *Recorder) Calls(t *testing.T) map[string]int {
	t.Helper()
	out := map[string]int{}
	for op, n := range r.counts(t) {
		if d := n - r.counted[op]; d > 0 {
			out[op] = int(d)
		}
	}
	return out
}

func (r *Recorder) counts(t *testing.T) map[string]uint64 {
	t.Helper()
	mfs, err := r.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]uint64{}
	for _, mf := range mfs {
		if mf.GetName() != "cinegraph_store_call_duration_seconds" {
			continue
		}
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "operation" {
					out[l.GetValue()] += m.GetHistogram().GetSampleCount()
				}
			}
		}
	}
	return out
}

// Verify checks what was recorded since Mark against want: the histogram
// counted want.Calls (whether or not tracing is on), and the spans are
// none with tracing off, else what Check asks of them.
func (r *Recorder) Verify(t *testing.T, tracing bool, want Want) {
	t.Helper()
	got := r.Calls(t)
	for op, n := range want.Calls {
		if got[op] != n {
			t.Errorf("histogram counted %d %s calls, want %d", got[op], op, n)
		}
	}
	if !tracing {
		if spans := r.Spans(); len(spans) != 0 {
			t.Fatalf("%d spans with tracing off, want none", len(spans))
		}
		return
	}
	Check(t, r.Spans(), want)
}

// Want is what one operation's spans should show.
type Want struct {
	// System is every store span's db.system.name.
	System string
	// Calls counts the store spans by db.operation.name.
	Calls map[string]int
	// Batches are the loader batch spans ("load <loader>") by loader, with
	// their batch sizes.
	Batches map[string]int
	// BatchOf names, for a store operation, the loader whose batch span
	// must be its parent.
	BatchOf map[string]string
}

// Check checks spans, one operation's, against want: store spans are
// client spans with the conventions' attributes, under the operation span
// ("query ..." or "mutation ..."), batched ones under their loader's batch
// span.
func Check(t *testing.T, spans []sdktrace.ReadOnlySpan, want Want) {
	t.Helper()
	byID := map[trace.SpanID]sdktrace.ReadOnlySpan{}
	var operation sdktrace.ReadOnlySpan
	for _, s := range spans {
		byID[s.SpanContext().SpanID()] = s
		if strings.HasPrefix(s.Name(), "query ") || strings.HasPrefix(s.Name(), "mutation ") {
			operation = s
		}
	}
	if operation == nil {
		t.Fatal("no operation span")
	}
	under := func(s sdktrace.ReadOnlySpan) bool {
		for p, ok := byID[s.Parent().SpanID()]; ok; p, ok = byID[p.Parent().SpanID()] {
			if p == operation {
				return true
			}
		}
		return false
	}

	calls, batches := map[string]int{}, map[string]int{}
	for _, s := range spans {
		attrs := map[string]string{}
		var size int64
		for _, kv := range s.Attributes() {
			attrs[string(kv.Key)] = kv.Value.Emit()
			if kv.Key == dataload.AttrBatchSize {
				size = kv.Value.AsInt64()
			}
		}
		parent := "(none)"
		if p, ok := byID[s.Parent().SpanID()]; ok {
			parent = p.Name()
		}
		t.Logf("%q under %q: %v", s.Name(), parent, attrs)
		switch {
		case attrs["db.system.name"] != "":
			op := attrs["db.operation.name"]
			calls[op]++
			if attrs["db.system.name"] != want.System || s.SpanKind() != trace.SpanKindClient {
				t.Errorf("store span %q: kind %v, system %q; want a %s client span", s.Name(), s.SpanKind(), attrs["db.system.name"], want.System)
			}
			if !under(s) {
				t.Errorf("store span %q is not under the operation span", s.Name())
			}
			if loader, ok := want.BatchOf[op]; ok && parent != "load "+loader {
				t.Errorf("store span %q is under %q, want its loader's batch span", s.Name(), parent)
			}
		case strings.HasPrefix(s.Name(), "load "):
			batches[strings.TrimPrefix(s.Name(), "load ")] = int(size)
			if !under(s) {
				t.Errorf("batch span %q is not under the operation span", s.Name())
			}
		}
	}
	if !equal(calls, want.Calls) {
		t.Errorf("store spans %v, want %v", calls, want.Calls)
	}
	if !equal(batches, want.Batches) {
		t.Errorf("batch spans %v, want %v", batches, want.Batches)
	}
}

func equal(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
