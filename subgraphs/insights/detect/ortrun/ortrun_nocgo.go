//go:build !cgo

// Package ortrun runs ONNX models with ONNX Runtime's shared library. This
// build has no cgo, so it cannot load the library and Open always reports
// detect.ErrUnavailable.
package ortrun

import (
	"context"
	"fmt"

	"github.com/cinegraph/cinegraph/subgraphs/insights/detect"
)

// Options configure a Session.
type Options struct {
	Device  string
	Threads int
}

// Session is never opened in builds without cgo.
type Session struct{}

var _ detect.Runner = (*Session)(nil)

// Open reports that this build cannot run ONNX models.
func Open(lib, modelPath string, opts Options) (*Session, error) {
	return nil, fmt.Errorf("%w: built without cgo, which ONNX Runtime needs", detect.ErrUnavailable)
}

// Device is empty: nothing runs.
func (s *Session) Device() string { return "" }

// InputSize is 0: nothing runs.
func (s *Session) InputSize() int { return 0 }

// Run implements detect.Runner.
func (s *Session) Run(context.Context, []float32, int, int) ([]float32, []int64, error) {
	return nil, nil, detect.ErrUnavailable
}

// Close implements detect.Runner.
func (s *Session) Close() error { return nil }
