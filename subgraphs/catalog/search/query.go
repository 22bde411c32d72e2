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

// searched are the text fields a query's terms are looked for in, with
// their weights.
var searched = []struct {
	field  string
	weight float64
}{
	{fieldName, WeightName},
	{fieldCast, WeightCast},
	{fieldGenreNames, WeightGenres},
	{fieldSynopsis, WeightSynopsis},
}

// textQuery matches the terms of q in mode (see Mode): each term in any
// searched field, weighted by field, near misses below exact words; the
// whole query as the whole name, or as a phrase, adds to the score. Nil
// when the mode does not apply to q.
//
// Which titles match and how they score are built apart: the terms'
// requirement filters, and every clause that can match adds its own score,
// as Elasticsearch's bool query adds its clauses. (A bleve disjunction
// would scale its sum by the share of clauses matched, so a word found in
// two fields would outweigh a full name found in one.)
func textQuery(q string, mode Mode) query.Query {
	terms := Terms(q)
	if !mode.Applies(terms) {
		return nil
	}
	var scoring []query.Query
	clauses := make([]query.Query, len(terms))
	for i, t := range terms {
		var alts []query.Query
		for _, s := range searched {
			tq := bleve.NewTermQuery(t)
			tq.SetField(s.field)
			tq.SetBoost(s.weight)
			alts = append(alts, tq)
			if mode.Forgiving() && Fuzziness(t) > 0 {
				fq := bleve.NewFuzzyQuery(t)
				fq.SetField(s.field)
				fq.SetFuzziness(Fuzziness(t))
				fq.Prefix = FuzzyPrefix
				fq.SetBoost(s.weight * FuzzyWeight)
				alts = append(alts, fq)
			}
		}
		clauses[i] = bleve.NewDisjunctionQuery(alts...)
		scoring = append(scoring, alts...)
	}
	matched := bleve.NewDisjunctionQuery(clauses...)
	matched.SetMin(float64(mode.MinimumMatch(len(terms))))
	var required query.Query = matched
	if mode == Phrase {
		name := bleve.NewMatchPhraseQuery(q)
		name.SetField(fieldName)
		cast := bleve.NewMatchPhraseQuery(q)
		cast.SetField(fieldCast)
		required = bleve.NewConjunctionQuery(matched, bleve.NewDisjunctionQuery(name, cast))
	}

	exact := bleve.NewTermQuery(NormalizeName(q))
	exact.SetField(fieldNameExact)
	exact.SetBoost(ExactNameWeight)
	scoring = append(scoring, exact)
	if len(terms) > 1 {
		for _, p := range []struct {
			field  string
			weight float64
		}{{fieldName, PhraseWeightName}, {fieldCast, PhraseWeightCast}, {fieldSynopsis, PhraseWeightSynopsis}} {
			pq := bleve.NewMatchPhraseQuery(q)
			pq.SetField(p.field)
			pq.SetBoost(p.weight)
			scoring = append(scoring, pq)
		}
		if mode.Forgiving() {
			// A misspelt name still finds the person it names ahead of
			// titles that credit two people sharing a name each.
			pq := bleve.NewMatchPhraseQuery(q)
			pq.SetField(fieldCast)
			pq.SetFuzziness(PhraseFuzziness)
			pq.SetBoost(PhraseWeightCast * FuzzyWeight)
			scoring = append(scoring, pq)
		}
	}
	// The requirement scores nothing; each scoring clause nests one level
	// as an optional addition to what is below it.
	var out query.Query
	req := bleve.NewBooleanQuery()
	req.AddFilter(required)
	out = req
	for _, c := range scoring {
		b := bleve.NewBooleanQuery()
		b.AddMust(out)
		b.AddShould(c)
		out = b
	}
	return out
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

// buildQuery is the text query in mode, filtered, scored with the editorial
// boost; nil when the mode does not apply to the query.
func buildQuery(req Request, mode Mode) query.Query {
	text := textQuery(req.Query, mode)
	if text == nil {
		return nil
	}
	b := bleve.NewBooleanQuery()
	b.AddMust(text)
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
