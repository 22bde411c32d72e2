package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/internal/enginetest"
)

var (
	// promAdminAt and promPublicAt tell a process's two listeners apart in its log.
	promAdminAt  = regexp.MustCompile(`listener=admin addr=(http://127\.0\.0\.1:\d+)`)
	promPublicAt = regexp.MustCompile(`msg=listening addr=(http://127\.0\.0\.1:\d+)`)
)

// promSubgraphs are the subgraphs TestPrometheusScrape runs, one process
// each.
var promSubgraphs = []string{"catalog", "video", "chat", "insights"}

// TestPrometheusScrape runs the router and the four subgraphs as separate
// processes, each with an admin listener, and a real Prometheus (Debian's
// package: deploy/local/prometheus.sh, which make test-e2e runs) scraping
// all five /metrics every second and loading the shipped alert rules
// (deploy/observability/prometheus/alerts.yml). After a few queries
// through the router it asks Prometheus's HTTP API what it scraped: every
// target up, the router's request counter and the subgraphs' operation
// counters above zero, and the rules loaded healthy. Without prometheus
// it is skipped, except under CI=true.
func TestPrometheusScrape(t *testing.T) {
	bin := prepare(t)
	prom := promBinary(t)
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()

	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	seed := exec.CommandContext(ctx, bin, "seed", "--data-dir", data)
	seed.Env = promEnv()
	if out, err := seed.CombinedOutput(); err != nil {
		t.Fatalf("cinegraph seed: %v\n%s", err, out)
	}

	// job name -> admin address, as Prometheus's targets.
	admins := map[string]string{}
	var routerCfg strings.Builder
	routerCfg.WriteString("router:\n  rate_limit:\n    enabled: false\n  subgraph_urls:\n")
	for _, sg := range promSubgraphs {
		p := promStart(ctx, t, bin, "subgraph", sg, "--listen", "127.0.0.1:0", "--admin-listen", "127.0.0.1:0", "--data-dir", data)
		admins["cinegraph-"+sg] = p.admin
		fmt.Fprintf(&routerCfg, "    %s: %s/graphql\n", sg, p.public)
	}
	routerFile := filepath.Join(dir, "router.yaml")
	if err := os.WriteFile(routerFile, []byte(routerCfg.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	router := promStart(ctx, t, bin, "router", "--config", routerFile, "--listen", "127.0.0.1:0", "--admin-listen", "127.0.0.1:0", "--data-dir", data)
	admins["cinegraph-router"] = router.admin

	promURL := promServer(ctx, t, prom, dir, admins)

	// A few queries touching every subgraph, answered without errors.
	const query = `query PromE2E { titles(first: 2) { edges { node { id videos { id } chatRoom { id } audienceSentiment { label } } } } }`
	body, _ := json.Marshal(map[string]string{"query": query})
	client := &http.Client{Timeout: 10 * time.Second}
	for sent := 0; sent < 5; {
		resp, err := client.Post(router.public+"/graphql", "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK && !bytes.Contains(raw, []byte(`"errors"`)) {
			sent++
			continue
		}
		if ctx.Err() != nil {
			t.Fatalf("the router did not answer without errors: %s %s", resp.Status, raw)
		}
		time.Sleep(200 * time.Millisecond)
	}

	checks := []struct {
		name, expr string
		ok         func([]promSample) string // "" when satisfied
	}{
		{"every target up", `up{job=~"cinegraph-.*"}`, func(s []promSample) string {
			up := map[string]bool{}
			for _, x := range s {
				if x.value == 1 {
					up[x.metric["job"]] = true
				}
			}
			for job := range admins {
				if !up[job] {
					return job + " is not up"
				}
			}
			return ""
		}},
		{"router requests counted", `sum(cinegraph_router_requests_total{operation_name="PromE2E",outcome="ok"})`, promAtLeast(5)},
		{"catalog operations counted", `sum(cinegraph_graphql_operations_total{subgraph="catalog",outcome="ok"})`, promAtLeast(1)},
		{"video operations counted", `sum(cinegraph_graphql_operations_total{subgraph="video",outcome="ok"})`, promAtLeast(1)},
		{"router fetches timed", `sum(cinegraph_subgraph_fetch_duration_seconds_count)`, promAtLeast(1)},
	}
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			var last string
			// Scrapes come every second; a few are enough.
			for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(250 * time.Millisecond) {
				samples, err := promQuery(ctx, promURL, c.expr)
				if err != nil {
					last = err.Error()
				} else if last = c.ok(samples); last == "" {
					return
				}
				if time.Now().After(deadline) {
					t.Fatalf("%s: %s", c.expr, last)
				}
			}
		})
	}

	t.Run("alert rules loaded", func(t *testing.T) {
		var rules struct {
			Data struct {
				Groups []struct {
					Rules []struct {
						Name   string `json:"name"`
						Health string `json:"health"`
						Error  string `json:"lastError"`
					} `json:"rules"`
				} `json:"groups"`
			} `json:"data"`
		}
		if err := promGet(ctx, promURL+"/api/v1/rules", &rules); err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, g := range rules.Data.Groups {
			for _, r := range g.Rules {
				n++
				if r.Health == "err" {
					t.Errorf("rule %s: %s", r.Name, r.Error)
				}
			}
		}
		if n == 0 {
			t.Error("Prometheus loaded no rules from alerts.yml")
		}
	})
}

// promBinary is $CINEGRAPH_PROMETHEUS, else prometheus on the PATH;
// missing, the test is skipped, or fails under CI=true.
func promBinary(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("CINEGRAPH_PROMETHEUS"); p != "" {
		return p
	}
	if p, err := exec.LookPath("prometheus"); err == nil {
		return p
	}
	msg := "no prometheus binary: run deploy/local/prometheus.sh install (make test-e2e does) or set CINEGRAPH_PROMETHEUS"
	if enginetest.Required() {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// promServer writes a configuration scraping each job's admin
// address every second, starts Prometheus on a free loopback port with
// its storage in dir, and returns its URL once ready.
func promServer(ctx context.Context, t *testing.T, bin, dir string, jobs map[string]string) string {
	t.Helper()
	rules, err := filepath.Abs("../deploy/observability/prometheus/alerts.yml")
	if err != nil {
		t.Fatal(err)
	}
	var cfg strings.Builder
	fmt.Fprintf(&cfg, "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n  evaluation_interval: 1s\nrule_files:\n  - %q\nscrape_configs:\n", rules)
	for job, addr := range jobs {
		fmt.Fprintf(&cfg, "  - job_name: %s\n    static_configs:\n      - targets: [%q]\n", job, strings.TrimPrefix(addr, "http://"))
	}
	cfgFile := filepath.Join(dir, "prometheus.yml")
	if err := os.WriteFile(cfgFile, []byte(cfg.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	addr := promFreeAddr(t)
	cmd := exec.CommandContext(ctx, bin,
		"--config.file="+cfgFile,
		"--storage.tsdb.path="+filepath.Join(dir, "prometheus"),
		"--web.listen-address="+addr,
	)
	var out promLog
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 10 * time.Second
	if err := cmd.Start(); err != nil {
		t.Fatalf("start prometheus: %v", err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("prometheus log:\n%s", out.String())
		}
	})
	u := "http://" + addr
	client := &http.Client{Timeout: time.Second}
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if resp, err := client.Get(u + "/-/ready"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return u
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("prometheus not ready on %s within 30 s:\n%s", addr, out.String())
		}
	}
}

// promFreeAddr is a loopback address nothing listens on now (Prometheus
// cannot be asked for port 0 and report the one it got).
func promFreeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

type promSample struct {
	metric map[string]string
	value  float64
}

// promQuery runs an instant query through Prometheus's HTTP API.
func promQuery(ctx context.Context, base, expr string) ([]promSample, error) {
	var r struct {
		Status string `json:"status"`
		Error  string `json:"error"`
		Data   struct {
			ResultType string `json:"resultType"`
			Result     []struct {
				Metric map[string]string `json:"metric"`
				Value  [2]any            `json:"value"`
			} `json:"result"`
		} `json:"data"`
	}
	if err := promGet(ctx, base+"/api/v1/query?query="+url.QueryEscape(expr), &r); err != nil {
		return nil, err
	}
	if r.Status != "success" {
		return nil, fmt.Errorf("query %s: %s", expr, r.Error)
	}
	var out []promSample
	for _, x := range r.Data.Result {
		s, _ := x.Value[1].(string)
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return nil, fmt.Errorf("query %s: value %v", expr, x.Value[1])
		}
		out = append(out, promSample{metric: x.Metric, value: v})
	}
	return out, nil
}

func promGet(ctx context.Context, u string, into any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(raw, into); err != nil {
		return fmt.Errorf("GET %s: %s: %s", u, resp.Status, raw)
	}
	return nil
}

// promAtLeast is satisfied by one sample of at least min.
func promAtLeast(min float64) func([]promSample) string {
	return func(s []promSample) string {
		if len(s) == 0 {
			return "no series yet"
		}
		if s[0].value < min {
			return fmt.Sprintf("%v, want at least %v", s[0].value, min)
		}
		return ""
	}
}

// promProcess is a cinegraph process's two listeners.
type promProcess struct{ public, admin string }

// promStart runs bin with args until ctx ends (then it is
// interrupted) and returns its public and admin URLs, read from its log.
// Unlike start it hands the process no CINEGRAPH_ variable at all: the
// config loader refuses those it does not know, this test's among them.
func promStart(ctx context.Context, t *testing.T, bin string, args ...string) promProcess {
	t.Helper()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = promEnv()
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 10 * time.Second
	logs, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start cinegraph %s: %v", args[0], err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		_ = cmd.Wait()
	})
	var text promLog
	done := make(chan struct{})
	go func() {
		defer close(done)
		sc := bufio.NewScanner(logs)
		for sc.Scan() {
			text.WriteString(sc.Text() + "\n")
		}
	}()
	name := strings.Join(args[:min(2, len(args))], " ")
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		log := text.String()
		a, p := promAdminAt.FindStringSubmatch(log), promPublicAt.FindStringSubmatch(log)
		if a != nil && p != nil {
			return promProcess{public: p[1], admin: a[1]}
		}
		select {
		case <-done:
			t.Fatalf("cinegraph %s exited:\n%s", name, log)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("cinegraph %s did not listen within 60 s:\n%s", name, log)
		}
	}
}

// promEnv is the test's environment less every CINEGRAPH_ variable.
func promEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "CINEGRAPH_") {
			env = append(env, kv)
		}
	}
	return env
}

// promLog is a strings.Builder safe for a writer and readers.
type promLog struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *promLog) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *promLog) WriteString(x string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.b.WriteString(x)
}

func (s *promLog) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
