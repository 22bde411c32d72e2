package catalogservice

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/cinegraph/cinegraph/internal/depguard"
	"github.com/cinegraph/cinegraph/internal/errs"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/search"
)

// SearchDependency names the search engine's guard.
const SearchDependency = "catalog.search"

// SearchFallbackStore names the fallback search uses while the engine
// fails or its breaker is open: a name match over the store's listing.
const SearchFallbackStore = "store"

// Bounds of a fallback search: it reads the listing a page at a time and
// stops after fallbackScanLimit titles, so a large catalog costs a few
// store calls per search however degraded the engine is.
const (
	fallbackScanPage  = 500
	fallbackScanLimit = 10_000
)

// WithSearchGuard sets the guard around the searcher; a guard of default
// policy otherwise.
func WithSearchGuard(g *depguard.Guard) Option {
	return func(s *Service) {
		if g != nil {
			s.searchGuard = g
		}
	}
}

// SearchPage is one page of search results.
type SearchPage struct {
	Hits []search.Hit
	// Offset is the position of the first hit among all matches.
	Offset  int
	Total   int
	HasNext bool
	Facets  search.Facets
}

// Search runs a full-text search over the catalog. While the search engine
// fails, times out or is cut off by its guard, titles whose name holds
// every word of the query are served from the store instead, marked
// degraded (SearchFallbackStore).
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
	res, err := depguard.Do(ctx, s.searchGuard, func(ctx context.Context) (search.Result, error) {
		return s.searcher.Search(ctx, search.Request{
			Query: q, Kind: filter.Kind, Genres: filter.Genres,
			ReleaseYearFrom: filter.ReleaseYearFrom, ReleaseYearTo: filter.ReleaseYearTo,
			MaturityRatings: filter.MaturityRatings, Offset: offset, Limit: limit,
		})
	})
	if err != nil {
		if !depguard.Failed(ctx, err) {
			return SearchPage{}, err
		}
		page, ferr := s.searchStore(ctx, q, filter, offset, limit)
		if ferr != nil {
			return SearchPage{}, errs.Unavailablef(errors.Join(err, ferr), "search failed")
		}
		if depguard.ReasonOf(err) != depguard.CircuitOpen {
			s.logger.WarnContext(ctx, "search engine failed; served a name match from the store", "err", err)
		}
		s.searchGuard.Degraded(ctx, SearchFallbackStore)
		return page, nil
	}
	return SearchPage{
		Hits: res.Hits, Offset: offset, Total: res.Total,
		HasNext: offset+len(res.Hits) < res.Total, Facets: res.Facets,
	}, nil
}

// searchStore is the fallback search: the titles of the store's listing
// under filter whose name holds every word of q, case folded, in the
// listing's order (by name). There is no relevance, so every score is 0,
// and no highlights; facets count the matches.
func (s *Service) searchStore(ctx context.Context, q string, filter TitleFilter, offset, limit int) (SearchPage, error) {
	words := strings.Fields(strings.ToLower(q))
	var matches []Title
	var after *TitleCursor
	for scanned := 0; scanned < fallbackScanLimit; {
		pages, err := s.store.TitlePages(ctx, []TitleQuery{{Filter: filter, After: after, Limit: fallbackScanPage}})
		if err != nil {
			return SearchPage{}, fmt.Errorf("list titles for a fallback search: %w", err)
		}
		p := pages[0]
		for _, t := range p.Titles {
			if containsAll(strings.ToLower(t.Name), words) {
				matches = append(matches, t)
			}
		}
		scanned += len(p.Titles)
		if !p.HasNext || len(p.Titles) == 0 {
			break
		}
		last := p.Titles[len(p.Titles)-1]
		after = &TitleCursor{Name: last.Name, ID: last.ID}
	}
	page := SearchPage{Offset: offset, Total: len(matches), Facets: facetsOf(matches), Hits: []search.Hit{}}
	end := min(offset+limit, len(matches))
	for _, t := range matches[min(offset, end):end] {
		page.Hits = append(page.Hits, search.Hit{ID: t.ID, Highlights: []search.Highlight{}})
	}
	page.HasNext = end < len(matches)
	return page, nil
}

func containsAll(s string, words []string) bool {
	for _, w := range words {
		if !strings.Contains(s, w) {
			return false
		}
	}
	return true
}

// facetsOf counts titles by genre, release year and kind, most first, as
// the engine's facets do.
func facetsOf(titles []Title) search.Facets {
	genres, years, kinds := map[string]int{}, map[string]int{}, map[string]int{}
	for _, t := range titles {
		for _, g := range t.GenreSlugs {
			genres[g]++
		}
		years[strconv.Itoa(t.ReleaseYear)]++
		kinds[t.Kind]++
	}
	return search.Facets{Genres: buckets(genres), ReleaseYears: buckets(years), Kinds: buckets(kinds)}
}

func buckets(counts map[string]int) []search.Bucket {
	out := make([]search.Bucket, 0, len(counts))
	for v, n := range counts {
		out = append(out, search.Bucket{Value: v, Count: n})
	}
	slices.SortFunc(out, func(a, b search.Bucket) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Value, b.Value))
	})
	return out
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
