// Package observability holds Cinegraph's monitoring artefacts and the
// checks that keep them true to the binary: the Grafana dashboards, built
// here in Go with the Grafana Foundation SDK (Dashboards) and committed as
// JSON under grafana/ (go run ./observability/cmd/dashboards rewrites
// them; a test fails on drift); the Prometheus alert rules in
// prometheus/alerts.yml, checked and unit-tested with promtool; and the
// OpenTelemetry Collector configuration in otel-collector.yaml.
//
// Every metric a PromQL expression names, in a dashboard or a rule, must
// be one the processes export: the tests scrape a running cinegraph serve
// rather than trusting a list kept by hand, so a renamed metric breaks
// the build instead of a dashboard.
package observability
