package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

const subscriptionQuery = `subscription($room: ID!) { messageAdded(roomId: $room) { id body sentAt author { name } sentiment { label } } }`

// client is one websocket with one subscription.
type client struct {
	conn *websocket.Conn
	room string

	warm      atomic.Int64 // warm-up messages received
	delivered atomic.Int64 // measured messages received
	closed    atomic.Bool
	closeWhy  atomic.Value // string

	mu        sync.Mutex
	latencies []time.Duration // from the publisher's post
	fromSent  []time.Duration // from the message's sentAt, stamped by the chat subgraph
}

type incoming struct {
	Type    string `json:"type"`
	Payload struct {
		Data *struct {
			MessageAdded struct {
				Body   string    `json:"body"`
				SentAt time.Time `json:"sentAt"`
				Author struct {
					Name string `json:"name"`
				} `json:"author"`
			} `json:"messageAdded"`
		} `json:"data"`
		Errors []struct {
			Message string `json:"message"`
		} `json:"errors"`
	} `json:"payload"`
}

func dial(ctx context.Context, wsURL, room string) (*client, error) {
	d := websocket.Dialer{Subprotocols: []string{"graphql-transport-ws"}, HandshakeTimeout: 10 * time.Second, ReadBufferSize: 1024, WriteBufferSize: 1024}
	conn, _, err := d.DialContext(ctx, wsURL, nil)
	if err != nil {
		return nil, err
	}
	c := &client{conn: conn, room: room}
	if err := conn.WriteJSON(map[string]any{"type": "connection_init"}); err != nil {
		conn.Close()
		return nil, err
	}
	var ack map[string]any
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	if err := conn.ReadJSON(&ack); err != nil || ack["type"] != "connection_ack" {
		conn.Close()
		return nil, fmt.Errorf("connection_ack: %v %v", ack, err)
	}
	_ = conn.SetReadDeadline(time.Time{})
	if err := conn.WriteJSON(map[string]any{"id": "1", "type": "subscribe", "payload": map[string]any{"query": subscriptionQuery, "variables": map[string]any{"room": room}}}); err != nil {
		conn.Close()
		return nil, err
	}
	return c, nil
}

// read counts results until the socket ends; measuring says whether a
// "bench <unix nanos>" body counts towards the figures.
func (c *client) read(measuring *atomic.Bool) {
	defer c.closed.Store(true)
	for {
		_, raw, err := c.conn.ReadMessage()
		if err != nil {
			c.closeWhy.Store(err.Error())
			return
		}
		now := time.Now()
		var m incoming
		if err := json.Unmarshal(raw, &m); err != nil {
			continue
		}
		switch m.Type {
		case "ping":
			_ = c.conn.WriteMessage(websocket.TextMessage, []byte(`{"type":"pong"}`))
			continue
		case "next":
		default:
			c.closeWhy.Store("got " + m.Type)
			continue
		}
		if len(m.Payload.Errors) > 0 || m.Payload.Data == nil {
			c.closeWhy.Store(fmt.Sprint("error result: ", m.Payload.Errors))
			continue
		}
		body := m.Payload.Data.MessageAdded.Body
		switch {
		case strings.HasPrefix(body, "warm "):
			c.warm.Add(1)
		case strings.HasPrefix(body, "bench ") && measuring.Load():
			sent, err := strconv.ParseInt(strings.Fields(body)[1], 10, 64)
			if err != nil {
				continue
			}
			c.delivered.Add(1)
			c.mu.Lock()
			c.latencies = append(c.latencies, now.Sub(time.Unix(0, sent)))
			c.fromSent = append(c.fromSent, now.Sub(m.Payload.Data.MessageAdded.SentAt))
			c.mu.Unlock()
		}
	}
}
