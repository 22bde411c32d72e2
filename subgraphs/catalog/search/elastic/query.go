package elastic

import (
	"github.com/cinegraph/cinegraph/subgraphs/catalog/search"
)

// facetSize covers every genre, kind and release year in the catalog.
const facetSize = 200

// searched are the text fields a query's terms are looked for in, with
// the weights the embedded index gives them.
var searched = []struct {
	field  string
	weight float64
}{
	{fieldName, search.WeightName},
	{fieldCast, search.WeightCast},
	{fieldGenreNames, search.WeightGenres},
	{fieldSynopsis, search.WeightSynopsis},
}

// textQuery matches the terms of q in mode exactly as the embedded index
// does (search.Mode): each term in any searched field, weighted by field,
// near misses below exact words, the whole query as the whole name or as a
// phrase adding to the score. Nil when the mode does not apply to q.
func textQuery(q string, mode search.Mode) map[string]any {
	terms := search.Terms(q)
	if !mode.Applies(terms) {
		return nil
	}
	clauses := make([]any, len(terms))
	for i, t := range terms {
		var alts []any
		for _, s := range searched {
			alts = append(alts, map[string]any{"term": map[string]any{s.field: map[string]any{"value": t, "boost": s.weight}}})
			if k := search.Fuzziness(t); mode.Forgiving() && k > 0 {
				alts = append(alts, map[string]any{"fuzzy": map[string]any{s.field: map[string]any{
					"value": t, "fuzziness": k, "prefix_length": search.FuzzyPrefix,
					"transpositions": false, "boost": s.weight * search.FuzzyWeight,
				}}})
			}
		}
		clauses[i] = map[string]any{"bool": map[string]any{"should": alts, "minimum_should_match": 1}}
	}
	b := map[string]any{"must": []any{map[string]any{"bool": map[string]any{
		"should": clauses, "minimum_should_match": mode.MinimumMatch(len(terms)),
	}}}}
	should := []any{map[string]any{"term": map[string]any{fieldNameExact: map[string]any{
		"value": search.NormalizeName(q), "boost": search.ExactNameWeight,
	}}}}
	if len(terms) > 1 {
		phrase := func(field string, weight float64) any {
			return map[string]any{"match_phrase": map[string]any{field: map[string]any{"query": q, "boost": weight}}}
		}
		should = append(should,
			phrase(fieldName, search.PhraseWeightName),
			phrase(fieldCast, search.PhraseWeightCast),
			phrase(fieldSynopsis, search.PhraseWeightSynopsis),
		)
		if mode.Forgiving() {
			// A misspelt full name, word by word within the phrase
			// fuzziness, adjacent and in order.
			spans := make([]any, len(terms))
			for i, t := range terms {
				spans[i] = map[string]any{"span_multi": map[string]any{"match": map[string]any{"fuzzy": map[string]any{
					fieldCast: map[string]any{"value": t, "fuzziness": search.PhraseFuzziness, "transpositions": false},
				}}}}
			}
			should = append(should, map[string]any{"span_near": map[string]any{
				"clauses": spans, "slop": 0, "in_order": true, "boost": search.PhraseWeightCast * search.FuzzyWeight,
			}})
		}
	}
	b["should"] = should
	if mode == search.Phrase {
		// Required, scoring nothing: the phrase clauses above score it.
		b["filter"] = []any{map[string]any{"bool": map[string]any{"should": []any{
			map[string]any{"match_phrase": map[string]any{fieldName: q}},
			map[string]any{"match_phrase": map[string]any{fieldCast: q}},
		}, "minimum_should_match": 1}}}
	}
	return map[string]any{"bool": b}
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

// requestBody is the whole search in mode: the filtered text query scaled
// by the editorial boost factor, a stable order (score, then id) so pages
// never overlap, facets over every match, and highlights in <em> on every
// field that matched. Nil when the mode does not apply to the query.
func requestBody(req search.Request, mode search.Mode) map[string]any {
	text := textQuery(req.Query, mode)
	if text == nil {
		return nil
	}
	boolQuery := map[string]any{"must": []any{text}}
	if f := filters(req); len(f) > 0 {
		boolQuery["filter"] = f
	}
	terms := func(field string) map[string]any {
		return map[string]any{"terms": map[string]any{"field": field, "size": facetSize}}
	}
	whole := map[string]any{"number_of_fragments": 0}
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
				fieldName:       whole,
				fieldCast:       whole,
				fieldGenreNames: whole,
				fieldSynopsis:   map[string]any{"fragment_size": 150, "number_of_fragments": 3},
			},
		},
	}
}
