package app

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/internal/demotoken"
)

const opsQuery = `query OpsConsole {
  ops {
    generatedAt storageMode
    subgraphs { name instances { url status error checkedAt breaker required breakers { rule state executions failures successes } } }
    traffic { missing window windowSeconds subgraphs { subgraph requestsPerSecond errorsPerSecond p99Ms } }
    realtime { missing websocketConnections activeSubscriptions }
    events { missing outboxes { name backlog } consumers { topic group lag } }
    slowOperations { missing windowSeconds capacity operations { name kind durationMs finishedAt outcome plan } }
  }
}`

// adminToken is a demo token for profile carrying the admin scope.
func (in *instance) adminToken(t *testing.T, profile string) string {
	t.Helper()
	issuer, err := demotoken.Open(in.dataDir, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := issuer.Issue(profile, true)
	if err != nil {
		t.Fatal(err)
	}
	return tok.Token
}

// TestOpsQuery asks the router for the ops report as an admin, as a
// viewer without the admin scope and anonymously.
func TestOpsQuery(t *testing.T) {
	for _, metricsOn := range []bool{true, false} {
		name := "metrics on"
		if !metricsOn {
			name = "metrics off"
		}
		t.Run(name, func(t *testing.T) {
			in := startWith(t, t.TempDir(), func(c *config.Config) { c.Metrics.Enabled = metricsOn })
			defer in.stop()
			profile := demotoken.Profiles()[0]
			// A query through several subgraphs, for the slow log.
			if r := in.do(t, "", `query Browse { titles(first: 2) { edges { node { id videos { id } } } } }`, nil); len(r.Errors) > 0 {
				t.Fatalf("browse: %v", r.Errors)
			}
			tests := []struct {
				name  string
				token string
				code  string // the error's code; empty for data
			}{
				{name: "admin", token: in.adminToken(t, profile)},
				{name: "viewer without the admin scope", token: in.token(t, profile), code: "FORBIDDEN"},
				{name: "anonymous", code: "UNAUTHENTICATED"},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					r := in.doWith(t, tt.token, opsQuery, nil)
					if tt.code != "" {
						if len(r.Errors) != 1 || dig(r.Errors[0], "extensions", "code") != tt.code {
							t.Fatalf("errors = %v, want one %s", r.Errors, tt.code)
						}
						if r.Data != nil && r.Data["ops"] != nil {
							t.Fatalf("data = %v, want no ops", r.Data)
						}
						raw, _ := json.Marshal(r)
						for _, leak := range []string{"catalog", "breaker", "inprocess"} {
							if strings.Contains(string(raw), leak) {
								t.Fatalf("refusal mentions %q: %s", leak, raw)
							}
						}
						return
					}
					checkOpsReport(t, in, tt.token, metricsOn)
				})
			}
		})
	}
}

// checkOpsReport waits for the router to have checked every subgraph,
// then checks the report's sections.
func checkOpsReport(t *testing.T, in *instance, token string, metricsOn bool) {
	t.Helper()
	var ops map[string]any
	deadline := time.Now().Add(10 * time.Second)
	for {
		r := in.doWith(t, token, opsQuery, nil)
		if len(r.Errors) > 0 {
			t.Fatalf("errors: %v", r.Errors)
		}
		ops, _ = r.Data["ops"].(map[string]any)
		if allUp(ops) || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	var names []string
	for _, sg := range ops["subgraphs"].([]any) {
		names = append(names, dig(sg, "name").(string))
		if s := dig(sg, "instances", 0, "status"); s != "up" {
			t.Errorf("%s is %v, want up", dig(sg, "name"), s)
		}
		if b := dig(sg, "instances", 0, "breaker"); b != "closed" {
			t.Errorf("%s's breaker is %v, want closed", dig(sg, "name"), b)
		}
	}
	if got, want := strings.Join(names, ","), "catalog,chat,insights,ops,video"; got != want {
		t.Errorf("subgraphs = %s, want %s", got, want)
	}
	if ops["storageMode"] != "embedded" {
		t.Errorf("storageMode = %v", ops["storageMode"])
	}
	slow := dig(ops, "slowOperations", "operations").([]any)
	var browse map[string]any
	for _, op := range slow {
		if dig(op, "name") == "Browse" {
			browse = op.(map[string]any)
		}
	}
	if browse == nil {
		t.Fatalf("slow operations %v lack Browse", slow)
	}
	if plan, _ := browse["plan"].(string); !strings.Contains(plan, "catalog") || !strings.Contains(plan, "video") {
		t.Errorf("Browse's plan = %v, want its fetches from catalog and video", browse["plan"])
	}
	if dig(ops, "slowOperations", "missing") != nil {
		t.Errorf("slow operations missing = %v", dig(ops, "slowOperations", "missing"))
	}
	traffic := dig(ops, "traffic").(map[string]any)
	realtime := dig(ops, "realtime").(map[string]any)
	if !metricsOn {
		for _, section := range []map[string]any{traffic, realtime} {
			if m, _ := section["missing"].(string); !strings.Contains(m, "metrics.enabled is off") {
				t.Errorf("missing = %v, want metrics.enabled is off", section["missing"])
			}
		}
		if realtime["websocketConnections"] != nil || len(traffic["subgraphs"].([]any)) != 0 {
			t.Errorf("unmeasured figures shown: %v %v", realtime, traffic)
		}
		return
	}
	if traffic["missing"] != nil || realtime["missing"] != nil {
		t.Errorf("missing with metrics on: %v, %v", traffic["missing"], realtime["missing"])
	}
	if realtime["websocketConnections"] != 0.0 {
		t.Errorf("websockets = %v, want 0", realtime["websocketConnections"])
	}
	var catalog map[string]any
	for _, s := range traffic["subgraphs"].([]any) {
		if dig(s, "subgraph") == "catalog" {
			catalog = s.(map[string]any)
		}
	}
	if catalog == nil || catalog["requestsPerSecond"].(float64) <= 0 || catalog["p99Ms"] == nil {
		t.Errorf("catalog traffic = %v, want fetches and a p99", catalog)
	}
}

// allUp reports whether every instance in the ops report was checked up.
func allUp(ops map[string]any) bool {
	sgs, _ := ops["subgraphs"].([]any)
	if len(sgs) == 0 {
		return false
	}
	for _, sg := range sgs {
		for _, in := range dig(sg, "instances").([]any) {
			if dig(in, "status") != "up" {
				return false
			}
		}
	}
	return true
}

func TestQuantile(t *testing.T) {
	bounds := []float64{0.01, 0.1, 1}
	tests := []struct {
		name       string
		cumulative []uint64
		count      uint64
		want       float64
		ok         bool
	}{
		{name: "no observations", cumulative: []uint64{0, 0, 0}, count: 0, ok: false},
		{name: "all in the first bucket", cumulative: []uint64{100, 100, 100}, count: 100, want: 0.0099, ok: true},
		{name: "interpolated in the second", cumulative: []uint64{50, 100, 100}, count: 100, want: 0.01 + 0.09*49.0/50, ok: true},
		{name: "beyond the last bound", cumulative: []uint64{0, 0, 0}, count: 10, want: 1, ok: true},
		{name: "empty bucket at the rank", cumulative: []uint64{99, 99, 100}, count: 100, want: 0.01, ok: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := quantile(0.99, bounds, tt.cumulative, tt.count)
			if ok != tt.ok || math.Abs(got-tt.want) > 1e-9 {
				t.Fatalf("quantile = %v, %v; want %v, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}
