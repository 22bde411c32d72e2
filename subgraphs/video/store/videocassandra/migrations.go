package videocassandra

import "github.com/cinegraph/cinegraph/internal/cassandra"

// videoColumns are the columns every video table carries, so each lookup
// is one read.
const videoColumns = `id text, title_id text, episode_id text, kind text, kind_rank int, name text, duration_seconds int, ordinal int`

// migrations are applied in order, once each; append, never edit. Times
// are Unix nanoseconds (bigint): CQL timestamps keep only milliseconds.
var migrations = []cassandra.Migration{{
	Version: 1,
	Statements: []string{
		`CREATE TABLE IF NOT EXISTS video_videos (` + videoColumns + `, PRIMARY KEY (id))`,
		// A title's videos: features, trailers, episodes, each in seed order.
		`CREATE TABLE IF NOT EXISTS video_videos_by_title (` + videoColumns + `,
			PRIMARY KEY (title_id, kind_rank, ordinal, id))`,
		`CREATE TABLE IF NOT EXISTS video_videos_by_episode (` + videoColumns + `,
			PRIMARY KEY (episode_id, ordinal, id))`,
		`CREATE TABLE IF NOT EXISTS video_renditions (
			video_id text,
			height int,
			bitrate_kbps int,
			id text,
			width int,
			codec text,
			url text,
			PRIMARY KEY (video_id, height, bitrate_kbps, id)
		) WITH CLUSTERING ORDER BY (height DESC, bitrate_kbps DESC, id ASC)`,
		// A profile's progress per video: the record of truth.
		`CREATE TABLE IF NOT EXISTS video_viewing (
			profile_id text,
			video_id text,
			position_seconds int,
			last_watched_at bigint,
			PRIMARY KEY (profile_id, video_id)
		)`,
		// The same progress ordered most recently watched first. A new report
		// deletes the video's previous row and writes the new one in the
		// same batch; rows left behind by racing reports are recognised on
		// read because they disagree with video_viewing.
		`CREATE TABLE IF NOT EXISTS video_continue_watching (
			profile_id text,
			last_watched_at bigint,
			video_id text,
			position_seconds int,
			PRIMARY KEY (profile_id, last_watched_at, video_id)
		) WITH CLUSTERING ORDER BY (last_watched_at DESC, video_id ASC)`,
		`CREATE TABLE IF NOT EXISTS video_sessions (
			id text PRIMARY KEY,
			profile_id text,
			video_id text,
			position_seconds int,
			started_at bigint,
			updated_at bigint,
			claim timeuuid
		)`,
		// Events waiting for the relay, oldest first, in one partition the
		// relay keeps draining; a short gc_grace lets its tombstones go.
		`CREATE TABLE IF NOT EXISTS video_outbox (
			shard int,
			seq timeuuid,
			id text,
			topic text,
			key text,
			type text,
			at bigint,
			payload blob,
			PRIMARY KEY (shard, seq, id)
		) WITH gc_grace_seconds = 3600`,
		// Claimed with a lightweight transaction before the batch, so an
		// event id is pending once.
		`CREATE TABLE IF NOT EXISTS video_outbox_ids (
			id text PRIMARY KEY,
			seq timeuuid
		) WITH gc_grace_seconds = 3600`,
	},
}}

// dataTables hold what Seed replaces; the outbox is kept.
var dataTables = []string{
	"video_videos", "video_videos_by_title", "video_videos_by_episode", "video_renditions",
	"video_viewing", "video_continue_watching", "video_sessions",
}

// outboxShard is the outbox's single partition.
const outboxShard = 0
