package elastic

import (
	"github.com/cinegraph/cinegraph/subgraphs/catalog/search"
)

// facetSize covers every genre, kind and release year in the catalog.
const facetSize = 200

// textQuery matches the words of q with the weights the embedded index
// uses: exact and phrase matches on the name weigh most, fuzzy name
// matches catch typos, then cast, genres, synopsis. Scores add up.
func textQuery(q string) map[string]any {
	match := func(field string, boost float64, fuzzy bool) map[string]any {
		m := map[string]any{"query": q, "boost": boost}
		if fuzzy {
			m["fuzziness"] = "AUTO"
			m["prefix_length"] = 1
		}
		return map[string]any{"match": map[string]any{field: m}}
	}
	phrase := func(field string, boost float64) map[string]any {
		return map[string]any{"match_phrase": map[string]any{field: map[string]any{"query": q, "boost": boost}}}
	}
	return map[string]any{"bool": map[string]any{
		"should": []any{
			phrase(fieldName, 8),
			phrase(fieldCast, 6),
			match(fieldName, 4, false),
			match(fieldName, 2, true),
			match(fieldCast, 2, false),
			match(fieldCast, 1, true),
			match(fieldGenreNames, 1.5, false),
			match(fieldSynopsis, 1, false),
		},
		"minimum_should_match": 1,
	}}
}

// filters restrict hits without changing their scores.
func filters(req search.Request) []any {
	var out []any
	if req.Kind != "" {
		out = append(out, map[string]any{"term": map[string]any{fieldKind: req.Kind}})
	}
	if len(req.Genres) > 0 {
		out = append(out, map[string]any{"terms": map[string]any{fieldGenres: req.Genres}})
	}
	if len(req.MaturityRatings) > 0 {
		out = append(out, map[string]any{"terms": map[string]any{fieldMaturity: req.MaturityRatings}})
	}
	if req.ReleaseYearFrom != 0 || req.ReleaseYearTo != 0 {
		r := map[string]any{}
		if req.ReleaseYearFrom != 0 {
			r["gte"] = req.ReleaseYearFrom
		}
		if req.ReleaseYearTo != 0 {
			r["lte"] = req.ReleaseYearTo
		}
		out = append(out, map[string]any{"range": map[string]any{fieldReleaseYear: r}})
	}
	return out
}

// requestBody is the whole search: the filtered text query scaled by the
// editorial boost factor, a stable order (score, then id) so pages never
// overlap, facets over every match, and highlights in <em>.
func requestBody(req search.Request) map[string]any {
	boolQuery := map[string]any{"must": []any{textQuery(req.Query)}}
	if f := filters(req); len(f) > 0 {
		boolQuery["filter"] = f
	}
	terms := func(field string) map[string]any {
		return map[string]any{"terms": map[string]any{"field": field, "size": facetSize}}
	}
	return map[string]any{
		"from":             max(req.Offset, 0),
		"size":             max(req.Limit, 1),
		"track_total_hits": true,
		"_source":          false,
		"query": map[string]any{"function_score": map[string]any{
			"query": map[string]any{"bool": boolQuery},
			"functions": []any{map[string]any{"field_value_factor": map[string]any{
				"field": fieldBoostFactor, "missing": 1,
			}}},
			"boost_mode": "multiply",
		}},
		"sort": []any{
			map[string]any{"_score": "desc"},
			map[string]any{fieldID: "asc"},
		},
		"aggs": map[string]any{
			fieldGenres: terms(fieldGenres),
			fieldYear:   terms(fieldYear),
			fieldKind:   terms(fieldKind),
		},
		"highlight": map[string]any{
			"pre_tags":  []string{"<em>"},
			"post_tags": []string{"</em>"},
			"encoder":   "html",
			// The plain highlighter marks each matching word on its own, as
			// the embedded index does, rather than merging a phrase into one.
			"type": "plain",
			"fields": map[string]any{
				fieldName:     map[string]any{"number_of_fragments": 0},
				fieldSynopsis: map[string]any{"fragment_size": 150, "number_of_fragments": 3},
			},
		},
	}
}
