package faults

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// ScaleKinds are the queries of the scale-out load: one touching all four
// subgraphs, and the faults load's three.
var ScaleKinds = append([]Kind{{Name: "all four", Needs: "video,chat,insights", Query: allSubgraphs}}, Kinds...)

// PostKind names the postMessage mutations of the subscription publisher
// among the results.
const PostKind = "postMessage"

// ScaleOptions shape a scale-out rehearsal.
type ScaleOptions struct {
	// Rate is requests per second of each of ScaleKinds.
	Rate int
	// Subscribers are websocket clients on one room; PostRate is messages
	// posted to it per second.
	Subscribers, PostRate int
	// Steady, Crash and Settle are how long the load runs before any
	// fault (the sizing window), around the crash, and after the rolling
	// restart.
	Steady, Crash, Settle time.Duration
	// SkipCrash leaves phase A out.
	SkipCrash bool
	// Log, when set, gets a line per step as it happens.
	Log io.Writer
}

// Phase is one window of the rehearsal.
type Phase struct {
	Name     string
	From, To time.Time
	// Steps are what was done to the processes, in order.
	Steps []string
}

// ScaleReport is Rehearse's report.
type ScaleReport struct {
	Phases  []Phase
	Results []Result
	// Posted are the messages posted, with when.
	Posted []PostedMessage
	Subs   []*ResumingSubscriber
	// Samples are each process's resource readings, by process.
	Samples map[*Process][]ProcSample
	// Exits are the exit codes of the processes stopped with SIGTERM.
	Exits map[string]int
	// RouterOf maps a router process's URL to its name, for the results.
	RouterOf map[string]string
}

// PostedMessage is one message whose postMessage succeeded.
type PostedMessage struct {
	ID string
	At time.Time
}

// Rehearse runs a scale-out rehearsal on f: a steady mixed load through
// its routers behind a client-side Balancer, websocket subscribers on one
// room (resuming from their cursor when their socket closes) while
// messages are posted; then phase A, one instance of each subgraph and one
// router killed with SIGKILL mid-load and replaced; then phase B, every
// process replaced one at a time (the new one started and ready, then the
// old one sent SIGTERM and waited for).
func Rehearse(ctx context.Context, f *Fleet, opts ScaleOptions) (*ScaleReport, error) {
	logf := func(format string, args ...any) {
		if opts.Log != nil {
			fmt.Fprintf(opts.Log, "%s  "+format+"\n", append([]any{time.Now().Format("15:04:05.000")}, args...)...)
		}
	}
	rep := &ScaleReport{Exits: map[string]int{}, RouterOf: map[string]string{}}
	bal := NewBalancer(ctx, func(name string, ready bool, why string) {
		state := "unready"
		if ready {
			state = "ready"
		}
		logf("    balancer: %s %s (%s)", name, state, why)
	})
	defer bal.Close()
	for _, name := range f.RouterNames() {
		p := f.Process(name)
		bal.Add(p.Name, p.URL)
		rep.RouterOf[p.URL] = p.Name
	}
	sampler := startSampler(f)
	load := startBalancedLoad(ctx, bal, opts.Rate)
	const room = "room-t0001"
	for i := range opts.Subscribers {
		rep.Subs = append(rep.Subs, startResumingSubscriber(ctx, bal, room, fmt.Sprintf("sub-%d", i+1)))
	}
	for _, s := range rep.Subs {
		if err := s.waitSubscribed(10 * time.Second); err != nil {
			load.stop()
			stopAll(rep.Subs)
			sampler.stop()
			return nil, err
		}
	}
	// The routers' upstream subscriptions open before the first post.
	sleep(ctx, time.Second)
	pub := startPublisher(ctx, bal, f.token, room, opts.PostRate, load)

	phase := func(name string, run func(p *Phase) error) error {
		p := Phase{Name: name, From: time.Now()}
		logf("phase %s", name)
		err := run(&p)
		p.To = time.Now()
		rep.Phases = append(rep.Phases, p)
		return err
	}
	step := func(p *Phase, format string, args ...any) {
		s := fmt.Sprintf(format, args...)
		p.Steps = append(p.Steps, s)
		logf("  %s", s)
	}
	// replace starts a new generation of name, waits until it is ready,
	// and (for a router) puts it behind the balancer; then stops the old
	// one: SIGTERM (graceful), or nothing when it is already dead.
	replace := func(p *Phase, name string, graceful bool) error {
		old := f.Process(name)
		nu, err := f.Start(ctx, name)
		if err != nil {
			return err
		}
		step(p, "%s started and ready (pid %d)", nu.Name, nu.Pid())
		if strings.HasPrefix(name, "router-") {
			rep.RouterOf[nu.URL] = nu.Name
			bal.Add(nu.Name, nu.URL)
			if !graceful {
				bal.Remove(old.Name)
			}
			// A stopping one stays behind the balancer, which stops
			// sending to it once it answers unready.
		}
		if !graceful {
			return nil
		}
		t := time.Now()
		err = old.Terminate(f.opts.DrainDelay + 30*time.Second)
		rep.Exits[old.Name] = old.ExitCode()
		step(p, "%s SIGTERM: exited %d after %s", old.Name, old.ExitCode(), round(time.Since(t)))
		bal.Remove(old.Name)
		return err
	}

	err := phase("steady", func(*Phase) error { sleep(ctx, opts.Steady); return nil })
	if err == nil && !opts.SkipCrash {
		err = phase("A: crash", func(p *Phase) error {
			sleep(ctx, opts.Crash/3)
			var killed []string
			for _, sg := range FleetSubgraphs {
				killed = append(killed, sg+"-1")
			}
			killed = append(killed, "router-1")
			for _, name := range killed {
				proc := f.Process(name)
				if err := proc.cmd.Process.Signal(syscall.SIGKILL); err != nil {
					return err
				}
			}
			for _, name := range killed {
				<-f.Process(name).exited
			}
			step(p, "SIGKILL %s", strings.Join(killed, ", "))
			sleep(ctx, opts.Crash/3)
			for _, name := range killed {
				if err := replace(p, name, false); err != nil {
					return err
				}
			}
			sleep(ctx, opts.Crash/3)
			return nil
		})
	}
	if err == nil {
		err = phase("B: rolling restart", func(p *Phase) error {
			for _, name := range f.Names() {
				if err := replace(p, name, true); err != nil {
					return err
				}
			}
			sleep(ctx, opts.Settle)
			return nil
		})
	}
	rep.Posted = pub.stop()
	// Events still on their way (Kafka, the routers) arrive.
	sleep(ctx, 2*time.Second)
	stopAll(rep.Subs)
	rep.Results = load.stop()
	rep.Samples = sampler.stop()
	return rep, err
}

func stopAll(subs []*ResumingSubscriber) {
	for _, s := range subs {
		s.stop()
	}
}

// balancedLoad is Load over a Balancer: each request goes to the next
// ready router.
type balancedLoad struct {
	*steady
	bal *Balancer
}

func startBalancedLoad(ctx context.Context, bal *Balancer, rate int) *balancedLoad {
	l := &balancedLoad{bal: bal}
	l.steady = startSteady(ctx, ScaleKinds, rate, func(ctx context.Context, client *http.Client, k Kind) Result {
		return l.send(k.Name, func(url string) Result { return send(ctx, client, url, k.Query) })
	})
	return l
}

// send runs do against the next ready router, marking it unready when the
// connection failed.
func (l *balancedLoad) send(kind string, do func(url string) Result) Result {
	e := l.bal.Pick()
	if e == nil {
		return Result{Kind: kind, Start: time.Now(), Err: "no ready router"}
	}
	r := do(e.URL + "/graphql")
	r.Kind, r.Target = kind, e.URL
	if strings.HasPrefix(r.Err, "transport: ") && connectionFailed(r.Err) {
		l.bal.Failed(e)
	}
	return r
}

func connectionFailed(err string) bool {
	for _, s := range []string{"connection refused", "connection reset", "EOF", "broken pipe"} {
		if strings.Contains(err, s) {
			return true
		}
	}
	return false
}

// publisher posts messages to a room through the balancer at a steady
// rate; each post is a request of the load (PostKind).
type publisher struct {
	cancel context.CancelFunc
	done   chan struct{}
	posted []PostedMessage
}

func startPublisher(ctx context.Context, bal *Balancer, token, room string, rate int, load *balancedLoad) *publisher {
	ctx, cancel := context.WithCancel(ctx)
	p := &publisher{cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(p.done)
		client := &http.Client{Timeout: 10 * time.Second}
		tick := time.NewTicker(time.Second / time.Duration(max(rate, 1)))
		defer tick.Stop()
		for n := 0; ; n++ {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			var id string
			r := load.send(PostKind, func(url string) Result {
				start := time.Now()
				var err error
				id, err = post(context.WithoutCancel(ctx), client, url, token, room, fmt.Sprintf("scale message %d", n))
				r := Result{Start: start, Latency: time.Since(start)}
				if err != nil {
					r.Err = err.Error()
					var ne net.Error
					if errors.As(err, &ne) || strings.Contains(r.Err, "connection") || strings.Contains(r.Err, "EOF") {
						r.Err = "transport: " + r.Err
					}
				}
				return r
			})
			load.record(r)
			if r.Err == "" {
				p.posted = append(p.posted, PostedMessage{ID: id, At: r.Start})
			}
		}
	}()
	return p
}

func (p *publisher) stop() []PostedMessage {
	p.cancel()
	<-p.done
	return p.posted
}

// ProcSample is one reading of a process's resources from /proc.
type ProcSample struct {
	At time.Time
	// RSS is the resident set (VmRSS) in bytes; CPU the user and system
	// time used so far.
	RSS int64
	CPU time.Duration
}

type sampler struct {
	f       *Fleet
	cancel  context.CancelFunc
	done    chan struct{}
	samples map[*Process][]ProcSample
}

// SampleEvery is how often the sampler reads each process's /proc.
const SampleEvery = 250 * time.Millisecond

func startSampler(f *Fleet) *sampler {
	ctx, cancel := context.WithCancel(context.Background())
	s := &sampler{f: f, cancel: cancel, done: make(chan struct{}), samples: map[*Process][]ProcSample{}}
	go func() {
		defer close(s.done)
		tick := time.NewTicker(SampleEvery)
		defer tick.Stop()
		for {
			s.sample()
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
		}
	}()
	return s
}

func (s *sampler) sample() {
	for _, p := range s.f.All() {
		if !p.Running() {
			continue
		}
		if sm, err := readProc(p.Pid()); err == nil {
			s.samples[p] = append(s.samples[p], sm)
		}
	}
}

func (s *sampler) stop() map[*Process][]ProcSample {
	s.cancel()
	<-s.done
	return s.samples
}

// clockTicks is USER_HZ, the unit of /proc/<pid>/stat's times (100 on
// every Linux platform Go supports).
const clockTicks = 100

// readProc reads VmRSS from /proc/<pid>/status and utime+stime from
// /proc/<pid>/stat.
func readProc(pid int) (ProcSample, error) {
	sm := ProcSample{At: time.Now()}
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return sm, err
	}
	for line := range strings.SplitSeq(string(status), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			sm.RSS = kb << 10
		}
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return sm, err
	}
	// The command name, in parentheses, may hold spaces: fields count
	// from after its closing one (utime and stime are fields 14 and 15).
	i := strings.LastIndexByte(string(stat), ')')
	if i < 0 {
		return sm, fmt.Errorf("/proc/%d/stat: no command name", pid)
	}
	fields := strings.Fields(string(stat[i+1:]))
	if len(fields) < 13 {
		return sm, fmt.Errorf("/proc/%d/stat: %d fields", pid, len(fields))
	}
	utime, _ := strconv.ParseInt(fields[11], 10, 64)
	stime, _ := strconv.ParseInt(fields[12], 10, 64)
	sm.CPU = time.Duration(utime+stime) * time.Second / clockTicks
	return sm, nil
}
