package chatcassandra

import "github.com/cinegraph/cinegraph/internal/cassandra"

// migrations are applied in order, once each; append, never edit. Times
// are Unix nanoseconds (bigint): CQL timestamps keep only milliseconds.
var migrations = []cassandra.Migration{{
	Version: 1,
	Statements: []string{
		`CREATE TABLE IF NOT EXISTS chat_rooms (
			id text PRIMARY KEY,
			title_id text,
			title_name text
		)`,
		`CREATE TABLE IF NOT EXISTS chat_rooms_by_title (
			title_id text PRIMARY KEY,
			room_id text,
			title_name text
		)`,
		// A room's messages, one partition per day, newest first; the id
		// breaks ties between messages sent in the same nanosecond.
		`CREATE TABLE IF NOT EXISTS chat_messages (
			room_id text,
			bucket int,
			sent_at bigint,
			id text,
			author_id text,
			body text,
			PRIMARY KEY ((room_id, bucket), sent_at, id)
		) WITH CLUSTERING ORDER BY (sent_at DESC, id DESC)`,
		`CREATE TABLE IF NOT EXISTS chat_messages_by_id (
			id text PRIMARY KEY,
			room_id text,
			author_id text,
			body text,
			sent_at bigint
		)`,
		// The days each room has messages in, newest first: pages walk
		// them, stats and active rooms read them.
		`CREATE TABLE IF NOT EXISTS chat_room_buckets (
			room_id text,
			bucket int,
			PRIMARY KEY (room_id, bucket)
		) WITH CLUSTERING ORDER BY (bucket DESC)`,
		// Claimed with a lightweight transaction before a message is
		// written, so an id is stored once; claim tells a retried claim of
		// our own from someone else's.
		`CREATE TABLE IF NOT EXISTS chat_message_ids (
			id text PRIMARY KEY,
			room_id text,
			claim timeuuid
		)`,
		// Events waiting for the relay, oldest first. One partition: the
		// relay drains it continuously, and a short gc_grace lets its
		// tombstones go soon.
		`CREATE TABLE IF NOT EXISTS chat_outbox (
			shard int,
			seq timeuuid,
			id text,
			topic text,
			key text,
			type text,
			time bigint,
			payload blob,
			PRIMARY KEY (shard, seq, id)
		) WITH gc_grace_seconds = 3600`,
		`CREATE TABLE IF NOT EXISTS chat_outbox_ids (
			id text PRIMARY KEY,
			seq timeuuid
		) WITH gc_grace_seconds = 3600`,
	},
}}

// dataTables hold the chat data ReplaceAll swaps; the outbox is kept.
var dataTables = []string{"chat_rooms", "chat_rooms_by_title", "chat_messages", "chat_messages_by_id", "chat_room_buckets", "chat_message_ids"}

// outboxShard is the outbox's single partition.
const outboxShard = 0
