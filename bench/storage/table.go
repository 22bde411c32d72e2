package main

import (
	"fmt"
	"io"
	"time"
)

// printTable writes rows as a Markdown table.
func printTable(w io.Writer, rows []result, clients int, d time.Duration) {
	fmt.Fprintf(w, "\nPage query `titles(first: 50)` with videos, chat room and sentiment; %d clients, %s per mode.\n", clients, d)
	fmt.Fprintln(w, "Store calls are per request, counted at each subgraph's store interface (catalog cluster: the Redis-cached store).")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| mode | req/s | p50 | p99 | requests | failed | store calls/req | catalog | search | video | chat | insights |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, r := range rows {
		var total float64
		for _, n := range storeNames {
			total += r.callsPerRequest(n)
		}
		fmt.Fprintf(w, "| %s | %.1f | %s | %s | %d | %d | %.2f |", r.mode, r.perSecond, ms(r.p50), ms(r.p99), r.requests, r.failures, total)
		for _, n := range storeNames {
			fmt.Fprintf(w, " %.2f |", r.callsPerRequest(n))
		}
		fmt.Fprintln(w)
	}
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }
