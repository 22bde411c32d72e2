package router

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/router/limits"
	"github.com/cinegraph/cinegraph/router/limits/limitstest"
	"github.com/cinegraph/cinegraph/router/wire"
)

// attackRouter is a router over the fake federation of limitstest.
func attackRouter(t testing.TB, fetcher interface {
	Fetch(context.Context, string, *wire.SubgraphRequest, http.Header) (*wire.SubgraphResponse, error)
}, lim limits.Config, logger *slog.Logger) *Router {
	t.Helper()
	sdl, err := limitstest.Supergraph()
	if err != nil {
		t.Fatal(err)
	}
	r, err := New(Config{SupergraphSDL: sdl, Fetcher: fetcher, Limits: lim, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

type gqlResponse struct {
	Data   json.RawMessage `json:"data"`
	Errors []struct {
		Message    string         `json:"message"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
}

func post(t testing.TB, h http.Handler, query string) gqlResponse {
	t.Helper()
	b, _ := json.Marshal(map[string]any{"query": query})
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var out gqlResponse
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
		t.Fatalf("%v: %.300s", err, rec.Body.String())
	}
	return out
}

// TestAttacksAreBounded sends each attack and asserts that a limit refuses
// it with a coded error naming the limit, within a budget of allocated
// bytes and subgraph fetches: the work it cost, whatever the machine. The
// data-driven attacks run against smaller data and a smaller response
// limit than the defaults, so that the test stays cheap. Not parallel: it
// reads the process's allocation counters.
func TestAttacksAreBounded(t *testing.T) {
	lim := limits.Config{MaxResponseBytes: 1 << 20}
	for _, a := range limitstest.Attacks() {
		t.Run(a.Name, func(t *testing.T) {
			// An operation limit refuses before any fetch.
			var allocBudget uint64 = 8 << 20
			var fetchBudget int64
			fake := &limitstest.Subgraphs{Fanout: 4, MaxList: 50_000}
			r := attackRouter(t, fake, lim, nil)
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			resp := post(t, r, a.Query)
			runtime.ReadMemStats(&after)
			if len(resp.Errors) != 1 {
				t.Fatalf("want one error, got %.300s / %+v", resp.Data, resp.Errors)
			}
			e := resp.Errors[0]
			if e.Extensions["code"] != "BAD_USER_INPUT" || e.Extensions["limit"] != a.Limit || !strings.Contains(e.Message, "exceeds the "+a.Limit+" limit (") {
				t.Errorf("error = %+v, want BAD_USER_INPUT naming the %s limit", e, a.Limit)
			}
			if got := after.TotalAlloc - before.TotalAlloc; got > allocBudget {
				t.Errorf("allocated %d KiB, budget %d KiB", got>>10, allocBudget>>10)
			}
			if got := fake.Fetches(); got > fetchBudget {
				t.Errorf("%d subgraph fetches, budget %d", got, fetchBudget)
			}
		})
	}
}

// TestResponseSizeIsBounded: with demand control out of the way, the
// attacks whose cost grows with the data are still stopped by the response
// size limit, within a bounded number of fetches and allocations.
func TestResponseSizeIsBounded(t *testing.T) {
	lim := limits.Config{MaxResponseBytes: 1 << 20, MaxCost: math.MaxInt}
	for _, a := range limitstest.Attacks() {
		if a.Limit != limits.Cost {
			continue
		}
		t.Run(a.Name, func(t *testing.T) {
			fake := &limitstest.Subgraphs{Fanout: 4, MaxList: 50_000}
			r := attackRouter(t, fake, lim, nil)
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			resp := post(t, r, a.Query)
			runtime.ReadMemStats(&after)
			if len(resp.Errors) != 1 || resp.Errors[0].Extensions["limit"] != "response size" {
				t.Fatalf("want one response size error, got %.300s / %+v", resp.Data, resp.Errors)
			}
			if got := after.TotalAlloc - before.TotalAlloc; got > 128<<20 {
				t.Errorf("allocated %d KiB, budget %d KiB", got>>10, 128<<10)
			}
			if got := fake.Fetches(); got > 25 {
				t.Errorf("%d subgraph fetches, budget 25", got)
			}
		})
	}
}

// TestRefusedBeforeValidation: the operation limits refuse an attack for
// less than validating it would cost, so validation never sees one.
func TestRefusedBeforeValidation(t *testing.T) {
	r := attackRouter(t, &limitstest.Subgraphs{}, limits.Config{}, nil)
	for _, q := range []string{limitstest.FragmentBomb(30), "{" + strings.Repeat(" __typename", 15_000) + " }"} {
		allocs := testing.AllocsPerRun(1, func() {
			if p := r.parse(context.Background(), q, ""); p.errs == nil {
				t.Fatalf("%.40q was not refused", q)
			}
		})
		if allocs > 1_000 {
			t.Errorf("%d allocations to refuse %.40q", int(allocs), q)
		}
	}
}

// TestValidationWorkIsBounded validates the costliest documents the default
// limits accept and holds validation to a budget of allocations, which
// grows with the comparisons of OverlappingFieldsCanBeMerged: the limits
// keep validation linear in the document. Not parallel: AllocsPerRun.
func TestValidationWorkIsBounded(t *testing.T) {
	r := attackRouter(t, &limitstest.Subgraphs{}, limits.Config{}, nil)
	shapes := map[string]string{
		"200 repeats on one path":     `{ title(id: "t") {` + strings.Repeat(" __typename", 201) + " } }",
		"67 root fields, 198 repeats": "{" + strings.Repeat(` title(id: "t") { id name }`, 67) + " }",
		"971 fields, 80 aliases": `{ title(id: "t") {` + strings.Repeat(" videos { id name title { id name videos { id name title { id } } } }", 1) +
			aliasedChains(80) + " } }",
	}
	for name, q := range shapes {
		allocs := testing.AllocsPerRun(1, func() {
			if p := r.parse(context.Background(), q, ""); p.errs != nil {
				t.Fatalf("%s: %v", name, p.errs)
			}
		})
		t.Logf("%s: %.0f allocations", name, allocs)
		if allocs > 60_000 {
			t.Errorf("%s: %.0f allocations to validate", name, allocs)
		}
	}
}

// aliasedChains is n aliased videos chains of twelve fields.
func aliasedChains(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, " v%d: videos { id name title { id name videos { id name title { id name } } } }", i)
	}
	return b.String()
}

func TestDefaultsAnswerLegalOperations(t *testing.T) {
	t.Parallel()
	r := attackRouter(t, &limitstest.Subgraphs{Fanout: 2}, limits.Config{}, nil)
	// Chain(8) walks videos three levels deep: an estimated cost of about
	// 1,100 at the default list size of 10.
	for _, q := range []string{limitstest.Chain(8), limitstest.Aliases(100), limitstest.FragmentBomb(4), `{ titles(first: 500) { id name } }`} {
		if resp := post(t, r, q); len(resp.Errors) > 0 || len(resp.Data) < 10 {
			t.Errorf("%.60q: %.200s %+v", q, resp.Data, resp.Errors)
		}
	}
}

func TestDepthIsAClientError(t *testing.T) {
	t.Parallel()
	r := attackRouter(t, &limitstest.Subgraphs{}, limits.Config{}, nil)
	for _, warnOnly := range []bool{false, true} {
		r := r
		if warnOnly {
			r = attackRouter(t, &limitstest.Subgraphs{}, limits.Config{WarnOnly: true}, nil)
		}
		b, _ := json.Marshal(map[string]any{"query": limitstest.Chain(300)})
		req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(b))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/graphql-response+json")
		rec := httptest.NewRecorder()
		r.ServeHTTP(rec, req)
		want := "operation exceeds the depth limit (300 > 32)"
		if warnOnly {
			// Past what the planner builds: refused all the same.
			want = "operation exceeds the nesting limit (299 > 256)"
		}
		var resp gqlResponse
		if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil || rec.Code != http.StatusBadRequest || len(resp.Errors) != 1 ||
			resp.Errors[0].Message != want || resp.Errors[0].Extensions["code"] != "BAD_USER_INPUT" {
			t.Errorf("warn-only %v: HTTP %d %.300s", warnOnly, rec.Code, rec.Body.String())
		}
	}
}

func TestWarnOnlyLogsAndAnswers(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	r := attackRouter(t, &limitstest.Subgraphs{}, limits.Config{WarnOnly: true}, slog.New(slog.NewTextHandler(&logs, nil)))
	resp := post(t, r, limitstest.Aliases(150))
	if len(resp.Errors) > 0 || !strings.Contains(string(resp.Data), `"a149":"name of`) {
		t.Fatalf("%.200s %+v", resp.Data, resp.Errors)
	}
	if !strings.Contains(logs.String(), "limit=alias value=150 max=100") {
		t.Fatalf("logs: %s", logs.String())
	}
	// A fragment bomb is over what the planner builds: refused all the same.
	resp = post(t, r, limitstest.FragmentBomb(30))
	if len(resp.Errors) != 1 || resp.Errors[0].Extensions["limit"] != limits.Selections {
		t.Fatalf("%+v", resp.Errors)
	}
}

// blockingSubgraphs wait for the fetch's context to end and report why.
type blockingSubgraphs struct {
	started chan struct{}
	ended   chan error
}

func newBlockingSubgraphs() *blockingSubgraphs {
	return &blockingSubgraphs{started: make(chan struct{}, 16), ended: make(chan error, 16)}
}

func (b *blockingSubgraphs) Fetch(ctx context.Context, _ string, _ *wire.SubgraphRequest, _ http.Header) (*wire.SubgraphResponse, error) {
	b.started <- struct{}{}
	<-ctx.Done()
	b.ended <- context.Cause(ctx)
	return nil, ctx.Err()
}

// waitFor guards a test against a hang; it measures nothing.
func waitFor[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(time.Minute):
		t.Fatalf("no %s", what)
		panic("unreachable")
	}
}

func TestDeadlineCoversThePlan(t *testing.T) {
	t.Parallel()
	b := newBlockingSubgraphs()
	r := attackRouter(t, b, limits.Config{Timeout: 10 * time.Millisecond}, nil)
	resp := post(t, r, `{ title(id: "t") { name videos { name } } }`)
	if cause := waitFor(t, b.ended, "end of the fetch"); cause == nil || !strings.Contains(cause.Error(), "time limit") {
		t.Fatalf("the fetch ended with %v", cause)
	}
	if string(resp.Data) != "null" || len(resp.Errors) != 1 || resp.Errors[0].Message != "request exceeds the time limit (10ms)" || resp.Errors[0].Extensions["code"] != "UNAVAILABLE" {
		t.Fatalf("%s %+v", resp.Data, resp.Errors)
	}
}

// TestClientGoneCancelsFetches sends a request over loopback, goes away
// while its fetch is in flight, and checks that the fetch saw its context
// end: the request context reaches every fetch.
func TestClientGoneCancelsFetches(t *testing.T) {
	t.Parallel()
	b := newBlockingSubgraphs()
	srv := httptest.NewServer(attackRouter(t, b, limits.Config{Timeout: time.Hour}, nil))
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL, strings.NewReader(`{"query":"{ title(id: \"t\") { name } }"}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	done := make(chan error, 1)
	go func() {
		resp, err := srv.Client().Do(req)
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		done <- err
	}()
	waitFor(t, b.started, "fetch")
	cancel()
	if cause := waitFor(t, b.ended, "end of the fetch"); !errors.Is(cause, context.Canceled) {
		t.Fatalf("the fetch ended with %v, want context.Canceled", cause)
	}
	if err := waitFor(t, done, "client return"); !errors.Is(err, context.Canceled) {
		t.Fatalf("client: %v", err)
	}
}
