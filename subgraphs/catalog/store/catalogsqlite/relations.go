package catalogsqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/cinegraph/cinegraph/internal/sqlite"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/catalogservice"
)

// Genres lists every genre by name.
func (s *Store) Genres(ctx context.Context) ([]catalogservice.Genre, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT slug, name FROM genres ORDER BY name, slug`)
	if err != nil {
		return nil, fmt.Errorf("list genres: %w", err)
	}
	defer rows.Close()
	var out []catalogservice.Genre
	for rows.Next() {
		var g catalogservice.Genre
		if err := rows.Scan(&g.Slug, &g.Name); err != nil {
			return nil, fmt.Errorf("list genres: %w", err)
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// GenresBySlugs returns the genres with the given slugs.
func (s *Store) GenresBySlugs(ctx context.Context, slugs []string) (map[string]catalogservice.Genre, error) {
	out := make(map[string]catalogservice.Genre, len(slugs))
	err := sqlite.QueryIn(ctx, s.db, `SELECT slug, name FROM genres WHERE slug IN (%s)`, slugs, func(rows *sql.Rows) error {
		var g catalogservice.Genre
		err := rows.Scan(&g.Slug, &g.Name)
		out[g.Slug] = g
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("genres by slugs: %w", err)
	}
	return out, nil
}

// PeopleByIDs returns the people with the given ids.
func (s *Store) PeopleByIDs(ctx context.Context, ids []string) (map[string]catalogservice.Person, error) {
	out := make(map[string]catalogservice.Person, len(ids))
	err := sqlite.QueryIn(ctx, s.db, `SELECT id, name, birth_year FROM people WHERE id IN (%s)`, ids, func(rows *sql.Rows) error {
		var p catalogservice.Person
		err := rows.Scan(&p.ID, &p.Name, &p.BirthYear)
		out[p.ID] = p
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("people by ids: %w", err)
	}
	return out, nil
}

func scanCredit(rows *sql.Rows) (catalogservice.Credit, error) {
	var c catalogservice.Credit
	err := rows.Scan(&c.TitleID, &c.PersonID, &c.Role, &c.Character, &c.Billing)
	return c, err
}

// CreditsByTitles returns each title's credits in billing order.
func (s *Store) CreditsByTitles(ctx context.Context, titleIDs []string) (map[string][]catalogservice.Credit, error) {
	out := make(map[string][]catalogservice.Credit, len(titleIDs))
	err := sqlite.QueryIn(ctx, s.db, `SELECT title_id, person_id, role, character, billing FROM credits WHERE title_id IN (%s) ORDER BY title_id, billing`, titleIDs, func(rows *sql.Rows) error {
		c, err := scanCredit(rows)
		out[c.TitleID] = append(out[c.TitleID], c)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("credits by titles: %w", err)
	}
	return out, nil
}

// CreditsByPeople returns each person's credits, newest title first.
func (s *Store) CreditsByPeople(ctx context.Context, personIDs []string) (map[string][]catalogservice.Credit, error) {
	out := make(map[string][]catalogservice.Credit, len(personIDs))
	err := sqlite.QueryIn(ctx, s.db, `SELECT c.title_id, c.person_id, c.role, c.character, c.billing
		FROM credits c JOIN titles t ON t.id = c.title_id
		WHERE c.person_id IN (%s) ORDER BY c.person_id, t.release_year DESC, t.name, c.billing`, personIDs, func(rows *sql.Rows) error {
		c, err := scanCredit(rows)
		out[c.PersonID] = append(out[c.PersonID], c)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("credits by people: %w", err)
	}
	return out, nil
}

const episodeColumns = `id, series_id, season_number, number, name, synopsis, runtime_minutes`

func scanEpisode(rows *sql.Rows) (catalogservice.Episode, error) {
	var e catalogservice.Episode
	err := rows.Scan(&e.ID, &e.SeriesID, &e.SeasonNumber, &e.Number, &e.Name, &e.Synopsis, &e.RuntimeMinutes)
	return e, err
}

// SeasonsByTitles groups each series' episodes into seasons, in order.
func (s *Store) SeasonsByTitles(ctx context.Context, titleIDs []string) (map[string][]catalogservice.Season, error) {
	out := make(map[string][]catalogservice.Season, len(titleIDs))
	err := sqlite.QueryIn(ctx, s.db, `SELECT `+episodeColumns+` FROM episodes WHERE series_id IN (%s) ORDER BY series_id, season_number, number`, titleIDs, func(rows *sql.Rows) error {
		e, err := scanEpisode(rows)
		if err != nil {
			return err
		}
		seasons := out[e.SeriesID]
		if n := len(seasons); n == 0 || seasons[n-1].Number != e.SeasonNumber {
			seasons = append(seasons, catalogservice.Season{TitleID: e.SeriesID, Number: e.SeasonNumber})
		}
		last := &seasons[len(seasons)-1]
		last.Episodes = append(last.Episodes, e)
		out[e.SeriesID] = seasons
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("seasons by titles: %w", err)
	}
	return out, nil
}

// EpisodesByIDs returns the episodes with the given ids.
func (s *Store) EpisodesByIDs(ctx context.Context, ids []string) (map[string]catalogservice.Episode, error) {
	out := make(map[string]catalogservice.Episode, len(ids))
	err := sqlite.QueryIn(ctx, s.db, `SELECT `+episodeColumns+` FROM episodes WHERE id IN (%s)`, ids, func(rows *sql.Rows) error {
		e, err := scanEpisode(rows)
		out[e.ID] = e
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("episodes by ids: %w", err)
	}
	return out, nil
}
