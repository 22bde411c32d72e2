package catalog

import (
	"time"

	"github.com/cinegraph/cinegraph/internal/depguard"
)

// Guard policies of the catalog's dependencies (internal/depguard); what
// they leave unset is depguard's default: open after 5 failures in a row or
// 50% of 20 calls in 10 s, refuse for 5 s, close after 3 good probes.
const (
	// searchTimeout bounds one search: bleve answers in milliseconds,
	// Elasticsearch in tens; past it the store's name match is quicker.
	searchTimeout = 2 * time.Second
	// searchMaxConcurrent searches run at once; more wait up to
	// searchMaxWait, then fall back.
	searchMaxConcurrent = 32
	searchMaxWait       = 100 * time.Millisecond
	// cacheTimeout bounds one Redis round trip, normally well under a
	// millisecond; a cache slower than that is worse than none.
	cacheTimeout = 250 * time.Millisecond
	// cacheMaxConcurrent bounds Redis calls in flight; every entity
	// read of every request goes through the cache.
	cacheMaxConcurrent = 256
	cacheMaxWait       = 50 * time.Millisecond
)

func searchPolicy() depguard.Policy {
	return depguard.Policy{Timeout: searchTimeout, MaxConcurrent: searchMaxConcurrent, MaxWait: searchMaxWait}
}

func cachePolicy() depguard.Policy {
	return depguard.Policy{Timeout: cacheTimeout, MaxConcurrent: cacheMaxConcurrent, MaxWait: cacheMaxWait}
}
