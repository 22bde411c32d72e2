package chatservice_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/subgraphs/chat/chatservice"
)

// pagedStore answers MessagePages from an in-memory room, newest first.
type pagedStore struct {
	chatservice.Store // only MessagePages and MessagesByIDs are called
	msgs              []chatservice.Message
	calls             int
}

func (s *pagedStore) MessagePages(_ context.Context, qs []chatservice.PageQuery) ([]chatservice.Page, error) {
	s.calls++
	out := make([]chatservice.Page, len(qs))
	for i, q := range qs {
		newest := slices.Clone(s.msgs)
		slices.Reverse(newest)
		var page []chatservice.Message
		for j, m := range newest {
			if !q.Before.IsZero() && !q.Before.After(chatservice.CursorOf(m)) {
				continue
			}
			if len(page) == q.Limit {
				out[i].HasMore = j < len(newest)
				break
			}
			page = append(page, m)
		}
		out[i].Messages = page
	}
	return out, nil
}

func (s *pagedStore) MessagesByIDs(_ context.Context, ids []string) ([]chatservice.Message, error) {
	var out []chatservice.Message
	for _, m := range s.msgs {
		if slices.Contains(ids, m.ID) {
			out = append(out, m)
		}
	}
	return out, nil
}

func roomOf(n int) []chatservice.Message {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	msgs := make([]chatservice.Message, n)
	for i := range msgs {
		// Pairs share a timestamp so the id breaks the tie.
		msgs[i] = chatservice.Message{ID: fmt.Sprintf("m%04d", i), RoomID: "room-1", SentAt: t0.Add(time.Duration(i/2) * time.Second)}
	}
	return msgs
}

func TestMessagesAfter(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		total   int
		from    int // index of the since message; -1 means before everything
		want    int
		wantErr bool
	}{
		{name: "nothing missed", total: 10, from: 9, want: 0},
		{name: "a few", total: 10, from: 6, want: 3},
		{name: "same timestamp tie", total: 10, from: 4, want: 5},
		{name: "across pages", total: 250, from: 20, want: 229},
		{name: "too far behind", total: chatservice.MaxBacklog + 50, from: 10, wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			store := &pagedStore{msgs: roomOf(tc.total)}
			svc := chatservice.New(store)
			after, err := svc.ResumeCursor(t.Context(), "since", "room-1", store.msgs[tc.from].ID)
			if err != nil {
				t.Fatal(err)
			}
			got, err := svc.MessagesAfter(t.Context(), "room-1", after)
			if tc.wantErr {
				if err == nil {
					t.Fatal("no error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := store.msgs[tc.from+1:]
			if len(got) != tc.want || !slices.EqualFunc(got, want, func(a, b chatservice.Message) bool { return a.ID == b.ID }) {
				t.Fatalf("got %d messages, want %d in order", len(got), len(want))
			}
		})
	}
}

func TestResumeCursorForms(t *testing.T) {
	t.Parallel()
	store := &pagedStore{msgs: roomOf(3)}
	svc := chatservice.New(store)
	m := store.msgs[1]
	for name, since := range map[string]string{"id": m.ID, "cursor": chatservice.EncodeCursor(chatservice.CursorOf(m))} {
		c, err := svc.ResumeCursor(t.Context(), "since", "room-1", since)
		if err != nil || c != chatservice.CursorOf(m) {
			t.Errorf("%s: got %v, %v", name, c, err)
		}
	}
	for name, since := range map[string]string{"unknown id": "m9999", "other room": "m0001", "junk": "!!"} {
		room := "room-1"
		if name == "other room" {
			room = "room-2"
		}
		if _, err := svc.ResumeCursor(t.Context(), "since", room, since); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
