package search

import (
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/standard"
)

// How both engines rank, so that they agree. A query is cut into terms
// (Terms) and every term must match one of the searched fields. Matches
// weigh by field: the name most, then the people credited, the genre names,
// the synopsis; the whole query as a phrase in the name, the cast or the
// synopsis adds to that, so an exact title or a full name comes first.
const (
	WeightName     = 4.0
	WeightCast     = 3.0
	WeightGenres   = 2.0
	WeightSynopsis = 1.0

	// ExactNameWeight adds to a title whose whole name is the query (case
	// and punctuation aside), above a sequel or a longer name holding it.
	ExactNameWeight = 10.0

	PhraseWeightName     = 8.0
	PhraseWeightCast     = 6.0
	PhraseWeightSynopsis = 2.0

	// FuzzyWeight scales a field's weight for a near miss (a typo), which
	// therefore always ranks below the same word spelt right.
	FuzzyWeight = 0.5
	// FuzzyPrefix is how many leading characters a near miss shares.
	FuzzyPrefix = 1
	// PhraseFuzziness is the edits each word of a misspelt full name in
	// the cast may be off by, when typos are forgiven.
	PhraseFuzziness = 1
)

// Mode is how strictly a query's terms must match. A search tries them in
// order and answers with the first that finds anything, so totalCount and
// facets count real matches, and typos are forgiven only when the words as
// typed find nothing.
type Mode int

const (
	// Phrase: the whole query, word for word, in the name or in the name
	// of someone credited: a title or a person, named in full.
	Phrase Mode = iota
	// Exact: every term, as typed, in some searched field.
	Exact
	// Fuzzy: every term, as typed or within Fuzziness edits.
	Fuzzy
	// Loose: all terms but one, fuzzily (any term, for one or two).
	Loose
)

// Modes are the modes a search tries, in order.
var Modes = []Mode{Phrase, Exact, Fuzzy, Loose}

// Applies reports whether m can find anything the modes before it did
// not, for a query of these terms: a phrase needs two words, typos need a
// word long enough for one, dropping a word needs two.
func (m Mode) Applies(terms []string) bool {
	switch m {
	case Phrase:
		return len(terms) > 1
	case Exact:
		return len(terms) > 0
	case Fuzzy:
		return slices.ContainsFunc(terms, func(t string) bool { return Fuzziness(t) > 0 })
	default:
		return len(terms) > 1
	}
}

// Forgiving reports whether m accepts near misses.
func (m Mode) Forgiving() bool { return m == Fuzzy || m == Loose }

// MinimumMatch is how many of n terms must match in mode m.
func (m Mode) MinimumMatch(n int) int {
	if m == Loose {
		return max(1, n-1)
	}
	return n
}

// Fuzziness is the edit distance a term may be misspelt by: none under five
// characters, where a typo is as likely another word, one up to six, two
// from seven.
func Fuzziness(term string) int {
	switch n := utf8.RuneCountInString(term); {
	case n >= 7:
		return 2
	case n >= 5:
		return 1
	}
	return 0
}

var queryAnalyzer = sync.OnceValue(func() analysis.Analyzer {
	return indexMapping().AnalyzerNamed(standard.Name)
})

// Terms are the distinct terms of q as the index analyses text (Unicode
// words, lower case, English stop words dropped), in order.
func Terms(q string) []string {
	var out []string
	for _, tok := range queryAnalyzer().Analyze([]byte(q)) {
		t := string(tok.Term)
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// NormalizeName is a name or query as the exact-name match compares it:
// its words, lower case, one space apart.
func NormalizeName(s string) string {
	words := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	return strings.Join(words, " ")
}
