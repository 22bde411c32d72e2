package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/cinegraph/cinegraph/router"
	"github.com/cinegraph/cinegraph/router/supergraph"
	"github.com/cinegraph/cinegraph/schema"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

// TestComposeCheck runs `cinegraph compose --check` on the repository's
// schemas: the checked-in supergraph must be what composing the four
// subgraph schemas gives now.
func TestComposeCheck(t *testing.T) {
	var stderr bytes.Buffer
	if err := runCompose(t.Context(), []string{"-schema-dir", filepath.Join("..", "..", "schema"), "-check"}, io.Discard, &stderr); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
}

// TestComposeDiff runs `cinegraph compose --diff` against the checked-in
// supergraph (no change) and against one where Title.videos was still
// non-null (a breaking change, refused unless allowed).
func TestComposeDiff(t *testing.T) {
	schemaDir := filepath.Join("..", "..", "schema")
	const nullable = "videos(kind: VideoKind): [Video!]"
	current := schema.Supergraph()
	if !strings.Contains(current, nullable+" ") {
		t.Fatalf("supergraph has no %q", nullable)
	}
	older := filepath.Join(t.TempDir(), "older.graphql")
	if err := os.WriteFile(older, []byte(strings.Replace(current, nullable+" ", nullable+"! ", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		args    []string
		wantErr string
		want    []string
	}{
		{
			name: "committed",
			args: []string{"-diff", filepath.Join(schemaDir, schema.SupergraphFile)},
			want: []string{": 0 breaking, 0 dangerous, 0 safe changes"},
		},
		{
			name:    "breaking",
			args:    []string{"-diff", older},
			wantErr: "1 breaking changes for clients",
			want:    []string{"BREAKING  Title.videos: type changed from [Video!]! to [Video!]"},
		},
		{
			name: "breaking allowed",
			args: []string{"-diff", older, "-allow-breaking"},
			want: []string{"BREAKING  Title.videos: type changed from [Video!]! to [Video!]", ": 1 breaking, 0 dangerous, 0 safe changes"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr bytes.Buffer
			args := append([]string{"-schema-dir", schemaDir, "-out", "-"}, tt.args...)
			err := runCompose(t.Context(), args, io.Discard, &stderr)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("%v\n%s", err, stderr.String())
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("err = %v, want %q", err, tt.wantErr)
			}
			for _, w := range tt.want {
				if !strings.Contains(stderr.String(), w) {
					t.Errorf("report lacks %q:\n%s", w, stderr.String())
				}
			}
		})
	}
}

// TestCinegraphSupergraphRouting checks the routing facts the router reads
// from Cinegraph's checked-in supergraph: which subgraph resolves what,
// where @requires and @provides apply, and what the API schema hides.
func TestCinegraphSupergraphRouting(t *testing.T) {
	t.Parallel()
	sg, err := supergraph.Parse(schema.Supergraph())
	if err != nil {
		t.Fatalf("supergraph.Parse: %v", err)
	}
	var names []string
	for _, g := range sg.Graphs {
		names = append(names, g.Name+"="+g.URL)
	}
	wantGraphs := []string{
		"catalog=http://127.0.0.1:4001/graphql",
		"chat=http://127.0.0.1:4003/graphql",
		"insights=http://127.0.0.1:4004/graphql",
		"ops=inprocess://ops",
		"video=http://127.0.0.1:4002/graphql",
	}
	if !slices.Equal(names, wantGraphs) {
		t.Fatalf("graphs = %v, want %v", names, wantGraphs)
	}
	tests := []struct {
		typ, field string
		want       []string
	}{
		{"Title", "id", []string{"catalog", "chat", "insights", "video"}},
		{"Title", "name", []string{"catalog"}},
		{"Title", "videos", []string{"video"}},
		{"Message", "body", []string{"chat"}},
		{"Message", "sentiment", []string{"insights"}},
		{"Video", "durationSeconds", []string{"video"}},
		{"PageInfo", "hasNextPage", []string{"catalog", "chat"}},
		{"Query", "chatRoom", []string{"chat"}},
		{"Mutation", "startPlayback", []string{"video"}},
		{"Subscription", "messageAdded", []string{"chat"}},
		{"Query", "ops", []string{"ops"}},
	}
	for _, tt := range tests {
		t.Run(tt.typ+"."+tt.field, func(t *testing.T) {
			if got := sg.FieldGraphs(tt.typ, tt.field); !slices.Equal(got, tt.want) {
				t.Errorf("FieldGraphs(%s.%s) = %v, want %v", tt.typ, tt.field, got, tt.want)
			}
		})
	}
	if r, ok := sg.Resolve("insights", "Message", "sentiment"); !ok || r.Requires == nil {
		t.Errorf("Message.sentiment in insights: resolvable %v, requires %v; want resolvable with requires", ok, r.Requires)
	}
	if r, ok := sg.Resolve("chat", "ChatRoom", "title"); !ok || r.Provides == nil {
		t.Errorf("ChatRoom.title in chat: resolvable %v, provides %v; want resolvable with provides", ok, r.Provides)
	}
	if keys := sg.Keys("chat", "Profile"); len(keys) != 0 {
		t.Errorf("chat keys of Profile = %v, want none resolvable", keys)
	}
	if all := sg.AllKeys("chat", "Profile"); len(all) != 1 || all[0].Fields != "id" {
		t.Errorf("chat AllKeys of Profile = %v, want the id key", all)
	}
	api := sg.APISchemaSDL()
	for _, hidden := range []string{"searchBoost", "join__", "link__"} {
		if strings.Contains(api, hidden) {
			t.Errorf("API schema exposes %q", hidden)
		}
	}
	if !strings.Contains(api, "audienceSentiment") {
		t.Errorf("API schema lacks Title.audienceSentiment")
	}
}

// TestCinegraphPlans pins how the router plans the web app's main
// operations over Cinegraph's own checked-in supergraph (the one the binary
// embeds), so a schema change that reroutes a query shows up as a plan diff.
func TestCinegraphPlans(t *testing.T) {
	t.Parallel()
	r, err := router.New(router.Config{SupergraphSDL: schema.Supergraph()})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, query string }{
		{"cinegraph_titles", `{ titles(first: 3) { edges { node { name videos { name renditions { resolution } } chatRoom { messageCount } audienceSentiment { label } } } } }`},
		{"cinegraph_post_message", `mutation { postMessage(roomId: "room-t0001", body: "great") { body sentiment { label } } }`},
		{"cinegraph_chat_room_title", `{ chatRoom(id: "room-t0001") { title { id name synopsis } } }`},
		{"cinegraph_room_messages", `{ activeRooms(first: 2) { title { name chatRoom { id } } messages(first: 5) { pageInfo { hasNextPage } edges { node { body author { name } sentiment { score } } } } } }`},
		{"cinegraph_viewer", `{ viewer { name myList { name } viewingHistory { progress video { name detections { label } } } recommendations { title { name } } } }`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			raw, err := r.Plan(t.Context(), tc.query, "", nil)
			if err != nil {
				t.Fatal(err)
			}
			checkPlanGolden(t, tc.name, raw)
		})
	}
}

// checkPlanGolden compares an indented plan with testdata/plans/name.json,
// rewriting it with -update.
func checkPlanGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	var buf bytes.Buffer
	if err := json.Indent(&buf, got, "", "  "); err != nil {
		t.Fatal(err)
	}
	buf.WriteByte('\n')
	path := filepath.Join("testdata", "plans", name+".json")
	if *update {
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Fatalf("plan differs from %s:\n%s", path, buf.Bytes())
	}
}
