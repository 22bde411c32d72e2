package config

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestWebAuth(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		yaml    string
		environ []string
		want    WebAuth
		// problems, all reported at once; nil means valid
		problems []string
	}{
		{name: "off by default", want: WebAuth{Scopes: []string{"openid", "profile"}}},
		{
			name: "from a file",
			yaml: "auth:\n  oidc_issuers: [https://id.example]\n  audiences: [https://api.cinegraph.example]\n  web:\n    issuer: https://id.example\n    client_id: cinegraph-web\n    scopes: [openid, profile, email]\n    audience: https://api.cinegraph.example\n",
			want: WebAuth{Issuer: "https://id.example", ClientID: "cinegraph-web", Scopes: []string{"openid", "profile", "email"}, Audience: "https://api.cinegraph.example"},
		},
		{
			name: "from the environment",
			environ: []string{
				"CINEGRAPH_AUTH_OIDC_ISSUERS=http://127.0.0.1:8080",
				"CINEGRAPH_AUTH_WEB_ISSUER=http://127.0.0.1:8080",
				"CINEGRAPH_AUTH_WEB_CLIENT_ID=web",
				"CINEGRAPH_AUTH_WEB_SCOPES=openid, offline_access",
				"CINEGRAPH_AUTH_WEB_AUDIENCE=cinegraph",
			},
			want: WebAuth{Issuer: "http://127.0.0.1:8080", ClientID: "web", Scopes: []string{"openid", "offline_access"}, Audience: "cinegraph"},
		},
		{
			name:    "http on localhost",
			environ: []string{"CINEGRAPH_AUTH_OIDC_ISSUERS=http://localhost:9998/realms/x", "CINEGRAPH_AUTH_WEB_ISSUER=http://localhost:9998/realms/x", "CINEGRAPH_AUTH_WEB_CLIENT_ID=web"},
			want:    WebAuth{Issuer: "http://localhost:9998/realms/x", ClientID: "web", Scopes: []string{"openid", "profile"}},
		},
		{
			name:     "http elsewhere, not a trusted issuer, no client",
			environ:  []string{"CINEGRAPH_AUTH_OIDC_ISSUERS=https://id.example", "CINEGRAPH_AUTH_WEB_ISSUER=http://id.example"},
			problems: []string{`auth.web.issuer: "http://id.example" is not an https URL`, `auth.web.issuer: "http://id.example" is not one of auth.oidc_issuers`, "auth.web.client_id: required"},
		},
		{
			name:     "not a URL",
			environ:  []string{"CINEGRAPH_AUTH_WEB_ISSUER=id.example", "CINEGRAPH_AUTH_WEB_CLIENT_ID=web"},
			problems: []string{`auth.web.issuer: "id.example" is not an https URL`, "is not one of auth.oidc_issuers"},
		},
		{
			name: "scopes without openid, an audience the router refuses",
			environ: []string{
				"CINEGRAPH_AUTH_OIDC_ISSUERS=https://id.example", "CINEGRAPH_AUTH_AUDIENCES=api",
				"CINEGRAPH_AUTH_WEB_ISSUER=https://id.example", "CINEGRAPH_AUTH_WEB_CLIENT_ID=web",
				"CINEGRAPH_AUTH_WEB_SCOPES=profile", "CINEGRAPH_AUTH_WEB_AUDIENCE=other",
			},
			problems: []string{"auth.web.scopes: must include openid", `auth.web.audience: "other" is not one of auth.audiences`},
		},
		{
			name:     "a scope with a space",
			yaml:     "auth:\n  oidc_issuers: [https://id.example]\n  web:\n    issuer: https://id.example\n    client_id: web\n    scopes: [openid, 'a b']\n",
			problems: []string{`auth.web.scopes: "a b" is not a scope`},
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
			cfg, err := Load(path, tc.environ)
			if tc.problems == nil {
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(cfg.Auth.Web, tc.want) {
					t.Fatalf("auth.web = %#v, want %#v", cfg.Auth.Web, tc.want)
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
