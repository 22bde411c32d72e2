package elastic

import (
	"strconv"

	"github.com/cinegraph/cinegraph/subgraphs/catalog/search"
)

// Index field names.
const (
	fieldID          = "id"
	fieldName        = "name"
	fieldNameExact   = "nameExact"
	fieldSuggest     = "suggest"
	fieldSynopsis    = "synopsis"
	fieldCast        = "cast"
	fieldGenreNames  = "genreNames"
	fieldGenres      = "genres"
	fieldKind        = "kind"
	fieldMaturity    = "maturity"
	fieldYear        = "year"
	fieldReleaseYear = "releaseYear"
	fieldBoost       = "searchBoost"
	// fieldBoostFactor is 1 + search.BoostWeight*searchBoost, computed at
	// index time so the score factor needs no script.
	fieldBoostFactor = "boostFactor"
)

// mappingVersion changes whenever the mapping or document shape does, so
// indexes built by older code report no version and are rebuilt.
const mappingVersion = "m2"

// metaVersion is the _meta key holding mappingVersion:label.
const metaVersion = "cinegraph_version"

// textAnalyzer splits on Unicode word boundaries, lower-cases and drops
// English stop words, as the embedded bleve index does; it only uses
// analysis built into every Elasticsearch distribution.
const textAnalyzer = "cinegraph_text"

// indexBody is the settings and mapping of a new index labelled version.
func indexBody(version string) map[string]any {
	text := func() map[string]any {
		return map[string]any{"type": "text", "analyzer": textAnalyzer, "index_options": "offsets"}
	}
	keyword := map[string]any{"type": "keyword"}
	return map[string]any{
		"settings": map[string]any{
			// One shard: scores use the statistics of the whole catalog,
			// so ranking does not depend on how titles spread over shards.
			"number_of_shards":   1,
			"number_of_replicas": 0,
			"analysis": map[string]any{
				"filter": map[string]any{
					"cinegraph_stop": map[string]any{"type": "stop", "stopwords": "_english_"},
				},
				"analyzer": map[string]any{
					textAnalyzer: map[string]any{
						"type":      "custom",
						"tokenizer": "standard",
						"filter":    []string{"lowercase", "cinegraph_stop"},
					},
				},
			},
		},
		"mappings": map[string]any{
			"dynamic": "strict",
			"_meta":   map[string]string{metaVersion: mappingVersion + ":" + version},
			"properties": map[string]any{
				fieldID: keyword,
				fieldName: map[string]any{
					"type": "text", "analyzer": textAnalyzer, "index_options": "offsets",
					"fields": map[string]any{
						// Type-ahead over titles for a suggest query.
						fieldSuggest: map[string]any{"type": "completion", "analyzer": "simple"},
					},
				},
				fieldNameExact:   keyword,
				fieldSynopsis:    text(),
				fieldCast:        text(),
				fieldGenreNames:  text(),
				fieldGenres:      keyword,
				fieldKind:        keyword,
				fieldMaturity:    keyword,
				fieldYear:        keyword,
				fieldReleaseYear: map[string]any{"type": "integer"},
				fieldBoost:       map[string]any{"type": "float"},
				fieldBoostFactor: map[string]any{"type": "float"},
			},
		},
	}
}

// source is a Document as the index stores it.
func source(d search.Document) map[string]any {
	return map[string]any{
		fieldID:          d.ID,
		fieldName:        d.Name,
		fieldNameExact:   search.NormalizeName(d.Name),
		fieldSynopsis:    d.Synopsis,
		fieldCast:        nonNil(d.Cast),
		fieldGenreNames:  nonNil(d.GenreNames),
		fieldGenres:      nonNil(d.Genres),
		fieldKind:        d.Kind,
		fieldMaturity:    d.MaturityRating,
		fieldYear:        strconv.Itoa(d.ReleaseYear),
		fieldReleaseYear: d.ReleaseYear,
		fieldBoost:       d.SearchBoost,
		fieldBoostFactor: 1 + search.BoostWeight*d.SearchBoost,
	}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
