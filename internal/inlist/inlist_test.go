package inlist_test

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/cinegraph/cinegraph/internal/inlist"
)

func TestChunks(t *testing.T) {
	t.Parallel()
	many := func(n int, key func(i int) string) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = key(i)
		}
		return out
	}
	tests := []struct {
		name string
		keys []string
		size int
		want [][]string
	}{
		{"none", nil, 2, nil},
		{"one chunk", []string{"a", "b"}, 2, [][]string{{"a", "b"}}},
		{"split", []string{"a", "b", "c"}, 2, [][]string{{"a", "b"}, {"c"}}},
		{"duplicates removed before splitting", []string{"a", "b", "a", "c", "b"}, 2, [][]string{{"a", "b"}, {"c"}}},
		// Copies that would have landed in different chunks: the defect
		// that counted a title's messages twice.
		{"copies across chunk bounds", many(501, func(int) string { return "t1" }), 500, [][]string{{"t1"}}},
		{"first-seen order", many(6, func(i int) string { return fmt.Sprint(5 - i%3) }), 2, [][]string{{"5", "4"}, {"3"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := inlist.Chunks(tc.keys, tc.size); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("Chunks = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestUnique(t *testing.T) {
	t.Parallel()
	if got := inlist.Unique([]int{3, 1, 3, 2, 1}); !reflect.DeepEqual(got, []int{3, 1, 2}) {
		t.Fatalf("Unique = %v", got)
	}
	if got := inlist.Unique[string](nil); got == nil || len(got) != 0 {
		t.Fatalf("Unique(nil) = %#v, want an empty list to bind", got)
	}
}
