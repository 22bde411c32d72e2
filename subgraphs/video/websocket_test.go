package video

import (
	"testing"

	"github.com/cinegraph/cinegraph/internal/viewer/viewertest"

	"github.com/99designs/gqlgen/client"

	"github.com/cinegraph/cinegraph/subgraphs/video/store/videostoretest"
)

// TestWebsocketOperations runs operations over the websocket transport: the
// viewer comes from the init payload and nested relations resolve without
// request-scoped loaders (see loaders.Middleware).
func TestWebsocketOperations(t *testing.T) {
	t.Parallel()
	sg, _ := testSubgraph(t, nil)
	c := viewertest.Client(sg.Handler(), viewertest.As("profile-1"))
	payload := viewertest.InitPayload(videostoretest.OtherWatcher)

	var started struct{ StartPlayback sessionOut }
	ws := c.WebsocketWithPayload(startQ, payload, client.Var("v", videostoretest.MovieFeature))
	if err := ws.Next(&started); err != nil {
		t.Fatal(err)
	}
	_ = ws.Close()
	if started.StartPlayback.PositionSeconds != 3000 {
		t.Fatalf("resumed at %d, want profile-2's 3000", started.StartPlayback.PositionSeconds)
	}

	const historyQ = `{ _entities(representations: [{__typename: "Profile", id: "profile-2"}]) {
		... on Profile { viewingHistory { positionSeconds video { id renditions { resolution } } } } } }`
	type history struct {
		Entities []struct {
			ViewingHistory []struct {
				PositionSeconds int
				Video           struct {
					ID         string
					Renditions []struct{ Resolution string }
				}
			}
		} `json:"_entities"`
	}
	// once runs a query over a websocket opened as profile-2.
	once := func(out any) {
		t.Helper()
		ws := c.WebsocketWithPayload(historyQ, payload)
		defer ws.Close()
		if err := ws.Next(out); err != nil {
			t.Fatal(err)
		}
	}
	var before history
	once(&before)
	mustPost(t, c, videostoretest.OtherWatcher, reportQ, nil, client.Var("s", started.StartPlayback.ID), client.Var("p", 3100))
	var after history
	once(&after)
	b, a := before.Entities[0].ViewingHistory, after.Entities[0].ViewingHistory
	if len(b) != 1 || b[0].PositionSeconds != 3000 || len(b[0].Video.Renditions) != 4 {
		t.Fatalf("before %+v", b)
	}
	if len(a) != 1 || a[0].PositionSeconds != 3100 {
		t.Fatalf("after %+v", a)
	}
}
