package cassandra

import (
	"context"

	"golang.org/x/sync/errgroup"

	"github.com/cinegraph/cinegraph/internal/inlist"
)

// Parallelism bounds the queries one store call keeps in flight: Cassandra
// serves a batch of keys best as many single-partition queries at once.
const Parallelism = 16

// ChunkSize bounds the keys of one IN (...) restriction.
const ChunkSize = 100

// Each calls fn for every item, at most Parallelism at a time, and returns
// the first error; ctx passed to fn is cancelled once one fails.
func Each[T any](ctx context.Context, items []T, fn func(ctx context.Context, item T) error) error {
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(Parallelism)
	for _, it := range items {
		g.Go(func() error { return fn(ctx, it) })
	}
	return g.Wait()
}

// Unique returns keys without duplicates, in first-seen order.
func Unique(keys []string) []string { return inlist.Unique(keys) }

// Chunks splits keys, without duplicates, into slices of at most ChunkSize.
func Chunks(keys []string) [][]string { return inlist.Chunks(keys, ChunkSize) }
