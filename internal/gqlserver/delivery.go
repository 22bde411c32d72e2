package gqlserver

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"github.com/cinegraph/cinegraph/internal/events"
)

// Extension keys of a subscription event's response that carry the trace
// context of its delivery: the W3C trace context fields as a flat carrier,
// {"traceparent": "00-…", "tracestate": "…"}, tracestate only when not
// empty. The router reads them from a subgraph's websocket next messages,
// continues the trace and strips them before its client sees them.
const (
	ExtensionTraceparent = "traceparent"
	ExtensionTracestate  = "tracestate"
)

// deliveries gives a subscription operation its events.Deliveries, into
// which the stream feeding it (internal/events/fanout) begins a span per
// event, and returns the context for the resolvers and the queue.
func (t *tracing) deliveries(ctx context.Context, op *ast.OperationDefinition) (context.Context, *events.Deliveries) {
	d := events.NewDeliveries(t.tracer, rootField(op))
	return events.ContextWithDeliveries(ctx, d), d
}

// rootField names a subscription's root field, or the operation when its
// root is a fragment.
func rootField(op *ast.OperationDefinition) string {
	for _, sel := range op.SelectionSet {
		if f, ok := sel.(*ast.Field); ok {
			return f.Name
		}
	}
	if op.Name != "" {
		return op.Name
	}
	return "subscription"
}

// traceDeliveries wraps a subscription's responses: each one that carries
// an event takes that event's delivery span from d, puts its trace context
// into the response's extensions and ends it.
func traceDeliveries(next graphql.ResponseHandler, d *events.Deliveries) graphql.ResponseHandler {
	return func(ctx context.Context) *graphql.Response {
		resp := next(ctx)
		if resp == nil {
			return nil
		}
		span := d.Next()
		if span == nil {
			return resp
		}
		defer span.End()
		carrier := make(propagation.MapCarrier, 2)
		propagation.TraceContext{}.Inject(trace.ContextWithSpan(ctx, span), carrier)
		if len(carrier) == 0 {
			return resp
		}
		if resp.Extensions == nil {
			resp.Extensions = make(map[string]any, len(carrier))
		}
		for k, v := range carrier {
			resp.Extensions[k] = v
		}
		return resp
	}
}
