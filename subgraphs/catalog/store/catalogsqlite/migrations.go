package catalogsqlite

// migrations are applied in order, once each; append, never edit.
var migrations = []string{
	`CREATE TABLE genres (
		slug TEXT PRIMARY KEY,
		name TEXT NOT NULL
	);
	CREATE TABLE people (
		id TEXT PRIMARY KEY,
		name TEXT NOT NULL,
		birth_year INTEGER NOT NULL DEFAULT 0
	);
	CREATE TABLE titles (
		id TEXT PRIMARY KEY,
		name TEXT NOT NULL,
		synopsis TEXT NOT NULL,
		kind TEXT NOT NULL,
		release_year INTEGER NOT NULL,
		maturity_rating TEXT NOT NULL,
		runtime_minutes INTEGER NOT NULL DEFAULT 0,
		search_boost REAL NOT NULL DEFAULT 0
	);
	CREATE INDEX titles_by_name ON titles (name, id);
	CREATE TABLE title_genres (
		title_id TEXT NOT NULL REFERENCES titles (id) ON DELETE CASCADE,
		genre_slug TEXT NOT NULL REFERENCES genres (slug) ON DELETE CASCADE,
		position INTEGER NOT NULL,
		PRIMARY KEY (title_id, genre_slug)
	);
	CREATE INDEX title_genres_by_genre ON title_genres (genre_slug, title_id);
	CREATE TABLE credits (
		title_id TEXT NOT NULL REFERENCES titles (id) ON DELETE CASCADE,
		billing INTEGER NOT NULL,
		person_id TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
		role TEXT NOT NULL,
		character TEXT NOT NULL DEFAULT '',
		PRIMARY KEY (title_id, billing)
	);
	CREATE INDEX credits_by_person ON credits (person_id);
	CREATE TABLE episodes (
		id TEXT PRIMARY KEY,
		series_id TEXT NOT NULL REFERENCES titles (id) ON DELETE CASCADE,
		season_number INTEGER NOT NULL,
		number INTEGER NOT NULL,
		name TEXT NOT NULL,
		synopsis TEXT NOT NULL,
		runtime_minutes INTEGER NOT NULL,
		UNIQUE (series_id, season_number, number)
	);
	CREATE TABLE profiles (
		id TEXT PRIMARY KEY,
		name TEXT NOT NULL
	);
	CREATE TABLE my_list (
		profile_id TEXT NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
		title_id TEXT NOT NULL REFERENCES titles (id) ON DELETE CASCADE,
		added_at INTEGER NOT NULL,
		PRIMARY KEY (profile_id, title_id)
	);
	CREATE INDEX my_list_by_added ON my_list (profile_id, added_at DESC);
	CREATE TABLE catalog_meta (
		key TEXT PRIMARY KEY,
		value INTEGER NOT NULL
	);
	INSERT INTO catalog_meta (key, value) VALUES ('version', 0);`,
	// The outbox holds events committed with the change they announce,
	// until the relay has published them.
	`CREATE TABLE outbox (
		seq INTEGER PRIMARY KEY AUTOINCREMENT,
		id TEXT NOT NULL UNIQUE,
		topic TEXT NOT NULL,
		key TEXT NOT NULL,
		type TEXT NOT NULL,
		time INTEGER NOT NULL,
		payload BLOB NOT NULL
	);`,
}
