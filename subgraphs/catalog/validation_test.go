package catalog_test

import (
	"strings"
	"testing"

	"github.com/cinegraph/cinegraph/internal/viewer/viewertest"

	"github.com/99designs/gqlgen/client"
)

func TestInvalidInput(t *testing.T) {
	t.Parallel()
	c := viewertest.Client(shared(t).Handler(), viewertest.As("profile-1"))
	cases := []struct {
		name      string
		query     string
		vars      map[string]any
		wantCode  string
		wantField string
	}{
		{"first zero", `{ titles(first: 0) { totalCount } }`, nil, "BAD_USER_INPUT", "first"},
		{"first too big", `{ titles(first: 101) { totalCount } }`, nil, "BAD_USER_INPUT", "first"},
		{"garbage cursor", `{ titles(after: "nope") { totalCount } }`, nil, "BAD_USER_INPUT", "after"},
		{"search cursor on titles", `query($a: String) { titles(after: $a) { totalCount } }`, map[string]any{"a": "c2VhcmNoOjE"}, "BAD_USER_INPUT", "after"},
		{"unknown genre", `{ titles(filter: {genres: ["polka"]}) { totalCount } }`, nil, "BAD_USER_INPUT", "filter.genres"},
		{"malformed genre", `{ titles(filter: {genres: ["Not A Slug"]}) { totalCount } }`, nil, "BAD_USER_INPUT", "filter.genres"},
		{"reversed years", `{ titles(filter: {releaseYearFrom: 2000, releaseYearTo: 1990}) { totalCount } }`, nil, "BAD_USER_INPUT", "filter.releaseYearFrom"},
		{"absurd year", `{ titles(filter: {releaseYearTo: 99999}) { totalCount } }`, nil, "BAD_USER_INPUT", "filter.releaseYearTo"},
		{"malformed title id", `{ title(id: "t 1") { id } }`, nil, "BAD_USER_INPUT", "id"},
		{"empty title id", `{ title(id: "") { id } }`, nil, "BAD_USER_INPUT", "id"},
		{"empty search", `{ search(query: "   ") { totalCount } }`, nil, "BAD_USER_INPUT", "query"},
		{"oversized search", `query($q: String!) { search(query: $q) { totalCount } }`, map[string]any{"q": strings.Repeat("a", 201)}, "BAD_USER_INPUT", "query"},
		{"search first too big", `{ search(query: "x", first: 1000) { totalCount } }`, nil, "BAD_USER_INPUT", "first"},
		{"title cursor on search", `query($a: String) { search(query: "x", after: $a) { totalCount } }`, map[string]any{"a": "dGl0bGU6WyJhIiwidDEiXQ"}, "BAD_USER_INPUT", "after"},
		{"cast first", `{ title(id: "t0001") { cast(first: 0) { role } } }`, nil, "BAD_USER_INPUT", "first"},
		{"genre titles first", `{ genres { titles(first: 500) { totalCount } } }`, nil, "BAD_USER_INPUT", "first"},
		{"add unknown title", `mutation { addToMyList(titleId: "t9999") { id } }`, nil, "NOT_FOUND", ""},
		{"remove unknown title", `mutation { removeFromMyList(titleId: "t9999") { id } }`, nil, "NOT_FOUND", ""},
		{"add malformed title", `mutation { addToMyList(titleId: "../etc") { id } }`, nil, "BAD_USER_INPUT", "titleId"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var opts []client.Option
			for k, v := range tc.vars {
				opts = append(opts, client.Var(k, v))
			}
			gotCode, gotField := code(t, query(t, c, tc.query, opts...))
			if gotCode != tc.wantCode || gotField != tc.wantField {
				t.Errorf("code %q field %q, want %q %q", gotCode, gotField, tc.wantCode, tc.wantField)
			}
		})
	}
}

func TestUnknownViewer(t *testing.T) {
	t.Parallel()
	c := viewertest.Client(shared(t).Handler())
	res := query(t, c, `{ viewer { id } }`, viewertest.As("profile-404"))
	if got, _ := code(t, res); got != "NOT_FOUND" {
		t.Errorf("code %q, want NOT_FOUND", got)
	}
}
