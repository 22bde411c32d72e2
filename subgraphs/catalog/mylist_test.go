package catalog_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/internal/viewer"
	"github.com/cinegraph/cinegraph/internal/viewer/viewertest"

	"github.com/99designs/gqlgen/client"

	"github.com/cinegraph/cinegraph/internal/events"
)

type profileResp struct {
	ID, Name string
	MyList   []struct{ ID string }
}

func (p profileResp) ids() []string {
	out := make([]string, len(p.MyList))
	for i, t := range p.MyList {
		out[i] = t.ID
	}
	return out
}

func TestViewerAndMyList(t *testing.T) {
	t.Parallel()
	bus := &recordingBus{}
	sg := openSubgraph(t, bus)
	as := viewertest.As("profile-3")
	c := viewertest.Client(sg.Handler(), as)

	viewer := func() profileResp {
		t.Helper()
		var resp struct{ Viewer profileResp }
		ok(t, c, `{ viewer { id name myList { id } } }`, &resp)
		return resp.Viewer
	}
	mutate := func(op, title string) profileResp {
		t.Helper()
		var resp map[string]profileResp
		ok(t, c, `mutation($t: ID!) { `+op+`(titleId: $t) { id name myList { id } } }`, &resp, client.Var("t", title))
		return resp[op]
	}

	start := viewer()
	if start.ID != "profile-3" || start.Name != "Linus" || len(start.MyList) == 0 {
		t.Fatalf("viewer = %+v", start)
	}
	if c, _ := code(t, query(t, viewertest.Client(sg.Handler()), `{ viewer { id } }`)); c != "UNAUTHENTICATED" {
		t.Errorf("anonymous viewer: code %s, want UNAUTHENTICATED", c)
	}

	fresh := "t0007"
	if slices.Contains(start.ids(), fresh) {
		t.Fatalf("fixture already lists %s", fresh)
	}
	added := mutate("addToMyList", fresh)
	if want := append([]string{fresh}, start.ids()...); !slices.Equal(added.ids(), want) {
		t.Errorf("after add: %v, want %v (newest first)", added.ids(), want)
	}
	again := mutate("addToMyList", fresh)
	if !slices.Equal(again.ids(), added.ids()) {
		t.Errorf("adding twice changed the list: %v", again.ids())
	}
	// Re-adding an older entry keeps its place.
	older := start.ids()[len(start.ids())-1]
	if got := mutate("addToMyList", older); !slices.Equal(got.ids(), added.ids()) {
		t.Errorf("re-adding %s moved it: %v", older, got.ids())
	}
	removed := mutate("removeFromMyList", fresh)
	if !slices.Equal(removed.ids(), start.ids()) {
		t.Errorf("after remove: %v, want %v", removed.ids(), start.ids())
	}
	if twice := mutate("removeFromMyList", fresh); !slices.Equal(twice.ids(), start.ids()) {
		t.Errorf("removing twice: %v", twice.ids())
	}

	// A rejected mutation writes nothing.
	res := query(t, c, `mutation { addToMyList(titleId: "t9999") { id } }`)
	if got, _ := code(t, res); got != "NOT_FOUND" {
		t.Errorf("unknown title: code %q", got)
	}
	if got := viewer(); !slices.Equal(got.ids(), start.ids()) {
		t.Errorf("rejected add changed the list: %v", got.ids())
	}

	// Two mutations in one request see each other's writes.
	var both struct {
		A profileResp
		R profileResp
	}
	ok(t, c, `mutation { a: addToMyList(titleId: "t0008") { myList { id } } r: removeFromMyList(titleId: "t0008") { myList { id } } }`, &both)
	if both.A.ids()[0] != "t0008" || slices.Contains(both.R.ids(), "t0008") {
		t.Errorf("sequential mutations: add %v, remove %v", both.A.ids(), both.R.ids())
	}

	// Only real changes are published (through the outbox relay): add,
	// remove, add, remove.
	want := []string{"catalog.mylist.added:t0007", "catalog.mylist.removed:t0007", "catalog.mylist.added:t0008", "catalog.mylist.removed:t0008"}
	deadline := time.Now().Add(10 * time.Second)
	for len(bus.events()) < len(want) && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	var kinds []string
	for _, ev := range bus.events() {
		if ev.Topic != events.TopicCatalogChanges || ev.Key != "profile-3" {
			t.Errorf("event %+v on the wrong topic or key", ev)
		}
		var p struct{ ProfileID, TitleID string }
		if err := json.Unmarshal(ev.Payload, &p); err != nil || p.ProfileID != "profile-3" {
			t.Errorf("payload %s: %v", ev.Payload, err)
		}
		kinds = append(kinds, ev.Type+":"+p.TitleID)
	}
	if !slices.Equal(kinds, want) {
		t.Errorf("events %v, want %v", kinds, want)
	}
}

func TestMyListEntityResolves(t *testing.T) {
	t.Parallel()
	c := viewertest.Client(shared(t).Handler(), viewertest.As("profile-9", viewer.AdminScope))
	var resp struct {
		Entities []profileResp `json:"_entities"`
	}
	ok(t, c, `{ _entities(representations: [{__typename: "Profile", id: "profile-1"}, {__typename: "Profile", id: "profile-5"}]) {
		... on Profile { id name myList { id } } } }`, &resp)
	if len(resp.Entities) != 2 || len(resp.Entities[0].MyList) <= len(resp.Entities[1].MyList) {
		t.Errorf("profiles' lists = %+v", resp.Entities)
	}
}

// TestMyListBelongsToItsProfile: a profile's list is read by that profile
// (or an operator) only; the profile's public name stays readable.
func TestMyListBelongsToItsProfile(t *testing.T) {
	t.Parallel()
	h := shared(t).Handler()
	q := `{ _entities(representations: [{__typename: "Profile", id: "profile-3"}]) { ... on Profile { name myList { id } } } }`
	cases := []struct {
		name     string
		as       []client.Option
		wantCode string
	}{
		{"owner", []client.Option{viewertest.As("profile-3")}, ""},
		{"operator", []client.Option{viewertest.As("profile-1", viewer.AdminScope)}, ""},
		{"another profile", []client.Option{viewertest.As("profile-2")}, "FORBIDDEN"},
		{"anonymous", nil, "UNAUTHENTICATED"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res := query(t, viewertest.Client(h), q, tc.as...)
			if tc.wantCode == "" {
				var out struct {
					Entities []profileResp `json:"_entities"`
				}
				if len(res.Errors) > 0 || json.Unmarshal(res.Data, &out) != nil || len(out.Entities) != 1 || len(out.Entities[0].MyList) == 0 {
					t.Fatalf("owner read: data %s errors %+v", res.Data, res.Errors)
				}
				return
			}
			if c, _ := code(t, res); c != tc.wantCode {
				t.Fatalf("code %s, want %s (errors %+v)", c, tc.wantCode, res.Errors)
			}
			if strings.Contains(string(res.Data), `"myList":[{`) {
				t.Fatalf("list leaked: %s", res.Data)
			}
		})
	}
}
