package chatsqlite

// migrations are applied in order, once each; append, never edit.
var migrations = []string{
	`CREATE TABLE rooms (
		id         TEXT PRIMARY KEY,
		title_id   TEXT NOT NULL UNIQUE,
		title_name TEXT NOT NULL
	);
	CREATE TABLE messages (
		id        TEXT PRIMARY KEY,
		room_id   TEXT NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
		author_id TEXT NOT NULL,
		body      TEXT NOT NULL,
		sent_at   INTEGER NOT NULL
	);
	CREATE INDEX messages_room_order ON messages (room_id, sent_at, id);
	CREATE TABLE outbox (
		seq     INTEGER PRIMARY KEY AUTOINCREMENT,
		id      TEXT NOT NULL UNIQUE,
		topic   TEXT NOT NULL,
		key     TEXT NOT NULL,
		type    TEXT NOT NULL,
		time    INTEGER NOT NULL,
		payload BLOB NOT NULL
	);`,
}
