package main

import (
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/cinegraph/cinegraph/bench"
)

func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted)-1) * p)
	return sorted[i]
}

func printTable(w io.Writer, sc bench.Scenario, results []*result) {
	fmt.Fprintf(w, "### %s\n\n", sc.Title)
	fmt.Fprintln(w, "| target | requests/s | p50 | p99 | CPU us/request | by round, min-max | subgraphs' CPU us/request | peak RSS | errors |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, r := range results {
		rps := float64(r.requests) / r.elapsed.Seconds()
		cpuPerReq := float64(r.cpu.Microseconds()) / float64(r.requests)
		spread := "-"
		if len(r.roundCPU) > 0 {
			spread = fmt.Sprintf("%.1f-%.1f", slices.Min(r.roundCPU), slices.Max(r.roundCPU))
		}
		// The subgraph called directly is its own target: its CPU is the
		// first CPU column.
		sgPerReq := "-"
		if r.target != directName {
			sgPerReq = fmt.Sprintf("%.1f", float64(r.subgraphCPU.Microseconds())/float64(r.requests))
		}
		fmt.Fprintf(w, "| %s | %.0f | %s | %s | %.1f | %s | %s | %.1f MiB | %d |\n",
			r.target, rps, round(percentile(r.latencies, 0.50)), round(percentile(r.latencies, 0.99)),
			cpuPerReq, spread, sgPerReq, float64(r.peakRSS)/(1<<20), r.errors)
	}
	fmt.Fprintln(w)
}

func round(d time.Duration) time.Duration {
	switch {
	case d > time.Millisecond:
		return d.Round(10 * time.Microsecond)
	default:
		return d.Round(time.Microsecond)
	}
}
