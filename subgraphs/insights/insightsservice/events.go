package insightsservice

import (
	"time"
)

// ChatMessagePosted is the payload of events.TopicChatMessages.
type ChatMessagePosted struct {
	ID       string    `json:"id"`
	RoomID   string    `json:"roomId"`
	TitleID  string    `json:"titleId"`
	AuthorID string    `json:"authorId"`
	Body     string    `json:"body"`
	SentAt   time.Time `json:"sentAt"`
}

// VideoProgress is the payload of events.TopicVideoEvents.
type VideoProgress struct {
	ProfileID       string `json:"profileId"`
	VideoID         string `json:"videoId"`
	TitleID         string `json:"titleId"`
	PositionSeconds int    `json:"positionSeconds"`
	DurationSeconds int    `json:"durationSeconds"`
	Completed       bool   `json:"completed"`
}

// FramesCaptured is the payload of events.TopicVideoFrames: keyframes of
// one video that the media pipeline extracted as image files. One event
// carries a video's frames together, so the detector runs them as a batch.
type FramesCaptured struct {
	VideoID string          `json:"videoId"`
	TitleID string          `json:"titleId"`
	Frames  []CapturedFrame `json:"frames"`
}

// CapturedFrame is one keyframe of a FramesCaptured event.
type CapturedFrame struct {
	AtSeconds float64 `json:"atSeconds"`
	// Path names the JPEG or PNG file, relative to the frames folder;
	// paths that leave it are refused.
	Path string `json:"path"`
}

// EventTypeFramesCaptured is the type of FramesCaptured events.
const EventTypeFramesCaptured = "video.frames.captured"

// SentimentScored is the payload the service publishes to
// events.TopicInsights for each live message it scores.
type SentimentScored struct {
	MessageID string  `json:"messageId"`
	RoomID    string  `json:"roomId"`
	TitleID   string  `json:"titleId"`
	Label     string  `json:"label"`
	Score     float64 `json:"score"`
	Model     string  `json:"model"`
}

// EventTypeSentimentScored is the type of SentimentScored events.
const EventTypeSentimentScored = "insights.sentiment.scored"
