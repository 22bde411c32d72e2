// Package tracing is the router's OpenTelemetry instrumentation: the spans
// of a request's stages (Start), and the fetch.Middleware that gives every
// subgraph fetch a client span and carries the trace to the subgraph in
// traceparent and baggage headers (Fetch, with Attempts inside the
// resilience guard counting its attempts).
//
// A nil *Tracing records nothing and costs nothing: New returns nil for
// the no-op provider, and every method checks for nil before it starts
// a span.
package tracing

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"sync/atomic"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"

	"github.com/cinegraph/cinegraph/internal/telemetry"
	"github.com/cinegraph/cinegraph/router/fetch"
	"github.com/cinegraph/cinegraph/router/wire"
)

// Span and attribute names of the router's own, beside the semantic
// conventions' http.*, url.*, server.* and graphql.*.
const (
	SpanParse     = "graphql.parse"
	SpanValidate  = "graphql.validate"
	SpanPlan      = "graphql.plan"
	SpanNormalize = "graphql.normalize"
	// SpanEvent is one subscription event completed through the rest of
	// its plan; it starts a trace linked to the subscribing request's.
	SpanEvent = "graphql.subscription.event"
	// SpanWrite is one subscription result written to a client by a
	// streaming transport, a child of the event's span.
	SpanWrite = "graphql.subscription.write"

	// AttrPlanCacheHit says whether the plan came from the cache.
	AttrPlanCacheHit = attribute.Key("cinegraph.plan.cache_hit")
	// AttrSubgraph names the subgraph a fetch went to.
	AttrSubgraph = attribute.Key("cinegraph.subgraph.name")
	// AttrAttempts counts a fetch's attempts (retries included).
	AttrAttempts = attribute.Key("cinegraph.fetch.attempts")
	// AttrSubgraphErrors counts the GraphQL errors a subgraph answered.
	AttrSubgraphErrors = attribute.Key("cinegraph.subgraph.errors")
	// AttrTransport names the streaming transport a result went out on
	// (websocket, sse, multipart).
	AttrTransport = attribute.Key("cinegraph.transport")
	// AttrFetchReason is why the guard refused or cut a fetch short
	// (CIRCUIT_OPEN, TIMEOUT, BULKHEAD_FULL, NO_INSTANCES).
	AttrFetchReason = attribute.Key("cinegraph.fetch.reason")
)

// Options say what the router's spans carry.
type Options struct {
	// AcceptClientContext continues a client's trace (its traceparent);
	// otherwise each request starts a trace, linked to the client's span.
	AcceptClientContext bool
	// RecordDocument sets graphql.document on the operation's span.
	RecordDocument bool
}

// Tracing starts the router's spans; nil starts none.
type Tracing struct {
	tracer trace.Tracer
	prop   propagation.TextMapPropagator
	opts   Options
}

// New returns the router's tracing over tp, or nil when tp records
// nothing (nil or the no-op provider). prop nil means W3C trace context
// and baggage.
func New(tp trace.TracerProvider, prop propagation.TextMapPropagator, opts Options) *Tracing {
	if !telemetry.Recording(tp) {
		return nil
	}
	if prop == nil {
		prop = telemetry.Propagator()
	}
	return &Tracing{tracer: tp.Tracer(telemetry.ScopeName), prop: prop, opts: opts}
}

// RecordDocument reports whether spans carry the document.
func (t *Tracing) RecordDocument() bool { return t != nil && t.opts.RecordDocument }

// Tracer is the router's tracer; nil when t is.
func (t *Tracing) Tracer() trace.Tracer {
	if t == nil {
		return nil
	}
	return t.tracer
}

// noSpan is what Start returns when nothing is recorded: ending it or
// setting its attributes does nothing, and boxing it allocates nothing.
var noSpan trace.Span = noop.Span{}

// Start starts an internal span named name, a child of ctx's; with t nil
// it returns ctx as it is and a span that does nothing. So it does under a
// parent the sampler dropped: the provider's sampler is parent-based, so
// no child of it would be recorded, and the span would cost allocations
// (the span, its context, its options) on every request sampling left out.
func (t *Tracing) Start(ctx context.Context, name string, opts ...trace.SpanStartOption) (context.Context, trace.Span) {
	if t == nil || unsampled(ctx) {
		return ctx, noSpan
	}
	return t.tracer.Start(ctx, name, opts...)
}

// unsampled reports whether ctx holds a span context that sampling
// dropped: every span under it is dropped too (parent-based sampling).
func unsampled(ctx context.Context) bool {
	sc := trace.SpanContextFromContext(ctx)
	return sc.IsValid() && !sc.IsSampled()
}

// StartWrite starts the span of writing a subscription result produced
// under parent to a client over transport. With tracer nil or parent
// invalid (nothing traced) it starts nothing and allocates nothing.
func StartWrite(tracer trace.Tracer, parent trace.SpanContext, transport string) trace.Span {
	if tracer == nil || !parent.IsValid() {
		return noSpan
	}
	_, span := tracer.Start(trace.ContextWithSpanContext(context.Background(), parent), SpanWrite,
		trace.WithSpanKind(trace.SpanKindProducer), trace.WithAttributes(AttrTransport.String(transport)))
	return span
}

// Keys of a subgraph subscription event's extensions that carry the W3C
// trace context the event was produced under (a chat message's post):
// the router continues that trace and takes the keys out.
const (
	EventTraceParent = "traceparent"
	EventTraceState  = "tracestate"
)

// TakeEventContext removes the trace context keys from ev's extensions and
// returns the span context they name; invalid when there was none, or it
// did not parse.
func TakeEventContext(ev *wire.SubgraphResponse) trace.SpanContext {
	if ev == nil || ev.Extensions == nil {
		return trace.SpanContext{}
	}
	tp, _ := ev.Extensions[EventTraceParent].(string)
	ts, _ := ev.Extensions[EventTraceState].(string)
	delete(ev.Extensions, EventTraceParent)
	delete(ev.Extensions, EventTraceState)
	if len(ev.Extensions) == 0 {
		ev.Extensions = nil
	}
	if tp == "" {
		return trace.SpanContext{}
	}
	carrier := propagation.MapCarrier{EventTraceParent: tp}
	if ts != "" {
		carrier[EventTraceState] = ts
	}
	return trace.SpanContextFromContext(propagation.TraceContext{}.Extract(context.Background(), carrier))
}

// Server is the server span of each client request: a new trace linked to
// the client's span, or the client's trace continued when
// AcceptClientContext is set.
func (t *Tracing) Server() telemetry.ServerSpans {
	return telemetry.ServerSpans{Tracer: t.tracer, Propagator: t.prop, Continue: t.opts.AcceptClientContext}
}

// Fetch is the fetch.Middleware that gives each fetch from the instance
// of subgraph at instance a client span, and sends the span's context in
// the subgraph request's traceparent and baggage headers. Put it before
// the resilience guard so that the span covers retries and records the
// guard's refusals, and Attempts after it.
func (t *Tracing) Fetch(subgraph, instance string, next fetch.Fetcher) fetch.Fetcher {
	if t == nil {
		return next
	}
	return &fetcher{t: t, next: next, name: "fetch " + subgraph, attrs: instanceAttributes(subgraph, instance)}
}

// Attempts is the fetch.Middleware that counts the attempts of the fetch
// whose span Fetch started; put it after the resilience guard.
func (t *Tracing) Attempts(_, _ string, next fetch.Fetcher) fetch.Fetcher {
	if t == nil {
		return next
	}
	return fetch.Func(func(ctx context.Context, req *wire.SubgraphRequest, header http.Header) (*wire.SubgraphResponse, error) {
		if n, ok := ctx.Value(attemptsKey{}).(*atomic.Int32); ok {
			if a := n.Add(1); a > 1 {
				trace.SpanFromContext(ctx).AddEvent("retry", trace.WithAttributes(semconv.HTTPRequestResendCount(int(a-1))))
			}
		}
		return next.Fetch(ctx, req, header)
	})
}

type attemptsKey struct{}

type fetcher struct {
	t     *Tracing
	next  fetch.Fetcher
	name  string
	attrs []attribute.KeyValue
}

func instanceAttributes(subgraph, instance string) []attribute.KeyValue {
	attrs := []attribute.KeyValue{AttrSubgraph.String(subgraph), semconv.HTTPRequestMethodKey.String(http.MethodPost)}
	u, err := url.Parse(instance)
	if err != nil || u.Host == "" {
		return attrs
	}
	attrs = append(attrs, semconv.URLFull(instance))
	host, port, err := net.SplitHostPort(u.Host)
	if err != nil {
		host, port = u.Host, map[string]string{"http": "80", "https": "443"}[u.Scheme]
	}
	attrs = append(attrs, semconv.ServerAddress(host))
	if p, err := strconv.Atoi(port); err == nil {
		attrs = append(attrs, semconv.ServerPort(p))
	}
	return attrs
}

func (f *fetcher) Fetch(ctx context.Context, req *wire.SubgraphRequest, header http.Header) (*wire.SubgraphResponse, error) {
	if unsampled(ctx) {
		// No span, but the subgraph still learns it is in a trace that
		// sampling dropped, so it records nothing of it either.
		h := header.Clone()
		if h == nil {
			h = http.Header{}
		}
		f.t.prop.Inject(ctx, telemetry.HeaderCarrier(h))
		return f.next.Fetch(ctx, req, h)
	}
	ctx, span := f.t.tracer.Start(ctx, f.name, trace.WithSpanKind(trace.SpanKindClient))
	defer span.End()
	var attempts atomic.Int32
	ctx = context.WithValue(ctx, attemptsKey{}, &attempts)
	if span.IsRecording() {
		span.SetAttributes(f.attrs...)
		if req.OperationKind != "" {
			span.SetAttributes(semconv.GraphQLOperationTypeKey.String(req.OperationKind))
		}
		if req.OperationName != "" {
			span.SetAttributes(semconv.GraphQLOperationName(req.OperationName))
		}
	}
	// The header is the request's, shared by its fetches: each sends its
	// own span in a copy.
	h := header.Clone()
	if h == nil {
		h = http.Header{}
	}
	f.t.prop.Inject(ctx, telemetry.HeaderCarrier(h))
	resp, err := f.next.Fetch(ctx, req, h)
	if !span.IsRecording() {
		return resp, err
	}
	span.SetAttributes(AttrAttempts.Int(int(max(attempts.Load(), 1))))
	if err != nil {
		var fe *fetch.Error
		errType := "_OTHER"
		switch {
		case errors.As(err, &fe):
			errType = string(fe.Reason)
			span.SetAttributes(AttrFetchReason.String(string(fe.Reason)))
		case errors.Is(err, context.DeadlineExceeded):
			errType = "timeout"
		case errors.Is(err, context.Canceled):
			errType = "canceled"
		}
		span.SetAttributes(semconv.ErrorTypeKey.String(errType))
		span.RecordError(err)
		span.SetStatus(codes.Error, err.Error())
		return resp, err
	}
	if resp != nil {
		span.SetAttributes(semconv.HTTPResponseBodySize(resp.Bytes))
		if len(resp.Errors) > 0 {
			span.SetAttributes(AttrSubgraphErrors.Int(len(resp.Errors)))
		}
	}
	return resp, err
}
