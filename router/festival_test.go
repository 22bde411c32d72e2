package router

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/cinegraph/cinegraph/router/internal/testsubgraph"
)

// festivalRouter serves testdata/festival.supergraph.graphql: program owns
// the assets, screenings and venues; schedule computes screening slots from
// durations in minutes and in seconds (@requires of one field with two
// arguments) and shares venue boards, whose notices are a union with a
// member of its own (Delay) where program has Closure.
func festivalRouter(t *testing.T) http.Handler {
	t.Helper()
	minutes := map[string]int64{"s1": 90, "s2": 120}
	notices := []any{
		map[string]any{"__typename": "Announcement", "text": "Doors at seven"},
		map[string]any{"__typename": "Closure", "reason": "Rain"},
	}
	program := map[string]testsubgraph.Resolver{
		"Query.assets": func(context.Context, map[string]any, map[string]any) (any, error) {
			return []any{
				map[string]any{"__typename": "Poster", "id": "p1", "licence": "CC-BY"},
				map[string]any{"__typename": "Still", "id": "st1"},
			}, nil
		},
		"Query.screenings": func(context.Context, map[string]any, map[string]any) (any, error) {
			return []any{map[string]any{"id": "s1"}, map[string]any{"id": "s2"}}, nil
		},
		"Screening.duration": func(_ context.Context, parent, args map[string]any) (any, error) {
			m := minutes[str(parent["id"])]
			if args["unit"] == "SEC" {
				return m * 60, nil
			}
			return m, nil
		},
		"Query.venue": func(context.Context, map[string]any, map[string]any) (any, error) {
			return map[string]any{"id": "v1", "board": map[string]any{"notices": notices}, "annex": map[string]any{"notices": notices}}, nil
		},
	}
	schedule := map[string]testsubgraph.EntityResolver{
		"Screening": func(_ context.Context, rep map[string]any) (any, error) {
			return map[string]any{
				"id":          rep["id"],
				"slot":        fmt.Sprintf("%v min", rep["duration"]),
				"slotSeconds": fmt.Sprintf("%v s", rep["duration"]),
			}, nil
		},
	}
	urls := map[string]string{}
	for _, part := range []struct {
		name, sdl string
		res       map[string]testsubgraph.Resolver
		ents      map[string]testsubgraph.EntityResolver
	}{
		{"program", `type Query { assets: [Asset] screenings: [Screening] venue: Venue }
			interface Asset { id: ID! } interface Licensed { licence: String }
			type Poster implements Asset & Licensed { id: ID! licence: String } type Still implements Asset { id: ID! }
			type Screening { id: ID! duration(unit: String!): Int }
			type Venue { id: ID! board: Board annex: Board } type Board { notices: [Notice!]! }
			union Notice = Announcement | Closure type Announcement { text: String } type Closure { reason: String }`,
			program, nil},
		{"schedule", `type Query { scheduleVersion: Int }
			type Screening { id: ID! duration(unit: String!): Int slot: String slotSeconds: String }
			type Venue { id: ID! board: Board } type Board { notices: [Notice!]! }
			union Notice = Announcement | Delay type Announcement { text: String } type Delay { minutes: Int }`,
			nil, schedule},
	} {
		s, err := testsubgraph.New(part.name, part.sdl, part.res, part.ents)
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(s)
		t.Cleanup(srv.Close)
		urls[part.name] = srv.URL
	}
	sdl, err := os.ReadFile("testdata/festival.supergraph.graphql")
	if err != nil {
		t.Fatal(err)
	}
	r, err := New(Config{SupergraphSDL: string(sdl), SubgraphURLs: urls})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestFestival: fields reached through fragments nested in a fragment on
// an interface are fetched; a field required with two different arguments
// reaches each requiring field with its own value; and fragments on union
// members that not every subgraph able to resolve the field declares are
// left out, as Apollo's planners do, while those under a field of one
// subgraph are kept.
func TestFestival(t *testing.T) {
	t.Parallel()
	r := festivalRouter(t)
	const notices = `notices { __typename ... on Announcement { text } ... on Closure { reason } ... on Delay { minutes } }`
	tests := []struct{ name, query, want string }{
		{
			"fragment on another interface inside a fragment on the field's interface",
			`{ assets { ... on Asset { id ... on Licensed { licence } } } }`,
			`{"data":{"assets":[{"id":"p1","licence":"CC-BY"},{"id":"st1"}]}}`,
		},
		{
			"only a nested fragment",
			`{ assets { ... on Asset { ... on Licensed { licence } } } }`,
			`{"data":{"assets":[{"licence":"CC-BY"},{}]}}`,
		},
		{
			"one field required with two arguments",
			`{ screenings { id slot slotSeconds } }`,
			`{"data":{"screenings":[{"id":"s1","slot":"90 min","slotSeconds":"5400 s"},{"id":"s2","slot":"120 min","slotSeconds":"7200 s"}]}}`,
		},
		{
			"required field also asked by the client with one of the arguments",
			`{ screenings { duration(unit: "SEC") slot slotSeconds } }`,
			`{"data":{"screenings":[{"duration":5400,"slot":"90 min","slotSeconds":"5400 s"},{"duration":7200,"slot":"120 min","slotSeconds":"7200 s"}]}}`,
		},
		{
			"partial union under a field other subgraphs share",
			`{ venue { board { ` + notices + ` } } }`,
			`{"data":{"venue":{"board":{"notices":[{"__typename":"Announcement","text":"Doors at seven"},{"__typename":"Closure","reason":null}]}}}}`,
		},
		{
			"partial union under a field of one subgraph",
			`{ venue { annex { ` + notices + ` } } }`,
			`{"data":{"venue":{"annex":{"notices":[{"__typename":"Announcement","text":"Doors at seven"},{"__typename":"Closure","reason":"Rain"}]}}}}`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res := do(t, r, http.MethodPost, tc.query, nil, nil)
			if res.status != http.StatusOK {
				t.Fatalf("status %d: %s", res.status, res.body)
			}
			if res.body != tc.want {
				t.Fatalf("got  %s\nwant %s", res.body, tc.want)
			}
		})
	}
}
