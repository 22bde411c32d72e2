package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/cinegraph/cinegraph/router"
	"github.com/cinegraph/cinegraph/schema"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

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
