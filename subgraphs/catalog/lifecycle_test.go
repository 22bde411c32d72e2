package catalog_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/cinegraph/cinegraph/internal/viewer/viewertest"

	"github.com/99designs/gqlgen/client"

	"github.com/cinegraph/cinegraph/subgraphs/catalog"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/search"
)

func myList(t *testing.T, sg *catalog.Subgraph) []string {
	t.Helper()
	var resp struct{ Viewer profileResp }
	ok(t, viewertest.Client(sg.Handler(), viewertest.As("profile-1")), `{ viewer { myList { id } } }`, &resp)
	return resp.Viewer.ids()
}

func searchHits(t *testing.T, sg *catalog.Subgraph, q string) int {
	t.Helper()
	var resp struct{ Search struct{ TotalCount int } }
	ok(t, viewertest.Client(sg.Handler(), viewertest.As("profile-1")), `query($q: String!) { search(query: $q) { totalCount } }`, &resp, client.Var("q", q))
	return resp.Search.TotalCount
}

func TestReopenKeepsDataAndIndex(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	opts := catalog.Options{DataDir: dir, Logger: quietLogger()}

	sg, err := catalog.Open(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := sg.Ready(ctx); err != nil {
		t.Fatal(err)
	}
	var added struct{ AddToMyList profileResp }
	ok(t, viewertest.Client(sg.Handler(), viewertest.As("profile-1")), `mutation { addToMyList(titleId: "t0100") { myList { id } } }`, &added)
	before := myList(t, sg)
	indexDir := filepath.Join(dir, search.DirName)
	stat, err := os.Stat(indexDir)
	if err != nil {
		t.Fatalf("no index under the data dir: %v", err)
	}
	if err := sg.Close(); err != nil {
		t.Fatal(err)
	}

	again, err := catalog.Open(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if got := myList(t, again); !slices.Equal(got, before) || got[0] != "t0100" {
		t.Errorf("my list after reopen %v, want %v (no reseed)", got, before)
	}
	if n := searchHits(t, again, "protocol"); n == 0 {
		t.Error("search finds nothing after reopen")
	}
	// An up-to-date index is reused, not rebuilt (a rebuild swaps in a new
	// directory).
	if now, err := os.Stat(indexDir); err != nil || !os.SameFile(now, stat) {
		t.Errorf("index rebuilt on reopen (%v)", err)
	}
}

func TestMissingIndexIsRebuilt(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	opts := catalog.Options{DataDir: dir, Logger: quietLogger()}
	sg, err := catalog.Open(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	want := searchHits(t, sg, "protocol")
	if err := sg.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(filepath.Join(dir, search.DirName)); err != nil {
		t.Fatal(err)
	}
	again, err := catalog.Open(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if got := searchHits(t, again, "protocol"); got != want || got == 0 {
		t.Errorf("after rebuild %d hits, want %d", got, want)
	}
}

func TestSeedRestoresFixture(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	sg := openSubgraph(t, nil)
	seeded := myList(t, sg)
	c := viewertest.Client(sg.Handler(), viewertest.As("profile-1"))
	var resp map[string]any
	ok(t, c, `mutation { a: addToMyList(titleId: "t0200") { id } b: removeFromMyList(titleId: "`+seeded[0]+`") { id } }`, &resp)
	if slices.Equal(myList(t, sg), seeded) {
		t.Fatal("mutations changed nothing")
	}
	if err := sg.Seed(ctx); err != nil {
		t.Fatal(err)
	}
	if got := myList(t, sg); !slices.Equal(got, seeded) {
		t.Errorf("after Seed %v, want %v", got, seeded)
	}
	if searchHits(t, sg, "Frozen Protocol") == 0 {
		t.Error("search empty after Seed")
	}
}

func TestOpenNeedsDataDir(t *testing.T) {
	t.Parallel()
	if _, err := catalog.Open(context.Background(), catalog.Options{}); err == nil {
		t.Error("Open without a data dir succeeded")
	}
}
