package faults

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// TestBalancerSendsOnlyToReadyRouters: round robin over the ready routers,
// whatever their place in the list.
func TestBalancerSendsOnlyToReadyRouters(t *testing.T) {
	t.Parallel()
	router := func(ready *atomic.Bool) *httptest.Server {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !ready.Load() {
				w.WriteHeader(http.StatusServiceUnavailable)
			}
		}))
		t.Cleanup(srv.Close)
		return srv
	}
	tests := []struct {
		name  string
		ready []bool
		want  map[string]int // picks per router over 12 picks
	}{
		{"both ready", []bool{true, true}, map[string]int{"r0": 6, "r1": 6}},
		{"first unready", []bool{false, true}, map[string]int{"r1": 12}},
		{"second unready", []bool{true, false}, map[string]int{"r0": 12}},
		{"one of three unready", []bool{true, false, true}, map[string]int{"r0": 6, "r2": 6}},
		{"none ready", []bool{false, false}, map[string]int{"": 12}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := NewBalancer(context.Background(), nil)
			defer b.Close()
			for i, r := range tc.ready {
				var ready atomic.Bool
				ready.Store(r)
				b.Add("r"+string(rune('0'+i)), router(&ready).URL)
			}
			got := map[string]int{}
			for range 12 {
				name := ""
				if e := b.Pick(); e != nil {
					name = e.Name
				}
				got[name]++
			}
			if len(got) != len(tc.want) {
				t.Fatalf("picks %v, want %v", got, tc.want)
			}
			for name, n := range tc.want {
				if got[name] != n {
					t.Fatalf("picks %v, want %v", got, tc.want)
				}
			}
		})
	}
}

// TestBalancerFollowsReadiness: a router that turns unready stops getting
// picked within a poll, and one whose connection failed at once.
func TestBalancerFollowsReadiness(t *testing.T) {
	t.Parallel()
	var ready atomic.Bool
	ready.Store(true)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !ready.Load() {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	}))
	defer srv.Close()
	b := NewBalancer(context.Background(), nil)
	defer b.Close()
	b.Add("r", srv.URL)
	if b.Pick() == nil {
		t.Fatal("a ready router was not picked")
	}
	ready.Store(false)
	for deadline := time.Now().Add(5 * time.Second); b.Pick() != nil; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("an unready router was still picked after 5 s")
		}
	}
	ready.Store(true)
	for deadline := time.Now().Add(5 * time.Second); b.Pick() == nil; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("a router ready again was not picked within 5 s")
		}
	}
	b.Failed(b.Pick())
	if b.Pick() != nil {
		t.Fatal("a router whose connection failed was still picked")
	}
}
