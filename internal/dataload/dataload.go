// Package dataload is what every subgraph's dataloaders share: one set of
// loaders per HTTP request, or per websocket connection without a cache,
// reached from the context; and batch functions adapted from service calls
// that answer in key order. Subgraphs keep only their loaders and what they
// prefetch.
package dataload

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/vikstrous/dataloadgen"
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
