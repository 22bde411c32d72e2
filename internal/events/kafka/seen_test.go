package kafka

import (
	"fmt"
	"testing"
)

func TestSeenIDsIsBounded(t *testing.T) {
	t.Parallel()
	s := newSeenIDs(3)
	for i := range 5 {
		if !s.addNew(fmt.Sprint(i)) {
			t.Fatalf("%d reported as seen", i)
		}
	}
	cases := []struct {
		id   string
		want bool
	}{{"0", false}, {"1", false}, {"2", true}, {"3", true}, {"4", true}}
	for _, c := range cases {
		t.Run(c.id, func(t *testing.T) {
			if got := s.has(c.id); got != c.want {
				t.Errorf("has(%s) = %v, want %v", c.id, got, c.want)
			}
		})
	}
	if s.addNew("4") {
		t.Error("a remembered id was added again")
	}
	if len(s.index) != 3 || s.order.Len() != 3 {
		t.Errorf("holds %d/%d ids, bound 3", len(s.index), s.order.Len())
	}
}
