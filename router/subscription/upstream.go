package subscription

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/cinegraph/cinegraph/router/wire"
	"github.com/gorilla/websocket"
)

// Upstream opens subscriptions on subgraphs. Open calls emit for every event
// in order and returns when the subscription ends: nil when the subgraph
// completed it, the context's error when ctx ended it, a GraphQLErrors when
// the subgraph refused it, any other error when the connection failed.
type Upstream interface {
	Open(ctx context.Context, subgraph string, req *wire.SubgraphRequest, header http.Header, emit func(*wire.SubgraphResponse)) error
}

// GraphQLErrors is a subgraph's refusal of a subscription (its `error`
// message), passed on to clients as is.
type GraphQLErrors []wire.SubgraphError

func (e GraphQLErrors) Error() string {
	msgs := make([]string, len(e))
	for i, x := range e {
		msgs[i] = x.Message
	}
	return "subgraph refused the subscription: " + strings.Join(msgs, "; ")
}

// WSUpstream speaks graphql-transport-ws to subgraphs, one websocket per
// upstream subscription (each is shared by every client that wants it).
type WSUpstream struct {
	// URLs are the subgraphs' HTTP endpoints; http(s) becomes ws(s).
	URLs map[string]string
	// Pick, when set, chooses the instance (its HTTP URL) each new upstream
	// subscription opens on instead of URLs, e.g. through the subgraph's
	// balancer (router/discovery).
	Pick func(subgraph string) (string, error)
	// Dialer nil means a dialer with a 5 s handshake timeout.
	Dialer *websocket.Dialer
	// AckTimeout bounds the wait for connection_ack; 0 means 10 s.
	AckTimeout time.Duration
}

const protocolTransportWS = "graphql-transport-ws"

type wireMessage struct {
	ID      string          `json:"id,omitempty"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// WebsocketURL turns a subgraph's HTTP URL into its websocket URL.
func WebsocketURL(httpURL string) string {
	switch {
	case strings.HasPrefix(httpURL, "https://"):
		return "wss://" + strings.TrimPrefix(httpURL, "https://")
	case strings.HasPrefix(httpURL, "http://"):
		return "ws://" + strings.TrimPrefix(httpURL, "http://")
	}
	return httpURL
}

// Open implements Upstream.
func (u *WSUpstream) Open(ctx context.Context, subgraph string, req *wire.SubgraphRequest, header http.Header, emit func(*wire.SubgraphResponse)) error {
	base, ok := u.URLs[subgraph]
	if u.Pick != nil {
		var err error
		if base, err = u.Pick(subgraph); err != nil {
			return fmt.Errorf("open subscription on %s: %w", subgraph, err)
		}
	} else if !ok {
		return fmt.Errorf("no URL for subgraph %s", subgraph)
	}
	dialer := u.Dialer
	if dialer == nil {
		dialer = &websocket.Dialer{HandshakeTimeout: 5 * time.Second, Subprotocols: []string{protocolTransportWS}}
	}
	h := header.Clone()
	if h == nil {
		h = http.Header{}
	}
	conn, resp, err := dialer.DialContext(ctx, WebsocketURL(base), h)
	if err != nil {
		if resp != nil {
			return fmt.Errorf("open subscription on %s: HTTP %d: %w", subgraph, resp.StatusCode, err)
		}
		return fmt.Errorf("open subscription on %s: %w", subgraph, err)
	}
	defer conn.Close()
	if conn.Subprotocol() != protocolTransportWS {
		return fmt.Errorf("open subscription on %s: subgraph does not speak %s", subgraph, protocolTransportWS)
	}
	// Closing the socket is how ctx interrupts a blocked read.
	stop := context.AfterFunc(ctx, func() {
		_ = conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(time.Second))
		_ = conn.Close()
	})
	defer stop()

	init := map[string]any{}
	for k, vs := range header {
		if len(vs) > 0 {
			init[k] = vs[0]
		}
	}
	initRaw, _ := json.Marshal(init)
	if err := conn.WriteJSON(wireMessage{Type: "connection_init", Payload: initRaw}); err != nil {
		return u.failed(ctx, subgraph, "send connection_init", err)
	}
	ackTimeout := u.AckTimeout
	if ackTimeout <= 0 {
		ackTimeout = 10 * time.Second
	}
	_ = conn.SetReadDeadline(time.Now().Add(ackTimeout))
	for acked := false; !acked; {
		var m wireMessage
		if err := conn.ReadJSON(&m); err != nil {
			return u.failed(ctx, subgraph, "wait for connection_ack", err)
		}
		switch m.Type {
		case "connection_ack":
			acked = true
		case "ping":
			if err := conn.WriteJSON(wireMessage{Type: "pong"}); err != nil {
				return u.failed(ctx, subgraph, "answer ping", err)
			}
		}
	}
	_ = conn.SetReadDeadline(time.Time{})
	payload, err := json.Marshal(req)
	if err != nil {
		return fmt.Errorf("encode subscription for %s: %w", subgraph, err)
	}
	const id = "1"
	if err := conn.WriteJSON(wireMessage{ID: id, Type: "subscribe", Payload: payload}); err != nil {
		return u.failed(ctx, subgraph, "send subscribe", err)
	}
	for {
		_, raw, err := conn.ReadMessage()
		if err != nil {
			return u.failed(ctx, subgraph, "read", err)
		}
		var m wireMessage
		if err := json.Unmarshal(raw, &m); err != nil {
			return fmt.Errorf("subscription on %s: undecodable message: %w", subgraph, err)
		}
		switch m.Type {
		case "next":
			if m.ID != id {
				continue
			}
			resp, err := wire.DecodeResponse(m.Payload)
			if err != nil {
				return fmt.Errorf("subscription on %s: undecodable event: %w", subgraph, err)
			}
			emit(resp)
		case "error":
			var errs []wire.SubgraphError
			if err := json.Unmarshal(m.Payload, &errs); err != nil || len(errs) == 0 {
				errs = []wire.SubgraphError{{Message: "the subgraph refused the subscription"}}
			}
			return GraphQLErrors(errs)
		case "complete":
			if m.ID == id {
				return nil
			}
		case "ping":
			if err := conn.WriteJSON(wireMessage{Type: "pong"}); err != nil {
				return u.failed(ctx, subgraph, "answer ping", err)
			}
		}
	}
}

// failed prefers ctx's error: a read fails because ctx closed the socket.
func (u *WSUpstream) failed(ctx context.Context, subgraph, what string, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	var ce *websocket.CloseError
	if errors.As(err, &ce) && ce.Code == websocket.CloseNormalClosure {
		return fmt.Errorf("subscription on %s: the subgraph closed the connection", subgraph)
	}
	return fmt.Errorf("subscription on %s: %s: %w", subgraph, what, err)
}
