package chatsqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/cinegraph/cinegraph/internal/sqlite"
	"github.com/cinegraph/cinegraph/subgraphs/chat/chatservice"
)

// RoomsByIDs returns the rooms with the given ids.
func (s *Store) RoomsByIDs(ctx context.Context, ids []string) ([]chatservice.Room, error) {
	return s.rooms(ctx, `SELECT id, title_id, title_name FROM rooms WHERE id IN (%s)`, ids)
}

// RoomsByTitleIDs returns the rooms of the given titles.
func (s *Store) RoomsByTitleIDs(ctx context.Context, titleIDs []string) ([]chatservice.Room, error) {
	return s.rooms(ctx, `SELECT id, title_id, title_name FROM rooms WHERE title_id IN (%s)`, titleIDs)
}

func (s *Store) rooms(ctx context.Context, query string, keys []string) ([]chatservice.Room, error) {
	var out []chatservice.Room
	err := sqlite.QueryIn(ctx, s.db, query, keys, func(rows *sql.Rows) error {
		var r chatservice.Room
		if err := rows.Scan(&r.ID, &r.TitleID, &r.TitleName); err != nil {
			return err
		}
		out = append(out, r)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("select rooms: %w", err)
	}
	return out, nil
}

// MessagesByIDs returns the messages with the given ids.
func (s *Store) MessagesByIDs(ctx context.Context, ids []string) ([]chatservice.Message, error) {
	var out []chatservice.Message
	err := sqlite.QueryIn(ctx, s.db, `SELECT id, room_id, author_id, body, sent_at FROM messages WHERE id IN (%s)`, ids, func(rows *sql.Rows) error {
		m, err := scanMessage(rows)
		if err != nil {
			return err
		}
		out = append(out, m)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("select messages: %w", err)
	}
	return out, nil
}

// RoomStats returns count and latest message time of the given rooms that
// have messages.
func (s *Store) RoomStats(ctx context.Context, roomIDs []string) ([]chatservice.RoomStats, error) {
	var out []chatservice.RoomStats
	err := sqlite.QueryIn(ctx, s.db, `SELECT room_id, COUNT(*), MAX(sent_at) FROM messages WHERE room_id IN (%s) GROUP BY room_id`, roomIDs, func(rows *sql.Rows) error {
		var st chatservice.RoomStats
		var last int64
		if err := rows.Scan(&st.RoomID, &st.MessageCount, &last); err != nil {
			return err
		}
		t := fromNanos(last)
		st.LastMessageAt = &t
		out = append(out, st)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("select room stats: %w", err)
	}
	return out, nil
}

// MessagePages answers each query through the (room_id, sent_at, id) index,
// reading one row past the limit to learn whether more exist.
func (s *Store) MessagePages(ctx context.Context, qs []chatservice.PageQuery) ([]chatservice.Page, error) {
	out := make([]chatservice.Page, len(qs))
	for i, q := range qs {
		var rows *sql.Rows
		var err error
		if q.Before.IsZero() {
			rows, err = s.db.QueryContext(ctx, `SELECT id, room_id, author_id, body, sent_at FROM messages
				WHERE room_id = ? ORDER BY sent_at DESC, id DESC LIMIT ?`, q.RoomID, q.Limit+1)
		} else {
			rows, err = s.db.QueryContext(ctx, `SELECT id, room_id, author_id, body, sent_at FROM messages
				WHERE room_id = ? AND (sent_at, id) < (?, ?) ORDER BY sent_at DESC, id DESC LIMIT ?`,
				q.RoomID, q.Before.SentAt.UnixNano(), q.Before.ID, q.Limit+1)
		}
		if err != nil {
			return nil, fmt.Errorf("select messages of %s: %w", q.RoomID, err)
		}
		msgs, err := scanMessages(rows)
		if err != nil {
			return nil, fmt.Errorf("select messages of %s: %w", q.RoomID, err)
		}
		if len(msgs) > q.Limit {
			out[i] = chatservice.Page{Messages: msgs[:q.Limit], HasMore: true}
		} else {
			out[i] = chatservice.Page{Messages: msgs}
		}
	}
	return out, nil
}

// ActiveRooms returns the rooms with the most recent messages first.
func (s *Store) ActiveRooms(ctx context.Context, limit int) ([]chatservice.Room, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT r.id, r.title_id, r.title_name FROM rooms r
		JOIN (SELECT room_id, MAX(sent_at) AS last FROM messages GROUP BY room_id) m ON m.room_id = r.id
		ORDER BY m.last DESC, r.id LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("select active rooms: %w", err)
	}
	defer rows.Close()
	var out []chatservice.Room
	for rows.Next() {
		var r chatservice.Room
		if err := rows.Scan(&r.ID, &r.TitleID, &r.TitleName); err != nil {
			return nil, fmt.Errorf("select active rooms: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("select active rooms: %w", err)
	}
	return out, nil
}

func scanMessage(rows *sql.Rows) (chatservice.Message, error) {
	var m chatservice.Message
	var sent int64
	if err := rows.Scan(&m.ID, &m.RoomID, &m.AuthorID, &m.Body, &sent); err != nil {
		return m, err
	}
	m.SentAt = fromNanos(sent)
	return m, nil
}

func scanMessages(rows *sql.Rows) ([]chatservice.Message, error) {
	defer rows.Close()
	var out []chatservice.Message
	for rows.Next() {
		m, err := scanMessage(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}
