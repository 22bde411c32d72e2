package searchtest

import (
	"github.com/cinegraph/cinegraph/subgraphs/catalog/search"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/search/searcheval"
)

// SeedDocs builds index documents straight from the shared seed fixture,
// by id and in fixture order.
func SeedDocs() (map[string]search.Document, []search.Document) {
	docs := searcheval.SeedDocuments()
	byID := make(map[string]search.Document, len(docs))
	for _, d := range docs {
		byID[d.ID] = d
	}
	return byID, docs
}

// IDs lists the hits' ids in order.
func IDs(res search.Result) []string {
	out := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		out[i] = h.ID
	}
	return out
}
