package insightsservice

import "context"

// Store is the insights persistence contract. It is engine-neutral and
// batch-oriented: every read takes many keys and answers in key order, so a
// page of entities costs one call per relation. The embedded SQLite store
// implements it today; the cluster engines implement the same contract.
type Store interface {
	// SaveScores stores each score whose message id is not stored yet, all
	// or none, and reports how many were new. A redelivered message is
	// therefore counted once.
	SaveScores(ctx context.Context, scores []MessageScore) (int, error)
	// AudiencesByTitleIDs returns one Audience per id, in order; a title
	// without messages gets zero counts.
	AudiencesByTitleIDs(ctx context.Context, titleIDs []string) ([]Audience, error)
	// DetectionsByVideoIDs returns each video's detections in time order,
	// one slice per id, in order.
	DetectionsByVideoIDs(ctx context.Context, videoIDs []string) ([][]Detection, error)
	// DetectionsByTitleIDs returns the detections of each title's videos
	// scoring at least minConfidence, most confident first, one slice per
	// id, in order.
	DetectionsByTitleIDs(ctx context.Context, titleIDs []string, minConfidence float64) ([][]Detection, error)
	// ReplaceFrameDetections replaces what is stored for each of frames
	// from events (not from the seed) with the detections among ds, all or
	// none; a frame detected again therefore keeps one set of detections.
	ReplaceFrameDetections(ctx context.Context, frames []FrameAt, ds []Detection) error
	// SaveViews records that profiles watched titles; a pair already
	// recorded is kept as is.
	SaveViews(ctx context.Context, views []View) error
	// WatchedTitlesByProfileIDs returns the titles each profile watched,
	// sorted by id, one slice per id, in order.
	WatchedTitlesByProfileIDs(ctx context.Context, profileIDs []string) ([][]string, error)
	// PopularTitles returns at most limit titles that anyone watched or
	// talked about, most viewers first, then most messages, then by id.
	PopularTitles(ctx context.Context, limit int) ([]TitleStat, error)
	// CoViewsByTitleIDs returns one CoViews per id, in order: how many
	// profiles watched the title and, for every other title any of them
	// watched, how many watched both. The store keeps the pair counts as it
	// saves views (a new view of t by p adds one to t's pair with each other
	// title p watched), so a read costs no scan of the whole history.
	CoViewsByTitleIDs(ctx context.Context, titleIDs []string) ([]CoViews, error)
	// ReplaceSeed swaps the seeded rows for data in one transaction,
	// keeping rows that came from live events.
	ReplaceSeed(ctx context.Context, data SeedData) error
	// Empty reports whether the store holds no data at all.
	Empty(ctx context.Context) (bool, error)
	// Ping checks that the store can serve.
	Ping(ctx context.Context) error
	// Close releases the store.
	Close() error
}
