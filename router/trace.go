package router

import (
	"context"
	"net/http"

	"go.opentelemetry.io/otel/attribute"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/cinegraph/cinegraph/internal/telemetry"
	"github.com/cinegraph/cinegraph/router/request"
	"github.com/cinegraph/cinegraph/router/tracing"
	"github.com/cinegraph/cinegraph/router/wire"
	"github.com/vektah/gqlparser/v2/ast"
)

// The router's spans (Config.Tracing), under the request's server span:
//
//	POST /graphql                      server; http.*, graphql.operation.*
//	├── graphql.parse                  when the document is not cached
//	├── graphql.validate               when the document is not cached
//	├── graphql.plan                   cinegraph.plan.cache_hit
//	│   └── graphql.normalize          when the plan is not cached
//	└── query Name                     the execution and the merging
//	    ├── fetch catalog              client; from tracing.Fetch
//	    └── fetch video                ...parallel fetches are siblings
//
// Each subscription event is completed under a graphql.subscription.event
// span of its own trace, linked to the subscribing request's span.

// serveTraced serves req within its server span.
func (r *Router) serveTraced(w http.ResponseWriter, req *http.Request, id string) {
	req, span := r.tracing.Server().Start(req)
	rec := &telemetry.StatusRecorder{ResponseWriter: w}
	defer func() { telemetry.End(span, rec.Status()) }()
	r.serveLogged(rec, req, id)
}

// traceOperation names the operation on the request's span, once it is
// parsed.
func (r *Router) traceOperation(ctx context.Context, req *request.Request, p *prepared) {
	if r.tracing == nil {
		return
	}
	span := trace.SpanFromContext(ctx)
	if !span.IsRecording() {
		return
	}
	if p.op != nil {
		span.SetAttributes(operationAttributes(p.op)...)
	}
	if r.tracing.RecordDocument() {
		span.SetAttributes(semconv.GraphQLDocument(req.Query))
	}
}

func operationAttributes(def *ast.OperationDefinition) []attribute.KeyValue {
	kind := def.Operation
	if kind == "" {
		kind = ast.Query
	}
	attrs := []attribute.KeyValue{semconv.GraphQLOperationTypeKey.String(string(kind))}
	if def.Name != "" {
		attrs = append(attrs, semconv.GraphQLOperationName(def.Name))
	}
	return attrs
}

// operationSpanName is the conventions' span name for an operation:
// its type, then its name when it has one.
func operationSpanName(def *ast.OperationDefinition) string {
	kind := string(def.Operation)
	if kind == "" {
		kind = string(ast.Query)
	}
	if def.Name == "" {
		return kind
	}
	return kind + " " + def.Name
}

// planCached records on the plan span whether the plan was cached.
func (r *Router) planCached(ctx context.Context, hit bool) {
	if r.tracing == nil {
		return
	}
	trace.SpanFromContext(ctx).SetAttributes(tracing.AttrPlanCacheHit.Bool(hit))
}

// startExecute starts the span of op's execution, under which its
// fetches run and their answers are merged.
func (r *Router) startExecute(ctx context.Context, op *operation) (context.Context, trace.Span) {
	if r.tracing == nil || op.def == nil {
		return ctx, noSpan
	}
	ctx, span := r.tracing.Start(ctx, operationSpanName(op.def))
	if span.IsRecording() {
		span.SetAttributes(operationAttributes(op.def)...)
	}
	return ctx, span
}

// startEvent starts the span of one subscription event of op, linked to
// the subscribing request's span (which ended long ago). An event whose
// subgraph sent the trace context it was produced under continues that
// trace, so that a chat message's delivery belongs to the trace of the
// request that posted it; any other event starts a trace of its own. The
// context's keys are taken out of the event's extensions either way: no
// client sees them.
func (r *Router) startEvent(ctx context.Context, op *operation, subscribed trace.SpanContext, ev *wire.SubgraphResponse) (context.Context, trace.Span) {
	produced := tracing.TakeEventContext(ev)
	if r.tracing == nil {
		return ctx, noSpan
	}
	opts := []trace.SpanStartOption{trace.WithSpanKind(trace.SpanKindConsumer)}
	if produced.IsValid() {
		ctx = trace.ContextWithRemoteSpanContext(ctx, produced)
	} else {
		opts = append(opts, trace.WithNewRoot())
	}
	if subscribed.IsValid() {
		opts = append(opts, trace.WithLinks(trace.Link{SpanContext: subscribed}))
	}
	ctx, span := r.tracing.Start(ctx, tracing.SpanEvent, opts...)
	if span.IsRecording() {
		if op.def != nil {
			span.SetAttributes(operationAttributes(op.def)...)
		}
		span.SetAttributes(tracing.AttrSubgraph.String(op.root.ServiceName))
	}
	return ctx, span
}

// noSpan stands in for a span when nothing is recorded.
var noSpan = func() trace.Span {
	_, s := (*tracing.Tracing)(nil).Start(context.Background(), "")
	return s
}()
