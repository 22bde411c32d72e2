package subscription_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/cinegraph/cinegraph/router/request"
	"github.com/cinegraph/cinegraph/router/subscription"
	"github.com/cinegraph/cinegraph/router/transport/ws"
	"github.com/cinegraph/cinegraph/router/wire"
)

// subgraphSubscriber plays a subgraph's websocket endpoint: "refuse" is
// rejected, "two" sends two events and completes, anything else never ends.
type subgraphSubscriber struct{}

func (subgraphSubscriber) Subscribe(_ context.Context, req *request.Request) (*subscription.Stream, *subscription.Refusal) {
	switch req.Query {
	case "refuse":
		return nil, &subscription.Refusal{Response: &wire.Response{Errors: []*wire.Error{{Message: "room r9 does not exist", Extensions: map[string]any{"code": "NOT_FOUND"}}}}, Outcome: request.Rejected}
	case "two":
		m := subscription.NewManager(listUpstream{`{"n":1}`, `{"n":2}`}, 4, nil)
		return m.Subscribe(subscription.Source{Key: "two", Request: &wire.SubgraphRequest{}, Complete: func(_ context.Context, ev *wire.SubgraphResponse) subscription.Result {
			ev.Data["profile"] = req.Header.Get("X-Cinegraph-Profile")
			raw, _ := json.Marshal(map[string]any{"data": ev.Data})
			return subscription.Result{Payload: raw}
		}}), nil
	}
	return subscription.NewManager(&gate{feed: make(chan int)}, 4, nil).Subscribe(subscription.Source{Key: "x", Request: &wire.SubgraphRequest{}}), nil
}

type listUpstream []string

func (l listUpstream) Open(_ context.Context, _ string, _ *wire.SubgraphRequest, _ http.Header, emit func(*wire.SubgraphResponse)) error {
	for _, d := range l {
		var m map[string]any
		_ = json.Unmarshal([]byte(d), &m)
		emit(&wire.SubgraphResponse{Data: m})
	}
	return nil
}

func TestWSUpstream(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(&ws.Server{Subscriber: subgraphSubscriber{}, KeepAlive: -1})
	t.Cleanup(srv.Close)
	up := &subscription.WSUpstream{URLs: map[string]string{"chat": srv.URL}}
	header := http.Header{"X-Cinegraph-Profile": {"p1"}}

	t.Run("events then complete, headers in connection_init", func(t *testing.T) {
		t.Parallel()
		var got []string
		err := up.Open(t.Context(), "chat", &wire.SubgraphRequest{Query: "two"}, header, func(ev *wire.SubgraphResponse) {
			got = append(got, fmt.Sprint(ev.Data["n"], "/", ev.Data["profile"]))
		})
		if err != nil || len(got) != 2 || got[0] != "1/p1" || got[1] != "2/p1" {
			t.Fatalf("events %v, err %v", got, err)
		}
	})
	t.Run("refusal is GraphQL errors", func(t *testing.T) {
		t.Parallel()
		err := up.Open(t.Context(), "chat", &wire.SubgraphRequest{Query: "refuse"}, header, func(*wire.SubgraphResponse) {})
		var gqlErrs subscription.GraphQLErrors
		if !errors.As(err, &gqlErrs) || gqlErrs[0].Message != "room r9 does not exist" {
			t.Fatalf("err %v", err)
		}
	})
	t.Run("context ends it", func(t *testing.T) {
		t.Parallel()
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		if err := up.Open(ctx, "chat", &wire.SubgraphRequest{Query: "forever"}, header, func(*wire.SubgraphResponse) {}); !errors.Is(err, context.Canceled) {
			t.Fatalf("err %v", err)
		}
	})
	t.Run("unknown subgraph", func(t *testing.T) {
		t.Parallel()
		if err := up.Open(t.Context(), "nope", &wire.SubgraphRequest{}, nil, func(*wire.SubgraphResponse) {}); err == nil {
			t.Fatal("no error")
		}
	})
}
