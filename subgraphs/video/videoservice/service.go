package videoservice

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/cinegraph/cinegraph/internal/errs"
	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/internal/events/outbox"
)

// Service applies the video subgraph's rules on top of a Store.
type Service struct {
	store  Store
	now    func() time.Time
	newID  func() string
	notify func()
}

// Option adjusts a Service.
type Option func(*Service)

// WithClock sets the clock stamping sessions and events (tests).
func WithClock(now func() time.Time) Option { return func(s *Service) { s.now = now } }

// WithIDs sets the generator of session and event ids (tests); ids must be
// UUIDs.
func WithIDs(newID func() string) Option { return func(s *Service) { s.newID = newID } }

// WithNotify sets a function called after an event reaches the outbox, so
// the relay publishes it without waiting for its next poll.
func WithNotify(notify func()) Option {
	return func(s *Service) {
		if notify != nil {
			s.notify = notify
		}
	}
}

// New returns a Service over store; a nil store is a wiring mistake and
// panics.
func New(store Store, opts ...Option) *Service {
	if store == nil {
		panic("video service: nil store")
	}
	s := &Service{
		store:  store,
		now:    time.Now,
		newID:  func() string { return uuid.NewString() },
		notify: func() {},
	}
	for _, opt := range opts {
		opt(s)
	}
	return s
}

// HistoryFilter is the filter for Profile.viewingHistory(first).
func (s *Service) HistoryFilter(first int) (ViewingFilter, error) {
	if err := CheckFirst(first); err != nil {
		return ViewingFilter{}, err
	}
	return ViewingFilter{Limit: first}, nil
}

// ContinueWatchingFilter is the filter for Profile.continueWatching(first).
func (s *Service) ContinueWatchingFilter(first int) (ViewingFilter, error) {
	if err := CheckFirst(first); err != nil {
		return ViewingFilter{}, err
	}
	return ViewingFilter{InProgress: true, Limit: first}, nil
}

// StartPlayback opens a session for profileID on videoID, resuming at the
// profile's last position unless the video was completed or never watched.
func (s *Service) StartPlayback(ctx context.Context, profileID, videoID string) (Session, error) {
	if err := CheckVideoID("videoId", videoID); err != nil {
		return Session{}, err
	}
	video, err := s.video(ctx, videoID)
	if err != nil {
		return Session{}, err
	}
	viewing, found, err := s.store.ViewingOf(ctx, profileID, video.ID)
	if err != nil {
		return Session{}, fmt.Errorf("load viewing of %s by %s: %w", video.ID, profileID, err)
	}
	resume := 0
	if found && !completed(viewing.PositionSeconds, video.DurationSeconds) {
		resume = min(max(viewing.PositionSeconds, 0), video.DurationSeconds)
	}
	now := s.now().UTC()
	session := Session{
		ID:              "ps-" + s.newID(),
		ProfileID:       profileID,
		VideoID:         video.ID,
		PositionSeconds: resume,
		StartedAt:       now,
		UpdatedAt:       now,
	}
	if err := s.store.CreateSession(ctx, session); err != nil {
		return Session{}, fmt.Errorf("create session for %s: %w", video.ID, err)
	}
	return session, nil
}

// ReportProgress records profileID's position in its session, updating the
// viewing history and queueing a video event in one transaction.
func (s *Service) ReportProgress(ctx context.Context, profileID, sessionID string, position int) (Session, error) {
	if err := CheckSessionID("sessionId", sessionID); err != nil {
		return Session{}, err
	}
	sessions, err := s.store.SessionsByIDs(ctx, []string{sessionID})
	if err != nil {
		return Session{}, fmt.Errorf("load session %s: %w", sessionID, err)
	}
	if len(sessions) == 0 {
		return Session{}, errs.Missing("playback session", sessionID)
	}
	session := sessions[0]
	if session.ProfileID != profileID {
		return Session{}, errs.New(errs.Forbidden, "playback session %q belongs to another profile", sessionID)
	}
	video, err := s.video(ctx, session.VideoID)
	if err != nil {
		return Session{}, err
	}
	if position < 0 || position > video.DurationSeconds {
		return Session{}, errs.Invalid("positionSeconds", "positionSeconds must be between 0 and %d", video.DurationSeconds)
	}
	now := s.now().UTC()
	ev, err := events.New(events.TopicVideoEvents, video.ID, EventProgressReported, s.newID(), now, ProgressPayload{
		ProfileID:       profileID,
		VideoID:         video.ID,
		TitleID:         video.TitleID,
		PositionSeconds: position,
		DurationSeconds: video.DurationSeconds,
		Completed:       completed(position, video.DurationSeconds),
	})
	if err != nil {
		return Session{}, err
	}
	// Relayed later: sealed with this request's trace context, the event
	// continues this trace in its consumers.
	ev = outbox.Seal(ctx, ev)
	err = s.store.RecordProgress(ctx, Progress{
		SessionID:       session.ID,
		ProfileID:       profileID,
		VideoID:         video.ID,
		PositionSeconds: position,
		DurationSeconds: video.DurationSeconds,
		At:              now,
		Event:           ev,
	})
	if errors.Is(err, ErrSessionNotFound) {
		return Session{}, errs.Missing("playback session", sessionID)
	}
	if err != nil {
		return Session{}, fmt.Errorf("record progress in %s: %w", sessionID, err)
	}
	s.notify()
	session.PositionSeconds = position
	session.UpdatedAt = now
	return session, nil
}

func (s *Service) video(ctx context.Context, id string) (Video, error) {
	videos, err := s.store.VideosByIDs(ctx, []string{id})
	if err != nil {
		return Video{}, fmt.Errorf("load video %s: %w", id, err)
	}
	if len(videos) == 0 {
		return Video{}, errs.Missing("video", id)
	}
	return videos[0], nil
}
