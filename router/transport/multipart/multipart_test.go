package multipart_test

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
	"github.com/cinegraph/cinegraph/router/transport/multipart"
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
	switch {
	case req.Query == "bad":
		return nil, &subscription.Refusal{Response: &wire.Response{Errors: []*wire.Error{{Message: "Syntax Error"}}}, Outcome: request.Rejected}
	case req.Query == "mutation{a}" && req.ReadOnly():
		return nil, &subscription.Refusal{Response: &wire.Response{Errors: []*wire.Error{{Message: "use POST"}}}, Outcome: request.NotAllowed}
	case req.Query == "forged":
		return nil, &subscription.Refusal{Response: &wire.Response{Errors: []*wire.Error{{Message: "CSRF"}}}, Outcome: request.Blocked}
	}
	return s.m.Subscribe(subscription.Source{Key: req.Query, Complete: func(_ context.Context, ev *wire.SubgraphResponse) subscription.Result {
		raw, _ := json.Marshal(map[string]any{"data": ev.Data})
		return subscription.Result{Payload: raw}
	}}), nil
}

func TestMultipart(t *testing.T) {
	t.Parallel()
	part := func(json string) string {
		return "\r\nContent-Type: application/json; charset=utf-8\r\n\r\n" + json + "\r\n--graphql"
	}
	tests := []struct {
		name       string
		method     string // POST when empty
		query      string
		upstream   events
		wantStatus int // 200 when 0
		wantBody   string
	}{
		{
			name: "results then the closing boundary", query: "subscription{a}",
			upstream: events{data: []map[string]any{{"a": 1}, {"a": 2}}},
			wantBody: "\r\n--graphql" + part(`{"payload":{"data":{"a":1}}}`) + part(`{"payload":{"data":{"a":2}}}`) + "--\r\n",
		},
		{
			name: "upstream failure is an error result", query: "subscription{a}",
			upstream: events{err: io.ErrUnexpectedEOF},
			wantBody: "\r\n--graphql" + part(`{"payload":{"errors":[{"message":"subscription to subgraph  failed","extensions":{"code":"UNAVAILABLE"}}]}}`) + "--\r\n",
		},
		{
			name: "rejected", query: "bad",
			wantBody: "\r\n--graphql" + part(`{"payload":{"errors":[{"message":"Syntax Error"}]}}`) + "--\r\n",
		},
		{
			name: "refused by method before any part", method: http.MethodGet, query: "mutation{a}",
			wantStatus: 405, wantBody: `{"errors":[{"message":"use POST"}]}`,
		},
		{
			name: "blocked as a possible forgery before any part", method: http.MethodGet, query: "forged",
			wantStatus: 400, wantBody: `{"errors":[{"message":"CSRF"}]}`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := &multipart.Handler{Subscriber: subscriber{m: subscription.NewManager(tc.upstream, 16, nil)}}
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
			req.Header.Set("Accept", `multipart/mixed;subscriptionSpec="1.0", application/json`)
			if !multipart.Accepts(req) {
				t.Fatal("Accepts is false for a subscription request")
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			got, _ := io.ReadAll(resp.Body)
			if tc.wantStatus != 0 {
				wantAllow := ""
				if tc.wantStatus == http.StatusMethodNotAllowed {
					wantAllow = "POST"
				}
				if resp.StatusCode != tc.wantStatus || resp.Header.Get("Allow") != wantAllow || string(got) != tc.wantBody {
					t.Fatalf("got %d (Allow %q) %s, want %d %s", resp.StatusCode, resp.Header.Get("Allow"), got, tc.wantStatus, tc.wantBody)
				}
				return
			}
			if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "multipart/mixed") || !strings.Contains(ct, "boundary=\"graphql\"") {
				t.Fatalf("content type %q", ct)
			}
			if string(got) != tc.wantBody {
				t.Fatalf("body %q\nwant %q", got, tc.wantBody)
			}
		})
	}
}

func TestAcceptsOnlySubscriptionRequests(t *testing.T) {
	t.Parallel()
	for accept, want := range map[string]bool{
		`multipart/mixed;boundary="graphql";subscriptionSpec=1.0,application/json`: true,
		`multipart/mixed;deferSpec=20220824,application/json`:                      false,
		"application/json": false,
	} {
		req, _ := http.NewRequest(http.MethodPost, "/", nil)
		req.Header.Set("Accept", accept)
		if got := multipart.Accepts(req); got != want {
			t.Errorf("Accepts(%q) = %v, want %v", accept, got, want)
		}
	}
}
