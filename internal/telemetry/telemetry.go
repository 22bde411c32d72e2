// Package telemetry builds the process's OpenTelemetry tracing from the
// tracing.* configuration: a TracerProvider exporting over OTLP (gRPC or
// HTTP) or to Zipkin, sampled by a parent-based ratio, and the W3C trace
// context and baggage propagator. With tracing.exporter none it hands out
// the no-op provider, which the router and the subgraph servers recognise
// (Recording) so they start no span at all.
//
// The command installs one Provider per process (Install) and shuts it
// down at exit, which flushes the spans still queued; the subgraph
// servers and the composition root read it back with Current.
package telemetry

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync/atomic"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/exporters/zipkin"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"

	"github.com/cinegraph/cinegraph/internal/config"
)

// ScopeName is the instrumentation scope of Cinegraph's own spans.
const ScopeName = "github.com/cinegraph/cinegraph"

// Provider is a process's tracing: its TracerProvider, the propagator and
// the settings the instrumentation reads.
type Provider struct {
	tp   trace.TracerProvider
	sdk  *sdktrace.TracerProvider // nil when nothing is recorded
	prop propagation.TextMapPropagator
	cfg  config.Tracing
}

// Option changes how New builds a Provider.
type Option func(*options)

type options struct {
	processor sdktrace.SpanProcessor
}

// WithSpanProcessor sends spans to p instead of the exporter the
// configuration names (tests record them with tracetest.SpanRecorder,
// benchmarks drop them). The configuration must still name an exporter:
// with none, nothing is recorded.
func WithSpanProcessor(p sdktrace.SpanProcessor) Option {
	return func(o *options) { o.processor = p }
}

// Propagator is the W3C trace context and baggage propagator every
// Cinegraph process reads and writes headers with.
func Propagator() propagation.TextMapPropagator {
	return propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{})
}

// ServiceName is the service.name of a process in role (serve, router, or
// a subgraph's name) when tracing.service_name does not set one.
func ServiceName(cfg config.Tracing, role string) string {
	if cfg.ServiceName != "" {
		return cfg.ServiceName
	}
	return "cinegraph-" + role
}

// Disabled is a Provider that records nothing.
func Disabled() *Provider {
	return &Provider{tp: noop.NewTracerProvider(), prop: Propagator(), cfg: config.Tracing{Exporter: config.TracingNone}}
}

// New builds the Provider cfg describes for a process in role. Its
// exporter connects lazily: an unreachable collector costs dropped
// spans, never a failed start.
func New(ctx context.Context, cfg config.Tracing, role string, opts ...Option) (*Provider, error) {
	if !cfg.Enabled() {
		p := Disabled()
		p.cfg = cfg
		return p, nil
	}
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	processor := o.processor
	if processor == nil {
		exp, err := newExporter(ctx, cfg)
		if err != nil {
			return nil, fmt.Errorf("tracing: %w", err)
		}
		processor = sdktrace.NewBatchSpanProcessor(exp)
	}
	res, err := resource.New(ctx,
		resource.WithSchemaURL(semconv.SchemaURL),
		resource.WithAttributes(semconv.ServiceName(ServiceName(cfg, role))),
		resource.WithTelemetrySDK(),
	)
	if err != nil {
		return nil, errors.Join(fmt.Errorf("tracing: resource: %w", err), processor.Shutdown(ctx))
	}
	sdk := sdktrace.NewTracerProvider(
		sdktrace.WithResource(res),
		sdktrace.WithSampler(sdktrace.ParentBased(sdktrace.TraceIDRatioBased(cfg.SamplingRatio))),
		sdktrace.WithSpanProcessor(processor),
	)
	return &Provider{tp: sdk, sdk: sdk, prop: Propagator(), cfg: cfg}, nil
}

func newExporter(ctx context.Context, cfg config.Tracing) (sdktrace.SpanExporter, error) {
	switch cfg.Exporter {
	case config.TracingOTLPGRPC:
		var opts []otlptracegrpc.Option
		if e := cfg.Endpoint; e != "" {
			if u, ok := parseURL(e); ok {
				opts = append(opts, otlptracegrpc.WithEndpoint(u.Host))
				if u.Scheme == "http" {
					opts = append(opts, otlptracegrpc.WithInsecure())
				}
			} else {
				opts = append(opts, otlptracegrpc.WithEndpoint(e), otlptracegrpc.WithInsecure())
			}
		}
		return otlptracegrpc.New(ctx, opts...)
	case config.TracingOTLPHTTP:
		var opts []otlptracehttp.Option
		if e := cfg.Endpoint; e != "" {
			if _, ok := parseURL(e); ok {
				opts = append(opts, otlptracehttp.WithEndpointURL(e))
			} else {
				opts = append(opts, otlptracehttp.WithEndpoint(e), otlptracehttp.WithInsecure())
			}
		}
		return otlptracehttp.New(ctx, opts...)
	case config.TracingZipkin:
		endpoint := cfg.Endpoint
		if endpoint == "" {
			endpoint = "http://localhost:9411/api/v2/spans"
		}
		return zipkin.New(endpoint)
	}
	return nil, fmt.Errorf("no exporter %q", cfg.Exporter)
}

func parseURL(s string) (*url.URL, bool) {
	if !strings.Contains(s, "://") {
		return nil, false
	}
	u, err := url.Parse(s)
	return u, err == nil && u.Host != ""
}

// TracerProvider is the provider spans start from: the no-op one when
// nothing is recorded.
func (p *Provider) TracerProvider() trace.TracerProvider { return p.tp }

// Tracer is Cinegraph's tracer from the provider.
func (p *Provider) Tracer() trace.Tracer { return p.tp.Tracer(ScopeName) }

// Propagator reads and writes trace context and baggage in headers.
func (p *Provider) Propagator() propagation.TextMapPropagator { return p.prop }

// Config is the configuration the provider was built from.
func (p *Provider) Config() config.Tracing { return p.cfg }

// Enabled reports whether spans are recorded and exported.
func (p *Provider) Enabled() bool { return p.sdk != nil }

// Shutdown exports the spans still queued and stops the exporter; ctx
// bounds how long that may take.
func (p *Provider) Shutdown(ctx context.Context) error {
	if p.sdk == nil {
		return nil
	}
	if err := p.sdk.Shutdown(ctx); err != nil {
		return fmt.Errorf("tracing: shutdown: %w", err)
	}
	return nil
}

var current atomic.Pointer[Provider]

// Install makes p the process's provider (Current) and OpenTelemetry's
// global one, with its propagator, for libraries that read the globals.
func Install(p *Provider) {
	current.Store(p)
	otel.SetTracerProvider(p.tp)
	otel.SetTextMapPropagator(p.prop)
}

// Current is the Provider Install installed, or a Disabled one.
func Current() *Provider {
	if p := current.Load(); p != nil {
		return p
	}
	return Disabled()
}

// Recording reports whether tp may record spans: false for nil and for
// the no-op provider, whose spans instrumentation skips altogether.
func Recording(tp trace.TracerProvider) bool {
	switch tp.(type) {
	case nil, noop.TracerProvider, *noop.TracerProvider:
		return false
	}
	return true
}
