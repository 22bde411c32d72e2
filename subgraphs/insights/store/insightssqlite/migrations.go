package insightssqlite

// migrations are applied in order, once each; append, never edit.
var migrations = []string{
	`CREATE TABLE message_scores (
		message_id TEXT PRIMARY KEY,
		room_id    TEXT NOT NULL,
		title_id   TEXT NOT NULL,
		label      TEXT NOT NULL,
		score      REAL NOT NULL,
		model      TEXT NOT NULL,
		sent_at    TEXT NOT NULL,
		seeded     INTEGER NOT NULL DEFAULT 0
	);
	CREATE INDEX message_scores_by_title ON message_scores (title_id, label);

	CREATE TABLE detections (
		id         INTEGER PRIMARY KEY,
		video_id   TEXT NOT NULL,
		label      TEXT NOT NULL,
		confidence REAL NOT NULL,
		at_seconds REAL NOT NULL,
		x REAL NOT NULL, y REAL NOT NULL, w REAL NOT NULL, h REAL NOT NULL,
		source     TEXT NOT NULL
	);
	CREATE INDEX detections_by_video ON detections (video_id, at_seconds);

	CREATE TABLE views (
		profile_id TEXT NOT NULL,
		title_id   TEXT NOT NULL,
		video_id   TEXT NOT NULL,
		seeded     INTEGER NOT NULL DEFAULT 0,
		PRIMARY KEY (profile_id, title_id)
	);
	CREATE INDEX views_by_title ON views (title_id);`,
	// co_views counts, for each ordered pair of titles, the profiles that
	// watched both (recommendations' item-to-item similarity); a title's
	// pair with itself counts its viewers. SaveViews keeps it up to date;
	// this fills it from the views already stored.
	`CREATE TABLE co_views (
		title_id TEXT NOT NULL,
		other_id TEXT NOT NULL,
		profiles INTEGER NOT NULL,
		PRIMARY KEY (title_id, other_id)
	) WITHOUT ROWID;
	` + rebuildCoViews,
	// Detections gain their title, for advisories per title, and a seeded
	// mark, since frames from events now add detections a reseed must
	// keep; every row before this came from the seed.
	`ALTER TABLE detections ADD COLUMN title_id TEXT NOT NULL DEFAULT '';
	ALTER TABLE detections ADD COLUMN seeded INTEGER NOT NULL DEFAULT 1;
	CREATE INDEX detections_by_title ON detections (title_id, confidence);`,
}
