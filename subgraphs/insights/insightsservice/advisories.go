package insightsservice

import (
	"context"
	"fmt"
)

// AdvisoryKind is what an advisory warns of; the values match the GraphQL
// AdvisoryKind enum.
type AdvisoryKind string

// The advisory kinds.
const (
	AdvisoryNudity AdvisoryKind = "NUDITY"
)

// advisoryKinds maps detector labels to the advisory they raise, in the
// order advisories are listed. Labels of other models raise none until
// they are added here.
var advisoryKinds = []struct {
	kind   AdvisoryKind
	labels []string
}{
	{AdvisoryNudity, []string{"FEMALE_BREAST_EXPOSED", "FEMALE_GENITALIA_EXPOSED", "MALE_GENITALIA_EXPOSED", "BUTTOCKS_EXPOSED", "ANUS_EXPOSED"}},
}

const (
	// AdvisoryMinConfidence is the detector confidence a detection needs
	// to count as evidence; below it the model's false positives (a coffee
	// cup seen as BUTTOCKS_EXPOSED at 0.30) would raise advisories.
	AdvisoryMinConfidence = 0.5
	// MaxAdvisoryEvidence bounds the detections listed per advisory.
	MaxAdvisoryEvidence = 5
)

// Advisory warns viewers of a title of something its videos show.
type Advisory struct {
	Kind AdvisoryKind
	// Evidence is the detections behind it, most confident first.
	Evidence []Detection
}

// Advisories returns each title's advisories, one slice per id, in order:
// an advisory per kind that at least one confident detection in the
// title's frames raises.
func (s *Service) Advisories(ctx context.Context, titleIDs []string) ([][]Advisory, error) {
	if err := CheckIDs("titleId", titleIDs); err != nil {
		return nil, err
	}
	found, err := s.store.DetectionsByTitleIDs(ctx, titleIDs, AdvisoryMinConfidence)
	if err != nil {
		return nil, fmt.Errorf("load detections of %d titles: %w", len(titleIDs), err)
	}
	out := make([][]Advisory, len(titleIDs))
	for i, ds := range found {
		out[i] = advisories(ds)
	}
	return out, nil
}

// advisories groups detections, most confident first, into advisories.
func advisories(ds []Detection) []Advisory {
	out := []Advisory{}
	for _, k := range advisoryKinds {
		var evidence []Detection
		for _, d := range ds {
			if len(evidence) == MaxAdvisoryEvidence {
				break
			}
			for _, l := range k.labels {
				if d.Label == l {
					evidence = append(evidence, d)
					break
				}
			}
		}
		if len(evidence) > 0 {
			out = append(out, Advisory{Kind: k.kind, Evidence: evidence})
		}
	}
	return out
}
