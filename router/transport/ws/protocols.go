package ws

import (
	"encoding/json"

	"github.com/cinegraph/cinegraph/router/wire"
)

// transportWS is graphql-transport-ws, the graphql-ws library's protocol.
type transportWS struct{}

func (transportWS) legacy() bool { return false }

// check takes connection_init, ping and pong, and subscribe and complete
// with a non-empty id.
func (transportWS) check(m incoming) *messageError {
	switch *m.Type {
	case "connection_init", "ping", "pong":
	case "subscribe", "complete":
		if m.ID == nil || *m.ID == "" {
			return needsID(*m.Type)
		}
	default:
		return unknownType(m)
	}
	return nil
}

func (transportWS) handle(c *conn, m incoming) {
	switch *m.Type {
	case "connection_init":
		c.connectionInit(m.Payload)
	case "ping":
		c.write(message{Type: "pong"})
	case "pong":
	case "subscribe":
		c.mu.Lock()
		acked := c.acked
		c.mu.Unlock()
		if !acked {
			c.close(CloseUnauthorized, "Unauthorized")
			return
		}
		if c.running(*m.ID) {
			c.close(CloseSubscriberExists, "Subscriber for "+*m.ID+" already exists")
			return
		}
		c.subscribe(*m.ID, m.Payload)
	case "complete":
		c.complete(*m.ID)
	}
}

func (transportWS) result(id string, payload json.RawMessage) message {
	return message{ID: id, Type: "next", Payload: payload}
}

func (transportWS) refused(id string, errs []*wire.Error) message {
	raw, _ := json.Marshal(errs)
	return message{ID: id, Type: "error", Payload: raw}
}

func (transportWS) done(id string) message { return message{ID: id, Type: "complete"} }

func (transportWS) keepAlive() message { return message{Type: "ping"} }

// legacy is subscriptions-transport-ws (subprotocol "graphql-ws"), which
// older Apollo clients speak: start/stop, data, ka keep-alives.
type legacy struct{}

func (legacy) legacy() bool { return true }

// check takes connection_init and connection_terminate, start with a
// non-empty id and stop with any id.
func (legacy) check(m incoming) *messageError {
	switch *m.Type {
	case "connection_init", "connection_terminate":
	case "start":
		if m.ID == nil || *m.ID == "" {
			return needsID(*m.Type)
		}
	case "stop":
		if m.ID == nil {
			return needsID(*m.Type)
		}
	default:
		return unknownType(m)
	}
	return nil
}

func (legacy) handle(c *conn, m incoming) {
	switch *m.Type {
	case "connection_init":
		c.connectionInit(m.Payload)
	case "connection_terminate":
		c.close(1000, "")
	case "start":
		c.mu.Lock()
		acked := c.acked
		c.mu.Unlock()
		if !acked {
			c.invalid(m.ID, "the connection is not initialised")
			return
		}
		// The legacy protocol replaces an operation started again under
		// the same id.
		c.complete(*m.ID)
		c.subscribe(*m.ID, m.Payload)
	case "stop":
		c.complete(*m.ID)
	}
}

func (legacy) result(id string, payload json.RawMessage) message {
	return message{ID: id, Type: "data", Payload: payload}
}

func (legacy) refused(id string, errs []*wire.Error) message {
	// The legacy protocol's error payload is one error object.
	var first any = map[string]string{"message": "operation refused"}
	if len(errs) > 0 {
		first = errs[0]
	}
	raw, _ := json.Marshal(first)
	return message{ID: id, Type: "error", Payload: raw}
}

func (legacy) done(id string) message { return message{ID: id, Type: "complete"} }

func (legacy) keepAlive() message { return message{Type: "ka"} }
