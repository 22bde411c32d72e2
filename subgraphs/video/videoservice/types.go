package videoservice

import (
	"fmt"
	"time"

	"github.com/cinegraph/cinegraph/internal/events"
)

// VideoKind says what a video plays.
type VideoKind string

// The kinds of video.
const (
	KindFeature VideoKind = "FEATURE"
	KindTrailer VideoKind = "TRAILER"
	KindEpisode VideoKind = "EPISODE"
)

// Valid reports whether k is a known kind.
func (k VideoKind) Valid() bool {
	switch k {
	case KindFeature, KindTrailer, KindEpisode:
		return true
	}
	return false
}

// Codec is a rendition's video codec.
type Codec string

// The codecs renditions use.
const (
	CodecH264 Codec = "H264"
	CodecH265 Codec = "H265"
	CodecVP9  Codec = "VP9"
	CodecAV1  Codec = "AV1"
)

// Video is a playable asset of a title.
type Video struct {
	ID              string
	TitleID         string
	EpisodeID       string // empty unless Kind is EPISODE
	Kind            VideoKind
	Name            string
	DurationSeconds int
}

// Rendition is one encoding of a video.
type Rendition struct {
	ID          string
	VideoID     string
	Width       int
	Height      int
	BitrateKbps int
	Codec       Codec
	URL         string
}

// Resolution is width x height, e.g. 1920x1080.
func (r Rendition) Resolution() string { return fmt.Sprintf("%dx%d", r.Width, r.Height) }

// CompletedShare is the share of a video past which it counts as watched.
const CompletedShare = 0.95

// Viewing is a profile's progress in one video.
type Viewing struct {
	ProfileID       string
	VideoID         string
	PositionSeconds int
	// DurationSeconds is the video's duration, carried so progress needs no
	// second lookup.
	DurationSeconds int
	LastWatchedAt   time.Time
}

// Progress is the share of the video watched, from 0 to 1.
func (v Viewing) Progress() float64 { return progress(v.PositionSeconds, v.DurationSeconds) }

// Completed reports whether the viewer has watched the video to the end.
func (v Viewing) Completed() bool { return completed(v.PositionSeconds, v.DurationSeconds) }

func progress(position, duration int) float64 {
	if duration <= 0 {
		return 0
	}
	p := float64(position) / float64(duration)
	return min(max(p, 0), 1)
}

// completed compares in integers so the stores' filters (position*100 <
// duration*95) agree with it exactly.
func completed(position, duration int) bool {
	return duration > 0 && position*100 >= duration*int(CompletedShare*100)
}

// Session is a viewer's playback of one video.
type Session struct {
	ID              string
	ProfileID       string
	VideoID         string
	PositionSeconds int
	StartedAt       time.Time
	UpdatedAt       time.Time
}

// ManifestURL is the adaptive-streaming playlist of the session's video.
func (s Session) ManifestURL() string { return ManifestURL(s.VideoID) }

// ManifestURL is the playlist path listing a video's renditions; it sits
// beside the rendition files under /media/<videoId>/.
func ManifestURL(videoID string) string { return "/media/" + videoID + "/master.m3u8" }

// ViewingFilter narrows a profile's viewing history.
type ViewingFilter struct {
	// InProgress keeps only videos started and not completed.
	InProgress bool
	// Limit is how many entries to keep per profile, most recent first.
	Limit int
}

// Progress is a reported position, applied atomically by the store: the
// session's position, the viewer's history and the outbox event together.
type Progress struct {
	SessionID       string
	ProfileID       string
	VideoID         string
	PositionSeconds int
	DurationSeconds int
	At              time.Time
	// Event is stored in the outbox in the same transaction; the relay
	// publishes it later.
	Event OutboxEvent
}

// OutboxEvent is a domain event waiting to be published: a bus event,
// stored as is so the outbox relay hands it to the bus unchanged.
type OutboxEvent = events.Event

// ProgressPayload is the body of a video.progress event.
type ProgressPayload struct {
	ProfileID       string `json:"profileId"`
	VideoID         string `json:"videoId"`
	TitleID         string `json:"titleId"`
	PositionSeconds int    `json:"positionSeconds"`
	DurationSeconds int    `json:"durationSeconds"`
	Completed       bool   `json:"completed"`
}

// EventProgressReported is the type of events published after reportProgress.
const EventProgressReported = "video.progress.reported"

// IsEntity marks Video as a federation entity (other subgraphs extend it),
// which lets the GraphQL layer bind to it directly.
func (Video) IsEntity() {}
