package compose

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

// streamingSubgraphs is a small but realistic federation of this package's
// own: a video service in four subgraphs that share the Title entity, with
// @requires, @provides, a key that is not resolvable, a @shareable type
// defined twice, an @inaccessible field and all three root types.
func streamingSubgraphs() []Subgraph {
	return []Subgraph{
		{Name: "catalog", URL: "http://127.0.0.1:4001/graphql", SDL: `extend schema
  @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable", "@inaccessible"])

"A film or a series."
type Title @key(fields: "id") {
  id: ID!
  name: String!
  synopsis: String
  "Ranking weight for search; internal."
  searchBoost: Float @inaccessible
}

type Profile @key(fields: "id") {
  id: ID!
  name: String!
}

type PageInfo @shareable {
  hasNextPage: Boolean!
  endCursor: String
}

type TitleConnection {
  nodes: [Title!]!
  pageInfo: PageInfo!
}

type Query {
  titles(first: Int = 10, after: String): TitleConnection!
  title(id: ID!): Title
}
`},
		{Name: "video", URL: "http://127.0.0.1:4002/graphql", SDL: `extend schema
  @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

type Title @key(fields: "id") {
  id: ID!
  videos: [Video!]!
}

type Video @key(fields: "id") {
  id: ID!
  name: String!
  durationSeconds: Int!
}

type Playback {
  video: Video!
  positionSeconds: Int!
}

type Mutation {
  startPlayback(videoId: ID!): Playback!
}
`},
		{Name: "chat", URL: "http://127.0.0.1:4003/graphql", SDL: `extend schema
  @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable", "@external", "@provides"])

type ChatRoom @key(fields: "id") {
  id: ID!
  "Rooms keep their title's name, so it needs no catalog fetch."
  title: Title! @provides(fields: "name")
  messages(first: Int = 20, before: String): MessageConnection!
}

type Title @key(fields: "id") {
  id: ID!
  name: String! @external
  chatRoom: ChatRoom
}

type Message @key(fields: "id") {
  id: ID!
  body: String!
  author: Profile!
}

type MessageConnection {
  nodes: [Message!]!
  pageInfo: PageInfo!
}

type PageInfo @shareable {
  hasNextPage: Boolean!
  endCursor: String
}

type Profile @key(fields: "id", resolvable: false) {
  id: ID!
}

type Query {
  chatRoom(id: ID!): ChatRoom
}

type Subscription {
  messageAdded(roomId: ID!): Message!
}
`},
		{Name: "insights", URL: "http://127.0.0.1:4004/graphql", SDL: `extend schema
  @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@requires"])

type Message @key(fields: "id") {
  id: ID!
  body: String! @external
  sentiment: Sentiment! @requires(fields: "body")
}

type Sentiment {
  label: SentimentLabel!
  score: Float!
}

enum SentimentLabel {
  POSITIVE
  NEUTRAL
  NEGATIVE
}

type Title @key(fields: "id") {
  id: ID!
  audienceSentiment: Sentiment
}
`},
	}
}

// assertGolden compares got with testdata/name, rewriting it with -update.
func assertGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatalf("write golden %s: %v", path, err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden %s (run with -update to create it): %v", path, err)
	}
	if string(want) != got {
		t.Errorf("%s differs from the composed output (run with -update to accept):\n%s", path, firstDiff(string(want), got))
	}
}

// firstDiff shows the first differing line, enough to find the problem.
func firstDiff(want, got string) string {
	wl, gl := splitLines(want), splitLines(got)
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return fmt.Sprintf("line %d:\n  want: %q\n  got:  %q", i+1, w, g)
		}
	}
	return "(no line differs)"
}

func splitLines(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

func TestComposeStreaming(t *testing.T) {
	t.Parallel()
	out, err := Compose(streamingSubgraphs())
	if err != nil {
		t.Fatalf("Compose: %v", err)
	}
	assertGolden(t, "compose/streaming.graphql", out)
}
