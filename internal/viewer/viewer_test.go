package viewer

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/cinegraph/cinegraph/internal/errs"
)

const secret = "router-secret"

func TestMiddleware(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name        string
		trust       Trust
		headers     map[string]string
		wantStatus  int
		wantProfile string
		wantScopes  string
	}{
		{"anonymous", Trust{RouterToken: secret}, nil, http.StatusOK, "", ""},
		{"from the router", Trust{RouterToken: secret}, map[string]string{RouterTokenHeader: secret, Header: "profile-3", ScopesHeader: "viewer admin"}, http.StatusOK, "profile-3", "viewer admin"},
		{"router, anonymous client", Trust{RouterToken: secret}, map[string]string{RouterTokenHeader: secret}, http.StatusOK, "", ""},
		{"profile without the router's token", Trust{RouterToken: secret}, map[string]string{Header: "profile-2"}, http.StatusUnauthorized, "", ""},
		{"scopes without the router's token", Trust{RouterToken: secret}, map[string]string{ScopesHeader: "admin"}, http.StatusUnauthorized, "", ""},
		{"wrong token", Trust{RouterToken: secret}, map[string]string{RouterTokenHeader: "guess", Header: "profile-2"}, http.StatusUnauthorized, "", ""},
		{"no secret configured trusts no one", Trust{}, map[string]string{RouterTokenHeader: "", Header: "profile-2"}, http.StatusUnauthorized, "", ""},
		{"no secret, any token", Trust{}, map[string]string{RouterTokenHeader: "x", Header: "profile-2"}, http.StatusUnauthorized, "", ""},
		{"malformed profile", Trust{RouterToken: secret}, map[string]string{RouterTokenHeader: secret, Header: "../etc"}, http.StatusBadRequest, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var got Viewer
			called := false
			h := tc.trust.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				called = true
				got, _ = From(r.Context())
			}))
			req := httptest.NewRequest(http.MethodPost, "/graphql", nil)
			for k, v := range tc.headers {
				req.Header.Set(k, v)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != tc.wantStatus {
				t.Fatalf("status %d, want %d (%s)", rec.Code, tc.wantStatus, rec.Body)
			}
			if tc.wantStatus != http.StatusOK {
				if called {
					t.Fatal("refused request reached the handler")
				}
				if !strings.Contains(rec.Body.String(), `"code"`) {
					t.Fatalf("body %s has no code", rec.Body)
				}
				return
			}
			if got.Profile != tc.wantProfile || strings.Join(got.Scopes, " ") != tc.wantScopes {
				t.Fatalf("viewer %+v, want %q %q", got, tc.wantProfile, tc.wantScopes)
			}
		})
	}
}

func TestFromInitPayload(t *testing.T) {
	t.Parallel()
	trusted := func() context.Context {
		var ctx context.Context
		Trust{RouterToken: secret}.Middleware(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { ctx = r.Context() })).
			ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/", nil))
		return ctx
	}
	ctx, err := FromInitPayload(trusted(), map[string]any{"x-cinegraph-router-token": secret, Header: "profile-2"})
	if v, _ := From(ctx); err != nil || v.Profile != "profile-2" {
		t.Fatalf("got %+v, %v", v, err)
	}
	if _, err := FromInitPayload(trusted(), map[string]any{"profile": "profile-2", Header: "profile-2"}); err == nil {
		t.Fatal("want an error for identity without the router's token")
	}
	if _, err := FromInitPayload(context.Background(), map[string]any{RouterTokenHeader: secret, Header: "profile-2"}); err == nil {
		t.Fatal("want an error where no trust was set up")
	}
	ctx, err = FromInitPayload(trusted(), map[string]any{})
	if _, ok := From(ctx); err != nil || ok {
		t.Fatalf("empty payload: viewer %v, err %v", ok, err)
	}
}

func TestOwner(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		ctx  context.Context
		want errs.Code
	}{
		{"anonymous", context.Background(), errs.Unauthenticated},
		{"owner", WithProfile(context.Background(), "profile-1"), ""},
		{"another profile", WithProfile(context.Background(), "profile-2"), errs.Forbidden},
		{"another profile with other scopes", With(context.Background(), Viewer{Profile: "profile-2", Scopes: []string{"viewer"}}), errs.Forbidden},
		{"operator", With(context.Background(), Viewer{Profile: "profile-2", Scopes: []string{AdminScope}}), ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := Owner(tc.ctx, "profile-1")
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			e, ok := errs.As(err)
			if !ok || e.Code != tc.want {
				t.Fatalf("err %v, want %s", err, tc.want)
			}
		})
	}
}
