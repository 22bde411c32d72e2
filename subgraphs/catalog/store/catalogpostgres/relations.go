package catalogpostgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/cinegraph/cinegraph/internal/postgres"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/catalogservice"
)

// Genres lists every genre by name.
func (s *Store) Genres(ctx context.Context) ([]catalogservice.Genre, error) {
	rows, _ := s.pool.Query(ctx, `SELECT slug, name FROM genres ORDER BY name, slug`)
	genres, err := pgx.CollectRows(rows, scanGenre)
	if err != nil {
		return nil, fmt.Errorf("list genres: %w", err)
	}
	if len(genres) == 0 {
		return nil, nil
	}
	return genres, nil
}

func scanGenre(row pgx.CollectableRow) (catalogservice.Genre, error) {
	var g catalogservice.Genre
	err := row.Scan(&g.Slug, &g.Name)
	return g, err
}

// GenresBySlugs returns the genres with the given slugs.
func (s *Store) GenresBySlugs(ctx context.Context, slugs []string) (map[string]catalogservice.Genre, error) {
	out := make(map[string]catalogservice.Genre, len(slugs))
	if len(slugs) == 0 {
		return out, nil
	}
	rows, _ := s.pool.Query(ctx, `SELECT slug, name FROM genres WHERE slug = ANY($1)`, postgres.Keys(slugs))
	genres, err := pgx.CollectRows(rows, scanGenre)
	if err != nil {
		return nil, fmt.Errorf("genres by slugs: %w", err)
	}
	for _, g := range genres {
		out[g.Slug] = g
	}
	return out, nil
}

// PeopleByIDs returns the people with the given ids.
func (s *Store) PeopleByIDs(ctx context.Context, ids []string) (map[string]catalogservice.Person, error) {
	out := make(map[string]catalogservice.Person, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	rows, _ := s.pool.Query(ctx, `SELECT id, name, birth_year FROM people WHERE id = ANY($1)`, postgres.Keys(ids))
	people, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (catalogservice.Person, error) {
		var p catalogservice.Person
		err := row.Scan(&p.ID, &p.Name, &p.BirthYear)
		return p, err
	})
	if err != nil {
		return nil, fmt.Errorf("people by ids: %w", err)
	}
	for _, p := range people {
		out[p.ID] = p
	}
	return out, nil
}

func scanCredit(row pgx.CollectableRow) (catalogservice.Credit, error) {
	var c catalogservice.Credit
	err := row.Scan(&c.TitleID, &c.PersonID, &c.Role, &c.Character, &c.Billing)
	return c, err
}

// CreditsByTitles returns each title's credits in billing order.
func (s *Store) CreditsByTitles(ctx context.Context, titleIDs []string) (map[string][]catalogservice.Credit, error) {
	out := make(map[string][]catalogservice.Credit, len(titleIDs))
	if len(titleIDs) == 0 {
		return out, nil
	}
	rows, _ := s.pool.Query(ctx, `SELECT title_id, person_id, role, character, billing FROM credits
		WHERE title_id = ANY($1) ORDER BY title_id, billing`, postgres.Keys(titleIDs))
	credits, err := pgx.CollectRows(rows, scanCredit)
	if err != nil {
		return nil, fmt.Errorf("credits by titles: %w", err)
	}
	for _, c := range credits {
		out[c.TitleID] = append(out[c.TitleID], c)
	}
	return out, nil
}

// CreditsByPeople returns each person's credits, newest title first.
func (s *Store) CreditsByPeople(ctx context.Context, personIDs []string) (map[string][]catalogservice.Credit, error) {
	out := make(map[string][]catalogservice.Credit, len(personIDs))
	if len(personIDs) == 0 {
		return out, nil
	}
	rows, _ := s.pool.Query(ctx, `SELECT c.title_id, c.person_id, c.role, c.character, c.billing
		FROM credits c JOIN titles t ON t.id = c.title_id
		WHERE c.person_id = ANY($1) ORDER BY c.person_id, t.release_year DESC, t.name, c.title_id, c.billing`, postgres.Keys(personIDs))
	credits, err := pgx.CollectRows(rows, scanCredit)
	if err != nil {
		return nil, fmt.Errorf("credits by people: %w", err)
	}
	for _, c := range credits {
		out[c.PersonID] = append(out[c.PersonID], c)
	}
	return out, nil
}

const episodeColumns = `id, series_id, season_number, number, name, synopsis, runtime_minutes`

func scanEpisode(row pgx.CollectableRow) (catalogservice.Episode, error) {
	var e catalogservice.Episode
	err := row.Scan(&e.ID, &e.SeriesID, &e.SeasonNumber, &e.Number, &e.Name, &e.Synopsis, &e.RuntimeMinutes)
	return e, err
}

// SeasonsByTitles groups each series' episodes into seasons, in order.
func (s *Store) SeasonsByTitles(ctx context.Context, titleIDs []string) (map[string][]catalogservice.Season, error) {
	out := make(map[string][]catalogservice.Season, len(titleIDs))
	if len(titleIDs) == 0 {
		return out, nil
	}
	rows, _ := s.pool.Query(ctx, `SELECT `+episodeColumns+` FROM episodes
		WHERE series_id = ANY($1) ORDER BY series_id, season_number, number`, postgres.Keys(titleIDs))
	episodes, err := pgx.CollectRows(rows, scanEpisode)
	if err != nil {
		return nil, fmt.Errorf("seasons by titles: %w", err)
	}
	for _, e := range episodes {
		seasons := out[e.SeriesID]
		if n := len(seasons); n == 0 || seasons[n-1].Number != e.SeasonNumber {
			seasons = append(seasons, catalogservice.Season{TitleID: e.SeriesID, Number: e.SeasonNumber})
		}
		last := &seasons[len(seasons)-1]
		last.Episodes = append(last.Episodes, e)
		out[e.SeriesID] = seasons
	}
	return out, nil
}

// EpisodesByIDs returns the episodes with the given ids.
func (s *Store) EpisodesByIDs(ctx context.Context, ids []string) (map[string]catalogservice.Episode, error) {
	out := make(map[string]catalogservice.Episode, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	rows, _ := s.pool.Query(ctx, `SELECT `+episodeColumns+` FROM episodes WHERE id = ANY($1)`, postgres.Keys(ids))
	episodes, err := pgx.CollectRows(rows, scanEpisode)
	if err != nil {
		return nil, fmt.Errorf("episodes by ids: %w", err)
	}
	for _, e := range episodes {
		out[e.ID] = e
	}
	return out, nil
}
