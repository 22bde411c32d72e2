// Package videoobserved decorates a video store, whatever its engine, with
// a client span and a timing per call of the videoservice.Store contract
// (internal/storetrace). The module wraps every store it opens with it, so
// an operator sees the same spans and series on SQLite and Cassandra.
package videoobserved

import (
	"context"
	"errors"

	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/internal/storetrace"
	"github.com/cinegraph/cinegraph/subgraphs/video/videoservice"
)

// Subgraph is the subgraph label of the video store's calls.
const Subgraph = "video"

// Wrap returns next with its calls traced and timed as a store on system
// (storetrace.SQLite, storetrace.Cassandra). prefix is what the engine puts
// before the contract's collection names in its tables ("video_" on
// Cassandra), so db.collection.name names a real table.
func Wrap(next videoservice.Store, system, prefix string) videoservice.Store {
	return WrapWith(next, storetrace.Options{Subgraph: Subgraph, System: system}, prefix)
}

// WrapWith is Wrap with the instrument's options spelled out (tests pass
// their own provider and metrics); Subgraph and Expected are filled in
// when empty.
func WrapWith(next videoservice.Store, o storetrace.Options, prefix string) videoservice.Store {
	if o.Subgraph == "" {
		o.Subgraph = Subgraph
	}
	if o.Expected == nil {
		o.Expected = expected
	}
	in := storetrace.New(o)
	c := func(name string) string { return prefix + name }
	return &store{
		next:               next,
		videosByIDs:        in.Op("VideosByIDs", c("videos")),
		videosByTitles:     in.Op("VideosByTitles", c("videos")),
		videosByEpisodes:   in.Op("VideosByEpisodes", c("videos")),
		renditionsByVideos: in.Op("RenditionsByVideos", c("renditions")),
		viewingByProfiles:  in.Op("ViewingByProfiles", c("viewing")),
		viewingOf:          in.Op("ViewingOf", c("viewing")),
		createSession:      in.Op("CreateSession", c("sessions")),
		sessionsByIDs:      in.Op("SessionsByIDs", c("sessions")),
		recordProgress:     in.Op("RecordProgress", c("sessions")),
		pendingEvents:      in.Op("PendingEvents", c("outbox")),
		deleteEvents:       in.Op("DeleteEvents", c("outbox")),
		replace:            in.Op("Replace", ""),
		empty:              in.Op("Empty", c("videos")),
		ping:               in.Op("Ping", ""),
	}
}

// expected: progress for a session that does not exist is the contract's
// answer (the service maps it to NOT_FOUND), not the store failing.
func expected(err error) bool { return errors.Is(err, videoservice.ErrSessionNotFound) }

type store struct {
	next videoservice.Store

	videosByIDs, videosByTitles, videosByEpisodes, renditionsByVideos *storetrace.Op
	viewingByProfiles, viewingOf                                      *storetrace.Op
	createSession, sessionsByIDs, recordProgress                      *storetrace.Op
	pendingEvents, deleteEvents, replace, empty, ping                 *storetrace.Op
}

func (s *store) VideosByIDs(ctx context.Context, ids []string) ([]videoservice.Video, error) {
	ctx, c := s.videosByIDs.Start(ctx)
	out, err := s.next.VideosByIDs(ctx, ids)
	c.End(err)
	return out, err
}

func (s *store) VideosByTitles(ctx context.Context, titleIDs []string) ([]videoservice.Video, error) {
	ctx, c := s.videosByTitles.Start(ctx)
	out, err := s.next.VideosByTitles(ctx, titleIDs)
	c.End(err)
	return out, err
}

func (s *store) VideosByEpisodes(ctx context.Context, episodeIDs []string) ([]videoservice.Video, error) {
	ctx, c := s.videosByEpisodes.Start(ctx)
	out, err := s.next.VideosByEpisodes(ctx, episodeIDs)
	c.End(err)
	return out, err
}

func (s *store) RenditionsByVideos(ctx context.Context, videoIDs []string) ([]videoservice.Rendition, error) {
	ctx, c := s.renditionsByVideos.Start(ctx)
	out, err := s.next.RenditionsByVideos(ctx, videoIDs)
	c.End(err)
	return out, err
}

func (s *store) ViewingByProfiles(ctx context.Context, profileIDs []string, filter videoservice.ViewingFilter) ([]videoservice.Viewing, error) {
	ctx, c := s.viewingByProfiles.Start(ctx)
	out, err := s.next.ViewingByProfiles(ctx, profileIDs, filter)
	c.End(err)
	return out, err
}

func (s *store) ViewingOf(ctx context.Context, profileID, videoID string) (videoservice.Viewing, bool, error) {
	ctx, c := s.viewingOf.Start(ctx)
	v, found, err := s.next.ViewingOf(ctx, profileID, videoID)
	c.End(err)
	return v, found, err
}

func (s *store) CreateSession(ctx context.Context, sess videoservice.Session) error {
	ctx, c := s.createSession.Start(ctx)
	err := s.next.CreateSession(ctx, sess)
	c.End(err)
	return err
}

func (s *store) SessionsByIDs(ctx context.Context, ids []string) ([]videoservice.Session, error) {
	ctx, c := s.sessionsByIDs.Start(ctx)
	out, err := s.next.SessionsByIDs(ctx, ids)
	c.End(err)
	return out, err
}

func (s *store) RecordProgress(ctx context.Context, p videoservice.Progress) error {
	ctx, c := s.recordProgress.Start(ctx)
	err := s.next.RecordProgress(ctx, p)
	c.End(err)
	return err
}

func (s *store) PendingEvents(ctx context.Context, limit int) ([]events.Event, error) {
	ctx, c := s.pendingEvents.Start(ctx)
	out, err := s.next.PendingEvents(ctx, limit)
	c.End(err)
	return out, err
}

func (s *store) DeleteEvents(ctx context.Context, ids []string) error {
	ctx, c := s.deleteEvents.Start(ctx)
	err := s.next.DeleteEvents(ctx, ids)
	c.End(err)
	return err
}

func (s *store) Replace(ctx context.Context, d videoservice.Dataset) error {
	ctx, c := s.replace.Start(ctx)
	err := s.next.Replace(ctx, d)
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
