package seed

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

func (g *generator) titles(gs []Genre, people []Person) []Title {
	seen := map[string]bool{}
	out := make([]Title, 0, TitleCount)
	for i := 1; i <= TitleCount; i++ {
		id := fmt.Sprintf("t%04d", i)
		name := g.titleName()
		for n := 2; seen[name]; n++ {
			name = fmt.Sprintf("%s %s", strings.TrimSuffix(name, fmt.Sprintf(" %s", roman(n-1))), roman(n))
		}
		seen[name] = true

		t := Title{ID: id, Name: name, Genres: g.genreSlugs(gs), ReleaseYear: g.between(1962, 2026)}
		t.SearchBoost = float64(g.between(0, 100)) / 100
		text := synopsisRand(id)
		if g.rng.IntN(100) < 28 {
			t.Kind = "SERIES"
			g.skip(5) // the draw that once picked the rating
			t.Seasons = g.seasons(id)
		} else {
			t.Kind = "MOVIE"
			g.skip(7) // the draw that once picked the rating
			t.RuntimeMinutes = g.between(78, 172)
		}
		t.MaturityRating = maturityRating(text, t.Kind, t.Genres)
		// The synopsis once took five draws from the shared stream (a name,
		// one of 8 openings, 12 roles, 6 plots, a place); they are still
		// taken so every later generator sees the same numbers.
		g.skip(len(firstNames), 8, 12, 6, len(places))
		t.Synopsis = synopsis(text, t)
		t.Credits = g.credits(t.Kind, people)
		out = append(out, t)
	}
	return out
}

func (g *generator) titleName() string {
	switch g.rng.IntN(5) {
	case 0:
		return "The " + g.pick(adjectives) + " " + g.pick(nouns)
	case 1:
		return g.pick(nouns) + " of " + g.pick(places)
	case 2:
		return g.pick(adjectives) + " " + g.pick(nouns)
	case 3:
		return "The " + g.pick(nouns) + " " + g.pick(suffixes)
	default:
		return g.pick(nouns) + " in " + g.pick(places)
	}
}

func (g *generator) genreSlugs(gs []Genre) []string {
	n := g.between(1, 3)
	used := map[string]bool{}
	var out []string
	for len(out) < n {
		s := gs[g.rng.IntN(len(gs))].Slug
		if !used[s] {
			used[s] = true
			out = append(out, s)
		}
	}
	return out
}

// skip takes draws of the given sizes from the shared stream and discards
// them: text that now comes from a per-title stream leaves the shared one
// where it always was.
func (g *generator) skip(sizes ...int) {
	for _, n := range sizes {
		g.rng.IntN(n)
	}
}

// synopsisRand is a title's own stream for its synopsis and rating, seeded
// from its id: deterministic, and independent of every other draw.
func synopsisRand(id string) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(id))
	return rand.New(rand.NewPCG(h.Sum64(), 0x73796e6f70736973))
}

// synopsis is two or three sentences: who the hero is, where, and what
// happens (by the title's first genre), then the genre's tone, and for a
// series how long it runs.
func synopsis(r *rand.Rand, t Title) string {
	pick := func(words []string) string { return words[r.IntN(len(words))] }
	hero := pick(firstNames)
	role := pick(roleNouns)
	if r.IntN(3) == 0 {
		role = pick(roleAdjectives) + " " + role
	}
	who := withArticle(role)
	place := pick(settings)
	plot := pick(genrePlots[t.Genres[0]])
	var first string
	switch r.IntN(4) {
	case 0:
		first = fmt.Sprintf("In %s, %s named %s %s.", place, who, hero, plot)
	case 1:
		first = fmt.Sprintf("%s, %s from %s, %s.", hero, who, place, plot)
	case 2:
		first = fmt.Sprintf("%s %s, %s living in %s, %s.", pick(openers), hero, who, place, plot)
	default:
		story := "film"
		if t.Kind == "SERIES" {
			story = "series"
		}
		first = fmt.Sprintf("Set in %s, the %s follows %s, %s, who %s.", place, story, hero, who, plot)
	}
	first = capitalize(first)
	coda := pick(genreCodas[t.Genres[len(t.Genres)-1]])
	out := first + " " + coda
	if t.Kind == "SERIES" {
		switch n := len(t.Seasons); n {
		case 1:
			out += " A limited series in one season."
		default:
			out += fmt.Sprintf(" The series runs for %s seasons.", []string{"", "", "two", "three", "four"}[min(n, 4)])
		}
	}
	return out
}

// withArticle puts "a" or "an" before a noun phrase, by its first sound as
// far as the seeded vocabulary needs.
func withArticle(phrase string) string {
	if phrase == "" {
		return phrase
	}
	switch unicode.ToLower([]rune(phrase)[0]) {
	case 'a', 'e', 'i', 'o', 'u':
		return "an " + phrase
	}
	return "a " + phrase
}

// capitalize upper-cases the first letter of s.
func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// Maturity ratings in order of what they allow, for films and for series.
var (
	movieRatings  = []string{"G", "PG", "PG_13", "R", "NC_17"}
	seriesRatings = []string{"TV_Y", "TV_PG", "TV_14", "TV_MA"}
)

// ratingBounds are the lowest and highest rating level (an index into
// movieRatings; series stop at TV_MA, level 3) a genre allows: horror and
// thriller are never for small children, animation and family never for
// adults only.
var ratingBounds = map[string][2]int{
	"action":    {1, 3},
	"crime":     {2, 3},
	"horror":    {2, 4},
	"thriller":  {2, 3},
	"war":       {2, 3},
	"western":   {1, 3},
	"mystery":   {1, 3},
	"sci-fi":    {0, 3},
	"animation": {0, 1},
	"family":    {0, 1},
	"romance":   {1, 3},
	"drama":     {1, 3},
}

// maturityRating is a rating every genre of the title allows. A title whose
// genres disagree (an animated horror) gets the highest rating the family
// genres allow: the audience they are made for decides.
func maturityRating(r *rand.Rand, kind string, genres []string) string {
	lo, hi := 0, 3
	for _, g := range genres {
		b, ok := ratingBounds[g]
		if !ok {
			continue
		}
		lo, hi = max(lo, b[0]), min(hi, b[1])
	}
	// NC-17 only where horror allows it, and rarely.
	if slices.Contains(genres, "horror") && hi == 3 && kind == "MOVIE" && r.IntN(6) == 0 {
		return movieRatings[4]
	}
	if lo > hi {
		lo = hi
	}
	level := lo + r.IntN(hi-lo+1)
	if kind == "SERIES" {
		return seriesRatings[min(level, len(seriesRatings)-1)]
	}
	return movieRatings[level]
}

func (g *generator) seasons(titleID string) []Season {
	count := g.between(1, 4)
	runtime := g.pick([]string{"22", "30", "45", "52", "58"})
	var minutes int
	fmt.Sscan(runtime, &minutes)
	seasons := make([]Season, count)
	for s := range seasons {
		eps := make([]Episode, g.between(6, 10))
		for e := range eps {
			eps[e] = Episode{
				ID:             fmt.Sprintf("%s-s%02de%02d", titleID, s+1, e+1),
				Number:         e + 1,
				Name:           g.episodeName(),
				RuntimeMinutes: minutes + g.between(-3, 4),
			}
			eps[e].Synopsis = fmt.Sprintf("%s %s.", g.pick(episodeBeats), episodeSetting(g.pick(places)))
		}
		seasons[s] = Season{Number: s + 1, Episodes: eps}
	}
	return seasons
}

func (g *generator) episodeName() string {
	if g.rng.IntN(2) == 0 {
		return "The " + g.pick(nouns)
	}
	return g.pick(adjectives) + " " + g.pick(nouns)
}

func (g *generator) credits(kind string, people []Person) []Credit {
	used := map[int]bool{}
	person := func() string {
		for {
			i := g.rng.IntN(len(people))
			if !used[i] {
				used[i] = true
				return people[i].ID
			}
		}
	}
	var out []Credit
	if kind == "SERIES" {
		out = append(out, Credit{PersonID: person(), Role: "CREATOR"})
	} else {
		out = append(out, Credit{PersonID: person(), Role: "DIRECTOR"})
	}
	out = append(out, Credit{PersonID: person(), Role: "WRITER"})
	for i, n := 0, g.between(4, 8); i < n; i++ {
		out = append(out, Credit{PersonID: person(), Role: "ACTOR", Character: g.pick(firstNames) + " " + g.pick(lastNames)})
	}
	return out
}

func roman(n int) string {
	numerals := []string{"", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"}
	if n < len(numerals) {
		return numerals[n]
	}
	return fmt.Sprint(n)
}

// episodeSetting is a title place as an episode synopsis says it: places
// keep their capitals, and the abstract ones read as settings.
func episodeSetting(place string) string {
	switch place {
	case "Winter":
		return "the dead of winter"
	case "Tomorrow":
		return "a world a few years from now"
	case "Mars":
		return "a colony on Mars"
	}
	return place
}
