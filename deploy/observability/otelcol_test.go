package observability

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/open-telemetry/opentelemetry-collector-contrib/exporter/elasticsearchexporter"
	"github.com/open-telemetry/opentelemetry-collector-contrib/exporter/zipkinexporter"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/exporter"
	"go.opentelemetry.io/collector/otelcol"
	"go.opentelemetry.io/collector/otelcol/otelcoltest"
	"go.opentelemetry.io/collector/pipeline"
	"go.opentelemetry.io/collector/processor"
	"go.opentelemetry.io/collector/processor/batchprocessor"
	"go.opentelemetry.io/collector/processor/memorylimiterprocessor"
	"go.opentelemetry.io/collector/receiver"
	"go.opentelemetry.io/collector/receiver/otlpreceiver"
)

// CollectorConfig is the OpenTelemetry Collector configuration, relative
// to this package.
const CollectorConfig = "otel-collector.yaml"

// collectorFactories are the components otel-collector.yaml uses, from
// the collector's own modules (one release, v0.148.0: the contrib
// exporters' newest on the module proxy), so that the file is decoded and
// validated exactly as otelcol-contrib would at that release.
func collectorFactories(t *testing.T) otelcol.Factories {
	t.Helper()
	var f otelcol.Factories
	var err error
	if f.Receivers, err = otelcol.MakeFactoryMap[receiver.Factory](otlpreceiver.NewFactory()); err != nil {
		t.Fatal(err)
	}
	if f.Processors, err = otelcol.MakeFactoryMap[processor.Factory](batchprocessor.NewFactory(), memorylimiterprocessor.NewFactory()); err != nil {
		t.Fatal(err)
	}
	if f.Exporters, err = otelcol.MakeFactoryMap[exporter.Factory](zipkinexporter.NewFactory(), elasticsearchexporter.NewFactory()); err != nil {
		t.Fatal(err)
	}
	return f
}

// TestCollectorConfig loads otel-collector.yaml with the real factories
// (unknown keys, bad values and pipelines naming undefined components all
// fail), and checks the routing the file promises: traces to Zipkin, logs
// to Elasticsearch, both from OTLP through the memory limiter and batch.
func TestCollectorConfig(t *testing.T) {
	cfg, err := otelcoltest.LoadConfigAndValidate(CollectorConfig, collectorFactories(t))
	if err != nil {
		t.Fatal(err)
	}
	ids := func(xs []component.ID) []string {
		var out []string
		for _, x := range xs {
			out = append(out, x.String())
		}
		return out
	}
	tests := []struct {
		signal    pipeline.Signal
		exporters []string
	}{
		{pipeline.SignalTraces, []string{"zipkin"}},
		{pipeline.SignalLogs, []string{"elasticsearch"}},
	}
	for _, tt := range tests {
		t.Run(tt.signal.String(), func(t *testing.T) {
			p := cfg.Service.Pipelines[pipeline.NewID(tt.signal)]
			if p == nil {
				t.Fatalf("no %s pipeline", tt.signal)
			}
			if got := ids(p.Receivers); !slices.Equal(got, []string{"otlp"}) {
				t.Errorf("receivers %v, want [otlp]", got)
			}
			if got := ids(p.Processors); !slices.Equal(got, []string{"memory_limiter", "batch"}) {
				t.Errorf("processors %v, want [memory_limiter batch] (the limiter first, so that it refuses before batching)", got)
			}
			if got := ids(p.Exporters); !slices.Equal(got, tt.exporters) {
				t.Errorf("exporters %v, want %v", got, tt.exporters)
			}
		})
	}
	zipkin, ok := cfg.Exporters[component.MustNewID("zipkin")].(*zipkinexporter.Config)
	if !ok {
		t.Fatalf("zipkin exporter config is %T", cfg.Exporters[component.MustNewID("zipkin")])
	}
	if want := "http://zipkin:9411/api/v2/spans"; zipkin.Endpoint != want {
		t.Errorf("zipkin endpoint %q, want %q", zipkin.Endpoint, want)
	}
	es, ok := cfg.Exporters[component.MustNewID("elasticsearch")].(*elasticsearchexporter.Config)
	if !ok {
		t.Fatalf("elasticsearch exporter config is %T", cfg.Exporters[component.MustNewID("elasticsearch")])
	}
	if len(es.Endpoints) == 0 {
		t.Error("elasticsearch exporter has no endpoints")
	}
}

// TestCollectorConfigRefusesMistakes shows that the validation above has
// teeth: each broken variant of the file fails to load.
func TestCollectorConfigRefusesMistakes(t *testing.T) {
	raw, err := os.ReadFile(CollectorConfig)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, old, new string }{
		{"undefined exporter in a pipeline", "exporters: [zipkin]", "exporters: [jaeger]"},
		{"unknown key", "send_batch_size: 1024", "send_batch_sise: 1024"},
		{"bad duration", "timeout: 5s", "timeout: soon"},
		{"receiver not defined", "receivers: [otlp]\n      processors: [memory_limiter, batch]\n      exporters: [zipkin]", "receivers: [otlp/other]\n      processors: [memory_limiter, batch]\n      exporters: [zipkin]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(string(raw), tt.old) {
				t.Fatalf("%q is no longer in %s: update this test", tt.old, CollectorConfig)
			}
			path := filepath.Join(t.TempDir(), CollectorConfig)
			if err := os.WriteFile(path, []byte(strings.Replace(string(raw), tt.old, tt.new, 1)), 0o644); err != nil {
				t.Fatal(err)
			}
			if _, err := otelcoltest.LoadConfigAndValidate(path, collectorFactories(t)); err == nil {
				t.Error("loaded without error")
			}
		})
	}
}
