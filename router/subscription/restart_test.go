package subscription_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/router/subscription"
	"github.com/cinegraph/cinegraph/router/wire"
	"github.com/gorilla/websocket"
)

// chatInstance plays one chat subgraph instance over graphql-transport-ws:
// it sends the messages of room after the position the subscription asks
// for (_resumeSince), then, when closeWith is set, closes the socket with
// that code after sending at most closeAfter of them, as an instance being
// restarted does; otherwise it completes the subscription.
func chatInstance(t *testing.T, room []string, closeWith, closeAfter int) *httptest.Server {
	t.Helper()
	up := websocket.Upgrader{Subprotocols: []string{"graphql-transport-ws"}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer conn.Close()
		type msg struct {
			ID      string          `json:"id,omitempty"`
			Type    string          `json:"type"`
			Payload json.RawMessage `json:"payload,omitempty"`
		}
		var m msg
		if conn.ReadJSON(&m) != nil || m.Type != "connection_init" || conn.WriteJSON(msg{Type: "connection_ack"}) != nil {
			return
		}
		if conn.ReadJSON(&m) != nil || m.Type != "subscribe" {
			return
		}
		var req wire.SubgraphRequest
		if json.Unmarshal(m.Payload, &req) != nil {
			return
		}
		since, _ := req.Variables["_resumeSince"].(string)
		started, sent := since == "", 0
		for _, id := range room {
			if started {
				if closeWith != 0 && sent == closeAfter {
					break
				}
				ev, _ := json.Marshal(map[string]any{"data": map[string]any{"messageAdded": map[string]any{"body": "body of " + id, "_resumeCursor": id}}})
				if conn.WriteJSON(msg{ID: m.ID, Type: "next", Payload: ev}) != nil {
					return
				}
				sent++
			}
			started = started || id == since
		}
		if closeWith != 0 {
			_ = conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(closeWith, "restarting"), time.Now().Add(time.Second))
			// Wait for the router's close frame, as a server's close handshake does.
			_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
			for conn.ReadJSON(&m) == nil {
			}
			return
		}
		_ = conn.WriteJSON(msg{ID: m.ID, Type: "complete"})
		_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		for conn.ReadJSON(&m) == nil {
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestUpstreamRestartResumesOnAnotherInstance: an instance that closes its
// websocket with 1012 (service restart) or 1001 (going away), as a subgraph
// shutting down does, loses the router nothing: the subscription reopens
// on the other instance from the last event, without gap or duplicate.
func TestUpstreamRestartResumesOnAnotherInstance(t *testing.T) {
	t.Parallel()
	room := []string{"m-1", "m-2", "m-3", "m-4", "m-5", "m-6"}
	for _, tc := range []struct {
		name string
		code int
	}{
		{"service restart", websocket.CloseServiceRestart},
		{"going away", websocket.CloseGoingAway},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			restarting := chatInstance(t, room, tc.code, 3)
			peer := chatInstance(t, room, 0, 0)

			t.Run("Open reports the close as a loss", func(t *testing.T) {
				up := &subscription.WSUpstream{URLs: map[string]string{"chat": restarting.URL}}
				req := &wire.SubgraphRequest{Query: "subscription { messageAdded(roomId: \"r\") { _resumeCursor: id } }"}
				err := up.Open(t.Context(), "chat", req, nil, func(*wire.SubgraphResponse) {})
				var refused subscription.GraphQLErrors
				var ce *websocket.CloseError
				if errors.As(err, &refused) || !errors.As(err, &ce) || ce.Code != tc.code {
					t.Fatalf("Open: %v, want the close %d, not a refusal", err, tc.code)
				}
			})

			var opens atomic.Int32
			up := &subscription.WSUpstream{Pick: func(string) (string, error) {
				// The first open lands on the instance being restarted; its
				// deregistration sends the next ones to its peer.
				if opens.Add(1) == 1 {
					return restarting.URL, nil
				}
				return peer.URL, nil
			}}
			first, resume, ok, err := subscription.Resumable(&wire.SubgraphRequest{Query: `subscription { messageAdded(roomId: "r") { body } }`, OperationKind: "subscription"}, rules, chatSchema(t))
			if err != nil || !ok {
				t.Fatalf("Resumable: %v %v", ok, err)
			}
			m := subscription.NewManager(up, 64, nil)
			s := m.Subscribe(subscription.Source{Key: "k", Subgraph: "chat", Request: first, Resume: resume,
				Complete: func(_ context.Context, ev *wire.SubgraphResponse) subscription.Result {
					raw, _ := json.Marshal(ev)
					return subscription.Result{Payload: raw}
				}})
			defer s.Close()
			got := cursorsUntilEnd(t, s)
			if strings.Join(got, ",") != strings.Join(room, ",") {
				t.Errorf("the client got %v, want %v (no gap, no duplicate)", got, room)
			}
			if final := s.Final(); final != nil {
				t.Errorf("the subscription ended with %s, want it completed", final)
			}
			if n := opens.Load(); n != 2 {
				t.Errorf("opened %d times, want 2 (the restarted instance, then its peer)", n)
			}
		})
	}
}
