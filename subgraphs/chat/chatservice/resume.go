package chatservice

import (
	"context"
	"fmt"
	"slices"

	"github.com/cinegraph/cinegraph/internal/errs"
)

// MaxBacklog bounds how many missed messages a resumed subscription replays;
// a client further behind should reload the room instead.
const MaxBacklog = 1000

// After reports whether position c comes after o in time order (sentAt,
// then id, which sorts by time too).
func (c Cursor) After(o Cursor) bool {
	if !c.SentAt.Equal(o.SentAt) {
		return c.SentAt.After(o.SentAt)
	}
	return c.ID > o.ID
}

// ResumeCursor reads a subscription's since argument: a message cursor
// (MessageEdge.cursor) or the id of a message in roomID.
func (s *Service) ResumeCursor(ctx context.Context, field, roomID, since string) (Cursor, error) {
	if c, err := DecodeCursor(field, since); err == nil {
		return c, nil
	}
	if !ValidID(since) {
		return Cursor{}, errs.Invalid(field, "%s must be a message cursor or a message id", field)
	}
	msgs, err := s.store.MessagesByIDs(ctx, []string{since})
	if err != nil {
		return Cursor{}, fmt.Errorf("load message %s: %w", since, err)
	}
	if len(msgs) == 0 || msgs[0].RoomID != roomID {
		return Cursor{}, errs.Invalid(field, "%s names no message of room %s", field, roomID)
	}
	return CursorOf(msgs[0]), nil
}

// MessagesAfter returns roomID's messages after position after, oldest
// first: what a subscription resumed from after missed. More than
// MaxBacklog is an error.
func (s *Service) MessagesAfter(ctx context.Context, roomID string, after Cursor) ([]Message, error) {
	var out []Message
	q := PageQuery{RoomID: roomID, Limit: MaxFirst}
	for {
		pages, err := s.store.MessagePages(ctx, []PageQuery{q})
		if err != nil {
			return nil, fmt.Errorf("load messages of room %s: %w", roomID, err)
		}
		if len(pages) != 1 {
			return nil, fmt.Errorf("load messages of room %s: store answered %d pages for 1 query", roomID, len(pages))
		}
		done := !pages[0].HasMore
		for _, m := range pages[0].Messages {
			if !CursorOf(m).After(after) {
				done = true
				break
			}
			out = append(out, m)
		}
		if len(out) > MaxBacklog {
			return nil, errs.Invalid("since", "more than %d messages were posted since then; reload the room", MaxBacklog)
		}
		if done || len(pages[0].Messages) == 0 {
			break
		}
		q.Before = CursorOf(pages[0].Messages[len(pages[0].Messages)-1])
	}
	slices.Reverse(out)
	return out, nil
}
