package observability

import (
	"slices"
	"testing"
)

func TestMetricNames(t *testing.T) {
	tests := []struct {
		name, expr string
		want       []string
	}{
		{"bare selector", "up", []string{"up"}},
		{"matchers are not names", `up{job=~".*cinegraph.*", instance!="x"} == 0`, []string{"up"}},
		{"functions and ranges", "rate(cinegraph_router_requests_total[$__rate_interval])", []string{"cinegraph_router_requests_total"}},
		{"grouping lists", "histogram_quantile(0.99, sum by (subgraph, le) (rate(x_bucket[5m])))", []string{"x_bucket"}},
		{"grouping after the aggregation", "sum(rate(a[5m])) without (instance)", []string{"a"}},
		{"binary operators and vector matching", "a / on (job) group_left (le) b and c unless d or bool e", []string{"a", "b", "c", "d", "e"}},
		{"strings with brackets", `label_replace(a, "dst", "$1{", "src", "(.*)[")`, []string{"a"}},
		{"__name__ matcher", `{__name__="go_goroutines", job="x"}`, []string{"go_goroutines"}},
		{"regex __name__ names nothing", `{__name__=~"go_.*"}`, nil},
		{"offset and numbers", "a offset 5m > 1e3 + 0x1f - 1.5 + Inf", []string{"a"}},
		{"repeated names once, sorted", "b + a + b", []string{"a", "b"}},
		{"colons in recording rule names", "job:requests:rate5m > 0", []string{"job:requests:rate5m"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := MetricNames(tt.expr)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("MetricNames(%q) = %q, want %q", tt.expr, got, tt.want)
			}
		})
	}
}

func TestMetricNamesRefusesBrokenExpressions(t *testing.T) {
	for _, expr := range []string{`a{job="x"`, "rate(a[5m)", `a{job="x}`, "sum by (job"} {
		t.Run(expr, func(t *testing.T) {
			if _, err := MetricNames(expr); err == nil {
				t.Errorf("MetricNames(%q): no error", expr)
			}
		})
	}
}
