package videosqlite

// migrations are applied in order, once each; append, never edit.
// Times are Unix nanoseconds, UTC, so they sort as integers.
var migrations = []string{
	`CREATE TABLE videos (
		id TEXT PRIMARY KEY,
		title_id TEXT NOT NULL,
		episode_id TEXT,
		kind TEXT NOT NULL,
		kind_rank INTEGER NOT NULL,
		name TEXT NOT NULL,
		duration_seconds INTEGER NOT NULL,
		ordinal INTEGER NOT NULL
	);
	CREATE INDEX videos_title ON videos (title_id, kind_rank, ordinal);
	CREATE INDEX videos_episode ON videos (episode_id) WHERE episode_id IS NOT NULL;
	CREATE TABLE renditions (
		id TEXT PRIMARY KEY,
		video_id TEXT NOT NULL REFERENCES videos (id) ON DELETE CASCADE,
		width INTEGER NOT NULL,
		height INTEGER NOT NULL,
		bitrate_kbps INTEGER NOT NULL,
		codec TEXT NOT NULL,
		url TEXT NOT NULL
	);
	CREATE INDEX renditions_video ON renditions (video_id, height DESC, bitrate_kbps DESC);
	CREATE TABLE viewing (
		profile_id TEXT NOT NULL,
		video_id TEXT NOT NULL REFERENCES videos (id) ON DELETE CASCADE,
		position_seconds INTEGER NOT NULL,
		last_watched_at INTEGER NOT NULL,
		PRIMARY KEY (profile_id, video_id)
	);
	CREATE INDEX viewing_recent ON viewing (profile_id, last_watched_at DESC, video_id);
	CREATE TABLE sessions (
		id TEXT PRIMARY KEY,
		profile_id TEXT NOT NULL,
		video_id TEXT NOT NULL REFERENCES videos (id) ON DELETE CASCADE,
		position_seconds INTEGER NOT NULL,
		started_at INTEGER NOT NULL,
		updated_at INTEGER NOT NULL
	);
	CREATE TABLE outbox (
		seq INTEGER PRIMARY KEY AUTOINCREMENT,
		id TEXT NOT NULL UNIQUE,
		topic TEXT NOT NULL,
		key TEXT NOT NULL,
		type TEXT NOT NULL,
		at INTEGER NOT NULL,
		payload BLOB NOT NULL
	);`,
}
