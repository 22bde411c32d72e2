package catalogsqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/cinegraph/cinegraph/subgraphs/catalog/catalogservice"
)

// Replace swaps the whole catalog for d in one transaction: readers see
// the old catalog or the new one, never a mix, and a failure keeps the old.
func (s *Store) Replace(ctx context.Context, d catalogservice.Dataset) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("replace catalog: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	for _, table := range []string{"my_list", "credits", "title_genres", "episodes", "titles", "people", "genres", "profiles"} {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+table); err != nil {
			return fmt.Errorf("replace catalog: clear %s: %w", table, err)
		}
	}
	if err := insertAll(ctx, tx, d); err != nil {
		return fmt.Errorf("replace catalog: %w", err)
	}
	// The version only ever grows, and is a clock reading so that a fresh
	// database never reuses the version of an index built from an old one.
	if _, err := tx.ExecContext(ctx, `UPDATE catalog_meta SET value = MAX(value + 1, ?) WHERE key = 'version'`, time.Now().UnixNano()); err != nil {
		return fmt.Errorf("replace catalog: bump version: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("replace catalog: %w", err)
	}
	return nil
}

func insertAll(ctx context.Context, tx *sql.Tx, d catalogservice.Dataset) error {
	steps := []struct {
		name  string
		query string
		rows  func(add func(args ...any) error) error
	}{
		{"genres", `INSERT INTO genres (slug, name) VALUES (?, ?)`, func(add func(...any) error) error {
			for _, g := range d.Genres {
				if err := add(g.Slug, g.Name); err != nil {
					return err
				}
			}
			return nil
		}},
		{"people", `INSERT INTO people (id, name, birth_year) VALUES (?, ?, ?)`, func(add func(...any) error) error {
			for _, p := range d.People {
				if err := add(p.ID, p.Name, p.BirthYear); err != nil {
					return err
				}
			}
			return nil
		}},
		{"titles", `INSERT INTO titles (id, name, synopsis, kind, release_year, maturity_rating, runtime_minutes, search_boost) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, func(add func(...any) error) error {
			for _, t := range d.Titles {
				if err := add(t.ID, t.Name, t.Synopsis, t.Kind, t.ReleaseYear, t.MaturityRating, t.RuntimeMinutes, t.SearchBoost); err != nil {
					return err
				}
			}
			return nil
		}},
		{"title genres", `INSERT INTO title_genres (title_id, genre_slug, position) VALUES (?, ?, ?)`, func(add func(...any) error) error {
			for _, t := range d.Titles {
				for i, g := range t.GenreSlugs {
					if err := add(t.ID, g, i); err != nil {
						return err
					}
				}
			}
			return nil
		}},
		{"credits", `INSERT INTO credits (title_id, billing, person_id, role, character) VALUES (?, ?, ?, ?, ?)`, func(add func(...any) error) error {
			for _, c := range d.Credits {
				if err := add(c.TitleID, c.Billing, c.PersonID, c.Role, c.Character); err != nil {
					return err
				}
			}
			return nil
		}},
		{"episodes", `INSERT INTO episodes (id, series_id, season_number, number, name, synopsis, runtime_minutes) VALUES (?, ?, ?, ?, ?, ?, ?)`, func(add func(...any) error) error {
			for _, s := range d.Seasons {
				for _, e := range s.Episodes {
					if err := add(e.ID, s.TitleID, s.Number, e.Number, e.Name, e.Synopsis, e.RuntimeMinutes); err != nil {
						return err
					}
				}
			}
			return nil
		}},
		{"profiles", `INSERT INTO profiles (id, name) VALUES (?, ?)`, func(add func(...any) error) error {
			for _, p := range d.Profiles {
				if err := add(p.ID, p.Name); err != nil {
					return err
				}
			}
			return nil
		}},
		{"my list", `INSERT INTO my_list (profile_id, title_id, added_at) VALUES (?, ?, ?)`, func(add func(...any) error) error {
			for _, e := range d.MyList {
				if err := add(e.ProfileID, e.TitleID, e.AddedAt.UnixNano()); err != nil {
					return err
				}
			}
			return nil
		}},
	}
	for _, step := range steps {
		stmt, err := tx.PrepareContext(ctx, step.query)
		if err != nil {
			return fmt.Errorf("insert %s: %w", step.name, err)
		}
		err = step.rows(func(args ...any) error {
			_, err := stmt.ExecContext(ctx, args...)
			return err
		})
		_ = stmt.Close()
		if err != nil {
			return fmt.Errorf("insert %s: %w", step.name, err)
		}
	}
	return nil
}
