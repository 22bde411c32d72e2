// Package searchtest is the contract every catalog search.Searcher passes:
// relevance (exact, typo-tolerant, cast and genre matches), filters, facets
// over every match, highlights, stable pages, the editorial boost and the
// version label. The bleve searcher and the Elasticsearch searcher both run
// it, so the two rank and filter the same way.
package searchtest
