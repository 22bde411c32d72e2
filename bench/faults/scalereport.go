package faults

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// Phase returns the phase called name (its zero value when there is none).
func (r *ScaleReport) Phase(name string) Phase {
	for _, p := range r.Phases {
		if p.Name == name {
			return p
		}
	}
	return Phase{Name: name}
}

// Requests sums up the requests, every kind and the posts, started in the
// phase.
func (r *ScaleReport) Requests(phase string) Stats {
	p := r.Phase(phase)
	return Summarize(r.Results, "", p.From, p.To)
}

// SubscriptionStats are what the subscribers saw of the messages posted
// in a phase.
type SubscriptionStats struct {
	// Posted counts the messages posted in the phase; Expected the
	// deliveries due (Posted times the subscribers).
	Posted, Expected int
	// Missed and Duplicated count, over every subscriber, messages posted
	// in the phase it never got, and extra copies of them it got.
	Missed, Duplicated int
	// Reconnects counts the subscribers' reconnections in the phase, by
	// why their socket or subscription ended.
	Reconnects map[string]int
}

// Subscriptions sums up the subscribers' view of phase.
func (r *ScaleReport) Subscriptions(phase string) SubscriptionStats {
	p := r.Phase(phase)
	st := SubscriptionStats{Reconnects: map[string]int{}}
	inPhase := map[string]bool{}
	for _, m := range r.Posted {
		if !m.At.Before(p.From) && m.At.Before(p.To) {
			inPhase[m.ID] = true
			st.Posted++
		}
	}
	for _, s := range r.Subs {
		count := map[string]int{}
		for _, g := range s.Got() {
			count[g.ID]++
		}
		for id := range inPhase {
			st.Expected++
			switch n := count[id]; {
			case n == 0:
				st.Missed++
			case n > 1:
				st.Duplicated += n - 1
			}
		}
		for _, rc := range s.Reconnects() {
			if !rc.At.Before(p.From) && rc.At.Before(p.To) {
				st.Reconnects[rc.Why]++
			}
		}
	}
	return st
}

// Unknown counts the messages subscribers got that no successful post
// returned (a post that failed after the message was stored, or someone
// else's).
func (r *ScaleReport) Unknown() int {
	posted := map[string]bool{}
	for _, m := range r.Posted {
		posted[m.ID] = true
	}
	n := 0
	for _, s := range r.Subs {
		for _, g := range s.Got() {
			if !posted[g.ID] {
				n++
			}
		}
	}
	return n
}

// ProcessUse is one process's resource use over a phase.
type ProcessUse struct {
	Name string
	Pid  int
	// RSS is its last resident set reading in the phase; CPU the CPU time
	// it used between its first and last readings in the phase.
	RSS int64
	CPU time.Duration
	// Requests counts the client requests that went through it (routers)
	// or through the whole fleet (subgraphs) in the phase.
	Requests int
}

// PerThousand is CPU seconds per 1,000 requests.
func (u ProcessUse) PerThousand() float64 {
	if u.Requests == 0 {
		return 0
	}
	return u.CPU.Seconds() * 1000 / float64(u.Requests)
}

// Use returns each process's resource use over phase, by name.
func (r *ScaleReport) Use(phase string) []ProcessUse {
	p := r.Phase(phase)
	total := 0
	byRouter := map[string]int{}
	for _, res := range r.Results {
		if !res.Start.Before(p.From) && res.Start.Before(p.To) {
			total++
			byRouter[r.RouterOf[res.Target]]++
		}
	}
	var out []ProcessUse
	for proc, samples := range r.Samples {
		var in []ProcSample
		for _, s := range samples {
			if !s.At.Before(p.From) && !s.At.After(p.To) {
				in = append(in, s)
			}
		}
		if len(in) == 0 {
			continue
		}
		u := ProcessUse{Name: proc.Name, Pid: proc.Pid(), RSS: in[len(in)-1].RSS, CPU: in[len(in)-1].CPU - in[0].CPU, Requests: total}
		if strings.HasPrefix(proc.Name, "router-") {
			u.Requests = byRouter[proc.Name]
		}
		out = append(out, u)
	}
	slices.SortFunc(out, func(a, b ProcessUse) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// Print writes the report.
func (r *ScaleReport) Print(w io.Writer) {
	for _, p := range r.Phases {
		fmt.Fprintf(w, "\n== %s (%s)\n", p.Name, round(p.To.Sub(p.From)))
		for _, s := range p.Steps {
			fmt.Fprintf(w, "  - %s\n", s)
		}
		for _, k := range append(slices.Clone(ScaleKinds), Kind{Name: PostKind}) {
			s := Summarize(r.Results, k.Name, p.From, p.To)
			fmt.Fprintf(w, "  %-14s %s%s\n", k.Name, s, reasons(s))
		}
		s := Summarize(r.Results, "", p.From, p.To)
		fmt.Fprintf(w, "  %-14s %s\n", "all requests", s)
		sub := r.Subscriptions(p.Name)
		fmt.Fprintf(w, "  subscriptions: %d subscribers, %d messages posted, %d deliveries due: missed %d, duplicated %d; reconnects %s\n",
			len(r.Subs), sub.Posted, sub.Expected, sub.Missed, sub.Duplicated, counts(sub.Reconnects))
		use := r.Use(p.Name)
		var cpu time.Duration
		for _, u := range use {
			cpu += u.CPU
		}
		if s.Sent > 0 {
			fmt.Fprintf(w, "  CPU, all cinegraph processes: %.2f s (%.3f s per 1,000 requests)\n", cpu.Seconds(), cpu.Seconds()*1000/float64(s.Sent))
		}
	}
	if n := r.Unknown(); n > 0 {
		fmt.Fprintf(w, "\nsubscribers got %d messages no successful post returned\n", n)
	}
	if len(r.Exits) > 0 {
		var bad []string
		for name, code := range r.Exits {
			if code != 0 {
				bad = append(bad, fmt.Sprintf("%s %d", name, code))
			}
		}
		if len(bad) == 0 {
			fmt.Fprintf(w, "\nevery process stopped with SIGTERM exited 0 (%d)\n", len(r.Exits))
		} else {
			slices.Sort(bad)
			fmt.Fprintf(w, "\nprocesses stopped with SIGTERM that exited non-zero: %s\n", strings.Join(bad, ", "))
		}
	}
	if len(r.Phases) == 0 {
		return
	}
	first := r.Phases[0]
	fmt.Fprintf(w, "\n== sizing, %s phase (%s; routers: requests through each; subgraphs: all requests)\n", first.Name, round(first.To.Sub(first.From)))
	fmt.Fprintf(w, "  %-16s %8s %9s %8s %10s %14s\n", "process", "pid", "RSS MiB", "CPU s", "requests", "CPU s/1k req")
	for _, u := range r.Use(first.Name) {
		fmt.Fprintf(w, "  %-16s %8d %9.1f %8.2f %10d %14.3f\n", u.Name, u.Pid, float64(u.RSS)/(1<<20), u.CPU.Seconds(), u.Requests, u.PerThousand())
	}
}

func counts(m map[string]int) string {
	if len(m) == 0 {
		return "0"
	}
	keys := make([]string, 0, len(m))
	total := 0
	for k, n := range m {
		keys = append(keys, k)
		total += n
	}
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, m[k])
	}
	return fmt.Sprintf("%d (%s)", total, strings.Join(parts, ", "))
}
