package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/cinegraph/cinegraph/app"
	"github.com/cinegraph/cinegraph/internal/config"
)

// load is how hard and how long to drive one mode: clients request
// loops (closed loop), or, with rate set, requests started at that many a
// second whatever the answers' pace (open loop).
type load struct {
	clients  int
	rate     float64
	warmup   time.Duration
	duration time.Duration
	// profile, when set, names the file a CPU profile of the measured
	// phase goes to.
	profile string
}

// drive runs l's load on endpoint for d.
func (l load) drive(ctx context.Context, client *http.Client, endpoint string, d time.Duration) (latencies, error) {
	if l.rate > 0 {
		return driveRate(ctx, client, endpoint, l.rate, d)
	}
	return drive(ctx, client, endpoint, l.clients, d)
}

// result is one mode's figures.
type result struct {
	mode      string
	requests  int
	failures  int
	perSecond float64
	// p50, p95 and p99 latencies; in open loop from when each request was
	// due, so a platform that falls behind shows it.
	p50, p95, p99 time.Duration
	calls         map[string]int64 // request-path store calls during the run
}

// callsPerRequest is the store calls one request caused, on average.
func (r result) callsPerRequest(name string) float64 {
	if r.requests == 0 {
		return 0
	}
	return float64(r.calls[name]) / float64(r.requests)
}

// measure opens the platform in cfg's mode with counting stores, serves it
// on a loopback port and drives the page query against it.
func measure(ctx context.Context, cfg config.Config, logger *slog.Logger, l load) (result, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return result{}, fmt.Errorf("listen: %w", err)
	}
	base := "http://" + ln.Addr().String()
	counts := newCounters()
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	p, err := app.OpenWith(runCtx, cfg, logger, counts.options())
	if err != nil {
		_ = ln.Close()
		return result{}, fmt.Errorf("open platform: %w", err)
	}
	served := make(chan error, 1)
	go func() { served <- app.Serve(runCtx, ln, p.Handler(), p.Health(), cfg.Server, 5*time.Second, logger) }()
	defer func() {
		stop()
		if err := <-served; err != nil {
			logger.Warn("serve", "err", err)
		}
		if err := p.Close(); err != nil {
			logger.Warn("close platform", "err", err)
		}
	}()

	// An open loop keeps as many connections as requests overlap.
	idle := l.clients
	if l.rate > 0 {
		idle = 256
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: idle}, Timeout: 30 * time.Second}
	endpoint := base + "/graphql"
	if err := ask(ctx, client, endpoint); err != nil {
		return result{}, fmt.Errorf("first query: %w", err)
	}
	if _, err := l.drive(ctx, client, endpoint, l.warmup); err != nil {
		return result{}, err
	}
	before := counts.snapshot()
	stopProfile, err := startProfile(l.profile, cfg.Storage.Mode)
	if err != nil {
		return result{}, err
	}
	lat, err := l.drive(ctx, client, endpoint, l.duration)
	if perr := stopProfile(); perr != nil && err == nil {
		err = perr
	}
	if err != nil {
		return result{}, err
	}
	after := counts.snapshot()
	r := result{calls: map[string]int64{}}
	for n := range after {
		r.calls[n] = after[n] - before[n]
	}
	r.requests = len(lat.ok)
	r.failures = lat.failed
	r.perSecond = float64(r.requests) / l.duration.Seconds()
	slices.Sort(lat.ok)
	r.p50, r.p95, r.p99 = percentile(lat.ok, 0.50), percentile(lat.ok, 0.95), percentile(lat.ok, 0.99)
	return r, nil
}

// startProfile starts a CPU profile into path with the mode before its
// extension (page.pprof: page-embedded.pprof), or does nothing without a
// path, and returns what stops it.
func startProfile(path, mode string) (func() error, error) {
	if path == "" {
		return func() error { return nil }, nil
	}
	ext := filepath.Ext(path)
	path = strings.TrimSuffix(path, ext) + "-" + mode + ext
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	fmt.Fprintf(os.Stderr, "%s: CPU profile in %s\n", mode, path)
	return func() error {
		pprof.StopCPUProfile()
		return f.Close()
	}, nil
}

// latencies are the durations of the successful requests of a run.
type latencies struct {
	ok     []time.Duration
	failed int
}

// drive runs clients concurrent request loops for d.
func drive(ctx context.Context, client *http.Client, endpoint string, clients int, d time.Duration) (latencies, error) {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var (
		mu    sync.Mutex
		all   latencies
		first error
		wg    sync.WaitGroup
	)
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				start := time.Now()
				err := ask(ctx, client, endpoint)
				took := time.Since(start)
				if ctx.Err() != nil {
					return // cut short by the end of the run
				}
				mu.Lock()
				if err != nil {
					all.failed++
					if first == nil {
						first = err
					}
				} else {
					all.ok = append(all.ok, took)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(all.ok) == 0 && first != nil {
		return all, fmt.Errorf("every request failed: %w", first)
	}
	return all, nil
}

// maxInFlight bounds the open loop's outstanding requests; a request due
// while that many are waiting fails, as a client would time out.
const maxInFlight = 2000

// driveRate starts a request every 1/rate seconds for d, each on its own
// goroutine, and times each from when it was due (so queueing in the
// client or the platform counts, which closed loops hide), waiting for the
// stragglers at the end.
func driveRate(ctx context.Context, client *http.Client, endpoint string, rate float64, d time.Duration) (latencies, error) {
	interval := time.Duration(float64(time.Second) / rate)
	var (
		mu       sync.Mutex
		all      latencies
		first    error
		wg       sync.WaitGroup
		inFlight = make(chan struct{}, maxInFlight)
	)
	start := time.Now()
	for i := 0; ; i++ {
		due := start.Add(time.Duration(i) * interval)
		if due.Sub(start) >= d || ctx.Err() != nil {
			break
		}
		if wait := time.Until(due); wait > 0 {
			time.Sleep(wait)
		}
		select {
		case inFlight <- struct{}{}:
		default:
			mu.Lock()
			all.failed++
			mu.Unlock()
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-inFlight }()
			err := ask(ctx, client, endpoint)
			took := time.Since(due)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				all.failed++
				if first == nil {
					first = err
				}
				return
			}
			all.ok = append(all.ok, took)
		}()
	}
	wg.Wait()
	if len(all.ok) == 0 && first != nil {
		return all, fmt.Errorf("every request failed: %w", first)
	}
	return all, nil
}

// pageAnswer is the part of the answer checked on every request.
type pageAnswer struct {
	Data struct {
		Titles struct {
			Edges []struct {
				Node struct {
					ID string `json:"id"`
				} `json:"node"`
			} `json:"edges"`
		} `json:"titles"`
	} `json:"data"`
	Errors []json.RawMessage `json:"errors"`
}

// ask sends the page query once and checks it came back whole.
func ask(ctx context.Context, client *http.Client, endpoint string) error {
	body, err := json.Marshal(map[string]string{"query": pageQuery})
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("read answer: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d: %.200s", resp.StatusCode, raw)
	}
	var a pageAnswer
	if err := json.Unmarshal(raw, &a); err != nil {
		return fmt.Errorf("decode answer: %w", err)
	}
	if len(a.Errors) > 0 {
		return fmt.Errorf("graphql errors: %s", a.Errors[0])
	}
	if len(a.Data.Titles.Edges) == 0 {
		return errors.New("no titles in the answer")
	}
	return nil
}

// percentile returns the q quantile of sorted (nearest rank).
func percentile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(q*float64(len(sorted))+0.5) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}
