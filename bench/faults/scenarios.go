package faults

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"
)

// Window is a span of a scenario whose requests are summed up together.
type Window struct {
	Name     string
	From, To time.Time
}

// Report is what clients saw during a scenario.
type Report struct {
	Scenario string
	Results  []Result
	Windows  []Window
	// Figures are the scenario's own findings, one per line.
	Figures []string
}

// Print writes the report: each window's figures per kind of request, then
// the scenario's own.
func (r *Report) Print(w io.Writer) {
	fmt.Fprintf(w, "\n== %s\n", r.Scenario)
	for _, win := range r.Windows {
		fmt.Fprintf(w, "%s (%s):\n", win.Name, round(win.To.Sub(win.From)))
		for _, k := range Kinds {
			s := Summarize(r.Results, k.Name, win.From, win.To)
			fmt.Fprintf(w, "  %-14s %s%s\n", k.Name, s, reasons(s))
		}
	}
	for _, f := range r.Figures {
		fmt.Fprintln(w, f)
	}
}

func reasons(s Stats) string {
	if len(s.Reasons) == 0 {
		return ""
	}
	var parts []string
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for k := range s.Reasons {
			if !yield(k) {
				return
			}
		}
	}) {
		parts = append(parts, fmt.Sprintf("%s %d", k, s.Reasons[k]))
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

// Window returns the window called name.
func (r *Report) Window(name string) Window {
	for _, w := range r.Windows {
		if w.Name == name {
			return w
		}
	}
	return Window{Name: name}
}

// Stats sums up kind's requests in the window called name.
func (r *Report) Stats(window, kind string) Stats {
	w := r.Window(window)
	return Summarize(r.Results, kind, w.From, w.To)
}

// HangReport is Hang's report.
type HangReport struct {
	Report
	// Sequential are the requests needing the hung subgraph sent one after
	// another once it hung, up to the first the breaker refused at once.
	Sequential []Result
	// CutOffAfter counts the Sequential requests that waited on the hung
	// subgraph before the breaker refused one; -1 when none was refused.
	CutOffAfter int
	// Recovered is the time from SIGCONT to the first request needing the
	// subgraph answered without errors; -1 when none was.
	Recovered time.Duration
}

// maxSequential bounds the requests Hang sends one by one.
const maxSequential = 20

// Hang runs the load for a phase, hangs the subgraph process name (SIGSTOP)
// and sends kind (a query needing it) one request after another until the
// circuit breaker refuses one, runs the load again for a phase with the
// breaker open, then resumes the process (SIGCONT) and measures how long
// until kind is answered again, running the load for a phase after that.
func Hang(ctx context.Context, c *Cluster, name, kind string, rate int, phase time.Duration) (*HangReport, error) {
	p := c.Process(name)
	k, ok := findKind(kind)
	if p == nil || !ok {
		return nil, fmt.Errorf("faults: no process %q or kind %q", name, kind)
	}
	rep := &HangReport{Report: Report{Scenario: fmt.Sprintf("%s hung (SIGSTOP), then resumed (SIGCONT); router.fetch_timeout %s, default breaker", name, c.opts.FetchTimeout)}}

	load := StartLoad(ctx, c.RouterURL, rate)
	t0 := time.Now()
	sleep(ctx, phase)
	t1 := time.Now()
	rep.Results = append(rep.Results, load.Stop()...)
	rep.Windows = append(rep.Windows, Window{"healthy", t0, t1})

	if err := p.Hang(); err != nil {
		return nil, err
	}
	client := &http.Client{Timeout: time.Minute}
	rep.CutOffAfter = -1
	for i := 0; i < maxSequential && ctx.Err() == nil; i++ {
		r := send(ctx, client, c.RouterURL, k.Query)
		r.Kind = k.Name
		rep.Sequential = append(rep.Sequential, r)
		if r.Err == "CIRCUIT_OPEN" {
			rep.CutOffAfter = i
			break
		}
	}
	var seq []string
	for _, r := range rep.Sequential {
		seq = append(seq, fmt.Sprintf("%s %s", round(r.Latency), orOK(r.Err)))
	}
	rep.Figures = append(rep.Figures, fmt.Sprintf("one by one after SIGSTOP (%s): %s", kind, strings.Join(seq, ", ")))
	if rep.CutOffAfter >= 0 {
		rep.Figures = append(rep.Figures, fmt.Sprintf("cut off by the breaker after %d requests; request %d was refused in %s", rep.CutOffAfter, rep.CutOffAfter+1, round(rep.Sequential[rep.CutOffAfter].Latency)))
	} else {
		rep.Figures = append(rep.Figures, fmt.Sprintf("not cut off within %d requests", len(rep.Sequential)))
	}

	load = StartLoad(ctx, c.RouterURL, rate)
	t2 := time.Now()
	sleep(ctx, phase)
	t3 := time.Now()
	if err := p.Resume(); err != nil {
		load.Stop()
		return nil, err
	}
	rep.Recovered = -1
	for deadline := t3.Add(30 * time.Second); time.Now().Before(deadline) && ctx.Err() == nil; time.Sleep(20 * time.Millisecond) {
		if r := send(ctx, client, c.RouterURL, k.Query); r.Err == "" {
			rep.Recovered = r.End().Sub(t3)
			break
		}
	}
	t4 := time.Now()
	sleep(ctx, phase)
	t5 := time.Now()
	rep.Results = append(rep.Results, load.Stop()...)
	rep.Windows = append(rep.Windows, Window{"hung, breaker open", t2, t3}, Window{"resuming", t3, t4}, Window{"resumed", t4, t5})
	if rep.Recovered >= 0 {
		rep.Figures = append(rep.Figures, fmt.Sprintf("recovered %s after SIGCONT, through half-open, without a restart", round(rep.Recovered)))
	} else {
		rep.Figures = append(rep.Figures, "not recovered within 30 s of SIGCONT")
	}
	during := Summarize(rep.Results, kind, t2, t3)
	fast := 0
	for _, r := range rep.Results {
		if r.Kind == kind && !r.Start.Before(t2) && r.Start.Before(t3) && r.Latency < 10*time.Millisecond {
			fast++
		}
	}
	rep.Figures = append(rep.Figures, fmt.Sprintf("with the breaker open, %d of %d %s requests were answered (partial data, coded errors) in under 10 ms", fast, during.Sent, kind))
	return rep, nil
}

// KillReport is KillInstance's report.
type KillReport struct {
	Report
	// InFlight counts the requests needing the subgraph that were in
	// flight when the instance was killed: the most that may fail.
	InFlight int
	// FailedAfterKill counts the requests needing the subgraph, started
	// before or after the kill and answered after it, that failed.
	FailedAfterKill int
}

// KillInstance runs the load for a phase, kills the process name (one of
// two instances of the subgraph kind needs) with SIGKILL and runs the load
// for another two phases.
func KillInstance(ctx context.Context, c *Cluster, name, kind string, rate int, phase time.Duration) (*KillReport, error) {
	p := c.Process(name)
	if _, ok := findKind(kind); p == nil || !ok {
		return nil, fmt.Errorf("faults: no process %q or kind %q", name, kind)
	}
	rep := &KillReport{Report: Report{Scenario: fmt.Sprintf("%s killed (SIGKILL) under load, its peer serving on", name)}}
	load := StartLoad(ctx, c.RouterURL, rate)
	t0 := time.Now()
	sleep(ctx, phase)
	tk := time.Now()
	err := p.Kill()
	sleep(ctx, phase)
	t2 := time.Now()
	sleep(ctx, phase)
	t3 := time.Now()
	rep.Results = load.Stop()
	if err != nil {
		return nil, err
	}
	rep.Windows = []Window{{"both instances", t0, tk}, {"just killed", tk, t2}, {"one instance", t2, t3}}
	for _, r := range rep.Results {
		if r.Kind != kind || !r.End().After(tk) {
			continue
		}
		if r.Start.Before(tk) {
			rep.InFlight++
		}
		if r.Err != "" {
			rep.FailedAfterKill++
		}
	}
	rep.Figures = append(rep.Figures, fmt.Sprintf("%s requests in flight at the kill: %d; failed from the kill on: %d", kind, rep.InFlight, rep.FailedAfterKill))
	return rep, nil
}

// ConfigReport is BrokenConfig's report.
type ConfigReport struct {
	Report
	// Refused says the router logged that it refused the configuration.
	Refused bool
	// Failed counts the requests that failed while it was pushed.
	Failed int
}

// BrokenConfig runs the load while a configuration the router cannot load
// replaces its file, then puts the good one back.
func BrokenConfig(ctx context.Context, c *Cluster, rate int, phase time.Duration) (*ConfigReport, error) {
	good, err := c.RouterConfig()
	if err != nil {
		return nil, err
	}
	router := c.Process("router")
	rep := &ConfigReport{Report: Report{Scenario: "a broken configuration pushed to the running router"}}
	load := StartLoad(ctx, c.RouterURL, rate)
	t0 := time.Now()
	sleep(ctx, phase/2)
	t1 := time.Now()
	// A timeout that is no duration, and a limit out of range.
	broken := strings.Replace(good, "fetch_timeout: "+c.opts.FetchTimeout.String(), "fetch_timeout: soon\n  limits:\n    max_depth: -3", 1)
	if broken == good {
		load.Stop()
		return nil, fmt.Errorf("faults: no fetch_timeout in the router's configuration:\n%s", good)
	}
	err = c.WriteRouterConfig(broken)
	for deadline := time.Now().Add(5 * time.Second); err == nil && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if strings.Contains(router.Log(), "configuration reload refused") {
			rep.Refused = true
			break
		}
	}
	sleep(ctx, phase/2)
	t2 := time.Now()
	if err == nil {
		err = c.WriteRouterConfig(good)
	}
	sleep(ctx, phase/2)
	t3 := time.Now()
	rep.Results = load.Stop()
	if err != nil {
		return nil, err
	}
	rep.Windows = []Window{{"before", t0, t1}, {"broken configuration pushed", t1, t2}, {"good configuration back", t2, t3}}
	rep.Failed = Summarize(rep.Results, "", t0, t3).Failed
	refused := "not refused (no log line)"
	if rep.Refused {
		refused = "refused, with the reason logged; the running configuration stayed"
	}
	rep.Figures = append(rep.Figures, fmt.Sprintf("broken configuration %s; requests failed: %d", refused, rep.Failed))
	return rep, nil
}

func findKind(name string) (Kind, bool) {
	for _, k := range Kinds {
		if k.Name == name {
			return k, true
		}
	}
	return Kind{}, false
}

func orOK(err string) string {
	if err == "" {
		return "ok"
	}
	return err
}

func sleep(ctx context.Context, d time.Duration) {
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}
