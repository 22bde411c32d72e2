// Package videolive fans video playback events out to live subscribers with the
// shared fan-out hub: one bus listener per process feeds every
// subscription, routed by video.
package videolive

import (
	"encoding/json"
	"log/slog"
	"time"

	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/internal/events/fanout"
	"github.com/cinegraph/cinegraph/subgraphs/video/videoservice"
)

// Playback is one reported position, as subscribers receive it.
type Playback struct {
	VideoID         string
	ProfileID       string
	PositionSeconds int
	DurationSeconds int
	Completed       bool
	At              time.Time
}

// Progress is the share of the video watched, from 0 to 1.
func (p Playback) Progress() float64 {
	if p.DurationSeconds <= 0 {
		return 0
	}
	return min(1, float64(p.PositionSeconds)/float64(p.DurationSeconds))
}

// Hub routes video.progress.reported events to subscriptions by video;
// SubscribeAll follows every video.
type Hub = fanout.Hub[string, Playback]

// Subscription receives playback events, for one video or all of them.
type Subscription = fanout.Subscription[string, Playback]

// New returns a hub; buffer <= 0 means fanout.DefaultBuffer.
func New(buffer int, logger *slog.Logger) *Hub {
	return fanout.New(fanout.Config[string, Playback]{
		Name:   "video hub",
		Topic:  events.TopicVideoEvents,
		Type:   videoservice.EventProgressReported,
		Decode: decode,
		Key:    func(p Playback) string { return p.VideoID },
		Buffer: buffer,
		Logger: logger,
	})
}

// decode reads a playback position from its event; the event's time is
// when it was reported.
func decode(ev events.Event) (Playback, error) {
	var p videoservice.ProgressPayload
	if err := json.Unmarshal(ev.Payload, &p); err != nil {
		return Playback{}, err
	}
	return Playback{
		VideoID: p.VideoID, ProfileID: p.ProfileID,
		PositionSeconds: p.PositionSeconds, DurationSeconds: p.DurationSeconds,
		Completed: p.Completed, At: ev.Time.UTC(),
	}, nil
}
