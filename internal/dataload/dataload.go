// Package dataload is what every subgraph's dataloaders share: one set of
// loaders per HTTP request, or per websocket connection without a cache,
// reached from the context; and batch functions adapted from service calls
// that answer in key order, each batch spanned when tracing is on (Traced).
// Subgraphs keep only their loaders and what they prefetch.
package dataload

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/vikstrous/dataloadgen"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/cinegraph/cinegraph/internal/telemetry"
)

// ErrMissing means an operation reached a resolver without loaders in its
// context: the handler was not served through the loaders middleware.
var ErrMissing = errors.New("dataloaders missing from the context: serve the handler through the loaders middleware")

// Config tunes a set of loaders.
type Config struct {
	// Wait is the batching window; the subgraph's default when zero.
	Wait time.Duration
	// NoCache makes every Load fetch again (batching still applies), for
	// long-lived contexts such as a websocket connection, where cached
	// results would go stale.
	NoCache bool
}

// Options turns c into loader options, with defaultWait when c.Wait is
// zero, followed by extra.
func (c Config) Options(defaultWait time.Duration, extra ...dataloadgen.Option) []dataloadgen.Option {
	wait := c.Wait
	if wait <= 0 {
		wait = defaultWait
	}
	opts := []dataloadgen.Option{dataloadgen.WithWait(wait)}
	if c.NoCache {
		opts = append(opts, dataloadgen.WithoutCache())
	}
	return append(opts, extra...)
}

// ctxKey is distinct for each loaders type, so subgraphs sharing a process
// never see each other's loaders.
type ctxKey[L any] struct{}

// With returns ctx carrying l.
func With[L any](ctx context.Context, l *L) context.Context {
	return context.WithValue(ctx, ctxKey[L]{}, l)
}

// For returns the loaders in ctx. Serving through Middleware and
// ForConnection puts loaders in every operation's context, so a context
// without them is a wiring mistake: For panics with ErrMissing, which the
// GraphQL server recovers into an INTERNAL error.
func For[L any](ctx context.Context) *L {
	l, ok := ctx.Value(ctxKey[L]{}).(*L)
	if !ok || l == nil {
		var none *L
		panic(fmt.Errorf("%T: %w", none, ErrMissing))
	}
	return l
}

// Middleware gives every HTTP request fresh loaders, so cached results
// never outlive the request nor leak between viewers.
func Middleware[L any](fresh func() *L) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			next.ServeHTTP(w, r.WithContext(With(r.Context(), fresh())))
		})
	}
}

// ForConnection prepares a websocket connection's context with loaders
// from fresh, which should not cache: one connection runs many operations
// over a long time.
func ForConnection[L any](fresh func() *L) func(context.Context) context.Context {
	return func(ctx context.Context) context.Context { return With(ctx, fresh()) }
}

// Aligned adapts a service batch call, whose results are already in key
// order, to a dataloader fetch: one value and one error slot per key, a
// failed call reported against every key.
func Aligned[K comparable, V any](fetch func(context.Context, []K) ([]V, error)) func(context.Context, []K) ([]V, []error) {
	return func(ctx context.Context, keys []K) ([]V, []error) {
		values, err := fetch(ctx, keys)
		if err != nil {
			return make([]V, len(keys)), Fill(len(keys), err)
		}
		return values, nil
	}
}

// Fill returns n copies of err: one error slot per key of a failed batch.
func Fill(n int, err error) []error {
	out := make([]error, n)
	for i := range out {
		out[i] = err
	}
	return out
}

// Attribute keys of a loader batch's span.
const (
	AttrLoader    = attribute.Key("cinegraph.dataloader.name")
	AttrBatchSize = attribute.Key("cinegraph.dataloader.batch_size")
	AttrErrors    = attribute.Key("cinegraph.dataloader.errors")
)

// Traced gives each batch fetch runs a span, "load <name>", carrying the
// batch's size, under which the store calls of the batch nest. It returns
// fetch itself when the process's provider (telemetry.Current) records
// nothing, so loaders cost no more per request with tracing off.
//
// dataloadgen runs a batch on the context of the Load that opened it (the
// first key's caller), after the batching window: the span is that
// caller's child, in its trace; the other callers waiting on the batch are
// only counted in its size. The library's own WithTracer is not used: it
// starts spans per Load and per waiting caller (several per key), and its
// fetch span is not the parent of the fetch's calls.
func Traced[K comparable, V any](name string, fetch func(context.Context, []K) ([]V, []error)) func(context.Context, []K) ([]V, []error) {
	p := telemetry.Current()
	if !telemetry.Recording(p.TracerProvider()) {
		return fetch
	}
	tracer := p.Tracer()
	spanName := "load " + name
	loader := AttrLoader.String(name)
	return func(ctx context.Context, keys []K) ([]V, []error) {
		if !trace.SpanFromContext(ctx).IsRecording() {
			return fetch(ctx, keys)
		}
		ctx, span := tracer.Start(ctx, spanName, trace.WithAttributes(loader, AttrBatchSize.Int(len(keys))))
		defer span.End()
		values, errs := fetch(ctx, keys)
		failed := 0
		var first error
		for _, err := range errs {
			if err != nil {
				if first == nil {
					first = err
				}
				failed++
			}
		}
		if failed > 0 {
			span.SetAttributes(AttrErrors.Int(failed))
			// A batch whose every key failed is a failed fetch (Aligned
			// fills every slot with the call's error); a few keys' errors
			// are answers about those keys.
			if failed == len(keys) {
				span.RecordError(first)
				span.SetStatus(codes.Error, first.Error())
			}
		}
		return values, errs
	}
}

// AttrPrefetch marks the span of a batch a prefetch made (StartBatch).
const AttrPrefetch = attribute.Key("cinegraph.dataloader.prefetch")

// Batch is the span of a batch made without a loader; End it with the
// batch's error. The zero Batch spans nothing.
type Batch struct{ span trace.Span }

// StartBatch starts the span of a batch of size keys that a prefetch loads
// for the loader called name and primes into it: named and sized as the
// loader's own batches (Traced), marked cinegraph.dataloader.prefetch. It
// spans nothing outside a recorded trace or with tracing off.
func StartBatch(ctx context.Context, name string, size int) (context.Context, Batch) {
	if !trace.SpanFromContext(ctx).IsRecording() {
		return ctx, Batch{}
	}
	p := telemetry.Current()
	if !telemetry.Recording(p.TracerProvider()) {
		return ctx, Batch{}
	}
	ctx, span := p.Tracer().Start(ctx, "load "+name, trace.WithAttributes(
		AttrLoader.String(name), AttrBatchSize.Int(size), AttrPrefetch.Bool(true)))
	return ctx, Batch{span: span}
}

// End ends the batch's span, failed when err is not nil.
func (b Batch) End(err error) {
	if b.span == nil {
		return
	}
	if err != nil {
		b.span.RecordError(err)
		b.span.SetStatus(codes.Error, err.Error())
	}
	b.span.End()
}
