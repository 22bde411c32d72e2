// Package accounts is the accounts subgraph of the classic four-subgraph federation
// benchmark (accounts, inventory, products, reviews), served from memory.
package accounts

import "github.com/cinegraph/cinegraph/router/bench/subgraphs/fixtures"

//go:generate go run github.com/99designs/gqlgen generate --config gqlgen.yml

// Resolver is the root resolver.
type Resolver struct {
	Data *fixtures.Data
}
