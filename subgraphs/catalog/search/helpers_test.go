package search_test

import (
	"os"
	"testing"
)

// sharedDir holds the index shared by read-only tests; it outlives single
// tests, so it cannot be a t.TempDir.
var sharedDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "catalog-search-test-")
	if err != nil {
		panic(err)
	}
	sharedDir = dir
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}
