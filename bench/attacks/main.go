// Command attacks sends each hostile request of router/limits/limitstest
// to an in-process router over loopback and prints, per attack, how it
// ended (the limit that refused it, or the size of the answer), the time
// it took and the memory it cost: allocated bytes, the peak of heap in use
// above the idle heap, and the growth of the process's resident set. The
// fake subgraphs run in the same process, so their work counts too. It
// prints figures and never fails on them.
//
//	go run ./bench/attacks [-fanout 8] [-max-list 1000000] [-warn-only]
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/cinegraph/cinegraph/router"
	"github.com/cinegraph/cinegraph/router/limits"
	"github.com/cinegraph/cinegraph/router/limits/limitstest"
)

func main() {
	if err := run(os.Stdout, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "attacks:", err)
		os.Exit(1)
	}
}

func run(out io.Writer, args []string) error {
	fs := flag.NewFlagSet("attacks", flag.ContinueOnError)
	fanout := fs.Int("fanout", 8, "videos per title in the fake subgraphs")
	maxList := fs.Int("max-list", 1_000_000, "most titles one titles(first:) returns")
	warnOnly := fs.Bool("warn-only", false, "log the operation limits instead of enforcing them")
	if err := fs.Parse(args); err != nil {
		return err
	}
	sdl, err := limitstest.Supergraph()
	if err != nil {
		return err
	}
	fake := &limitstest.Subgraphs{Fanout: *fanout, MaxList: *maxList}
	r, err := router.New(router.Config{SupergraphSDL: sdl, Fetcher: fake, Limits: limits.Config{WarnOnly: *warnOnly}})
	if err != nil {
		return err
	}
	srv := httptest.NewServer(r)
	defer srv.Close()

	lim := limits.Default()
	fmt.Fprintf(out, "limits: %d tokens, depth %d, %d aliases, %d root fields, %d fields, %d repeats, %d MiB responses, %s; warn-only %v\n",
		lim.MaxTokens, lim.MaxDepth, lim.MaxAliases, lim.MaxRootFields, lim.MaxFields, lim.MaxRepeats, lim.MaxResponseBytes>>20, lim.Timeout, *warnOnly)
	fmt.Fprintf(out, "fake subgraphs: %d videos per title, at most %d titles per list (their work is included)\n\n", *fanout, *maxList)
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "attack\trequest\toutcome\ttime\tallocated\tpeak heap\tRSS growth\t")
	for _, a := range limitstest.Attacks() {
		m, outcome, err := measure(srv, a.Query)
		if err != nil {
			outcome = "error: " + err.Error()
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", a.Name, bytesize(uint64(len(a.Query))), outcome,
			m.elapsed.Round(time.Microsecond), bytesize(m.allocated), bytesize(m.peakHeap), signedBytes(m.rssGrowth))
	}
	return tw.Flush()
}

type figures struct {
	elapsed   time.Duration
	allocated uint64
	peakHeap  uint64 // heap in use above what it was before the request
	rssGrowth int64
}

// measure sends one request and measures it, from a collected heap.
func measure(srv *httptest.Server, query string) (figures, string, error) {
	var f figures
	runtime.GC()
	debug.FreeOSMemory()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	rssBefore := rss()

	stop := make(chan struct{})
	var wg sync.WaitGroup
	var peak uint64
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()

	start := time.Now()
	outcome, err := send(srv, query)
	f.elapsed = time.Since(start)
	close(stop)
	wg.Wait()

	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	f.allocated = after.TotalAlloc - before.TotalAlloc
	if peak = max(peak, after.HeapInuse); peak > before.HeapInuse {
		f.peakHeap = peak - before.HeapInuse
	}
	f.rssGrowth = rss() - rssBefore
	return f, outcome, err
}

// send posts the query and says how it ended.
func send(srv *httptest.Server, query string) (string, error) {
	body, _ := json.Marshal(map[string]string{"query": query})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL, bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := srv.Client().Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	var out struct {
		Errors []struct {
			Message    string         `json:"message"`
			Extensions map[string]any `json:"extensions"`
		} `json:"errors"`
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		return "", fmt.Errorf("HTTP %d: %w", resp.StatusCode, err)
	}
	if len(out.Errors) == 0 {
		return "answered, " + bytesize(uint64(len(raw))), nil
	}
	e := out.Errors[0]
	if l, ok := e.Extensions["limit"].(string); ok {
		return fmt.Sprintf("refused: %s limit", l), nil
	}
	return "", errors.New(e.Message)
}

// rss is the resident set size from /proc, or 0 where there is none.
func rss() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

func bytesize(n uint64) string {
	switch {
	case n >= 10<<20:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 10<<10:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d B", n)
}

func signedBytes(n int64) string {
	if n < 0 {
		return "-" + bytesize(uint64(-n))
	}
	return bytesize(uint64(n))
}
