package rediscache_test

import (
	"context"
	"testing"
	"time"

	"go.opentelemetry.io/otel/trace"

	"github.com/cinegraph/cinegraph/internal/enginetest"
	"github.com/cinegraph/cinegraph/internal/storetrace"
	"github.com/cinegraph/cinegraph/internal/storetrace/storetracetest"
	"github.com/cinegraph/cinegraph/internal/telemetry"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/store/catalogobserved"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/store/rediscache"
)

// TestRoundTripsTraced: each Redis round trip of a cached read is a redis
// client span named by its command, and a miss's load from the store
// behind is that store's span beside them, all under the caller's span.
// Not parallel: it installs the process's provider and store metrics.
func TestRoundTripsTraced(t *testing.T) {
	rec := storetracetest.Install(t, true)
	ctx := context.Background()
	enginetest.Redis(t)
	cfg := enginetest.Storage(t).Redis
	cfg.CacheTTL = time.Minute
	inner := catalogobserved.Wrap(sqliteInner(t), storetrace.SQLite)
	s, err := rediscache.Open(ctx, cfg, inner, rediscache.WithPrefix("test:catalogcache:"+unique("traced")+":"))
	must(t, err)
	t.Cleanup(func() { _ = s.Close() })

	tests := []struct {
		name string
		want map[string]int // spans by name
	}{
		// A list nobody read yet: read, load, write back.
		{"miss", map[string]int{"MGET": 1, "MyLists my_list": 1, "PIPELINE": 1}},
		{"hit", map[string]int{"MGET": 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec.Mark(t)
			pctx, parent := telemetry.Current().Tracer().Start(ctx, "MyList.read")
			if _, err := s.MyLists(pctx, []string{"p1"}); err != nil {
				t.Fatal(err)
			}
			parent.End()
			got := map[string]int{}
			for _, sp := range rec.Spans() {
				if sp.Name() == "MyList.read" {
					continue
				}
				got[sp.Name()]++
				if sp.SpanKind() != trace.SpanKindClient || sp.Parent().SpanID() != parent.SpanContext().SpanID() {
					t.Errorf("span %q: kind %v, not the caller's client child", sp.Name(), sp.SpanKind())
				}
				want := storetrace.Redis
				if sp.Name() == "MyLists my_list" {
					want = storetrace.SQLite
				}
				for _, kv := range sp.Attributes() {
					if kv.Key == "db.system.name" && kv.Value.AsString() != want {
						t.Errorf("span %q: system %s, want %s", sp.Name(), kv.Value.AsString(), want)
					}
				}
			}
			if len(got) != len(tc.want) {
				t.Fatalf("spans %v, want %v", got, tc.want)
			}
			for name, n := range tc.want {
				if got[name] != n {
					t.Fatalf("spans %v, want %v", got, tc.want)
				}
			}
			if calls := rec.Calls(t); calls["MGET"] != 1 {
				t.Errorf("histogram counted %v, want one MGET", calls)
			}
		})
	}
}
