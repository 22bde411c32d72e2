package app

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/internal/enginetest"
)

// TestRouterRateLimit: router.rate_limit reaches the router, counted in
// memory in embedded mode and in Redis in cluster mode.
func TestRouterRateLimit(t *testing.T) {
	t.Parallel()
	// Each run has its own client key, so runs against one Redis never
	// share an allowance.
	client := fmt.Sprintf("test-%d", time.Now().UnixNano())
	tight := func(c *config.Config) {
		c.Router.RateLimit.KeyHeaders = []string{"X-Test-Client"}
		c.Router.RateLimit.PerClient = config.Rate{Rate: 1.0 / 3600, Burst: 2}
	}
	tests := []struct {
		name    string
		cluster bool
		cfg     func(*config.Config)
		// want are the statuses of consecutive requests.
		want []int
	}{
		{"defaults let a burst through", false, nil, []int{200, 200, 200, 200, 200, 200}},
		{"embedded: over the limit", false, tight, []int{200, 200, 429, 429}},
		{"disabled", false, func(c *config.Config) { tight(c); c.Router.RateLimit.Enabled = false }, []int{200, 200, 200, 200}},
		{"cluster: over the limit, counted in Redis", true, tight, []int{200, 200, 429}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg := config.Default()
			cfg.DataDir = t.TempDir()
			if tc.cfg != nil {
				tc.cfg(&cfg)
			}
			if err := cfg.Validate(); err != nil {
				t.Fatal(err)
			}
			var rdb *redis.Client
			if tc.cluster {
				enginetest.Redis(t)
				cfg.Storage.Mode = "cluster"
				cfg.Storage.Redis = enginetest.Storage(t).Redis
				rdb = redis.NewClient(&redis.Options{Addr: cfg.Storage.Redis.Addr, Password: cfg.Storage.Redis.Password, DB: cfg.Storage.Redis.DB})
				t.Cleanup(func() { _ = rdb.Close() })
			}
			rt, err := NewRouter(context.Background(), cfg, map[string]string{}, slog.New(slog.DiscardHandler))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = rt.Close() })
			for i, want := range tc.want {
				r := httptest.NewRequest(http.MethodGet, "/graphql?query=%7B__typename%7D", nil)
				r.Header.Set("X-Test-Client", client+tc.name)
				r.Header.Set("Apollo-Require-Preflight", "true")
				rec := httptest.NewRecorder()
				rt.ServeHTTP(rec, r)
				if rec.Code != want {
					t.Fatalf("request %d: status %d, want %d: %s", i, rec.Code, want, rec.Body)
				}
			}
			if rdb != nil {
				ctx := context.Background()
				keys, err := rdb.Keys(ctx, "rate:"+RateLimitPrefix+"*"+client+"*").Result()
				if err != nil {
					t.Fatal(err)
				}
				if len(keys) != 1 {
					t.Fatalf("keys %q in Redis, want the client's one", keys)
				}
				rdb.Del(ctx, keys...)
			}
		})
	}
}
