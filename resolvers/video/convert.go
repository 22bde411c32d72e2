package video

import (
	"fmt"

	"github.com/cinegraph/cinegraph/graph/video/model"
	"github.com/cinegraph/cinegraph/subgraphs/video/videoservice"
)

func kindToModel(k videoservice.VideoKind) (model.VideoKind, error) {
	m := model.VideoKind(k)
	if !m.IsValid() {
		return "", fmt.Errorf("video kind %q has no GraphQL value", k)
	}
	return m, nil
}

func codecToModel(c videoservice.Codec) (model.VideoCodec, error) {
	m := model.VideoCodec(c)
	if !m.IsValid() {
		return "", fmt.Errorf("codec %q has no GraphQL value", c)
	}
	return m, nil
}

// pointers never returns nil: the lists it feeds are nullable, and null
// there means the video subgraph failed, while no items is [].
func pointers[T any](items []T) []*T {
	out := make([]*T, len(items))
	for i := range items {
		out[i] = &items[i]
	}
	return out
}

// intOr reads an argument that has a schema default, which gqlgen passes
// as a pointer.
func intOr(p *int, fallback int) int {
	if p == nil {
		return fallback
	}
	return *p
}
