package cassandra

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync/atomic"
	"testing"

	"github.com/gocql/gocql"
)

func TestValidKeyspace(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		ok   bool
	}{
		{"cinegraph", true},
		{"cg_test_01", true},
		{"", false},
		{"1abc", false},
		{"Cinegraph", false},
		{"x; DROP KEYSPACE y", false},
		{"a23456789012345678901234567890123456789012345678", true},
		{"a234567890123456789012345678901234567890123456789", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if err := ValidKeyspace(tc.name); (err == nil) != tc.ok {
				t.Fatalf("ValidKeyspace(%q) = %v, want ok=%v", tc.name, err, tc.ok)
			}
		})
	}
}

func TestParseConsistency(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want gocql.Consistency
		ok   bool
	}{
		{"LOCAL_QUORUM", gocql.LocalQuorum, true},
		{"one", gocql.One, true},
		{"QUORUM", gocql.Quorum, true},
		{"SOMETIMES", 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			got, err := parseConsistency(tc.in)
			if (err == nil) != tc.ok || (tc.ok && got != tc.want) {
				t.Fatalf("parseConsistency(%q) = %v, %v; want %v ok=%v", tc.in, got, err, tc.want, tc.ok)
			}
		})
	}
}

func TestChunks(t *testing.T) {
	t.Parallel()
	var keys []string
	for i := range 250 {
		keys = append(keys, fmt.Sprint(i), fmt.Sprint(i)) // every key twice
	}
	chunks := Chunks(keys)
	var sizes []int
	var flat []string
	for _, c := range chunks {
		sizes = append(sizes, len(c))
		flat = append(flat, c...)
	}
	if !slices.Equal(sizes, []int{100, 100, 50}) {
		t.Fatalf("chunk sizes %v, want [100 100 50]", sizes)
	}
	if len(flat) != 250 || flat[0] != "0" || flat[249] != "249" {
		t.Fatalf("chunks lost order or keys: %d keys, first %q last %q", len(flat), flat[0], flat[len(flat)-1])
	}
	if Chunks(nil) != nil {
		t.Fatal("no keys should give no chunks")
	}
}

func TestEachStopsAtFirstError(t *testing.T) {
	t.Parallel()
	boom := errors.New("boom")
	var calls atomic.Int32
	err := Each(context.Background(), make([]int, 1000), func(ctx context.Context, _ int) error {
		calls.Add(1)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
}
