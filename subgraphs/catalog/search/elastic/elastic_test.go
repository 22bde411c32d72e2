package elastic_test

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/internal/enginetest"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/search"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/search/elastic"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/search/searchtest"
)

var aliasSeq atomic.Int64

// openFresh opens a Searcher on an alias no other test uses, and deletes
// the alias's indexes when the test ends.
func openFresh(t *testing.T) *elastic.Searcher {
	t.Helper()
	cfg := enginetest.Storage(t).Elasticsearch
	cfg.Addresses = enginetest.Elasticsearch(t)
	cfg.Index = fmt.Sprintf("cinegraph-test-%d-%d", time.Now().UnixNano(), aliasSeq.Add(1))
	s, err := elastic.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := s.DeleteAll(ctx); err != nil {
			t.Errorf("clean up %s: %v", cfg.Index, err)
		}
	})
	return s
}

func TestContract(t *testing.T) {
	t.Parallel()
	searchtest.Run(t, func(t *testing.T) search.Searcher { return openFresh(t) })
}

func TestSearchBeforeBuildIsNotBuilt(t *testing.T) {
	t.Parallel()
	s := openFresh(t)
	_, err := s.Search(context.Background(), search.Request{Query: "x", Limit: 1})
	if err == nil || !strings.Contains(err.Error(), search.ErrNotBuilt.Error()) {
		t.Fatalf("err = %v, want ErrNotBuilt", err)
	}
}

func openWith(ctx context.Context, cfg config.Elasticsearch) (*elastic.Searcher, error) {
	return elastic.Open(ctx, cfg)
}
