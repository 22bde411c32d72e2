package insights

import (
	"github.com/99designs/gqlgen/graphql"

	"github.com/cinegraph/cinegraph/graph/insights/model"
	"github.com/cinegraph/cinegraph/subgraphs/insights/sentiment"
	"github.com/cinegraph/cinegraph/subgraphs/insights/service"
)

// entities builds one entity per representation from its id. A malformed id
// fails only its own entity: the batch error list reports it at its index.
func entities[R, E any](reps []R, idOf func(R) string, build func(id string) E) ([]E, error) {
	out := make([]E, len(reps))
	var failed graphql.BatchErrorList
	for i, rep := range reps {
		id := idOf(rep)
		if err := service.CheckID("id", id); err != nil {
			if failed == nil {
				failed = make(graphql.BatchErrorList, len(reps))
			}
			failed[i] = err
			continue
		}
		out[i] = build(id)
	}
	if failed != nil {
		return out, failed
	}
	return out, nil
}

func toSentiment(r sentiment.Result) *model.Sentiment {
	return &model.Sentiment{Label: model.SentimentLabel(r.Label), Score: r.Score, Model: r.Model}
}

func toAudience(a service.Audience) *model.AudienceSentiment {
	return &model.AudienceSentiment{
		MessageCount: a.MessageCount,
		Positive:     a.Positive,
		Neutral:      a.Neutral,
		Negative:     a.Negative,
		AverageScore: a.AverageScore(),
		Label:        model.SentimentLabel(a.Label()),
	}
}

func toDetections(ds []service.Detection) []*model.Detection {
	out := make([]*model.Detection, len(ds))
	for i, d := range ds {
		out[i] = &model.Detection{
			Label:      d.Label,
			Confidence: d.Confidence,
			AtSeconds:  d.AtSeconds,
			Box:        &model.BoundingBox{X: d.X, Y: d.Y, Width: d.W, Height: d.H},
			Source:     d.Source,
		}
	}
	return out
}

func toRecommendations(recs []service.Recommendation) []*model.Recommendation {
	out := make([]*model.Recommendation, len(recs))
	for i, r := range recs {
		out[i] = &model.Recommendation{Title: &model.Title{ID: r.TitleID}, Score: r.Score, Reason: r.Reason}
	}
	return out
}
