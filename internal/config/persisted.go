package config

import (
	"slices"
	"time"
)

// PersistedQueries configures documents sent by hash. Automatic persisted
// queries (APQ) are on by default: a client sends the SHA-256 of a document
// and the document only when the router does not know it yet, kept in
// memory in embedded mode and in Redis (storage.redis) in cluster mode.
// Trusted documents come from a manifest in Apollo's persisted query list
// format; with Safelist on, only they run.
type PersistedQueries struct {
	// APQ is "on" or "off".
	APQ string `koanf:"apq" yaml:"apq"`
	// TTL is how long a registered document is kept after it was last
	// registered; 0 keeps it until evicted.
	TTL time.Duration `koanf:"ttl" yaml:"ttl"`
	// CacheSize bounds the documents kept in memory (embedded mode).
	CacheSize int `koanf:"cache_size" yaml:"cache_size"`
	// Manifest is a persisted query list file (the web app's build writes
	// frontend/persisted-query-manifest.json); empty means none.
	Manifest string `koanf:"manifest" yaml:"manifest"`
	// Safelist refuses every operation whose document is not in Manifest,
	// whether sent whole or by hash.
	Safelist bool `koanf:"safelist" yaml:"safelist"`
}

// APQ settings.
const (
	APQOn  = "on"
	APQOff = "off"
	// DefaultAPQTTL keeps a document a day: a client that went quiet longer
	// only sends it once more.
	DefaultAPQTTL = 24 * time.Hour
	// DefaultAPQCacheSize leaves room for many versions of the web app's
	// few dozen operations.
	DefaultAPQCacheSize = 1000
)

func defaultPersistedQueries() PersistedQueries {
	return PersistedQueries{APQ: APQOn, TTL: DefaultAPQTTL, CacheSize: DefaultAPQCacheSize}
}

func (p PersistedQueries) problems(check func(ok bool, format string, args ...any)) {
	check(slices.Contains([]string{APQOn, APQOff}, p.APQ), "router.persisted_queries.apq: %q is not one of on, off", p.APQ)
	check(p.TTL >= 0, "router.persisted_queries.ttl: must not be negative, got %s", p.TTL)
	check(p.CacheSize > 0, "router.persisted_queries.cache_size: must be positive, got %d", p.CacheSize)
	check(!p.Safelist || p.Manifest != "", "router.persisted_queries.safelist: needs a manifest")
}
