-- co_views counts, for each ordered pair of titles, the profiles that
-- watched both (recommendations' item-to-item similarity); a title's pair
-- with itself counts its viewers. SaveViews keeps it up to date; this fills
-- it from the views already stored.
CREATE TABLE co_views (
	title_id TEXT COLLATE "C" NOT NULL,
	other_id TEXT COLLATE "C" NOT NULL,
	profiles INTEGER NOT NULL,
	PRIMARY KEY (title_id, other_id)
);

INSERT INTO co_views (title_id, other_id, profiles)
	SELECT a.title_id, b.title_id, COUNT(*) FROM views a
	JOIN views b ON b.profile_id = a.profile_id
	GROUP BY a.title_id, b.title_id;
