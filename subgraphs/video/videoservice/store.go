package videoservice

import (
	"context"

	"github.com/cinegraph/cinegraph/internal/events/outbox"
)

// Store is what every storage engine behind the video subgraph implements.
// Reads are batch-oriented (one call serves many keys) and return only what
// exists, in no promised order across keys; callers group by key.
type Store interface {
	MediaReader
	ViewingStore
	SessionStore
	Outbox

	// Replace swaps videos, renditions, viewing history and sessions for
	// d's (sessions are emptied), in one transaction where the engine has
	// them; the outbox keeps undelivered events.
	Replace(ctx context.Context, d Dataset) error
	// Empty reports whether the store holds no videos yet.
	Empty(ctx context.Context) (bool, error)
	// Ping checks the store can serve.
	Ping(ctx context.Context) error
	// Close releases the store.
	Close() error
}

// MediaReader reads videos and renditions.
type MediaReader interface {
	// VideosByIDs returns the videos that exist among ids.
	VideosByIDs(ctx context.Context, ids []string) ([]Video, error)
	// VideosByTitles returns every video of the given titles, ordered by
	// title, then features, trailers and episodes, then name.
	VideosByTitles(ctx context.Context, titleIDs []string) ([]Video, error)
	// VideosByEpisodes returns the videos playing the given episodes.
	VideosByEpisodes(ctx context.Context, episodeIDs []string) ([]Video, error)
	// RenditionsByVideos returns the renditions of the given videos, each
	// video's highest quality first.
	RenditionsByVideos(ctx context.Context, videoIDs []string) ([]Rendition, error)
}

// ViewingStore reads viewing history.
type ViewingStore interface {
	// ViewingByProfiles returns, per profile, up to filter.Limit entries,
	// most recently watched first (ties by video id).
	ViewingByProfiles(ctx context.Context, profileIDs []string, filter ViewingFilter) ([]Viewing, error)
	// ViewingOf returns one profile's progress in one video; found is false
	// when the profile never watched it.
	ViewingOf(ctx context.Context, profileID, videoID string) (v Viewing, found bool, err error)
}

// SessionStore keeps playback sessions.
type SessionStore interface {
	// CreateSession stores a new session.
	CreateSession(ctx context.Context, s Session) error
	// SessionsByIDs returns the sessions that exist among ids.
	SessionsByIDs(ctx context.Context, ids []string) ([]Session, error)
	// RecordProgress updates the session's position, upserts the profile's
	// viewing of the video and appends p.Event to the outbox, all or nothing.
	// It returns ErrSessionNotFound when the session does not exist.
	RecordProgress(ctx context.Context, p Progress) error
}

// Outbox holds events written with domain changes until the outbox relay
// publishes them: PendingEvents returns up to limit unpublished events,
// oldest first; DeleteEvents removes published ones, ignoring unknown ids.
type Outbox = outbox.Store
