package compose

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/cinegraph/cinegraph/router/supergraph"
)

// TestRouterLoadsComposedSupergraph checks that the router's supergraph
// loader accepts what composition produces and reads the same routing
// facts composition meant to record.
func TestRouterLoadsComposedSupergraph(t *testing.T) {
	t.Parallel()
	out, err := Compose(streamingSubgraphs())
	if err != nil {
		t.Fatalf("Compose: %v", err)
	}
	sg, err := supergraph.Parse(out)
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
	}
	for _, tt := range tests {
		if got := sg.FieldGraphs(tt.typ, tt.field); !slices.Equal(got, tt.want) {
			t.Errorf("FieldGraphs(%s.%s) = %v, want %v", tt.typ, tt.field, got, tt.want)
		}
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

// TestRouterLoadsEveryGoldenSupergraph feeds each golden composition output
// to the router's loader, so composer and router agree on the format
// beyond the streaming federation.
func TestRouterLoadsEveryGoldenSupergraph(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join("testdata", "compose", "*.graphql"))
	if err != nil || len(files) == 0 {
		t.Fatalf("golden supergraphs: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			t.Parallel()
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := supergraph.Parse(string(b)); err != nil {
				t.Errorf("supergraph.Parse: %v", err)
			}
		})
	}
}
