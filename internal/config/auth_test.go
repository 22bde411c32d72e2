package config

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestAuthSettings(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		environ []string
		// demo tokens, key sets; or the problem expected
		want    string
		wantErr string
	}{
		{"demo defaults", nil, "demo tokens true, key sets false", ""},
		{"production turns demo tokens off", []string{"CINEGRAPH_PROFILE=production"}, "demo tokens false, key sets false", ""},
		{"production refuses demo tokens", []string{"CINEGRAPH_PROFILE=production", "CINEGRAPH_AUTH_DEMO_TOKENS=true"}, "", "auth.demo_tokens: not available in the production profile"},
		{"key sets from the environment", []string{"CINEGRAPH_AUTH_JWKS_URLS=https://id.example/jwks,https://id2.example/jwks", "CINEGRAPH_AUTH_OIDC_ISSUERS=https://id.example"}, "demo tokens true, key sets true", ""},
		{"a key set URL that is not one", []string{"CINEGRAPH_AUTH_JWKS_URLS=id.example/jwks"}, "", `auth: "id.example/jwks" is not an http(s) URL`},
		{"an empty profile claim", []string{"CINEGRAPH_AUTH_PROFILE_CLAIM="}, "", "auth.profile_claim: must not be empty"},
		{"too much leeway", []string{"CINEGRAPH_AUTH_LEEWAY=1h"}, "", "auth.leeway"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg, err := Load("", tc.environ)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := "demo tokens " + boolString(cfg.Auth.DemoTokens) + ", key sets " + boolString(len(cfg.Auth.JWKSFiles)+len(cfg.Auth.JWKSURLs)+len(cfg.Auth.OIDCIssuers) > 0)
			if got != tc.want {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestAuthPolicies(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		yaml     string
		want     map[string]Policy
		problems []string
	}{
		{name: "none by default", want: map[string]Policy{}},
		{
			name: "scopes and claims from a file",
			yaml: "auth:\n  policies:\n    owner:\n      scopes: [read:secret]\n      claims:\n        tier: [gold, platinum]\n    staff:\n      claims:\n        role: [staff]\n",
			want: map[string]Policy{
				"owner": {Scopes: []string{"read:secret"}, Claims: map[string][]string{"tier": {"gold", "platinum"}}},
				"staff": {Claims: map[string][]string{"role": {"staff"}}},
			},
		},
		{
			name: "every problem at once",
			yaml: "auth:\n  policies:\n    anyone: {}\n    odd:\n      scopes: ['']\n      claims:\n        role: []\n",
			problems: []string{
				"auth.policies.anyone: must list scopes or claims",
				"auth.policies.odd.scopes: a scope must not be empty",
				"auth.policies.odd.claims.role: must list at least one allowed value",
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			path := ""
			if tc.yaml != "" {
				path = filepath.Join(t.TempDir(), "config.yaml")
				if err := os.WriteFile(path, []byte(tc.yaml), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			cfg, err := Load(path, nil)
			if tc.problems == nil {
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(cfg.Auth.Policies, tc.want) {
					t.Fatalf("policies = %#v, want %#v", cfg.Auth.Policies, tc.want)
				}
				return
			}
			var invalid *Invalid
			if !errors.As(err, &invalid) {
				t.Fatalf("err = %v, want problems", err)
			}
			if len(invalid.Problems) != len(tc.problems) {
				t.Errorf("%d problems, want %d:\n%v", len(invalid.Problems), len(tc.problems), err)
			}
			for _, want := range tc.problems {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("missing problem %q in:\n%v", want, err)
				}
			}
		})
	}
}
