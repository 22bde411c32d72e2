package app

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/cinegraph/cinegraph/internal/config"
)

func TestProfileReachesRouter(t *testing.T) {
	t.Parallel()
	tests := []struct {
		profile       string
		introspection bool
		plans         bool
	}{
		{config.ProfileDemo, true, true},
		{config.ProfileProduction, false, false},
	}
	for _, tc := range tests {
		t.Run(tc.profile, func(t *testing.T) {
			t.Parallel()
			cfg, err := config.Load("", []string{"CINEGRAPH_PROFILE=" + tc.profile})
			if err != nil {
				t.Fatal(err)
			}
			cfg.DataDir = t.TempDir()
			cfg.Router.AuthToken = "router-secret"
			rt, err := NewRouter(context.Background(), cfg, map[string]string{}, slog.New(slog.DiscardHandler))
			if err != nil {
				t.Fatal(err)
			}
			post := func(query string, header map[string]string) string {
				req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(`{"query":"`+query+`"}`))
				req.Header.Set("Content-Type", "application/json")
				for k, v := range header {
					req.Header.Set(k, v)
				}
				rec := httptest.NewRecorder()
				rt.ServeHTTP(rec, req)
				return rec.Body.String()
			}
			schema := post(`{ __schema { queryType { name } } }`, nil)
			if got := !strings.Contains(schema, "introspection is disabled"); got != tc.introspection {
				t.Errorf("introspection answered = %v, want %v: %s", got, tc.introspection, schema)
			}
			typename := post(`{ __typename }`, map[string]string{"X-Cinegraph-Plan": "true"})
			if !strings.Contains(typename, `"__typename":"Query"`) {
				t.Errorf("__typename: %s", typename)
			}
			if got := strings.Contains(typename, `"queryPlan"`); got != tc.plans {
				t.Errorf("plan exposed = %v, want %v: %s", got, tc.plans, typename)
			}
		})
	}
}
