package plan

import "testing"

func TestCacheEvictsLeastRecentlyUsed(t *testing.T) {
	t.Parallel()
	c := NewCache[int](2)
	c.Add("a", 1)
	c.Add("b", 2)
	if v, ok := c.Get("a"); !ok || v != 1 {
		t.Fatalf("get a = %v %v", v, ok)
	}
	c.Add("c", 3) // evicts b, the least recently used
	if _, ok := c.Get("b"); ok {
		t.Fatal("b should have been evicted")
	}
	for _, k := range []string{"a", "c"} {
		if _, ok := c.Get(k); !ok {
			t.Fatalf("%s missing", k)
		}
	}
	if c.Len() != 2 {
		t.Fatalf("len = %d", c.Len())
	}
}
