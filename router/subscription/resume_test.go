package subscription_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/cinegraph/cinegraph/router/subscription"
	"github.com/cinegraph/cinegraph/router/wire"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

const chatSDL = `
type Query { rooms: [String] }
type Message { id: ID! body: String! }
type Subscription { messageAdded(roomId: ID!, since: String): Message! }
`

var rules = map[string]subscription.ResumeRule{"messageAdded": {Argument: "since", Cursor: "id"}}

func chatSchema(t *testing.T) *ast.Schema {
	t.Helper()
	schema, err := gqlparser.LoadSchema(&ast.Source{Input: chatSDL})
	if err != nil {
		t.Fatal(err)
	}
	return schema
}

func TestResumableRewritesTheUpstreamOperation(t *testing.T) {
	t.Parallel()
	schema := chatSchema(t)
	tests := []struct {
		name       string
		query      string
		vars       map[string]any
		ok         bool
		first      []string // in the first request's query
		resumed    []string // in the resumed request's query
		notResumed []string
		dropped    []string // variables the resumed request no longer has
	}{
		{
			name:    "variables",
			query:   `subscription($roomId: ID!) { messageAdded(roomId: $roomId) { body } }`,
			vars:    map[string]any{"roomId": "r1"},
			ok:      true,
			first:   []string{"_resumeCursor: id", "messageAdded(roomId: $roomId)"},
			resumed: []string{"$_resumeSince: String", "since: $_resumeSince", "_resumeCursor: id"},
		},
		{
			name:       "the client's own since is replaced",
			query:      `subscription { m: messageAdded(roomId: "r1", since: "m-3") { id body } }`,
			ok:         true,
			first:      []string{`since: "m-3"`, "_resumeCursor: id"},
			resumed:    []string{`roomId: "r1"`, "since: $_resumeSince"},
			notResumed: []string{`"m-3"`},
		},
		{
			name:       "the client's since in a variable is replaced, the variable dropped",
			query:      `subscription($roomId: ID!, $since: String) { messageAdded(roomId: $roomId, since: $since) { id body } }`,
			vars:       map[string]any{"roomId": "r1", "since": "m-3"},
			ok:         true,
			first:      []string{"since: $since", "$since: String", "_resumeCursor: id"},
			resumed:    []string{"roomId: $roomId", "since: $_resumeSince", "$roomId: ID!"},
			notResumed: []string{"$since"},
			dropped:    []string{"since"},
		},
		{
			name:    "a since variable used elsewhere too stays",
			query:   `subscription($since: String) { messageAdded(roomId: "r1", since: $since) { id body @include(if: true) } other: messageAdded(roomId: "r2", since: $since) { id } }`,
			vars:    map[string]any{"since": "m-3"},
			ok:      true,
			resumed: []string{"since: $_resumeSince", "$since: String", `roomId: "r2", since: $since`},
		},
		{
			name:  "no rule for the field",
			query: `subscription { rooms }`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := &wire.SubgraphRequest{Query: tc.query, Variables: tc.vars, OperationKind: "subscription"}
			first, resume, ok, err := subscription.Resumable(req, rules, schema)
			if err != nil || ok != tc.ok {
				t.Fatalf("ok %v, err %v; want ok %v", ok, err, tc.ok)
			}
			if !ok {
				if first != req || resume != nil {
					t.Fatal("a request without a rule was changed")
				}
				return
			}
			for _, want := range tc.first {
				if !strings.Contains(first.Query, want) {
					t.Errorf("first query %q lacks %q", first.Query, want)
				}
			}
			if again := resume(nil); again.Query != first.Query {
				t.Errorf("resumed with no event delivered: %q, want the first query", again.Query)
			}
			key := "messageAdded"
			if strings.Contains(tc.query, "m: ") {
				key = "m"
			}
			last := &wire.SubgraphResponse{Data: map[string]any{key: map[string]any{"body": "hi", "_resumeCursor": "m-7"}}}
			next := resume(last)
			for _, want := range tc.resumed {
				if !strings.Contains(next.Query, want) {
					t.Errorf("resumed query %q lacks %q", next.Query, want)
				}
			}
			for _, not := range tc.notResumed {
				if strings.Contains(next.Query, not) {
					t.Errorf("resumed query %q still has %q", next.Query, not)
				}
			}
			if next.Variables["_resumeSince"] != "m-7" {
				t.Errorf("resumed variables %v, want _resumeSince m-7", next.Variables)
			}
			for k, v := range tc.vars {
				if slices.Contains(tc.dropped, k) {
					if _, kept := next.Variables[k]; kept {
						t.Errorf("resumed variables %v still have %s", next.Variables, k)
					}
					continue
				}
				if next.Variables[k] != v {
					t.Errorf("resumed variables %v lost %s", next.Variables, k)
				}
			}
			if _, leaked := tc.vars["_resumeSince"]; leaked {
				t.Error("resume changed the original request's variables")
			}
			// Both must still be valid operations on the schema.
			for _, q := range []string{first.Query, next.Query} {
				if _, errs := gqlparser.LoadQuery(schema, q); errs != nil {
					t.Errorf("%q is not valid: %v", q, errs)
				}
			}
		})
	}
}

// script is an upstream whose successive opens each run the next session:
// a session emits events for the request it got, then returns.
type script struct {
	mu       sync.Mutex
	sessions []func(req *wire.SubgraphRequest, emit func(*wire.SubgraphResponse)) error
	requests []*wire.SubgraphRequest
}

func (s *script) Open(ctx context.Context, _ string, req *wire.SubgraphRequest, _ http.Header, emit func(*wire.SubgraphResponse)) error {
	s.mu.Lock()
	s.requests = append(s.requests, req)
	n := len(s.requests)
	s.mu.Unlock()
	if n > len(s.sessions) {
		<-ctx.Done()
		return ctx.Err()
	}
	return s.sessions[n-1](req, emit)
}

func message(id string) *wire.SubgraphResponse {
	return &wire.SubgraphResponse{Data: map[string]any{"messageAdded": map[string]any{"body": "body of " + id, "_resumeCursor": id}}}
}

// emitAfter emits the messages after the position req asks for (all of
// them when it asks for none), as the chat subgraph does.
func emitAfter(ids []string, req *wire.SubgraphRequest, emit func(*wire.SubgraphResponse)) {
	since, _ := req.Variables["_resumeSince"].(string)
	started := since == ""
	for _, id := range ids {
		if started {
			emit(message(id))
		}
		started = started || id == since
	}
}

var unavailable = &wire.SubgraphResponse{Errors: []wire.SubgraphError{{Message: "subscription dropped: the client fell too far behind", Extensions: map[string]any{"code": "UNAVAILABLE"}}}}

func TestLostUpstreamResumesWithoutGapOrDuplicate(t *testing.T) {
	t.Parallel()
	posted := []string{"m-1", "m-2", "m-3", "m-4", "m-5"}
	tests := []struct {
		name     string
		sessions []func(*wire.SubgraphRequest, func(*wire.SubgraphResponse)) error
		want     []string
		final    string // in the final error payload; "" for none
	}{
		{
			name: "connection lost, then the subgraph completes",
			sessions: []func(*wire.SubgraphRequest, func(*wire.SubgraphResponse)) error{
				func(req *wire.SubgraphRequest, emit func(*wire.SubgraphResponse)) error {
					emitAfter(posted[:2], req, emit)
					return errors.New("read: connection reset by peer")
				},
				func(req *wire.SubgraphRequest, emit func(*wire.SubgraphResponse)) error {
					emitAfter(posted, req, emit)
					return nil
				},
			},
			want: posted,
		},
		{
			name: "dropped by the subgraph as too slow, then an instance gone",
			sessions: []func(*wire.SubgraphRequest, func(*wire.SubgraphResponse)) error{
				func(req *wire.SubgraphRequest, emit func(*wire.SubgraphResponse)) error {
					emitAfter(posted[:1], req, emit)
					emit(unavailable)
					return nil
				},
				func(*wire.SubgraphRequest, func(*wire.SubgraphResponse)) error {
					return errors.New("dial tcp 127.0.0.1:4003: connection refused")
				},
				func(req *wire.SubgraphRequest, emit func(*wire.SubgraphResponse)) error {
					emitAfter(posted[:4], req, emit)
					return nil
				},
			},
			want: posted[:4],
		},
		{
			name: "the resumed subscription is refused",
			sessions: []func(*wire.SubgraphRequest, func(*wire.SubgraphResponse)) error{
				func(req *wire.SubgraphRequest, emit func(*wire.SubgraphResponse)) error {
					emitAfter(posted[:2], req, emit)
					return errors.New("going away")
				},
				func(*wire.SubgraphRequest, func(*wire.SubgraphResponse)) error {
					return subscription.GraphQLErrors{{Message: "unknown message m-2"}}
				},
			},
			want:  posted[:2],
			final: "unknown message m-2",
		},
	}
	schema := chatSchema(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			up := &script{sessions: tc.sessions}
			m := subscription.NewManager(up, 64, nil)
			req := &wire.SubgraphRequest{Query: `subscription { messageAdded(roomId: "r1") { body } }`, OperationKind: "subscription"}
			first, resume, ok, err := subscription.Resumable(req, rules, schema)
			if err != nil || !ok {
				t.Fatalf("Resumable: %v %v", ok, err)
			}
			s := m.Subscribe(subscription.Source{Key: "k", Subgraph: "chat", Request: first, Resume: resume,
				Complete: func(_ context.Context, ev *wire.SubgraphResponse) subscription.Result {
					raw, _ := json.Marshal(ev)
					return subscription.Result{Payload: raw}
				}})
			defer s.Close()
			got := cursorsUntilEnd(t, s)
			if strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Errorf("clients got %v, want %v (no gap, no duplicate)", got, tc.want)
			}
			final := string(s.Final())
			if tc.final == "" && final != "" || !strings.Contains(final, tc.final) {
				t.Errorf("final %q, want %q", final, tc.final)
			}
			if n := len(up.requests); n != len(tc.sessions) {
				t.Errorf("opened %d times, want %d", n, len(tc.sessions))
			}
		})
	}
}

func TestUpstreamWithoutRuleEndsWhenLost(t *testing.T) {
	t.Parallel()
	up := &script{sessions: []func(*wire.SubgraphRequest, func(*wire.SubgraphResponse)) error{
		func(_ *wire.SubgraphRequest, emit func(*wire.SubgraphResponse)) error {
			emit(message("m-1"))
			return errors.New("connection reset")
		},
	}}
	m := subscription.NewManager(up, 8, nil)
	var completions int
	src := source("k", &completions)
	src.Request = &wire.SubgraphRequest{Query: "k"}
	src.Complete = func(_ context.Context, ev *wire.SubgraphResponse) subscription.Result {
		raw, _ := json.Marshal(ev)
		return subscription.Result{Payload: raw}
	}
	s := m.Subscribe(src)
	defer s.Close()
	if _, ok := recv(t, s); !ok {
		t.Fatal("no event")
	}
	if _, ok := recv(t, s); ok {
		t.Fatal("more than one event")
	}
	if !strings.Contains(string(s.Final()), "UNAVAILABLE") {
		t.Errorf("final %s, want UNAVAILABLE", s.Final())
	}
	if len(up.requests) != 1 {
		t.Errorf("opened %d times, want once", len(up.requests))
	}
}

// cursorsUntilEnd reads s until it ends and returns the resume cursor of
// every messageAdded event a client got, in order; anything else fails t.
func cursorsUntilEnd(t *testing.T, s *subscription.Stream) []string {
	t.Helper()
	var got []string
	for {
		p, ok := recv(t, s)
		if !ok {
			return got
		}
		var ev wire.SubgraphResponse
		if err := json.Unmarshal(p, &ev); err != nil {
			t.Fatal(err)
		}
		msg, _ := ev.Data["messageAdded"].(map[string]any)
		id, _ := msg["_resumeCursor"].(string)
		if id == "" {
			t.Fatalf("a client got %s, want only messages", p)
		}
		got = append(got, id)
	}
}
