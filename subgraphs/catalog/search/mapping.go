package search

import (
	"strconv"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/standard"
	"github.com/blevesearch/bleve/v2/mapping"
)

// Index field names.
const (
	fieldName        = "name"
	fieldNameExact   = "nameExact"
	fieldSynopsis    = "synopsis"
	fieldCast        = "cast"
	fieldGenreNames  = "genreNames"
	fieldGenres      = "genres"
	fieldKind        = "kind"
	fieldMaturity    = "maturity"
	fieldYear        = "year"
	fieldReleaseYear = "releaseYear"
	fieldBoost       = "searchBoost"
)

// mappingVersion changes whenever the mapping or document shape does, so
// indexes built by older code are rebuilt.
const mappingVersion = "m2"

func indexMapping() mapping.IndexMapping {
	// Stored fields are the ones highlights are cut from.
	text := func(highlight bool) *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = standard.Name
		f.Store = highlight
		f.IncludeTermVectors = true
		return f
	}
	keywordField := func() *mapping.FieldMapping {
		f := bleve.NewKeywordFieldMapping()
		f.Analyzer = keyword.Name
		f.DocValues = true
		return f
	}
	number := func() *mapping.FieldMapping {
		f := bleve.NewNumericFieldMapping()
		f.DocValues = true
		return f
	}

	doc := bleve.NewDocumentStaticMapping()
	doc.AddFieldMappingsAt(fieldName, text(true))
	doc.AddFieldMappingsAt(fieldSynopsis, text(true))
	doc.AddFieldMappingsAt(fieldCast, text(true))
	doc.AddFieldMappingsAt(fieldGenreNames, text(true))
	doc.AddFieldMappingsAt(fieldNameExact, keywordField())
	doc.AddFieldMappingsAt(fieldGenres, keywordField())
	doc.AddFieldMappingsAt(fieldKind, keywordField())
	doc.AddFieldMappingsAt(fieldMaturity, keywordField())
	doc.AddFieldMappingsAt(fieldYear, keywordField())
	doc.AddFieldMappingsAt(fieldReleaseYear, number())
	doc.AddFieldMappingsAt(fieldBoost, number())

	m := bleve.NewIndexMapping()
	m.DefaultMapping = doc
	m.DefaultAnalyzer = standard.Name
	return m
}

// fields is a Document as the index mapping reads it.
func fields(d Document) map[string]any {
	return map[string]any{
		fieldName:        d.Name,
		fieldNameExact:   NormalizeName(d.Name),
		fieldSynopsis:    d.Synopsis,
		fieldCast:        d.Cast,
		fieldGenreNames:  d.GenreNames,
		fieldGenres:      d.Genres,
		fieldKind:        d.Kind,
		fieldMaturity:    d.MaturityRating,
		fieldYear:        strconv.Itoa(d.ReleaseYear),
		fieldReleaseYear: float64(d.ReleaseYear),
		fieldBoost:       d.SearchBoost,
	}
}
