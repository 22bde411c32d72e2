package chat

import (
	"github.com/cinegraph/cinegraph/graph/chat/model"
	"github.com/cinegraph/cinegraph/subgraphs/chat/chatservice"
)

// Schema defaults, used when a client passes an explicit null.
const (
	defaultMessagesFirst    = 20
	defaultActiveRoomsFirst = 10
)

func intOr(v *int, def int) int {
	if v == nil {
		return def
	}
	return *v
}

func pointers[T any](items []T) []*T {
	out := make([]*T, len(items))
	for i := range items {
		out[i] = &items[i]
	}
	return out
}

// messageConnection turns a newest-first page into a connection: paging
// "next" goes further into the past; "previous" exists when the page was
// asked for before a cursor.
func messageConnection(page chatservice.Page, afterCursor bool) *model.MessageConnection {
	conn := &model.MessageConnection{
		Edges:    make([]*model.MessageEdge, len(page.Messages)),
		PageInfo: &model.PageInfo{HasNextPage: page.HasMore, HasPreviousPage: afterCursor},
	}
	for i := range page.Messages {
		m := &page.Messages[i]
		conn.Edges[i] = &model.MessageEdge{Cursor: chatservice.EncodeCursor(chatservice.CursorOf(*m)), Node: m}
	}
	if n := len(conn.Edges); n > 0 {
		conn.PageInfo.StartCursor = &conn.Edges[0].Cursor
		conn.PageInfo.EndCursor = &conn.Edges[n-1].Cursor
	}
	return conn
}
