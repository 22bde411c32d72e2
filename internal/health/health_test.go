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
		details    map[string]any
		drain      bool
		wantStatus int
		wantBody   string
	}{
		{"all ok", map[string]Check{"db": func(context.Context) error { return nil }}, nil, false, 200, `"status":"ok"`},
		{"one fails", map[string]Check{
			"db":  func(context.Context) error { return nil },
			"bus": func(context.Context) error { return errors.New("log closed") },
		}, nil, false, 503, `"bus":"log closed"`},
		{"draining", map[string]Check{}, nil, true, 503, `"status":"draining"`},
		{"details do not decide readiness", map[string]Check{}, map[string]any{"subgraphs": map[string]string{"catalog": "down"}}, false, 200,
			`{"status":"ok","checks":{},"details":{"subgraphs":{"catalog":"down"}}}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := New()
			for name, check := range tc.checks {
				c.Add(name, check)
			}
			for name, d := range tc.details {
				c.AddDetail(name, func() any { return d })
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
