package search_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/cinegraph/cinegraph/subgraphs/catalog/search"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/search/searchtest"
)

func TestBleveContract(t *testing.T) {
	t.Parallel()
	searchtest.Run(t, func(t *testing.T) search.Searcher {
		idx, err := search.Open(filepath.Join(t.TempDir(), search.DirName))
		if err != nil {
			t.Fatal(err)
		}
		return idx
	})
}

func TestVersionSurvivesReopen(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), search.DirName)
	idx, err := search.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	docs := []search.Document{{ID: "a", Name: "Echo Summit", Kind: "MOVIE"}}
	if err := idx.Rebuild(ctx, "42", docs); err != nil {
		t.Fatal(err)
	}
	if err := idx.Rebuild(ctx, "43", docs); err != nil {
		t.Fatal(err)
	}
	if err := idx.Close(); err != nil {
		t.Fatal(err)
	}
	again, err := search.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if v, _ := again.Version(ctx); v != "43" {
		t.Errorf("version after reopen %q, want 43", v)
	}
	res, err := again.Search(ctx, search.Request{Query: "echo", Limit: 1})
	if err != nil || len(res.Hits) != 1 {
		t.Errorf("search after reopen: %+v, %v", res, err)
	}
}
