package resilience

import (
	"strings"
	"testing"
	"time"
)

func TestPolicyFor(t *testing.T) {
	t.Parallel()
	cfg := Config{
		Default: Policy{Timeout: 3 * time.Second, Bulkhead: Bulkhead{MaxConcurrent: 16}},
		Subgraphs: map[string]Policy{
			"video": {Timeout: time.Second, Breaker: Breaker{OpenFor: time.Minute}, HealthURL: "http://video/health"},
		},
	}
	cases := []struct {
		subgraph string
		want     func(p *Policy)
	}{
		{"catalog", func(p *Policy) { p.Timeout = 3 * time.Second; p.Bulkhead.MaxConcurrent = 16 }},
		{"video", func(p *Policy) {
			p.Timeout = time.Second
			p.Bulkhead.MaxConcurrent = 16
			p.Breaker.OpenFor = time.Minute
			p.HealthURL = "http://video/health"
		}},
	}
	for _, tc := range cases {
		t.Run(tc.subgraph, func(t *testing.T) {
			want := Defaults()
			tc.want(&want)
			if got := cfg.For(tc.subgraph); got != want {
				t.Fatalf("got  %+v\nwant %+v", got, want)
			}
		})
	}
}

func TestValidateReportsEveryProblem(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		cfg  Config
		want []string
	}{
		{"zero is every default", Config{}, nil},
		{"out of range", Config{
			Default: Policy{Timeout: -time.Second, Breaker: Breaker{FailureRate: 150}},
			Subgraphs: map[string]Policy{
				"video": {Retry: Retry{Jitter: 2, MaxAttempts: -1}},
			},
		}, []string{
			"default: timeout must not be negative",
			"default: breaker failure rate must be a percentage",
			"subgraph video: retry max attempts must not be negative",
			"subgraph video: retry jitter must be between 0 and 1",
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.cfg.Validate()
			if len(tc.want) == 0 {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("%v\ndoes not say %q", err, w)
				}
			}
		})
	}
}

func TestUnrouted(t *testing.T) {
	t.Parallel()
	g, err := New(Config{
		Subgraphs: map[string]Policy{"video": {}, "vidoe": {}},
		Required:  []string{"catalog", "catalgo", "vidoe"},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"catalog", "video"} {
		g.Middleware(name, "http://"+name, nil)
	}
	if got := strings.Join(g.Unrouted(), " "); got != "catalgo vidoe" {
		t.Fatalf("unrouted %q, want the two typos", got)
	}
}
