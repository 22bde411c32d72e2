package search

import (
	"context"
	"strings"

	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
)

// BoostWeight scales the editorial boost: a title's score is multiplied by
// 1 + BoostWeight*searchBoost, so the boost orders near-equal matches
// without lifting a weak match over a strong one.
const BoostWeight = 0.5

// textQuery matches the words of q: exact and phrase matches on the name
// weigh most, fuzzy name matches catch typos, then cast, genres, synopsis.
func textQuery(q string) query.Query {
	match := func(field string, boost float64, fuzzy bool) query.Query {
		m := bleve.NewMatchQuery(q)
		m.SetField(field)
		m.SetBoost(boost)
		if fuzzy {
			m.SetAutoFuzziness(true)
		}
		return m
	}
	phrase := func(field string, boost float64) query.Query {
		p := bleve.NewMatchPhraseQuery(q)
		p.SetField(field)
		p.SetBoost(boost)
		return p
	}
	return bleve.NewDisjunctionQuery(
		phrase(fieldName, 8),
		phrase(fieldCast, 6),
		match(fieldName, 4, false),
		match(fieldName, 2, true),
		match(fieldCast, 2, false),
		match(fieldCast, 1, true),
		match(fieldGenreNames, 1.5, false),
		match(fieldSynopsis, 1, false),
	)
}

// filterQuery restricts hits without changing their scores; nil when the
// request has no filters.
func filterQuery(req Request) query.Query {
	var must []query.Query
	term := func(field, value string) query.Query {
		t := bleve.NewTermQuery(value)
		t.SetField(field)
		return t
	}
	anyOf := func(field string, values []string) query.Query {
		qs := make([]query.Query, len(values))
		for i, v := range values {
			qs[i] = term(field, v)
		}
		return bleve.NewDisjunctionQuery(qs...)
	}
	if req.Kind != "" {
		must = append(must, term(fieldKind, req.Kind))
	}
	if len(req.Genres) > 0 {
		must = append(must, anyOf(fieldGenres, req.Genres))
	}
	if len(req.MaturityRatings) > 0 {
		must = append(must, anyOf(fieldMaturity, req.MaturityRatings))
	}
	if req.ReleaseYearFrom != 0 || req.ReleaseYearTo != 0 {
		var lo, hi *float64
		inclusive := true
		if req.ReleaseYearFrom != 0 {
			v := float64(req.ReleaseYearFrom)
			lo = &v
		}
		if req.ReleaseYearTo != 0 {
			v := float64(req.ReleaseYearTo)
			hi = &v
		}
		r := bleve.NewNumericRangeInclusiveQuery(lo, hi, &inclusive, &inclusive)
		r.SetField(fieldReleaseYear)
		must = append(must, r)
	}
	if len(must) == 0 {
		return nil
	}
	return bleve.NewConjunctionQuery(must...)
}

// buildQuery is the text query, filtered, scored with the editorial boost.
func buildQuery(req Request) query.Query {
	b := bleve.NewBooleanQuery()
	b.AddMust(textQuery(req.Query))
	if f := filterQuery(req); f != nil {
		b.AddFilter(f)
	}
	return query.NewCustomScoreQueryWithScorer(b, boostScore, []string{fieldBoost}, nil)
}

func boostScore(_ context.Context, d *bsearch.DocumentMatch) (float64, error) {
	boost, _ := d.Fields[fieldBoost].(float64)
	return d.Score * (1 + BoostWeight*boost), nil
}

// emphasize swaps bleve's <mark> for the <em> the API promises. Text is
// HTML-escaped by the highlighter, so only its own markers contain '<'.
func emphasize(fragment string) string {
	return strings.NewReplacer("<mark>", "<em>", "</mark>", "</em>").Replace(fragment)
}
