package catalog_test

import (
	"strings"
	"testing"

	"github.com/cinegraph/cinegraph/internal/viewer/viewertest"

	"github.com/99designs/gqlgen/client"
)

func TestServiceSDL(t *testing.T) {
	t.Parallel()
	c := viewertest.Client(shared(t).Handler())
	var resp struct {
		Service struct{ SDL string } `json:"_service"`
	}
	ok(t, c, `{ _service { sdl } }`, &resp)
	for _, want := range []string{
		`type Title @key(fields: "id")`,
		`type Genre @key(fields: "slug")`,
		`type Person @key(fields: "id")`,
		`type Episode @key(fields: "id")`,
		`type Profile @key(fields: "id")`,
		`searchBoost: Float! @inaccessible`,
		`@link(url: "https://specs.apollo.dev/federation/v2.9"`,
	} {
		if !strings.Contains(resp.Service.SDL, want) {
			t.Errorf("sdl lacks %q", want)
		}
	}
}

func TestEntities(t *testing.T) {
	t.Parallel()
	c := viewertest.Client(shared(t).Handler())
	const q = `query($reps: [_Any!]!) { _entities(representations: $reps) {
		__typename
		... on Title { id name kind }
		... on Genre { slug name }
		... on Person { id name }
		... on Episode { id name series { id } }
		... on Profile { id name avatarUrl }
	} }`
	cases := []struct {
		name string
		rep  map[string]any
		want map[string]any // nil: the entity is unknown
	}{
		{"title", map[string]any{"__typename": "Title", "id": "t0439"}, map[string]any{"__typename": "Title", "id": "t0439", "name": "Frozen Protocol", "kind": "MOVIE"}},
		{"genre by slug", map[string]any{"__typename": "Genre", "slug": "sci-fi"}, map[string]any{"__typename": "Genre", "slug": "sci-fi", "name": "Science Fiction"}},
		{"person", map[string]any{"__typename": "Person", "id": "n0001"}, map[string]any{"__typename": "Person", "id": "n0001", "name": "Anton Okafor"}},
		{"episode", map[string]any{"__typename": "Episode", "id": "t0149-s01e01"}, map[string]any{"__typename": "Episode", "id": "t0149-s01e01", "series": map[string]any{"id": "t0149"}}},
		{"profile", map[string]any{"__typename": "Profile", "id": "profile-2"}, map[string]any{"__typename": "Profile", "id": "profile-2", "name": "Grace", "avatarUrl": "/media/avatars/profile-2.png"}},
		{"unknown title", map[string]any{"__typename": "Title", "id": "t9999"}, nil},
		{"unknown genre", map[string]any{"__typename": "Genre", "slug": "polka"}, nil},
		{"unknown profile", map[string]any{"__typename": "Profile", "id": "profile-99"}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var resp struct {
				Entities []map[string]any `json:"_entities"`
			}
			ok(t, c, q, &resp, client.Var("reps", []any{tc.rep}))
			if len(resp.Entities) != 1 {
				t.Fatalf("got %d entities", len(resp.Entities))
			}
			got := resp.Entities[0]
			if tc.want == nil {
				if got != nil {
					t.Errorf("unknown entity resolved to %v", got)
				}
				return
			}
			for k, v := range tc.want {
				if !equalJSON(got[k], v) {
					t.Errorf("%s = %v, want %v", k, got[k], v)
				}
			}
		})
	}
}

func TestEntitiesMixedBatchKeepsOrder(t *testing.T) {
	t.Parallel()
	c := viewertest.Client(shared(t).Handler())
	var resp struct {
		Entities []*struct {
			Typename string `json:"__typename"`
			ID       string `json:"id"`
			Slug     string `json:"slug"`
		} `json:"_entities"`
	}
	reps := []any{
		map[string]any{"__typename": "Title", "id": "t0002"},
		map[string]any{"__typename": "Genre", "slug": "war"},
		map[string]any{"__typename": "Title", "id": "t9999"},
		map[string]any{"__typename": "Title", "id": "t0001"},
	}
	ok(t, c, `query($reps: [_Any!]!) { _entities(representations: $reps) { __typename ... on Title { id } ... on Genre { slug } } }`, &resp, client.Var("reps", reps))
	if len(resp.Entities) != 4 || resp.Entities[0].ID != "t0002" || resp.Entities[1].Slug != "war" || resp.Entities[2] != nil || resp.Entities[3].ID != "t0001" {
		t.Errorf("entities out of order: %+v", resp.Entities)
	}
}

func TestEntitiesRejectMalformedKeys(t *testing.T) {
	t.Parallel()
	c := viewertest.Client(shared(t).Handler())
	res := query(t, c, `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Title { id } } }`,
		client.Var("reps", []any{map[string]any{"__typename": "Title", "id": "bad id!"}}))
	if got, _ := code(t, res); got != "BAD_USER_INPUT" {
		t.Errorf("code %q, want BAD_USER_INPUT", got)
	}
}
