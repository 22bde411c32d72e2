package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

func run(ctx context.Context, o options) error {
	base := o.url
	pid := 0
	if base == "" {
		fmt.Printf("starting %s serve (data under %q) ...\n", o.bin, o.dataDir)
		srv, err := startServer(ctx, o.bin, o.dataDir)
		if err != nil {
			return err
		}
		defer srv.stop()
		base, pid = srv.url, srv.pid
	}
	httpc := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	token := o.token
	if token == "" {
		t, err := demoToken(ctx, httpc, base, "profile-1")
		if err != nil {
			return err
		}
		token = t
	}
	httpc.Transport = bearer{token: token, next: httpc.Transport}
	rooms, err := roomIDs(ctx, httpc, base, o.rooms)
	if err != nil {
		return err
	}
	var rssBase int64
	if pid != 0 {
		time.Sleep(time.Second)
		rssBase, _ = rssBytes(pid)
	}

	// Connect.
	wsURL := "ws" + strings.TrimPrefix(base, "http") + "/graphql"
	clients := make([]*client, o.clients)
	var measuring atomic.Bool
	var failed atomic.Int64
	var firstErr atomic.Value
	start := time.Now()
	work := make(chan int)
	var wg sync.WaitGroup
	for range o.dialers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				c, err := dial(ctx, wsURL, rooms[i%len(rooms)])
				if err != nil {
					failed.Add(1)
					firstErr.CompareAndSwap(nil, err.Error())
					continue
				}
				clients[i] = c
				go c.read(&measuring)
			}
		}()
	}
	for i := range o.clients {
		work <- i
	}
	close(work)
	wg.Wait()
	live := slices.DeleteFunc(slices.Clone(clients), func(c *client) bool { return c == nil })
	defer func() {
		for _, c := range live {
			_ = c.conn.Close()
		}
	}()
	fmt.Printf("connected %d of %d clients in %v (%d failed%s)\n", len(live), o.clients, time.Since(start).Round(time.Millisecond), failed.Load(), errSuffix(&firstErr))

	// Warm up: a message per room until every client has one, so every
	// subscription is known to be open upstream.
	for attempt := 0; ; attempt++ {
		missing := map[string]bool{}
		for _, c := range live {
			if c.warm.Load() == 0 && !c.closed.Load() {
				missing[c.room] = true
			}
		}
		if len(missing) == 0 {
			break
		}
		if attempt == 15 {
			fmt.Printf("warning: %d rooms still have clients without a warm-up message\n", len(missing))
			break
		}
		for room := range missing {
			if err := post(ctx, httpc, base, room, fmt.Sprintf("warm %d", time.Now().UnixNano())); err != nil {
				return err
			}
		}
		time.Sleep(2 * time.Second)
	}
	time.Sleep(o.settle)
	if pid != 0 {
		rss, _ := rssBytes(pid)
		fmt.Printf("server RSS: %.1f MiB before clients, %.1f MiB with %d idle subscriptions: %.1f KiB per idle subscription\n",
			mib(rssBase), mib(rss), len(live), float64(rss-rssBase)/1024/float64(max(len(live), 1)))
	}

	// Publish at the set rate, round-robin over the rooms.
	var cpu0 float64
	if pid != 0 {
		cpu0, _ = cpuSeconds(pid)
	}
	selfCPU0, _ := cpuSeconds(os.Getpid())
	measuring.Store(true)
	interval := time.Second / time.Duration(max(o.rate, 1))
	ticker := time.NewTicker(interval)
	jobs := make(chan string, 1024)
	var published, pubErrs atomic.Int64
	var pubMu sync.Mutex
	var pubLat []time.Duration
	var pwg sync.WaitGroup
	for range o.publishers {
		pwg.Add(1)
		go func() {
			defer pwg.Done()
			for room := range jobs {
				sent := time.Now()
				if err := post(ctx, httpc, base, room, fmt.Sprintf("bench %d", sent.UnixNano())); err != nil {
					pubErrs.Add(1)
					continue
				}
				published.Add(1)
				pubMu.Lock()
				pubLat = append(pubLat, time.Since(sent))
				pubMu.Unlock()
			}
		}()
	}
	t0 := time.Now()
	deadline := t0.Add(o.duration)
	for i := 0; time.Now().Before(deadline); i++ {
		select {
		case <-ctx.Done():
			deadline = time.Now()
		case <-ticker.C:
			select {
			case jobs <- rooms[i%len(rooms)]:
			default: // publishers are behind: skip rather than queue
			}
		}
	}
	ticker.Stop()
	close(jobs)
	pwg.Wait()
	elapsed := time.Since(t0)
	var cpu1 float64
	if pid != 0 {
		cpu1, _ = cpuSeconds(pid)
	}
	selfCPU1, _ := cpuSeconds(os.Getpid())
	time.Sleep(2 * time.Second) // let the last events arrive
	measuring.Store(false)

	var delivered int64
	var lat, fromSent []time.Duration
	held := 0
	var why string
	for _, c := range live {
		delivered += c.delivered.Load()
		c.mu.Lock()
		lat = append(lat, c.latencies...)
		fromSent = append(fromSent, c.fromSent...)
		c.mu.Unlock()
		if !c.closed.Load() {
			held++
		} else if w, ok := c.closeWhy.Load().(string); ok && why == "" {
			why = w
		}
	}
	slices.Sort(lat)
	slices.Sort(fromSent)
	perRoom := float64(len(live)) / float64(len(rooms))
	fmt.Printf("\n== subscriptions through the router: %d clients, %d rooms, %d msg/s for %v ==\n", len(live), len(rooms), o.rate, o.duration)
	fmt.Printf("connections held:       %d of %d%s\n", held, len(live), suffix(why))
	fmt.Printf("published:              %d messages (%.0f/s, %d errors)\n", published.Load(), float64(published.Load())/elapsed.Seconds(), pubErrs.Load())
	fmt.Printf("delivered:              %d events (expected about %.0f), %.0f events/s\n", delivered, float64(published.Load())*perRoom, float64(delivered)/elapsed.Seconds())
	if len(lat) > 0 {
		fmt.Printf("latency post->receipt:  p50 %v  p99 %v  max %v (publisher's mutation to client)\n", pct(lat, 0.50), pct(lat, 0.99), lat[len(lat)-1])
		fmt.Printf("latency event->receipt: p50 %v  p99 %v  max %v (message sentAt, stamped by the chat service before its store commit, to client)\n", pct(fromSent, 0.50), pct(fromSent, 0.99), fromSent[len(fromSent)-1])
	}
	if len(pubLat) > 0 {
		slices.Sort(pubLat)
		fmt.Printf("postMessage round trip: p50 %v  p99 %v (part of the latency above)\n", pct(pubLat, 0.50), pct(pubLat, 0.99))
	}
	if pid != 0 {
		fmt.Printf("server CPU:             %.2f cores (%.1f s over %.1f s)\n", (cpu1-cpu0)/elapsed.Seconds(), cpu1-cpu0, elapsed.Seconds())
	}
	fmt.Printf("load generator CPU:     %.2f cores (same machine)\n", (selfCPU1-selfCPU0)/elapsed.Seconds())
	return nil
}

func pct(sorted []time.Duration, p float64) time.Duration {
	return sorted[min(len(sorted)-1, int(float64(len(sorted))*p))].Round(10 * time.Microsecond)
}

func mib(b int64) float64 { return float64(b) / (1 << 20) }

func suffix(s string) string {
	if s == "" {
		return ""
	}
	return " (first close: " + s + ")"
}

func errSuffix(v *atomic.Value) string {
	if s, ok := v.Load().(string); ok {
		return "; first: " + s
	}
	return ""
}

func graphql(ctx context.Context, httpc *http.Client, base, query string, vars map[string]any, out any) error {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/graphql", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := httpc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var r struct {
		Data   json.RawMessage `json:"data"`
		Errors []struct {
			Message string `json:"message"`
		} `json:"errors"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		return fmt.Errorf("decode response: %w", err)
	}
	if len(r.Errors) > 0 {
		return fmt.Errorf("graphql: %s", r.Errors[0].Message)
	}
	if out != nil {
		return json.Unmarshal(r.Data, out)
	}
	return nil
}

// bearer sends the poster's token with every request.
type bearer struct {
	token string
	next  http.RoundTripper
}

func (b bearer) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+b.token)
	return b.next.RoundTrip(r)
}

// demoToken signs in as profile on a router serving demo tokens.
func demoToken(ctx context.Context, httpc *http.Client, base, profile string) (string, error) {
	body, _ := json.Marshal(map[string]string{"profile": profile})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/auth/demo-token", bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := httpc.Do(req)
	if err != nil {
		return "", fmt.Errorf("demo token: %w", err)
	}
	defer resp.Body.Close()
	var out struct {
		Token string `json:"token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != http.StatusOK || out.Token == "" {
		return "", fmt.Errorf("demo token: HTTP %d (%v); pass -token for a router without demo tokens", resp.StatusCode, err)
	}
	return out.Token, nil
}

func post(ctx context.Context, httpc *http.Client, base, room, body string) error {
	return graphql(ctx, httpc, base, `mutation($r: ID!, $b: String!) { postMessage(roomId: $r, body: $b) { id } }`, map[string]any{"r": room, "b": body}, nil)
}

// roomIDs pages through titles for n chat rooms.
func roomIDs(ctx context.Context, httpc *http.Client, base string, n int) ([]string, error) {
	var out []string
	var after *string
	for len(out) < n {
		var page struct {
			Titles struct {
				Edges []struct {
					Node struct {
						ChatRoom *struct{ ID string } `json:"chatRoom"`
					} `json:"node"`
				} `json:"edges"`
				PageInfo struct {
					HasNextPage bool    `json:"hasNextPage"`
					EndCursor   *string `json:"endCursor"`
				} `json:"pageInfo"`
			} `json:"titles"`
		}
		err := graphql(ctx, httpc, base, `query($after: String) { titles(first: 100, after: $after) { edges { node { chatRoom { id } } } pageInfo { hasNextPage endCursor } } }`, map[string]any{"after": after}, &page)
		if err != nil {
			return nil, fmt.Errorf("list rooms: %w", err)
		}
		for _, e := range page.Titles.Edges {
			if e.Node.ChatRoom != nil && len(out) < n {
				out = append(out, e.Node.ChatRoom.ID)
			}
		}
		if !page.Titles.PageInfo.HasNextPage {
			break
		}
		after = page.Titles.PageInfo.EndCursor
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no chat rooms")
	}
	return out, nil
}
