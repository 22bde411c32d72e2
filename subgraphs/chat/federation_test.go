package chat

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

func TestServiceSDL(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	var out struct {
		Service struct{ SDL string } `json:"_service"`
	}
	h.mustExec(t, `{ _service { sdl } }`, nil, &out)
	for _, want := range []string{
		`type ChatRoom @key(fields: "id")`,
		`type Message @key(fields: "id")`,
		`type Title @key(fields: "id")`,
		`type Profile @key(fields: "id", resolvable: false)`,
		`@provides(fields: "name")`,
		`name: String! @external`,
		`type PageInfo @shareable`,
		`messageAdded(roomId: ID!, since: String): Message!`,
	} {
		if !strings.Contains(out.Service.SDL, want) {
			t.Errorf("sdl lacks %q", want)
		}
	}
}

func reps(typename string, ids ...string) []map[string]any {
	out := make([]map[string]any, len(ids))
	for i, id := range ids {
		out[i] = map[string]any{"__typename": typename, "id": id}
	}
	return out
}

func TestEntities(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	sf := facts()
	room := sf.fixture.Rooms[2]
	msg := sf.byRoom[room.ID][0]
	const q = `query($r: [_Any!]!) { _entities(representations: $r) {
		__typename
		... on ChatRoom { id messageCount title { id name } }
		... on Message { id body author { id } room { id } }
		... on Title { id chatRoom { id title { name } } }
	} }`
	tests := []struct {
		name string
		reps []map[string]any
		want string
	}{
		{
			"chat rooms", reps("ChatRoom", room.ID, "room-t9999"),
			fmt.Sprintf(`[{"__typename":"ChatRoom","id":%q,"messageCount":%d,"title":{"id":%q,"name":%q}},null]`, room.ID, len(sf.byRoom[room.ID]), room.TitleID, room.TitleName),
		},
		{
			"messages", reps("Message", "m-nope", msg.ID),
			fmt.Sprintf(`[null,{"__typename":"Message","id":%q,"body":%q,"author":{"id":%q},"room":{"id":%q}}]`, msg.ID, msg.Body, msg.AuthorID, room.ID),
		},
		{
			"titles", reps("Title", room.TitleID, "t9999"),
			fmt.Sprintf(`[{"__typename":"Title","id":%q,"chatRoom":{"id":%q,"title":{"name":%q}}},{"__typename":"Title","id":"t9999","chatRoom":null}]`, room.TitleID, room.ID, room.TitleName),
		},
		{
			"mixed, order kept", append(reps("Title", room.TitleID), reps("ChatRoom", room.ID)...),
			fmt.Sprintf(`[{"__typename":"Title","id":%q,"chatRoom":{"id":%q,"title":{"name":%q}}},{"__typename":"ChatRoom","id":%q,"messageCount":%d,"title":{"id":%q,"name":%q}}]`,
				room.TitleID, room.ID, room.TitleName, room.ID, len(sf.byRoom[room.ID]), room.TitleID, room.TitleName),
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out struct {
				Entities json.RawMessage `json:"_entities"`
			}
			h.mustExec(t, q, map[string]any{"r": tc.reps}, &out)
			if got, want := canonical(t, out.Entities), canonical(t, []byte(tc.want)); got != want {
				t.Fatalf("got  %s\nwant %s", got, want)
			}
		})
	}
}

// canonical re-encodes JSON with sorted keys, so documents compare by value.
func canonical(t *testing.T, raw []byte) string {
	t.Helper()
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("invalid JSON %s: %v", raw, err)
	}
	out, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func TestEntitiesBadNestedArguments(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	tests := []struct {
		name, query, field string
	}{
		{"first zero under titles", `query($r: [_Any!]!) { _entities(representations: $r) { ... on Title { chatRoom { messages(first: 0) { edges { cursor } } } } } }`, "first"},
		{"bad cursor under titles", `query($r: [_Any!]!) { _entities(representations: $r) { ... on Title { chatRoom { messages(before: "nope") { edges { cursor } } } } } }`, "before"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			errs := h.exec(t, tc.query, map[string]any{"r": reps("Title", "t0001", "t0002")}, nil)
			if len(errs) != 2 {
				t.Fatalf("got %d errors %+v, want one per entity", len(errs), errs)
			}
			for _, e := range errs {
				if e.Extensions["code"] != "BAD_USER_INPUT" || e.Extensions["field"] != tc.field {
					t.Fatalf("error %+v, want BAD_USER_INPUT on %s", e, tc.field)
				}
			}
		})
	}
}
