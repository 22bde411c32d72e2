package catalogservice

import (
	"context"
	"fmt"
)

// The batch reads answer many keys with one store call, in key order, for
// the dataloaders: a page of N parents costs one call per relation. A key
// without related rows gets a nil list.

// CreditsByTitles returns each title's credits in billing order, in
// titleIDs order.
func (s *Service) CreditsByTitles(ctx context.Context, titleIDs []string) ([][]Credit, error) {
	found, err := s.store.CreditsByTitles(ctx, titleIDs)
	if err != nil {
		return nil, fmt.Errorf("load credits by title: %w", err)
	}
	return inKeyOrder(titleIDs, found), nil
}

// CreditsByPeople returns each person's credits, newest title first, in
// personIDs order.
func (s *Service) CreditsByPeople(ctx context.Context, personIDs []string) ([][]Credit, error) {
	found, err := s.store.CreditsByPeople(ctx, personIDs)
	if err != nil {
		return nil, fmt.Errorf("load credits by person: %w", err)
	}
	return inKeyOrder(personIDs, found), nil
}

// SeasonsByTitles returns each series' seasons with their episodes, in
// titleIDs order.
func (s *Service) SeasonsByTitles(ctx context.Context, titleIDs []string) ([][]Season, error) {
	found, err := s.store.SeasonsByTitles(ctx, titleIDs)
	if err != nil {
		return nil, fmt.Errorf("load seasons: %w", err)
	}
	return inKeyOrder(titleIDs, found), nil
}

// MyLists returns each profile's saved titles, most recently added first,
// in profileIDs order.
func (s *Service) MyLists(ctx context.Context, profileIDs []string) ([][]ListEntry, error) {
	found, err := s.store.MyLists(ctx, profileIDs)
	if err != nil {
		return nil, fmt.Errorf("load my lists: %w", err)
	}
	return inKeyOrder(profileIDs, found), nil
}

// TitlePages answers several validated title listings at once, in query
// order.
func (s *Service) TitlePages(ctx context.Context, queries []TitleQuery) ([]TitlePage, error) {
	pages, err := s.store.TitlePages(ctx, queries)
	if err != nil {
		return nil, fmt.Errorf("list titles: %w", err)
	}
	return pages, nil
}

func inKeyOrder[T any](keys []string, found map[string][]T) [][]T {
	out := make([][]T, len(keys))
	for i, k := range keys {
		out[i] = found[k]
	}
	return out
}
