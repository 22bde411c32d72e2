package catalogpostgres

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/cinegraph/cinegraph/internal/postgres"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/catalogservice"
)

// titleColumns selects a title over titles t with its genres, in order, so
// one query answers a title whole.
const titleColumns = `t.id, t.name, t.synopsis, t.kind, t.release_year, t.maturity_rating, t.runtime_minutes, t.search_boost,
	ARRAY(SELECT g.genre_slug FROM title_genres g WHERE g.title_id = t.id ORDER BY g.position)`

func scanTitle(row pgx.CollectableRow) (catalogservice.Title, error) {
	var t catalogservice.Title
	err := row.Scan(&t.ID, &t.Name, &t.Synopsis, &t.Kind, &t.ReleaseYear, &t.MaturityRating, &t.RuntimeMinutes, &t.SearchBoost, &t.GenreSlugs)
	if len(t.GenreSlugs) == 0 {
		t.GenreSlugs = nil
	}
	return t, err
}

// TitlesByIDs returns the titles with the given ids, genres included.
func (s *Store) TitlesByIDs(ctx context.Context, ids []string) (map[string]catalogservice.Title, error) {
	out := make(map[string]catalogservice.Title, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	rows, _ := s.pool.Query(ctx, `SELECT `+titleColumns+` FROM titles t WHERE t.id = ANY($1)`, postgres.Keys(ids))
	titles, err := pgx.CollectRows(rows, scanTitle)
	if err != nil {
		return nil, fmt.Errorf("titles by ids: %w", err)
	}
	for _, t := range titles {
		out[t.ID] = t
	}
	return out, nil
}

// TitleIDs lists every title id, in id order.
func (s *Store) TitleIDs(ctx context.Context) ([]string, error) {
	rows, _ := s.pool.Query(ctx, `SELECT id FROM titles ORDER BY id`)
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("title ids: %w", err)
	}
	if len(ids) == 0 {
		return nil, nil
	}
	return ids, nil
}

// TitlePages answers every listing in one round trip: a count and a page
// query per listing, sent as one batch.
func (s *Store) TitlePages(ctx context.Context, queries []catalogservice.TitleQuery) ([]catalogservice.TitlePage, error) {
	out := make([]catalogservice.TitlePage, len(queries))
	if len(queries) == 0 {
		return out, nil
	}
	batch := &pgx.Batch{}
	limits := make([]int, len(queries))
	for i, q := range queries {
		var a postgres.Args
		where := filterSQL(q.Filter, &a)
		batch.Queue(`SELECT COUNT(*) FROM titles t WHERE `+where, a...)
		if q.After != nil {
			where += ` AND (t.name, t.id) > (` + a.Add(q.After.Name) + `, ` + a.Add(q.After.ID) + `)`
		}
		limits[i] = max(q.Limit, 1)
		// One row beyond the page tells whether another page follows.
		batch.Queue(`SELECT `+titleColumns+` FROM titles t WHERE `+where+` ORDER BY t.name, t.id LIMIT `+a.Add(limits[i]+1), a...)
	}
	results := s.pool.SendBatch(ctx, batch)
	defer func() { _ = results.Close() }()
	for i := range queries {
		page := &out[i]
		if err := results.QueryRow().Scan(&page.Total); err != nil {
			return nil, fmt.Errorf("count titles: %w", err)
		}
		rows, err := results.Query()
		if err != nil {
			return nil, fmt.Errorf("list titles: %w", err)
		}
		titles, err := pgx.CollectRows(rows, scanTitle)
		if err != nil {
			return nil, fmt.Errorf("list titles: %w", err)
		}
		if len(titles) > limits[i] {
			titles, page.HasNext = titles[:limits[i]], true
		}
		if len(titles) > 0 {
			page.Titles = titles
		}
	}
	if err := results.Close(); err != nil {
		return nil, fmt.Errorf("list titles: %w", err)
	}
	return out, nil
}

// filterSQL turns a filter into a WHERE condition over titles t.
func filterSQL(f catalogservice.TitleFilter, a *postgres.Args) string {
	clauses := []string{"TRUE"}
	if f.Kind != "" {
		clauses = append(clauses, "t.kind = "+a.Add(f.Kind))
	}
	if len(f.Genres) > 0 {
		clauses = append(clauses, `EXISTS (SELECT 1 FROM title_genres g WHERE g.title_id = t.id AND g.genre_slug = ANY(`+a.Add(f.Genres)+`))`)
	}
	if f.ReleaseYearFrom != 0 {
		clauses = append(clauses, "t.release_year >= "+a.Add(f.ReleaseYearFrom))
	}
	if f.ReleaseYearTo != 0 {
		clauses = append(clauses, "t.release_year <= "+a.Add(f.ReleaseYearTo))
	}
	if len(f.MaturityRatings) > 0 {
		clauses = append(clauses, "t.maturity_rating = ANY("+a.Add(f.MaturityRatings)+")")
	}
	return strings.Join(clauses, " AND ")
}
