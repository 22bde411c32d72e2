// Package detect finds objects in video frames with YOLO-family models: the
// Detector contract the insights subgraph depends on, and YOLO, which turns
// frames into a model's input tensor (letterbox, normalisation) and its
// output tensor back into labelled boxes (confidence threshold, per-class
// non-maximum suppression). Running the model itself is a Runner's job, so
// the runtime (ONNX Runtime on CPU or GPU, or a fake in tests) is chosen by
// configuration.
package detect

import (
	"context"
	"errors"
	"image"
)

// Box places an object in its frame, each value from 0 to 1 relative to the
// frame's width or height; X and Y are the top-left corner.
type Box struct {
	X, Y, W, H float64
}

// Object is one thing a model saw in a frame.
type Object struct {
	Label string
	// Score is the model's confidence, 0 to 1.
	Score float64
	Box   Box
}

// Detector finds objects in frames. Implementations are safe for concurrent
// use.
type Detector interface {
	// Name identifies the model and its version, e.g. "nudenet-320n@3.4.2";
	// detections carry it as their source.
	Name() string
	// Detect returns the objects of each frame, one slice per frame, in
	// order. Frames are processed as one batch where the model allows.
	Detect(ctx context.Context, frames []image.Image) ([][]Object, error)
	// Close releases the model.
	Close() error
}

// ErrUnavailable reports that detection is off: no model or no runtime is
// installed, or this build cannot load one.
var ErrUnavailable = errors.New("object detection unavailable")
