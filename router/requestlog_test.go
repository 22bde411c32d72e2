package router

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/internal/logging"
	"github.com/cinegraph/cinegraph/router/auth"
	"github.com/cinegraph/cinegraph/router/fetch"
	"github.com/cinegraph/cinegraph/router/tracing"
	"github.com/cinegraph/cinegraph/router/wire"
)

// timingsQuery fetches from products, then reviews for every product.
const timingsQuery = `query Top { topProducts { name reviews { body } } }`

// postJSON sends body to h with header and returns the recorder.
func postJSON(t *testing.T, h http.Handler, body map[string]any, header map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	b, _ := json.Marshal(body)
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// TestTimings: a client allowed to see timings gets one entry per fetch
// with plausible values; one that is not allowed, or does not ask, gets
// none.
func TestTimings(t *testing.T) {
	t.Parallel()
	d := newDemo(t)
	iss := newIssuer(t)
	authn, err := auth.New(t.Context(), auth.Config{KeySets: []auth.KeySet{{File: iss.jwks}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = authn.Close() })
	admin := "Bearer " + iss.token(t, "profile-1", "viewer admin")
	viewer := "Bearer " + iss.token(t, "profile-2", "viewer")
	// retryOnce sends every fetch twice, as a retry policy would after a
	// failure: the timings count both attempts.
	retryOnce := func(_, _ string, next fetch.Fetcher) fetch.Fetcher {
		return fetch.Func(func(ctx context.Context, req *wire.SubgraphRequest, h http.Header) (*wire.SubgraphResponse, error) {
			if _, err := next.Fetch(ctx, req, h); err != nil {
				return nil, err
			}
			return next.Fetch(ctx, req, h)
		})
	}
	tests := []struct {
		name     string
		mod      func(*Config)
		header   map[string]string
		ext      map[string]any
		want     bool
		attempts int
	}{
		{"plan header, no auth", func(c *Config) { c.PlanHeader = "X-Plan" }, map[string]string{"X-Plan": "true"}, nil, true, 1},
		{"extensions.timings, no auth", func(c *Config) { c.PlanHeader = "X-Plan" }, nil, map[string]any{"timings": true}, true, 1},
		{"retried fetches", func(c *Config) { c.PlanHeader = "X-Plan"; c.FetchMiddleware = []fetch.Middleware{retryOnce} }, map[string]string{"X-Plan": "true"}, nil, true, 2},
		{"not asked", func(c *Config) { c.PlanHeader = "X-Plan" }, nil, nil, false, 0},
		{"extensions.plan asks for the plan only", func(c *Config) { c.PlanHeader = "X-Plan" }, nil, map[string]any{"plan": true}, false, 0},
		{"no plan header configured", nil, map[string]string{"X-Plan": "true"}, map[string]any{"timings": true}, false, 0},
		{"auth, admin scope", func(c *Config) { c.PlanHeader = "X-Plan"; c.Auth = authn; c.TimingsScope = "admin" }, map[string]string{"X-Plan": "true", "Authorization": admin}, nil, true, 1},
		{"auth, viewer scope", func(c *Config) { c.PlanHeader = "X-Plan"; c.Auth = authn; c.TimingsScope = "admin" }, map[string]string{"X-Plan": "true", "Authorization": viewer}, nil, false, 0},
		{"auth, anonymous", func(c *Config) { c.PlanHeader = "X-Plan"; c.Auth = authn; c.TimingsScope = "admin" }, map[string]string{"X-Plan": "true"}, nil, false, 0},
		{"auth, no scope required", func(c *Config) { c.PlanHeader = "X-Plan"; c.Auth = authn }, map[string]string{"X-Plan": "true", "Authorization": viewer}, nil, true, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := d.router(t, func(c *Config) {
				c.MergeOperations = nil
				if tc.mod != nil {
					tc.mod(c)
				}
			})
			body := map[string]any{"query": timingsQuery}
			if tc.ext != nil {
				body["extensions"] = tc.ext
			}
			began := time.Now()
			rec := postJSON(t, r, body, tc.header)
			elapsed := float64(time.Since(began).Microseconds()) / 1000
			var resp struct {
				Data       map[string]any `json:"data"`
				Errors     []any          `json:"errors"`
				Extensions struct {
					Timings *struct {
						TotalMs float64 `json:"total_ms"`
						Fetches []struct {
							Subgraph   string   `json:"subgraph"`
							Path       []string `json:"path"`
							StartMs    float64  `json:"start_ms"`
							DurationMs float64  `json:"duration_ms"`
							Attempts   int      `json:"attempts"`
							Error      bool     `json:"error"`
						} `json:"fetches"`
					} `json:"timings"`
				} `json:"extensions"`
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil || rec.Code != http.StatusOK || len(resp.Errors) > 0 {
				t.Fatalf("status %d, %v: %s", rec.Code, err, rec.Body)
			}
			tm := resp.Extensions.Timings
			if !tc.want {
				if tm != nil || strings.Contains(rec.Body.String(), `"timings"`) {
					t.Fatalf("timings shown: %s", rec.Body)
				}
				return
			}
			if tm == nil {
				t.Fatalf("no timings: %s", rec.Body)
			}
			if len(tm.Fetches) != 2 {
				t.Fatalf("%d fetches, want 2: %s", len(tm.Fetches), rec.Body)
			}
			root, ents := tm.Fetches[0], tm.Fetches[1]
			if root.Subgraph != "products" || len(root.Path) != 0 || ents.Subgraph != "reviews" || strings.Join(ents.Path, ".") != "topProducts.@" {
				t.Errorf("fetches %+v", tm.Fetches)
			}
			if tm.TotalMs <= 0 || tm.TotalMs > elapsed {
				t.Errorf("total_ms %v, the request took %v", tm.TotalMs, elapsed)
			}
			for _, f := range tm.Fetches {
				if f.StartMs < 0 || f.DurationMs <= 0 || f.StartMs+f.DurationMs > tm.TotalMs || f.Attempts != tc.attempts || f.Error {
					t.Errorf("fetch %+v in total %v, want %d attempts", f, tm.TotalMs, tc.attempts)
				}
			}
			if ents.StartMs < root.StartMs+root.DurationMs {
				t.Errorf("the entity fetch started at %v, before its root fetch ended at %v", ents.StartMs, root.StartMs+root.DurationMs)
			}
		})
	}
}

// TestRequestID: every response carries the request's id, the client's
// when it is sane, and subgraphs receive the same.
func TestRequestID(t *testing.T) {
	t.Parallel()
	d := newDemo(t)
	r := d.router(t, nil)
	tests := []struct {
		name, sent string
		kept       bool
	}{
		{"none sent", "", false},
		{"sane", "client-id-1", true},
		{"forging a log field", "x level=ERROR", false},
		{"too long", strings.Repeat("a", logging.MaxRequestIDLen+1), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// Not parallel: the subgraph's requests are counted.
			header := map[string]string{}
			if tc.sent != "" {
				header["X-Request-Id"] = tc.sent
			}
			before := len(d.subgraphs["products"].Requests())
			rec := postJSON(t, r, map[string]any{"query": `{ topProducts { name } }`}, header)
			id := rec.Header().Get("X-Request-Id")
			if !logging.SaneRequestID(id) || (id == tc.sent) != tc.kept {
				t.Fatalf("X-Request-Id %q for %q sent", id, tc.sent)
			}
			reqs := d.subgraphs["products"].Requests()
			if len(reqs) != before+1 || reqs[len(reqs)-1].Header.Get("X-Request-Id") != id {
				t.Fatalf("subgraph got X-Request-Id %q, want %q", reqs[len(reqs)-1].Header.Get("X-Request-Id"), id)
			}
		})
	}
}

// lockedBuffer is a log sink written from several goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) lines(t *testing.T) []map[string]any {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(b.buf.String()), "\n") {
		if l == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("%v: %s", err, l)
		}
		out = append(out, m)
	}
	return out
}

// TestRequestLogs: lines logged while serving a request carry its trace
// and span ids, request id and operation; the access log has one line per
// request.
func TestRequestLogs(t *testing.T) {
	t.Parallel()
	var logs lockedBuffer
	logger := logging.New(&logs, config.Log{Level: "debug", Format: "json"})
	tp := sdktrace.NewTracerProvider()
	t.Cleanup(func() { _ = tp.Shutdown(context.Background()) })
	// The fetch fails (a refusal, logged at debug): the line must name
	// the request.
	failing := fetchFunc(func(ctx context.Context, _ string, _ *wire.SubgraphRequest, _ http.Header) (*wire.SubgraphResponse, error) {
		return nil, &fetch.Error{Reason: fetch.CircuitOpen, Err: context.DeadlineExceeded}
	})
	r, err := New(Config{
		SupergraphSDL: demoSDL(t), Fetcher: failing, Logger: logger, AccessLog: true,
		Tracing: tracing.New(tp, propagation.TraceContext{}, tracing.Options{}),
	})
	if err != nil {
		t.Fatal(err)
	}
	rec := postJSON(t, r, map[string]any{"query": `query Top { topProducts { name } }`, "operationName": "Top"}, map[string]string{"X-Request-Id": "req-7"})
	if rec.Code != http.StatusOK {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	var fetchLine, access map[string]any
	for _, l := range logs.lines(t) {
		switch l["msg"] {
		case "subgraph fetch failed":
			fetchLine = l
		case "access":
			if access != nil {
				t.Fatalf("two access lines")
			}
			access = l
		}
	}
	if fetchLine == nil || access == nil {
		t.Fatalf("lines missing: %+v", logs.lines(t))
	}
	traceID, _ := access[logging.KeyTraceID].(string)
	if len(traceID) != 32 {
		t.Fatalf("access line without trace id: %v", access)
	}
	for k, want := range map[string]any{logging.KeyRequestID: "req-7", logging.KeyOperation: "Top", logging.KeyTraceID: traceID} {
		if fetchLine[k] != want {
			t.Errorf("fetch line %s = %v, want %v: %v", k, fetchLine[k], want, fetchLine)
		}
	}
	if s, _ := fetchLine[logging.KeySpanID].(string); len(s) != 16 {
		t.Errorf("fetch line without span id: %v", fetchLine)
	}
	for k, want := range map[string]any{"method": "POST", "path": "/graphql", "status": float64(200), "operation": "Top", "operation_type": "query", "outcome": "graphql_error", logging.KeyRequestID: "req-7", "bytes": float64(rec.Body.Len())} {
		if access[k] != want {
			t.Errorf("access %s = %v (%T), want %v", k, access[k], access[k], want)
		}
	}
	if d, _ := access["duration"].(float64); d <= 0 {
		t.Errorf("access duration %v", access["duration"])
	}
}

// TestNoAccessLogByDefault: without Config.AccessLog nothing is logged for
// a request that goes well.
func TestNoAccessLogByDefault(t *testing.T) {
	t.Parallel()
	var logs lockedBuffer
	r, err := New(Config{SupergraphSDL: demoSDL(t), Fetcher: &cannedFetcher{root: []byte(`{"data":{"topProducts":[]}}`)}, Logger: logging.New(&logs, config.Log{Level: "debug", Format: "json"})})
	if err != nil {
		t.Fatal(err)
	}
	if rec := postJSON(t, r, map[string]any{"query": `{ topProducts { name } }`}, nil); rec.Code != http.StatusOK {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	if lines := logs.lines(t); len(lines) != 0 {
		t.Fatalf("logged %v", lines)
	}
}

// TestCancelledRequestLogsNoError: a client that goes away while its
// fetches are in flight leaves no warning or error in the log, whatever
// fails after it left.
func TestCancelledRequestLogsNoError(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		// fail is how the fetch ends once the client left.
		fail func(ctx context.Context) error
	}{
		{"fetch returns the context's error", func(ctx context.Context) error { return ctx.Err() }},
		{"fetch returns a transport error", func(ctx context.Context) error { return &fetch.Error{Err: ctx.Err()} }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var logs lockedBuffer
			started := make(chan struct{})
			blocking := fetchFunc(func(ctx context.Context, _ string, _ *wire.SubgraphRequest, _ http.Header) (*wire.SubgraphResponse, error) {
				close(started)
				<-ctx.Done()
				return nil, tc.fail(ctx)
			})
			r, err := New(Config{SupergraphSDL: demoSDL(t), Fetcher: blocking, AccessLog: true,
				Logger: logging.New(&logs, config.Log{Level: "debug", Format: "json"})})
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(`{"query":"{ topProducts { name } }"}`)).WithContext(ctx)
			req.Header.Set("Content-Type", "application/json")
			go func() { <-started; cancel() }()
			r.ServeHTTP(httptest.NewRecorder(), req)
			lines := logs.lines(t)
			debug := 0
			for _, l := range lines {
				switch l["level"] {
				case "WARN", "ERROR":
					t.Errorf("logged at %s: %v", l["level"], l)
				case "DEBUG":
					debug++
				}
			}
			if debug == 0 {
				t.Errorf("the cancelled fetch was not logged at debug: %v", lines)
			}
		})
	}
}

// BenchmarkTimings measures one request through the whole HTTP path
// without timings (the plan header configured but not sent) and with them.
func BenchmarkTimings(b *testing.B) {
	root := []byte(`{"data":{"topProducts":[{"upc":"1","name":"Table"},{"upc":"2","name":"Couch"}]}}`)
	r, err := New(Config{SupergraphSDL: demoSDLB(b), Fetcher: &cannedFetcher{root: root}, PlanHeader: "X-Plan"})
	if err != nil {
		b.Fatal(err)
	}
	const body = `{"query":"query Top { topProducts(first: 2) { upc name } }","operationName":"Top"}`
	for _, on := range []bool{false, true} {
		name := "off"
		if on {
			name = "on"
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				if on {
					req.Header.Set("X-Plan", "true")
				}
				rec := httptest.NewRecorder()
				r.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("%d %s", rec.Code, rec.Body)
				}
			}
		})
	}
}
