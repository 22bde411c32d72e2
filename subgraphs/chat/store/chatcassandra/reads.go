package chatcassandra

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/gocql/gocql"

	"github.com/cinegraph/cinegraph/internal/cassandra"
	"github.com/cinegraph/cinegraph/subgraphs/chat/chatservice"
)

// RoomsByIDs returns the rooms with the given ids.
func (st *Store) RoomsByIDs(ctx context.Context, ids []string) ([]chatservice.Room, error) {
	out, err := st.rooms(ctx, `SELECT id, title_id, title_name FROM chat_rooms WHERE id IN ?`, ids)
	if err != nil {
		return nil, fmt.Errorf("select rooms: %w", err)
	}
	return out, nil
}

// RoomsByTitleIDs returns the rooms of the given titles.
func (st *Store) RoomsByTitleIDs(ctx context.Context, titleIDs []string) ([]chatservice.Room, error) {
	out, err := st.rooms(ctx, `SELECT room_id, title_id, title_name FROM chat_rooms_by_title WHERE title_id IN ?`, titleIDs)
	if err != nil {
		return nil, fmt.Errorf("select rooms by title: %w", err)
	}
	return out, nil
}

func (st *Store) rooms(ctx context.Context, query string, keys []string) ([]chatservice.Room, error) {
	var mu sync.Mutex
	var out []chatservice.Room
	err := cassandra.Each(ctx, cassandra.Chunks(keys), func(ctx context.Context, chunk []string) error {
		iter := st.s.Query(query, chunk).WithContext(ctx).Iter()
		var r chatservice.Room
		var part []chatservice.Room
		for iter.Scan(&r.ID, &r.TitleID, &r.TitleName) {
			part = append(part, r)
		}
		if err := iter.Close(); err != nil {
			return err
		}
		mu.Lock()
		out = append(out, part...)
		mu.Unlock()
		return nil
	})
	return out, err
}

// MessagesByIDs returns the messages with the given ids.
func (st *Store) MessagesByIDs(ctx context.Context, ids []string) ([]chatservice.Message, error) {
	var mu sync.Mutex
	var out []chatservice.Message
	err := cassandra.Each(ctx, cassandra.Chunks(ids), func(ctx context.Context, chunk []string) error {
		iter := st.s.Query(`SELECT id, room_id, author_id, body, sent_at FROM chat_messages_by_id WHERE id IN ?`, chunk).WithContext(ctx).Iter()
		part := scanMessages(iter)
		if err := iter.Close(); err != nil {
			return err
		}
		mu.Lock()
		out = append(out, part...)
		mu.Unlock()
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("select messages: %w", err)
	}
	return out, nil
}

func scanMessages(iter *gocql.Iter) []chatservice.Message {
	var out []chatservice.Message
	var m chatservice.Message
	var sent int64
	for iter.Scan(&m.ID, &m.RoomID, &m.AuthorID, &m.Body, &sent) {
		m.SentAt = fromNanos(sent)
		out = append(out, m)
	}
	return out
}

// buckets returns the days room has messages in, newest first.
func (st *Store) buckets(ctx context.Context, roomID string) ([]int, error) {
	iter := st.s.Query(`SELECT bucket FROM chat_room_buckets WHERE room_id = ?`, roomID).WithContext(ctx).Iter()
	var out []int
	var b int
	for iter.Scan(&b) {
		out = append(out, b)
	}
	if err := iter.Close(); err != nil {
		return nil, fmt.Errorf("select buckets of %s: %w", roomID, err)
	}
	return out, nil
}

// RoomStats counts each room's messages day by day; the newest day holds
// the latest message.
func (st *Store) RoomStats(ctx context.Context, roomIDs []string) ([]chatservice.RoomStats, error) {
	var mu sync.Mutex
	var out []chatservice.RoomStats
	err := cassandra.Each(ctx, cassandra.Unique(roomIDs), func(ctx context.Context, roomID string) error {
		buckets, err := st.buckets(ctx, roomID)
		if err != nil || len(buckets) == 0 {
			return err
		}
		stats := chatservice.RoomStats{RoomID: roomID}
		for i, b := range buckets {
			var count int
			var last *int64
			if err := st.s.Query(`SELECT COUNT(*), MAX(sent_at) FROM chat_messages WHERE room_id = ? AND bucket = ?`, roomID, b).
				WithContext(ctx).Scan(&count, &last); err != nil {
				return fmt.Errorf("count messages of %s: %w", roomID, err)
			}
			stats.MessageCount += count
			if i == 0 && last != nil {
				t := fromNanos(*last)
				stats.LastMessageAt = &t
			}
		}
		if stats.MessageCount == 0 {
			return nil
		}
		mu.Lock()
		out = append(out, stats)
		mu.Unlock()
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("select room stats: %w", err)
	}
	return out, nil
}

// MessagePages answers each query by walking the room's days newest first,
// reading one message past the limit to learn whether more exist.
func (st *Store) MessagePages(ctx context.Context, qs []chatservice.PageQuery) ([]chatservice.Page, error) {
	out := make([]chatservice.Page, len(qs))
	idx := make([]int, len(qs))
	for i := range qs {
		idx[i] = i
	}
	err := cassandra.Each(ctx, idx, func(ctx context.Context, i int) error {
		p, err := st.page(ctx, qs[i])
		if err != nil {
			return fmt.Errorf("select messages of %s: %w", qs[i].RoomID, err)
		}
		out[i] = p
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (st *Store) page(ctx context.Context, q chatservice.PageQuery) (chatservice.Page, error) {
	if q.Limit <= 0 {
		return chatservice.Page{}, nil
	}
	buckets, err := st.buckets(ctx, q.RoomID)
	if err != nil {
		return chatservice.Page{}, err
	}
	want := q.Limit + 1
	var msgs []chatservice.Message
	for _, b := range buckets {
		var iter *gocql.Iter
		switch {
		case q.Before.IsZero():
			iter = st.s.Query(`SELECT id, room_id, author_id, body, sent_at FROM chat_messages
				WHERE room_id = ? AND bucket = ? LIMIT ?`, q.RoomID, b, want-len(msgs)).WithContext(ctx).Iter()
		case b > bucketOf(q.Before.SentAt):
			continue
		case b == bucketOf(q.Before.SentAt):
			iter = st.s.Query(`SELECT id, room_id, author_id, body, sent_at FROM chat_messages
				WHERE room_id = ? AND bucket = ? AND (sent_at, id) < (?, ?) LIMIT ?`,
				q.RoomID, b, nanos(q.Before.SentAt), q.Before.ID, want-len(msgs)).WithContext(ctx).Iter()
		default:
			iter = st.s.Query(`SELECT id, room_id, author_id, body, sent_at FROM chat_messages
				WHERE room_id = ? AND bucket = ? LIMIT ?`, q.RoomID, b, want-len(msgs)).WithContext(ctx).Iter()
		}
		msgs = append(msgs, scanMessages(iter)...)
		if err := iter.Close(); err != nil {
			return chatservice.Page{}, err
		}
		if len(msgs) >= want {
			break
		}
	}
	if len(msgs) > q.Limit {
		return chatservice.Page{Messages: msgs[:q.Limit], HasMore: true}, nil
	}
	return chatservice.Page{Messages: msgs}, nil
}

// ActiveRooms ranks rooms by their newest day first: a room whose newest
// day is later has a later last message, so only the rooms of the first
// days that reach limit need their last message read.
func (st *Store) ActiveRooms(ctx context.Context, limit int) ([]chatservice.Room, error) {
	if limit <= 0 {
		return nil, nil
	}
	newest := map[string]int{}
	iter := st.s.Query(`SELECT room_id, bucket FROM chat_room_buckets`).WithContext(ctx).Iter()
	var room string
	var b int
	for iter.Scan(&room, &b) {
		if cur, ok := newest[room]; !ok || b > cur {
			newest[room] = b
		}
	}
	if err := iter.Close(); err != nil {
		return nil, fmt.Errorf("select active rooms: %w", err)
	}
	type candidate struct {
		room   string
		bucket int
		last   int64
		lastID string
	}
	cands := make([]candidate, 0, len(newest))
	for r, b := range newest {
		cands = append(cands, candidate{room: r, bucket: b})
	}
	slices.SortFunc(cands, func(a, b candidate) int { return cmp.Compare(b.bucket, a.bucket) })
	cut := len(cands)
	if limit < cut {
		// Keep every room of the day the limit falls in.
		cut = limit
		for cut < len(cands) && cands[cut].bucket == cands[limit-1].bucket {
			cut++
		}
	}
	cands = cands[:cut]
	idx := make([]int, len(cands))
	for i := range cands {
		idx[i] = i
	}
	err := cassandra.Each(ctx, idx, func(ctx context.Context, i int) error {
		c := &cands[i]
		err := st.s.Query(`SELECT sent_at, id FROM chat_messages WHERE room_id = ? AND bucket = ? LIMIT 1`, c.room, c.bucket).
			WithContext(ctx).Scan(&c.last, &c.lastID)
		if errors.Is(err, gocql.ErrNotFound) {
			c.last = -1 // an empty day: ranked last
			return nil
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("select last messages: %w", err)
	}
	slices.SortFunc(cands, func(a, b candidate) int {
		if c := cmp.Compare(b.last, a.last); c != 0 {
			return c
		}
		return cmp.Compare(a.room, b.room)
	})
	ids := make([]string, 0, len(cands))
	for _, c := range cands {
		ids = append(ids, c.room)
	}
	rooms, err := st.RoomsByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	byID := make(map[string]chatservice.Room, len(rooms))
	for _, r := range rooms {
		byID[r.ID] = r
	}
	out := make([]chatservice.Room, 0, limit)
	for _, id := range ids {
		if r, ok := byID[id]; ok && len(out) < limit {
			out = append(out, r)
		}
	}
	return out, nil
}
