package resilience_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/internal/health"
	"github.com/cinegraph/cinegraph/router"
	"github.com/cinegraph/cinegraph/router/compose"
	"github.com/cinegraph/cinegraph/router/fetch"
	"github.com/cinegraph/cinegraph/router/internal/testsubgraph"
	"github.com/cinegraph/cinegraph/router/resilience"
	"github.com/cinegraph/cinegraph/router/wire"
)

// gate stands in front of a test subgraph: it passes requests through,
// fails them with HTTP 503, or holds them until released or the test ends.
type gate struct {
	sg   *testsubgraph.Subgraph
	held chan struct{} // one value per request held, for tests to wait on

	mu       sync.Mutex
	mode     string // "pass", "fail" or "hang"
	failNext int    // requests to fail before the mode applies
	release  chan struct{}
	hits     int
}

func newGate(t *testing.T, sg *testsubgraph.Subgraph) (*gate, string) {
	g := &gate{sg: sg, mode: "pass", held: make(chan struct{}, 64), release: make(chan struct{})}
	srv := httptest.NewServer(g)
	// Handlers still holding requests return once the test ends.
	t.Cleanup(srv.Close)
	t.Cleanup(func() { g.set("pass") })
	return g, srv.URL
}

func (g *gate) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	g.mu.Lock()
	g.hits++
	mode, release := g.mode, g.release
	if g.failNext > 0 {
		g.failNext--
		mode = "fail"
	}
	g.mu.Unlock()
	switch mode {
	case "fail":
		http.Error(w, "unavailable", http.StatusServiceUnavailable)
		return
	case "hang":
		select {
		case g.held <- struct{}{}:
		default:
		}
		select {
		case <-release:
		case <-r.Context().Done():
			return
		}
	}
	g.sg.ServeHTTP(w, r)
}

// set changes the mode; leaving "hang" lets the held requests through.
func (g *gate) set(mode string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.mode == "hang" && mode != "hang" {
		close(g.release)
		g.release = make(chan struct{})
	}
	g.mode = mode
}

func (g *gate) failNextRequests(n int) {
	g.mu.Lock()
	g.failNext = n
	g.mu.Unlock()
}

func (g *gate) hitCount() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.hits
}

// federation is a router in front of two subgraphs over loopback HTTP:
// catalog owns titles and a mutation, video adds each title's trailer.
type federation struct {
	router         http.Handler
	guard          *resilience.Guard
	catalog, video *gate
	logs           *syncBuffer
}

const fedLink = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
`

func newFederation(t *testing.T, cfg resilience.Config) *federation {
	t.Helper()
	titles := map[string]map[string]any{"1": {"id": "1", "name": "Heat"}}
	catalogSG, err := testsubgraph.New("catalog", `
type Query { title(id: ID!): Title }
type Mutation { rename(id: ID!, name: String!): Title }
type Title { id: ID! name: String! }`,
		map[string]testsubgraph.Resolver{
			"Query.title": func(_ context.Context, _, args map[string]any) (any, error) { return titles[args["id"].(string)], nil },
			"Mutation.rename": func(_ context.Context, _, args map[string]any) (any, error) {
				return map[string]any{"id": args["id"], "name": args["name"]}, nil
			},
		}, nil)
	if err != nil {
		t.Fatal(err)
	}
	videoSG, err := testsubgraph.New("video", `
type Query { videoVersion: Int }
type Title { id: ID! trailerUrl: String }`, nil,
		map[string]testsubgraph.EntityResolver{
			"Title": func(_ context.Context, rep map[string]any) (any, error) {
				return map[string]any{"__typename": "Title", "id": rep["id"], "trailerUrl": "https://cdn.example/" + rep["id"].(string)}, nil
			},
		})
	if err != nil {
		t.Fatal(err)
	}
	f := &federation{logs: &syncBuffer{}}
	var catalogURL, videoURL string
	f.catalog, catalogURL = newGate(t, catalogSG)
	f.video, videoURL = newGate(t, videoSG)
	sdl, err := compose.Compose([]compose.Subgraph{
		{Name: "catalog", URL: catalogURL, SDL: fedLink + `
			type Query { title(id: ID!): Title }
			type Mutation { rename(id: ID!, name: String!): Title }
			type Title @key(fields: "id") { id: ID! name: String! }`},
		{Name: "video", URL: videoURL, SDL: fedLink + `
			type Query { videoVersion: Int }
			type Title @key(fields: "id") { id: ID! trailerUrl: String }`},
	})
	if err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(f.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	f.guard, err = resilience.New(cfg, logger)
	if err != nil {
		t.Fatal(err)
	}
	rt, err := router.New(router.Config{SupergraphSDL: sdl, FetchMiddleware: []fetch.Middleware{f.guard.Middleware}, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	f.router = rt
	return f
}

type gqlError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

type gqlResult struct {
	Data   map[string]any `json:"data"`
	Errors []gqlError     `json:"errors"`
}

func (f *federation) do(t *testing.T, query string) gqlResult {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query})
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	f.router.ServeHTTP(rec, req)
	var out gqlResult
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
		t.Fatalf("status %d, body %s: %v", rec.Code, rec.Body, err)
	}
	return out
}

// reason is the single error's extensions.reason ("" for a plain
// failure), after checking the error's shape.
func reason(t *testing.T, res gqlResult, service string) string {
	t.Helper()
	if len(res.Errors) != 1 {
		t.Fatalf("got errors %+v, want one", res.Errors)
	}
	e := res.Errors[0]
	if e.Extensions["code"] != "UNAVAILABLE" || e.Extensions["serviceName"] != service {
		t.Fatalf("error %+v, want UNAVAILABLE from %s", e, service)
	}
	r, _ := e.Extensions["reason"].(string)
	return r
}

const withTrailer = `{ title(id: "1") { name trailerUrl } }`

// cutOff sends withTrailer while video hangs until the breaker refuses it,
// failing the test when that takes more than 8 requests.
func (f *federation) cutOff(t *testing.T) {
	t.Helper()
	for i := 1; i <= 8; i++ {
		res := f.do(t, withTrailer)
		if name := title(res)["name"]; name != "Heat" {
			t.Fatalf("request %d: title %v, want catalog's part served", i, res.Data)
		}
		switch r := reason(t, res, "video"); r {
		case "CIRCUIT_OPEN":
			return
		case "TIMEOUT":
		default:
			t.Fatalf("request %d: reason %q, want TIMEOUT or CIRCUIT_OPEN", i, r)
		}
	}
	t.Fatal("the breaker is still closed after 8 requests to a hung subgraph")
}

func title(res gqlResult) map[string]any {
	m, _ := res.Data["title"].(map[string]any)
	return m
}

func TestHungSubgraphIsCutOff(t *testing.T) {
	t.Parallel()
	f := newFederation(t, resilience.Config{Default: resilience.Policy{
		Timeout: 100 * time.Millisecond,
		Breaker: resilience.Breaker{OpenFor: time.Hour},
	}})
	f.video.set("hang")
	f.cutOff(t)

	hits := f.video.hitCount()
	start := time.Now()
	res := f.do(t, withTrailer)
	if took := time.Since(start); took > time.Second {
		t.Errorf("an open breaker took %s to answer", took)
	}
	if r := reason(t, res, "video"); r != "CIRCUIT_OPEN" {
		t.Fatalf("reason %q, want CIRCUIT_OPEN", r)
	}
	if p := res.Errors[0].Path; len(p) != 1 || p[0] != "title" {
		t.Errorf("error path %v, want [title]", p)
	}
	if title(res)["name"] != "Heat" || title(res)["trailerUrl"] != nil {
		t.Errorf("data %v, want the name without a trailer", res.Data)
	}
	if n := f.video.hitCount(); n != hits {
		t.Errorf("the open breaker let %d requests through", n-hits)
	}
	if res := f.do(t, `{ title(id: "1") { name } }`); len(res.Errors) != 0 || title(res)["name"] != "Heat" {
		t.Errorf("a query without video got %+v", res)
	}
	if b := f.guard.Report()["video"].Breaker; b != "open" {
		t.Errorf("video's breaker is %s, want open", b)
	}
	if b := f.guard.Report()["catalog"].Breaker; b != "closed" {
		t.Errorf("catalog's breaker is %s, want closed", b)
	}
}

// Clients that go away while their fetch waits say nothing about the
// subgraph: a burst of them must not open the breaker of a healthy one.
func TestCancelledFetchesDoNotOpenTheBreaker(t *testing.T) {
	t.Parallel()
	f := newFederation(t, resilience.Config{Default: resilience.Policy{
		Timeout: time.Minute,
		Breaker: resilience.Breaker{OpenFor: time.Hour},
	}})
	f.video.set("hang")
	for i := 0; i < 20; i++ {
		body, _ := json.Marshal(map[string]any{"query": withTrailer})
		ctx, cancel := context.WithCancel(context.Background())
		req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body)).WithContext(ctx)
		req.Header.Set("Content-Type", "application/json")
		done := make(chan struct{})
		go func() {
			defer close(done)
			f.router.ServeHTTP(httptest.NewRecorder(), req)
		}()
		select {
		case <-f.video.held: // the fetch reached the hung subgraph
			cancel()
			<-done
		case <-done:
			cancel()
			t.Fatalf("request %d was answered without reaching video; its breaker is %s", i+1, f.guard.Report()["video"].Breaker)
		}
	}
	if b := f.guard.Report()["video"].Breaker; b != "closed" {
		t.Fatalf("video's breaker is %s after 20 cancelled fetches, want closed", b)
	}
	f.video.set("pass")
	if res := f.do(t, withTrailer); len(res.Errors) != 0 || title(res)["trailerUrl"] != "https://cdn.example/1" {
		t.Fatalf("after the cancellations got %+v, want the trailer", res)
	}
}

func TestBreakerClosesWhenSubgraphRecovers(t *testing.T) {
	t.Parallel()
	f := newFederation(t, resilience.Config{Default: resilience.Policy{
		Timeout: 100 * time.Millisecond,
		Breaker: resilience.Breaker{OpenFor: 100 * time.Millisecond, HalfOpenProbes: 2},
	}})
	f.video.set("hang")
	f.cutOff(t)
	f.video.set("pass")

	deadline := time.Now().Add(10 * time.Second)
	for {
		res := f.do(t, withTrailer)
		if len(res.Errors) == 0 && f.guard.Report()["video"].Breaker == "closed" {
			if title(res)["trailerUrl"] != "https://cdn.example/1" {
				t.Fatalf("data %v, want the trailer", res.Data)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the breaker did not close after the subgraph recovered: %+v, %+v", res, f.guard.Report()["video"])
		}
		time.Sleep(20 * time.Millisecond)
	}
	logs := f.logs.String()
	half := strings.Index(logs, `msg="subgraph circuit breaker half-open"`)
	closed := strings.LastIndex(logs, `msg="subgraph circuit breaker closed"`)
	if half < 0 || closed < half {
		t.Errorf("the breaker did not close through half-open; logs:\n%s", logs)
	}
}

// While one breaker refuses fetches, the other must not count the refusals
// as the subgraph's failures: the failure-rate breaker would open in turn
// and keep a recovered subgraph cut off for another OpenFor.
func TestRefusalsAreNotFailures(t *testing.T) {
	t.Parallel()
	f := newFederation(t, resilience.Config{Default: resilience.Policy{
		Timeout: 100 * time.Millisecond,
		Breaker: resilience.Breaker{OpenFor: time.Hour, MinRequests: 20, FailureRate: 50},
	}})
	f.video.set("hang")
	f.cutOff(t)
	for i := 0; i < 40; i++ {
		if r := reason(t, f.do(t, withTrailer), "video"); r != "CIRCUIT_OPEN" {
			t.Fatalf("request %d: reason %q, want CIRCUIT_OPEN", i+1, r)
		}
	}
	if logs := f.logs.String(); strings.Contains(logs, `rule="failure rate"`) {
		t.Errorf("the failure-rate breaker counted the other's refusals and opened:\n%s", logs)
	}
}

func TestBulkheadRefusesTheExcess(t *testing.T) {
	t.Parallel()
	f := newFederation(t, resilience.Config{Default: resilience.Policy{
		Timeout:  time.Minute,
		Bulkhead: resilience.Bulkhead{MaxConcurrent: 2, MaxWait: 10 * time.Millisecond},
	}})
	f.video.set("hang")
	results := make(chan gqlResult, 2)
	for range 2 {
		go func() { results <- f.do(t, withTrailer) }()
	}
	for range 2 {
		select {
		case <-f.video.held:
		case <-time.After(10 * time.Second):
			t.Fatal("the first two fetches did not reach the subgraph")
		}
	}
	start := time.Now()
	res := f.do(t, withTrailer)
	if took := time.Since(start); took > time.Second {
		t.Errorf("a full bulkhead took %s to answer", took)
	}
	if r := reason(t, res, "video"); r != "BULKHEAD_FULL" {
		t.Fatalf("reason %q, want BULKHEAD_FULL", r)
	}
	if f.video.hitCount() != 2 {
		t.Errorf("the subgraph got %d requests, want 2", f.video.hitCount())
	}
	f.video.set("pass")
	for range 2 {
		if res := <-results; len(res.Errors) != 0 || title(res)["trailerUrl"] == nil {
			t.Errorf("a held fetch ended with %+v", res)
		}
	}
}

func TestOnlyQueriesAreRetried(t *testing.T) {
	t.Parallel()
	f := newFederation(t, resilience.Config{})

	f.catalog.failNextRequests(1)
	before := f.catalog.hitCount()
	res := f.do(t, `{ title(id: "1") { name } }`)
	if len(res.Errors) != 0 || title(res)["name"] != "Heat" {
		t.Fatalf("a query failing once got %+v, want it retried and served", res)
	}
	if n := f.catalog.hitCount() - before; n != 2 {
		t.Errorf("the query reached catalog %d times, want 2", n)
	}

	f.catalog.failNextRequests(1)
	before = f.catalog.hitCount()
	res = f.do(t, `mutation { rename(id: "1", name: "Heat (1995)") { name } }`)
	if r := reason(t, res, "catalog"); r != "" {
		t.Errorf("reason %q, want a plain failure", r)
	}
	if n := f.catalog.hitCount() - before; n != 1 {
		t.Errorf("the mutation reached catalog %d times, want exactly once", n)
	}
}

func TestReadinessReportsEverySubgraph(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name       string
		required   []string
		wantStatus int
	}{
		{"optional subgraph down", nil, http.StatusOK},
		{"required subgraph down", []string{"video"}, http.StatusServiceUnavailable},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFederation(t, resilience.Config{
				Health:   resilience.Health{Interval: 20 * time.Millisecond},
				Required: tc.required,
			})
			f.video.set("fail")
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan struct{})
			go func() { defer close(done); f.guard.Run(ctx) }()
			defer func() { cancel(); <-done }()
			checker := health.New()
			f.guard.Register(checker)
			mux := http.NewServeMux()
			checker.Register(mux)

			deadline := time.Now().Add(10 * time.Second)
			for {
				rec := httptest.NewRecorder()
				mux.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/health/ready", nil))
				var body struct {
					Checks  map[string]string `json:"checks"`
					Details struct {
						Subgraphs map[string]resilience.InstanceReport `json:"subgraphs"`
					} `json:"details"`
				}
				if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
					t.Fatalf("%s: %v", rec.Body, err)
				}
				sgs := body.Details.Subgraphs
				if sgs["video"].Status == resilience.StatusDown && sgs["catalog"].Status == resilience.StatusUp {
					if rec.Code != tc.wantStatus {
						t.Errorf("status %d, want %d: %s", rec.Code, tc.wantStatus, rec.Body)
					}
					if sgs["video"].Breaker != "closed" || sgs["video"].Required != (tc.required != nil) || sgs["video"].Error == "" {
						t.Errorf("video reported as %+v", sgs["video"])
					}
					if tc.required != nil && !strings.Contains(body.Checks["router:video"], "down") {
						t.Errorf("checks %v, want router:video down", body.Checks)
					}
					return
				}
				if time.Now().After(deadline) {
					t.Fatalf("the active checks did not find video down and catalog up: %s", rec.Body)
				}
				time.Sleep(10 * time.Millisecond)
			}
		})
	}
}

// syncBuffer collects logs written from several goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

var _ io.Writer = (*syncBuffer)(nil)

// A response over the request's allowance is the client's doing: it is
// neither retried nor counted against the subgraph's breakers.
func TestOverAllowanceIsNotTheSubgraphs(t *testing.T) {
	t.Parallel()
	g, err := resilience.New(resilience.Config{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	calls := 0
	next := fetch.Func(func(context.Context, *wire.SubgraphRequest, http.Header) (*wire.SubgraphResponse, error) {
		calls++
		return nil, fmt.Errorf("response from catalog: %w", fetch.ErrOverAllowance)
	})
	f := g.Middleware("catalog", "http://catalog.invalid", next)
	n := 3 * resilience.DefaultConsecutiveFailures
	for range n {
		_, err := f.Fetch(context.Background(), &wire.SubgraphRequest{Query: "{a}", OperationKind: "query"}, nil)
		if !errors.Is(err, fetch.ErrOverAllowance) {
			t.Fatalf("err = %v, want ErrOverAllowance (the breaker stays closed)", err)
		}
	}
	if calls != n {
		t.Fatalf("%d fetches reached the subgraph for %d requests, want one each", calls, n)
	}
}
