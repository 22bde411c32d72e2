// Package search is the catalog's full-text search: the Searcher contract
// (the cluster deployment implements it on Elasticsearch) and its embedded
// implementation on bleve, with filters, facets, highlights on every field
// that matched and an editorial boost. Both engines match and rank by the
// rules in relevance.go: a title or a person named in full finds just
// those; otherwise every word of the query must match (typos are forgiven
// only when the words as typed find nothing), weighted title, people,
// genres, synopsis; so totalCount and facets count real matches.
package search

import "context"

// Document is one title as the index sees it.
type Document struct {
	ID             string
	Name           string
	Synopsis       string
	Kind           string
	MaturityRating string
	ReleaseYear    int
	// Genres are slugs (filtered and faceted); GenreNames are searched.
	Genres     []string
	GenreNames []string
	// Cast are the names of the people credited.
	Cast        []string
	SearchBoost float64
}

// Request is one search: a text query, filters and a page.
type Request struct {
	Query           string
	Kind            string
	Genres          []string
	ReleaseYearFrom int // 0: unbounded
	ReleaseYearTo   int // 0: unbounded
	MaturityRatings []string
	Offset          int
	Limit           int
}

// Highlight is the matching fragments of one field, matches in <em>.
type Highlight struct {
	Field     string
	Fragments []string
}

// Hit is one matching title.
type Hit struct {
	ID         string
	Score      float64
	Highlights []Highlight
}

// Bucket counts matching titles sharing a value.
type Bucket struct {
	Value string
	Count int
}

// Facets summarise every match, not only the page.
type Facets struct {
	Genres       []Bucket
	ReleaseYears []Bucket
	Kinds        []Bucket
}

// Result is one page of hits, best first.
type Result struct {
	Hits   []Hit
	Total  int
	Facets Facets
}

// Searcher searches the catalog.
type Searcher interface {
	// Search runs req.
	Search(ctx context.Context, req Request) (Result, error)
	// Rebuild replaces the whole index with docs, labelled version.
	Rebuild(ctx context.Context, version string, docs []Document) error
	// Version is the label of the last complete rebuild, "" when none.
	Version(ctx context.Context) (string, error)
	// Close releases the index.
	Close() error
}
