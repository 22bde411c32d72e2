package app

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/internal/depguard"
	"github.com/cinegraph/cinegraph/subgraphs/catalog"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/catalogservice"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/search"
	"github.com/cinegraph/cinegraph/subgraphs/insights/insightsservice"
)

// brokenSearch is a search engine whose searches all fail.
type brokenSearch struct{ search.Searcher }

func (brokenSearch) Search(context.Context, search.Request) (search.Result, error) {
	return search.Result{}, errors.New("search engine down")
}

func TestAdminListsDependencyGuards(t *testing.T) {
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	cfg.Frontend.Dir = t.TempDir()
	// No models: detection is off, so it has no guard here (the insights
	// tests cover it with a detector).
	cfg.ML.ModelsDir = t.TempDir()
	o := Options{Catalog: catalog.Hooks{WrapSearcher: func(s search.Searcher) search.Searcher { return brokenSearch{s} }}}
	p, err := OpenWith(context.Background(), cfg, slog.New(slog.DiscardHandler), o)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()

	// A search through the router is answered by the store's name match,
	// and the response says so (router.subgraph_extensions).
	resp := serveOnce(t, p.Handler(), `{"query":"{ search(query: \"the\") { totalCount } genres { name } }"}`)
	if strings.Contains(resp, `"errors"`) || strings.Contains(resp, `"totalCount":0`) {
		t.Fatalf("search while the engine is down: %s", resp)
	}
	var body struct {
		Extensions struct {
			Degraded []map[string]string `json:"degraded"`
		} `json:"extensions"`
	}
	if err := json.Unmarshal([]byte(resp), &body); err != nil {
		t.Fatal(err)
	}
	if d := body.Extensions.Degraded; len(d) != 1 || d[0]["dependency"] != catalogservice.SearchDependency || d[0]["fallback"] != catalogservice.SearchFallbackStore {
		t.Fatalf("extensions.degraded %v in %s, want the search fallback once", d, resp)
	}

	req := httptest.NewRequest(http.MethodGet, "/dependencies", nil)
	rec := httptest.NewRecorder()
	p.AdminHandler().ServeHTTP(rec, req)
	var report map[string]depguard.Report
	if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &report) != nil {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	names := make([]string, 0, len(report))
	for name := range report {
		names = append(names, name)
	}
	slices.Sort(names)
	// Embedded storage has no Redis, so no catalog.cache guard.
	want := []string{catalogservice.SearchDependency, insightsservice.RecommendationsDependency, insightsservice.SentimentDependency}
	if !slices.Equal(names, want) {
		t.Fatalf("guards %v, want %v", names, want)
	}
	cases := []struct {
		name                string
		failures, fallbacks uint64
		fallback            string
	}{
		{catalogservice.SearchDependency, 1, 1, catalogservice.SearchFallbackStore},
		{insightsservice.SentimentDependency, 0, 0, insightsservice.SentimentFallbackNull},
		{insightsservice.RecommendationsDependency, 0, 0, insightsservice.RecommendationsFallbackPopular},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := report[tc.name]
			if r.State != "closed" || r.Failures != tc.failures || r.Fallbacks[tc.fallback] != tc.fallbacks || r.Policy.Timeout == "" {
				t.Fatalf("%+v", r)
			}
		})
	}
}
