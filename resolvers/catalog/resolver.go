// Package catalog holds the catalog subgraph's resolvers: thin functions that
// read arguments, call the catalog service or a per-request dataloader, and
// convert domain values to GraphQL models.
package catalog

import (
	"github.com/cinegraph/cinegraph/subgraphs/catalog/catalogservice"
)

//go:generate go run ../../internal/codegen -subgraph catalog

// Resolver is the root resolver; its fields are the catalog's dependencies.
type Resolver struct {
	Service *catalogservice.Service
}
