package video

import (
	"encoding/json"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/internal/viewer"
	"github.com/cinegraph/cinegraph/internal/viewer/viewertest"

	"github.com/99designs/gqlgen/client"

	"github.com/cinegraph/cinegraph/internal/seed"
)

// TestStoreCallsPerLevel proves the batching: each query costs a fixed
// number of store calls per level of the response, whatever the number of
// entities asked for. The loaders' batch window is a microsecond here, so
// the counts hold only because the entity resolvers fetch each level in one
// call, not because resolvers happened to ask within the window.
func TestStoreCallsPerLevel(t *testing.T) {
	t.Parallel()
	f := seed.Generate()
	sg, store := testSubgraphWait(t, f, time.Microsecond)
	// An operator's token reads many profiles in one request.
	c := viewertest.Client(sg.Handler(), viewertest.As("profile-1", viewer.AdminScope))

	var titles, videos, episodes []string
	for _, tt := range f.Titles {
		titles = append(titles, tt.ID)
		for _, s := range tt.Seasons {
			for _, e := range s.Episodes {
				episodes = append(episodes, e.ID)
			}
		}
	}
	for _, v := range f.Videos {
		videos = append(videos, v.ID)
	}
	reps := func(typename string, ids []string) []map[string]any {
		out := make([]map[string]any, len(ids))
		for i, id := range ids {
			out[i] = map[string]any{"__typename": typename, "id": id}
		}
		return out
	}
	profiles := make([]string, seed.ProfileCount)
	for i := range profiles {
		profiles[i] = seed.ProfileID(i + 1)
	}

	const entitiesQ = `query($reps: [_Any!]!) { _entities(representations: $reps) {
		... on Title { videos { name renditions { resolution } } }
		... on Video { name renditions { resolution } }
		... on Episode { video { name renditions { resolution } } }
		... on Profile {
			viewingHistory(first: 50) { progress video { name renditions { resolution } } }
			continueWatching(first: 50) { progress video { name renditions { resolution } } }
		}
	} }`
	type tc struct {
		name      string
		reps      []map[string]any
		wantCalls map[string]int
	}
	var cases []tc
	for _, n := range []int{5, 50} {
		cases = append(cases,
			tc{fmt.Sprintf("%d titles", n), reps("Title", titles[:n]), map[string]int{"VideosByTitles": 1, "RenditionsByVideos": 1}},
			tc{fmt.Sprintf("%d videos", n), reps("Video", videos[:n]), map[string]int{"VideosByIDs": 1, "RenditionsByVideos": 1}},
			tc{fmt.Sprintf("%d episodes", n), reps("Episode", episodes[:n]), map[string]int{"VideosByEpisodes": 1, "RenditionsByVideos": 1}},
		)
	}
	cases = append(cases,
		// One viewing call per list (each has its own filter), then one
		// call per level below, shared by both lists.
		tc{"profiles", reps("Profile", profiles), map[string]int{"ViewingByProfiles": 2, "VideosByIDs": 1, "RenditionsByVideos": 1}},
		// Renditions sit at two levels here: under the videos (level 1)
		// and under the titles' videos (level 2), one call each.
		tc{"mixed entity types", append(reps("Title", titles[:50]), reps("Video", videos[len(videos)-50:])...),
			map[string]int{"VideosByTitles": 1, "VideosByIDs": 1, "RenditionsByVideos": 2}},
	)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			store.reset()
			var out struct {
				Entities []json.RawMessage `json:"_entities"`
			}
			mustPost(t, c, "", entitiesQ, &out, client.Var("reps", tc.reps))
			if len(out.Entities) != len(tc.reps) {
				t.Fatalf("%d entities, want %d", len(out.Entities), len(tc.reps))
			}
			if got := store.snapshot(); !reflect.DeepEqual(got, tc.wantCalls) {
				t.Fatalf("store calls %v, want %v", got, tc.wantCalls)
			}
		})
	}

	// Arguments from variables and defaults reach the prefetch too; an
	// aliased second history with another page size is one more call.
	t.Run("profiles with variables and aliases", func(t *testing.T) {
		store.reset()
		const q = `query($reps: [_Any!]!, $n: Int) { _entities(representations: $reps) { ... on Profile {
			viewingHistory(first: $n) { video { renditions { resolution } } }
			recent: viewingHistory(first: 2) { video { name } }
			continueWatching { video { name } }
		} } }`
		var out struct {
			Entities []struct {
				ViewingHistory []json.RawMessage
				Recent         []json.RawMessage
			} `json:"_entities"`
		}
		mustPost(t, c, "", q, &out, client.Var("reps", reps("Profile", profiles)), client.Var("n", 3))
		if len(out.Entities) != len(profiles) || len(out.Entities[0].ViewingHistory) != 3 || len(out.Entities[0].Recent) != 2 {
			t.Fatalf("entities %+v", out.Entities)
		}
		want := map[string]int{"ViewingByProfiles": 3, "VideosByIDs": 1, "RenditionsByVideos": 1}
		if got := store.snapshot(); !reflect.DeepEqual(got, want) {
			t.Fatalf("store calls %v, want %v", got, want)
		}
	})

	t.Run("titles resolve every video and rendition", func(t *testing.T) {
		var out struct {
			Entities []struct {
				Videos []struct {
					Name       string
					Renditions []struct{ Resolution string }
				}
			} `json:"_entities"`
		}
		mustPost(t, c, "", entitiesQ, &out, client.Var("reps", reps("Title", titles[:50])))
		want := map[string]int{}
		for _, v := range f.Videos {
			want[v.Name] = len(v.Renditions)
		}
		got := 0
		for i, e := range out.Entities {
			if len(e.Videos) == 0 {
				t.Fatalf("title %s has no videos", titles[i])
			}
			for _, v := range e.Videos {
				if len(v.Renditions) != want[v.Name] {
					t.Fatalf("%s: %d renditions, want %d", v.Name, len(v.Renditions), want[v.Name])
				}
				got++
			}
		}
		wantVideos := 0
		for _, v := range f.Videos {
			for _, id := range titles[:50] {
				if v.TitleID == id {
					wantVideos++
				}
			}
		}
		if got != wantVideos {
			t.Fatalf("%d videos, want %d", got, wantVideos)
		}
	})
}
