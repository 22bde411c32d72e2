package main

import (
	"fmt"
	"io"
	"time"
)

// printTable writes rows as a Markdown table.
func printTable(w io.Writer, rows []result, l load) {
	drive := fmt.Sprintf("%d clients", l.clients)
	if l.rate > 0 {
		drive = fmt.Sprintf("open loop at %g requests/s, latency from when each was due", l.rate)
	}
	fmt.Fprintf(w, "\nPage query `titles(first: 50)` with videos, chat room and sentiment; %s, %s per mode.\n", drive, l.duration)
	fmt.Fprintln(w, "Store calls are per request, counted at each subgraph's store interface (catalog cluster: the Redis-cached store).")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| mode | req/s | p50 | p95 | p99 | requests | failed | store calls/req | catalog | search | video | chat | insights |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, r := range rows {
		var total float64
		for _, n := range storeNames {
			total += r.callsPerRequest(n)
		}
		fmt.Fprintf(w, "| %s | %.1f | %s | %s | %s | %d | %d | %.2f |", r.mode, r.perSecond, ms(r.p50), ms(r.p95), ms(r.p99), r.requests, r.failures, total)
		for _, n := range storeNames {
			fmt.Fprintf(w, " %.2f |", r.callsPerRequest(n))
		}
		fmt.Fprintln(w)
	}
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }
