-- The outbox holds events committed with the change they announce, until
-- the relay has published them. The payload is json, not jsonb, so it comes
-- back byte for byte as it was stored.
CREATE TABLE outbox (
	seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	id TEXT NOT NULL UNIQUE,
	topic TEXT NOT NULL,
	key TEXT NOT NULL,
	type TEXT NOT NULL,
	time TIMESTAMPTZ NOT NULL,
	payload JSON NOT NULL
);
