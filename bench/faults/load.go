package faults

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"time"
)

// Kind is one query of the steady load, with the subgraph it needs besides
// catalog.
type Kind struct {
	Name  string
	Needs string
	Query string
}

// Kinds are the queries of the load: catalog alone, catalog with video,
// catalog with chat.
var Kinds = []Kind{
	{Name: "catalog", Query: `{ titles(first: 4) { edges { node { id name } } } }`},
	{Name: "catalog+video", Needs: "video", Query: `{ titles(first: 4) { edges { node { id name videos { id name } } } } }`},
	{Name: "catalog+chat", Needs: "chat", Query: `{ titles(first: 4) { edges { node { id name chatRoom { id messageCount } } } } }`},
}

// allSubgraphs touches every subgraph: Start waits until it is answered.
const allSubgraphs = `{ titles(first: 2) { edges { node { id videos { id } chatRoom { id } audienceSentiment { label } } } } }`

// Result is one request's outcome.
type Result struct {
	Kind    string
	Start   time.Time
	Latency time.Duration
	// Target is the router it was sent to, where several serve.
	Target string
	// Err is empty when the response had data and no errors; else the
	// first error's extensions.reason, else its code, else what went wrong.
	Err string
}

// End is when the response was complete.
func (r Result) End() time.Time { return r.Start.Add(r.Latency) }

// send posts query to url and classifies the answer.
func send(ctx context.Context, client *http.Client, url, query string) Result {
	body, _ := json.Marshal(map[string]string{"query": query})
	start := time.Now()
	res := Result{Start: start}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		res.Err = err.Error()
		return res
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		res.Latency = time.Since(start)
		res.Err = "transport: " + err.Error()
		return res
	}
	raw, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	res.Latency = time.Since(start)
	if err != nil {
		res.Err = "transport: " + err.Error()
		return res
	}
	var out struct {
		Data   json.RawMessage `json:"data"`
		Errors []struct {
			Message    string `json:"message"`
			Extensions struct {
				Code   string `json:"code"`
				Reason string `json:"reason"`
			} `json:"extensions"`
		} `json:"errors"`
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		res.Err = fmt.Sprintf("HTTP %d: %.80s", resp.StatusCode, raw)
		return res
	}
	switch {
	case len(out.Errors) > 0:
		e := out.Errors[0].Extensions
		res.Err = e.Reason
		if res.Err == "" {
			res.Err = e.Code
		}
		if res.Err == "" {
			res.Err = out.Errors[0].Message
		}
	case resp.StatusCode != http.StatusOK || len(out.Data) == 0 || string(out.Data) == "null":
		res.Err = fmt.Sprintf("HTTP %d without data", resp.StatusCode)
	}
	return res
}

// Load sends every Kind at a steady rate, whatever the answers take (an
// open loop: a slow router does not slow the load down), and records each
// request's Result.
type Load struct {
	*steady
	url string
}

// StartLoad starts sending each of Kinds rate times a second to url.
func StartLoad(ctx context.Context, url string, rate int) *Load {
	l := &Load{url: url}
	l.steady = startSteady(ctx, Kinds, rate, func(ctx context.Context, client *http.Client, k Kind) Result {
		return send(ctx, client, l.url, k.Query)
	})
	return l
}

// Stop stops sending, waits for the answers of requests in flight and
// returns every Result by start time.
func (l *Load) Stop() []Result { return l.stop() }

// steady sends each of its kinds rate times a second with do, the kinds'
// ticks spread over one interval, and records every answer.
type steady struct {
	client *http.Client
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu      sync.Mutex
	results []Result
}

func startSteady(ctx context.Context, kinds []Kind, rate int, do func(context.Context, *http.Client, Kind) Result) *steady {
	ctx, cancel := context.WithCancel(ctx)
	l := &steady{cancel: cancel, client: &http.Client{
		Timeout:   time.Minute,
		Transport: &http.Transport{MaxIdleConnsPerHost: 256, IdleConnTimeout: 30 * time.Second},
	}}
	interval := time.Second / time.Duration(max(rate, 1))
	for i, k := range kinds {
		l.wg.Go(func() {
			// Kinds start spread over one interval, not all at once.
			time.Sleep(interval * time.Duration(i) / time.Duration(len(kinds)))
			tick := time.NewTicker(interval)
			defer tick.Stop()
			for {
				select {
				case <-ctx.Done():
					return
				case <-tick.C:
				}
				l.wg.Go(func() {
					// The request outlives a stopped load: its answer counts.
					r := do(context.WithoutCancel(ctx), l.client, k)
					r.Kind = k.Name
					l.record(r)
				})
			}
		})
	}
	return l
}

// record adds r to the results (requests sent beside the steady ones
// count too).
func (l *steady) record(r Result) {
	l.mu.Lock()
	l.results = append(l.results, r)
	l.mu.Unlock()
}

// stop stops sending, waits for the answers of requests in flight and
// returns every Result by start time.
func (l *steady) stop() []Result {
	l.cancel()
	l.wg.Wait()
	l.client.CloseIdleConnections()
	l.mu.Lock()
	defer l.mu.Unlock()
	slices.SortFunc(l.results, func(a, b Result) int { return a.Start.Compare(b.Start) })
	return l.results
}

// Stats sums up the requests of one kind in a window.
type Stats struct {
	Sent, Failed int
	P50, P99     time.Duration
	// Reasons counts the failures by Err.
	Reasons map[string]int
}

func (s Stats) String() string {
	if s.Sent == 0 {
		return "no requests"
	}
	return fmt.Sprintf("%4d sent, %4d failed, p50 %8s, p99 %8s", s.Sent, s.Failed, round(s.P50), round(s.P99))
}

func round(d time.Duration) time.Duration {
	switch {
	case d >= time.Second:
		return d.Round(10 * time.Millisecond)
	case d >= time.Millisecond:
		return d.Round(10 * time.Microsecond)
	}
	return d.Round(time.Microsecond)
}

// Summarize computes the Stats of kind ("" for all) over the requests
// started in [from, to).
func Summarize(results []Result, kind string, from, to time.Time) Stats {
	s := Stats{Reasons: map[string]int{}}
	var lat []time.Duration
	for _, r := range results {
		if r.Start.Before(from) || !r.Start.Before(to) || (kind != "" && r.Kind != kind) {
			continue
		}
		s.Sent++
		lat = append(lat, r.Latency)
		if r.Err != "" {
			s.Failed++
			s.Reasons[r.Err]++
		}
	}
	s.P50, s.P99 = percentile(lat, 50), percentile(lat, 99)
	return s
}

func percentile(lat []time.Duration, p int) time.Duration {
	if len(lat) == 0 {
		return 0
	}
	slices.Sort(lat)
	i := (len(lat)*p + 99) / 100
	return lat[min(max(i-1, 0), len(lat)-1)]
}
