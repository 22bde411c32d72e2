package elastic_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/internal/enginetest"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/search"
)

// indexesOf lists the concrete indexes named after alias, straight from the
// cluster, so litter from rebuilds would show.
func indexesOf(t *testing.T, alias string) []string {
	t.Helper()
	url := fmt.Sprintf("%s/_cat/indices/%s-*?format=json&h=index", enginetest.Elasticsearch(t)[0], alias)
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var rows []struct {
		Index string `json:"index"`
	}
	if err := json.NewDecoder(res.Body).Decode(&rows); err != nil {
		t.Fatal(err)
	}
	out := make([]string, 0, len(rows))
	for _, r := range rows {
		out = append(out, r.Index)
	}
	return out
}

func docs(n int, word string) []search.Document {
	out := make([]search.Document, n)
	for i := range out {
		out[i] = search.Document{ID: fmt.Sprintf("%s-%03d", word, i), Name: word + " " + fmt.Sprint(i), Kind: "MOVIE", ReleaseYear: 2000 + i%20}
	}
	return out
}

// TestRebuildHasNoDowntime searches without pause while the index is
// rebuilt several times: every search succeeds and sees a whole index, the
// old one or the new one, never a mix or a gap.
func TestRebuildHasNoDowntime(t *testing.T) {
	t.Parallel()
	s := openFresh(t)
	ctx := context.Background()
	alias := s.Alias()
	const size = 300
	if err := s.Rebuild(ctx, "0", docs(size, "amber")); err != nil {
		t.Fatal(err)
	}
	var stop atomic.Bool
	var wg sync.WaitGroup
	var searches atomic.Int64
	errs := make(chan error, 4)
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				amber, err := s.Search(ctx, search.Request{Query: "amber", Limit: 1})
				if err != nil {
					errs <- err
					return
				}
				cobalt, err := s.Search(ctx, search.Request{Query: "cobalt", Limit: 1})
				if err != nil {
					errs <- err
					return
				}
				// Each search sees a complete index of one word or the other.
				for _, got := range []int{amber.Total, cobalt.Total} {
					if got != 0 && got != size {
						errs <- fmt.Errorf("a search saw %d of %d titles", got, size)
						return
					}
				}
				searches.Add(1)
			}
		}()
	}
	for i, word := range []string{"cobalt", "amber", "cobalt"} {
		if err := s.Rebuild(ctx, fmt.Sprint(i+1), docs(size, word)); err != nil {
			t.Fatal(err)
		}
	}
	stop.Store(true)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if searches.Load() == 0 {
		t.Fatal("no search ran during the rebuilds")
	}
	if v, err := s.Version(ctx); err != nil || v != "3" {
		t.Errorf("version %q, %v; want 3", v, err)
	}
	// Only the live index is left.
	if got := indexesOf(t, alias); len(got) != 1 {
		t.Errorf("indexes after rebuilds: %v, want the live one only", got)
	}
}

func TestSuggestCompletesTitles(t *testing.T) {
	t.Parallel()
	s := openFresh(t)
	ctx := context.Background()
	in := []search.Document{
		{ID: "a", Name: "Midnight Station", Kind: "MOVIE"},
		{ID: "b", Name: "Midnight Harbor", Kind: "MOVIE"},
		{ID: "c", Name: "Glass Orchard", Kind: "SERIES"},
	}
	if err := s.Rebuild(ctx, "1", in); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		prefix string
		want   []string
	}{
		{"midn", []string{"Midnight Harbor", "Midnight Station"}},
		{"Glas", []string{"Glass Orchard"}},
		{"midnigt s", []string{"Midnight Station"}}, // a typo in the prefix
		{"zebra", nil},
	}
	for _, c := range cases {
		t.Run(c.prefix, func(t *testing.T) {
			t.Parallel()
			got, err := s.Suggest(ctx, c.prefix, 5)
			if err != nil {
				t.Fatal(err)
			}
			slices.Sort(got)
			if !slices.Equal(got, c.want) {
				t.Errorf("Suggest(%q) = %v, want %v", c.prefix, got, c.want)
			}
		})
	}
}

func TestOpenChecksTheCluster(t *testing.T) {
	t.Parallel()
	cfg := enginetest.Storage(t).Elasticsearch
	cfg.Addresses = []string{"http://127.0.0.1:1"}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := openWith(ctx, cfg); err == nil {
		t.Fatal("Open succeeded against a closed port")
	}
	cfg.Addresses = enginetest.Elasticsearch(t)
	cfg.Index = "Upper-Case"
	if _, err := openWith(ctx, cfg); err == nil {
		t.Fatal("Open accepted an upper-case alias")
	}
}
