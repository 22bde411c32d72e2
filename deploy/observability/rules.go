package observability

import (
	"fmt"
	"os"

	"sigs.k8s.io/yaml"
)

// AlertsFile is the alert rules file, relative to this package.
const AlertsFile = "prometheus/alerts.yml"

// Rule is one alerting or recording rule of a rules file.
type Rule struct {
	Alert  string `json:"alert"`
	Record string `json:"record"`
	Expr   string `json:"expr"`
}

// Name is the rule's alert or record name.
func (r Rule) Name() string {
	if r.Alert != "" {
		return r.Alert
	}
	return r.Record
}

// LoadRules reads the rules of a Prometheus rules file, every group's.
// promtool checks the file itself; this is for the checks promtool cannot
// make (which metrics exist).
func LoadRules(path string) ([]Rule, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var f struct {
		Groups []struct {
			Name  string `json:"name"`
			Rules []Rule `json:"rules"`
		} `json:"groups"`
	}
	if err := yaml.Unmarshal(raw, &f); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var rules []Rule
	for _, g := range f.Groups {
		rules = append(rules, g.Rules...)
	}
	return rules, nil
}

// alertTests says, for an alert, whether some unit test expects it to
// fire and some expects it to stay quiet.
type alertTests struct{ fires, quiet bool }

// testedAlerts reads a promtool unit test file.
func testedAlerts(raw []byte) (map[string]alertTests, error) {
	var f struct {
		Tests []struct {
			AlertRuleTest []struct {
				Alertname string `json:"alertname"`
				ExpAlerts []any  `json:"exp_alerts"`
			} `json:"alert_rule_test"`
		} `json:"tests"`
	}
	if err := yaml.Unmarshal(raw, &f); err != nil {
		return nil, err
	}
	out := map[string]alertTests{}
	for _, tc := range f.Tests {
		for _, a := range tc.AlertRuleTest {
			got := out[a.Alertname]
			if len(a.ExpAlerts) > 0 {
				got.fires = true
			} else {
				got.quiet = true
			}
			out[a.Alertname] = got
		}
	}
	return out, nil
}
