// Package accounts is the accounts subgraph of the classic four-subgraph federation
// benchmark (accounts, inventory, products, reviews), served from memory.
package accounts

import "github.com/cinegraph/cinegraph/bench/fixtures"

//go:generate go run ../../../internal/codegen -root bench -subgraph accounts

// Resolver is the root resolver.
type Resolver struct {
	Data *fixtures.Data
}
