-- Message scores, frame detections and views. Ids that answers are sorted
-- by use the "C" collation, so the order is by bytes whatever the database's
-- locale, exactly as the embedded store sorts.
CREATE TABLE message_scores (
	message_id TEXT PRIMARY KEY,
	room_id    TEXT NOT NULL,
	title_id   TEXT COLLATE "C" NOT NULL,
	label      TEXT NOT NULL,
	score      DOUBLE PRECISION NOT NULL,
	model      TEXT NOT NULL,
	sent_at    TIMESTAMPTZ NOT NULL,
	seeded     BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX message_scores_by_title ON message_scores (title_id, label);

CREATE TABLE detections (
	id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	video_id   TEXT NOT NULL,
	label      TEXT NOT NULL,
	confidence DOUBLE PRECISION NOT NULL,
	at_seconds DOUBLE PRECISION NOT NULL,
	x DOUBLE PRECISION NOT NULL,
	y DOUBLE PRECISION NOT NULL,
	w DOUBLE PRECISION NOT NULL,
	h DOUBLE PRECISION NOT NULL,
	source     TEXT NOT NULL
);
CREATE INDEX detections_by_video ON detections (video_id, at_seconds, id);

CREATE TABLE views (
	profile_id TEXT COLLATE "C" NOT NULL,
	title_id   TEXT COLLATE "C" NOT NULL,
	video_id   TEXT NOT NULL,
	seeded     BOOLEAN NOT NULL DEFAULT FALSE,
	PRIMARY KEY (profile_id, title_id)
);
CREATE INDEX views_by_title ON views (title_id);
