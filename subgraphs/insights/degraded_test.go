package insights_test

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"testing"

	"github.com/99designs/gqlgen/client"

	"github.com/cinegraph/cinegraph/internal/depguard"
	"github.com/cinegraph/cinegraph/internal/viewer/viewertest"
	"github.com/cinegraph/cinegraph/subgraphs/insights"
	"github.com/cinegraph/cinegraph/subgraphs/insights/insightsservice"
	"github.com/cinegraph/cinegraph/subgraphs/insights/sentiment"
)

var errDown = errors.New("dependency down")

// downModel is a sentiment model served elsewhere that cannot be reached;
// seeding still scores with the lexicon it embeds.
type downModel struct{ sentiment.Model }

func (downModel) ScoreContext(context.Context, string) (sentiment.Result, error) {
	return sentiment.Result{}, errDown
}

// downHistory is a store whose viewing history cannot be read, so the
// personal ranking fails while popular titles still load.
type downHistory struct{ *countingStore }

func (downHistory) WatchedTitlesByProfileIDs(context.Context, []string) ([][]string, error) {
	return nil, errDown
}

const degradedQuery = `query($reps: [_Any!]!) {
	_entities(representations: $reps) {
		... on Message { id sentiment { label } }
		... on Profile { id recommendations(first: 3) { title { id } reason } }
	}
}`

type degradedEntity struct {
	ID        string
	Sentiment *struct{ Label string }
	// Null when insights cannot answer; absent from the JSON for messages.
	Recommendations []struct {
		Title  struct{ ID string }
		Reason string
	}
}

func TestFallbacksMarkResponsesDegraded(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		opts     func(t *testing.T) insights.Options
		rep      map[string]any
		check    func(t *testing.T, e degradedEntity)
		wantMark depguard.Mark
	}{
		{
			name: "sentiment model down: null sentiment, message kept",
			opts: func(t *testing.T) insights.Options {
				return insights.Options{DataDir: t.TempDir(), Model: downModel{sentiment.NewVader()}}
			},
			rep: map[string]any{"__typename": "Message", "id": "m-live-1", "body": "What a wonderful twist, I love it"},
			check: func(t *testing.T, e degradedEntity) {
				if e.ID != "m-live-1" || e.Sentiment != nil {
					t.Fatalf("message %+v, want it with a null sentiment", e)
				}
			},
			wantMark: depguard.Mark{Dependency: insightsservice.SentimentDependency, Fallback: insightsservice.SentimentFallbackNull},
		},
		{
			name: "ranking down: popular titles",
			opts: func(t *testing.T) insights.Options {
				return insights.Options{Store: downHistory{newCountingStore(t)}}
			},
			rep: map[string]any{"__typename": "Profile", "id": "profile-1"},
			check: func(t *testing.T, e degradedEntity) {
				if e.ID != "profile-1" || len(e.Recommendations) != 3 {
					t.Fatalf("profile %+v, want 3 popular titles", e)
				}
			},
			wantMark: depguard.Mark{Dependency: insightsservice.RecommendationsDependency, Fallback: insightsservice.RecommendationsFallbackPopular},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			sg := open(t, tc.opts(t))
			c := viewertest.Client(sg.Handler(), viewertest.As("profile-1"))
			raw, err := c.RawPost(degradedQuery, client.Var("reps", []map[string]any{tc.rep}))
			if err != nil {
				t.Fatal(err)
			}
			if len(raw.Errors) > 0 {
				t.Fatalf("errors: %s", raw.Errors)
			}
			var data struct {
				Entities []degradedEntity `json:"_entities"`
			}
			b, _ := json.Marshal(raw.Data)
			if err := json.Unmarshal(b, &data); err != nil || len(data.Entities) != 1 {
				t.Fatalf("data %s: %v", b, err)
			}
			tc.check(t, data.Entities[0])

			var marks []depguard.Mark
			b, _ = json.Marshal(raw.Extensions["degraded"])
			if err := json.Unmarshal(b, &marks); err != nil || !reflect.DeepEqual(marks, []depguard.Mark{tc.wantMark}) {
				t.Fatalf("extensions.degraded = %s, want [%+v]", b, tc.wantMark)
			}
			r := sg.Dependencies().Report()[tc.wantMark.Dependency]
			if r.Failures != 1 || r.Fallbacks[tc.wantMark.Fallback] != 1 {
				t.Fatalf("report %+v", r)
			}
		})
	}
}

func TestHealthyDependenciesAreNotDegraded(t *testing.T) {
	t.Parallel()
	sg := open(t, insights.Options{DataDir: t.TempDir()})
	c := viewertest.Client(sg.Handler(), viewertest.As("profile-1"))
	raw, err := c.RawPost(degradedQuery, client.Var("reps", []map[string]any{
		{"__typename": "Message", "id": "m-live-1", "body": "I love it"},
		{"__typename": "Profile", "id": "profile-1"},
	}))
	if err != nil || len(raw.Errors) > 0 {
		t.Fatalf("%v %s", err, raw.Errors)
	}
	if d, ok := raw.Extensions["degraded"]; ok {
		t.Fatalf("extensions.degraded = %v", d)
	}
	for name, r := range sg.Dependencies().Report() {
		if r.Successes != 1 || r.Failures != 0 || r.State != "closed" {
			t.Errorf("%s: %+v", name, r)
		}
	}
}

func TestModelDownLeavesLiveMessageUnscored(t *testing.T) {
	t.Parallel()
	svc := insightsservice.New(newCountingStore(t), insightsservice.WithModel(downModel{sentiment.NewVader()}))
	_, err := svc.RecordMessage(context.Background(), insightsservice.ChatMessagePosted{ID: "m1", RoomID: "room-1", TitleID: "t1", Body: "great"})
	if !errors.Is(err, errDown) {
		t.Fatalf("err = %v: the consumer should retry the message later", err)
	}
}
