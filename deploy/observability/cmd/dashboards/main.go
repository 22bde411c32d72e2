// Command dashboards writes Cinegraph's Grafana dashboards, built by
// package observability, as JSON under deploy/observability/grafana/, and
// the Helm chart's copies of them and of the alert rules
// (helm/cinegraph/files/). Run it from the deploy module after changing
// the Go code or alerts.yml (make dashboards does):
//
//	cd deploy && go run ./observability/cmd/dashboards
//
// The observability tests fail while the committed JSON differs.
package main

import (
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"

	"github.com/cinegraph/cinegraph/deploy/observability"
)

func main() {
	dir := flag.String("dir", filepath.Join("observability", observability.GrafanaDir), "where the JSON files go")
	deployDir := flag.String("deploy", ".", "the deploy module's directory, for the chart's copies")
	flag.Parse()
	if err := run(*dir, *deployDir); err != nil {
		fmt.Fprintln(os.Stderr, "dashboards:", err)
		os.Exit(1)
	}
}

func run(dir, deployDir string) error {
	ds, err := observability.Dashboards()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, d := range ds {
		if err := os.WriteFile(filepath.Join(dir, d.File), d.JSON, 0o644); err != nil {
			return err
		}
		fmt.Println("wrote", filepath.Join(dir, d.File))
	}
	copies, err := observability.ChartCopies(deployDir)
	if err != nil {
		return err
	}
	for _, path := range slices.Sorted(maps.Keys(copies)) {
		full := filepath.Join(deployDir, path)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(full, copies[path], 0o644); err != nil {
			return err
		}
		fmt.Println("wrote", full)
	}
	return nil
}
