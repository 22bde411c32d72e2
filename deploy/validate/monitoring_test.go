package validate

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	monitoringv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"
)

// observabilityDir holds the sources of the chart's monitoring objects.
const observabilityDir = "../observability"

// TestChartMonitoring renders the chart's PrometheusRule and dashboards
// ConfigMap and checks they carry deploy/observability's alert rules and
// dashboards unchanged (the chart's files/ copies are kept equal to them
// by deploy/observability's tests), and that each renders only when
// asked, the PrometheusRule only where the API is served.
func TestChartMonitoring(t *testing.T) {
	both := []string{chartValues}
	enabled := map[string]any{
		"prometheusRule":    map[string]any{"enabled": true, "labels": map[string]any{"release": "prometheus"}},
		"grafanaDashboards": map[string]any{"enabled": true},
	}
	const rule, dashboards = "PrometheusRule/cinegraph", "ConfigMap/cinegraph-dashboards"
	tests := []struct {
		name         string
		render       ChartRender
		want, absent []string
	}{
		{"off by default", ChartRender{ValuesFiles: both, APIVersions: []string{PrometheusRuleAPI}}, nil, []string{rule, dashboards}},
		{"enabled and served", ChartRender{ValuesFiles: both, APIVersions: []string{PrometheusRuleAPI, ServiceMonitorAPI}, Set: enabled}, []string{rule, dashboards}, nil},
		{"enabled, PrometheusRule not served", ChartRender{ValuesFiles: both, Set: enabled}, []string{dashboards}, []string{rule}},
		{"production values, enabled and served", ChartRender{ValuesFiles: []string{chartValues, chartProductionValues}, APIVersions: []string{PrometheusRuleAPI}, Set: enabled}, []string{rule, dashboards}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := renderTestChart(t, tt.render)
			for _, ref := range tt.want {
				kind, name, _ := strings.Cut(ref, "/")
				if _, ok := r.Find(kind, name); !ok {
					t.Errorf("%s not rendered", ref)
				}
			}
			for _, ref := range tt.absent {
				kind, name, _ := strings.Cut(ref, "/")
				if _, ok := r.Find(kind, name); ok {
					t.Errorf("%s rendered", ref)
				}
			}
			if v := CheckChart(r.Objects); len(v) > 0 {
				t.Errorf("policy violations: %v", v)
			}
			if _, ok := r.Find("PrometheusRule", "cinegraph"); ok {
				checkPrometheusRule(t, chartObject[*monitoringv1.PrometheusRule](t, r.Objects, "PrometheusRule", "cinegraph"))
			}
			if _, ok := r.Find("ConfigMap", "cinegraph-dashboards"); ok {
				checkDashboards(t, chartObject[*corev1.ConfigMap](t, r.Objects, "ConfigMap", "cinegraph-dashboards"))
			}
		})
	}
}

// checkPrometheusRule compares the rendered rule groups with alerts.yml,
// decoded into the same type.
func checkPrometheusRule(t *testing.T, got *monitoringv1.PrometheusRule) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(observabilityDir, "prometheus", "alerts.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var want monitoringv1.PrometheusRuleSpec
	if err := yaml.UnmarshalStrict(raw, &want); err != nil {
		t.Fatalf("alerts.yml as a PrometheusRule spec: %v", err)
	}
	if len(want.Groups) == 0 {
		t.Fatal("alerts.yml has no groups")
	}
	gy, _ := yaml.Marshal(got.Spec)
	wy, _ := yaml.Marshal(want)
	if string(gy) != string(wy) {
		t.Errorf("the PrometheusRule's spec differs from alerts.yml:\n%s\nwant:\n%s", gy, wy)
	}
	if got.Labels["release"] != "prometheus" {
		t.Errorf("prometheusRule.labels not applied: %v", got.Labels)
	}
}

// checkDashboards compares the ConfigMap's dashboards with grafana/*.json.
func checkDashboards(t *testing.T, cm *corev1.ConfigMap) {
	t.Helper()
	if cm.Labels["grafana_dashboard"] != "1" {
		t.Errorf("dashboards ConfigMap lacks the sidecar's label grafana_dashboard: \"1\": %v", cm.Labels)
	}
	files, err := filepath.Glob(filepath.Join(observabilityDir, "grafana", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no dashboards under %s/grafana: %v", observabilityDir, err)
	}
	var want []string
	for _, f := range files {
		key := "cinegraph-" + filepath.Base(f)
		want = append(want, key)
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		// The template's block scalar drops the final newline.
		if got, ok := cm.Data[key]; !ok {
			t.Errorf("no %s in the ConfigMap", key)
		} else if got != strings.TrimRight(string(raw), "\n") {
			t.Errorf("%s differs from %s", key, f)
		}
	}
	var keys []string
	for k := range cm.Data {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	slices.Sort(want)
	if !slices.Equal(keys, want) {
		t.Errorf("ConfigMap keys %v, want %v", keys, want)
	}
}
