package dataload_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/vikstrous/dataloadgen"

	"github.com/cinegraph/cinegraph/internal/dataload"
)

type catalogLoaders struct{ name string }
type chatLoaders struct{ name string }

func TestMiddlewareGivesEachRequestItsOwnLoaders(t *testing.T) {
	t.Parallel()
	n := 0
	var seen []*catalogLoaders
	h := dataload.Middleware(func() *catalogLoaders { n++; return &catalogLoaders{} })(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		seen = append(seen, dataload.For[catalogLoaders](r.Context()))
	}))
	for range 2 {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodPost, "/", nil))
	}
	if n != 2 || len(seen) != 2 || seen[0] == seen[1] {
		t.Fatalf("%d loaders made, requests saw %p %p; want one each", n, seen[0], seen[1])
	}
}

func TestLoadersOfEachSubgraphKeptApart(t *testing.T) {
	t.Parallel()
	ctx := dataload.With(context.Background(), &catalogLoaders{name: "catalog"})
	ctx = dataload.ForConnection(func() *chatLoaders { return &chatLoaders{name: "chat"} })(ctx)
	if got := dataload.For[catalogLoaders](ctx).name; got != "catalog" {
		t.Fatalf("catalog loaders = %q", got)
	}
	if got := dataload.For[chatLoaders](ctx).name; got != "chat" {
		t.Fatalf("chat loaders = %q", got)
	}
}

func TestForWithoutLoadersPanics(t *testing.T) {
	t.Parallel()
	defer func() {
		err, _ := recover().(error)
		if !errors.Is(err, dataload.ErrMissing) {
			t.Fatalf("recovered %v, want ErrMissing", err)
		}
	}()
	dataload.For[catalogLoaders](context.Background())
}

func TestAligned(t *testing.T) {
	t.Parallel()
	down := errors.New("store down")
	tests := []struct {
		name    string
		err     error
		want    []string
		wantErr error
	}{
		{"answers in key order", nil, []string{"A", "B"}, nil},
		{"a failure fails every key", down, []string{"", ""}, down},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fetch := dataload.Aligned(func(_ context.Context, keys []string) ([]string, error) {
				if tc.err != nil {
					return nil, tc.err
				}
				return []string{"A", "B"}, nil
			})
			values, errs := fetch(context.Background(), []string{"a", "b"})
			if len(values) != 2 || values[0] != tc.want[0] || values[1] != tc.want[1] {
				t.Fatalf("values %v, want %v", values, tc.want)
			}
			for i := range 2 {
				if errs != nil && !errors.Is(errs[i], tc.wantErr) || errs == nil && tc.wantErr != nil {
					t.Fatalf("errs %v, want %v for every key", errs, tc.wantErr)
				}
			}
		})
	}
}

func TestConfigOptions(t *testing.T) {
	t.Parallel()
	calls := 0
	fetch := func(_ context.Context, keys []string) ([]string, []error) { calls++; return keys, nil }
	tests := []struct {
		name      string
		cfg       dataload.Config
		wantCalls int
	}{
		{"cached", dataload.Config{}, 1},
		{"uncached", dataload.Config{NoCache: true, Wait: time.Millisecond}, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			calls = 0
			l := dataloadgen.NewLoader(fetch, tc.cfg.Options(time.Millisecond)...)
			for range 2 {
				if v, err := l.Load(context.Background(), "k"); err != nil || v != "k" {
					t.Fatalf("Load = %q, %v", v, err)
				}
			}
			if calls != tc.wantCalls {
				t.Fatalf("%d fetches for two loads, want %d", calls, tc.wantCalls)
			}
		})
	}
}
