package catalogservice

import (
	"context"
	"fmt"
	"strconv"

	"github.com/cinegraph/cinegraph/internal/errs"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/search"
)

// SearchPage is one page of search results.
type SearchPage struct {
	Hits []search.Hit
	// Offset is the position of the first hit among all matches.
	Offset  int
	Total   int
	HasNext bool
	Facets  search.Facets
}

// Search runs a full-text search over the catalog.
func (s *Service) Search(ctx context.Context, query string, first *int, after *string, filter TitleFilter) (SearchPage, error) {
	q, err := normalizeQuery(query)
	if err != nil {
		return SearchPage{}, err
	}
	limit, err := PageSize("first", first)
	if err != nil {
		return SearchPage{}, err
	}
	offset, err := DecodeSearchCursor("after", after)
	if err != nil {
		return SearchPage{}, err
	}
	if err := s.checkFilter(ctx, filter); err != nil {
		return SearchPage{}, err
	}
	if s.searcher == nil {
		return SearchPage{}, errs.New(errs.Unavailable, "search is not available")
	}
	res, err := s.searcher.Search(ctx, search.Request{
		Query: q, Kind: filter.Kind, Genres: filter.Genres,
		ReleaseYearFrom: filter.ReleaseYearFrom, ReleaseYearTo: filter.ReleaseYearTo,
		MaturityRatings: filter.MaturityRatings, Offset: offset, Limit: limit,
	})
	if err != nil {
		return SearchPage{}, errs.Unavailablef(err, "search failed")
	}
	return SearchPage{
		Hits: res.Hits, Offset: offset, Total: res.Total,
		HasNext: offset+len(res.Hits) < res.Total, Facets: res.Facets,
	}, nil
}

// EnsureIndex rebuilds the search index when it is missing or was built
// from other data than the store now holds.
func (s *Service) EnsureIndex(ctx context.Context) error {
	if s.searcher == nil {
		return nil
	}
	want, err := s.indexVersion(ctx)
	if err != nil {
		return err
	}
	have, err := s.searcher.Version(ctx)
	if err != nil {
		return fmt.Errorf("read search index version: %w", err)
	}
	if have == want {
		return nil
	}
	return s.RebuildIndex(ctx)
}

// RebuildIndex indexes every title afresh.
func (s *Service) RebuildIndex(ctx context.Context) error {
	if s.searcher == nil {
		return nil
	}
	version, err := s.indexVersion(ctx)
	if err != nil {
		return err
	}
	docs, err := s.documents(ctx)
	if err != nil {
		return err
	}
	if err := s.searcher.Rebuild(ctx, version, docs); err != nil {
		return fmt.Errorf("rebuild search index: %w", err)
	}
	s.logger.InfoContext(ctx, "search index rebuilt", "titles", len(docs), "version", version)
	return nil
}

func (s *Service) indexVersion(ctx context.Context) (string, error) {
	v, err := s.store.Version(ctx)
	if err != nil {
		return "", fmt.Errorf("read catalog version: %w", err)
	}
	return strconv.FormatInt(v, 10), nil
}

// documents builds the index documents with a handful of batch reads.
func (s *Service) documents(ctx context.Context) ([]search.Document, error) {
	ids, err := s.store.TitleIDs(ctx)
	if err != nil {
		return nil, fmt.Errorf("list titles to index: %w", err)
	}
	titles, err := s.store.TitlesByIDs(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("load titles to index: %w", err)
	}
	credits, err := s.store.CreditsByTitles(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("load credits to index: %w", err)
	}
	var personIDs []string
	for _, cs := range credits {
		for _, c := range cs {
			personIDs = append(personIDs, c.PersonID)
		}
	}
	people, err := s.store.PeopleByIDs(ctx, personIDs)
	if err != nil {
		return nil, fmt.Errorf("load people to index: %w", err)
	}
	genres, err := s.store.Genres(ctx)
	if err != nil {
		return nil, fmt.Errorf("load genres to index: %w", err)
	}
	genreNames := make(map[string]string, len(genres))
	for _, g := range genres {
		genreNames[g.Slug] = g.Name
	}
	docs := make([]search.Document, 0, len(ids))
	for _, id := range ids {
		t, ok := titles[id]
		if !ok {
			continue
		}
		doc := search.Document{
			ID: t.ID, Name: t.Name, Synopsis: t.Synopsis, Kind: t.Kind,
			MaturityRating: t.MaturityRating, ReleaseYear: t.ReleaseYear,
			Genres: t.GenreSlugs, SearchBoost: t.SearchBoost,
		}
		for _, g := range t.GenreSlugs {
			doc.GenreNames = append(doc.GenreNames, genreNames[g])
		}
		for _, c := range credits[id] {
			if p, ok := people[c.PersonID]; ok {
				doc.Cast = append(doc.Cast, p.Name)
			}
		}
		docs = append(docs, doc)
	}
	return docs, nil
}
