package elastic

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/elastic/go-elasticsearch/v8/esapi"
)

// DeleteAll removes the alias and every index behind it, for tests and for
// retiring a deployment; a later Rebuild starts afresh.
func (s *Searcher) DeleteAll(ctx context.Context) error {
	s.rebuildMu.Lock()
	defer s.rebuildMu.Unlock()
	live, err := s.liveIndexes(ctx)
	if err != nil || len(live) == 0 {
		return err
	}
	if err := s.do(ctx, esapi.IndicesDeleteRequest{Index: live}, nil); err != nil && !errors.Is(err, errNotFound) {
		return fmt.Errorf("delete search indexes of %s: %w", s.alias, err)
	}
	return nil
}

// Suggest completes a title prefix from the name's completion field: up to
// n distinct title names, best first.
func (s *Searcher) Suggest(ctx context.Context, prefix string, n int) ([]string, error) {
	body, err := json.Marshal(map[string]any{
		"_source": false,
		"suggest": map[string]any{"titles": map[string]any{
			"prefix": prefix,
			"completion": map[string]any{
				"field": fieldName + "." + fieldSuggest, "size": max(n, 1), "skip_duplicates": true,
				"fuzzy": map[string]any{"fuzziness": "AUTO"},
			},
		}},
	})
	if err != nil {
		return nil, fmt.Errorf("encode suggest %q: %w", prefix, err)
	}
	var ans struct {
		Suggest map[string][]struct {
			Options []struct {
				Text string `json:"text"`
			} `json:"options"`
		} `json:"suggest"`
	}
	if err := s.do(ctx, esapi.SearchRequest{Index: []string{s.alias}, Body: bytes.NewReader(body)}, &ans); err != nil {
		return nil, fmt.Errorf("suggest %q: %w", prefix, err)
	}
	var out []string
	for _, entry := range ans.Suggest["titles"] {
		for _, o := range entry.Options {
			out = append(out, o.Text)
		}
	}
	return out, nil
}
