package viewer

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestMiddleware(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, header string
		wantStatus   int
		wantProfile  string
	}{
		{"default", "", http.StatusOK, DefaultProfile},
		{"named", "profile-3", http.StatusOK, "profile-3"},
		{"malformed", "../etc", http.StatusBadRequest, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got string
			h := Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got = Profile(r.Context()) }))
			req := httptest.NewRequest(http.MethodPost, "/graphql", nil)
			if tc.header != "" {
				req.Header.Set(Header, tc.header)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != tc.wantStatus {
				t.Fatalf("status %d, want %d", rec.Code, tc.wantStatus)
			}
			if got != tc.wantProfile {
				t.Fatalf("profile %q, want %q", got, tc.wantProfile)
			}
		})
	}
}

func TestFromInitPayload(t *testing.T) {
	t.Parallel()
	ctx, err := FromInitPayload(context.Background(), map[string]any{"profile": "profile-2"})
	if err != nil || Profile(ctx) != "profile-2" {
		t.Fatalf("got %q, %v", Profile(ctx), err)
	}
	if _, err := FromInitPayload(context.Background(), map[string]any{"profile": "bad id"}); err == nil {
		t.Fatal("want error for malformed id")
	}
}
