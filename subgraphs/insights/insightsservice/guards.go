package insightsservice

import "github.com/cinegraph/cinegraph/internal/depguard"

// The dependencies the service guards (internal/depguard) and the
// fallbacks that answer while they fail.
const (
	// SentimentDependency is the sentiment model. While it fails a
	// Message's sentiment is null (SentimentFallbackNull); the message
	// itself is served.
	SentimentDependency   = "insights.sentiment"
	SentimentFallbackNull = "null"
	// RecommendationsDependency is the per-profile ranking (each
	// profile's viewing history against the popular titles). While it
	// fails every profile gets the most popular titles
	// (RecommendationsFallbackPopular), watched or not.
	RecommendationsDependency      = "insights.recommendations"
	RecommendationsFallbackPopular = "popular"
	// DetectionDependency is the object detector. While it fails, frames
	// wait in their topic: the consumer retries them, and videos keep the
	// detections they have.
	DetectionDependency = "insights.detection"
)

// WithDetectionGuard sets the guard around the object detector; a guard of
// default policy otherwise.
func WithDetectionGuard(g *depguard.Guard) Option {
	return func(s *Service) {
		if g != nil {
			s.detectionGuard = g
		}
	}
}

// WithSentimentGuard sets the guard around the sentiment model; a guard of
// default policy otherwise.
func WithSentimentGuard(g *depguard.Guard) Option {
	return func(s *Service) {
		if g != nil {
			s.sentimentGuard = g
		}
	}
}

// WithRecommendationsGuard sets the guard around the recommendations
// ranking; a guard of default policy otherwise.
func WithRecommendationsGuard(g *depguard.Guard) Option {
	return func(s *Service) {
		if g != nil {
			s.recommendationsGuard = g
		}
	}
}
