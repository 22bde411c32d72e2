package observability

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestPromtool checks the rules and the example configuration with the
// real promtool: the rules parse and their templates render (check
// rules), each alert fires and stays quiet where its unit tests say
// (test rules prometheus/alerts_test.yml), and the local configuration,
// with the rules it loads, is valid (check config).
func TestPromtool(t *testing.T) {
	promtool := tool(t, "promtool", "CINEGRAPH_PROMTOOL")
	tests := []struct {
		name string
		args []string
	}{
		{"check rules", []string{"check", "rules", "alerts.yml"}},
		{"test rules", []string{"test", "rules", "alerts_test.yml"}},
		{"check config", []string{"check", "config", "prometheus.yml"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := exec.CommandContext(t.Context(), promtool, tt.args...)
			cmd.Dir = "prometheus"
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("promtool %v: %v\n%s", tt.args, err, out)
			}
		})
	}
}

// TestAlertTestsCoverEveryAlert fails when an alert of alerts.yml has no
// unit test: promtool only runs the tests there are.
func TestAlertTestsCoverEveryAlert(t *testing.T) {
	rules, err := LoadRules(AlertsFile)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join("prometheus", "alerts_test.yml"))
	if err != nil {
		t.Fatal(err)
	}
	tested, err := testedAlerts(raw)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rules {
		if r.Alert == "" {
			continue
		}
		t.Run(r.Alert, func(t *testing.T) {
			if !tested[r.Alert].fires {
				t.Error("no unit test shows it firing")
			}
			if !tested[r.Alert].quiet {
				t.Error("no unit test shows it staying quiet")
			}
		})
	}
}

// tool is the path of a Prometheus binary: $env, else name on the PATH
// (deploy/local/prometheus.sh installs both; make test-deploy runs it).
// Missing, the test is skipped, except under CI=true, where it fails.
func tool(t *testing.T, name, env string) string {
	t.Helper()
	if p := os.Getenv(env); p != "" {
		return p
	}
	p, err := exec.LookPath(name)
	if err == nil {
		return p
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("no %s: run deploy/local/prometheus.sh install or set %s", name, env)
	}
	t.Skipf("no %s (deploy/local/prometheus.sh install, or set %s)", name, env)
	return ""
}

// TestComposePrometheusConfig checks the full compose stack's Prometheus
// configuration (deploy/compose/prometheus.yml) with promtool, laid out as
// stack.yml mounts it: beside the alert rules.
func TestComposePrometheusConfig(t *testing.T) {
	promtool := tool(t, "promtool", "CINEGRAPH_PROMTOOL")
	dir := t.TempDir()
	for src, dst := range map[string]string{
		filepath.Join("..", "compose", "prometheus.yml"): "prometheus.yml",
		AlertsFile: "alerts.yml",
	} {
		raw, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, dst), raw, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.CommandContext(t.Context(), promtool, "check", "config", "prometheus.yml")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("promtool check config: %v\n%s", err, out)
	}
}
