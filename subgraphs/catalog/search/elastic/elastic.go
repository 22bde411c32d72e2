// Package elastic is the catalog's search.Searcher on Elasticsearch, for
// cluster mode: an explicit mapping (analysed name and synopsis, keyword
// facets, a completion field on the name), the embedded index's matching
// and weights (search.Mode: every word, typos only as a fallback), the
// editorial boost as a score factor, and rebuilds into a new versioned
// index that an alias swap puts live atomically, so searches never see a
// half-built index.
package elastic

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/elastic/go-elasticsearch/v8"
	"github.com/elastic/go-elasticsearch/v8/esapi"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/search"
)

var _ search.Searcher = (*Searcher)(nil)

// Searcher searches the catalog index behind an alias.
type Searcher struct {
	es        *elasticsearch.Client
	alias     string
	rebuildMu sync.Mutex // one rebuild at a time from this process
}

// Open connects to the cluster in cfg and checks that it answers. The index
// is cfg.Index, an alias: until the first Rebuild there is none, Version is
// "" and Search fails with search.ErrNotBuilt.
func Open(ctx context.Context, cfg config.Elasticsearch) (*Searcher, error) {
	if cfg.Index == "" {
		return nil, errors.New("elasticsearch: index alias is empty")
	}
	if cfg.Index != strings.ToLower(cfg.Index) {
		return nil, fmt.Errorf("elasticsearch: index alias %q must be lower case", cfg.Index)
	}
	es, err := elasticsearch.NewClient(elasticsearch.Config{
		Addresses: cfg.Addresses,
		Username:  cfg.Username,
		Password:  cfg.Password,
	})
	if err != nil {
		return nil, fmt.Errorf("elasticsearch client: %w", err)
	}
	s := &Searcher{es: es, alias: cfg.Index}
	req := esapi.ClusterHealthRequest{}
	if err := s.do(ctx, req, nil); err != nil {
		return nil, fmt.Errorf("elasticsearch at %s: %w", strings.Join(cfg.Addresses, ","), err)
	}
	return s, nil
}

// Close releases idle connections; the index stays.
func (s *Searcher) Close() error {
	if t, ok := s.es.Transport.(interface{ CloseIdleConnections() }); ok {
		t.CloseIdleConnections()
	}
	return nil
}

// errNotFound marks a 404 answer.
var errNotFound = errors.New("not found")

// do performs req and decodes a successful JSON answer into out (when not
// nil); an error answer becomes an error carrying its status and body.
func (s *Searcher) do(ctx context.Context, req esapi.Request, out any) error {
	res, err := req.Do(ctx, s.es)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.IsError() {
		body, _ := io.ReadAll(io.LimitReader(res.Body, 4<<10))
		if res.StatusCode == http.StatusNotFound {
			return fmt.Errorf("%w: %s", errNotFound, body)
		}
		return fmt.Errorf("status %d: %s", res.StatusCode, body)
	}
	if out == nil {
		_, _ = io.Copy(io.Discard, res.Body)
		return nil
	}
	if err := json.NewDecoder(res.Body).Decode(out); err != nil {
		return fmt.Errorf("decode answer: %w", err)
	}
	return nil
}

// liveIndexes are the concrete indexes behind the alias (normally one).
func (s *Searcher) liveIndexes(ctx context.Context) ([]string, error) {
	var byIndex map[string]json.RawMessage
	err := s.do(ctx, esapi.IndicesGetAliasRequest{Name: []string{s.alias}}, &byIndex)
	if errors.Is(err, errNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("resolve alias %s: %w", s.alias, err)
	}
	out := make([]string, 0, len(byIndex))
	for name := range byIndex {
		out = append(out, name)
	}
	return out, nil
}

// Version is the label stored in the live index's mapping metadata by the
// last completed Rebuild; "" when there is none or it was built with
// another mapping.
func (s *Searcher) Version(ctx context.Context) (string, error) {
	live, err := s.liveIndexes(ctx)
	if err != nil || len(live) == 0 {
		return "", err
	}
	var mappings map[string]struct {
		Mappings struct {
			Meta map[string]string `json:"_meta"`
		} `json:"mappings"`
	}
	if err := s.do(ctx, esapi.IndicesGetMappingRequest{Index: live}, &mappings); err != nil {
		return "", fmt.Errorf("read search index version: %w", err)
	}
	for _, m := range mappings {
		if v, ok := strings.CutPrefix(m.Mappings.Meta[metaVersion], mappingVersion+":"); ok {
			return v, nil
		}
	}
	return "", nil
}

// Alias is the name searches use; the index behind it changes on Rebuild.
func (s *Searcher) Alias() string { return s.alias }
