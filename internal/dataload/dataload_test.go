package dataload_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"
	"time"

	"github.com/vikstrous/dataloadgen"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/internal/dataload"
	"github.com/cinegraph/cinegraph/internal/telemetry"
)

type catalogLoaders struct{ name string }
type chatLoaders struct{ name string }

func TestMiddlewareGivesEachRequestItsOwnLoaders(t *testing.T) {
	t.Parallel()
	n := 0
	var seen []*catalogLoaders
	h := dataload.Middleware(func() *catalogLoaders { n++; return &catalogLoaders{} })(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		seen = append(seen, dataload.For[catalogLoaders](r.Context()))
	}))
	for range 2 {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodPost, "/", nil))
	}
	if n != 2 || len(seen) != 2 || seen[0] == seen[1] {
		t.Fatalf("%d loaders made, requests saw %p %p; want one each", n, seen[0], seen[1])
	}
}

func TestLoadersOfEachSubgraphKeptApart(t *testing.T) {
	t.Parallel()
	ctx := dataload.With(context.Background(), &catalogLoaders{name: "catalog"})
	ctx = dataload.ForConnection(func() *chatLoaders { return &chatLoaders{name: "chat"} })(ctx)
	if got := dataload.For[catalogLoaders](ctx).name; got != "catalog" {
		t.Fatalf("catalog loaders = %q", got)
	}
	if got := dataload.For[chatLoaders](ctx).name; got != "chat" {
		t.Fatalf("chat loaders = %q", got)
	}
}

func TestForWithoutLoadersPanics(t *testing.T) {
	t.Parallel()
	defer func() {
		err, _ := recover().(error)
		if !errors.Is(err, dataload.ErrMissing) {
			t.Fatalf("recovered %v, want ErrMissing", err)
		}
	}()
	dataload.For[catalogLoaders](context.Background())
}

func TestAligned(t *testing.T) {
	t.Parallel()
	down := errors.New("store down")
	tests := []struct {
		name    string
		err     error
		want    []string
		wantErr error
	}{
		{"answers in key order", nil, []string{"A", "B"}, nil},
		{"a failure fails every key", down, []string{"", ""}, down},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fetch := dataload.Aligned(func(_ context.Context, keys []string) ([]string, error) {
				if tc.err != nil {
					return nil, tc.err
				}
				return []string{"A", "B"}, nil
			})
			values, errs := fetch(context.Background(), []string{"a", "b"})
			if len(values) != 2 || values[0] != tc.want[0] || values[1] != tc.want[1] {
				t.Fatalf("values %v, want %v", values, tc.want)
			}
			for i := range 2 {
				if errs != nil && !errors.Is(errs[i], tc.wantErr) || errs == nil && tc.wantErr != nil {
					t.Fatalf("errs %v, want %v for every key", errs, tc.wantErr)
				}
			}
		})
	}
}

func TestConfigOptions(t *testing.T) {
	t.Parallel()
	calls := 0
	fetch := func(_ context.Context, keys []string) ([]string, []error) { calls++; return keys, nil }
	tests := []struct {
		name      string
		cfg       dataload.Config
		wantCalls int
	}{
		{"cached", dataload.Config{}, 1},
		{"uncached", dataload.Config{NoCache: true, Wait: time.Millisecond}, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			calls = 0
			l := dataloadgen.NewLoader(fetch, tc.cfg.Options(time.Millisecond)...)
			for range 2 {
				if v, err := l.Load(context.Background(), "k"); err != nil || v != "k" {
					t.Fatalf("Load = %q, %v", v, err)
				}
			}
			if calls != tc.wantCalls {
				t.Fatalf("%d fetches for two loads, want %d", calls, tc.wantCalls)
			}
		})
	}
}

// TestTraced: one span per batch, under the context of a caller whose Load
// opened it, with the batch's size; none, and the fetch itself, with
// tracing off. Not parallel: it installs the process's provider.
func TestTraced(t *testing.T) {
	rec := tracetest.NewSpanRecorder()
	p, err := telemetry.New(context.Background(), config.Tracing{Exporter: config.TracingOTLPHTTP, SamplingRatio: 1}, "test", telemetry.WithSpanProcessor(rec))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { telemetry.Install(telemetry.Disabled()) })
	fail := errors.New("store down")

	tests := []struct {
		name       string
		provider   *telemetry.Provider
		keys       []string
		err        error
		wantSpans  int
		wantStatus codes.Code
	}{
		{"three keys, one batch", p, []string{"a", "b", "c"}, nil, 1, codes.Unset},
		{"failed batch", p, []string{"a", "b"}, fail, 1, codes.Error},
		{"tracing off", telemetry.Disabled(), []string{"a", "b", "c"}, nil, 0, codes.Unset},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			telemetry.Install(tc.provider)
			before := len(rec.Ended())
			fetch := dataload.Aligned(func(_ context.Context, keys []string) ([]string, error) {
				if tc.err != nil {
					return nil, tc.err
				}
				return keys, nil
			})
			traced := dataload.Traced("Rooms", fetch)
			if off := !tc.provider.Enabled(); off != (reflect.ValueOf(traced).Pointer() == reflect.ValueOf(fetch).Pointer()) {
				t.Fatalf("tracing off %v, but Traced returned the fetch itself %v", off, !off)
			}
			l := dataloadgen.NewLoader(traced, dataloadgen.WithWait(20*time.Millisecond))

			// Each caller loads under a span of its own, as resolvers do.
			callers := map[trace.SpanID]bool{}
			var thunks []func() (string, error)
			for _, k := range tc.keys {
				ctx, span := p.Tracer().Start(context.Background(), "Room.field")
				callers[span.SpanContext().SpanID()] = true
				thunks = append(thunks, l.LoadThunk(ctx, k))
				defer span.End()
			}
			for _, th := range thunks {
				if _, err := th(); !errors.Is(err, tc.err) {
					t.Fatalf("load error %v, want %v", err, tc.err)
				}
			}
			var spans []sdktrace.ReadOnlySpan
			for _, s := range rec.Ended()[before:] {
				if s.Name() == "load Rooms" {
					spans = append(spans, s)
				}
			}
			if len(spans) != tc.wantSpans {
				t.Fatalf("%d batch spans, want %d", len(spans), tc.wantSpans)
			}
			if tc.wantSpans == 0 {
				return
			}
			s := spans[0]
			if !callers[s.Parent().SpanID()] {
				t.Error("the batch span is not a caller's child")
			}
			size := -1
			for _, kv := range s.Attributes() {
				if kv.Key == dataload.AttrBatchSize {
					size = int(kv.Value.AsInt64())
				}
			}
			if size != len(tc.keys) {
				t.Errorf("batch size %d, want %d", size, len(tc.keys))
			}
			if s.Status().Code != tc.wantStatus {
				t.Errorf("status %v, want %v", s.Status(), tc.wantStatus)
			}
		})
	}
}

// TestTracedOffAddsNothing: with tracing off, loaders built per request
// allocate no more than without Traced.
func TestTracedOffAddsNothing(t *testing.T) {
	telemetry.Install(telemetry.Disabled())
	fetch := dataload.Aligned(func(_ context.Context, keys []string) ([]string, error) { return keys, nil })
	if allocs := testing.AllocsPerRun(100, func() { _ = dataload.Traced("Rooms", fetch) }); allocs != 0 {
		t.Fatalf("%v allocations per loader, want 0", allocs)
	}
	ctx := context.Background()
	if allocs := testing.AllocsPerRun(100, func() {
		_, b := dataload.StartBatch(ctx, "Rooms", 3)
		b.End(nil)
	}); allocs != 0 {
		t.Fatalf("%v allocations per prefetch batch, want 0", allocs)
	}
}

// TestStartBatch: a prefetch's batch is spanned as a loader's, under the
// caller's span, only within a recorded trace. Not parallel: it installs
// the process's provider.
func TestStartBatch(t *testing.T) {
	rec := tracetest.NewSpanRecorder()
	p, err := telemetry.New(context.Background(), config.Tracing{Exporter: config.TracingOTLPHTTP, SamplingRatio: 1}, "test", telemetry.WithSpanProcessor(rec))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { telemetry.Install(telemetry.Disabled()) })
	telemetry.Install(p)

	tests := []struct {
		name       string
		traced     bool
		err        error
		wantStatus codes.Code
	}{
		{"ok", true, nil, codes.Unset},
		{"failed", true, errors.New("store down"), codes.Error},
		{"outside a trace", false, nil, codes.Unset},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := len(rec.Ended())
			ctx := context.Background()
			var parent trace.Span
			if tc.traced {
				ctx, parent = p.Tracer().Start(ctx, "Query.rooms")
				defer parent.End()
			}
			bctx, b := dataload.StartBatch(ctx, "RoomStats", 7)
			if tc.traced == (bctx == ctx) {
				t.Fatalf("traced %v, but the batch's context is the caller's %v", tc.traced, bctx == ctx)
			}
			b.End(tc.err)
			spans := rec.Ended()[before:]
			if !tc.traced {
				if len(spans) != 0 {
					t.Fatalf("%d spans outside a trace, want none", len(spans))
				}
				return
			}
			if len(spans) != 1 || spans[0].Name() != "load RoomStats" {
				t.Fatalf("spans %v, want load RoomStats", spans)
			}
			s := spans[0]
			if s.Parent().SpanID() != parent.SpanContext().SpanID() || s.Status().Code != tc.wantStatus {
				t.Fatalf("parent %v status %v, want the caller's and %v", s.Parent().SpanID(), s.Status(), tc.wantStatus)
			}
			attrs := map[string]string{}
			for _, kv := range s.Attributes() {
				attrs[string(kv.Key)] = kv.Value.Emit()
			}
			if attrs[string(dataload.AttrBatchSize)] != "7" || attrs[string(dataload.AttrPrefetch)] != "true" {
				t.Fatalf("attributes %v", attrs)
			}
		})
	}
}
