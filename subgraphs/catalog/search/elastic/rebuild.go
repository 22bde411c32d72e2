package elastic

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/elastic/go-elasticsearch/v8/esapi"

	"github.com/cinegraph/cinegraph/subgraphs/catalog/search"
)

// bulkSize is how many titles one bulk request carries.
const bulkSize = 500

// Rebuild indexes docs into a new index named after the alias and the
// time, then moves the alias onto it in one atomic alias update and deletes
// the indexes it pointed at before: searches see the old index until the
// swap and the whole new one after it.
func (s *Searcher) Rebuild(ctx context.Context, version string, docs []search.Document) error {
	s.rebuildMu.Lock()
	defer s.rebuildMu.Unlock()
	name := fmt.Sprintf("%s-%d", s.alias, time.Now().UTC().UnixNano())
	body, err := json.Marshal(indexBody(version))
	if err != nil {
		return fmt.Errorf("encode mapping: %w", err)
	}
	if err := s.do(ctx, esapi.IndicesCreateRequest{Index: name, Body: bytes.NewReader(body)}, nil); err != nil {
		return fmt.Errorf("create search index %s: %w", name, err)
	}
	if err := s.fill(ctx, name, docs); err != nil {
		s.drop(name)
		return err
	}
	old, err := s.swap(ctx, name)
	if err != nil {
		s.drop(name)
		return err
	}
	if len(old) > 0 {
		// The alias no longer reaches them. The new index is live, so a
		// failed delete is reported but must not drop it.
		if err := s.do(ctx, esapi.IndicesDeleteRequest{Index: old}, nil); err != nil {
			return fmt.Errorf("delete replaced indexes %s: %w", strings.Join(old, ","), err)
		}
	}
	return nil
}

// drop deletes a half-built index; failing to is only litter, so it is not
// reported over the error that caused it.
func (s *Searcher) drop(name string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_ = s.do(ctx, esapi.IndicesDeleteRequest{Index: []string{name}}, nil)
}

func (s *Searcher) fill(ctx context.Context, index string, docs []search.Document) error {
	for start := 0; start < len(docs); start += bulkSize {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		for _, d := range docs[start:min(start+bulkSize, len(docs))] {
			if err := enc.Encode(map[string]any{"index": map[string]any{"_id": d.ID}}); err != nil {
				return fmt.Errorf("encode title %s: %w", d.ID, err)
			}
			if err := enc.Encode(source(d)); err != nil {
				return fmt.Errorf("encode title %s: %w", d.ID, err)
			}
		}
		var res struct {
			Errors bool `json:"errors"`
			Items  []map[string]struct {
				ID    string          `json:"_id"`
				Error json.RawMessage `json:"error"`
			} `json:"items"`
		}
		if err := s.do(ctx, esapi.BulkRequest{Index: index, Body: &buf}, &res); err != nil {
			return fmt.Errorf("index titles into %s: %w", index, err)
		}
		if res.Errors {
			for _, item := range res.Items {
				for _, r := range item {
					if len(r.Error) > 0 && string(r.Error) != "null" {
						return fmt.Errorf("index title %s into %s: %s", r.ID, index, r.Error)
					}
				}
			}
			return fmt.Errorf("index titles into %s: bulk reported errors", index)
		}
	}
	// Refresh before the swap so the first search sees every title.
	if err := s.do(ctx, esapi.IndicesRefreshRequest{Index: []string{index}}, nil); err != nil {
		return fmt.Errorf("refresh %s: %w", index, err)
	}
	return nil
}

// swap points the alias at index alone, in one atomic alias update, and
// returns the indexes it pointed at before.
func (s *Searcher) swap(ctx context.Context, index string) ([]string, error) {
	old, err := s.liveIndexes(ctx)
	if err != nil {
		return nil, err
	}
	actions := []map[string]any{{"add": map[string]any{"index": index, "alias": s.alias}}}
	for _, o := range old {
		actions = append(actions, map[string]any{"remove": map[string]any{"index": o, "alias": s.alias}})
	}
	body, err := json.Marshal(map[string]any{"actions": actions})
	if err != nil {
		return nil, fmt.Errorf("encode alias swap: %w", err)
	}
	if err := s.do(ctx, esapi.IndicesUpdateAliasesRequest{Body: bytes.NewReader(body)}, nil); err != nil {
		return nil, fmt.Errorf("swap alias %s to %s: %w", s.alias, index, err)
	}
	return old, nil
}
