package seed

import (
	"fmt"
	"strings"
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
		if g.rng.IntN(100) < 28 {
			t.Kind = "SERIES"
			t.MaturityRating = g.pick([]string{"TV_Y", "TV_PG", "TV_14", "TV_14", "TV_MA"})
			t.Seasons = g.seasons(id)
		} else {
			t.Kind = "MOVIE"
			t.MaturityRating = g.pick([]string{"G", "PG", "PG_13", "PG_13", "R", "R", "NC_17"})
			t.RuntimeMinutes = g.between(78, 172)
		}
		t.Synopsis = g.synopsis(name, t.Genres)
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

func (g *generator) synopsis(name string, genreSlugs []string) string {
	hero := g.pick(firstNames)
	return fmt.Sprintf("%s %s %s. %s",
		g.pick(openings), strings.ToLower(g.pick(roles)), hero,
		fmt.Sprintf(g.pick(plots), hero, strings.ToLower(g.pick(places)))) +
		fmt.Sprintf(" A %s story from the makers of %s.", strings.ReplaceAll(genreSlugs[0], "-", " "), name)
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
			eps[e].Synopsis = fmt.Sprintf("%s %s.", g.pick(episodeBeats), strings.ToLower(g.pick(places)))
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
