package app

import (
	"encoding/json"
	"testing"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/router/auth"
)

func TestPolicyDecider(t *testing.T) {
	decide := policyDecider(map[string]config.Policy{
		"owner": {Scopes: []string{"read", "write"}},
		"gold":  {Claims: map[string][]string{"tier": {"gold", "platinum"}}},
		"staff": {Scopes: []string{"read"}, Claims: map[string][]string{"groups": {"staff"}, "level": {"3"}}},
	})
	tests := []struct {
		name string
		id   *auth.Identity
		want map[string]bool
	}{
		{"every scope held", &auth.Identity{Scopes: []string{"read", "write"}}, map[string]bool{"owner": true}},
		{"one scope missing", &auth.Identity{Scopes: []string{"read"}}, map[string]bool{}},
		{"an allowed claim value", &auth.Identity{Claims: map[string]any{"tier": "platinum"}}, map[string]bool{"gold": true}},
		{"a claim value not allowed", &auth.Identity{Claims: map[string]any{"tier": "silver"}}, map[string]bool{}},
		{"scope and claims, a list claim and a number claim", &auth.Identity{Scopes: []string{"read"}, Claims: map[string]any{"groups": []any{"eng", "staff"}, "level": json.Number("3")}}, map[string]bool{"staff": true}},
		{"claims without the scope", &auth.Identity{Claims: map[string]any{"groups": []any{"staff"}, "level": float64(3)}}, map[string]bool{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := decide(t.Context(), tc.id, []string{"owner", "gold", "staff", "unknown"})
			for _, name := range []string{"owner", "gold", "staff", "unknown"} {
				if got[name] != tc.want[name] {
					t.Errorf("%s granted %v, want %v", name, got[name], tc.want[name])
				}
			}
		})
	}
	if policyDecider(nil) != nil {
		t.Error("no policies configured should grant none (nil)")
	}
}
