// Package chatlive fans chat messages out to live subscribers with the shared
// fan-out hub: one bus listener per process feeds every subscription,
// routed by room.
package chatlive

import (
	"encoding/json"
	"log/slog"

	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/internal/events/fanout"
	"github.com/cinegraph/cinegraph/subgraphs/chat/chatservice"
)

// Hub routes chat.messages events to subscriptions by room.
type Hub = fanout.Hub[string, chatservice.Message]

// Subscription receives the messages posted to one room.
type Subscription = fanout.Subscription[string, chatservice.Message]

// New returns a hub; buffer <= 0 means fanout.DefaultBuffer.
func New(buffer int, logger *slog.Logger) *Hub {
	return fanout.New(fanout.Config[string, chatservice.Message]{
		Name:   "chat hub",
		Topic:  events.TopicChatMessages,
		Type:   chatservice.EventMessagePosted,
		Decode: decode,
		Key:    func(m chatservice.Message) string { return m.RoomID },
		Buffer: buffer,
		Logger: logger,
	})
}

// decode reads a posted message from its event.
func decode(ev events.Event) (chatservice.Message, error) {
	var p chatservice.MessagePosted
	if err := json.Unmarshal(ev.Payload, &p); err != nil {
		return chatservice.Message{}, err
	}
	return p.Message(), nil
}
