package catalogservice

import (
	"context"
	"fmt"

	"github.com/cinegraph/cinegraph/internal/seed"
)

// DatasetFromSeed extracts the catalog's part of the shared fixture.
func DatasetFromSeed(f *seed.Fixture) Dataset {
	d := Dataset{
		Genres:   make([]Genre, 0, len(f.Genres)),
		People:   make([]Person, 0, len(f.People)),
		Titles:   make([]Title, 0, len(f.Titles)),
		Profiles: make([]Profile, 0, len(f.Profiles)),
		MyList:   make([]ListEntry, 0, len(f.MyList)),
	}
	for _, g := range f.Genres {
		d.Genres = append(d.Genres, Genre{Slug: g.Slug, Name: g.Name})
	}
	for _, p := range f.People {
		d.People = append(d.People, Person{ID: p.ID, Name: p.Name, BirthYear: p.BirthYear})
	}
	for _, t := range f.Titles {
		d.Titles = append(d.Titles, Title{
			ID: t.ID, Name: t.Name, Synopsis: t.Synopsis, Kind: t.Kind,
			GenreSlugs: append([]string(nil), t.Genres...), ReleaseYear: t.ReleaseYear,
			MaturityRating: t.MaturityRating, RuntimeMinutes: t.RuntimeMinutes, SearchBoost: t.SearchBoost,
		})
		for i, c := range t.Credits {
			d.Credits = append(d.Credits, Credit{TitleID: t.ID, PersonID: c.PersonID, Role: c.Role, Character: c.Character, Billing: i + 1})
		}
		for _, s := range t.Seasons {
			season := Season{TitleID: t.ID, Number: s.Number, Episodes: make([]Episode, 0, len(s.Episodes))}
			for _, e := range s.Episodes {
				season.Episodes = append(season.Episodes, Episode{
					ID: e.ID, SeriesID: t.ID, SeasonNumber: s.Number, Number: e.Number,
					Name: e.Name, Synopsis: e.Synopsis, RuntimeMinutes: e.RuntimeMinutes,
				})
			}
			d.Seasons = append(d.Seasons, season)
		}
	}
	for _, p := range f.Profiles {
		d.Profiles = append(d.Profiles, Profile{ID: p.ID, Name: p.Name})
	}
	for _, e := range f.MyList {
		d.MyList = append(d.MyList, ListEntry{ProfileID: e.ProfileID, TitleID: e.TitleID, AddedAt: e.AddedAt})
	}
	return d
}

// Seed replaces the catalog with its part of the fixture and reindexes it;
// pending events are kept.
func (s *Service) Seed(ctx context.Context, f *seed.Fixture) error {
	return s.Replace(ctx, DatasetFromSeed(f))
}

// Replace swaps the whole catalog for d and reindexes it; pending events
// are kept.
func (s *Service) Replace(ctx context.Context, d Dataset) error {
	if err := s.store.Replace(ctx, d); err != nil {
		return fmt.Errorf("seed catalog: %w", err)
	}
	return s.RebuildIndex(ctx)
}

// Empty reports whether the store holds no titles.
func (s *Service) Empty(ctx context.Context) (bool, error) {
	ids, err := s.store.TitleIDs(ctx)
	if err != nil {
		return false, fmt.Errorf("count titles: %w", err)
	}
	return len(ids) == 0, nil
}

var _ seed.Seeder = (*Service)(nil)
