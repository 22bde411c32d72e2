package config

import (
	"slices"
	"strings"
)

// The span exporters tracing.exporter names.
const (
	TracingNone     = "none"
	TracingOTLPGRPC = "otlp-grpc"
	TracingOTLPHTTP = "otlp-http"
	TracingZipkin   = "zipkin"
)

// Tracing configures OpenTelemetry tracing (internal/telemetry). With the
// exporter none (the default) no span is recorded or exported and
// incoming trace context is not read.
type Tracing struct {
	// Exporter is none, otlp-grpc, otlp-http or zipkin.
	Exporter string `koanf:"exporter" yaml:"exporter"`
	// Endpoint is where spans go: host:port or a URL for OTLP (empty: the
	// exporter's default, or OTEL_EXPORTER_OTLP_* from the environment),
	// the collector's URL for Zipkin (empty:
	// http://localhost:9411/api/v2/spans).
	Endpoint string `koanf:"endpoint" yaml:"endpoint"`
	// SamplingRatio is the share of new traces recorded, from 0 to 1; a
	// span with a parent follows its parent's decision.
	SamplingRatio float64 `koanf:"sampling_ratio" yaml:"sampling_ratio"`
	// ServiceName is the service.name of the process's spans; empty means
	// cinegraph-<role> (cinegraph-serve, cinegraph-router,
	// cinegraph-<subgraph>).
	ServiceName string `koanf:"service_name" yaml:"service_name"`
	// AcceptClientContext lets the router continue the trace a client's
	// traceparent names; off, the router starts a trace of its own and
	// links the client's span to it. Subgraphs always continue the
	// router's trace.
	AcceptClientContext bool `koanf:"accept_client_context" yaml:"accept_client_context"`
	// RecordDocument records the operation's document on the router's
	// spans (graphql.document); it may hold what clients would not log.
	RecordDocument bool `koanf:"record_document" yaml:"record_document"`
	// Fields are the subgraph fields (Type.field) whose resolvers get a
	// span of their own; empty means every field with a resolver of its
	// own (not a struct field read).
	Fields []string `koanf:"fields" yaml:"fields"`
}

func defaultTracing() Tracing {
	return Tracing{Exporter: TracingNone, SamplingRatio: 1}
}

// Enabled reports whether spans are recorded and exported.
func (t Tracing) Enabled() bool { return t.Exporter != TracingNone }

func (t Tracing) problems(check func(ok bool, format string, args ...any)) {
	kinds := []string{TracingNone, TracingOTLPGRPC, TracingOTLPHTTP, TracingZipkin}
	check(slices.Contains(kinds, t.Exporter), "tracing.exporter: %q is not one of %s", t.Exporter, strings.Join(kinds, ", "))
	check(t.SamplingRatio >= 0 && t.SamplingRatio <= 1, "tracing.sampling_ratio: must be from 0 to 1, got %g", t.SamplingRatio)
	switch t.Exporter {
	case TracingNone:
		check(t.Endpoint == "", "tracing.endpoint: set, but tracing.exporter is none")
	case TracingZipkin:
		check(t.Endpoint == "" || httpURL(t.Endpoint), "tracing.endpoint: %q is not an http(s) URL", t.Endpoint)
	case TracingOTLPGRPC, TracingOTLPHTTP:
		check(t.Endpoint == "" || httpURL(t.Endpoint) || validAddr(t.Endpoint), "tracing.endpoint: %q is neither host:port nor an http(s) URL", t.Endpoint)
	}
	check(!strings.ContainsAny(t.ServiceName, "\r\n"), "tracing.service_name: must be one line")
	for _, f := range t.Fields {
		typ, field, ok := strings.Cut(f, ".")
		check(ok && typ != "" && field != "" && !strings.ContainsAny(f, " \t") && !strings.Contains(field, "."),
			"tracing.fields: %q is not Type.field", f)
	}
}
