package router

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/cinegraph/cinegraph/router/auth"
	"github.com/cinegraph/cinegraph/router/compose"
	"github.com/cinegraph/cinegraph/router/internal/testsubgraph"
	"github.com/cinegraph/cinegraph/router/wire"
)

// vaultSDL guards fields with each access directive: on fields, on a type
// (Vault), under a list (Item.budget), non-null under a nullable parent
// (Holder.hard), on a mutation and a subscription.
const vaultSDL = `
type Query {
  public: String
  me: User @authenticated
  secret: String @requiresScopes(scopes: [["read:secret"], ["admin"]])
  owned: String @policy(policies: [["owner"]])
  vault: Vault
  items: [Item!]!
  holder: Holder
}
type User { id: ID! name: String }
type Vault @requiresScopes(scopes: [["vault"]]) { code: String }
type Item { name: String budget: Int @requiresScopes(scopes: [["admin"]]) }
type Holder { hard: Int! @authenticated soft: Int }
type Mutation { bump: Int @authenticated ping: Int }
type Subscription { ticks: Int @authenticated }
`

// guards strips the access directives for the test subgraph, which takes
// plain GraphQL.
var guards = regexp.MustCompile(`@authenticated|@requiresScopes\([^)]*\)|@policy\([^)]*\)`)

// vault is the subgraph serving vaultSDL, with what reached it.
type vault struct {
	sg     *testsubgraph.Subgraph
	bumps  atomic.Int64
	opened atomic.Int32
}

// Open is the subscription endpoint: one event, then the end.
func (v *vault) Open(_ context.Context, _ string, _ *wire.SubgraphRequest, _ http.Header, emit func(*wire.SubgraphResponse)) error {
	v.opened.Add(1)
	emit(&wire.SubgraphResponse{Data: map[string]any{"ticks": int64(7)}})
	return nil
}

// queries are the operations the subgraph received from the n-th on.
func (v *vault) queries(from int) []string {
	var out []string
	for _, r := range v.sg.Requests()[from:] {
		out = append(out, r.Query)
	}
	return out
}

// vaultRouter serves a router over a fresh vault subgraph that verifies
// tokens of iss and grants the policy "owner" to clients with scope "own".
func vaultRouter(t *testing.T, iss issuer) (*vault, string) {
	t.Helper()
	v := &vault{}
	obj := func(m map[string]any) testsubgraph.Resolver {
		return func(context.Context, map[string]any, map[string]any) (any, error) { return m, nil }
	}
	val := func(x any) testsubgraph.Resolver {
		return func(context.Context, map[string]any, map[string]any) (any, error) { return x, nil }
	}
	sg, err := testsubgraph.New("vault", guards.ReplaceAllString(vaultSDL, ""), map[string]testsubgraph.Resolver{
		"Query.public": val("p"),
		"Query.me":     obj(map[string]any{"id": "u1", "name": "Ann"}),
		"Query.secret": val("s"),
		"Query.owned":  val("o"),
		"Query.vault":  obj(map[string]any{"code": "1234"}),
		"Query.items":  val([]any{map[string]any{"name": "a", "budget": 10}, map[string]any{"name": "b", "budget": 20}}),
		"Query.holder": obj(map[string]any{"hard": 1, "soft": 2}),
		"Mutation.bump": func(context.Context, map[string]any, map[string]any) (any, error) {
			return v.bumps.Add(1), nil
		},
		"Mutation.ping": val(2),
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	v.sg = sg
	srv := httptest.NewServer(sg)
	t.Cleanup(srv.Close)
	sdl, err := compose.Compose([]compose.Subgraph{{
		Name: "vault", URL: "http://vault.invalid/graphql",
		SDL: `extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@authenticated", "@requiresScopes", "@policy"])` + vaultSDL,
	}})
	if err != nil {
		t.Fatal(err)
	}
	a, err := auth.New(t.Context(), auth.Config{KeySets: []auth.KeySet{{File: iss.jwks}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = a.Close() })
	r, err := New(Config{
		SupergraphSDL: sdl,
		SubgraphURLs:  map[string]string{"vault": srv.URL},
		Subscriptions: SubscriptionConfig{Upstream: v, KeepAlive: -1},
		Auth:          a,
		Policies: func(_ context.Context, id *auth.Identity, policies []string) map[string]bool {
			if id == nil {
				t.Error("policies asked about an anonymous client")
			}
			out := map[string]bool{}
			for _, p := range policies {
				out[p] = p == "owner" && id.HasScope("own")
			}
			return out
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	rs := httptest.NewServer(r)
	t.Cleanup(rs.Close)
	return v, rs.URL + "/graphql"
}

// gqlAnswer is a response as the tests compare it: data as JSON, and each
// error as "path code".
type gqlAnswer struct {
	data   string
	errors []string
}

func decodeAnswer(t *testing.T, body string) gqlAnswer {
	t.Helper()
	var resp struct {
		Data   json.RawMessage `json:"data"`
		Errors []struct {
			Message    string         `json:"message"`
			Path       []any          `json:"path"`
			Extensions map[string]any `json:"extensions"`
		} `json:"errors"`
	}
	if err := json.Unmarshal([]byte(body), &resp); err != nil {
		t.Fatalf("decode %q: %v", body, err)
	}
	out := gqlAnswer{data: string(resp.Data)}
	for _, e := range resp.Errors {
		var path []string
		for _, p := range e.Path {
			b, _ := json.Marshal(p)
			path = append(path, string(b))
		}
		out.errors = append(out.errors, strings.Join(path, ".")+" "+str(e.Extensions["code"]))
	}
	sort.Strings(out.errors)
	return out
}

// TestAuthorizationFiltersBeforeFetching: each client gets the fields it
// may read; each field it may not is null with an error at its path and
// never reaches the subgraph, and an operation left with nothing makes no
// fetch.
func TestAuthorizationFiltersBeforeFetching(t *testing.T) {
	iss := newIssuer(t)
	v, endpoint := vaultRouter(t, iss)
	tokens := map[string]string{
		"anonymous": "",
		"user":      iss.token(t, "p1", ""),
		"reader":    iss.token(t, "p1", "read:secret"),
		"admin":     iss.token(t, "p1", "admin"),
		"vaulter":   iss.token(t, "p1", "vault"),
		"owner":     iss.token(t, "p1", "own"),
	}
	tests := []struct {
		name, client, query string
		wantData            string
		wantErrors          []string
		wantFetches         int
		// neverFetched are field names no subgraph query may hold.
		neverFetched []string
	}{
		{name: "anonymous: @authenticated field removed, the rest served", client: "anonymous", query: `{ public me { name } }`,
			wantData: `{"public":"p","me":null}`, wantErrors: []string{`"me" UNAUTHENTICATED`}, wantFetches: 1, neverFetched: []string{"me", "name"}},
		{name: "anonymous: every root field removed makes no fetch", client: "anonymous", query: `{ me { name } secret }`,
			wantData: `{"me":null,"secret":null}`, wantErrors: []string{`"me" UNAUTHENTICATED`, `"secret" UNAUTHENTICATED`}},
		{name: "authenticated: @authenticated field served", client: "user", query: `{ me { name } }`,
			wantData: `{"me":{"name":"Ann"}}`, wantFetches: 1},
		{name: "authenticated without the scope: FORBIDDEN at the alias", client: "user", query: `{ public s: secret }`,
			wantData: `{"public":"p","s":null}`, wantErrors: []string{`"s" FORBIDDEN`}, wantFetches: 1, neverFetched: []string{"secret"}},
		{name: "scoped: first alternative", client: "reader", query: `{ secret }`, wantData: `{"secret":"s"}`, wantFetches: 1},
		{name: "scoped: second alternative", client: "admin", query: `{ secret }`, wantData: `{"secret":"s"}`, wantFetches: 1},
		{name: "policy not granted", client: "user", query: `{ public owned }`,
			wantData: `{"public":"p","owned":null}`, wantErrors: []string{`"owned" FORBIDDEN`}, wantFetches: 1, neverFetched: []string{"owned"}},
		{name: "policy for anonymous", client: "anonymous", query: `{ public owned }`,
			wantData: `{"public":"p","owned":null}`, wantErrors: []string{`"owned" UNAUTHENTICATED`}, wantFetches: 1, neverFetched: []string{"owned"}},
		{name: "policy granted", client: "owner", query: `{ owned }`, wantData: `{"owned":"o"}`, wantFetches: 1},
		{name: "type-level requirement on the field returning it", client: "user", query: `{ public vault { code } }`,
			wantData: `{"public":"p","vault":null}`, wantErrors: []string{`"vault" FORBIDDEN`}, wantFetches: 1, neverFetched: []string{"vault", "code"}},
		{name: "type-level requirement met", client: "vaulter", query: `{ vault { code } }`, wantData: `{"vault":{"code":"1234"}}`, wantFetches: 1},
		{name: "under a list: one error, no index, null in every item", client: "user", query: `{ items { name cost: budget } }`,
			wantData: `{"items":[{"name":"a","cost":null},{"name":"b","cost":null}]}`, wantErrors: []string{`"items"."cost" FORBIDDEN`}, wantFetches: 1, neverFetched: []string{"budget"}},
		{name: "under a list, allowed", client: "admin", query: `{ items { budget } }`, wantData: `{"items":[{"budget":10},{"budget":20}]}`, wantFetches: 1},
		{name: "non-null field: null propagates to its nullable parent", client: "anonymous", query: `{ public holder { soft hard } }`,
			wantData: `{"public":"p","holder":null}`, wantErrors: []string{`"holder"."hard" UNAUTHENTICATED`}, wantFetches: 1, neverFetched: []string{"hard"}},
		{name: "a parent left with nothing is removed too", client: "anonymous", query: `{ holder { hard } }`,
			wantData: `{"holder":null}`, wantErrors: []string{`"holder"."hard" UNAUTHENTICATED`}},
		{name: "non-null field allowed", client: "user", query: `{ holder { soft hard } }`, wantData: `{"holder":{"soft":2,"hard":1}}`, wantFetches: 1},
		{name: "fragments: the field is removed wherever it is spread", client: "anonymous", query: `{ ...F holder { ... on Holder { soft } } } fragment F on Query { me { id } public }`,
			wantData: `{"me":null,"public":"p","holder":{"soft":2}}`, wantErrors: []string{`"me" UNAUTHENTICATED`}, wantFetches: 1, neverFetched: []string{"me"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			header := map[string]string{}
			if tok := tokens[tc.client]; tok != "" {
				header["Authorization"] = "Bearer " + tok
			}
			before := len(v.sg.Requests())
			a := httpClient(http.MethodPost, "", header)(t, endpoint, tc.query)
			if a.status != http.StatusOK {
				t.Fatalf("status %d: %s", a.status, a.body)
			}
			got := decodeAnswer(t, a.body)
			if got.data != tc.wantData || !reflect.DeepEqual(got.errors, tc.wantErrors) {
				t.Fatalf("got data %s errors %q, want %s %q\n%s", got.data, got.errors, tc.wantData, tc.wantErrors, a.body)
			}
			qs := v.queries(before)
			if len(qs) != tc.wantFetches {
				t.Fatalf("%d fetches, want %d: %q", len(qs), tc.wantFetches, qs)
			}
			for _, q := range qs {
				for _, f := range tc.neverFetched {
					if regexp.MustCompile(`\b` + f + `\b`).MatchString(q) {
						t.Errorf("subgraph was asked for %s: %s", f, q)
					}
				}
			}
		})
	}
}

// TestAuthorizationMutationsAndSubscriptions: a denied mutation field is
// not run; a subscription whose root field is denied is answered with the
// error and opens nothing upstream.
func TestAuthorizationMutationsAndSubscriptions(t *testing.T) {
	iss := newIssuer(t)
	v, endpoint := vaultRouter(t, iss)
	user := map[string]string{"Authorization": "Bearer " + iss.token(t, "p1", "")}
	tests := []struct {
		name       string
		header     map[string]string
		accept     string
		query      string
		want       []string // substrings of the body
		wantBumps  int64
		wantOpened int32
	}{
		{name: "anonymous mutation: the denied field does not run", query: `mutation { bump ping }`,
			want: []string{`"data":{"bump":null,"ping":2}`, `"path":["bump"]`, `"UNAUTHENTICATED"`}},
		{name: "authenticated mutation runs", header: user, query: `mutation { bump ping }`,
			want: []string{`"data":{"bump":1,"ping":2}`}, wantBumps: 1},
		{name: "anonymous subscription refused before opening upstream", accept: "text/event-stream", query: `subscription { ticks }`,
			want: []string{`"ticks":null`, `"path":["ticks"]`, `"UNAUTHENTICATED"`}, wantBumps: 1},
		{name: "authenticated subscription opens", header: user, accept: "text/event-stream", query: `subscription { ticks }`,
			want: []string{`"ticks":7`}, wantBumps: 1, wantOpened: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := httpClient(http.MethodPost, tc.accept, tc.header)(t, endpoint, tc.query)
			for _, w := range tc.want {
				if !strings.Contains(a.body, w) {
					t.Errorf("body lacks %s:\n%s", w, a.body)
				}
			}
			if got := v.bumps.Load(); got != tc.wantBumps {
				t.Errorf("bumps = %d, want %d", got, tc.wantBumps)
			}
			if got := v.opened.Load(); got != tc.wantOpened {
				t.Errorf("upstream subscriptions opened = %d, want %d", got, tc.wantOpened)
			}
		})
	}
}

// TestAuthorizationPlanCacheKeepsClientsApart: the same document run by
// an allowed client, then by others, is filtered for each of them; the
// allowed client's cached plan never serves the others.
func TestAuthorizationPlanCacheKeepsClientsApart(t *testing.T) {
	iss := newIssuer(t)
	v, endpoint := vaultRouter(t, iss)
	const query = `{ public secret vault { code } }`
	steps := []struct {
		name, scope string // scope "-" is anonymous
		wantData    string
		wantErrors  []string
	}{
		{"admin", "admin vault", `{"public":"p","secret":"s","vault":{"code":"1234"}}`, nil},
		{"anonymous", "-", `{"public":"p","secret":null,"vault":null}`, []string{`"secret" UNAUTHENTICATED`, `"vault" UNAUTHENTICATED`}},
		{"reader", "read:secret", `{"public":"p","secret":"s","vault":null}`, []string{`"vault" FORBIDDEN`}},
		{"admin again", "admin vault", `{"public":"p","secret":"s","vault":{"code":"1234"}}`, nil},
		{"anonymous again", "-", `{"public":"p","secret":null,"vault":null}`, []string{`"secret" UNAUTHENTICATED`, `"vault" UNAUTHENTICATED`}},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			header := map[string]string{}
			if st.scope != "-" {
				header["Authorization"] = "Bearer " + iss.token(t, "p1", st.scope)
			}
			before := len(v.sg.Requests())
			got := decodeAnswer(t, httpClient(http.MethodPost, "", header)(t, endpoint, query).body)
			if got.data != st.wantData || !reflect.DeepEqual(got.errors, st.wantErrors) {
				t.Fatalf("got %s %q, want %s %q", got.data, got.errors, st.wantData, st.wantErrors)
			}
			for _, q := range v.queries(before) {
				if st.wantErrors != nil && strings.Contains(q, "code") {
					t.Errorf("subgraph asked for the vault: %s", q)
				}
			}
		})
	}
}
