package gqlserver

import (
	"context"
	"reflect"
	"testing"

	"github.com/99designs/gqlgen/graphql"

	"github.com/cinegraph/cinegraph/internal/depguard"
)

func TestReportDegraded(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		marks []depguard.Mark
		want  map[string]any
	}{
		{"nothing degraded adds nothing", nil, nil},
		{"marks listed", []depguard.Mark{{Dependency: "catalog.search", Fallback: "store"}},
			map[string]any{DegradedExtension: []depguard.Mark{{Dependency: "catalog.search", Fallback: "store"}}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp := reportDegraded(context.Background(), func(ctx context.Context) *graphql.Response {
				for _, m := range tc.marks {
					depguard.Degraded(ctx, m.Dependency, m.Fallback)
				}
				return &graphql.Response{}
			})
			if !reflect.DeepEqual(resp.Extensions, tc.want) {
				t.Fatalf("extensions %#v, want %#v", resp.Extensions, tc.want)
			}
		})
	}
}
