// Package products is the products subgraph of the classic four-subgraph federation
// benchmark (accounts, inventory, products, reviews), served from memory.
package products

import "github.com/cinegraph/cinegraph/bench/fixtures"

//go:generate go run ../../../internal/codegen -root bench -subgraph products

// Resolver is the root resolver.
type Resolver struct {
	Data *fixtures.Data
}
