package gqlserver

import (
	"context"
	"net/http"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/internal/telemetry"
)

// Attribute keys of the subgraph's spans beside the conventions'.
const (
	attrSubgraph   = attribute.Key("cinegraph.subgraph.name")
	attrErrors     = attribute.Key("cinegraph.graphql.errors")
	attrFieldName  = attribute.Key("graphql.field.name")
	attrFieldType  = attribute.Key("graphql.field.type")
	attrFieldPath  = attribute.Key("graphql.field.path")
	extensionLabel = "Tracing"
)

// tracing is a subgraph server's OpenTelemetry instrumentation: a server
// span per HTTP request, continuing the trace the router's traceparent
// names, and, as a gqlgen extension, a span per operation and per field
// whose resolver does work of its own (not a struct field read), or per
// field tracing.fields names.
type tracing struct {
	tracer   trace.Tracer
	server   telemetry.ServerSpans
	subgraph attribute.KeyValue
	// fields are the fields traced (tracing.fields); nil traces every
	// field with a resolver of its own.
	fields map[fieldName]bool
}

type fieldName struct{ object, field string }

var (
	_ graphql.HandlerExtension     = (*tracing)(nil)
	_ graphql.OperationInterceptor = (*tracing)(nil)
	_ graphql.FieldInterceptor     = (*tracing)(nil)
)

// newTracing is the instrumentation over p, or nil when p records nothing.
func newTracing(name string, p *telemetry.Provider) *tracing {
	if p == nil {
		p = telemetry.Current()
	}
	if !telemetry.Recording(p.TracerProvider()) {
		return nil
	}
	t := &tracing{tracer: p.Tracer(), subgraph: attrSubgraph.String(name)}
	t.server = telemetry.ServerSpans{Tracer: t.tracer, Propagator: p.Propagator(), Continue: true}
	if fs := p.Config().Fields; len(fs) > 0 {
		t.fields = make(map[fieldName]bool, len(fs))
		for _, f := range fs {
			obj, field, _ := strings.Cut(f, ".")
			t.fields[fieldName{obj, field}] = true
		}
	}
	return t
}

// serve wraps h in the request's server span.
func (t *tracing) serve(h http.Handler) http.Handler {
	if t == nil {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		req, span := t.server.Start(req)
		span.SetAttributes(t.subgraph)
		rec := &telemetry.StatusRecorder{ResponseWriter: w}
		defer func() { telemetry.End(span, rec.Status()) }()
		h.ServeHTTP(rec, req)
	})
}

func (t *tracing) ExtensionName() string { return extensionLabel }

func (t *tracing) Validate(graphql.ExecutableSchema) error { return nil }

// InterceptOperation spans an operation ("query TitleById"), as the
// conventions name it; a subscription's span covers its start only. A
// subscription's responses carry the trace context of the event each
// delivers (delivery.go), whether or not the operation itself is sampled:
// the event's trace decides.
func (t *tracing) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	oc := graphql.GetOperationContext(ctx)
	if oc.Operation != nil && oc.Operation.Operation == ast.Subscription {
		var d *events.Deliveries
		ctx, d = t.deliveries(ctx, oc.Operation)
		return traceDeliveries(t.operation(ctx, oc, next), d)
	}
	return t.operation(ctx, oc, next)
}

// operation is InterceptOperation's span of the operation itself.
func (t *tracing) operation(ctx context.Context, oc *graphql.OperationContext, next graphql.OperationHandler) graphql.ResponseHandler {
	if !trace.SpanFromContext(ctx).IsRecording() {
		return next(ctx)
	}
	kind, name := "query", oc.OperationName
	if oc.Operation != nil {
		if oc.Operation.Operation != "" {
			kind = string(oc.Operation.Operation)
		}
		name = oc.Operation.Name
	}
	spanName := kind
	attrs := []attribute.KeyValue{semconv.GraphQLOperationTypeKey.String(kind), t.subgraph}
	if name != "" {
		spanName += " " + name
		attrs = append(attrs, semconv.GraphQLOperationName(name))
	}
	ctx, span := t.tracer.Start(ctx, spanName, trace.WithAttributes(attrs...))
	handle := next(ctx)
	if kind == "subscription" {
		span.End()
		return func(ctx context.Context) *graphql.Response {
			return handle(trace.ContextWithSpan(ctx, span))
		}
	}
	ended := false
	return func(ctx context.Context) *graphql.Response {
		resp := handle(trace.ContextWithSpan(ctx, span))
		if !ended {
			ended = true
			if resp != nil && len(resp.Errors) > 0 {
				span.SetAttributes(attrErrors.Int(len(resp.Errors)))
				span.SetStatus(codes.Error, resp.Errors[0].Message)
			}
			span.End()
		}
		return resp
	}
}

// InterceptField spans the fields traced, within a recorded trace.
func (t *tracing) InterceptField(ctx context.Context, next graphql.Resolver) (any, error) {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || fc.Field.Field == nil || !t.traced(fc) || !trace.SpanFromContext(ctx).IsRecording() {
		return next(ctx)
	}
	ctx, span := t.tracer.Start(ctx, fc.Object+"."+fc.Field.Name, trace.WithAttributes(
		attrFieldType.String(fc.Object),
		attrFieldName.String(fc.Field.Name),
		attrFieldPath.String(fc.Path().String()),
	))
	defer span.End()
	res, err := next(ctx)
	if err != nil {
		span.RecordError(err)
		span.SetStatus(codes.Error, err.Error())
	}
	return res, err
}

func (t *tracing) traced(fc *graphql.FieldContext) bool {
	if t.fields != nil {
		return t.fields[fieldName{fc.Object, fc.Field.Name}]
	}
	return fc.IsResolver && !strings.HasPrefix(fc.Object, "__")
}
