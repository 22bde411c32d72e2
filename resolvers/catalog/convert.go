package catalog

import (
	"github.com/cinegraph/cinegraph/graph/catalog/model"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/catalogservice"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/search"
)

func titleModel(t *catalogservice.Title) *model.Title {
	if t == nil {
		return nil
	}
	art := catalogservice.ArtworkFor(t.ID)
	m := &model.Title{
		ID: t.ID, Name: t.Name, Synopsis: t.Synopsis, Kind: model.TitleKind(t.Kind),
		ReleaseYear: t.ReleaseYear, MaturityRating: model.MaturityRating(t.MaturityRating),
		Artwork:     &model.Artwork{PosterURL: art.PosterURL, BackdropURL: art.BackdropURL, ThumbnailURL: art.ThumbnailURL},
		SearchBoost: t.SearchBoost, GenreSlugs: t.GenreSlugs,
	}
	if t.RuntimeMinutes > 0 {
		minutes := t.RuntimeMinutes
		m.RuntimeMinutes = &minutes
	}
	return m
}

func titleModels(ts []*catalogservice.Title) []*model.Title {
	out := make([]*model.Title, 0, len(ts))
	for _, t := range ts {
		if t != nil {
			out = append(out, titleModel(t))
		}
	}
	return out
}

func genreModel(g *catalogservice.Genre) *model.Genre {
	if g == nil {
		return nil
	}
	return &model.Genre{Slug: g.Slug, Name: g.Name}
}

func personModel(p *catalogservice.Person) *model.Person {
	if p == nil {
		return nil
	}
	m := &model.Person{ID: p.ID, Name: p.Name}
	if p.BirthYear > 0 {
		year := p.BirthYear
		m.BirthYear = &year
	}
	return m
}

func episodeModel(e *catalogservice.Episode) *model.Episode {
	if e == nil {
		return nil
	}
	return &model.Episode{
		ID: e.ID, SeriesID: e.SeriesID, SeasonNumber: e.SeasonNumber, Number: e.Number,
		Name: e.Name, Synopsis: e.Synopsis, RuntimeMinutes: e.RuntimeMinutes,
	}
}

func profileModel(p *catalogservice.Profile) *model.Profile {
	if p == nil {
		return nil
	}
	return &model.Profile{ID: p.ID, Name: p.Name, AvatarURL: catalogservice.AvatarURL(p.ID)}
}

func character(c catalogservice.Credit) *string {
	if c.Character == "" {
		return nil
	}
	s := c.Character
	return &s
}

func seasonModels(seasons []catalogservice.Season) []*model.Season {
	out := make([]*model.Season, len(seasons))
	for i, s := range seasons {
		eps := make([]*model.Episode, len(s.Episodes))
		for j := range s.Episodes {
			eps[j] = episodeModel(&s.Episodes[j])
		}
		out[i] = &model.Season{Number: s.Number, Episodes: eps}
	}
	return out
}

func filterFromModel(f *model.TitleFilter) catalogservice.TitleFilter {
	if f == nil {
		return catalogservice.TitleFilter{}
	}
	out := catalogservice.TitleFilter{Genres: f.Genres}
	if f.Kind != nil {
		out.Kind = string(*f.Kind)
	}
	if f.ReleaseYearFrom != nil {
		out.ReleaseYearFrom = *f.ReleaseYearFrom
	}
	if f.ReleaseYearTo != nil {
		out.ReleaseYearTo = *f.ReleaseYearTo
	}
	for _, r := range f.MaturityRatings {
		out.MaturityRatings = append(out.MaturityRatings, string(r))
	}
	return out
}

func titleConnection(page catalogservice.TitlePage, hasPrevious bool) *model.TitleConnection {
	conn := &model.TitleConnection{
		Edges:      make([]*model.TitleEdge, len(page.Titles)),
		PageInfo:   &model.PageInfo{HasNextPage: page.HasNext, HasPreviousPage: hasPrevious},
		TotalCount: page.Total,
	}
	for i := range page.Titles {
		conn.Edges[i] = &model.TitleEdge{Cursor: catalogservice.EncodeTitleCursor(page.Titles[i]), Node: titleModel(&page.Titles[i])}
	}
	if n := len(conn.Edges); n > 0 {
		conn.PageInfo.StartCursor = &conn.Edges[0].Cursor
		conn.PageInfo.EndCursor = &conn.Edges[n-1].Cursor
	}
	return conn
}

func searchConnection(page catalogservice.SearchPage) *model.SearchConnection {
	conn := &model.SearchConnection{
		Edges:      make([]*model.SearchEdge, len(page.Hits)),
		PageInfo:   &model.PageInfo{HasNextPage: page.HasNext, HasPreviousPage: page.Offset > 0},
		TotalCount: page.Total,
		Facets: &model.SearchFacets{
			Genres:       bucketModels(page.Facets.Genres),
			ReleaseYears: bucketModels(page.Facets.ReleaseYears),
			Kinds:        bucketModels(page.Facets.Kinds),
		},
	}
	for i, h := range page.Hits {
		edge := &model.SearchEdge{Cursor: catalogservice.EncodeSearchCursor(page.Offset + i), TitleID: h.ID, Score: h.Score, Highlights: make([]*model.Highlight, len(h.Highlights))}
		for j, hl := range h.Highlights {
			edge.Highlights[j] = &model.Highlight{Field: hl.Field, Fragments: hl.Fragments}
		}
		conn.Edges[i] = edge
	}
	if n := len(conn.Edges); n > 0 {
		conn.PageInfo.StartCursor = &conn.Edges[0].Cursor
		conn.PageInfo.EndCursor = &conn.Edges[n-1].Cursor
	}
	return conn
}

func bucketModels(bs []search.Bucket) []*model.FacetBucket {
	out := make([]*model.FacetBucket, len(bs))
	for i, b := range bs {
		out[i] = &model.FacetBucket{Value: b.Value, Count: b.Count}
	}
	return out
}
