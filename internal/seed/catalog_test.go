package seed

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"
)

// TestRatingsFitGenres: no genre gets a rating its audience rules out.
func TestRatingsFitGenres(t *testing.T) {
	t.Parallel()
	f := Generate()
	cases := []struct {
		name   string
		genre  string
		banned []string
	}{
		{"horror is never for small children", "horror", []string{"G", "TV_Y"}},
		{"thriller is never for small children", "thriller", []string{"G", "TV_Y"}},
		{"crime is never for small children", "crime", []string{"G", "TV_Y"}},
		{"animation is never adults only", "animation", []string{"R", "NC_17", "TV_MA", "TV_14", "PG_13"}},
		{"family is never adults only", "family", []string{"R", "NC_17", "TV_MA", "TV_14", "PG_13"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			n := 0
			for _, title := range f.Titles {
				if !slices.Contains(title.Genres, c.genre) {
					continue
				}
				n++
				if slices.Contains(c.banned, title.MaturityRating) {
					t.Errorf("%s %q %v is rated %s", title.ID, title.Name, title.Genres, title.MaturityRating)
				}
			}
			if n == 0 {
				t.Fatalf("no %s title", c.genre)
			}
		})
	}
	for _, title := range f.Titles {
		ratings := movieRatings
		if title.Kind == "SERIES" {
			ratings = seriesRatings
		}
		if !slices.Contains(ratings, title.MaturityRating) {
			t.Errorf("%s %s rated %s", title.ID, title.Kind, title.MaturityRating)
		}
	}
}

// TestSynopsesRead: sentences start with a capital, articles fit the word
// after them, places keep their capitals.
func TestSynopsesRead(t *testing.T) {
	t.Parallel()
	f := Generate()
	var texts []string
	for _, title := range f.Titles {
		texts = append(texts, title.Synopsis)
		for _, s := range title.Seasons {
			for _, e := range s.Episodes {
				texts = append(texts, e.Synopsis)
			}
		}
	}
	aBeforeVowel := regexp.MustCompile(`(^|\s)[Aa] [aeiouAEIOU]`)
	anBeforeConsonant := regexp.MustCompile(`(^|\s)[Aa]n [^aeiouAEIOU]`)
	var lowerPlaces []*regexp.Regexp
	for _, p := range append(slices.Clone(settings), "Kyoto", "Lisbon", "Havana", "Berlin", "Marrakesh", "Reykjavik") {
		if unicode.IsUpper([]rune(p)[0]) {
			lowerPlaces = append(lowerPlaces, regexp.MustCompile(`\b`+strings.ToLower(p)+`\b`))
		}
	}
	checks := []struct {
		name string
		bad  func(s string) bool
	}{
		{"starts with a capital", func(s string) bool { return !unicode.IsUpper([]rune(s)[0]) }},
		{"ends a sentence", func(s string) bool { return !strings.HasSuffix(s, ".") }},
		{"a before a vowel", aBeforeVowel.MatchString},
		{"an before a consonant", anBeforeConsonant.MatchString},
		{"a place in lower case", func(s string) bool {
			return slices.ContainsFunc(lowerPlaces, func(r *regexp.Regexp) bool { return r.MatchString(s) })
		}},
	}
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			for _, s := range texts {
				if s == "" || c.bad(s) {
					t.Errorf("%q", s)
					return
				}
			}
		})
	}
}

func TestArticle(t *testing.T) {
	t.Parallel()
	cases := []struct{ in, want string }{
		{"architect", "an architect"},
		{"eccentric chef", "an eccentric chef"},
		{"thief", "a thief"},
		{"young pilot", "a young pilot"},
		{"", ""},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			if got := withArticle(c.in); got != c.want {
				t.Errorf("withArticle(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}
