package catalogsqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/cinegraph/cinegraph/internal/sqlite"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/catalogservice"
)

const titleColumns = `t.id, t.name, t.synopsis, t.kind, t.release_year, t.maturity_rating, t.runtime_minutes, t.search_boost`

func scanTitle(rows *sql.Rows) (catalogservice.Title, error) {
	var t catalogservice.Title
	err := rows.Scan(&t.ID, &t.Name, &t.Synopsis, &t.Kind, &t.ReleaseYear, &t.MaturityRating, &t.RuntimeMinutes, &t.SearchBoost)
	return t, err
}

// TitlesByIDs returns the titles with the given ids, genres included.
func (s *Store) TitlesByIDs(ctx context.Context, ids []string) (map[string]catalogservice.Title, error) {
	out := make(map[string]catalogservice.Title, len(ids))
	err := sqlite.QueryIn(ctx, s.db, `SELECT `+titleColumns+` FROM titles t WHERE t.id IN (%s)`, ids, func(rows *sql.Rows) error {
		t, err := scanTitle(rows)
		out[t.ID] = t
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("titles by ids: %w", err)
	}
	if err := s.attachGenres(ctx, out); err != nil {
		return nil, err
	}
	return out, nil
}

// attachGenres fills GenreSlugs of every title in ts.
func (s *Store) attachGenres(ctx context.Context, ts map[string]catalogservice.Title) error {
	ids := make([]string, 0, len(ts))
	for id := range ts {
		ids = append(ids, id)
	}
	err := sqlite.QueryIn(ctx, s.db, `SELECT title_id, genre_slug FROM title_genres WHERE title_id IN (%s) ORDER BY title_id, position`, ids, func(rows *sql.Rows) error {
		var id, slug string
		if err := rows.Scan(&id, &slug); err != nil {
			return err
		}
		t := ts[id]
		t.GenreSlugs = append(t.GenreSlugs, slug)
		ts[id] = t
		return nil
	})
	if err != nil {
		return fmt.Errorf("genres of titles: %w", err)
	}
	return nil
}

// TitleIDs lists every title id.
func (s *Store) TitleIDs(ctx context.Context) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id FROM titles ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("title ids: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("title ids: %w", err)
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// TitlePages answers each listing with a page query and a count query.
func (s *Store) TitlePages(ctx context.Context, queries []catalogservice.TitleQuery) ([]catalogservice.TitlePage, error) {
	out := make([]catalogservice.TitlePage, len(queries))
	for i, q := range queries {
		page, err := s.titlePage(ctx, q)
		if err != nil {
			return nil, err
		}
		out[i] = page
	}
	return out, nil
}

func (s *Store) titlePage(ctx context.Context, q catalogservice.TitleQuery) (catalogservice.TitlePage, error) {
	where, args := filterSQL(q.Filter)
	var page catalogservice.TitlePage
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM titles t WHERE `+where, args...).Scan(&page.Total); err != nil {
		return page, fmt.Errorf("count titles: %w", err)
	}
	if q.After != nil {
		where += ` AND (t.name > ? OR (t.name = ? AND t.id > ?))`
		args = append(args, q.After.Name, q.After.Name, q.After.ID)
	}
	limit := max(q.Limit, 1)
	args = append(args, limit+1)
	rows, err := s.db.QueryContext(ctx, `SELECT `+titleColumns+` FROM titles t WHERE `+where+` ORDER BY t.name, t.id LIMIT ?`, args...)
	if err != nil {
		return page, fmt.Errorf("list titles: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		t, err := scanTitle(rows)
		if err != nil {
			return page, fmt.Errorf("list titles: %w", err)
		}
		page.Titles = append(page.Titles, t)
	}
	if err := rows.Err(); err != nil {
		return page, fmt.Errorf("list titles: %w", err)
	}
	if len(page.Titles) > limit {
		page.Titles, page.HasNext = page.Titles[:limit], true
	}
	byID := make(map[string]catalogservice.Title, len(page.Titles))
	for _, t := range page.Titles {
		byID[t.ID] = t
	}
	if err := s.attachGenres(ctx, byID); err != nil {
		return page, err
	}
	for i, t := range page.Titles {
		page.Titles[i] = byID[t.ID]
	}
	return page, nil
}

// filterSQL turns a filter into a WHERE clause over titles t.
func filterSQL(f catalogservice.TitleFilter) (string, []any) {
	clauses := []string{"1=1"}
	var args []any
	if f.Kind != "" {
		clauses = append(clauses, "t.kind = ?")
		args = append(args, f.Kind)
	}
	if len(f.Genres) > 0 {
		clauses = append(clauses, `EXISTS (SELECT 1 FROM title_genres g WHERE g.title_id = t.id AND g.genre_slug IN (`+sqlite.Placeholders(len(f.Genres))+`))`)
		args = append(args, sqlite.Args(f.Genres)...)
	}
	if f.ReleaseYearFrom != 0 {
		clauses = append(clauses, "t.release_year >= ?")
		args = append(args, f.ReleaseYearFrom)
	}
	if f.ReleaseYearTo != 0 {
		clauses = append(clauses, "t.release_year <= ?")
		args = append(args, f.ReleaseYearTo)
	}
	if len(f.MaturityRatings) > 0 {
		clauses = append(clauses, "t.maturity_rating IN ("+sqlite.Placeholders(len(f.MaturityRatings))+")")
		args = append(args, sqlite.Args(f.MaturityRatings)...)
	}
	return strings.Join(clauses, " AND "), args
}
