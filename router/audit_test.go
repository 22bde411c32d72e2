package router

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/cinegraph/cinegraph/router/compose"
)

// auditSuites are the test groups of the GraphQL federation gateway audit
// (github.com/the-guild-org/graphql-federation-gateway-audit).
var auditSuites = []string{
	"abstract-types", "child-type-mismatch", "circular-reference-interface", "complex-entity-call",
	"corrupted-supergraph-node-id", "enum-intersection", "fed1-external-extends",
	"fed1-external-extends-resolvable", "fed1-external-extension", "fed2-external-extends",
	"fed2-external-extension", "include-skip", "input-object-intersection",
	"interface-object-indirect-extension", "interface-object-with-requires", "keys-mashup",
	"mutations", "mysterious-external", "nested-provides", "node", "non-resolvable-interface-object",
	"null-keys", "override-type-interface", "override-with-requires", "parent-entity-call",
	"parent-entity-call-complex", "partial-union", "partial-union-complex", "provides-on-interface",
	"provides-on-union", "requires-circular", "requires-interface", "requires-requires",
	"requires-with-argument", "requires-with-argument-conflict", "requires-with-fragments",
	"shared-root", "simple-entity-call", "simple-inaccessible", "simple-interface-object",
	"simple-override", "simple-requires-provides", "typename", "unavailable-override",
	"union-interface-distributed", "union-intersection",
}

// TestFederationAudit runs the audit's queries through the router against
// the audit's own subgraphs and the supergraph the audit composed. It needs
// the audit server running (`graphql-federation-audit serve`) and its
// address in CINEGRAPH_FEDERATION_AUDIT, e.g. http://localhost:4200;
// otherwise it is skipped. A test passes when data matches exactly and
// errors are present exactly when the audit expects them.
func TestFederationAudit(t *testing.T) {
	runFederationAudit(t, func(t *testing.T, get auditGet, suite string) string {
		return string(get(t, "/"+suite+"/supergraph"))
	})
}

// TestFederationAuditComposed is TestFederationAudit on supergraphs that
// router/compose composes from the audit's subgraph schemas, so that our
// composition is held to the same queries as the audit's.
func TestFederationAuditComposed(t *testing.T) {
	runFederationAudit(t, func(t *testing.T, get auditGet, suite string) string {
		var subgraphs []struct {
			Name string `json:"name"`
			URL  string `json:"url"`
			SDL  string `json:"sdl"`
		}
		if err := json.Unmarshal(get(t, "/"+suite+"/subgraphs"), &subgraphs); err != nil {
			t.Fatal(err)
		}
		in := make([]compose.Subgraph, len(subgraphs))
		for i, s := range subgraphs {
			in[i] = compose.Subgraph{Name: s.Name, URL: s.URL, SDL: s.SDL}
		}
		sdl, err := compose.Compose(in)
		if err != nil {
			t.Fatalf("compose: %v", err)
		}
		return sdl
	})
}

// auditGet fetches a path from the audit server, failing the test unless
// it answers 200.
type auditGet func(t *testing.T, path string) []byte

// runFederationAudit runs every audit suite against the supergraph that
// supergraph returns for it.
func runFederationAudit(t *testing.T, supergraph func(t *testing.T, get auditGet, suite string) string) {
	base := os.Getenv("CINEGRAPH_FEDERATION_AUDIT")
	if base == "" {
		t.Skip("set CINEGRAPH_FEDERATION_AUDIT to the audit server's address")
	}
	get := func(t *testing.T, path string) []byte {
		t.Helper()
		resp, err := http.Get(strings.TrimRight(base, "/") + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d %v", path, resp.StatusCode, err)
		}
		return b
	}
	for _, suite := range auditSuites {
		t.Run(suite, func(t *testing.T) {
			r, err := New(Config{SupergraphSDL: supergraph(t, get, suite)})
			if err != nil {
				t.Fatal(err)
			}
			var cases []struct {
				Query    string         `json:"query"`
				Expected map[string]any `json:"expected"`
			}
			if err := json.Unmarshal(get(t, "/"+suite+"/tests"), &cases); err != nil {
				t.Fatal(err)
			}
			for i, c := range cases {
				t.Run(fmt.Sprint(i), func(t *testing.T) {
					body, _ := json.Marshal(map[string]any{"query": c.Query})
					req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
					req.Header.Set("Content-Type", "application/json")
					rec := httptest.NewRecorder()
					r.ServeHTTP(rec, req)
					var got map[string]any
					if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
						t.Fatalf("response is not JSON: %s", rec.Body)
					}
					if !reflect.DeepEqual(got["data"], c.Expected["data"]) {
						t.Errorf("query %s\ndata: got %s, want %v", strings.Join(strings.Fields(c.Query), " "), rec.Body, c.Expected["data"])
					}
					if wantErrs, ok := c.Expected["errors"].(bool); ok {
						errs, _ := got["errors"].([]any)
						if (len(errs) > 0) != wantErrs {
							t.Errorf("query %s\nerrors present = %v, want %v: %s", strings.Join(strings.Fields(c.Query), " "), len(errs) > 0, wantErrs, rec.Body)
						}
					}
				})
			}
		})
	}
}
