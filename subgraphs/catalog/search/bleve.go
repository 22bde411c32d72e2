package search

import (
	"context"
	"errors"
	"fmt"
	"html"
	"os"
	"slices"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
)

// DirName is the index directory inside the data directory.
const DirName = "catalog-search.bleve"

const (
	versionKey = "catalog-version"
	batchSize  = 200
	// facetSize covers every genre, kind and release year in the catalog.
	facetSize = 200
)

// ErrNotBuilt is returned by Search before the first Rebuild.
var ErrNotBuilt = errors.New("search index not built")

// Bleve is the embedded Searcher: a bleve index in one directory, rebuilt
// beside the live one and swapped in, so searches never see half an index.
type Bleve struct {
	path      string
	rebuildMu sync.Mutex // one rebuild at a time
	mu        sync.RWMutex
	index     bleve.Index // nil until built
}

var _ Searcher = (*Bleve)(nil)

// Open opens the index at path, if there is a usable one; otherwise the
// Searcher starts empty (Version "") until Rebuild.
func Open(path string) (*Bleve, error) {
	b := &Bleve{path: path}
	idx, err := bleve.Open(path)
	switch {
	case err == nil:
		b.index = idx
	case errors.Is(err, bleve.ErrorIndexPathDoesNotExist):
	default:
		// A damaged or foreign index is rebuilt rather than trusted.
		if rmErr := os.RemoveAll(path); rmErr != nil {
			return nil, fmt.Errorf("discard unusable search index %s: %w", path, rmErr)
		}
	}
	return b, nil
}

// Version is the label given to the last completed Rebuild, "" when the
// index is missing or was built with another mapping.
func (b *Bleve) Version(_ context.Context) (string, error) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	if b.index == nil {
		return "", nil
	}
	raw, err := b.index.GetInternal([]byte(versionKey))
	if err != nil {
		return "", fmt.Errorf("read search index version: %w", err)
	}
	v, ok := strings.CutPrefix(string(raw), mappingVersion+":")
	if !ok {
		return "", nil
	}
	return v, nil
}

// Rebuild indexes docs into a fresh index and swaps it in.
func (b *Bleve) Rebuild(ctx context.Context, version string, docs []Document) error {
	b.rebuildMu.Lock()
	defer b.rebuildMu.Unlock()
	building := b.path + ".building"
	if err := os.RemoveAll(building); err != nil {
		return fmt.Errorf("clear %s: %w", building, err)
	}
	idx, err := bleve.New(building, indexMapping())
	if err != nil {
		return fmt.Errorf("create search index: %w", err)
	}
	if err := fill(ctx, idx, docs); err != nil {
		_ = idx.Close()
		_ = os.RemoveAll(building)
		return err
	}
	if err := idx.SetInternal([]byte(versionKey), []byte(mappingVersion+":"+version)); err != nil {
		_ = idx.Close()
		return fmt.Errorf("label search index: %w", err)
	}
	if err := idx.Close(); err != nil {
		return fmt.Errorf("close new search index: %w", err)
	}

	b.mu.Lock()
	defer b.mu.Unlock()
	if b.index != nil {
		if err := b.index.Close(); err != nil {
			return fmt.Errorf("close old search index: %w", err)
		}
		b.index = nil
	}
	if err := os.RemoveAll(b.path); err != nil {
		return fmt.Errorf("remove old search index: %w", err)
	}
	if err := os.Rename(building, b.path); err != nil {
		return fmt.Errorf("swap in search index: %w", err)
	}
	b.index, err = bleve.Open(b.path)
	if err != nil {
		return fmt.Errorf("open rebuilt search index: %w", err)
	}
	return nil
}

func fill(ctx context.Context, idx bleve.Index, docs []Document) error {
	for start := 0; start < len(docs); start += batchSize {
		if err := ctx.Err(); err != nil {
			return err
		}
		batch := idx.NewBatch()
		for _, d := range docs[start:min(start+batchSize, len(docs))] {
			if err := batch.Index(d.ID, fields(d)); err != nil {
				return fmt.Errorf("index title %s: %w", d.ID, err)
			}
		}
		if err := idx.Batch(batch); err != nil {
			return fmt.Errorf("index titles: %w", err)
		}
	}
	return nil
}

// highlighted are the fields highlights are offered for, in the order a
// hit lists them.
var highlighted = []string{fieldName, fieldCast, fieldGenreNames, fieldSynopsis}

// listFields hold a list of short values (people, genre names): their
// highlights are every matching value whole, rather than the one best
// fragment bleve's highlighter cuts.
var listFields = []string{fieldCast, fieldGenreNames}

// Search runs req against the live index: strictly first, then forgiving
// typos only when that finds nothing (see Mode).
func (b *Bleve) Search(ctx context.Context, req Request) (Result, error) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	if b.index == nil {
		return Result{}, ErrNotBuilt
	}
	var out Result
	for _, mode := range Modes {
		q := buildQuery(req, mode)
		if q == nil {
			continue
		}
		res, err := b.search(ctx, req, q)
		if err != nil {
			return Result{}, err
		}
		out = res
		if res.Total > 0 {
			break
		}
	}
	if out.Hits == nil {
		out = Result{Hits: []Hit{}, Facets: Facets{Genres: []Bucket{}, ReleaseYears: []Bucket{}, Kinds: []Bucket{}}}
	}
	return out, nil
}

func (b *Bleve) search(ctx context.Context, req Request, q query.Query) (Result, error) {
	sr := bleve.NewSearchRequestOptions(q, max(req.Limit, 1), req.Offset, false)
	sr.SortBy([]string{"-_score", "_id"})
	sr.Highlight = bleve.NewHighlightWithStyle("html")
	sr.Highlight.Fields = []string{fieldName, fieldSynopsis}
	sr.IncludeLocations = true
	sr.Fields = listFields
	sr.AddFacet(fieldGenres, bleve.NewFacetRequest(fieldGenres, facetSize))
	sr.AddFacet(fieldYear, bleve.NewFacetRequest(fieldYear, facetSize))
	sr.AddFacet(fieldKind, bleve.NewFacetRequest(fieldKind, facetSize))
	res, err := b.index.SearchInContext(ctx, sr)
	if err != nil {
		return Result{}, fmt.Errorf("search %q: %w", req.Query, err)
	}
	out := Result{Total: int(res.Total), Hits: make([]Hit, 0, len(res.Hits))}
	for _, h := range res.Hits {
		hit := Hit{ID: h.ID, Score: h.Score, Highlights: []Highlight{}}
		for _, field := range highlighted {
			// bleve hands back the start of a field that did not match as
			// a fragment too; only fragments with a match are highlights.
			hl := Highlight{Field: field}
			if slices.Contains(listFields, field) {
				hl.Fragments = listHighlights(h, field)
			}
			for _, f := range h.Fragments[field] {
				if strings.Contains(f, "<mark>") {
					hl.Fragments = append(hl.Fragments, emphasize(f))
				}
			}
			if len(hl.Fragments) > 0 {
				hit.Highlights = append(hit.Highlights, hl)
			}
		}
		out.Hits = append(out.Hits, hit)
	}
	out.Facets = Facets{
		Genres:       buckets(res, fieldGenres),
		ReleaseYears: buckets(res, fieldYear),
		Kinds:        buckets(res, fieldKind),
	}
	return out, nil
}

// listHighlights are the values of a stored list field that matched, in
// list order, each whole and HTML-escaped with its matches in <em>.
func listHighlights(h *bsearch.DocumentMatch, field string) []string {
	var values []string
	switch v := h.Fields[field].(type) {
	case string:
		values = []string{v}
	case []any:
		for _, x := range v {
			s, _ := x.(string)
			values = append(values, s)
		}
	}
	spans := map[int][][2]int{} // by list position: byte ranges matched
	for _, locs := range h.Locations[field] {
		for _, l := range locs {
			at := 0
			if len(l.ArrayPositions) > 0 {
				at = int(l.ArrayPositions[0])
			}
			spans[at] = append(spans[at], [2]int{int(l.Start), int(l.End)})
		}
	}
	var out []string
	for i, v := range values {
		ss := spans[i]
		if len(ss) == 0 {
			continue
		}
		slices.SortFunc(ss, func(a, b [2]int) int { return a[0] - b[0] })
		var b strings.Builder
		last := 0
		for _, sp := range ss {
			if sp[0] < last || sp[1] > len(v) {
				continue // overlapping or stale: already marked
			}
			b.WriteString(html.EscapeString(v[last:sp[0]]))
			b.WriteString("<em>" + html.EscapeString(v[sp[0]:sp[1]]) + "</em>")
			last = sp[1]
		}
		b.WriteString(html.EscapeString(v[last:]))
		out = append(out, b.String())
	}
	return out
}

func buckets(res *bleve.SearchResult, facet string) []Bucket {
	fr, ok := res.Facets[facet]
	if !ok || fr == nil {
		return []Bucket{}
	}
	terms := fr.Terms.Terms()
	out := make([]Bucket, 0, len(terms))
	for _, t := range terms {
		out = append(out, Bucket{Value: t.Term, Count: t.Count})
	}
	return out
}

// Close closes the index.
func (b *Bleve) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.index == nil {
		return nil
	}
	err := b.index.Close()
	b.index = nil
	return err
}
