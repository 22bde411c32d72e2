package insights

import (
	"context"

	"github.com/99designs/gqlgen/graphql"

	"github.com/cinegraph/cinegraph/graph/insights/model"
	"github.com/cinegraph/cinegraph/subgraphs/insights/insightsloaders"
	"github.com/cinegraph/cinegraph/subgraphs/insights/insightsservice"
	"github.com/cinegraph/cinegraph/subgraphs/insights/sentiment"
)

// entities builds one entity per representation from its id and returns
// the well-formed ids. A malformed id fails only its own entity: the batch
// error list reports it at its index.
func entities[R, E any](reps []R, idOf func(R) string, build func(id string) E) ([]E, []string, error) {
	out := make([]E, len(reps))
	ids := make([]string, 0, len(reps))
	var failed graphql.BatchErrorList
	for i, rep := range reps {
		id := idOf(rep)
		if err := insightsservice.CheckID("id", id); err != nil {
			if failed == nil {
				failed = make(graphql.BatchErrorList, len(reps))
			}
			failed[i] = err
			continue
		}
		out[i] = build(id)
		ids = append(ids, id)
	}
	if failed != nil {
		return out, ids, failed
	}
	return out, ids, nil
}

// prefetchSelected loads a relation for a whole page of entities in one
// call when the operation selects it (field on typeName), so the page costs
// one store call however the field resolvers are scheduled.
func prefetchSelected(ctx context.Context, typeName, field string, ids []string, load func(*insightsloaders.Loaders, context.Context, []string) error) error {
	if len(ids) == 0 || !selected(ctx, typeName, field) {
		return nil
	}
	return load(insightsloaders.For(ctx), ctx, ids)
}

// selected reports whether the current field's selection asks typeName for
// field, directly or through fragments.
func selected(ctx context.Context, typeName, field string) bool {
	if !graphql.HasOperationContext(ctx) || graphql.GetFieldContext(ctx) == nil {
		return false
	}
	for _, f := range graphql.CollectFieldsCtx(ctx, []string{typeName}) {
		if f.Name == field {
			return true
		}
	}
	return false
}

func toSentiment(r sentiment.Result) *model.Sentiment {
	return &model.Sentiment{Label: model.SentimentLabel(r.Label), Score: r.Score, Model: r.Model}
}

func toAudience(a insightsservice.Audience) *model.AudienceSentiment {
	return &model.AudienceSentiment{
		MessageCount: a.MessageCount,
		Positive:     a.Positive,
		Neutral:      a.Neutral,
		Negative:     a.Negative,
		AverageScore: a.AverageScore(),
		Label:        model.SentimentLabel(a.Label()),
	}
}

func toDetections(ds []insightsservice.Detection) []*model.Detection {
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

func toRecommendations(recs []insightsservice.Recommendation) []*model.Recommendation {
	out := make([]*model.Recommendation, len(recs))
	for i, r := range recs {
		because := make([]*model.Title, len(r.Because))
		for j, id := range r.Because {
			because[j] = &model.Title{ID: id}
		}
		out[i] = &model.Recommendation{Title: &model.Title{ID: r.TitleID}, Score: r.Score, Reason: r.Reason, BecauseYouWatched: because}
	}
	return out
}

func toAdvisories(as []insightsservice.Advisory) []*model.ContentAdvisory {
	out := make([]*model.ContentAdvisory, len(as))
	for i, a := range as {
		evidence := make([]*model.AdvisoryEvidence, len(a.Evidence))
		for j, d := range a.Evidence {
			evidence[j] = &model.AdvisoryEvidence{
				Video: &model.Video{ID: d.VideoID}, AtSeconds: d.AtSeconds, Label: d.Label, Confidence: d.Confidence, Source: d.Source,
			}
		}
		out[i] = &model.ContentAdvisory{Kind: model.AdvisoryKind(a.Kind), Evidence: evidence}
	}
	return out
}
