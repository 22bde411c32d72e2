package config

import (
	"strings"
	"testing"
)

func TestTracingSettings(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		yaml string
		env  []string
		// check inspects a valid configuration.
		check func(t *testing.T, c Tracing)
		// problems are expected in an invalid one, every one reported.
		problems []string
	}{
		{name: "defaults", check: func(t *testing.T, c Tracing) {
			if c.Enabled() || c.Exporter != "none" || c.SamplingRatio != 1 || c.Endpoint != "" || c.ServiceName != "" ||
				c.AcceptClientContext || c.RecordDocument || len(c.Fields) != 0 {
				t.Fatalf("got %+v", c)
			}
		}},
		{name: "from the environment", env: []string{
			"CINEGRAPH_TRACING_EXPORTER=otlp-grpc",
			"CINEGRAPH_TRACING_ENDPOINT=collector:4317",
			"CINEGRAPH_TRACING_SAMPLING_RATIO=0.25",
			"CINEGRAPH_TRACING_SERVICE_NAME=edge",
			"CINEGRAPH_TRACING_ACCEPT_CLIENT_CONTEXT=true",
			"CINEGRAPH_TRACING_RECORD_DOCUMENT=true",
			"CINEGRAPH_TRACING_FIELDS=Title.videos, Query._entities",
		}, check: func(t *testing.T, c Tracing) {
			if !c.Enabled() || c.Exporter != "otlp-grpc" || c.Endpoint != "collector:4317" || c.SamplingRatio != 0.25 || c.ServiceName != "edge" ||
				!c.AcceptClientContext || !c.RecordDocument || strings.Join(c.Fields, ",") != "Title.videos,Query._entities" {
				t.Fatalf("got %+v", c)
			}
		}},
		{name: "from a file", yaml: "tracing:\n  exporter: zipkin\n  endpoint: http://zipkin:9411/api/v2/spans\n  sampling_ratio: 0\n", check: func(t *testing.T, c Tracing) {
			if c.Exporter != "zipkin" || c.Endpoint != "http://zipkin:9411/api/v2/spans" || c.SamplingRatio != 0 {
				t.Fatalf("got %+v", c)
			}
		}},
		{name: "otlp over http to a URL", env: []string{"CINEGRAPH_TRACING_EXPORTER=otlp-http", "CINEGRAPH_TRACING_ENDPOINT=https://otel.example:4318/v1/traces"}, check: func(t *testing.T, c Tracing) {
			if c.Exporter != "otlp-http" || c.Endpoint != "https://otel.example:4318/v1/traces" {
				t.Fatalf("got %+v", c)
			}
		}},
		{name: "every problem at once", yaml: "tracing:\n  exporter: jaeger\n  sampling_ratio: 1.5\n  fields: [videos, Title.videos.id, Title.videos]\n", problems: []string{
			`tracing.exporter: "jaeger" is not one of none, otlp-grpc, otlp-http, zipkin`,
			"tracing.sampling_ratio: must be from 0 to 1, got 1.5",
			`tracing.fields: "videos" is not Type.field`,
			`tracing.fields: "Title.videos.id" is not Type.field`,
		}},
		{name: "negative ratio", env: []string{"CINEGRAPH_TRACING_EXPORTER=otlp-http", "CINEGRAPH_TRACING_SAMPLING_RATIO=-0.1"}, problems: []string{"tracing.sampling_ratio: must be from 0 to 1"}},
		{name: "endpoint without an exporter", env: []string{"CINEGRAPH_TRACING_ENDPOINT=collector:4317"}, problems: []string{"tracing.endpoint: set, but tracing.exporter is none"}},
		{name: "zipkin needs a URL", env: []string{"CINEGRAPH_TRACING_EXPORTER=zipkin", "CINEGRAPH_TRACING_ENDPOINT=zipkin:9411"}, problems: []string{`tracing.endpoint: "zipkin:9411" is not an http(s) URL`}},
		{name: "otlp endpoint neither address nor URL", env: []string{"CINEGRAPH_TRACING_EXPORTER=otlp-grpc", "CINEGRAPH_TRACING_ENDPOINT=collector"}, problems: []string{`tracing.endpoint: "collector" is neither host:port nor an http(s) URL`}},
		{name: "ratio of the wrong type", env: []string{"CINEGRAPH_TRACING_SAMPLING_RATIO=most"}, problems: []string{"tracing.sampling_ratio"}},
		{name: "unknown key", yaml: "tracing:\n  exporterr: zipkin\n", problems: []string{"tracing.exporterr: no such setting"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg, err := loadYAML(t, tc.yaml, tc.env)
			if tc.problems == nil {
				if err != nil {
					t.Fatal(err)
				}
				tc.check(t, cfg.Tracing)
				return
			}
			checkProblems(t, err, tc.problems)
		})
	}
}
