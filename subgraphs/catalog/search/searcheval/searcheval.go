// Package searcheval measures how relevant the catalog's search is: it runs
// a judged query set (testdata/judgments.json beside the search package)
// against any search.Searcher built from the seed fixture and reports
// precision@k, NDCG@k, the zero-result rate and how totalCount compares with
// the titles judged relevant, per query category and overall, and how far
// two engines agree on their top k.
//
// How the judgments were made: every query was written for this project's
// seed catalog (titles, partial titles, misspellings, people's names,
// genres, and queries spanning fields such as "series set in Kyoto"), with
// the intent a viewer typing it would have. Each query's grades were then
// assigned from the seed fixture itself (dumped title by title: name,
// kind, genres, credits, synopsis), never from an engine's answer:
//
//	3  what the viewer meant: the title named (or misspelt); every title a
//	   named person is credited on; titles whose first genre is the genre
//	   asked for, or that have all the genres asked for; for a query over
//	   several fields, titles meeting every part (a series whose synopsis
//	   is set in Kyoto); for one title word, the titles with it in the name.
//	2  clearly relevant but not the one meant: the original or a sequel of
//	   the named title, another title with all of its words, a title with the
//	   genre among its others, a title crediting someone of the surname
//	   asked for, a series with the place in its name.
//	1  marginal: a title meeting one part of a query over several fields,
//	   or with only the synopsis mentioning a title word.
//	0  everything else, left out of the file.
//
// A title counts as relevant for precision when its grade is at least 1.
package searcheval

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"slices"
	"sort"

	"github.com/cinegraph/cinegraph/internal/seed"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/search"
)

// K is the cut-off the figures are reported at.
const K = 10

// Judgment is one query and the grades (1-3) of the titles that matter for
// it; titles not listed are graded 0.
type Judgment struct {
	Query    string         `json:"query"`
	Category string         `json:"category"`
	Grades   map[string]int `json:"grades"`
}

// Load reads a judgment file.
func Load(path string) ([]Judgment, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read judgments: %w", err)
	}
	var file struct {
		Queries []Judgment `json:"queries"`
	}
	if err := json.Unmarshal(raw, &file); err != nil {
		return nil, fmt.Errorf("decode judgments %s: %w", path, err)
	}
	for _, j := range file.Queries {
		for id, g := range j.Grades {
			if g < 0 || g > 3 {
				return nil, fmt.Errorf("query %q: grade %d for %s is outside 0-3", j.Query, g, id)
			}
		}
	}
	return file.Queries, nil
}

// SeedDocuments are the seed fixture's titles as the catalog indexes them,
// in fixture order.
func SeedDocuments() []search.Document {
	f := seed.Generate()
	people := map[string]string{}
	for _, p := range f.People {
		people[p.ID] = p.Name
	}
	names := map[string]string{}
	for _, g := range f.Genres {
		names[g.Slug] = g.Name
	}
	docs := make([]search.Document, 0, len(f.Titles))
	for _, t := range f.Titles {
		d := search.Document{ID: t.ID, Name: t.Name, Synopsis: t.Synopsis, Kind: t.Kind, MaturityRating: t.MaturityRating,
			ReleaseYear: t.ReleaseYear, Genres: t.Genres, SearchBoost: t.SearchBoost}
		for _, g := range t.Genres {
			d.GenreNames = append(d.GenreNames, names[g])
		}
		for _, c := range t.Credits {
			d.Cast = append(d.Cast, people[c.PersonID])
		}
		docs = append(docs, d)
	}
	return docs
}

// Outcome is one query's answer and its figures.
type Outcome struct {
	Judgment
	Top       []string // ids of the first K hits
	Total     int
	Precision float64
	NDCG      float64
}

// Relevant is how many titles the query's judgments grade 1 or more.
func (o Outcome) Relevant() int {
	n := 0
	for _, g := range o.Grades {
		if g > 0 {
			n++
		}
	}
	return n
}

// Figures summarise a set of outcomes.
type Figures struct {
	Queries   int
	Precision float64 // mean precision@K
	NDCG      float64 // mean NDCG@K
	ZeroRate  float64 // share of queries with no hit
	MeanTotal float64 // mean totalCount
	// MeanRelevant is the mean number of titles judged relevant; beside
	// MeanTotal it says how far totalCount overcounts.
	MeanRelevant float64
}

// Report is an engine's outcomes over the whole query set.
type Report struct {
	Engine   string
	Outcomes []Outcome
}

// EvaluateSeeded fills s with docs (SeedDocuments, what the judgments were
// written for), then evaluates js against it.
func EvaluateSeeded(ctx context.Context, engine string, s search.Searcher, docs []search.Document, js []Judgment) (Report, error) {
	if err := s.Rebuild(ctx, "eval", docs); err != nil {
		return Report{}, fmt.Errorf("build the %s index: %w", engine, err)
	}
	return Evaluate(ctx, engine, s, js)
}

// Evaluate runs every judged query against s, first K hits each.
func Evaluate(ctx context.Context, engine string, s search.Searcher, js []Judgment) (Report, error) {
	r := Report{Engine: engine, Outcomes: make([]Outcome, 0, len(js))}
	for _, j := range js {
		res, err := s.Search(ctx, search.Request{Query: j.Query, Limit: K})
		if err != nil {
			return Report{}, fmt.Errorf("%s: %w", engine, err)
		}
		top := make([]string, 0, len(res.Hits))
		for _, h := range res.Hits {
			top = append(top, h.ID)
		}
		r.Outcomes = append(r.Outcomes, Score(j, top, res.Total))
	}
	return r, nil
}

// Score is the outcome of j answered with top (best first, the first K
// used) out of total matches.
func Score(j Judgment, top []string, total int) Outcome {
	top = top[:min(len(top), K)]
	return Outcome{Judgment: j, Top: top, Total: total, Precision: precision(top, j.Grades), NDCG: ndcg(top, j.Grades)}
}

func precision(top []string, grades map[string]int) float64 {
	n := 0
	for _, id := range top {
		if grades[id] > 0 {
			n++
		}
	}
	return float64(n) / K
}

// ndcg is the discounted cumulative gain of top (gain 2^grade-1, log2
// discount) over that of the best possible order of the judged titles.
func ndcg(top []string, grades map[string]int) float64 {
	dcg := func(gs []int) float64 {
		s := 0.0
		for i, g := range gs {
			if i == K {
				break
			}
			s += (math.Pow(2, float64(g)) - 1) / math.Log2(float64(i+2))
		}
		return s
	}
	got := make([]int, len(top))
	for i, id := range top {
		got[i] = grades[id]
	}
	ideal := make([]int, 0, len(grades))
	for _, g := range grades {
		ideal = append(ideal, g)
	}
	sort.Sort(sort.Reverse(sort.IntSlice(ideal)))
	best := dcg(ideal)
	if best == 0 {
		return 0
	}
	return dcg(got) / best
}

// Summarise gives the figures over the outcomes of one category, or of all
// when category is "".
func (r Report) Summarise(category string) Figures {
	var f Figures
	for _, o := range r.Outcomes {
		if category != "" && o.Category != category {
			continue
		}
		f.Queries++
		f.Precision += o.Precision
		f.NDCG += o.NDCG
		if o.Total == 0 {
			f.ZeroRate++
		}
		f.MeanTotal += float64(o.Total)
		f.MeanRelevant += float64(o.Relevant())
	}
	if f.Queries > 0 {
		n := float64(f.Queries)
		f.Precision /= n
		f.NDCG /= n
		f.ZeroRate /= n
		f.MeanTotal /= n
		f.MeanRelevant /= n
	}
	return f
}

// Categories are the query categories of js, in first-seen order.
func Categories(js []Judgment) []string {
	var out []string
	for _, j := range js {
		if !slices.Contains(out, j.Category) {
			out = append(out, j.Category)
		}
	}
	return out
}

// Outcome returns the outcome of query, if it was run.
func (r Report) Outcome(query string) (Outcome, bool) {
	for _, o := range r.Outcomes {
		if o.Query == query {
			return o, true
		}
	}
	return Outcome{}, false
}

// Agreement compares two engines' first K hits query by query: the mean
// Jaccard index of the two sets, and the mean share of the first K they
// have in common (overlap@K, divided by the longer list, 1 when both are
// empty).
func Agreement(a, b Report) (jaccard, overlap float64) {
	n := 0
	for _, oa := range a.Outcomes {
		ob, ok := b.Outcome(oa.Query)
		if !ok {
			continue
		}
		n++
		j, o := Overlap(oa.Top, ob.Top)
		jaccard += j
		overlap += o
	}
	if n == 0 {
		return 0, 0
	}
	return jaccard / float64(n), overlap / float64(n)
}

// Overlap is the Jaccard index of two hit lists as sets, and the share of
// the longer one that both hold; both 1 when the lists are empty.
func Overlap(a, b []string) (jaccard, overlap float64) {
	inter := 0
	for _, id := range a {
		if slices.Contains(b, id) {
			inter++
		}
	}
	union := len(a) + len(b) - inter
	if union == 0 {
		return 1, 1
	}
	return float64(inter) / float64(union), float64(inter) / float64(max(len(a), len(b)))
}

// Pinned are an engine's figures on the judged set as last measured, which
// a test holds it to: a change in ranking that moves them, better or worse,
// must update them on purpose.
type Pinned struct {
	Precision, NDCG, ZeroRate, MeanTotal float64
	// Totals are the totalCount of single queries of the set.
	Totals map[string]int
}

// Tolerance is how far a mean may drift from its pinned value (relative,
// for means above 1) before Compare reports it.
const Tolerance = 0.0015

// Compare lists how r's figures differ from p; none when they match.
func (p Pinned) Compare(r Report) []string {
	var out []string
	f := r.Summarise("")
	for _, x := range []struct {
		name      string
		got, want float64
	}{
		{"precision@10", f.Precision, p.Precision},
		{"NDCG@10", f.NDCG, p.NDCG},
		{"zero-result rate", f.ZeroRate, p.ZeroRate},
		{"mean totalCount", f.MeanTotal, p.MeanTotal},
	} {
		if math.Abs(x.got-x.want) > Tolerance*math.Max(1, x.want) {
			out = append(out, fmt.Sprintf("%s %s = %.4f, pinned %.4f: update the pinned figures if the change is meant",
				r.Engine, x.name, x.got, x.want))
		}
	}
	queries := make([]string, 0, len(p.Totals))
	for q := range p.Totals {
		queries = append(queries, q)
	}
	sort.Strings(queries)
	for _, q := range queries {
		o, ok := r.Outcome(q)
		switch {
		case !ok:
			out = append(out, fmt.Sprintf("%q is not in the judged set", q))
		case o.Total != p.Totals[q]:
			out = append(out, fmt.Sprintf("%s %q totalCount %d, pinned %d", r.Engine, q, o.Total, p.Totals[q]))
		}
	}
	return out
}
