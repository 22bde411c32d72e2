package catalogpostgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cinegraph/cinegraph/subgraphs/catalog/catalogservice"
)

// Replace swaps the whole catalog for d in one transaction: rows are
// deleted (so concurrent readers keep seeing the old catalog until commit)
// and the new ones streamed in with COPY. A dataset breaking a reference
// fails a foreign key and leaves the old catalog and version in place.
func (s *Store) Replace(ctx context.Context, d catalogservice.Dataset) error {
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		for _, table := range []string{"my_list", "credits", "title_genres", "episodes", "titles", "people", "genres", "profiles"} {
			if _, err := tx.Exec(ctx, `DELETE FROM `+table); err != nil {
				return fmt.Errorf("clear %s: %w", table, err)
			}
		}
		for _, c := range copies(d) {
			if len(c.rows) == 0 {
				continue
			}
			if _, err := tx.CopyFrom(ctx, pgx.Identifier{c.table}, c.columns, pgx.CopyFromRows(c.rows)); err != nil {
				return fmt.Errorf("copy %s: %w", c.table, err)
			}
		}
		// The version only ever grows, and is a clock reading so that a
		// fresh database never reuses the version of an index built from
		// an old one.
		if _, err := tx.Exec(ctx, `UPDATE catalog_meta SET value = GREATEST(value + 1, $1) WHERE key = 'version'`, time.Now().UnixNano()); err != nil {
			return fmt.Errorf("bump version: %w", err)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("replace catalog: %w", err)
	}
	return nil
}

// tableCopy is the rows of one table, in COPY's shape.
type tableCopy struct {
	table   string
	columns []string
	rows    [][]any
}

// copies lays d out table by table, referenced tables first.
func copies(d catalogservice.Dataset) []tableCopy {
	genres := tableCopy{table: "genres", columns: []string{"slug", "name"}}
	for _, g := range d.Genres {
		genres.rows = append(genres.rows, []any{g.Slug, g.Name})
	}
	people := tableCopy{table: "people", columns: []string{"id", "name", "birth_year"}}
	for _, p := range d.People {
		people.rows = append(people.rows, []any{p.ID, p.Name, p.BirthYear})
	}
	titles := tableCopy{table: "titles", columns: []string{"id", "name", "synopsis", "kind", "release_year", "maturity_rating", "runtime_minutes", "search_boost"}}
	titleGenres := tableCopy{table: "title_genres", columns: []string{"title_id", "genre_slug", "position"}}
	for _, t := range d.Titles {
		titles.rows = append(titles.rows, []any{t.ID, t.Name, t.Synopsis, t.Kind, t.ReleaseYear, t.MaturityRating, t.RuntimeMinutes, t.SearchBoost})
		for i, g := range t.GenreSlugs {
			titleGenres.rows = append(titleGenres.rows, []any{t.ID, g, i})
		}
	}
	credits := tableCopy{table: "credits", columns: []string{"title_id", "billing", "person_id", "role", "character"}}
	for _, c := range d.Credits {
		credits.rows = append(credits.rows, []any{c.TitleID, c.Billing, c.PersonID, c.Role, c.Character})
	}
	episodes := tableCopy{table: "episodes", columns: []string{"id", "series_id", "season_number", "number", "name", "synopsis", "runtime_minutes"}}
	for _, season := range d.Seasons {
		for _, e := range season.Episodes {
			episodes.rows = append(episodes.rows, []any{e.ID, season.TitleID, season.Number, e.Number, e.Name, e.Synopsis, e.RuntimeMinutes})
		}
	}
	profiles := tableCopy{table: "profiles", columns: []string{"id", "name"}}
	for _, p := range d.Profiles {
		profiles.rows = append(profiles.rows, []any{p.ID, p.Name})
	}
	myList := tableCopy{table: "my_list", columns: []string{"profile_id", "title_id", "added_at"}}
	for _, e := range d.MyList {
		myList.rows = append(myList.rows, []any{e.ProfileID, e.TitleID, e.AddedAt})
	}
	return []tableCopy{genres, people, titles, titleGenres, credits, episodes, profiles, myList}
}
