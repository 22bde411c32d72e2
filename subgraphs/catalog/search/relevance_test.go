package search_test

import (
	"slices"
	"testing"

	"github.com/cinegraph/cinegraph/subgraphs/catalog/search"
)

func TestTermsAndFuzziness(t *testing.T) {
	t.Parallel()
	cases := []struct {
		query     string
		terms     []string
		fuzziness []int
	}{
		{"The Frozen Protocol", []string{"frozen", "protocol"}, []int{1, 2}},
		{"garden", []string{"garden"}, []int{1}},
		{"Oscar Xu", []string{"oscar", "xu"}, []int{1, 0}},
		{"echo echo", []string{"echo"}, []int{0}},
		{"Science-Fiction in Kyoto", []string{"science", "fiction", "kyoto"}, []int{2, 2, 1}},
		{"the", nil, nil},
	}
	for _, c := range cases {
		t.Run(c.query, func(t *testing.T) {
			t.Parallel()
			got := search.Terms(c.query)
			if !slices.Equal(got, c.terms) {
				t.Fatalf("Terms = %q, want %q", got, c.terms)
			}
			for i, term := range got {
				if f := search.Fuzziness(term); f != c.fuzziness[i] {
					t.Errorf("Fuzziness(%q) = %d, want %d", term, f, c.fuzziness[i])
				}
			}
		})
	}
}

func TestModesApply(t *testing.T) {
	t.Parallel()
	cases := []struct {
		query string
		modes []search.Mode
	}{
		{"garden", []search.Mode{search.Exact, search.Fuzzy}},
		{"Oscar Xu", []search.Mode{search.Phrase, search.Exact, search.Fuzzy, search.Loose}},
		{"war", []search.Mode{search.Exact}},
		{"the", nil},
	}
	for _, c := range cases {
		t.Run(c.query, func(t *testing.T) {
			t.Parallel()
			var got []search.Mode
			for _, m := range search.Modes {
				if m.Applies(search.Terms(c.query)) {
					got = append(got, m)
				}
			}
			if !slices.Equal(got, c.modes) {
				t.Errorf("modes %v, want %v", got, c.modes)
			}
		})
	}
}

func TestNormalizeName(t *testing.T) {
	t.Parallel()
	cases := []struct{ in, want string }{
		{"The Frozen Protocol", "the frozen protocol"},
		{"  the frozen   protocol!", "the frozen protocol"},
		{"Tide in Marrakesh II", "tide in marrakesh ii"},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			if got := search.NormalizeName(c.in); got != c.want {
				t.Errorf("NormalizeName(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}
