// Package searchobserved decorates a catalog search.Searcher, whatever its
// engine, with a client span and a timing per call (internal/storetrace),
// as the stores are: Elasticsearch in cluster mode, the embedded bleve
// index otherwise.
//
// go-elasticsearch has an OpenTelemetry instrumentation of its own (per
// HTTP request, on an older version of the conventions); wrapping the
// contract instead gives bleve and Elasticsearch the same span per Search
// or Rebuild, shaped like the stores' spans.
package searchobserved

import (
	"context"

	"github.com/cinegraph/cinegraph/internal/storetrace"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/search"
)

// Subgraph is the subgraph label of the searches.
const Subgraph = "catalog"

// Wrap returns next with its calls traced and timed as an index on system
// (storetrace.Elasticsearch, storetrace.Bleve) named index
// (db.collection.name: the alias on Elasticsearch).
func Wrap(next search.Searcher, system, index string) search.Searcher {
	return WrapWith(next, storetrace.Options{Subgraph: Subgraph, System: system}, index)
}

// WrapWith is Wrap with the instrument's options spelled out; Subgraph is
// filled in when empty.
func WrapWith(next search.Searcher, o storetrace.Options, index string) search.Searcher {
	if o.Subgraph == "" {
		o.Subgraph = Subgraph
	}
	in := storetrace.New(o)
	return &searcher{
		next:    next,
		search:  in.Op("Search", index),
		rebuild: in.Op("Rebuild", index),
		version: in.Op("Version", index),
	}
}

type searcher struct {
	next                     search.Searcher
	search, rebuild, version *storetrace.Op
}

func (s *searcher) Search(ctx context.Context, req search.Request) (search.Result, error) {
	ctx, c := s.search.Start(ctx)
	out, err := s.next.Search(ctx, req)
	c.End(err)
	return out, err
}

func (s *searcher) Rebuild(ctx context.Context, version string, docs []search.Document) error {
	ctx, c := s.rebuild.Start(ctx)
	err := s.next.Rebuild(ctx, version, docs)
	c.End(err)
	return err
}

func (s *searcher) Version(ctx context.Context) (string, error) {
	ctx, c := s.version.Start(ctx)
	out, err := s.next.Version(ctx)
	c.End(err)
	return out, err
}

// Close is not a call to time: it releases the index once.
func (s *searcher) Close() error { return s.next.Close() }
