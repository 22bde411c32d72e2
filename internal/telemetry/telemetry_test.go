package telemetry

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/baggage"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"

	"github.com/cinegraph/cinegraph/internal/config"
)

func TestNew(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		cfg     config.Tracing
		role    string
		enabled bool
		service string
	}{
		{"none", config.Tracing{Exporter: config.TracingNone, SamplingRatio: 1}, "router", false, "cinegraph-router"},
		{"otlp over gRPC, default endpoint", config.Tracing{Exporter: config.TracingOTLPGRPC, SamplingRatio: 1}, "serve", true, "cinegraph-serve"},
		{"otlp over gRPC to an address", config.Tracing{Exporter: config.TracingOTLPGRPC, Endpoint: "127.0.0.1:1", SamplingRatio: 1}, "catalog", true, "cinegraph-catalog"},
		{"otlp over HTTP to a URL", config.Tracing{Exporter: config.TracingOTLPHTTP, Endpoint: "http://127.0.0.1:1/v1/traces", SamplingRatio: 1, ServiceName: "edge"}, "router", true, "edge"},
		{"otlp over HTTP to an address", config.Tracing{Exporter: config.TracingOTLPHTTP, Endpoint: "127.0.0.1:1", SamplingRatio: 1}, "router", true, "cinegraph-router"},
		{"zipkin", config.Tracing{Exporter: config.TracingZipkin, Endpoint: "http://127.0.0.1:1/api/v2/spans", SamplingRatio: 1}, "video", true, "cinegraph-video"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// No collector listens: building must not need one.
			p, err := New(context.Background(), tc.cfg, tc.role)
			if err != nil {
				t.Fatal(err)
			}
			if p.Enabled() != tc.enabled || Recording(p.TracerProvider()) != tc.enabled {
				t.Errorf("enabled %v, recording %v, want %v", p.Enabled(), Recording(p.TracerProvider()), tc.enabled)
			}
			if got := ServiceName(tc.cfg, tc.role); got != tc.service {
				t.Errorf("service name %q, want %q", got, tc.service)
			}
			_, span := p.Tracer().Start(context.Background(), "x")
			if span.IsRecording() != tc.enabled {
				t.Errorf("span recording %v", span.IsRecording())
			}
			span.End()
			ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
			defer cancel()
			_ = p.Shutdown(ctx) // the span cannot be delivered; only the bound matters
		})
	}
}

func TestRecording(t *testing.T) {
	t.Parallel()
	rec := tracetest.NewSpanRecorder()
	p, err := New(context.Background(), config.Tracing{Exporter: config.TracingOTLPHTTP, SamplingRatio: 1}, "x", WithSpanProcessor(rec))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		tp   trace.TracerProvider
		want bool
	}{
		{"nil", nil, false},
		{"no-op", noop.NewTracerProvider(), false},
		{"disabled", Disabled().TracerProvider(), false},
		{"sdk", p.TracerProvider(), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if Recording(tc.tp) != tc.want {
				t.Errorf("Recording = %v", !tc.want)
			}
		})
	}
}

// The sampler follows the parent's decision and samples new traces by
// the ratio; every span goes to the processor, resource and all.
func TestSampling(t *testing.T) {
	t.Parallel()
	sampled := trace.ContextWithRemoteSpanContext(context.Background(), trace.NewSpanContext(trace.SpanContextConfig{
		TraceID: trace.TraceID{1}, SpanID: trace.SpanID{1}, TraceFlags: trace.FlagsSampled, Remote: true}))
	unsampled := trace.ContextWithRemoteSpanContext(context.Background(), trace.NewSpanContext(trace.SpanContextConfig{
		TraceID: trace.TraceID{2}, SpanID: trace.SpanID{2}, Remote: true}))
	tests := []struct {
		name  string
		ratio float64
		ctx   context.Context
		want  int
	}{
		{"ratio 1, new trace", 1, context.Background(), 1},
		{"ratio 0, new trace", 0, context.Background(), 0},
		{"ratio 0, sampled parent", 0, sampled, 1},
		{"ratio 1, unsampled parent", 1, unsampled, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rec := tracetest.NewSpanRecorder()
			p, err := New(context.Background(), config.Tracing{Exporter: config.TracingOTLPGRPC, SamplingRatio: tc.ratio, ServiceName: "svc"}, "x", WithSpanProcessor(rec))
			if err != nil {
				t.Fatal(err)
			}
			_, span := p.Tracer().Start(tc.ctx, "x")
			span.End()
			if err := p.Shutdown(context.Background()); err != nil {
				t.Fatal(err)
			}
			got := rec.Ended()
			if len(got) != tc.want {
				t.Fatalf("%d spans, want %d", len(got), tc.want)
			}
			if len(got) == 1 {
				if v, _ := got[0].Resource().Set().Value("service.name"); v.AsString() != "svc" {
					t.Errorf("service.name %q", v.AsString())
				}
			}
		})
	}
}

// Server spans continue a trusted caller's trace, or start their own
// linked to it (an untrusted caller's baggage is dropped with its
// trace); the status is recorded.
func TestServerSpans(t *testing.T) {
	t.Parallel()
	caller := trace.NewSpanContext(trace.SpanContextConfig{TraceID: trace.TraceID{9}, SpanID: trace.SpanID{9}, TraceFlags: trace.FlagsSampled, Remote: true})
	tests := []struct {
		name      string
		continue_ bool
		status    int
	}{
		{"continued", true, http.StatusOK},
		{"linked", false, http.StatusServiceUnavailable},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rec := tracetest.NewSpanRecorder()
			p, err := New(context.Background(), config.Tracing{Exporter: config.TracingOTLPHTTP, SamplingRatio: 1}, "x", WithSpanProcessor(rec))
			if err != nil {
				t.Fatal(err)
			}
			var member string
			h := ServerSpans{Tracer: p.Tracer(), Propagator: p.Propagator(), Continue: tc.continue_}.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				member = baggage.FromContext(r.Context()).Member("tenant").Value()
				w.WriteHeader(tc.status)
			}))
			req := httptest.NewRequest(http.MethodPost, "/graphql", nil)
			bag, _ := baggage.Parse("tenant=blue")
			Propagator().Inject(baggage.ContextWithBaggage(trace.ContextWithRemoteSpanContext(context.Background(), caller), bag), propagation.HeaderCarrier(req.Header))
			h.ServeHTTP(httptest.NewRecorder(), req)
			spans := rec.Ended()
			if len(spans) != 1 {
				t.Fatalf("%d spans", len(spans))
			}
			s := spans[0]
			if s.Name() != "POST /graphql" || s.SpanKind() != trace.SpanKindServer {
				t.Errorf("span %q kind %v", s.Name(), s.SpanKind())
			}
			if continued := s.Parent().SpanID() == caller.SpanID(); continued != tc.continue_ {
				t.Errorf("continued %v", continued)
			}
			if !tc.continue_ && (len(s.Links()) != 1 || s.Links()[0].SpanContext.TraceID() != caller.TraceID()) {
				t.Errorf("links %v", s.Links())
			}
			var status int64
			for _, kv := range s.Attributes() {
				if kv.Key == attribute.Key("http.response.status_code") {
					status = kv.Value.AsInt64()
				}
			}
			if status != int64(tc.status) {
				t.Errorf("status %d", status)
			}
			// Baggage is the trusted caller's only, like its trace.
			if want := map[bool]string{true: "blue"}[tc.continue_]; member != want {
				t.Errorf("baggage %q, want %q", member, want)
			}
		})
	}
}
