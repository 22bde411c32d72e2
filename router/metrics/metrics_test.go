package metrics

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/cinegraph/cinegraph/router/fetch"
	"github.com/cinegraph/cinegraph/router/request"
	"github.com/cinegraph/cinegraph/router/wire"
)

func newRouter(t *testing.T, opts Options) (*Router, *prometheus.Registry) {
	t.Helper()
	reg := prometheus.NewRegistry()
	m, err := New(reg, opts)
	if err != nil {
		t.Fatal(err)
	}
	return m, reg
}

// value is the value of the series of name with labels (at least those)
// in reg, a histogram's sample count; -1 when there is none.
func value(t *testing.T, reg *prometheus.Registry, name string, labels ...string) float64 {
	t.Helper()
	fams, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fams {
		if f.GetName() != name {
			continue
		}
	series:
		for _, m := range f.GetMetric() {
			have := map[string]string{}
			for _, l := range m.GetLabel() {
				have[l.GetName()] = l.GetValue()
			}
			for i := 0; i+1 < len(labels); i += 2 {
				if have[labels[i]] != labels[i+1] {
					continue series
				}
			}
			switch {
			case m.GetCounter() != nil:
				return m.GetCounter().GetValue()
			case m.GetGauge() != nil:
				return m.GetGauge().GetValue()
			case m.GetHistogram() != nil:
				return float64(m.GetHistogram().GetSampleCount())
			}
		}
	}
	return -1
}

// count is how many series of name reg has.
func count(t *testing.T, reg *prometheus.Registry, name string) int {
	t.Helper()
	fams, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fams {
		if f.GetName() == name {
			return len(f.GetMetric())
		}
	}
	return 0
}

// operationNames gathers the distinct operation_name values of
// cinegraph_router_requests_total.
func operationNames(t *testing.T, reg *prometheus.Registry) map[string]bool {
	t.Helper()
	fams, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, f := range fams {
		if f.GetName() != "cinegraph_router_requests_total" {
			continue
		}
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "operation_name" {
					names[l.GetValue()] = true
				}
			}
		}
	}
	return names
}

func TestOperationNamesAreBounded(t *testing.T) {
	cases := []struct {
		name      string
		max       int
		validated []string // names of operations that ran, in order
		refused   []string // names of requests refused before validation
		want      []string
	}{
		{"under the bound", 5, []string{"A", "B", "A"}, nil, []string{"A", "B"}},
		{"past the bound, other", 2, []string{"A", "B", "C", "D", "A"}, nil, []string{"A", "B", OtherOperations}},
		{"anonymous takes a place", 2, []string{"", "A", "B"}, nil, []string{"", "A", OtherOperations}},
		{"refused names take none", 3, []string{"A"}, []string{"junk1", "junk2", "A"}, []string{"A", OtherOperations}},
		{"none of their own", -1, []string{"A", "B"}, nil, []string{OtherOperations}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m, reg := newRouter(t, Options{MaxOperationNames: tc.max})
			for _, n := range tc.validated {
				m.Done(m.Begin(), n, true, Query, OK)
			}
			for _, n := range tc.refused {
				m.Done(m.Begin(), n, false, Unknown, Rejected)
			}
			got := operationNames(t, reg)
			if len(got) != len(tc.want) {
				t.Fatalf("operation names %v, want %v", got, tc.want)
			}
			for _, n := range tc.want {
				if !got[n] {
					t.Fatalf("operation names %v, want %v", got, tc.want)
				}
			}
			if v := value(t, reg, "cinegraph_router_inflight_requests"); v != 0 {
				t.Fatalf("in flight %v after every request ended", v)
			}
		})
	}
	t.Run("a flood of names stays bounded", func(t *testing.T) {
		m, reg := newRouter(t, Options{})
		for i := range 10 * DefaultMaxOperationNames {
			m.Done(m.Begin(), fmt.Sprintf("Op%d", i), true, Query, OK)
		}
		if got := operationNames(t, reg); len(got) != DefaultMaxOperationNames+1 || !got[OtherOperations] {
			t.Fatalf("%d operation names, want %d and %q", len(got), DefaultMaxOperationNames+1, OtherOperations)
		}
		if n := m.OperationNames(); n != DefaultMaxOperationNames {
			t.Fatalf("OperationNames() = %d", n)
		}
	})
}

func TestOutcomes(t *testing.T) {
	cases := []struct {
		name string
		got  Outcome
		want string
	}{
		{"no errors", Answered(&wire.Response{Data: []byte(`{"a":1}`)}), "ok"},
		{"errors beside data", Answered(&wire.Response{Data: []byte(`{"a":null}`), Errors: []*wire.Error{{Message: "x"}}}), "graphql_error"},
		{"errors, data null", Answered(&wire.Response{Data: []byte(`null`), Errors: []*wire.Error{{Message: "x"}}}), "error"},
		{"errors, no data", Answered(&wire.Response{Errors: []*wire.Error{{Message: "x"}}}), "error"},
		{"rejected", Refused(request.Rejected), "rejected"},
		{"limited", Refused(request.Limited), "limited"},
		{"unauthenticated", Refused(request.Unauthenticated), "unauthenticated"},
		{"blocked", Refused(request.Blocked), "blocked"},
		{"not allowed", Refused(request.NotAllowed), "not_allowed"},
		{"failed", Refused(request.Failed), "error"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got.String() != tc.want {
				t.Fatalf("outcome %s, want %s", tc.got, tc.want)
			}
		})
	}
}

func TestFetchMiddleware(t *testing.T) {
	cases := []struct {
		name   string
		resp   *wire.SubgraphResponse
		err    error
		reason string // "" when the fetch did not fail
	}{
		{"ok", &wire.SubgraphResponse{Data: map[string]any{"a": 1}}, nil, ""},
		{"graphql errors", &wire.SubgraphResponse{Errors: []wire.SubgraphError{{Message: "no"}}}, nil, "graphql"},
		{"timeout", nil, &fetch.Error{Subgraph: "s", Reason: fetch.Timeout, Err: errors.New("slow")}, "timeout"},
		{"circuit open", nil, &fetch.Error{Subgraph: "s", Reason: fetch.CircuitOpen, Err: errors.New("open")}, "circuit_open"},
		{"bulkhead full", nil, &fetch.Error{Subgraph: "s", Reason: fetch.BulkheadFull, Err: errors.New("full")}, "bulkhead_full"},
		{"http status", nil, fmt.Errorf("wrapped: %w", &fetch.StatusError{Subgraph: "s", Status: 502}), "http_status"},
		{"transport", nil, errors.New("connection refused"), "transport"},
		{"deadline", nil, fmt.Errorf("post: %w", context.DeadlineExceeded), "timeout"},
		{"canceled", nil, fmt.Errorf("post: %w", context.Canceled), "canceled"},
		{"too large", nil, fmt.Errorf("read: %w", fetch.ErrOverAllowance), "response_too_large"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m, reg := newRouter(t, Options{})
			var inflight float64
			next := fetch.Func(func(context.Context, *wire.SubgraphRequest, http.Header) (*wire.SubgraphResponse, error) {
				inflight = value(t, reg, "cinegraph_subgraph_inflight_fetches", "subgraph", "s")
				return tc.resp, tc.err
			})
			f := m.Fetch("s", "http://s", next)
			resp, err := f.Fetch(context.Background(), &wire.SubgraphRequest{}, nil)
			if resp != tc.resp || err != tc.err {
				t.Fatalf("the middleware changed the result: %v %v", resp, err)
			}
			if inflight != 1 {
				t.Fatalf("in flight during the fetch: %v", inflight)
			}
			if v := value(t, reg, "cinegraph_subgraph_inflight_fetches", "subgraph", "s"); v != 0 {
				t.Fatalf("in flight after the fetch: %v", v)
			}
			for _, r := range reasonNames {
				want := 0.0
				if r == tc.reason {
					want = 1
				}
				if got := value(t, reg, "cinegraph_subgraph_fetch_errors_total", "subgraph", "s", "reason", r); got != want {
					t.Errorf("fetch errors %s = %v, want %v", r, got, want)
				}
			}
			if n := value(t, reg, "cinegraph_subgraph_fetch_duration_seconds", "subgraph", "s"); n != 1 {
				t.Fatalf("%v fetches timed, want 1", n)
			}
		})
	}
}

func TestNilRouterCountsNothing(t *testing.T) {
	var m *Router
	m.Done(m.Begin(), "A", true, Query, OK)
	m.PlanCache(true)
	if m.Websockets() != nil || m.Upstreams() != nil || m.Delivered() != nil || m.Dropped() != nil {
		t.Fatal("a nil Router hands out metrics")
	}
	next := fetch.Func(func(context.Context, *wire.SubgraphRequest, http.Header) (*wire.SubgraphResponse, error) {
		return nil, nil
	})
	if f := m.Fetch("s", "u", next); f == nil {
		t.Fatal("no fetcher")
	}
}

func TestSubscriptionsAreNotTimed(t *testing.T) {
	m, reg := newRouter(t, Options{})
	m.Done(m.Begin(), "S", true, Subscription, OK)
	m.Done(m.Begin().Add(-time.Second), "Q", true, Query, OK)
	if n := count(t, reg, "cinegraph_router_request_duration_seconds"); n != 1 {
		t.Fatalf("%d duration series, want the query's only", n)
	}
}

// BenchmarkPerRequest is what metrics add to one request with one fetch:
// Begin and Done, a plan cache lookup and the fetch middleware.
func BenchmarkPerRequest(b *testing.B) {
	m, err := New(prometheus.NewRegistry(), Options{})
	if err != nil {
		b.Fatal(err)
	}
	resp := &wire.SubgraphResponse{Data: map[string]any{"a": 1}}
	f := m.Fetch("s", "http://s", fetch.Func(func(context.Context, *wire.SubgraphRequest, http.Header) (*wire.SubgraphResponse, error) {
		return resp, nil
	}))
	req := &wire.SubgraphRequest{}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			start := m.Begin()
			m.PlanCache(true)
			if _, err := f.Fetch(context.Background(), req, nil); err != nil {
				b.Fatal(err)
			}
			m.Done(start, "Top", true, Query, OK)
		}
	})
}
