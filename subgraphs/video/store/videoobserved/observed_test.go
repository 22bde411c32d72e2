package videoobserved_test

import (
	"testing"

	"github.com/99designs/gqlgen/client"

	"github.com/cinegraph/cinegraph/internal/storetrace"
	"github.com/cinegraph/cinegraph/internal/storetrace/storetracetest"
	"github.com/cinegraph/cinegraph/internal/viewer/viewertest"
	"github.com/cinegraph/cinegraph/subgraphs/video"
)

// TestQueryTraced runs a GraphQL query against an embedded video subgraph
// opened through its Module: the titles' videos and their renditions are
// prefetched batches (one per level), whose spans carry the batch sizes
// and parent the sqlite store calls; the histogram counts every call.
//
// Not parallel: it installs the process's provider and store metrics.
func TestQueryTraced(t *testing.T) {
	const videos = `query Videos($r: [_Any!]!) { _entities(representations: $r) { ... on Title { videos { id renditions { height } } } } }`
	var titles []map[string]any
	for _, id := range []string{"t0001", "t0002", "t0003"} {
		titles = append(titles, map[string]any{"__typename": "Title", "id": id})
	}
	calls := map[string]int{"VideosByTitles": 1, "RenditionsByVideos": 1}
	tests := []struct {
		name    string
		tracing bool
		want    storetracetest.Want
	}{
		{
			name:    "tracing on",
			tracing: true,
			want: storetracetest.Want{
				System: storetrace.SQLite,
				Calls:  calls,
				// The renditions' batch size is the number of videos found.
				Batches: map[string]int{"VideosByTitle": 3},
				BatchOf: map[string]string{"VideosByTitles": "VideosByTitle", "RenditionsByVideos": "RenditionsByVideo"},
			},
		},
		{
			name: "tracing off",
			want: storetracetest.Want{Calls: calls},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := storetracetest.Install(t, tc.tracing)
			c := viewertest.Client(storetracetest.OpenEmbedded(t, video.Module(video.Hooks{})).Handler(), viewertest.As("profile-1"))
			rec.Mark(t)
			var out struct {
				Entities []struct {
					Videos []struct {
						ID         string
						Renditions []struct{ Height int }
					}
				} `json:"_entities"`
			}
			c.MustPost(videos, &out, client.Var("r", titles))
			found := 0
			for _, e := range out.Entities {
				found += len(e.Videos)
			}
			if found == 0 {
				t.Fatal("no videos found")
			}
			if tc.want.Batches != nil {
				tc.want.Batches["RenditionsByVideo"] = found
			}

			rec.Verify(t, tc.tracing, tc.want)
		})
	}
}
