// Package chatservice holds the chat subgraph's domain: watch-party rooms and
// their messages, the Store contract every storage engine implements, and the
// Service that validates input and applies the business rules.
package chatservice

import "time"

// Room is a title's watch-party room. It keeps the title's name so the chat
// subgraph can answer ChatRoom.title { name } without a catalog fetch.
type Room struct {
	ID        string
	TitleID   string
	TitleName string
}

// Message is one chat message in a room.
type Message struct {
	ID       string
	RoomID   string
	AuthorID string
	Body     string
	SentAt   time.Time
}

// RoomStats summarises a room's messages.
type RoomStats struct {
	RoomID       string
	MessageCount int
	// LastMessageAt is nil for a room without messages.
	LastMessageAt *time.Time
}

// Cursor is a position in a room's newest-first message order: the
// (sentAt, id) of a message. The zero Cursor means "from the newest".
type Cursor struct {
	SentAt time.Time
	ID     string
}

// IsZero reports whether c names no position.
func (c Cursor) IsZero() bool { return c.ID == "" }

// PageQuery asks for up to Limit messages of a room, newest first, strictly
// older than Before when Before is set. It is comparable, so it can key a
// dataloader.
type PageQuery struct {
	RoomID string
	Limit  int
	Before Cursor
}

// Page is the answer to a PageQuery.
type Page struct {
	Messages []Message
	// HasMore reports whether older messages exist beyond this page.
	HasMore bool
}

// MessagePosted is the payload of the chat.message.posted event.
type MessagePosted struct {
	ID       string    `json:"id"`
	RoomID   string    `json:"roomId"`
	TitleID  string    `json:"titleId"`
	AuthorID string    `json:"authorId"`
	Body     string    `json:"body"`
	SentAt   time.Time `json:"sentAt"`
}

// Message returns the message the event describes.
func (p MessagePosted) Message() Message {
	return Message{ID: p.ID, RoomID: p.RoomID, AuthorID: p.AuthorID, Body: p.Body, SentAt: p.SentAt}
}

// EventMessagePosted is the event type of a posted message.
const EventMessagePosted = "chat.message.posted"
