package app

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/router/persisted"
)

// TestAPQStore: documents live in memory in embedded mode and in Redis in
// cluster mode; off means none. Dialing Redis is lazy, so no engine is
// needed to check the choice.
func TestAPQStore(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		mode string
		apq  string
		want string
	}{
		{"embedded", "embedded", config.APQOn, "*persisted.Memory"},
		{"cluster", "cluster", config.APQOn, "*persisted.KV"},
		{"off", "embedded", config.APQOff, "<nil>"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg := config.Default()
			cfg.DataDir = t.TempDir()
			cfg.Storage.Mode, cfg.Router.PersistedQueries.APQ = tc.mode, tc.apq
			rdb := routerRedis(cfg)
			if rdb != nil {
				t.Cleanup(func() { _ = rdb.Close() })
			}
			cache := apqCache(cfg, rdb)
			if got := fmt.Sprintf("%T", cache); got != tc.want && !(tc.want == "<nil>" && cache == nil) {
				t.Fatalf("cache %s, want %s", got, tc.want)
			}
		})
	}
}

// TestRouterPersistedQueries: router.persisted_queries reaches the router.
// What is checked is refused before any subgraph is asked, so none runs.
func TestRouterPersistedQueries(t *testing.T) {
	t.Parallel()
	const manifest = "../frontend/persisted-query-manifest.json"
	hashOnly := func(doc string) url.Values {
		return url.Values{"extensions": {`{"persistedQuery":{"version":1,"sha256Hash":"` + persisted.Hash(doc) + `"}}`}}
	}
	tests := []struct {
		name   string
		cfg    func(*config.PersistedQueries)
		params url.Values
		want   string
	}{
		{"apq on by default", nil, hashOnly("{ __typename }"), "PERSISTED_QUERY_NOT_FOUND"},
		{"apq off", func(p *config.PersistedQueries) { p.APQ = config.APQOff }, hashOnly("{ __typename }"), "PERSISTED_QUERY_NOT_SUPPORTED"},
		{"safelist refuses documents outside the manifest", func(p *config.PersistedQueries) { p.Manifest, p.Safelist = manifest, true }, url.Values{"query": {"{ __typename }"}}, "not in the persisted query manifest"},
		{"manifest without safelist", func(p *config.PersistedQueries) { p.Manifest = manifest }, url.Values{"query": {"{ __typename }"}}, `"__typename":"Query"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg := config.Default()
			cfg.DataDir = t.TempDir()
			if tc.cfg != nil {
				tc.cfg(&cfg.Router.PersistedQueries)
			}
			if err := cfg.Validate(); err != nil {
				t.Fatal(err)
			}
			rt, err := NewRouter(context.Background(), cfg, map[string]string{}, slog.New(slog.DiscardHandler))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = rt.Close() })
			r := httptest.NewRequest(http.MethodGet, "/graphql?"+tc.params.Encode(), nil)
			r.Header.Set("Apollo-Require-Preflight", "true")
			rec := httptest.NewRecorder()
			rt.ServeHTTP(rec, r)
			if !strings.Contains(rec.Body.String(), tc.want) {
				t.Fatalf("got %d %s, want %s", rec.Code, rec.Body, tc.want)
			}
		})
	}
}

func TestMissingManifest(t *testing.T) {
	t.Parallel()
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	cfg.Router.PersistedQueries.Manifest = "testdata/no-such-manifest.json"
	if _, err := NewRouter(context.Background(), cfg, map[string]string{}, slog.New(slog.DiscardHandler)); err == nil || !strings.Contains(err.Error(), "manifest") {
		t.Fatalf("err = %v, want the manifest named", err)
	}
}
