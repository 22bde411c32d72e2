package seed

import (
	"context"
	"fmt"
)

// Seeder is one subgraph's seeding seam, which its service implements: it
// loads the subgraph's part of a Fixture, so every subgraph is seeded the
// same way whatever its stores.
type Seeder interface {
	// Empty reports whether the subgraph holds no data yet.
	Empty(ctx context.Context) (bool, error)
	// Seed replaces the subgraph's seeded data with its part of f.
	Seed(ctx context.Context, f *Fixture) error
}

// IfEmpty seeds s from fixture when s holds no data yet, and reports
// whether it did; fixture is only called then, since generating it costs.
func IfEmpty(ctx context.Context, s Seeder, fixture func() *Fixture) (bool, error) {
	empty, err := s.Empty(ctx)
	if err != nil {
		return false, fmt.Errorf("check for data: %w", err)
	}
	if !empty {
		return false, nil
	}
	if err := s.Seed(ctx, fixture()); err != nil {
		return false, fmt.Errorf("seed: %w", err)
	}
	return true, nil
}
