package app

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/router/auth"
)

// policyDecider grants the supergraph's @policy names from auth.policies:
// a policy is granted to an identity holding every scope it lists whose
// every listed claim has one of the allowed values. Policies not
// configured are never granted. Nil when none are configured, which the
// router reads as granting none.
func policyDecider(policies map[string]config.Policy) func(context.Context, *auth.Identity, []string) map[string]bool {
	if len(policies) == 0 {
		return nil
	}
	return func(_ context.Context, id *auth.Identity, names []string) map[string]bool {
		out := make(map[string]bool, len(names))
		for _, name := range names {
			p, ok := policies[name]
			out[name] = ok && id != nil && grants(p, id)
		}
		return out
	}
}

func grants(p config.Policy, id *auth.Identity) bool {
	for _, s := range p.Scopes {
		if !id.HasScope(s) {
			return false
		}
	}
	for claim, allowed := range p.Claims {
		if !slices.ContainsFunc(claimValues(id.Claims[claim]), func(v string) bool { return slices.Contains(allowed, v) }) {
			return false
		}
	}
	return true
}

// claimValues are the values a claim holds: one for a string, number or
// boolean, each string of a list; none for anything else.
func claimValues(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case bool:
		return []string{strconv.FormatBool(v)}
	case float64:
		return []string{strconv.FormatFloat(v, 'f', -1, 64)}
	case json.Number:
		return []string{v.String()}
	case []string:
		return v
	case []any:
		var out []string
		for _, x := range v {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}
