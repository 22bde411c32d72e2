package catalog_test

import (
	"context"
	"encoding/json"
	"os"
	"reflect"
	"testing"

	"github.com/cinegraph/cinegraph/subgraphs/catalog"
)

// sharedSubgraph serves the read-only tests; opening and seeding a catalog
// takes a while, so they share one. Tests that write open their own.
var sharedSubgraph struct {
	sg  *catalog.Subgraph
	err error
}

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "catalog-test-")
	if err != nil {
		panic(err)
	}
	sharedSubgraph.sg, sharedSubgraph.err = catalog.Open(context.Background(), catalog.Options{DataDir: dir, Logger: quietLogger()})
	code := m.Run()
	if sharedSubgraph.sg != nil {
		_ = sharedSubgraph.sg.Close()
	}
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

func shared(t *testing.T) *catalog.Subgraph {
	t.Helper()
	if sharedSubgraph.err != nil {
		t.Fatal(sharedSubgraph.err)
	}
	return sharedSubgraph.sg
}

// equalJSON compares a decoded JSON value with an expected Go value.
func equalJSON(got, want any) bool {
	a, _ := json.Marshal(got)
	b, _ := json.Marshal(want)
	var x, y any
	_ = json.Unmarshal(a, &x)
	_ = json.Unmarshal(b, &y)
	return reflect.DeepEqual(x, y)
}
