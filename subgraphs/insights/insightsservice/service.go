package insightsservice

import (
	"context"
	"fmt"
	"io/fs"
	"time"

	"github.com/cinegraph/cinegraph/internal/depguard"
	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/internal/seed"
	"github.com/cinegraph/cinegraph/subgraphs/insights/detect"
	"github.com/cinegraph/cinegraph/subgraphs/insights/sentiment"
)

// Service applies the insights rules over a Store.
type Service struct {
	store Store
	model sentiment.Model
	pub   events.Publisher
	now   func() time.Time
	// similarity compares titles for recommendations (similarity.go).
	similarity Similarity
	// The guards of the model and of the ranking (guards.go).
	sentimentGuard, recommendationsGuard *depguard.Guard
	// detector finds objects in frames read from frames; nil when
	// detection is off (detections.go).
	detector       detect.Detector
	frames         fs.FS
	detectionGuard *depguard.Guard
}

// Option adjusts a Service.
type Option func(*Service)

// WithModel sets the model that scores message sentiment; the chat lexicon
// model (sentiment.NewChat) otherwise.
func WithModel(model sentiment.Model) Option { return func(s *Service) { s.model = model } }

// WithPublisher sets where insight results are published; without one,
// nothing is.
func WithPublisher(pub events.Publisher) Option { return func(s *Service) { s.pub = pub } }

// WithClock sets the clock stamping scores and events (tests).
func WithClock(now func() time.Time) Option { return func(s *Service) { s.now = now } }

// New returns a Service over store; a nil store is a wiring mistake and
// panics.
func New(store Store, opts ...Option) *Service {
	if store == nil {
		panic("insights service: nil store")
	}
	s := &Service{store: store, now: time.Now, similarity: Cosine}
	for _, opt := range opts {
		opt(s)
	}
	if s.model == nil {
		s.model = sentiment.NewChat()
	}
	if s.detectionGuard == nil {
		s.detectionGuard = depguard.New(DetectionDependency, depguard.Policy{}, nil)
	}
	if s.sentimentGuard == nil {
		s.sentimentGuard = depguard.New(SentimentDependency, depguard.Policy{}, nil)
	}
	if s.recommendationsGuard == nil {
		s.recommendationsGuard = depguard.New(RecommendationsDependency, depguard.Policy{}, nil)
	}
	return s
}

// Sentiment scores a message body with the model, unguarded.
func (s *Service) Sentiment(body string) (sentiment.Result, error) {
	if err := CheckBody(body); err != nil {
		return sentiment.Result{}, err
	}
	return s.model.Score(body), nil
}

// MessageSentiment scores a message body through the model's guard. While
// the model fails, is slow or is cut off, the answer is nil, marked
// degraded (SentimentFallbackNull), so that the message is served without
// its sentiment instead of with an error.
func (s *Service) MessageSentiment(ctx context.Context, body string) (*sentiment.Result, error) {
	if err := CheckBody(body); err != nil {
		return nil, err
	}
	r, err := s.score(ctx, body)
	if err != nil {
		if !depguard.Failed(ctx, err) {
			return nil, err
		}
		s.sentimentGuard.Degraded(ctx, SentimentFallbackNull)
		return nil, nil
	}
	return &r, nil
}

// score runs the model through its guard.
func (s *Service) score(ctx context.Context, body string) (sentiment.Result, error) {
	return depguard.Do(ctx, s.sentimentGuard, func(ctx context.Context) (sentiment.Result, error) {
		return sentiment.ScoreContext(ctx, s.model, body)
	})
}

// Audiences returns the audience sentiment of each title, in order.
func (s *Service) Audiences(ctx context.Context, titleIDs []string) ([]Audience, error) {
	if err := CheckIDs("titleId", titleIDs); err != nil {
		return nil, err
	}
	out, err := s.store.AudiencesByTitleIDs(ctx, titleIDs)
	if err != nil {
		return nil, fmt.Errorf("load audience sentiment of %d titles: %w", len(titleIDs), err)
	}
	return out, nil
}

// Detections returns every detection of each video, in time order.
func (s *Service) Detections(ctx context.Context, videoIDs []string) ([][]Detection, error) {
	if err := CheckIDs("videoId", videoIDs); err != nil {
		return nil, err
	}
	out, err := s.store.DetectionsByVideoIDs(ctx, videoIDs)
	if err != nil {
		return nil, fmt.Errorf("load detections of %d videos: %w", len(videoIDs), err)
	}
	return out, nil
}

// FilterDetections keeps the detections at or above minConfidence that lie
// within the video's duration; detections are already in time order.
func FilterDetections(ds []Detection, minConfidence float64, durationSeconds int) ([]Detection, error) {
	if err := CheckMinConfidence(minConfidence); err != nil {
		return nil, err
	}
	if err := CheckDuration(durationSeconds); err != nil {
		return nil, err
	}
	out := make([]Detection, 0, len(ds))
	for _, d := range ds {
		if d.Confidence >= minConfidence && d.AtSeconds <= float64(durationSeconds) {
			out = append(out, d)
		}
	}
	return out, nil
}

// RecordMessage scores a live chat message, stores the score once per
// message id and publishes the result. A redelivered message is stored once
// and published under the same event id, which the bus drops. The model is
// called through its guard; while it fails the message is not scored and
// the error says so, for the consumer to retry it later (a score is never
// made up).
func (s *Service) RecordMessage(ctx context.Context, m ChatMessagePosted) (MessageScore, error) {
	for _, check := range []struct{ field, id string }{{"id", m.ID}, {"roomId", m.RoomID}, {"titleId", m.TitleID}} {
		if err := CheckID(check.field, check.id); err != nil {
			return MessageScore{}, err
		}
	}
	if err := CheckBody(m.Body); err != nil {
		return MessageScore{}, err
	}
	result, err := s.score(ctx, m.Body)
	if err != nil {
		return MessageScore{}, fmt.Errorf("score message %s: %w", m.ID, err)
	}
	score := MessageScore{
		MessageID: m.ID, RoomID: m.RoomID, TitleID: m.TitleID,
		Label: result.Label, Score: result.Score, Model: result.Model,
		SentAt: m.SentAt.UTC(),
	}
	if score.SentAt.IsZero() {
		score.SentAt = s.now().UTC()
	}
	if _, err := s.store.SaveScores(ctx, []MessageScore{score}); err != nil {
		return MessageScore{}, fmt.Errorf("save sentiment of message %s: %w", m.ID, err)
	}
	if s.pub == nil {
		return score, nil
	}
	ev, err := events.New(events.TopicInsights, m.RoomID, EventTypeSentimentScored, "sentiment-"+m.ID, s.now(), SentimentScored{
		MessageID: m.ID, RoomID: m.RoomID, TitleID: m.TitleID,
		Label: string(result.Label), Score: result.Score, Model: result.Model,
	})
	if err != nil {
		return MessageScore{}, err
	}
	if err := s.pub.Publish(ctx, ev); err != nil {
		return MessageScore{}, fmt.Errorf("publish sentiment of message %s: %w", m.ID, err)
	}
	return score, nil
}

// RecordViewing notes that a profile watched a title.
func (s *Service) RecordViewing(ctx context.Context, p VideoProgress) error {
	for _, check := range []struct{ field, id string }{{"profileId", p.ProfileID}, {"videoId", p.VideoID}, {"titleId", p.TitleID}} {
		if err := CheckID(check.field, check.id); err != nil {
			return err
		}
	}
	view := View{ProfileID: p.ProfileID, TitleID: p.TitleID, VideoID: p.VideoID}
	if err := s.store.SaveViews(ctx, []View{view}); err != nil {
		return fmt.Errorf("save view of %s by %s: %w", p.TitleID, p.ProfileID, err)
	}
	return nil
}

// Seed replaces the seeded scores, detections and views with those derived
// from the fixture; data from live events stays.
func (s *Service) Seed(ctx context.Context, f *seed.Fixture) error {
	data := BuildSeed(f, s.model)
	ds, err := s.detectFrames(ctx, f.Frames)
	if err != nil {
		return fmt.Errorf("seed insights: %w", err)
	}
	data.Detections = ds
	if err := s.store.ReplaceSeed(ctx, data); err != nil {
		return fmt.Errorf("seed insights: %w", err)
	}
	return nil
}

// Empty reports whether the store holds no data yet.
func (s *Service) Empty(ctx context.Context) (bool, error) {
	empty, err := s.store.Empty(ctx)
	if err != nil {
		return false, fmt.Errorf("check for insights: %w", err)
	}
	return empty, nil
}

var _ seed.Seeder = (*Service)(nil)

// Ready checks that the store can serve.
func (s *Service) Ready(ctx context.Context) error {
	if err := s.store.Ping(ctx); err != nil {
		return fmt.Errorf("insights store: %w", err)
	}
	return nil
}

// BuildSeed derives the insights data from the fixture: seeded messages
// scored with model and viewing history as views of titles. Detections
// come from running the detector on the fixture's frames (Seed).
func BuildSeed(f *seed.Fixture, model sentiment.Model) SeedData {
	roomTitle := make(map[string]string, len(f.Rooms))
	for _, r := range f.Rooms {
		roomTitle[r.ID] = r.TitleID
	}
	videoTitle := make(map[string]string, len(f.Videos))
	for _, v := range f.Videos {
		videoTitle[v.ID] = v.TitleID
	}
	var data SeedData
	for _, m := range f.Messages {
		titleID, ok := roomTitle[m.RoomID]
		if !ok {
			continue
		}
		r := model.Score(m.Body)
		data.Scores = append(data.Scores, MessageScore{
			MessageID: m.ID, RoomID: m.RoomID, TitleID: titleID,
			Label: r.Label, Score: r.Score, Model: r.Model, SentAt: m.SentAt.UTC(), Seeded: true,
		})
	}
	for _, v := range f.Viewing {
		titleID, ok := videoTitle[v.VideoID]
		if !ok {
			continue
		}
		data.Views = append(data.Views, View{ProfileID: v.ProfileID, TitleID: titleID, VideoID: v.VideoID, Seeded: true})
	}
	return data
}
