package config

import (
	"slices"

	"github.com/cinegraph/cinegraph/internal/compression"
)

// Compression says what the router compresses (internal/compression).
// Compressed request bodies from clients (Content-Encoding gzip or zstd)
// are accepted whatever it says, held to router.max_request_bytes once
// decompressed.
type Compression struct {
	// Enabled compresses responses to clients that accept zstd or gzip;
	// never streams (websockets, SSE, multipart subscriptions).
	Enabled bool `koanf:"enabled" yaml:"enabled"`
	// MinBytes is the smallest body compressed, responses to clients and
	// requests to subgraphs alike. (The subgraphs' servers compress their
	// answers above the default, 1 KiB, when the router asks.)
	MinBytes int `koanf:"min_bytes" yaml:"min_bytes"`
	// Algorithms are the codings offered, in order of preference: the
	// first wins when a client accepts several equally.
	Algorithms []string `koanf:"algorithms" yaml:"algorithms"`
	// Subgraphs gzips the router's requests to subgraphs above MinBytes
	// and asks subgraphs for compressed responses: worth it when
	// subgraphs are across a slow or metered network, not on loopback.
	Subgraphs bool `koanf:"subgraphs" yaml:"subgraphs"`
}

func defaultCompression() Compression {
	return Compression{
		Enabled:    true,
		MinBytes:   compression.DefaultMinBytes,
		Algorithms: slices.Clone(compression.DefaultAlgorithms),
	}
}

func (c Compression) problems(check func(ok bool, format string, args ...any)) {
	check(c.MinBytes >= 0, "router.compression.min_bytes: must not be negative, got %d", c.MinBytes)
	check(len(c.Algorithms) > 0, "router.compression.algorithms: must name zstd, gzip or both")
	for i, a := range c.Algorithms {
		check(compression.Valid(a), "router.compression.algorithms: %q is not one of zstd, gzip", a)
		check(!slices.Contains(c.Algorithms[:i], a), "router.compression.algorithms: %q is named twice", a)
	}
}
