package persisted_test

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/cinegraph/cinegraph/router/persisted"
)

// TestWebAppManifest reads the manifest the web app's build commits: its
// ids are the SHA-256 of the bodies, so APQ hashes and ids agree.
func TestWebAppManifest(t *testing.T) {
	t.Parallel()
	m, err := persisted.LoadManifest("../../frontend/persisted-query-manifest.json")
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile("../../frontend/persisted-query-manifest.json")
	if err != nil {
		t.Fatal(err)
	}
	var f struct{ Operations []persisted.Operation }
	if err := json.Unmarshal(raw, &f); err != nil {
		t.Fatal(err)
	}
	if m.Len() == 0 || m.Len() != len(f.Operations) {
		t.Fatalf("%d operations, file has %d", m.Len(), len(f.Operations))
	}
	for _, op := range f.Operations {
		if op.ID != persisted.Hash(op.Body) {
			t.Errorf("%s: id %s is not the SHA-256 of its body", op.Name, op.ID)
		}
		if body, ok := m.Lookup(op.ID); !ok || !m.Contains(body) {
			t.Errorf("%s: not found by id or body", op.Name)
		}
	}
}

func TestParseManifest(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		raw     string
		wantErr string
	}{
		{"valid", `{"format":"apollo-persisted-query-manifest","version":1,"operations":[{"id":"a","name":"A","type":"query","body":"{ a }"}]}`, ""},
		{"empty", `{"format":"apollo-persisted-query-manifest","version":1,"operations":[]}`, ""},
		{"other format", `{"format":"relay","version":1,"operations":[]}`, "want \"apollo-persisted-query-manifest\" version 1"},
		{"version 2", `{"format":"apollo-persisted-query-manifest","version":2,"operations":[]}`, "version 1"},
		{"no body", `{"format":"apollo-persisted-query-manifest","version":1,"operations":[{"id":"a","name":"A"}]}`, "needs an id and a body"},
		{"duplicate id", `{"format":"apollo-persisted-query-manifest","version":1,"operations":[{"id":"a","body":"{ a }"},{"id":"a","body":"{ b }"}]}`, "appears twice"},
		{"not json", `{`, "decode"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m, err := persisted.ParseManifest([]byte(tc.raw))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if body, ok := m.Lookup("a"); m.Len() > 0 && (!ok || body != "{ a }" || !m.Contains("{ a }") || m.Contains("{ b }")) {
				t.Fatalf("Lookup(a) = %q, %v", body, ok)
			}
		})
	}
}

func TestSafelistNeedsManifest(t *testing.T) {
	t.Parallel()
	if _, err := persisted.New(persisted.Config{Safelist: true}); err == nil {
		t.Fatal("a safelist without a manifest was accepted")
	}
}
