package searchtest

import (
	"github.com/cinegraph/cinegraph/internal/seed"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/search"
)

// SeedDocs builds index documents straight from the shared seed fixture,
// by id and in fixture order.
func SeedDocs() (map[string]search.Document, []search.Document) {
	f := seed.Generate()
	people := map[string]string{}
	for _, p := range f.People {
		people[p.ID] = p.Name
	}
	names := map[string]string{}
	for _, g := range f.Genres {
		names[g.Slug] = g.Name
	}
	byID := map[string]search.Document{}
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
		byID[t.ID] = d
		docs = append(docs, d)
	}
	return byID, docs
}

// IDs lists the hits' ids in order.
func IDs(res search.Result) []string {
	out := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		out[i] = h.ID
	}
	return out
}
