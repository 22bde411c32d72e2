package ratelimit_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/router/ratelimit"
)

func TestHeaderOrIP(t *testing.T) {
	t.Parallel()
	key := ratelimit.HeaderOrIP("X-Verified-Identity")
	cases := []struct {
		name   string
		remote string
		header map[string]string
		want   string
	}{
		{"ip", "203.0.113.7:5555", nil, "ip:203.0.113.7"},
		{"ipv6", "[2001:db8::1]:443", nil, "ip:2001:db8::1"},
		{"identity header wins", "203.0.113.7:5555", map[string]string{"x-verified-identity": "u42"}, "X-Verified-Identity:u42"},
		{"empty header is ignored", "203.0.113.7:5555", map[string]string{"X-Verified-Identity": ""}, "ip:203.0.113.7"},
		{"other headers are ignored", "203.0.113.7:5555", map[string]string{"X-Forwarded-For": "1.2.3.4"}, "ip:203.0.113.7"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := httptest.NewRequest(http.MethodPost, "/graphql", nil)
			r.RemoteAddr = tc.remote
			for k, v := range tc.header {
				r.Header.Set(k, v)
			}
			if got := key(r); got != tc.want {
				t.Fatalf("key %q, want %q", got, tc.want)
			}
		})
	}
}

func TestPolicy(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	slow := ratelimit.Limit{Rate: 1.0 / 3600, Burst: 2}
	t.Run("per client", func(t *testing.T) {
		t.Parallel()
		p := ratelimit.New(ratelimit.Config{PerClient: slow})
		for range 2 {
			if e := p.Request(ctx, "a"); e != nil {
				t.Fatalf("refused within the burst: %v", e)
			}
		}
		e := p.Request(ctx, "a")
		if e == nil || e.Limit != ratelimit.LimitPerClient || e.RetryAfterSeconds() < 3000 {
			t.Fatalf("got %+v, want per_client with about an hour to wait", e)
		}
		if e := p.Request(ctx, "b"); e != nil {
			t.Fatalf("another client refused: %v", e)
		}
	})
	t.Run("per operation", func(t *testing.T) {
		t.Parallel()
		p := ratelimit.New(ratelimit.Config{PerOperation: map[string]ratelimit.Limit{"Search": slow}})
		for range 2 {
			if e := p.Operation(ctx, "a", "Search"); e != nil {
				t.Fatalf("refused within the burst: %v", e)
			}
		}
		if e := p.Operation(ctx, "a", "Search"); e == nil || e.Limit != ratelimit.LimitPerOperation || e.Operation != "Search" {
			t.Fatalf("got %+v, want per_operation Search", e)
		}
		for range 10 {
			if e := p.Operation(ctx, "a", "Other"); e != nil {
				t.Fatalf("unlimited operation refused: %v", e)
			}
		}
		if e := p.Operation(ctx, "b", "Search"); e != nil {
			t.Fatalf("another client refused: %v", e)
		}
	})
	t.Run("limiter failure lets requests through", func(t *testing.T) {
		t.Parallel()
		p := ratelimit.New(ratelimit.Config{Limiter: failing{}, PerClient: slow})
		for range 5 {
			if e := p.Request(ctx, "a"); e != nil {
				t.Fatalf("refused on a failing limiter: %v", e)
			}
		}
	})
	t.Run("connection caps", func(t *testing.T) {
		t.Parallel()
		p := ratelimit.New(ratelimit.Config{MaxConnectionsPerClient: 2, MaxConnections: 3})
		a1, e := p.Connect(ctx, "a")
		mustAdmit(t, e)
		_, e = p.Connect(ctx, "a")
		mustAdmit(t, e)
		if _, e := p.Connect(ctx, "a"); e == nil || e.Limit != ratelimit.LimitConnections {
			t.Fatalf("third from a: got %+v, want %s", e, ratelimit.LimitConnections)
		}
		_, e = p.Connect(ctx, "b")
		mustAdmit(t, e)
		if _, e := p.Connect(ctx, "c"); e == nil || e.Limit != ratelimit.LimitAllConnections {
			t.Fatalf("fourth in all: got %+v, want %s", e, ratelimit.LimitAllConnections)
		}
		a1()
		a1() // a second release changes nothing
		_, e = p.Connect(ctx, "c")
		mustAdmit(t, e)
		if _, e := p.Connect(ctx, "c"); e == nil {
			t.Fatal("admitted past the total after a double release")
		}
	})
	t.Run("connection flood spends the client's allowance", func(t *testing.T) {
		t.Parallel()
		p := ratelimit.New(ratelimit.Config{PerClient: slow})
		for range 2 {
			_, e := p.Connect(ctx, "a")
			mustAdmit(t, e)
		}
		if _, e := p.Connect(ctx, "a"); e == nil || e.Limit != ratelimit.LimitPerClient {
			t.Fatalf("got %+v, want per_client", e)
		}
	})
}

func mustAdmit(t *testing.T, e *ratelimit.Exceeded) {
	t.Helper()
	if e != nil {
		t.Fatalf("refused: %v", e)
	}
}

type failing struct{}

func (failing) Allow(context.Context, string, ratelimit.Limit) (ratelimit.Decision, error) {
	return ratelimit.Decision{}, errors.New("down")
}

func TestExceededRetryAfterSeconds(t *testing.T) {
	t.Parallel()
	cases := []struct {
		wait time.Duration
		want int
	}{{0, 1}, {time.Millisecond, 1}, {time.Second, 1}, {1001 * time.Millisecond, 2}, {time.Minute, 60}}
	for _, tc := range cases {
		t.Run(tc.wait.String(), func(t *testing.T) {
			t.Parallel()
			if got := (&ratelimit.Exceeded{RetryAfter: tc.wait}).RetryAfterSeconds(); got != tc.want {
				t.Fatalf("got %d, want %d", got, tc.want)
			}
		})
	}
}
