package request_test

import (
	"net/http"
	"testing"

	"github.com/cinegraph/cinegraph/router/request"
)

func TestPreflighted(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		method   string
		header   http.Header
		required []string
		want     bool
	}{
		{"websocket operation", "", nil, request.DefaultCSRFHeaders, true},
		{"bare GET", http.MethodGet, nil, request.DefaultCSRFHeaders, false},
		{"bare POST", http.MethodPost, nil, request.DefaultCSRFHeaders, false},
		{"HEAD", http.MethodHead, nil, request.DefaultCSRFHeaders, false},
		{"PUT is always preflighted", http.MethodPut, nil, request.DefaultCSRFHeaders, true},
		{"GET as JSON", http.MethodGet, http.Header{"Content-Type": {"application/json"}}, request.DefaultCSRFHeaders, true},
		{"POST as JSON with charset", http.MethodPost, http.Header{"Content-Type": {"application/json; charset=utf-8"}}, request.DefaultCSRFHeaders, true},
		{"POST as graphql-response", http.MethodPost, http.Header{"Content-Type": {"application/graphql-response+json"}}, request.DefaultCSRFHeaders, true},
		{"text/plain", http.MethodPost, http.Header{"Content-Type": {"text/plain"}}, request.DefaultCSRFHeaders, false},
		{"text/plain with charset, any case", http.MethodPost, http.Header{"Content-Type": {"Text/Plain; charset=utf-8"}}, request.DefaultCSRFHeaders, false},
		{"form", http.MethodPost, http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}, request.DefaultCSRFHeaders, false},
		{"multipart form", http.MethodPost, http.Header{"Content-Type": {"multipart/form-data; boundary=x"}}, request.DefaultCSRFHeaders, false},
		{"unparsable type counts as simple", http.MethodPost, http.Header{"Content-Type": {"text/plain; x"}}, request.DefaultCSRFHeaders, false},
		{"two type lines are joined", http.MethodPost, http.Header{"Content-Type": {"text/plain", "application/json"}}, request.DefaultCSRFHeaders, false},
		{"X-Apollo-Operation-Name", http.MethodGet, http.Header{"X-Apollo-Operation-Name": {"Q"}}, request.DefaultCSRFHeaders, true},
		{"Apollo-Require-Preflight", http.MethodGet, http.Header{"Apollo-Require-Preflight": {"true"}}, request.DefaultCSRFHeaders, true},
		{"required header with empty value", http.MethodGet, http.Header{"Apollo-Require-Preflight": {""}}, request.DefaultCSRFHeaders, true},
		{"required header beside a form type", http.MethodPost, http.Header{"Content-Type": {"text/plain"}, "Apollo-Require-Preflight": {"1"}}, request.DefaultCSRFHeaders, true},
		{"a header not required", http.MethodGet, http.Header{"X-Cinegraph-Profile": {"profile-1"}}, request.DefaultCSRFHeaders, false},
		{"configured header", http.MethodGet, http.Header{"X-Cinegraph-Profile": {"profile-1"}}, []string{"X-Cinegraph-Profile"}, true},
		{"no required headers", http.MethodGet, http.Header{"Apollo-Require-Preflight": {"true"}}, nil, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := http.Header{}
			for k, vs := range tc.header {
				for _, v := range vs {
					h.Add(k, v)
				}
			}
			req := &request.Request{Method: tc.method, Header: h}
			if got := request.Preflighted(req, tc.required); got != tc.want {
				t.Fatalf("Preflighted = %v, want %v", got, tc.want)
			}
		})
	}
}
