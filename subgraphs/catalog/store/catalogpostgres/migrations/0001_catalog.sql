-- Catalog content, profiles and My List. Text that listings sort by uses the
-- "C" collation, so the order is by bytes whatever the database's locale,
-- exactly as the embedded store sorts.
CREATE TABLE genres (
	slug TEXT COLLATE "C" PRIMARY KEY,
	name TEXT COLLATE "C" NOT NULL
);
CREATE TABLE people (
	id TEXT COLLATE "C" PRIMARY KEY,
	name TEXT NOT NULL,
	birth_year INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE titles (
	id TEXT COLLATE "C" PRIMARY KEY,
	name TEXT COLLATE "C" NOT NULL,
	synopsis TEXT NOT NULL,
	kind TEXT NOT NULL,
	release_year INTEGER NOT NULL,
	maturity_rating TEXT NOT NULL,
	runtime_minutes INTEGER NOT NULL DEFAULT 0,
	search_boost DOUBLE PRECISION NOT NULL DEFAULT 0
);
CREATE INDEX titles_by_name ON titles (name, id);
CREATE TABLE title_genres (
	title_id TEXT COLLATE "C" NOT NULL REFERENCES titles (id) ON DELETE CASCADE,
	genre_slug TEXT COLLATE "C" NOT NULL REFERENCES genres (slug) ON DELETE CASCADE,
	position INTEGER NOT NULL,
	PRIMARY KEY (title_id, genre_slug)
);
CREATE INDEX title_genres_by_genre ON title_genres (genre_slug, title_id);
CREATE TABLE credits (
	title_id TEXT COLLATE "C" NOT NULL REFERENCES titles (id) ON DELETE CASCADE,
	billing INTEGER NOT NULL,
	person_id TEXT COLLATE "C" NOT NULL REFERENCES people (id) ON DELETE CASCADE,
	role TEXT NOT NULL,
	character TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (title_id, billing)
);
CREATE INDEX credits_by_person ON credits (person_id);
CREATE TABLE episodes (
	id TEXT COLLATE "C" PRIMARY KEY,
	series_id TEXT COLLATE "C" NOT NULL REFERENCES titles (id) ON DELETE CASCADE,
	season_number INTEGER NOT NULL,
	number INTEGER NOT NULL,
	name TEXT NOT NULL,
	synopsis TEXT NOT NULL,
	runtime_minutes INTEGER NOT NULL,
	UNIQUE (series_id, season_number, number)
);
CREATE TABLE profiles (
	id TEXT COLLATE "C" PRIMARY KEY,
	name TEXT NOT NULL
);
CREATE TABLE my_list (
	profile_id TEXT COLLATE "C" NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
	title_id TEXT COLLATE "C" NOT NULL REFERENCES titles (id) ON DELETE CASCADE,
	added_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (profile_id, title_id)
);
CREATE INDEX my_list_by_added ON my_list (profile_id, added_at DESC);
CREATE TABLE catalog_meta (
	key TEXT PRIMARY KEY,
	value BIGINT NOT NULL
);
INSERT INTO catalog_meta (key, value) VALUES ('version', 0);
