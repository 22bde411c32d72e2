// Package insightsservice is the insights domain: message sentiment, audience
// sentiment per title, frame detections per video and title
// recommendations per profile. It validates inputs, applies the business
// rules and reaches data only through the engine-neutral Store.
package insightsservice

import (
	"time"

	"github.com/cinegraph/cinegraph/subgraphs/insights/sentiment"
)

// MessageScore is the stored sentiment of one chat message.
type MessageScore struct {
	MessageID string
	RoomID    string
	TitleID   string
	Label     sentiment.Label
	Score     float64
	Model     string
	SentAt    time.Time
	// Seeded marks scores loaded from the seed, which a reseed replaces.
	Seeded bool
}

// Audience is the sentiment over every message of a title's watch party.
type Audience struct {
	TitleID      string
	MessageCount int
	Positive     int
	Neutral      int
	Negative     int
	// ScoreSum is the sum of the messages' scores.
	ScoreSum float64
}

// AverageScore is the mean message score, 0 without messages.
func (a Audience) AverageScore() float64 {
	if a.MessageCount == 0 {
		return 0
	}
	return a.ScoreSum / float64(a.MessageCount)
}

// Label classifies the average score; a title without messages is neutral.
func (a Audience) Label() sentiment.Label { return sentiment.LabelFor(a.AverageScore()) }

// Detection is an object seen in a video frame.
type Detection struct {
	VideoID string
	// TitleID is the title the video belongs to, so advisories can be
	// summed per title.
	TitleID    string
	Label      string
	Confidence float64
	AtSeconds  float64
	// X, Y, W and H place the bounding box, relative to the frame.
	X, Y, W, H float64
	// Source names the model that produced the detection, with its
	// version (detect.Detector's Name).
	Source string
	// Seeded marks detections of the seed's frames, which a reseed
	// replaces; detections of frames from events stay.
	Seeded bool
}

// FrameAt names one frame: a video and a time in it.
type FrameAt struct {
	VideoID   string
	AtSeconds float64
}

// View records that a profile watched (some of) a title.
type View struct {
	ProfileID string
	TitleID   string
	VideoID   string
	Seeded    bool
}

// TitleStat is what recommendations rank a title by.
type TitleStat struct {
	TitleID string
	// Viewers is how many distinct profiles watched the title.
	Viewers  int
	Audience Audience
}

// Recommendation is a title suggested to a profile.
type Recommendation struct {
	TitleID string
	Score   float64
	Reason  string
	// Because names the profile's watched titles most similar to this
	// one, most similar first (at most MaxBecause); empty for popular
	// picks.
	Because []string
	// Audience is the title's audience sentiment the ranking used, so
	// callers need not load it again.
	Audience Audience
}

// SeedData is the insights part of the seed fixture.
type SeedData struct {
	Scores     []MessageScore
	Detections []Detection
	Views      []View
}
