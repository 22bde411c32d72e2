package depguard

import (
	"context"
	"slices"
	"sync"
)

// Mark says that a fallback answered in place of a dependency.
type Mark struct {
	Dependency string `json:"dependency"`
	Fallback   string `json:"fallback"`
}

type marksKey struct{}

// marks collects one request's Marks; resolvers record them concurrently.
type marks struct {
	mu   sync.Mutex
	list []Mark
}

// Collect returns a context under which Degraded marks are kept for Marks
// to read: the GraphQL server starts one per response.
func Collect(ctx context.Context) context.Context {
	return context.WithValue(ctx, marksKey{}, &marks{})
}

// Degraded records in ctx's request that fallback served instead of
// dependency, once per pair; without Collect it does nothing.
// Guard.Degraded also counts the use.
func Degraded(ctx context.Context, dependency, fallback string) {
	m, ok := ctx.Value(marksKey{}).(*marks)
	if !ok {
		return
	}
	mark := Mark{Dependency: dependency, Fallback: fallback}
	m.mu.Lock()
	defer m.mu.Unlock()
	if !slices.Contains(m.list, mark) {
		m.list = append(m.list, mark)
	}
}

// Marks returns what Degraded recorded under ctx's Collect, in order.
func Marks(ctx context.Context) []Mark {
	m, ok := ctx.Value(marksKey{}).(*marks)
	if !ok {
		return nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.list)
}
