// Package insightsobserved decorates an insights store, whatever its
// engine, with a client span and a timing per call of the
// insightsservice.Store contract (internal/storetrace). The module wraps
// every store it opens with it, so an operator sees the same spans and
// series on SQLite and PostgreSQL.
package insightsobserved

import (
	"context"

	"github.com/cinegraph/cinegraph/internal/storetrace"
	"github.com/cinegraph/cinegraph/subgraphs/insights/insightsservice"
)

// Subgraph is the subgraph label of the insights store's calls.
const Subgraph = "insights"

// Wrap returns next with its calls traced and timed as a store on system
// (storetrace.SQLite, storetrace.PostgreSQL); both engines name their
// tables alike.
func Wrap(next insightsservice.Store, system string) insightsservice.Store {
	return WrapWith(next, storetrace.Options{Subgraph: Subgraph, System: system})
}

// WrapWith is Wrap with the instrument's options spelled out (tests pass
// their own provider and metrics); Subgraph is filled in when empty. The
// contract has no not-found error: every error is a failure.
func WrapWith(next insightsservice.Store, o storetrace.Options) insightsservice.Store {
	if o.Subgraph == "" {
		o.Subgraph = Subgraph
	}
	in := storetrace.New(o)
	return &store{
		next:            next,
		saveScores:      in.Op("SaveScores", "message_scores"),
		audiences:       in.Op("AudiencesByTitleIDs", "message_scores"),
		detections:      in.Op("DetectionsByVideoIDs", "detections"),
		titleDetections: in.Op("DetectionsByTitleIDs", "detections"),
		frameDetections: in.Op("ReplaceFrameDetections", "detections"),
		saveViews:       in.Op("SaveViews", "views"),
		watchedTitles:   in.Op("WatchedTitlesByProfileIDs", "views"),
		// Popularity ranks views and messages together.
		popularTitles: in.Op("PopularTitles", ""),
		coViews:       in.Op("CoViewsByTitleIDs", "co_views"),
		replaceSeed:   in.Op("ReplaceSeed", ""),
		empty:         in.Op("Empty", ""),
		ping:          in.Op("Ping", ""),
	}
}

type store struct {
	next insightsservice.Store

	saveScores, audiences, detections, saveViews, watchedTitles *storetrace.Op
	popularTitles, coViews, replaceSeed, empty, ping            *storetrace.Op
	titleDetections, frameDetections                            *storetrace.Op
}

func (s *store) DetectionsByTitleIDs(ctx context.Context, titleIDs []string, minConfidence float64) ([][]insightsservice.Detection, error) {
	ctx, c := s.titleDetections.Start(ctx)
	out, err := s.next.DetectionsByTitleIDs(ctx, titleIDs, minConfidence)
	c.End(err)
	return out, err
}

func (s *store) ReplaceFrameDetections(ctx context.Context, frames []insightsservice.FrameAt, ds []insightsservice.Detection) error {
	ctx, c := s.frameDetections.Start(ctx)
	err := s.next.ReplaceFrameDetections(ctx, frames, ds)
	c.End(err)
	return err
}

func (s *store) SaveScores(ctx context.Context, scores []insightsservice.MessageScore) (int, error) {
	ctx, c := s.saveScores.Start(ctx)
	n, err := s.next.SaveScores(ctx, scores)
	c.End(err)
	return n, err
}

func (s *store) AudiencesByTitleIDs(ctx context.Context, titleIDs []string) ([]insightsservice.Audience, error) {
	ctx, c := s.audiences.Start(ctx)
	out, err := s.next.AudiencesByTitleIDs(ctx, titleIDs)
	c.End(err)
	return out, err
}

func (s *store) DetectionsByVideoIDs(ctx context.Context, videoIDs []string) ([][]insightsservice.Detection, error) {
	ctx, c := s.detections.Start(ctx)
	out, err := s.next.DetectionsByVideoIDs(ctx, videoIDs)
	c.End(err)
	return out, err
}

func (s *store) SaveViews(ctx context.Context, views []insightsservice.View) error {
	ctx, c := s.saveViews.Start(ctx)
	err := s.next.SaveViews(ctx, views)
	c.End(err)
	return err
}

func (s *store) WatchedTitlesByProfileIDs(ctx context.Context, profileIDs []string) ([][]string, error) {
	ctx, c := s.watchedTitles.Start(ctx)
	out, err := s.next.WatchedTitlesByProfileIDs(ctx, profileIDs)
	c.End(err)
	return out, err
}

func (s *store) PopularTitles(ctx context.Context, limit int) ([]insightsservice.TitleStat, error) {
	ctx, c := s.popularTitles.Start(ctx)
	out, err := s.next.PopularTitles(ctx, limit)
	c.End(err)
	return out, err
}

func (s *store) CoViewsByTitleIDs(ctx context.Context, titleIDs []string) ([]insightsservice.CoViews, error) {
	ctx, c := s.coViews.Start(ctx)
	out, err := s.next.CoViewsByTitleIDs(ctx, titleIDs)
	c.End(err)
	return out, err
}

func (s *store) ReplaceSeed(ctx context.Context, data insightsservice.SeedData) error {
	ctx, c := s.replaceSeed.Start(ctx)
	err := s.next.ReplaceSeed(ctx, data)
	c.End(err)
	return err
}

func (s *store) Empty(ctx context.Context) (bool, error) {
	ctx, c := s.empty.Start(ctx)
	out, err := s.next.Empty(ctx)
	c.End(err)
	return out, err
}

func (s *store) Ping(ctx context.Context) error {
	ctx, c := s.ping.Start(ctx)
	err := s.next.Ping(ctx)
	c.End(err)
	return err
}

// Close is not a call to time: it releases the store once.
func (s *store) Close() error { return s.next.Close() }
