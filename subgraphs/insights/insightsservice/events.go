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
