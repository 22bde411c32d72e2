// Package main is the insights benchmark behind `make bench-insights`: it
// measures the insights models as the event consumers run them, out of the
// request path. Sentiment: messages scored per second by each model over
// the labelled chat set, on one goroutine and on every core. Detection:
// frames per second through the YOLO detector at several batch sizes, on
// the device it starts on (ONNX Runtime's CUDA provider where the GPU
// runtime and a GPU are present, else the CPU), with the time per frame
// split into pre-processing and the model. It prints Markdown tables and
// never fails on timing.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"image"
	_ "image/jpeg"
	_ "image/png"
	"io"
	"log/slog"
	"os"
	"runtime"
	"sync"
	"time"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/internal/seed"
	"github.com/cinegraph/cinegraph/subgraphs/insights"
	"github.com/cinegraph/cinegraph/subgraphs/insights/detect"
	"github.com/cinegraph/cinegraph/subgraphs/insights/sentiment"
	"github.com/cinegraph/cinegraph/subgraphs/insights/sentiment/chatset"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "bench-insights:", err)
		os.Exit(1)
	}
}

func run() error {
	duration := flag.Duration("duration", 3*time.Second, "how long each measurement runs")
	device := flag.String("device", "auto", "where the detector runs: auto, cpu or cuda")
	modelsDir := flag.String("models-dir", "", "the models folder (default ~/.cache/cinegraph/models)")
	flag.Parse()

	fmt.Printf("GOMAXPROCS %d, %s/%s\n\n", runtime.GOMAXPROCS(0), runtime.GOOS, runtime.GOARCH)
	benchSentiment(*duration)

	ml := config.ML{ModelsDir: *modelsDir, Device: *device, Detection: true}
	det, err := insights.OpenDetection(context.Background(), ml, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return err
	}
	if det == nil {
		fmt.Printf("detection: not installed in %s (deploy/local/models.sh install); skipped\n", ml.Dir())
		return nil
	}
	defer func() { _ = det.Detector.Close() }()
	return benchDetection(det, *duration)
}

// benchSentiment scores the labelled chat messages over and over.
func benchSentiment(d time.Duration) {
	var texts []string
	for _, ex := range append(chatset.Tune(), chatset.HeldOut()...) {
		texts = append(texts, ex.Text)
	}
	fmt.Printf("## Sentiment (%d labelled chat messages, scored in a loop for %s)\n\n", len(texts), d)
	fmt.Println("| model | goroutines | messages/s | µs/message |")
	fmt.Println("|---|---:|---:|---:|")
	for _, m := range []sentiment.Model{sentiment.NewVader(), sentiment.NewChat()} {
		for _, workers := range []int{1, runtime.GOMAXPROCS(0)} {
			n, elapsed := loop(workers, d, func(i int) { m.Score(texts[i%len(texts)]) })
			rate := float64(n) / elapsed.Seconds()
			fmt.Printf("| %s | %d | %.0f | %.1f |\n", m.Name(), workers, rate, float64(workers)*1e6/rate)
		}
	}
	fmt.Println()
}

// loop calls f from workers goroutines until d passes and returns how many
// calls ended and the time taken.
func loop(workers int, d time.Duration, f func(i int)) (int, time.Duration) {
	var (
		mu    sync.Mutex
		total int
		wg    sync.WaitGroup
	)
	start := time.Now()
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n := 0
			for i := w; time.Since(start) < d; i += workers {
				f(i)
				n++
			}
			mu.Lock()
			total += n
			mu.Unlock()
		}()
	}
	wg.Wait()
	return total, time.Since(start)
}

// benchDetection runs the detector on the seed's sample frames in batches.
func benchDetection(det *insights.Detection, d time.Duration) error {
	var frames []image.Image
	for _, name := range seed.FrameImages {
		f, err := det.Frames.Open(name)
		if err != nil {
			return err
		}
		img, _, err := image.Decode(f)
		_ = f.Close()
		if err != nil {
			return fmt.Errorf("decode %s: %w", name, err)
		}
		frames = append(frames, img)
	}
	spec := detect.NudeNet
	fmt.Printf("## Detection (%s on %s, %d sample frames of 451×300 to 1000×872 pixels, %s per batch size)\n\n", det.Detector.Name(), det.Device, len(frames), d)
	fmt.Println("| batch | frames/s | ms/frame | of which pre-processing ms/frame |")
	fmt.Println("|---:|---:|---:|---:|")
	input := make([]float32, 3*spec.InputSize*spec.InputSize)
	for _, batch := range []int{1, 4, 8} {
		set := make([]image.Image, batch)
		for i := range set {
			set[i] = frames[i%len(frames)]
		}
		ctx := context.Background()
		// One warm-up run: the first allocates the runtime's buffers.
		if _, err := det.Detector.Detect(ctx, set); err != nil {
			return err
		}
		var runErr error
		n, elapsed := loop(1, d, func(int) {
			if _, err := det.Detector.Detect(ctx, set); err != nil && runErr == nil {
				runErr = err
			}
		})
		if runErr != nil {
			return errors.Join(fmt.Errorf("batch %d", batch), runErr)
		}
		pre, _ := timeIt(d/4, func(i int) { detect.Letterbox(frames[i%len(frames)], spec.InputSize, input) })
		perFrame := elapsed.Seconds() / float64(n*batch)
		fmt.Printf("| %d | %.1f | %.1f | %.1f |\n", batch, 1/perFrame, perFrame*1e3, pre*1e3)
	}
	fmt.Println()
	return nil
}

// timeIt returns the mean seconds per call of f over about d.
func timeIt(d time.Duration, f func(i int)) (float64, int) {
	n, elapsed := loop(1, d, f)
	return elapsed.Seconds() / float64(n), n
}
