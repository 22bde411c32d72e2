package health

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestReady(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name       string
		checks     map[string]Check
		drain      bool
		wantStatus int
		wantBody   string
	}{
		{"all ok", map[string]Check{"db": func(context.Context) error { return nil }}, false, 200, `"status":"ok"`},
		{"one fails", map[string]Check{
			"db":  func(context.Context) error { return nil },
			"bus": func(context.Context) error { return errors.New("log closed") },
		}, false, 503, `"bus":"log closed"`},
		{"draining", map[string]Check{}, true, 503, `"status":"draining"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := New()
			for name, check := range tc.checks {
				c.Add(name, check)
			}
			if tc.drain {
				c.Drain()
			}
			mux := http.NewServeMux()
			c.Register(mux)
			rec := httptest.NewRecorder()
			mux.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/health/ready", nil))
			if rec.Code != tc.wantStatus || !strings.Contains(rec.Body.String(), tc.wantBody) {
				t.Fatalf("got %d %s", rec.Code, rec.Body.String())
			}
		})
	}
}
