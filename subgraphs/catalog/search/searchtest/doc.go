// Package searchtest is the contract every catalog search.Searcher passes:
// relevance (exact, typo-tolerant, cast and genre matches, exact words
// above near misses), a totalCount of real matches only, filters, facets
// over every match, highlights (the cast's included), stable pages, the
// editorial boost and the version label. The bleve searcher and the
// Elasticsearch searcher both run it, so the two rank and filter the same
// way.
package searchtest
