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

// UpstreamBuffer is each subscription's lag allowance by default. A chat
// subscription's client is a router (the subgraph is reachable from nowhere
// else), whose one upstream subscription per room feeds every viewer in it,
// each with a lag allowance of its own: a burst into a busy room must not
// drop the upstream, which would end every viewer's subscription at once.
// 1,024 messages hold a few seconds of the busiest room measured.
const UpstreamBuffer = 1024

// New returns a hub; buffer <= 0 means UpstreamBuffer.
func New(buffer int, logger *slog.Logger) *Hub {
	if buffer <= 0 {
		buffer = UpstreamBuffer
	}
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
