package sse_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/cinegraph/cinegraph/router/request"
	"github.com/cinegraph/cinegraph/router/subscription"
	"github.com/cinegraph/cinegraph/router/transport/sse"
	"github.com/cinegraph/cinegraph/router/wire"
)

// events is an upstream that emits fixed events, then ends with err.
type events struct {
	data []map[string]any
	err  error
}

func (u events) Open(_ context.Context, _ string, _ *wire.SubgraphRequest, _ http.Header, emit func(*wire.SubgraphResponse)) error {
	for _, d := range u.data {
		emit(&wire.SubgraphResponse{Data: d})
	}
	return u.err
}

type subscriber struct{ m *subscription.Manager }

func (s subscriber) Subscribe(_ context.Context, req *request.Request) (*subscription.Stream, *subscription.Refusal) {
	switch req.Query {
	case "bad":
		return nil, &subscription.Refusal{Response: &wire.Response{Errors: []*wire.Error{{Message: "Syntax Error"}}}, Outcome: request.Rejected}
	case "mutation{a}":
		if req.ReadOnly() {
			return nil, &subscription.Refusal{Response: &wire.Response{Errors: []*wire.Error{{Message: "use POST"}}}, Outcome: request.NotAllowed}
		}
	case "broken":
		return nil, &subscription.Refusal{Response: &wire.Response{Errors: []*wire.Error{{Message: "internal error"}}}, Outcome: request.Failed}
	case "forged":
		return nil, &subscription.Refusal{Response: &wire.Response{Errors: []*wire.Error{{Message: "CSRF"}}}, Outcome: request.Blocked}
	}
	return s.m.Subscribe(subscription.Source{Key: req.Query, Complete: func(_ context.Context, ev *wire.SubgraphResponse) subscription.Result {
		raw, _ := json.Marshal(map[string]any{"data": ev.Data})
		return subscription.Result{Payload: raw}
	}}), nil
}

func TestSSE(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		method     string
		query      string
		upstream   events
		wantStatus int
		wantBody   string
	}{
		{
			name: "results then complete", method: http.MethodPost, query: "subscription{a}",
			upstream:   events{data: []map[string]any{{"a": 1}, {"a": 2}}},
			wantStatus: 200,
			wantBody:   "event: next\ndata: {\"data\":{\"a\":1}}\n\nevent: next\ndata: {\"data\":{\"a\":2}}\n\nevent: complete\ndata: \n\n",
		},
		{
			name: "get", method: http.MethodGet, query: "subscription{a}",
			upstream:   events{data: []map[string]any{{"a": 1}}},
			wantStatus: 200,
			wantBody:   "event: next\ndata: {\"data\":{\"a\":1}}\n\nevent: complete\ndata: \n\n",
		},
		{
			name: "upstream failure is an error result", method: http.MethodPost, query: "subscription{a}",
			upstream:   events{err: io.ErrUnexpectedEOF},
			wantStatus: 200,
			wantBody:   "event: next\ndata: {\"errors\":[{\"message\":\"subscription to subgraph  failed\",\"extensions\":{\"code\":\"UNAVAILABLE\"}}]}\n\nevent: complete\ndata: \n\n",
		},
		{name: "rejected", method: http.MethodPost, query: "bad", wantStatus: 400, wantBody: `{"errors":[{"message":"Syntax Error"}]}`},
		{name: "no query", method: http.MethodPost, query: "", wantStatus: 400},
		{name: "refused by method", method: http.MethodGet, query: "mutation{a}", wantStatus: 405, wantBody: `{"errors":[{"message":"use POST"}]}`},
		{name: "failed", method: http.MethodPost, query: "broken", wantStatus: 500, wantBody: `{"errors":[{"message":"internal error"}]}`},
		{name: "blocked as a possible forgery", method: http.MethodGet, query: "forged", wantStatus: 400, wantBody: `{"errors":[{"message":"CSRF"}]}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := &sse.Handler{Subscriber: subscriber{m: subscription.NewManager(tc.upstream, 16, nil)}}
			srv := httptest.NewServer(h)
			defer srv.Close()
			var req *http.Request
			if tc.method == http.MethodGet {
				req, _ = http.NewRequest(http.MethodGet, srv.URL+"?query="+tc.query, nil)
			} else {
				body, _ := json.Marshal(map[string]string{"query": tc.query})
				req, _ = http.NewRequest(http.MethodPost, srv.URL, strings.NewReader(string(body)))
				req.Header.Set("Content-Type", "application/json")
			}
			req.Header.Set("Accept", "text/event-stream")
			if !sse.Accepts(req) {
				t.Fatal("Accepts is false for an event-stream request")
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			got, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tc.wantStatus {
				t.Fatalf("status %d, want %d (%s)", resp.StatusCode, tc.wantStatus, got)
			}
			if tc.wantStatus == 405 && resp.Header.Get("Allow") != "POST" {
				t.Fatalf("Allow %q, want POST", resp.Header.Get("Allow"))
			}
			if tc.wantBody != "" && string(got) != tc.wantBody {
				t.Fatalf("body %q\nwant %q", got, tc.wantBody)
			}
			if tc.wantStatus == 200 && !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
				t.Fatalf("content type %q", resp.Header.Get("Content-Type"))
			}
		})
	}
}
