-- Detections gain their title, for advisories per title, and a seeded mark,
-- since frames from events now add detections a reseed must keep; every
-- row before this came from the seed.
ALTER TABLE detections ADD COLUMN title_id TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE detections ADD COLUMN seeded BOOLEAN NOT NULL DEFAULT TRUE;
CREATE INDEX detections_by_title ON detections (title_id, confidence DESC, id);
