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

// recentRow is one continue-watching row.
type recentRow struct {
	videoID  string
	at       int64
	position int
}

// truth is a profile's video_viewing row for one video.
type truth struct {
	position int
	at       int64
}

// ViewingByProfiles reads each profile's continue-watching rows newest
// first, page by page, until filter.Limit entries are kept, checking each
// against video_viewing and the video's duration.
func (st *Store) ViewingByProfiles(ctx context.Context, profileIDs []string, filter videoservice.ViewingFilter) ([]videoservice.Viewing, error) {
	if filter.Limit <= 0 {
		return nil, nil
	}
	var mu sync.Mutex
	var out []videoservice.Viewing
	err := cassandra.Each(ctx, cassandra.Unique(profileIDs), func(ctx context.Context, profileID string) error {
		vs, err := st.recentOf(ctx, profileID, filter)
		if err != nil {
			return fmt.Errorf("viewing of %s: %w", profileID, err)
		}
		mu.Lock()
		out = append(out, vs...)
		mu.Unlock()
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (st *Store) recentOf(ctx context.Context, profileID string, filter videoservice.ViewingFilter) ([]videoservice.Viewing, error) {
	pageSize := max(filter.Limit*2, 20)
	iter := st.s.Query(`SELECT video_id, last_watched_at, position_seconds FROM video_continue_watching WHERE profile_id = ?`, profileID).
		WithContext(ctx).PageSize(pageSize).Iter()
	seen := map[string]bool{}
	var out []videoservice.Viewing
	var page []recentRow
	flush := func() error {
		kept, err := st.keep(ctx, profileID, page, seen, filter)
		page = page[:0]
		out = append(out, kept...)
		return err
	}
	var r recentRow
	for len(out) < filter.Limit && iter.Scan(&r.videoID, &r.at, &r.position) {
		page = append(page, r)
		if len(page) == pageSize {
			if err := flush(); err != nil {
				_ = iter.Close()
				return nil, err
			}
		}
	}
	if err := iter.Close(); err != nil {
		return nil, err
	}
	if len(out) < filter.Limit && len(page) > 0 {
		if err := flush(); err != nil {
			return nil, err
		}
	}
	if len(out) > filter.Limit {
		out = out[:filter.Limit]
	}
	return out, nil
}

// keep turns a page of continue-watching rows into viewing entries: it
// drops rows that disagree with video_viewing (left behind by racing
// reports; older ones are deleted), videos already kept, videos that no
// longer exist and, for InProgress, videos unstarted or completed.
func (st *Store) keep(ctx context.Context, profileID string, rows []recentRow, seen map[string]bool, filter videoservice.ViewingFilter) ([]videoservice.Viewing, error) {
	ids := make([]string, 0, len(rows))
	for _, r := range rows {
		ids = append(ids, r.videoID)
	}
	truths, err := st.truths(ctx, profileID, ids)
	if err != nil {
		return nil, err
	}
	videos, err := st.VideosByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	durations := make(map[string]int, len(videos))
	for _, v := range videos {
		durations[v.ID] = v.DurationSeconds
	}
	var out []videoservice.Viewing
	var stale []recentRow
	for _, r := range rows {
		t, ok := truths[r.videoID]
		if ok && t.at > r.at {
			stale = append(stale, r)
			continue
		}
		if !ok || t.at != r.at || seen[r.videoID] {
			continue
		}
		seen[r.videoID] = true
		duration, ok := durations[r.videoID]
		if !ok {
			continue
		}
		v := videoservice.Viewing{ProfileID: profileID, VideoID: r.videoID, PositionSeconds: t.position, DurationSeconds: duration, LastWatchedAt: fromNanos(t.at)}
		if filter.InProgress && (v.PositionSeconds <= 0 || v.Completed()) {
			continue
		}
		out = append(out, v)
	}
	st.repair(ctx, profileID, stale)
	return out, nil
}

// truths reads video_viewing for one profile's videos.
func (st *Store) truths(ctx context.Context, profileID string, videoIDs []string) (map[string]truth, error) {
	out := make(map[string]truth, len(videoIDs))
	for _, chunk := range cassandra.Chunks(videoIDs) {
		iter := st.s.Query(`SELECT video_id, position_seconds, last_watched_at FROM video_viewing WHERE profile_id = ? AND video_id IN ?`, profileID, chunk).
			WithContext(ctx).Iter()
		var id string
		var t truth
		for iter.Scan(&id, &t.position, &t.at) {
			out[id] = t
		}
		if err := iter.Close(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// repair deletes continue-watching rows older than the video's progress.
// It is best effort: a row it misses is skipped again on the next read.
func (st *Store) repair(ctx context.Context, profileID string, stale []recentRow) {
	for _, r := range stale {
		_ = st.s.Query(`DELETE FROM video_continue_watching WHERE profile_id = ? AND last_watched_at = ? AND video_id = ?`,
			profileID, r.at, r.videoID).WithContext(ctx).Exec()
	}
}

// ViewingOf returns one profile's progress in one video.
func (st *Store) ViewingOf(ctx context.Context, profileID, videoID string) (videoservice.Viewing, bool, error) {
	var t truth
	err := st.s.Query(`SELECT position_seconds, last_watched_at FROM video_viewing WHERE profile_id = ? AND video_id = ?`, profileID, videoID).
		WithContext(ctx).Scan(&t.position, &t.at)
	if errors.Is(err, gocql.ErrNotFound) {
		return videoservice.Viewing{}, false, nil
	}
	if err != nil {
		return videoservice.Viewing{}, false, fmt.Errorf("select viewing of %s by %s: %w", videoID, profileID, err)
	}
	var duration int
	err = st.s.Query(`SELECT duration_seconds FROM video_videos WHERE id = ?`, videoID).WithContext(ctx).Scan(&duration)
	if errors.Is(err, gocql.ErrNotFound) {
		return videoservice.Viewing{}, false, nil
	}
	if err != nil {
		return videoservice.Viewing{}, false, fmt.Errorf("select video %s: %w", videoID, err)
	}
	return videoservice.Viewing{ProfileID: profileID, VideoID: videoID, PositionSeconds: t.position, DurationSeconds: duration, LastWatchedAt: fromNanos(t.at)}, true, nil
}
