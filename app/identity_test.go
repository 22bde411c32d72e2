package app

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/cinegraph/cinegraph/internal/viewer"
)

// post sends a GraphQL request to url with headers and returns the status
// and the decoded body (nil when it is not JSON).
func post(t *testing.T, url string, headers map[string]string, query string, vars map[string]any) (int, *gqlResponse) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out gqlResponse
	if json.Unmarshal(raw, &out) != nil {
		return resp.StatusCode, nil
	}
	return resp.StatusCode, &out
}

func codes(r *gqlResponse) []string {
	if r == nil {
		return nil
	}
	var out []string
	for _, e := range r.Errors {
		c, _ := dig(e, "extensions", "code").(string)
		out = append(out, c)
	}
	return out
}

// TestViewersSeeOnlyTheirOwn is the identity rule end to end on `serve`:
// profile-1's token reads and changes nothing of profile-2's, through the
// router or any endpoint reachable from outside.
func TestViewersSeeOnlyTheirOwn(t *testing.T) {
	in := start(t, t.TempDir())
	defer in.stop()
	gql := in.url + "/graphql"
	one := map[string]string{"Authorization": "Bearer " + in.token(t, "profile-1")}
	two := map[string]string{"Authorization": "Bearer " + in.token(t, "profile-2")}

	// profile-2 saves a title, so there is something of theirs to find.
	const save = `mutation($id: ID!) { addToMyList(titleId: $id) { id myList { id } } }`
	if status, r := post(t, gql, two, save, map[string]any{"id": "t0002"}); status != http.StatusOK || len(r.Errors) > 0 {
		t.Fatalf("profile-2 saving: %d %v", status, r)
	}
	const mine = `{ viewer { id myList { id } viewingHistory { video { id } } recommendations { title { id } } } }`
	_, before := post(t, gql, two, mine, nil)
	if before == nil || len(before.Errors) > 0 || dig(before.Data, "viewer", "id") != "profile-2" {
		t.Fatalf("profile-2 reading its own: %v", before)
	}

	t.Run("through the router", func(t *testing.T) {
		cases := []struct {
			name    string
			headers map[string]string
			query   string
			check   func(t *testing.T, status int, r *gqlResponse)
		}{
			{"the viewer is the token's profile", one, `{ viewer { id } }`, func(t *testing.T, status int, r *gqlResponse) {
				if dig(r.Data, "viewer", "id") != "profile-1" {
					t.Fatalf("viewer %v", r.Data)
				}
			}},
			{"a profile header is not an identity", map[string]string{"Authorization": one["Authorization"], viewer.Header: "profile-2"}, `{ viewer { id } }`, func(t *testing.T, status int, r *gqlResponse) {
				if dig(r.Data, "viewer", "id") != "profile-1" {
					t.Fatalf("viewer %v", r.Data)
				}
			}},
			{"a forged router token is not an identity", map[string]string{viewer.RouterTokenHeader: "guess", viewer.Header: "profile-2"}, `{ viewer { id } }`, func(t *testing.T, status int, r *gqlResponse) {
				if dig(r.Data, "viewer") != nil || !strings.Contains(strings.Join(codes(r), ","), "UNAUTHENTICATED") {
					t.Fatalf("%v %v", r.Data, r.Errors)
				}
			}},
			{"anonymous: public data, no viewer", nil, `{ titles(first: 1) { edges { node { id } } } viewer { id } }`, func(t *testing.T, status int, r *gqlResponse) {
				if dig(r.Data, "titles", "edges", 0, "node", "id") == nil || dig(r.Data, "viewer") != nil || strings.Join(codes(r), ",") != "UNAUTHENTICATED" {
					t.Fatalf("%v %v", r.Data, r.Errors)
				}
			}},
			{"anonymous writes are refused", nil, `mutation { addToMyList(titleId: "t0003") { id } }`, func(t *testing.T, status int, r *gqlResponse) {
				if strings.Join(codes(r), ",") != "UNAUTHENTICATED" {
					t.Fatalf("%v", r.Errors)
				}
			}},
			{"an invalid token is refused", map[string]string{"Authorization": "Bearer not.a.token"}, `{ titles(first: 1) { edges { node { id } } } }`, func(t *testing.T, status int, r *gqlResponse) {
				if status != http.StatusUnauthorized || strings.Join(codes(r), ",") != "UNAUTHENTICATED" {
					t.Fatalf("%d %v", status, r)
				}
			}},
			{"another profile's lists through a chat author", one, `{ activeRooms(first: 5) { messages(first: 10) { edges { node { author { id myList { id } viewingHistory { video { id } } recommendations { title { id } } } } } } } }`, func(t *testing.T, status int, r *gqlResponse) {
				raw, _ := json.Marshal(r.Data)
				var authors int
				for _, room := range dig(r.Data, "activeRooms").([]any) {
					for _, e := range dig(room, "messages", "edges").([]any) {
						a := dig(e, "node", "author")
						if a == nil {
							authors++ // nulled: its owner-only fields were refused
							continue
						}
						if dig(a, "id") != "profile-1" {
							t.Fatalf("another profile's lists were served: %v", a)
						}
					}
				}
				if authors == 0 {
					t.Fatalf("no other author in the rooms: %s", raw)
				}
				for _, c := range codes(r) {
					if c != "FORBIDDEN" {
						t.Fatalf("codes %v", codes(r))
					}
				}
			}},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				status, r := post(t, gql, tc.headers, tc.query, nil)
				if r == nil {
					t.Fatalf("status %d, no GraphQL body", status)
				}
				tc.check(t, status, r)
			})
		}
	})

	t.Run("subgraphs are not on the public listener", func(t *testing.T) {
		for _, name := range []string{"catalog", "video", "chat", "insights"} {
			_, r := post(t, in.url+SubgraphPath(name), two, `{ _service { sdl } }`, nil)
			if r != nil && r.Data != nil {
				t.Fatalf("%s answered on the public listener: %v", name, r.Data)
			}
		}
	})

	t.Run("the internal listener wants the router's token", func(t *testing.T) {
		const entities = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Profile { id myList { id } } } }`
		reps := map[string]any{"r": []any{map[string]any{"__typename": "Profile", "id": "profile-2"}}}
		status, r := post(t, in.internal+SubgraphPath("catalog"), map[string]string{viewer.Header: "profile-2"}, entities, reps)
		if status != http.StatusUnauthorized || r == nil || strings.Join(codes(r), ",") != "UNAUTHENTICATED" {
			t.Fatalf("identity without the router's token: %d %v", status, r)
		}
		_, r = post(t, in.internal+SubgraphPath("catalog"), nil, entities, reps)
		if r == nil || dig(r.Data, "_entities", 0) != nil || strings.Join(codes(r), ",") != "UNAUTHENTICATED" {
			t.Fatalf("anonymous _entities: %v", r)
		}
	})

	t.Run("profile-1 changed nothing of profile-2's", func(t *testing.T) {
		post(t, gql, one, `mutation { removeFromMyList(titleId: "t0002") { id } }`, nil)
		_, after := post(t, gql, two, mine, nil)
		b, _ := json.Marshal(before.Data)
		a, _ := json.Marshal(after.Data)
		if !bytes.Equal(a, b) {
			t.Fatalf("profile-2's data changed:\nbefore %s\nafter  %s", b, a)
		}
	})
}
