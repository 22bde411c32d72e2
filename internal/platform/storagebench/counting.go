package main

import (
	"context"
	"sync/atomic"

	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/internal/platform"
	"github.com/cinegraph/cinegraph/internal/seed"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/search"
	catalog "github.com/cinegraph/cinegraph/subgraphs/catalog/service"
	chat "github.com/cinegraph/cinegraph/subgraphs/chat/service"
	insights "github.com/cinegraph/cinegraph/subgraphs/insights/service"
	video "github.com/cinegraph/cinegraph/subgraphs/video/service"
)

// storeNames are the counted stores, in table order.
var storeNames = []string{platform.StoreCatalog, platform.StoreCatalogSearch, platform.StoreVideo, platform.StoreChat, platform.StoreInsights}

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

// wrap is the platform.StoreWrapper installing the counting decorators.
func (cs counters) wrap(name string, store any) any {
	c := cs[name]
	switch s := store.(type) {
	case catalog.Store:
		return countingCatalog{s, c}
	case search.Searcher:
		return countingSearch{s, c}
	case video.Store:
		return countingVideo{s, c}
	case chat.Store:
		return countingChat{s, c}
	case insights.Store:
		return countingInsights{s, c}
	}
	return store
}

type countingCatalog struct {
	s catalog.Store
	c *counter
}

func (w countingCatalog) TitlesByIDs(ctx context.Context, ids []string) (map[string]catalog.Title, error) {
	w.c.call()
	return w.s.TitlesByIDs(ctx, ids)
}

func (w countingCatalog) TitlePages(ctx context.Context, qs []catalog.TitleQuery) ([]catalog.TitlePage, error) {
	w.c.call()
	return w.s.TitlePages(ctx, qs)
}

func (w countingCatalog) TitleIDs(ctx context.Context) ([]string, error) {
	w.c.call()
	return w.s.TitleIDs(ctx)
}

func (w countingCatalog) Genres(ctx context.Context) ([]catalog.Genre, error) {
	w.c.call()
	return w.s.Genres(ctx)
}

func (w countingCatalog) GenresBySlugs(ctx context.Context, slugs []string) (map[string]catalog.Genre, error) {
	w.c.call()
	return w.s.GenresBySlugs(ctx, slugs)
}

func (w countingCatalog) PeopleByIDs(ctx context.Context, ids []string) (map[string]catalog.Person, error) {
	w.c.call()
	return w.s.PeopleByIDs(ctx, ids)
}

func (w countingCatalog) CreditsByTitles(ctx context.Context, ids []string) (map[string][]catalog.Credit, error) {
	w.c.call()
	return w.s.CreditsByTitles(ctx, ids)
}

func (w countingCatalog) CreditsByPeople(ctx context.Context, ids []string) (map[string][]catalog.Credit, error) {
	w.c.call()
	return w.s.CreditsByPeople(ctx, ids)
}

func (w countingCatalog) SeasonsByTitles(ctx context.Context, ids []string) (map[string][]catalog.Season, error) {
	w.c.call()
	return w.s.SeasonsByTitles(ctx, ids)
}

func (w countingCatalog) EpisodesByIDs(ctx context.Context, ids []string) (map[string]catalog.Episode, error) {
	w.c.call()
	return w.s.EpisodesByIDs(ctx, ids)
}

func (w countingCatalog) ProfilesByIDs(ctx context.Context, ids []string) (map[string]catalog.Profile, error) {
	w.c.call()
	return w.s.ProfilesByIDs(ctx, ids)
}

func (w countingCatalog) MyLists(ctx context.Context, ids []string) (map[string][]catalog.ListEntry, error) {
	w.c.call()
	return w.s.MyLists(ctx, ids)
}

func (w countingCatalog) AddToMyList(ctx context.Context, e catalog.ListEntry, ev events.Event) (bool, error) {
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

func (w countingCatalog) Replace(ctx context.Context, d catalog.Dataset) error {
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
	s video.Store
	c *counter
}

func (w countingVideo) VideosByIDs(ctx context.Context, ids []string) ([]video.Video, error) {
	w.c.call()
	return w.s.VideosByIDs(ctx, ids)
}

func (w countingVideo) VideosByTitles(ctx context.Context, ids []string) ([]video.Video, error) {
	w.c.call()
	return w.s.VideosByTitles(ctx, ids)
}

func (w countingVideo) VideosByEpisodes(ctx context.Context, ids []string) ([]video.Video, error) {
	w.c.call()
	return w.s.VideosByEpisodes(ctx, ids)
}

func (w countingVideo) RenditionsByVideos(ctx context.Context, ids []string) ([]video.Rendition, error) {
	w.c.call()
	return w.s.RenditionsByVideos(ctx, ids)
}

func (w countingVideo) ViewingByProfiles(ctx context.Context, ids []string, f video.ViewingFilter) ([]video.Viewing, error) {
	w.c.call()
	return w.s.ViewingByProfiles(ctx, ids, f)
}

func (w countingVideo) ViewingOf(ctx context.Context, profileID, videoID string) (video.Viewing, bool, error) {
	w.c.call()
	return w.s.ViewingOf(ctx, profileID, videoID)
}

func (w countingVideo) CreateSession(ctx context.Context, s video.Session) error {
	w.c.call()
	return w.s.CreateSession(ctx, s)
}

func (w countingVideo) SessionsByIDs(ctx context.Context, ids []string) ([]video.Session, error) {
	w.c.call()
	return w.s.SessionsByIDs(ctx, ids)
}

func (w countingVideo) RecordProgress(ctx context.Context, p video.Progress) error {
	w.c.call()
	return w.s.RecordProgress(ctx, p)
}

func (w countingVideo) PendingEvents(ctx context.Context, limit int) ([]video.OutboxEvent, error) {
	w.c.relay()
	return w.s.PendingEvents(ctx, limit)
}

func (w countingVideo) DeleteEvents(ctx context.Context, ids []string) error {
	w.c.relay()
	return w.s.DeleteEvents(ctx, ids)
}

func (w countingVideo) Seed(ctx context.Context, f *seed.Fixture) error {
	w.c.call()
	return w.s.Seed(ctx, f)
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
	s chat.Store
	c *counter
}

func (w countingChat) RoomsByIDs(ctx context.Context, ids []string) ([]chat.Room, error) {
	w.c.call()
	return w.s.RoomsByIDs(ctx, ids)
}

func (w countingChat) RoomsByTitleIDs(ctx context.Context, ids []string) ([]chat.Room, error) {
	w.c.call()
	return w.s.RoomsByTitleIDs(ctx, ids)
}

func (w countingChat) MessagesByIDs(ctx context.Context, ids []string) ([]chat.Message, error) {
	w.c.call()
	return w.s.MessagesByIDs(ctx, ids)
}

func (w countingChat) RoomStats(ctx context.Context, ids []string) ([]chat.RoomStats, error) {
	w.c.call()
	return w.s.RoomStats(ctx, ids)
}

func (w countingChat) MessagePages(ctx context.Context, qs []chat.PageQuery) ([]chat.Page, error) {
	w.c.call()
	return w.s.MessagePages(ctx, qs)
}

func (w countingChat) ActiveRooms(ctx context.Context, limit int) ([]chat.Room, error) {
	w.c.call()
	return w.s.ActiveRooms(ctx, limit)
}

func (w countingChat) AddMessage(ctx context.Context, m chat.Message, ev events.Event) error {
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

func (w countingChat) ReplaceAll(ctx context.Context, rooms []chat.Room, msgs []chat.Message) error {
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
	s insights.Store
	c *counter
}

func (w countingInsights) SaveScores(ctx context.Context, scores []insights.MessageScore) (int, error) {
	w.c.call()
	return w.s.SaveScores(ctx, scores)
}

func (w countingInsights) AudiencesByTitleIDs(ctx context.Context, ids []string) ([]insights.Audience, error) {
	w.c.call()
	return w.s.AudiencesByTitleIDs(ctx, ids)
}

func (w countingInsights) DetectionsByVideoIDs(ctx context.Context, ids []string) ([][]insights.Detection, error) {
	w.c.call()
	return w.s.DetectionsByVideoIDs(ctx, ids)
}

func (w countingInsights) SaveViews(ctx context.Context, views []insights.View) error {
	w.c.call()
	return w.s.SaveViews(ctx, views)
}

func (w countingInsights) WatchedTitlesByProfileIDs(ctx context.Context, ids []string) ([][]string, error) {
	w.c.call()
	return w.s.WatchedTitlesByProfileIDs(ctx, ids)
}

func (w countingInsights) PopularTitles(ctx context.Context, limit int) ([]insights.TitleStat, error) {
	w.c.call()
	return w.s.PopularTitles(ctx, limit)
}

func (w countingInsights) ReplaceSeed(ctx context.Context, data insights.SeedData) error {
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
	_ catalog.Store   = countingCatalog{}
	_ search.Searcher = countingSearch{}
	_ video.Store     = countingVideo{}
	_ chat.Store      = countingChat{}
	_ insights.Store  = countingInsights{}
)
