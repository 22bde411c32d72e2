package execute

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/router/fetch"
	"github.com/cinegraph/cinegraph/router/plan"
	"github.com/cinegraph/cinegraph/router/wire"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

// listPlan is the plan of `{ items { name } }` on one subgraph "s", with
// each item's name completed by an entity fetch to "t".
func listPlan(t *testing.T) (*ast.Schema, *plan.QueryPlan) {
	t.Helper()
	schema := gqlparser.MustLoadSchema(&ast.Source{Input: `type Query { items: [Item!]! } type Item { id: ID! name: String }`})
	doc, errs := gqlparser.LoadQuery(schema, `{ items { name } }`)
	if errs != nil {
		t.Fatal(errs)
	}
	op, err := plan.Normalize(schema, doc, doc.Operations[0], nil)
	if err != nil {
		t.Fatal(err)
	}
	return schema, &plan.QueryPlan{Operation: op, Node: &plan.Sequence{Nodes: []plan.Node{
		&plan.Fetch{ServiceName: "s", Operation: "{items{__typename id}}"},
		&plan.Flatten{Path: []string{"items", "@"}, Node: &plan.Fetch{
			ServiceName: "t",
			Operation:   "query($representations:[_Any!]!){_entities(representations:$representations){...on Item{name}}}",
			Requires: []*plan.RepType{{TypeName: "Item", Fields: []*plan.RepField{
				{Name: "__typename", ResponseKey: "__typename", Key: true},
				{Name: "id", ResponseKey: "id", Key: true},
			}}},
		}},
	}}}
}

// items answers the root fetch with n items whose names are long.
func items(n int) fetch.Func {
	return func(_ context.Context, req *wire.SubgraphRequest, _ http.Header) (*wire.SubgraphResponse, error) {
		if reps, ok := req.Variables["representations"].([]json.RawMessage); ok {
			ents := make([]any, len(reps))
			for i := range ents {
				ents[i] = map[string]any{"__typename": "Item", "name": strings.Repeat("x", 100)}
			}
			return &wire.SubgraphResponse{Data: map[string]any{"_entities": ents}}, nil
		}
		l := make([]any, n)
		for i := range l {
			l[i] = map[string]any{"__typename": "Item", "id": json.Number("1" + strings.Repeat("0", i%10))}
		}
		return &wire.SubgraphResponse{Data: map[string]any{"items": l}}, nil
	}
}

func TestMaxResponseBytes(t *testing.T) {
	t.Parallel()
	schema, qp := listPlan(t)
	tests := []struct {
		name    string
		n       int
		max     int64
		fetches int32
		refused bool
	}{
		{"under the cap", 10, 10_000, 2, false},
		{"the entities go over", 100, 10_000, 2, true},
		{"the root fetch goes over: no entity fetch", 1000, 10_000, 1, true},
		{"no cap", 1000, 0, 2, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var fetches atomic.Int32
			f := items(tc.n)
			counted := fetch.Func(func(ctx context.Context, req *wire.SubgraphRequest, h http.Header) (*wire.SubgraphResponse, error) {
				fetches.Add(1)
				return f(ctx, req, h)
			})
			e := &Executor{Fetchers: fetch.Set{"s": counted, "t": counted}, Schema: schema, MaxResponseBytes: tc.max}
			resp := e.Execute(context.Background(), qp, nil, nil)
			if got := fetches.Load(); got != tc.fetches {
				t.Errorf("%d fetches, want %d", got, tc.fetches)
			}
			if !tc.refused {
				if len(resp.Errors) > 0 || !strings.Contains(string(resp.Data), `"name":"xxx`) {
					t.Fatalf("response: %s %+v", resp.Data, resp.Errors)
				}
				return
			}
			if string(resp.Data) != "null" || len(resp.Errors) != 1 {
				t.Fatalf("response: %s %+v", resp.Data, resp.Errors)
			}
			e0 := resp.Errors[0]
			if !strings.HasPrefix(e0.Message, "operation exceeds the response size limit (") || !strings.HasSuffix(e0.Message, " > 10000 bytes)") ||
				e0.Extensions["code"] != "BAD_USER_INPUT" || e0.Extensions["limit"] != "response size" {
				t.Fatalf("error: %+v", e0)
			}
		})
	}
}

func TestMaxResponseBytesCountsWhatIsWritten(t *testing.T) {
	t.Parallel()
	schema, qp := listPlan(t)
	tests := []struct {
		name     string
		entities string
		rootSize int // what the root response claims its body was
	}{
		// One entity completes a thousand objects: little data, a large response.
		{"an entity shared by many objects", `{"data":{"_entities":[{"__typename":"Item","name":"` + strings.Repeat("x", 100) + `"}]}}`, 100},
		// Sizes that undercount are caught while shaping.
		{"the shaper stops", `{"data":{"_entities":[{"__typename":"Item","name":"x"}]}}`, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := fetch.Func(func(_ context.Context, req *wire.SubgraphRequest, _ http.Header) (*wire.SubgraphResponse, error) {
				if _, ok := req.Variables["representations"]; ok {
					resp, err := wire.DecodeResponse([]byte(tc.entities))
					if err != nil {
						return nil, err
					}
					resp.Bytes = min(resp.Bytes, tc.rootSize)
					return resp, nil
				}
				l := make([]any, 1000)
				for i := range l {
					l[i] = map[string]any{"__typename": "Item", "id": "1"}
				}
				return &wire.SubgraphResponse{Data: map[string]any{"items": l}, Bytes: tc.rootSize}, nil
			})
			e := &Executor{Fetchers: fetch.Set{"s": f, "t": f}, Schema: schema, MaxResponseBytes: 10_000}
			resp := e.Execute(context.Background(), qp, nil, nil)
			if string(resp.Data) != "null" || len(resp.Errors) != 1 || resp.Errors[0].Extensions["limit"] != "response size" {
				t.Fatalf("response: %.200s %+v", resp.Data, resp.Errors)
			}
		})
	}
}

// blocking is a fetcher that waits for its context to end and records why.
type blocking struct {
	started chan struct{}
	cause   chan error
}

func newBlocking() *blocking {
	return &blocking{started: make(chan struct{}, 1), cause: make(chan error, 1)}
}

func (b *blocking) Fetch(ctx context.Context, _ *wire.SubgraphRequest, _ http.Header) (*wire.SubgraphResponse, error) {
	b.started <- struct{}{}
	<-ctx.Done()
	b.cause <- context.Cause(ctx)
	return nil, ctx.Err()
}

func TestTimeout(t *testing.T) {
	t.Parallel()
	schema, qp := listPlan(t)
	b := newBlocking()
	e := &Executor{Fetchers: fetch.Set{"s": b}, Schema: schema, Timeout: time.Millisecond}
	resp := e.Execute(context.Background(), qp, nil, nil)
	var late *timedOut
	if cause := <-b.cause; !errors.As(cause, &late) {
		t.Fatalf("the fetch's context ended with %v, want the time limit", cause)
	}
	if string(resp.Data) != "null" || len(resp.Errors) != 1 || resp.Errors[0].Message != "request exceeds the time limit (1ms)" ||
		resp.Errors[0].Extensions["code"] != "UNAVAILABLE" {
		t.Fatalf("response: %s %+v", resp.Data, resp.Errors)
	}
}

func TestClientGoneCancelsFetches(t *testing.T) {
	t.Parallel()
	schema, qp := listPlan(t)
	b := newBlocking()
	e := &Executor{Fetchers: fetch.Set{"s": b}, Schema: schema, Timeout: time.Hour}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan *wire.Response)
	go func() { done <- e.Execute(ctx, qp, nil, nil) }()
	<-b.started
	cancel()
	if cause := <-b.cause; !errors.Is(cause, context.Canceled) {
		t.Fatalf("the fetch's context ended with %v, want context.Canceled", cause)
	}
	if resp := <-done; string(resp.Data) != "null" {
		t.Fatalf("response: %s %+v", resp.Data, resp.Errors)
	}
}

// TestAllowanceReachesFetchers: fetchers see what is left of the response
// size, and one that stops reading there stops the execution.
func TestAllowanceReachesFetchers(t *testing.T) {
	t.Parallel()
	schema, qp := listPlan(t)
	var seen []int64
	f := fetch.Func(func(ctx context.Context, req *wire.SubgraphRequest, _ http.Header) (*wire.SubgraphResponse, error) {
		left, ok := fetch.Allowance(ctx)
		if !ok {
			t.Error("no allowance")
		}
		seen = append(seen, left)
		if _, ok := req.Variables["representations"]; ok {
			return nil, fmt.Errorf("response from t: %w", fetch.ErrOverAllowance)
		}
		return &wire.SubgraphResponse{Data: map[string]any{"items": []any{map[string]any{"__typename": "Item", "id": "1"}}}, Bytes: 4000}, nil
	})
	e := &Executor{Fetchers: fetch.Set{"s": f, "t": f}, Schema: schema, MaxResponseBytes: 10_000}
	resp := e.Execute(context.Background(), qp, nil, nil)
	if len(seen) != 2 || seen[0] != 10_000 || seen[1] != 6_000 {
		t.Errorf("allowances seen: %v, want [10000 6000]", seen)
	}
	if string(resp.Data) != "null" || len(resp.Errors) != 1 || resp.Errors[0].Message != "operation exceeds the response size limit (10001 > 10000 bytes)" {
		t.Fatalf("response: %s %+v", resp.Data, resp.Errors)
	}
}
