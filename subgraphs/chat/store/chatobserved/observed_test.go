package chatobserved_test

import (
	"context"
	"testing"

	"github.com/99designs/gqlgen/client"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/internal/seed"
	"github.com/cinegraph/cinegraph/internal/storetrace"
	"github.com/cinegraph/cinegraph/internal/storetrace/storetracetest"
	"github.com/cinegraph/cinegraph/internal/telemetry"
	"github.com/cinegraph/cinegraph/internal/viewer/viewertest"
	"github.com/cinegraph/cinegraph/subgraphs/chat"
	"github.com/cinegraph/cinegraph/subgraphs/chat/chatservice"
	"github.com/cinegraph/cinegraph/subgraphs/chat/store/chatobserved"
)

// TestQueryTraced runs GraphQL queries against an embedded chat subgraph
// opened the way the composition root opens it (its Module), with tracing
// and store metrics installed: every store call is a sqlite client span
// under the operation, batched ones under their loader's batch span, and
// the histogram counts them. With tracing off the same queries record no
// span and are still timed.
//
// Not parallel: it installs the process's provider and store metrics.
func TestQueryTraced(t *testing.T) {
	const activeRooms = `query ActiveRooms { activeRooms(first: 5) {
		id messageCount messages(first: 2) { edges { node { id room { id messageCount } } } }
	} }`
	const entities = `query Rooms($r: [_Any!]!) { _entities(representations: $r) { ... on ChatRoom { id messageCount } } }`
	rooms := []map[string]any{}
	for _, title := range []string{"t0001", "t0002", "t0003"} {
		rooms = append(rooms, map[string]any{"__typename": "ChatRoom", "id": seed.RoomID(title)})
	}
	batchOf := map[string]string{"RoomStats": "RoomStats", "MessagePages": "MessagePage"}
	tests := []struct {
		name    string
		tracing bool
		query   string
		vars    map[string]any
		want    storetracetest.Want
	}{
		{
			// The page's stats and messages are prefetched batches.
			name:    "active rooms",
			tracing: true,
			query:   activeRooms,
			want: storetracetest.Want{
				System:  storetrace.SQLite,
				Calls:   map[string]int{"ActiveRooms": 1, "RoomStats": 1, "MessagePages": 1},
				Batches: map[string]int{"RoomStats": 5, "MessagePage": 5},
				BatchOf: batchOf,
			},
		},
		{
			// The entities resolver reads the rooms in one call of its own.
			name:    "entities",
			tracing: true,
			query:   entities,
			vars:    map[string]any{"r": rooms},
			want: storetracetest.Want{
				System:  storetrace.SQLite,
				Calls:   map[string]int{"RoomsByIDs": 1, "RoomStats": 1},
				Batches: map[string]int{"RoomStats": 3},
				BatchOf: batchOf,
			},
		},
		{
			name:  "tracing off",
			query: activeRooms,
			want:  storetracetest.Want{Calls: map[string]int{"ActiveRooms": 1, "RoomStats": 1, "MessagePages": 1}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := storetracetest.Install(t, tc.tracing)
			c := viewertest.Client(storetracetest.OpenEmbedded(t, chat.Module(chat.Hooks{})).Handler(), viewertest.As("profile-1"))
			var opts []client.Option
			for k, v := range tc.vars {
				opts = append(opts, client.Var(k, v))
			}
			rec.Mark(t)
			var out map[string]any
			c.MustPost(tc.query, &out, opts...)

			rec.Verify(t, tc.tracing, tc.want)
		})
	}
}

// stub answers every call at once, so that what the wrapper adds is all
// there is to measure.
type stub struct{ chatservice.Store }

func (stub) RoomStats(context.Context, []string) ([]chatservice.RoomStats, error) { return nil, nil }

func (stub) AddMessage(context.Context, chatservice.Message, events.Event) error {
	return chatservice.ErrRoomNotFound
}

// TestNoAllocationsAdded: with tracing off, a wrapped call allocates no
// more than the store's own, timed or not.
func TestNoAllocationsAdded(t *testing.T) {
	m, err := storetrace.NewMetrics(prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		metrics *storetrace.Metrics
	}{
		{"not timed", nil},
		{"timed", m},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := chatobserved.WrapWith(stub{}, storetrace.Options{System: storetrace.SQLite, Tracing: telemetry.Disabled(), Metrics: tc.metrics}, "")
			ctx := context.Background()
			ids := []string{"r1"}
			allocs := testing.AllocsPerRun(1000, func() {
				_, _ = s.RoomStats(ctx, ids)
				_ = s.AddMessage(ctx, chatservice.Message{}, events.Event{})
			})
			if allocs != 0 {
				t.Fatalf("%v allocations per call, want 0", allocs)
			}
		})
	}
}
