package main

import (
	"context"
	"sync/atomic"

	"github.com/cinegraph/cinegraph/app"
	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/subgraphs/catalog"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/catalogservice"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/search"
	"github.com/cinegraph/cinegraph/subgraphs/chat"
	"github.com/cinegraph/cinegraph/subgraphs/chat/chatservice"
	"github.com/cinegraph/cinegraph/subgraphs/insights"
	"github.com/cinegraph/cinegraph/subgraphs/insights/insightsservice"
	"github.com/cinegraph/cinegraph/subgraphs/video"
	"github.com/cinegraph/cinegraph/subgraphs/video/videoservice"
)

// Counted stores, by the names the table's columns use.
const (
	storeCatalog       = "catalog"
	storeCatalogSearch = "catalog.search"
	storeVideo         = "video"
	storeChat          = "chat"
	storeInsights      = "insights"
)

// storeNames are the counted stores, in table order.
var storeNames = []string{storeCatalog, storeCatalogSearch, storeVideo, storeChat, storeInsights}

// counter counts the calls one store receives. Outbox polling by the relays
// runs on a timer, not per request, so it is kept apart.
type counter struct {
	calls      atomic.Int64
	background atomic.Int64
}

func (c *counter) call()  { c.calls.Add(1) }
func (c *counter) relay() { c.background.Add(1) }

// counters holds one counter per store name.
type counters map[string]*counter

func newCounters() counters {
	cs := counters{}
	for _, n := range storeNames {
		cs[n] = &counter{}
	}
	return cs
}

// snapshot returns the request-path calls per store.
func (cs counters) snapshot() map[string]int64 {
	out := map[string]int64{}
	for n, c := range cs {
		out[n] = c.calls.Load()
	}
	return out
}

// options installs the counting decorators through each subgraph's hooks.
func (cs counters) options() app.Options {
	return app.Options{
		Catalog: catalog.Hooks{
			WrapStore:    func(s catalogservice.Store) catalogservice.Store { return countingCatalog{s, cs[storeCatalog]} },
			WrapSearcher: func(s search.Searcher) search.Searcher { return countingSearch{s, cs[storeCatalogSearch]} },
		},
		Video:    video.Hooks{WrapStore: func(s videoservice.Store) videoservice.Store { return countingVideo{s, cs[storeVideo]} }},
		Chat:     chat.Hooks{WrapStore: func(s chatservice.Store) chatservice.Store { return countingChat{s, cs[storeChat]} }},
		Insights: insights.Hooks{WrapStore: func(s insightsservice.Store) insightsservice.Store { return countingInsights{s, cs[storeInsights]} }},
	}
}

type countingCatalog struct {
	s catalogservice.Store
	c *counter
}

func (w countingCatalog) TitlesByIDs(ctx context.Context, ids []string) (map[string]catalogservice.Title, error) {
	w.c.call()
	return w.s.TitlesByIDs(ctx, ids)
}

func (w countingCatalog) TitlePages(ctx context.Context, qs []catalogservice.TitleQuery) ([]catalogservice.TitlePage, error) {
	w.c.call()
	return w.s.TitlePages(ctx, qs)
}

func (w countingCatalog) TitleIDs(ctx context.Context) ([]string, error) {
	w.c.call()
	return w.s.TitleIDs(ctx)
}

func (w countingCatalog) Genres(ctx context.Context) ([]catalogservice.Genre, error) {
	w.c.call()
	return w.s.Genres(ctx)
}

func (w countingCatalog) GenresBySlugs(ctx context.Context, slugs []string) (map[string]catalogservice.Genre, error) {
	w.c.call()
	return w.s.GenresBySlugs(ctx, slugs)
}

func (w countingCatalog) PeopleByIDs(ctx context.Context, ids []string) (map[string]catalogservice.Person, error) {
	w.c.call()
	return w.s.PeopleByIDs(ctx, ids)
}

func (w countingCatalog) CreditsByTitles(ctx context.Context, ids []string) (map[string][]catalogservice.Credit, error) {
	w.c.call()
	return w.s.CreditsByTitles(ctx, ids)
}

func (w countingCatalog) CreditsByPeople(ctx context.Context, ids []string) (map[string][]catalogservice.Credit, error) {
	w.c.call()
	return w.s.CreditsByPeople(ctx, ids)
}

func (w countingCatalog) SeasonsByTitles(ctx context.Context, ids []string) (map[string][]catalogservice.Season, error) {
	w.c.call()
	return w.s.SeasonsByTitles(ctx, ids)
}

func (w countingCatalog) EpisodesByIDs(ctx context.Context, ids []string) (map[string]catalogservice.Episode, error) {
	w.c.call()
	return w.s.EpisodesByIDs(ctx, ids)
}

func (w countingCatalog) ProfilesByIDs(ctx context.Context, ids []string) (map[string]catalogservice.Profile, error) {
	w.c.call()
	return w.s.ProfilesByIDs(ctx, ids)
}

func (w countingCatalog) MyLists(ctx context.Context, ids []string) (map[string][]catalogservice.ListEntry, error) {
	w.c.call()
	return w.s.MyLists(ctx, ids)
}

func (w countingCatalog) AddToMyList(ctx context.Context, e catalogservice.ListEntry, ev events.Event) (bool, error) {
	w.c.call()
	return w.s.AddToMyList(ctx, e, ev)
}

func (w countingCatalog) RemoveFromMyList(ctx context.Context, profileID, titleID string, ev events.Event) (bool, error) {
	w.c.call()
	return w.s.RemoveFromMyList(ctx, profileID, titleID, ev)
}

func (w countingCatalog) PendingEvents(ctx context.Context, limit int) ([]events.Event, error) {
	w.c.relay()
	return w.s.PendingEvents(ctx, limit)
}

func (w countingCatalog) DeleteEvents(ctx context.Context, ids []string) error {
	w.c.relay()
	return w.s.DeleteEvents(ctx, ids)
}

func (w countingCatalog) Replace(ctx context.Context, d catalogservice.Dataset) error {
	w.c.call()
	return w.s.Replace(ctx, d)
}

func (w countingCatalog) Version(ctx context.Context) (int64, error) {
	w.c.call()
	return w.s.Version(ctx)
}

func (w countingCatalog) Ping(ctx context.Context) error {
	w.c.call()
	return w.s.Ping(ctx)
}

func (w countingCatalog) Close() error { return w.s.Close() }

type countingSearch struct {
	s search.Searcher
	c *counter
}

func (w countingSearch) Search(ctx context.Context, req search.Request) (search.Result, error) {
	w.c.call()
	return w.s.Search(ctx, req)
}

func (w countingSearch) Rebuild(ctx context.Context, version string, docs []search.Document) error {
	w.c.call()
	return w.s.Rebuild(ctx, version, docs)
}

func (w countingSearch) Version(ctx context.Context) (string, error) {
	w.c.call()
	return w.s.Version(ctx)
}

func (w countingSearch) Close() error { return w.s.Close() }

type countingVideo struct {
	s videoservice.Store
	c *counter
}

func (w countingVideo) VideosByIDs(ctx context.Context, ids []string) ([]videoservice.Video, error) {
	w.c.call()
	return w.s.VideosByIDs(ctx, ids)
}

func (w countingVideo) VideosByTitles(ctx context.Context, ids []string) ([]videoservice.Video, error) {
	w.c.call()
	return w.s.VideosByTitles(ctx, ids)
}

func (w countingVideo) VideosByEpisodes(ctx context.Context, ids []string) ([]videoservice.Video, error) {
	w.c.call()
	return w.s.VideosByEpisodes(ctx, ids)
}

func (w countingVideo) RenditionsByVideos(ctx context.Context, ids []string) ([]videoservice.Rendition, error) {
	w.c.call()
	return w.s.RenditionsByVideos(ctx, ids)
}

func (w countingVideo) ViewingByProfiles(ctx context.Context, ids []string, f videoservice.ViewingFilter) ([]videoservice.Viewing, error) {
	w.c.call()
	return w.s.ViewingByProfiles(ctx, ids, f)
}

func (w countingVideo) ViewingOf(ctx context.Context, profileID, videoID string) (videoservice.Viewing, bool, error) {
	w.c.call()
	return w.s.ViewingOf(ctx, profileID, videoID)
}

func (w countingVideo) CreateSession(ctx context.Context, s videoservice.Session) error {
	w.c.call()
	return w.s.CreateSession(ctx, s)
}

func (w countingVideo) SessionsByIDs(ctx context.Context, ids []string) ([]videoservice.Session, error) {
	w.c.call()
	return w.s.SessionsByIDs(ctx, ids)
}

func (w countingVideo) RecordProgress(ctx context.Context, p videoservice.Progress) error {
	w.c.call()
	return w.s.RecordProgress(ctx, p)
}

func (w countingVideo) PendingEvents(ctx context.Context, limit int) ([]videoservice.OutboxEvent, error) {
	w.c.relay()
	return w.s.PendingEvents(ctx, limit)
}

func (w countingVideo) DeleteEvents(ctx context.Context, ids []string) error {
	w.c.relay()
	return w.s.DeleteEvents(ctx, ids)
}

func (w countingVideo) Replace(ctx context.Context, d videoservice.Dataset) error {
	w.c.call()
	return w.s.Replace(ctx, d)
}

func (w countingVideo) Empty(ctx context.Context) (bool, error) {
	w.c.call()
	return w.s.Empty(ctx)
}

func (w countingVideo) Ping(ctx context.Context) error {
	w.c.call()
	return w.s.Ping(ctx)
}

func (w countingVideo) Close() error { return w.s.Close() }

type countingChat struct {
	s chatservice.Store
	c *counter
}

func (w countingChat) RoomsByIDs(ctx context.Context, ids []string) ([]chatservice.Room, error) {
	w.c.call()
	return w.s.RoomsByIDs(ctx, ids)
}

func (w countingChat) RoomsByTitleIDs(ctx context.Context, ids []string) ([]chatservice.Room, error) {
	w.c.call()
	return w.s.RoomsByTitleIDs(ctx, ids)
}

func (w countingChat) MessagesByIDs(ctx context.Context, ids []string) ([]chatservice.Message, error) {
	w.c.call()
	return w.s.MessagesByIDs(ctx, ids)
}

func (w countingChat) RoomStats(ctx context.Context, ids []string) ([]chatservice.RoomStats, error) {
	w.c.call()
	return w.s.RoomStats(ctx, ids)
}

func (w countingChat) MessagePages(ctx context.Context, qs []chatservice.PageQuery) ([]chatservice.Page, error) {
	w.c.call()
	return w.s.MessagePages(ctx, qs)
}

func (w countingChat) ActiveRooms(ctx context.Context, limit int) ([]chatservice.Room, error) {
	w.c.call()
	return w.s.ActiveRooms(ctx, limit)
}

func (w countingChat) AddMessage(ctx context.Context, m chatservice.Message, ev events.Event) error {
	w.c.call()
	return w.s.AddMessage(ctx, m, ev)
}

func (w countingChat) PendingEvents(ctx context.Context, limit int) ([]events.Event, error) {
	w.c.relay()
	return w.s.PendingEvents(ctx, limit)
}

func (w countingChat) DeleteEvents(ctx context.Context, ids []string) error {
	w.c.relay()
	return w.s.DeleteEvents(ctx, ids)
}

func (w countingChat) ReplaceAll(ctx context.Context, rooms []chatservice.Room, msgs []chatservice.Message) error {
	w.c.call()
	return w.s.ReplaceAll(ctx, rooms, msgs)
}

func (w countingChat) Empty(ctx context.Context) (bool, error) {
	w.c.call()
	return w.s.Empty(ctx)
}

func (w countingChat) Ping(ctx context.Context) error {
	w.c.call()
	return w.s.Ping(ctx)
}

func (w countingChat) Close() error { return w.s.Close() }

type countingInsights struct {
	s insightsservice.Store
	c *counter
}

func (w countingInsights) SaveScores(ctx context.Context, scores []insightsservice.MessageScore) (int, error) {
	w.c.call()
	return w.s.SaveScores(ctx, scores)
}

func (w countingInsights) AudiencesByTitleIDs(ctx context.Context, ids []string) ([]insightsservice.Audience, error) {
	w.c.call()
	return w.s.AudiencesByTitleIDs(ctx, ids)
}

func (w countingInsights) DetectionsByVideoIDs(ctx context.Context, ids []string) ([][]insightsservice.Detection, error) {
	w.c.call()
	return w.s.DetectionsByVideoIDs(ctx, ids)
}

func (w countingInsights) DetectionsByTitleIDs(ctx context.Context, ids []string, minConfidence float64) ([][]insightsservice.Detection, error) {
	w.c.call()
	return w.s.DetectionsByTitleIDs(ctx, ids, minConfidence)
}

func (w countingInsights) ReplaceFrameDetections(ctx context.Context, frames []insightsservice.FrameAt, ds []insightsservice.Detection) error {
	w.c.call()
	return w.s.ReplaceFrameDetections(ctx, frames, ds)
}

func (w countingInsights) SaveViews(ctx context.Context, views []insightsservice.View) error {
	w.c.call()
	return w.s.SaveViews(ctx, views)
}

func (w countingInsights) WatchedTitlesByProfileIDs(ctx context.Context, ids []string) ([][]string, error) {
	w.c.call()
	return w.s.WatchedTitlesByProfileIDs(ctx, ids)
}

func (w countingInsights) PopularTitles(ctx context.Context, limit int) ([]insightsservice.TitleStat, error) {
	w.c.call()
	return w.s.PopularTitles(ctx, limit)
}

func (w countingInsights) CoViewsByTitleIDs(ctx context.Context, ids []string) ([]insightsservice.CoViews, error) {
	w.c.call()
	return w.s.CoViewsByTitleIDs(ctx, ids)
}

func (w countingInsights) ReplaceSeed(ctx context.Context, data insightsservice.SeedData) error {
	w.c.call()
	return w.s.ReplaceSeed(ctx, data)
}

func (w countingInsights) Empty(ctx context.Context) (bool, error) {
	w.c.call()
	return w.s.Empty(ctx)
}

func (w countingInsights) Ping(ctx context.Context) error {
	w.c.call()
	return w.s.Ping(ctx)
}

func (w countingInsights) Close() error { return w.s.Close() }

// The decorators must keep satisfying the interfaces they stand in for.
var (
	_ catalogservice.Store  = countingCatalog{}
	_ search.Searcher       = countingSearch{}
	_ videoservice.Store    = countingVideo{}
	_ chatservice.Store     = countingChat{}
	_ insightsservice.Store = countingInsights{}
)
