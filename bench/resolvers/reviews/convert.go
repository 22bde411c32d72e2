package reviews

import (
	"github.com/cinegraph/cinegraph/bench/fixtures"
	"github.com/cinegraph/cinegraph/bench/graph/reviews/model"
)

func review(r *fixtures.Review) *model.Review {
	if r == nil {
		return nil
	}
	body := r.Body
	return &model.Review{ID: r.ID, Body: &body}
}

func reviewList(rs []*fixtures.Review) []*model.Review {
	out := make([]*model.Review, len(rs))
	for i, r := range rs {
		out[i] = review(r)
	}
	return out
}
