package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cinegraph/cinegraph/bench"
	"github.com/cinegraph/cinegraph/internal/compression"
)

// target is an endpoint under load and the process that serves it.
type target struct {
	name string
	url  string
	proc *process
}

// result aggregates every round of one target.
type result struct {
	target   string
	requests int64
	errors   int64
	elapsed  time.Duration
	cpu      time.Duration
	// subgraphCPU is the benchmark subgraphs' CPU (one process for all
	// four) while this target was measured.
	subgraphCPU time.Duration
	latencies   []time.Duration
	peakRSS     int64
	// roundCPU is each round's CPU per request in microseconds: their
	// spread is the noise a difference between targets is judged by.
	roundCPU []float64
}

func gomaxprocs() int { return runtime.GOMAXPROCS(0) }

// loadClient posts the benchmark's requests, sending acceptEncoding (none
// when empty) and decoding what comes back itself: net/http's transparent
// gzip is off, so a target is asked for compression only when the
// benchmark says.
type loadClient struct {
	*http.Client
	acceptEncoding string
}

func client(concurrency int, acceptEncoding string) *loadClient {
	return &loadClient{Client: &http.Client{
		Timeout: 10 * time.Second,
		Transport: &http.Transport{
			MaxIdleConns:        concurrency * 2,
			MaxIdleConnsPerHost: concurrency * 2,
			IdleConnTimeout:     time.Minute,
			DisableCompression:  true,
		},
	}, acceptEncoding: acceptEncoding}
}

// reply is a response's body, decoded, and what it took on the wire.
type reply struct {
	body     []byte
	wire     int
	encoding string
}

func post(ctx context.Context, c *loadClient, url string, body []byte) (reply, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return reply{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	if c.acceptEncoding != "" {
		req.Header.Set("Accept-Encoding", c.acceptEncoding)
	}
	resp, err := c.Do(req)
	if err != nil {
		return reply{}, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return reply{}, err
	}
	r := reply{body: raw, wire: len(raw), encoding: resp.Header.Get("Content-Encoding")}
	if r.encoding != "" {
		rd, release, err := compression.NewReader(resp.Header.Values("Content-Encoding"), bytes.NewReader(raw))
		if err != nil {
			return r, err
		}
		if release != nil {
			r.body, err = io.ReadAll(rd)
			release()
			if err != nil {
				return r, fmt.Errorf("decode %s response: %w", r.encoding, err)
			}
		}
	}
	if resp.StatusCode != http.StatusOK {
		return r, fmt.Errorf("status %d: %s", resp.StatusCode, r.body)
	}
	return r, nil
}

// verify checks that every target answers the scenario with the same data
// and no errors, so the figures compare like with like; it returns the
// size of each target's answer, decoded and on the wire.
func verify(ctx context.Context, o options, sc bench.Scenario, targets []target) ([]string, error) {
	c := client(1, o.acceptEncoding)
	var sizes []string
	// Every query of the scenario; sizes are the first's.
	for qi, q := range sc.Queries() {
		s, err := verifyQuery(ctx, c, sc, q, targets)
		if err != nil {
			return nil, err
		}
		if qi == 0 {
			sizes = s
		}
	}
	return sizes, nil
}

func verifyQuery(ctx context.Context, c *loadClient, sc bench.Scenario, query string, targets []target) ([]string, error) {
	body, _ := json.Marshal(map[string]string{"query": query})
	var first any
	var sizes []string
	for i, t := range targets {
		rep, err := post(ctx, c, t.url, body)
		if err != nil {
			return nil, fmt.Errorf("%s on %s: %w", sc.Name, t.name, err)
		}
		raw := rep.body
		enc := rep.encoding
		if enc == "" {
			enc = "identity"
		}
		sizes = append(sizes, fmt.Sprintf("%s %d bytes, %d on the wire (%s)", t.name, len(raw), rep.wire, enc))
		var resp struct {
			Data   any `json:"data"`
			Errors any `json:"errors"`
		}
		if err := json.Unmarshal(raw, &resp); err != nil || resp.Errors != nil || resp.Data == nil {
			return nil, fmt.Errorf("%s on %s answered %s", sc.Name, t.name, raw)
		}
		if i == 0 {
			first = resp.Data
		} else if !reflect.DeepEqual(first, resp.Data) {
			return nil, fmt.Errorf("%s: %s and %s answer differently:\n%s", sc.Name, targets[0].name, t.name, raw)
		}
	}
	return sizes, nil
}

func measure(ctx context.Context, o options, sc bench.Scenario, targets []target, subgraphs *process) ([]*result, error) {
	var body [][]byte
	for _, q := range sc.Queries() {
		b, _ := json.Marshal(map[string]string{"query": q, "operationName": sc.OperationName})
		body = append(body, b)
	}
	results := make([]*result, len(targets))
	for i, t := range targets {
		results[i] = &result{target: t.name}
	}
	c := client(o.concurrency, o.acceptEncoding)
	for round := 0; round < o.rounds; round++ {
		// Alternate the order so no target always runs on a warmer or
		// cooler machine.
		order := make([]int, len(targets))
		for i := range order {
			order[i] = (i + round) % len(targets)
		}
		for _, i := range order {
			t := targets[i]
			if _, _, err := load(ctx, c, t.url, body, o.concurrency, o.warmup); err != nil {
				return nil, fmt.Errorf("warm up %s: %w", t.name, err)
			}
			cpuBefore, err := t.proc.cpu()
			if err != nil {
				return nil, err
			}
			sgBefore, err := subgraphs.cpu()
			if err != nil {
				return nil, err
			}
			start := time.Now()
			lat, errs, err := load(ctx, c, t.url, body, o.concurrency, o.duration)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", t.name, err)
			}
			elapsed := time.Since(start)
			cpuAfter, err := t.proc.cpu()
			if err != nil {
				return nil, err
			}
			sgAfter, err := subgraphs.cpu()
			if err != nil {
				return nil, err
			}
			r := results[i]
			r.requests += int64(len(lat))
			r.errors += errs
			r.elapsed += elapsed
			r.cpu += cpuAfter - cpuBefore
			r.subgraphCPU += sgAfter - sgBefore
			r.latencies = append(r.latencies, lat...)
			if len(lat) > 0 {
				r.roundCPU = append(r.roundCPU, float64((cpuAfter-cpuBefore).Microseconds())/float64(len(lat)))
			}
		}
	}
	for i, t := range targets {
		rss, err := t.proc.peakRSS()
		if err != nil {
			return nil, err
		}
		results[i].peakRSS = rss
		slices.Sort(results[i].latencies)
	}
	return results, nil
}

// errorsKey marks a GraphQL response that carries errors.
var errorsKey = []byte(`"errors"`)

// load runs concurrency workers posting bodies in turn for d; it returns the
// latency of each successful request and the count of failed ones.
func load(ctx context.Context, c *loadClient, url string, bodies [][]byte, concurrency int, d time.Duration) ([]time.Duration, int64, error) {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var (
		mu     sync.Mutex
		all    []time.Duration
		failed atomic.Int64
		next   atomic.Int64
		wg     sync.WaitGroup
	)
	for w := 0; w < concurrency; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			local := make([]time.Duration, 0, 4096)
			for ctx.Err() == nil {
				start := time.Now()
				body := bodies[0]
				if len(bodies) > 1 {
					body = bodies[(next.Add(1)-1)%int64(len(bodies))]
				}
				rep, err := post(ctx, c, url, body)
				if ctx.Err() != nil {
					break
				}
				// A GraphQL error (a breaker refusing, a limit) answers fast
				// and would flatter the figures: it counts as a failure.
				if err != nil || bytes.Contains(rep.body, errorsKey) {
					failed.Add(1)
					continue
				}
				local = append(local, time.Since(start))
			}
			mu.Lock()
			all = append(all, local...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	if len(all) == 0 {
		return nil, failed.Load(), fmt.Errorf("no request succeeded (%d failed)", failed.Load())
	}
	return all, failed.Load(), nil
}
