package observability

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// synthetic are series Prometheus makes itself for every target; no
// process exports them.
var synthetic = []string{"up"}

// TestExpressionsUseExportedMetrics checks every metric a dashboard query
// or an alert rule names against what the binary really exports: it runs
// cinegraph serve (router and every subgraph in one process) on free
// loopback ports with an admin listener, sends a query touching every
// subgraph (series of labelled metrics appear on first use), and scrapes
// /metrics. A metric renamed in the code fails here, not silently on a
// dashboard.
func TestExpressionsUseExportedMetrics(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the cinegraph binary")
	}
	exported := scrapeServe(t)
	t.Logf("cinegraph serve exports %d series names", len(exported))

	type source struct{ where, expr string }
	var sources []source
	ds, err := Dashboards()
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		exprs, err := Exprs(d.JSON)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range exprs {
			sources = append(sources, source{d.File, e})
		}
	}
	rules, err := LoadRules(AlertsFile)
	if err != nil {
		t.Fatal(err)
	}
	if len(rules) == 0 {
		t.Fatalf("no rules in %s", AlertsFile)
	}
	for _, r := range rules {
		sources = append(sources, source{AlertsFile + " " + r.Name(), r.Expr})
	}

	for _, s := range sources {
		names, err := MetricNames(s.expr)
		if err != nil {
			t.Errorf("%s: %v", s.where, err)
			continue
		}
		if len(names) == 0 {
			t.Errorf("%s: %q names no metric", s.where, s.expr)
		}
		for _, n := range names {
			switch {
			case exported[n], slices.Contains(synthetic, n):
			default:
				t.Errorf("%s: %s is not exported by cinegraph (expression %q)", s.where, n, s.expr)
			}
		}
	}
}

var (
	graphqlAt = regexp.MustCompile(`graphql=(http://127\.0\.0\.1:\d+/graphql)`)
	adminAt   = regexp.MustCompile(`listener=admin addr=(http://127\.0\.0\.1:\d+)`)
)

// allSubgraphs touches every subgraph (as bench/faults' query does).
const allSubgraphs = `{ titles(first: 2) { edges { node { id videos { id } chatRoom { id } audienceSentiment { label } } } } }`

// scrapeServe runs a seeded cinegraph serve, sends allSubgraphs through it
// and returns the series names its /metrics exports.
func scrapeServe(t *testing.T) map[string]bool {
	t.Helper()
	bin := cinegraphBinary(t)
	data := filepath.Join(t.TempDir(), "data")
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	seed := exec.CommandContext(ctx, bin, "seed", "--data-dir", data)
	seed.Env = environ()
	if out, err := seed.CombinedOutput(); err != nil {
		t.Fatalf("cinegraph seed: %v\n%s", err, out)
	}
	cmd := exec.CommandContext(ctx, bin, "serve", "--listen", "127.0.0.1:0", "--admin-listen", "127.0.0.1:0", "--data-dir", data)
	cmd.Env = environ()
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 15 * time.Second
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		_ = cmd.Process.Signal(os.Interrupt)
		_ = cmd.Wait()
	}()
	var mu sync.Mutex
	var logs strings.Builder
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			mu.Lock()
			logs.WriteString(sc.Text() + "\n")
			mu.Unlock()
		}
	}()
	find := func(re *regexp.Regexp) string {
		for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
			mu.Lock()
			m := re.FindStringSubmatch(logs.String())
			mu.Unlock()
			if m != nil {
				return m[1]
			}
		}
		mu.Lock()
		defer mu.Unlock()
		t.Fatalf("%s not in cinegraph serve's log:\n%s", re, logs.String())
		return ""
	}
	graphql, admin := find(graphqlAt), find(adminAt)

	client := &http.Client{Timeout: 10 * time.Second}
	body, _ := json.Marshal(map[string]string{"query": allSubgraphs})
	var last string
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		resp, err := client.Post(graphql, "application/json", bytes.NewReader(body))
		if err == nil {
			raw, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			last = fmt.Sprintf("%s %s", resp.Status, raw)
			if resp.StatusCode == http.StatusOK && !bytes.Contains(raw, []byte(`"errors"`)) {
				break
			}
		} else {
			last = err.Error()
		}
		if time.Now().After(deadline) {
			t.Fatalf("no answer without errors from %s within 30 s (last: %s)", graphql, last)
		}
	}

	resp, err := client.Get(admin + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s/metrics: %s", admin, resp.Status)
	}
	names, err := seriesNames(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"cinegraph_router_requests_total", "cinegraph_graphql_operations_total", "go_goroutines"} {
		if !names[want] {
			t.Fatalf("the scrape has no %s: is this the right binary? names: %v", want, slices.Sorted(func(yield func(string) bool) {
				for n := range names {
					if !yield(n) {
						return
					}
				}
			}))
		}
	}
	return names
}

// seriesNames are the metric names of the samples of a scrape in
// Prometheus' text format: a histogram's _bucket, _sum and _count, never
// the family name alone, as Prometheus stores them.
func seriesNames(r io.Reader) (map[string]bool, error) {
	names := map[string]bool{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		end := strings.IndexAny(line, "{ ")
		if end <= 0 {
			return nil, fmt.Errorf("not a sample: %q", line)
		}
		names[line[:end]] = true
	}
	return names, sc.Err()
}

func TestSeriesNames(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
	}{
		{"counter", "# HELP a_total x\n# TYPE a_total counter\na_total{l=\"v\"} 1\n", []string{"a_total"}},
		{"histogram", "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 1\nh_sum 0.5\nh_count 1\n", []string{"h_bucket", "h_count", "h_sum"}},
		{"gauge without labels", "g 3\n", []string{"g"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := seriesNames(strings.NewReader(tt.text))
			if err != nil {
				t.Fatal(err)
			}
			if names := slices.Sorted(func(yield func(string) bool) {
				for n := range got {
					if !yield(n) {
						return
					}
				}
			}); !slices.Equal(names, tt.want) {
				t.Errorf("seriesNames = %q, want %q", names, tt.want)
			}
		})
	}
}

// cinegraphBinary is $CINEGRAPH_BIN (make test-deploy sets it), else the
// binary built from the repository into the test's temporary directory.
func cinegraphBinary(t *testing.T) string {
	t.Helper()
	if bin := os.Getenv("CINEGRAPH_BIN"); bin != "" {
		return bin
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "cinegraph")
	cmd := exec.CommandContext(t.Context(), "go", "build", "-o", bin, "./cmd/cinegraph")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/cinegraph: %v\n%s", err, out)
	}
	return bin
}

// environ is the test's environment less the CINEGRAPH_ variables, which
// cinegraph's config loader would read, and refuse where unknown
// (CINEGRAPH_BIN among them).
func environ() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "CINEGRAPH_") {
			env = append(env, kv)
		}
	}
	return env
}
