package router

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/cinegraph/cinegraph/router/compose"
	"github.com/cinegraph/cinegraph/router/supergraph"
	"github.com/cinegraph/cinegraph/schema"
)

var update = flag.Bool("update", false, "rewrite golden files")

// cinegraphSupergraph is the checked-in composed supergraph, or, while that
// file is still a placeholder, the four subgraph schemas composed now.
func cinegraphSupergraph(t *testing.T) string {
	t.Helper()
	sdl := schema.Supergraph()
	if _, err := supergraph.Parse(sdl); err == nil {
		return sdl
	}
	var subs []compose.Subgraph
	for i, name := range []string{"catalog", "video", "chat", "insights"} {
		s, err := schema.Subgraph(name)
		if err != nil {
			t.Fatal(err)
		}
		subs = append(subs, compose.Subgraph{Name: name, URL: fmt.Sprintf("http://127.0.0.1:%d/graphql", 4001+i), SDL: s})
	}
	out, err := compose.Compose(subs)
	if err != nil {
		t.Fatalf("compose Cinegraph subgraphs: %v", err)
	}
	return out
}

func checkGolden(t *testing.T, name string, got []byte) {
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

func TestCinegraphPlans(t *testing.T) {
	t.Parallel()
	r, err := New(Config{SupergraphSDL: cinegraphSupergraph(t)})
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
			checkGolden(t, tc.name, raw)
		})
	}
}
