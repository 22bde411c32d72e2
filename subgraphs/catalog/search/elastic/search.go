package elastic

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/elastic/go-elasticsearch/v8/esapi"

	"github.com/cinegraph/cinegraph/subgraphs/catalog/search"
)

type searchAnswer struct {
	Hits struct {
		Total struct {
			Value int `json:"value"`
		} `json:"total"`
		Hits []struct {
			ID        string              `json:"_id"`
			Score     float64             `json:"_score"`
			Highlight map[string][]string `json:"highlight"`
		} `json:"hits"`
	} `json:"hits"`
	Aggregations map[string]struct {
		Buckets []struct {
			Key      any `json:"key"`
			DocCount int `json:"doc_count"`
		} `json:"buckets"`
	} `json:"aggregations"`
}

// highlighted are the fields highlights are offered for, in the order a
// hit lists them (the embedded index's order).
var highlighted = []string{fieldName, fieldCast, fieldGenreNames, fieldSynopsis}

// Search runs req against the index behind the alias: strictly first, then
// forgiving typos only when that finds nothing (see search.Mode).
func (s *Searcher) Search(ctx context.Context, req search.Request) (search.Result, error) {
	out := search.Result{Hits: []search.Hit{}, Facets: search.Facets{
		Genres: []search.Bucket{}, ReleaseYears: []search.Bucket{}, Kinds: []search.Bucket{},
	}}
	searched := false
	for _, mode := range search.Modes {
		body := requestBody(req, mode)
		if body == nil {
			continue
		}
		searched = true
		res, err := s.search(ctx, req, body)
		if err != nil {
			return search.Result{}, err
		}
		out = res
		if res.Total > 0 {
			break
		}
	}
	if !searched {
		// Nothing to match, but a missing index is still reported.
		if err := s.checkBuilt(ctx, req); err != nil {
			return search.Result{}, err
		}
	}
	return out, nil
}

// checkBuilt fails with search.ErrNotBuilt when there is no index yet, as a
// search would.
func (s *Searcher) checkBuilt(ctx context.Context, req search.Request) error {
	live, err := s.liveIndexes(ctx)
	if err != nil {
		return fmt.Errorf("search %q: %w", req.Query, err)
	}
	if len(live) == 0 {
		return fmt.Errorf("search %q in %s: %w", req.Query, s.alias, search.ErrNotBuilt)
	}
	return nil
}

func (s *Searcher) search(ctx context.Context, req search.Request, query map[string]any) (search.Result, error) {
	body, err := json.Marshal(query)
	if err != nil {
		return search.Result{}, fmt.Errorf("encode search %q: %w", req.Query, err)
	}
	var ans searchAnswer
	trackScores := true
	err = s.do(ctx, esapi.SearchRequest{Index: []string{s.alias}, Body: bytes.NewReader(body), TrackScores: &trackScores}, &ans)
	if errors.Is(err, errNotFound) {
		return search.Result{}, fmt.Errorf("search %q in %s: %w", req.Query, s.alias, search.ErrNotBuilt)
	}
	if err != nil {
		return search.Result{}, fmt.Errorf("search %q: %w", req.Query, err)
	}
	out := search.Result{Total: ans.Hits.Total.Value, Hits: make([]search.Hit, 0, len(ans.Hits.Hits))}
	for _, h := range ans.Hits.Hits {
		hit := search.Hit{ID: h.ID, Score: h.Score, Highlights: []search.Highlight{}}
		for _, field := range highlighted {
			if frags := h.Highlight[field]; len(frags) > 0 {
				hit.Highlights = append(hit.Highlights, search.Highlight{Field: field, Fragments: frags})
			}
		}
		out.Hits = append(out.Hits, hit)
	}
	buckets := func(name string) []search.Bucket {
		agg := ans.Aggregations[name]
		bs := make([]search.Bucket, 0, len(agg.Buckets))
		for _, b := range agg.Buckets {
			bs = append(bs, search.Bucket{Value: fmt.Sprint(b.Key), Count: b.DocCount})
		}
		return bs
	}
	out.Facets = search.Facets{Genres: buckets(fieldGenres), ReleaseYears: buckets(fieldYear), Kinds: buckets(fieldKind)}
	return out, nil
}
