package app

import (
	"net"
	"testing"

	"github.com/cinegraph/cinegraph/internal/config"
)

// TestHomePageWithVideoDown: with the video subgraph unreachable, the home
// page's data comes back from every other subgraph, and only the video
// fields are null, with UNAVAILABLE errors naming the video subgraph.
func TestHomePageWithVideoDown(t *testing.T) {
	// A port that refuses connections: bound, then closed.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	down := "http://" + ln.Addr().String() + "/graphql"
	_ = ln.Close()
	in := startWith(t, t.TempDir(), func(c *config.Config) {
		c.Router.SubgraphURLs = map[string]string{"video": down}
	})
	defer in.stop()

	const home = `{
		viewer {
			name
			myList { name }
			continueWatching(first: 5) { progress video { name } }
			recommendations(first: 5) { reason title { name audienceSentiment { label } } }
		}
		titles(first: 3) { edges { node { name chatRoom { messageCount } videos { name } } } }
	}`
	r := in.do(t, "profile-1", home, nil)
	if dig(r.Data, "viewer", "name") == nil || len(dig(r.Data, "viewer", "myList").([]any)) == 0 {
		t.Fatalf("the catalog's sections are missing: %v", r.Data)
	}
	if recs, _ := dig(r.Data, "viewer", "recommendations").([]any); len(recs) == 0 {
		t.Fatalf("the insights section is missing: %v", r.Data)
	}
	if dig(r.Data, "viewer", "continueWatching") != nil {
		t.Errorf("continueWatching = %v, want null", dig(r.Data, "viewer", "continueWatching"))
	}
	edges, _ := dig(r.Data, "titles", "edges").([]any)
	if len(edges) != 3 {
		t.Fatalf("titles: %v", r.Data)
	}
	for _, e := range edges {
		if dig(e, "node", "name") == nil || dig(e, "node", "chatRoom", "messageCount") == nil {
			t.Errorf("a title lost its catalog or chat fields: %v", e)
		}
		if dig(e, "node", "videos") != nil {
			t.Errorf("videos = %v, want null", dig(e, "node", "videos"))
		}
	}
	if len(r.Errors) == 0 {
		t.Fatal("no error says why the video fields are null")
	}
	// Errors sit where the video fetches merge into the response: the
	// viewer, and the titles' nodes (the first of a batch), as the audit's
	// gateway reports them.
	var atViewer, atTitles bool
	for _, e := range r.Errors {
		ext, _ := e["extensions"].(map[string]any)
		if ext["code"] != "UNAVAILABLE" || ext["serviceName"] != "video" {
			t.Errorf("error %v, want UNAVAILABLE from video", e)
		}
		path, _ := e["path"].([]any)
		switch {
		case len(path) == 1 && path[0] == "viewer":
			atViewer = true
		case len(path) == 4 && path[0] == "titles" && path[3] == "node":
			atTitles = true
		}
	}
	if !atViewer || !atTitles {
		t.Errorf("errors %v, want one at viewer and one at the titles", r.Errors)
	}
}
