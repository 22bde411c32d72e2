package faults

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// ResumingSubscriber is a websocket client subscribed to a room's messages
// through the routers behind a Balancer, as graphql-ws clients behave:
// when its socket closes (1012 from a router restarting, or cut by a crash)
// or its subscription ends, it reconnects to a ready router and subscribes
// again from the last message it got (messageAdded's since), so that it
// should see every message once.
type ResumingSubscriber struct {
	Name   string
	bal    *Balancer
	room   string
	cancel context.CancelFunc
	done   chan struct{}
	first  chan struct{}

	mu   sync.Mutex
	conn *websocket.Conn
	got  []Received
	// Reconnects are the times the subscriber connected again, and why.
	reconnects []Reconnect
}

// Received is one message a subscriber got.
type Received struct {
	ID string
	At time.Time
}

// Reconnect is one end of a subscriber's socket or subscription.
type Reconnect struct {
	At time.Time
	// Router is where the socket was; Why how it ended: "close 1012",
	// "cut" (no close frame), "error result: ..." or "error: ..." (the
	// subscription ended with an error), "complete".
	Router, Why string
}

const roomSubscription = `subscription($room: ID!, $since: String) { messageAdded(roomId: $room, since: $since) { id body } }`

func startResumingSubscriber(ctx context.Context, bal *Balancer, room, name string) *ResumingSubscriber {
	ctx, cancel := context.WithCancel(ctx)
	s := &ResumingSubscriber{Name: name, bal: bal, room: room, cancel: cancel, done: make(chan struct{}), first: make(chan struct{})}
	go s.run(ctx)
	return s
}

func (s *ResumingSubscriber) run(ctx context.Context) {
	defer close(s.done)
	firstDone := false
	for ctx.Err() == nil {
		e := s.bal.Pick()
		if e == nil {
			sleep(ctx, 50*time.Millisecond)
			continue
		}
		why := s.session(ctx, e, func() {
			if !firstDone {
				firstDone = true
				close(s.first)
			}
		})
		if ctx.Err() != nil {
			return
		}
		if why == "" {
			continue // never connected: try the next router
		}
		s.mu.Lock()
		s.reconnects = append(s.reconnects, Reconnect{At: time.Now(), Router: e.Name, Why: why})
		s.mu.Unlock()
	}
}

// session connects to e, subscribes from the last message and reads until
// the socket or the subscription ends; it returns why ("" when it never
// got to subscribe).
func (s *ResumingSubscriber) session(ctx context.Context, e *Endpoint, subscribed func()) string {
	d := websocket.Dialer{HandshakeTimeout: 5 * time.Second, Subprotocols: []string{"graphql-transport-ws"}}
	conn, _, err := d.DialContext(ctx, "ws"+strings.TrimPrefix(e.URL, "http")+"/graphql", nil)
	if err != nil {
		s.bal.Failed(e)
		return ""
	}
	s.mu.Lock()
	s.conn = conn
	var since any
	if n := len(s.got); n > 0 {
		since = s.got[n-1].ID
	}
	s.mu.Unlock()
	defer conn.Close()
	if err := conn.WriteJSON(map[string]any{"type": "connection_init", "payload": map[string]any{}}); err != nil {
		return ""
	}
	_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	var ack struct{ Type string }
	if err := conn.ReadJSON(&ack); err != nil || ack.Type != "connection_ack" {
		return ""
	}
	_ = conn.SetReadDeadline(time.Time{})
	err = conn.WriteJSON(map[string]any{"id": "1", "type": "subscribe", "payload": map[string]any{
		"query": roomSubscription, "variables": map[string]any{"room": s.room, "since": since},
	}})
	if err != nil {
		return ""
	}
	subscribed()
	for {
		var m struct {
			Type    string          `json:"type"`
			Payload json.RawMessage `json:"payload"`
		}
		if err := conn.ReadJSON(&m); err != nil {
			var ce *websocket.CloseError
			if errors.As(err, &ce) && ce.Code != websocket.CloseAbnormalClosure {
				return fmt.Sprintf("close %d", ce.Code)
			}
			return "cut"
		}
		switch m.Type {
		case "next":
			var p struct {
				Data struct {
					MessageAdded struct{ ID string } `json:"messageAdded"`
				} `json:"data"`
				Errors []struct{ Message string } `json:"errors"`
			}
			if err := json.Unmarshal(m.Payload, &p); err != nil || len(p.Errors) > 0 || p.Data.MessageAdded.ID == "" {
				msg := string(m.Payload)
				if len(p.Errors) > 0 {
					msg = p.Errors[0].Message
				}
				return "error result: " + trim(msg, 80)
			}
			s.mu.Lock()
			s.got = append(s.got, Received{ID: p.Data.MessageAdded.ID, At: time.Now()})
			s.mu.Unlock()
		case "error":
			return "error: " + trim(string(m.Payload), 80)
		case "complete":
			return "complete"
		case "ping":
			_ = conn.WriteJSON(map[string]string{"type": "pong"})
		}
	}
}

// waitSubscribed waits until the first subscription was sent.
func (s *ResumingSubscriber) waitSubscribed(within time.Duration) error {
	select {
	case <-s.first:
		return nil
	case <-time.After(within):
		return fmt.Errorf("%s did not subscribe within %s", s.Name, within)
	}
}

func (s *ResumingSubscriber) stop() {
	s.cancel()
	s.mu.Lock()
	if s.conn != nil {
		_ = s.conn.Close()
	}
	s.mu.Unlock()
	<-s.done
}

// Got returns the messages received, in order.
func (s *ResumingSubscriber) Got() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Received(nil), s.got...)
}

// Reconnects returns the subscriber's reconnections.
func (s *ResumingSubscriber) Reconnects() []Reconnect {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Reconnect(nil), s.reconnects...)
}

func trim(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}
