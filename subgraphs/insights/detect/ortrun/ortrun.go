//go:build cgo

// Package ortrun runs ONNX models with ONNX Runtime's shared library
// (libonnxruntime.so, loaded at start-up from a path), on the CUDA
// execution provider when asked and available, else on the CPU. Builds
// without cgo cannot load the library; there Open reports
// detect.ErrUnavailable.
package ortrun

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"

	ort "github.com/yalue/onnxruntime_go"

	"github.com/cinegraph/cinegraph/subgraphs/insights/detect"
)

// The ONNX Runtime environment is per process: initialised once, for the
// first library path given.
var (
	envOnce sync.Once
	envErr  error
	envLib  string
)

func initEnv(lib string) error {
	envOnce.Do(func() {
		envLib = lib
		ort.SetSharedLibraryPath(lib)
		envErr = ort.InitializeEnvironment()
	})
	if envErr != nil {
		return fmt.Errorf("load ONNX Runtime from %s: %w", envLib, envErr)
	}
	if lib != envLib {
		return fmt.Errorf("ONNX Runtime already loaded from %s, not %s", envLib, lib)
	}
	return nil
}

// Session is one model loaded into ONNX Runtime. It implements
// detect.Runner for models with one square image input and one output.
type Session struct {
	session *ort.DynamicAdvancedSession
	// size is the input side the model fixes, or -1 when it takes any.
	size   int
	device string
}

var _ detect.Runner = (*Session)(nil)

// Open loads the model at modelPath with the runtime library at lib, on
// the given device (see Options).
func Open(lib, modelPath string, opts Options) (*Session, error) {
	for _, p := range []string{lib, modelPath} {
		if _, err := os.Stat(p); err != nil {
			return nil, fmt.Errorf("%w: %v", detect.ErrUnavailable, err)
		}
	}
	if err := initEnv(lib); err != nil {
		return nil, err
	}
	ins, outs, err := ort.GetInputOutputInfo(modelPath)
	if err != nil {
		return nil, fmt.Errorf("read model %s: %w", modelPath, err)
	}
	if len(ins) != 1 || len(outs) != 1 {
		return nil, fmt.Errorf("model %s has %d inputs and %d outputs, want one of each", modelPath, len(ins), len(outs))
	}
	// Dimensions of -1 are dynamic: the batch, and the side for models
	// exported to take several input sizes.
	dims := ins[0].Dimensions
	if len(dims) != 4 || dims[1] != 3 || dims[2] != dims[3] {
		return nil, fmt.Errorf("model %s input %s has shape %v, want [batch 3 size size]", modelPath, ins[0].Name, dims)
	}
	so, err := ort.NewSessionOptions()
	if err != nil {
		return nil, fmt.Errorf("session options: %w", err)
	}
	defer func() { _ = so.Destroy() }()
	if opts.Threads > 0 {
		if err := so.SetIntraOpNumThreads(opts.Threads); err != nil {
			return nil, fmt.Errorf("set threads: %w", err)
		}
	}
	device, err := chooseDevice(so, opts.Device)
	if err != nil {
		return nil, err
	}
	s, err := ort.NewDynamicAdvancedSession(modelPath, []string{ins[0].Name}, []string{outs[0].Name}, so)
	if err != nil {
		return nil, fmt.Errorf("load model %s on %s: %w", modelPath, device, err)
	}
	return &Session{session: s, size: int(dims[2]), device: device}, nil
}

// Options configure a Session.
type Options struct {
	// Device is "cpu", "cuda" (fail without a GPU) or "auto" (CUDA when the
	// runtime and a GPU allow it, else CPU); empty means auto.
	Device string
	// Threads bounds ONNX Runtime's intra-op threads; 0 lets it choose.
	Threads int
}

func chooseDevice(so *ort.SessionOptions, want string) (string, error) {
	switch want {
	case "cpu":
		return "cpu", nil
	case "", "auto", "cuda":
	default:
		return "", fmt.Errorf("device %q is not cpu, cuda or auto", want)
	}
	cuda, err := ort.NewCUDAProviderOptions()
	if err == nil {
		defer func() { _ = cuda.Destroy() }()
		err = so.AppendExecutionProviderCUDA(cuda)
	}
	if err == nil {
		return "cuda", nil
	}
	if want == "cuda" {
		return "", fmt.Errorf("CUDA execution provider: %w", err)
	}
	return "cpu", nil
}

// Device is where the model runs: "cpu" or "cuda".
func (s *Session) Device() string { return s.device }

// InputSize is the side of the square input the model fixes, or -1 when it
// takes any.
func (s *Session) InputSize() int { return s.size }

// Run implements detect.Runner.
func (s *Session) Run(ctx context.Context, input []float32, batch, size int) ([]float32, []int64, error) {
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	if s.size > 0 && size != s.size {
		return nil, nil, fmt.Errorf("input side %d, the model takes %d", size, s.size)
	}
	in, err := ort.NewTensor(ort.NewShape(int64(batch), 3, int64(size), int64(size)), input)
	if err != nil {
		return nil, nil, fmt.Errorf("input tensor: %w", err)
	}
	defer func() { _ = in.Destroy() }()
	outputs := []ort.Value{nil}
	if err := s.session.Run([]ort.Value{in}, outputs); err != nil {
		return nil, nil, fmt.Errorf("run: %w", err)
	}
	defer func() { _ = outputs[0].Destroy() }()
	t, ok := outputs[0].(*ort.Tensor[float32])
	if !ok {
		return nil, nil, errors.New("output is not a float32 tensor")
	}
	shape := t.GetShape()
	data := append([]float32(nil), t.GetData()...)
	return data, append([]int64(nil), shape...), nil
}

// Close implements detect.Runner.
func (s *Session) Close() error { return s.session.Destroy() }
