// Package inlist prepares the keys of a batch read for IN (...)
// restrictions, whatever the engine: duplicates removed first, so that a
// key asked for twice is neither read nor counted twice even when its copies
// would land in different chunks, then split into chunks the engine
// accepts.
package inlist

// Unique returns keys without duplicates, in first-seen order.
func Unique[K comparable](keys []K) []K {
	seen := make(map[K]struct{}, len(keys))
	out := make([]K, 0, len(keys))
	for _, k := range keys {
		if _, dup := seen[k]; !dup {
			seen[k] = struct{}{}
			out = append(out, k)
		}
	}
	return out
}

// Chunks returns keys without duplicates, in first-seen order, split into
// slices of at most size keys; none for no keys.
func Chunks[K comparable](keys []K, size int) [][]K {
	if size <= 0 {
		panic("inlist: chunk size must be positive")
	}
	uniq := Unique(keys)
	var out [][]K
	for start := 0; start < len(uniq); start += size {
		out = append(out, uniq[start:min(start+size, len(uniq))])
	}
	return out
}
