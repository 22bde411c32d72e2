// Package ops holds the resolvers of the ops source, the router process's
// own GraphQL source: its one query returns the report the process
// assembles from what it holds (app/ops.go), for admins only (the
// supergraph's @requiresScopes, enforced by the router).
package ops

//go:generate go run ../../internal/codegen -subgraph ops

import (
	"context"

	"github.com/cinegraph/cinegraph/graph/ops/model"
)

// Resolver holds what the resolvers read: Report makes the report when
// asked.
type Resolver struct {
	Report func(ctx context.Context) (*model.OpsReport, error)
}
