package insightsservice

import (
	"math"
	"regexp"
	"unicode/utf8"

	"github.com/cinegraph/cinegraph/internal/errs"
)

// Input bounds.
const (
	// MaxBodyRunes bounds a message body scored for sentiment.
	MaxBodyRunes = 4000
	// MaxRecommendations bounds Profile.recommendations(first).
	MaxRecommendations = 50
	// MaxBatch bounds the keys in one batched read, e.g. representations.
	MaxBatch = 1000
	// MaxFramesPerEvent bounds the keyframes of one FramesCaptured event,
	// which the detector runs together.
	MaxFramesPerEvent = 64
)

// validID matches every id Cinegraph mints: seeded ids such as t0001,
// m-t0001-001 or profile-1, and UUIDs for live entities.
var validID = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$`)

// CheckID reports a malformed id in field.
func CheckID(field, id string) error {
	if id == "" {
		return errs.Invalid(field, "%s is empty", field)
	}
	if !validID.MatchString(id) {
		return errs.Invalid(field, "%s %q is malformed: want letters, digits, '-', '_', '.' or ':' (at most 128)", field, id)
	}
	return nil
}

// CheckIDs reports the first malformed id in ids, or too many ids.
func CheckIDs(field string, ids []string) error {
	if len(ids) > MaxBatch {
		return errs.Invalid(field, "at most %d %s per request, got %d", MaxBatch, field, len(ids))
	}
	for _, id := range ids {
		if err := CheckID(field, id); err != nil {
			return err
		}
	}
	return nil
}

// CheckBody reports a message body that cannot be scored. Chat never stores
// an empty body, so an empty one means the representation lacked it.
func CheckBody(body string) error {
	if body == "" {
		return errs.Invalid("body", "message body is required: the representation must carry it (@requires body)")
	}
	if !utf8.ValidString(body) {
		return errs.Invalid("body", "message body is not valid UTF-8")
	}
	if n := utf8.RuneCountInString(body); n > MaxBodyRunes {
		return errs.Invalid("body", "message body has %d characters, at most %d are scored", n, MaxBodyRunes)
	}
	return nil
}

// CheckMinConfidence reports a confidence floor outside 0..1.
func CheckMinConfidence(minConfidence float64) error {
	if math.IsNaN(minConfidence) || minConfidence < 0 || minConfidence > 1 {
		return errs.Invalid("minConfidence", "minConfidence must be within 0..1, got %v", minConfidence)
	}
	return nil
}

// CheckDuration reports a video duration that cannot bound detections.
func CheckDuration(durationSeconds int) error {
	if durationSeconds <= 0 {
		return errs.Invalid("durationSeconds", "durationSeconds must be positive: the representation must carry it (@requires durationSeconds), got %d", durationSeconds)
	}
	return nil
}

// CheckRecommendationsFirst reports a page size outside 1..MaxRecommendations.
func CheckRecommendationsFirst(first int) error {
	if first < 1 || first > MaxRecommendations {
		return errs.Invalid("first", "first must be within 1..%d, got %d", MaxRecommendations, first)
	}
	return nil
}
