package authz

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/cinegraph/cinegraph/router/auth"
	"github.com/cinegraph/cinegraph/router/compose"
	"github.com/cinegraph/cinegraph/router/plan"
	"github.com/cinegraph/cinegraph/router/supergraph"
	"github.com/vektah/gqlparser/v2"
)

const sdl = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@authenticated", "@requiresScopes", "@policy"])
type Query { node: Node list: [Movie!]! open: String }
interface Node { id: ID! title: String }
type Movie implements Node { id: ID! title: String @requiresScopes(scopes: [["staff"]]) budget: Int @policy(policies: [["finance"], ["owner", "staff"]]) }
type Show implements Node { id: ID! title: String }
`

func setup(t *testing.T, query string) (*supergraph.Supergraph, *plan.Operation) {
	t.Helper()
	raw, err := compose.Compose([]compose.Subgraph{{Name: "a", URL: "http://a", SDL: sdl}})
	if err != nil {
		t.Fatal(err)
	}
	sg, err := supergraph.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	doc, errs := gqlparser.LoadQuery(sg.APISchema(), query)
	if errs != nil {
		t.Fatal(errs)
	}
	op, err := plan.Normalize(sg.APISchema(), doc, doc.Operations[0], nil)
	if err != nil {
		t.Fatal(err)
	}
	return sg, op
}

// keys lists the response keys an operation selects, depth first, with
// the removed ones starred.
func keys(sels []plan.Selection) string {
	var b []string
	for _, s := range sels {
		if s.Fragment != nil {
			b = append(b, "..."+s.Fragment.TypeCondition+"{"+keys(s.Fragment.Selections)+"}")
			continue
		}
		k := s.Field.ResponseKey()
		if s.Field.Withheld {
			k += "*"
		}
		if len(s.Field.Selections) > 0 {
			k += "{" + keys(s.Field.Selections) + "}"
		}
		b = append(b, k)
	}
	return strings.Join(b, " ")
}

func TestFilter(t *testing.T) {
	const query = `{ open node { id t: title ... on Movie { title budget } } list { id budget } }`
	owner := func(context.Context, *auth.Identity, []string) map[string]bool {
		return map[string]bool{"owner": true, "staff": true}
	}
	tests := []struct {
		name      string
		id        *auth.Identity
		policies  PolicyFunc
		wantPlan  string
		wantShape string
		removed   []string
	}{
		{name: "anonymous", wantPlan: "open node{id} list{id}",
			wantShape: "open node{id t* ...Movie{title* budget*}} list{id budget*}",
			removed:   []string{"node.t Node.title UNAUTHENTICATED", "node.title Movie.title UNAUTHENTICATED", "node.budget Movie.budget UNAUTHENTICATED", "list.budget Movie.budget UNAUTHENTICATED"}},
		{name: "staff: the interface field needs Movie's scope too", id: &auth.Identity{Scopes: []string{"staff"}},
			wantPlan:  "open node{id t ...Movie{title}} list{id}",
			wantShape: "open node{id t ...Movie{title budget*}} list{id budget*}",
			removed:   []string{"node.budget Movie.budget FORBIDDEN", "list.budget Movie.budget FORBIDDEN"}},
		{name: "staff scope, owner and staff policies: the second alternative", id: &auth.Identity{Scopes: []string{"staff"}}, policies: owner,
			wantPlan: "open node{id t ...Movie{title budget}} list{id budget}", wantShape: "open node{id t ...Movie{title budget}} list{id budget}"},
		{name: "policies without the staff scope", id: &auth.Identity{}, policies: owner,
			wantPlan:  "open node{id ...Movie{budget}} list{id budget}",
			wantShape: "open node{id t* ...Movie{title* budget}} list{id budget}",
			removed:   []string{"node.t Node.title FORBIDDEN", "node.title Movie.title FORBIDDEN"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sg, op := setup(t, query)
			res := Filter(t.Context(), sg, op, tc.id, tc.policies)
			var removed []string
			for _, r := range res.Removed {
				removed = append(removed, strings.Join(r.Path, ".")+" "+r.Field+" "+string(r.Code))
			}
			if got := keys(res.Plan.Selections); got != tc.wantPlan {
				t.Errorf("plan %q, want %q", got, tc.wantPlan)
			}
			if got := keys(res.Shape.Selections); got != tc.wantShape {
				t.Errorf("shape %q, want %q", got, tc.wantShape)
			}
			if !reflect.DeepEqual(removed, tc.removed) {
				t.Errorf("removed %q, want %q", removed, tc.removed)
			}
			if got := keys(op.Selections); strings.Contains(got, "*") {
				t.Errorf("the operation itself was changed: %s", got)
			}
		})
	}
}

// TestGrants: the policy function is asked once, with every policy the
// operation names, and never for anonymous clients; the key tells apart
// clients allowed different fields and only those.
func TestGrants(t *testing.T) {
	sg, op := setup(t, `{ list { title budget } open }`)
	g := Analyze(sg, op)
	var asked [][]string
	policies := func(_ context.Context, _ *auth.Identity, names []string) map[string]bool {
		asked = append(asked, names)
		return map[string]bool{"finance": true}
	}
	anon := g.Evaluate(t.Context(), nil, policies)
	if len(asked) != 0 {
		t.Fatalf("asked %q for an anonymous client", asked)
	}
	fin := g.Evaluate(t.Context(), &auth.Identity{}, policies)
	if !reflect.DeepEqual(asked, [][]string{{"finance", "owner", "staff"}}) {
		t.Fatalf("asked %q", asked)
	}
	fin2 := g.Evaluate(t.Context(), &auth.Identity{Scopes: []string{"other"}}, policies)
	none := g.Evaluate(t.Context(), &auth.Identity{}, nil)
	staff := g.Evaluate(t.Context(), &auth.Identity{Scopes: []string{"staff"}}, nil)
	keys := map[string]string{"anon": anon.Key(), "finance": fin.Key(), "none": none.Key(), "staff": staff.Key()}
	seen := map[string]string{}
	for who, k := range keys {
		if other, dup := seen[k]; dup {
			t.Errorf("%s and %s share key %q", who, other, k)
		}
		seen[k] = who
	}
	if fin.Key() != fin2.Key() {
		t.Errorf("clients allowed the same fields have keys %q and %q", fin.Key(), fin2.Key())
	}
	if _, op := setup(t, `{ open }`); !Analyze(sg, op).Public() {
		t.Error("an operation reading nothing guarded is not public")
	}
}
