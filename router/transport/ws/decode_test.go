package ws

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/gorilla/websocket"
)

// knownTypes are the client message types each protocol takes, written out
// here rather than read from the protocols, and whether the type needs a
// non-empty id (true), any id (false) or none (absent from needsIDOf).
var (
	knownTypes = map[bool]map[string]bool{
		false: {"connection_init": true, "ping": true, "pong": true, "subscribe": true, "complete": true},
		true:  {"connection_init": true, "connection_terminate": true, "start": true, "stop": true},
	}
	needsIDOf = map[bool]map[string]bool{
		false: {"subscribe": true, "complete": true},
		true:  {"start": true, "stop": false},
	}
)

// fuzzProtocols are the protocols decodeMessage is tried with.
var fuzzProtocols = []protocol{transportWS{}, legacy{}}

func TestDecodeMessage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		proto  protocol
		kind   int
		raw    string
		reason string // empty: decoded
		id     string // the id refused with, or decoded
	}{
		{name: "connection_init", proto: transportWS{}, raw: `{"type":"connection_init","payload":{"a":1}}`},
		{name: "ping", proto: transportWS{}, raw: `{"type":"ping"}`},
		{name: "subscribe", proto: transportWS{}, raw: `{"id":"1","type":"subscribe","payload":{"query":"subscription { a }"}}`, id: "1"},
		{name: "complete", proto: transportWS{}, raw: `{"id":"1","type":"complete"}`, id: "1"},
		{name: "binary", proto: transportWS{}, kind: websocket.BinaryMessage, raw: `{"type":"ping"}`, reason: "messages must be text"},
		{name: "not json", proto: transportWS{}, raw: `{"type":`, reason: "Invalid message received"},
		{name: "no type", proto: transportWS{}, raw: `{"id":"1"}`, reason: "Invalid message received", id: "1"},
		{name: "type a number", proto: transportWS{}, raw: `{"id":"7","type":5}`, reason: "Invalid message received", id: "7"},
		{name: "null", proto: transportWS{}, raw: `null`, reason: "Invalid message received"},
		{name: "unknown type", proto: transportWS{}, raw: `{"id":"2","type":"start"}`, reason: "Invalid message type start", id: "2"},
		{name: "subscribe without id", proto: transportWS{}, raw: `{"type":"subscribe","payload":{}}`, reason: "subscribe needs an id"},
		{name: "subscribe with empty id", proto: transportWS{}, raw: `{"id":"","type":"subscribe","payload":{}}`, reason: "subscribe needs an id"},
		{name: "complete without id", proto: transportWS{}, raw: `{"type":"complete"}`, reason: "complete needs an id"},
		{name: "legacy start", proto: legacy{}, raw: `{"id":"1","type":"start","payload":{"query":"subscription { a }"}}`, id: "1"},
		{name: "legacy stop with empty id", proto: legacy{}, raw: `{"id":"","type":"stop"}`},
		{name: "legacy connection_terminate", proto: legacy{}, raw: `{"type":"connection_terminate"}`},
		{name: "legacy subscribe", proto: legacy{}, raw: `{"id":"3","type":"subscribe"}`, reason: "Invalid message type subscribe", id: "3"},
		{name: "legacy start without id", proto: legacy{}, raw: `{"type":"start"}`, reason: "start needs an id"},
		{name: "legacy stop without id", proto: legacy{}, raw: `{"type":"stop"}`, reason: "stop needs an id"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			kind := tc.kind
			if kind == 0 {
				kind = websocket.TextMessage
			}
			m, bad := decodeMessage(tc.proto, kind, []byte(tc.raw))
			if tc.reason == "" {
				if bad != nil {
					t.Fatalf("refused: %v", bad)
				}
				if tc.id != "" && (m.ID == nil || *m.ID != tc.id) {
					t.Fatalf("id %v, want %q", m.ID, tc.id)
				}
				return
			}
			if bad == nil || bad.Reason != tc.reason {
				t.Fatalf("got %v, want %q", bad, tc.reason)
			}
			if got := idOf(bad.ID); got != tc.id {
				t.Fatalf("refused with id %q, want %q", got, tc.id)
			}
		})
	}
}

// TestRefusal holds the two protocols to their answers to a message they
// cannot take.
func TestRefusal(t *testing.T) {
	t.Parallel()
	id := "4"
	tests := []struct {
		name  string
		proto protocol
		id    *string
		code  int
		reply string
	}{
		{"graphql-transport-ws closes with 4400", transportWS{}, &id, CloseInvalidMessage, `{"type":""}`},
		{"legacy answers an error with the id", legacy{}, &id, 0, `{"id":"4","type":"error","payload":{"message":"bad"}}`},
		{"legacy answers an error without an id", legacy{}, nil, 0, `{"type":"error","payload":{"message":"bad"}}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			code, reply := refusal(tc.proto, &messageError{ID: tc.id, Reason: "bad"})
			raw, err := json.Marshal(reply)
			if err != nil {
				t.Fatal(err)
			}
			if code != tc.code || string(raw) != tc.reply {
				t.Fatalf("code %d reply %s, want %d %s", code, raw, tc.code, tc.reply)
			}
		})
	}
}

// FuzzDecodeMessage decodes arbitrary frames for either protocol (bit 0
// of sel: legacy; bit 1: a binary frame). decodeMessage must never panic;
// what it takes is a text frame of a type the protocol knows, with the id
// that type needs (a subscribe or start always with a non-empty one); what
// it refuses gets a reason, and the refusal the protocol's answer: close
// with 4400 for graphql-transport-ws, an error message with the refused
// message's id for the legacy protocol.
func FuzzDecodeMessage(f *testing.F) {
	const legacyProto, binary = 1, 2
	seeds := []struct {
		name string
		sel  byte
		raw  string
	}{
		{"connection_init", 0, `{"type":"connection_init","payload":{"Authorization":"Bearer t","headers":{"x":"y"}}}`},
		{"ping", 0, `{"type":"ping","payload":{}}`},
		{"pong", 0, `{"type":"pong"}`},
		{"subscribe", 0, `{"id":"1","type":"subscribe","payload":{"query":"subscription { a }","variables":{"x":1}}}`},
		{"complete", 0, `{"id":"1","type":"complete"}`},
		{"subscribe without id", 0, `{"type":"subscribe","payload":{"query":"subscription { a }"}}`},
		{"subscribe with id null", 0, `{"id":null,"type":"subscribe"}`},
		{"subscribe with id a number", 0, `{"id":1,"type":"subscribe"}`},
		{"type null", 0, `{"id":"1","type":null}`},
		{"type a list", 0, `{"id":"1","type":["subscribe"]}`},
		{"duplicate type", 0, `{"id":"1","type":"subscribe","type":"bogus"}`},
		{"duplicate id", 0, `{"id":"1","id":"","type":"subscribe"}`},
		{"keys in another case", 0, `{"ID":"1","TYPE":"subscribe"}`},
		{"trailing data", 0, `{"type":"ping"} garbage`},
		{"invalid utf-8", 0, "{\"id\":\"\xff\",\"type\":\"subscribe\"}"},
		{"lone surrogate", 0, `{"id":"\ud800","type":"subscribe"}`},
		{"deep payload", 0, `{"type":"connection_init","payload":` + strings.Repeat("[", 10_001) + strings.Repeat("]", 10_001) + `}`},
		{"not json", 0, `{"type":`},
		{"empty", 0, ``},
		{"list", 0, `[{"type":"ping"}]`},
		{"binary frame", binary, `{"type":"ping"}`},
		{"legacy start", legacyProto, `{"id":"1","type":"start","payload":{"query":"subscription { a }"}}`},
		{"legacy stop", legacyProto, `{"id":"","type":"stop"}`},
		{"legacy connection_terminate", legacyProto, `{"type":"connection_terminate"}`},
		{"legacy start without id", legacyProto, `{"type":"start"}`},
		{"legacy subscribe", legacyProto, `{"id":"1","type":"subscribe"}`},
	}
	for _, s := range seeds {
		f.Add(s.sel, []byte(s.raw))
	}
	f.Fuzz(func(t *testing.T, sel byte, raw []byte) {
		p := fuzzProtocols[sel&legacyProto]
		kind := websocket.TextMessage
		if sel&binary != 0 {
			kind = websocket.BinaryMessage
		}
		m, bad := decodeMessage(p, kind, raw)
		if bad != nil {
			if bad.Reason == "" {
				t.Fatalf("refused %q without a reason", raw)
			}
			code, reply := refusal(p, bad)
			if !p.legacy() {
				if code != CloseInvalidMessage {
					t.Fatalf("graphql-transport-ws refuses %q with close code %d, want %d", raw, code, CloseInvalidMessage)
				}
				return
			}
			var payload struct{ Message string }
			if code != 0 || reply.Type != "error" || reply.ID != idOf(bad.ID) || json.Unmarshal(reply.Payload, &payload) != nil || payload.Message != bad.Reason {
				t.Fatalf("legacy refuses %q with code %d and %+v", raw, code, reply)
			}
			return
		}
		if kind != websocket.TextMessage || m.Type == nil {
			t.Fatalf("took %q (frame kind %d) with type %v", raw, kind, m.Type)
		}
		if !knownTypes[p.legacy()][*m.Type] {
			t.Fatalf("took a message of unknown type %q: %q", *m.Type, raw)
		}
		if nonEmpty, ok := needsIDOf[p.legacy()][*m.Type]; ok && (m.ID == nil || nonEmpty && *m.ID == "") {
			t.Fatalf("took a %s message without the id it needs: %q", *m.Type, raw)
		}
	})
}

// idOf is id, or "" for none.
func idOf(id *string) string {
	if id == nil {
		return ""
	}
	return *id
}
