package transport

import "testing"

func TestNegotiate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		accept []string
		want   string
		wantOK bool
	}{
		{"no header", nil, mediaJSON, true},
		{"graphql response", []string{"application/graphql-response+json"}, mediaGraphQLResponse, true},
		{"both prefers graphql response", []string{"application/json, application/graphql-response+json"}, mediaGraphQLResponse, true},
		{"q values win", []string{"application/graphql-response+json;q=0.5, application/json"}, mediaJSON, true},
		{"wildcard", []string{"*/*"}, mediaJSON, true},
		{"html only", []string{"text/html"}, "", false},
		{"refused with q=0", []string{"application/json;q=0"}, "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, ok := negotiate(tc.accept)
			if got != tc.want || ok != tc.wantOK {
				t.Fatalf("negotiate(%v) = %q %v, want %q %v", tc.accept, got, ok, tc.want, tc.wantOK)
			}
		})
	}
}
