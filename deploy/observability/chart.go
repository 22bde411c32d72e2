package observability

import (
	"os"
	"path/filepath"
)

// ChartFilesDir is where the Helm chart keeps its copies of the alert
// rules and dashboards, relative to the deploy module: a chart can only
// read files inside itself, and its PrometheusRule and dashboards
// ConfigMap templates embed these.
const ChartFilesDir = "helm/cinegraph/files"

// ChartCopies returns what ChartFilesDir must hold, keyed by path relative
// to the deploy module (deployDir): every dashboard under dashboards/,
// and alerts.yml as it is. The dashboards command writes them; a test
// fails while they differ.
func ChartCopies(deployDir string) (map[string][]byte, error) {
	ds, err := Dashboards()
	if err != nil {
		return nil, err
	}
	out := map[string][]byte{}
	for _, d := range ds {
		out[filepath.Join(ChartFilesDir, "dashboards", d.File)] = d.JSON
	}
	alerts, err := os.ReadFile(filepath.Join(deployDir, "observability", AlertsFile))
	if err != nil {
		return nil, err
	}
	out[filepath.Join(ChartFilesDir, "alerts.yml")] = alerts
	return out, nil
}
