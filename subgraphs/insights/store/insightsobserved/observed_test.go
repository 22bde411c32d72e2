package insightsobserved_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/99designs/gqlgen/client"
	"go.opentelemetry.io/otel/codes"

	"github.com/cinegraph/cinegraph/internal/enginetest"
	pg "github.com/cinegraph/cinegraph/internal/postgres"
	"github.com/cinegraph/cinegraph/internal/storetrace"
	"github.com/cinegraph/cinegraph/internal/storetrace/storetracetest"
	"github.com/cinegraph/cinegraph/internal/telemetry"
	"github.com/cinegraph/cinegraph/internal/viewer/viewertest"
	"github.com/cinegraph/cinegraph/subgraphs/insights"
	"github.com/cinegraph/cinegraph/subgraphs/insights/store/insightsobserved"
	"github.com/cinegraph/cinegraph/subgraphs/insights/store/insightspostgres"
)

// TestQueryTraced runs a GraphQL query against an embedded insights
// subgraph opened through its Module: the titles' audiences load in one
// dataloader batch (no prefetch here), whose span carries the batch size
// and parents the one sqlite store call, and the histogram counts it.
//
// Not parallel: it installs the process's provider and store metrics.
func TestQueryTraced(t *testing.T) {
	const audiences = `query Audiences($r: [_Any!]!) { _entities(representations: $r) {
		... on Title { id audienceSentiment { messageCount } }
	} }`
	titles := []map[string]any{}
	for _, id := range []string{"t0001", "t0002", "t0003", "t0004"} {
		titles = append(titles, map[string]any{"__typename": "Title", "id": id})
	}
	tests := []struct {
		name    string
		tracing bool
		want    storetracetest.Want
	}{
		{
			name:    "tracing on",
			tracing: true,
			want: storetracetest.Want{
				System:  storetrace.SQLite,
				Calls:   map[string]int{"AudiencesByTitleIDs": 1},
				Batches: map[string]int{"Audience": 4},
				BatchOf: map[string]string{"AudiencesByTitleIDs": "Audience"},
			},
		},
		{
			name: "tracing off",
			want: storetracetest.Want{Calls: map[string]int{"AudiencesByTitleIDs": 1}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := storetracetest.Install(t, tc.tracing)
			c := viewertest.Client(storetracetest.OpenEmbedded(t, insights.Module(insights.Hooks{})).Handler(), viewertest.As("profile-1"))
			rec.Mark(t)
			var out map[string]any
			c.MustPost(audiences, &out, client.Var("r", titles))

			rec.Verify(t, tc.tracing, tc.want)
		})
	}
}

// TestPostgresCallsTraced: over PostgreSQL (the cluster engine, in a
// schema of the test's own) the same contract calls are postgresql client
// spans, failures included. Not parallel: it installs the process's
// provider and store metrics.
func TestPostgresCallsTraced(t *testing.T) {
	enginetest.Postgres(t)
	cfg := enginetest.Storage(t).Postgres
	cfg.MaxConns = 2
	schema := fmt.Sprintf("test_insightsobserved_%d", time.Now().UnixNano())
	t.Cleanup(func() {
		if err := pg.DropSchema(context.Background(), cfg, schema); err != nil {
			t.Errorf("drop test schema: %v", err)
		}
	})
	rec := storetracetest.Install(t, true)
	ctx := context.Background()
	inner, err := insightspostgres.Open(ctx, cfg, insightspostgres.WithSchema(schema))
	if err != nil {
		t.Fatal(err)
	}
	s := insightsobserved.Wrap(inner, storetrace.PostgreSQL)
	t.Cleanup(func() { _ = s.Close() })

	tests := []struct {
		name       string
		call       func(ctx context.Context) error
		wantSpan   string
		wantStatus codes.Code
	}{
		{"read", func(ctx context.Context) error {
			_, err := s.AudiencesByTitleIDs(ctx, []string{"t0001"})
			return err
		}, "AudiencesByTitleIDs message_scores", codes.Unset},
		{"cancelled", func(ctx context.Context) error {
			ctx, cancel := context.WithCancel(ctx)
			cancel()
			_, err := s.WatchedTitlesByProfileIDs(ctx, []string{"p1"})
			return err
		}, "WatchedTitlesByProfileIDs views", codes.Error},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec.Mark(t)
			pctx, parent := telemetry.Current().Tracer().Start(ctx, "Title.audienceSentiment")
			err := tc.call(pctx)
			parent.End()
			if (err != nil) != (tc.wantStatus == codes.Error) {
				t.Fatalf("call error %v", err)
			}
			spans := rec.Spans()
			if len(spans) != 2 {
				t.Fatalf("%d spans, want the call's and its caller's", len(spans))
			}
			sp := spans[0]
			system := ""
			for _, kv := range sp.Attributes() {
				if kv.Key == "db.system.name" {
					system = kv.Value.AsString()
				}
			}
			if sp.Name() != tc.wantSpan || system != storetrace.PostgreSQL || sp.Status().Code != tc.wantStatus {
				t.Fatalf("span %q system %q status %v, want %q postgresql %v", sp.Name(), system, sp.Status(), tc.wantSpan, tc.wantStatus)
			}
		})
	}
}
