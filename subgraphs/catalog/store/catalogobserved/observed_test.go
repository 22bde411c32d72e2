package catalogobserved_test

import (
	"testing"

	"github.com/99designs/gqlgen/client"

	"github.com/cinegraph/cinegraph/internal/storetrace"
	"github.com/cinegraph/cinegraph/internal/storetrace/storetracetest"
	"github.com/cinegraph/cinegraph/internal/viewer/viewertest"
	"github.com/cinegraph/cinegraph/subgraphs/catalog"
)

// TestQueryTraced runs GraphQL queries against an embedded catalog opened
// through its Module: people's credits load through the CreditsByPerson
// dataloader, whose one batch span (under the resolver whose Load opened
// the batch) carries the batch size and parents the one sqlite store call;
// a search is a bleve span beside the store's; the histogram counts every
// call.
//
// Not parallel: it installs the process's provider and store metrics.
func TestQueryTraced(t *testing.T) {
	const credits = `query People($r: [_Any!]!) { _entities(representations: $r) { ... on Person { name credits { role } } } }`
	var people []map[string]any
	for _, id := range []string{"n0001", "n0002", "n0003", "n0004"} {
		people = append(people, map[string]any{"__typename": "Person", "id": id})
	}
	const search = `query Search { search(query: "the", first: 3) { totalCount edges { node { name } } } }`
	calls := map[string]int{"PeopleByIDs": 1, "CreditsByPeople": 1}
	tests := []struct {
		name    string
		tracing bool
		query   string
		vars    map[string]any
		want    storetracetest.Want
	}{
		{
			name:    "tracing on",
			tracing: true,
			query:   credits,
			vars:    map[string]any{"r": people},
			want: storetracetest.Want{
				System:  storetrace.SQLite,
				Calls:   calls,
				Batches: map[string]int{"CreditsByPerson": 4},
				BatchOf: map[string]string{"CreditsByPeople": "CreditsByPerson"},
			},
		},
		{
			// The index answers the page's names itself.
			name:    "search",
			tracing: true,
			query:   search,
			want: storetracetest.Want{
				System: storetrace.Bleve,
				Calls:  map[string]int{"Search": 1},
			},
		},
		{
			name:  "tracing off",
			query: credits,
			vars:  map[string]any{"r": people},
			want:  storetracetest.Want{Calls: calls},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := storetracetest.Install(t, tc.tracing)
			c := viewertest.Client(storetracetest.OpenEmbedded(t, catalog.Module(catalog.Hooks{})).Handler(), viewertest.As("profile-1"))
			rec.Mark(t)
			var out map[string]any
			var opts []client.Option
			for k, v := range tc.vars {
				opts = append(opts, client.Var(k, v))
			}
			c.MustPost(tc.query, &out, opts...)

			rec.Verify(t, tc.tracing, tc.want)
		})
	}
}
