package config

import (
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
