package videocassandra

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/gocql/gocql"

	"github.com/cinegraph/cinegraph/internal/cassandra"
	"github.com/cinegraph/cinegraph/subgraphs/video/videoservice"
)

// CreateSession stores a new playback session; the lightweight
// transaction refuses an id already taken.
func (st *Store) CreateSession(ctx context.Context, ps videoservice.Session) error {
	claim := gocql.TimeUUID()
	applied, err := cassandra.Claim(ctx, st.s.Query(`INSERT INTO video_sessions (id, profile_id, video_id, position_seconds, started_at, updated_at, claim)
		VALUES (?, ?, ?, ?, ?, ?, ?) IF NOT EXISTS`,
		ps.ID, ps.ProfileID, ps.VideoID, ps.PositionSeconds, nanos(ps.StartedAt), nanos(ps.UpdatedAt), claim), "claim", claim)
	if err != nil {
		return fmt.Errorf("insert session %s: %w", ps.ID, err)
	}
	if !applied {
		return fmt.Errorf("insert session %s: %w", ps.ID, ErrDuplicateSession)
	}
	return nil
}

// SessionsByIDs returns the stored sessions among ids.
func (st *Store) SessionsByIDs(ctx context.Context, ids []string) ([]videoservice.Session, error) {
	var mu sync.Mutex
	var out []videoservice.Session
	err := cassandra.Each(ctx, cassandra.Chunks(ids), func(ctx context.Context, chunk []string) error {
		iter := st.s.Query(`SELECT id, profile_id, video_id, position_seconds, started_at, updated_at FROM video_sessions WHERE id IN ?`, chunk).
			WithContext(ctx).Iter()
		var part []videoservice.Session
		var ps videoservice.Session
		var started, updated int64
		for iter.Scan(&ps.ID, &ps.ProfileID, &ps.VideoID, &ps.PositionSeconds, &started, &updated) {
			ps.StartedAt, ps.UpdatedAt = fromNanos(started), fromNanos(updated)
			part = append(part, ps)
		}
		if err := iter.Close(); err != nil {
			return err
		}
		mu.Lock()
		out = append(out, part...)
		mu.Unlock()
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("select sessions: %w", err)
	}
	return out, nil
}

// RecordProgress checks the session belongs to the profile and video,
// claims the event id with a lightweight transaction (so a reused id fails
// before anything is written), then writes the session position, the
// viewing row, the continue-watching row (replacing the video's previous
// one) and the outbox event in one logged batch.
func (st *Store) RecordProgress(ctx context.Context, p videoservice.Progress) error {
	var profileID, videoID string
	err := st.s.Query(`SELECT profile_id, video_id FROM video_sessions WHERE id = ?`, p.SessionID).WithContext(ctx).Scan(&profileID, &videoID)
	if errors.Is(err, gocql.ErrNotFound) || (err == nil && (profileID != p.ProfileID || videoID != p.VideoID)) {
		return videoservice.ErrSessionNotFound
	}
	if err != nil {
		return fmt.Errorf("read session %s: %w", p.SessionID, err)
	}
	var previous *int64
	err = st.s.Query(`SELECT last_watched_at FROM video_viewing WHERE profile_id = ? AND video_id = ?`, p.ProfileID, p.VideoID).
		WithContext(ctx).Scan(&previous)
	if err != nil && !errors.Is(err, gocql.ErrNotFound) {
		return fmt.Errorf("read viewing of %s: %w", p.VideoID, err)
	}
	seq := gocql.TimeUUID()
	if err := st.claimEvent(ctx, p.Event.ID, seq); err != nil {
		return err
	}
	at := nanos(p.At)
	b := st.s.NewBatch(gocql.LoggedBatch).WithContext(ctx)
	b.Query(`UPDATE video_sessions SET position_seconds = ?, updated_at = ? WHERE id = ?`, p.PositionSeconds, at, p.SessionID)
	b.Query(`INSERT INTO video_viewing (profile_id, video_id, position_seconds, last_watched_at) VALUES (?, ?, ?, ?)`,
		p.ProfileID, p.VideoID, p.PositionSeconds, at)
	if previous != nil && *previous != at {
		b.Query(`DELETE FROM video_continue_watching WHERE profile_id = ? AND last_watched_at = ? AND video_id = ?`, p.ProfileID, *previous, p.VideoID)
	}
	b.Query(`INSERT INTO video_continue_watching (profile_id, last_watched_at, video_id, position_seconds) VALUES (?, ?, ?, ?)`,
		p.ProfileID, at, p.VideoID, p.PositionSeconds)
	ev := p.Event
	b.Query(`INSERT INTO video_outbox (shard, seq, id, topic, key, type, at, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		outboxShard, seq, ev.ID, ev.Topic, ev.Key, ev.Type, nanos(ev.Time), []byte(ev.Payload))
	if err := st.s.ExecuteBatch(b); err != nil {
		return fmt.Errorf("record progress of session %s: %w", p.SessionID, err)
	}
	return nil
}

// claimEvent reserves an outbox event id; DeleteEvents releases it once
// the event is published.
func (st *Store) claimEvent(ctx context.Context, id string, seq gocql.UUID) error {
	applied, err := cassandra.Claim(ctx, st.s.Query(`INSERT INTO video_outbox_ids (id, seq) VALUES (?, ?) IF NOT EXISTS`, id, seq), "seq", seq)
	if err != nil {
		return fmt.Errorf("claim outbox event %s: %w", id, err)
	}
	if !applied {
		return fmt.Errorf("claim outbox event %s: %w", id, ErrDuplicateEvent)
	}
	return nil
}
