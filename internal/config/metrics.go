package config

// Metrics configures the Prometheus metrics every process serves at
// /metrics on its admin listener (admin.listen).
type Metrics struct {
	// Enabled collects metrics and serves /metrics; off, nothing is
	// counted and /metrics is not found.
	Enabled bool `koanf:"enabled" yaml:"enabled"`
	// MaxOperationNames bounds the operation_name label of the router's
	// request metrics: the first this many distinct names of operations
	// that validated get their own value, later ones count as "other".
	// 0 gives none its own.
	MaxOperationNames int `koanf:"max_operation_names" yaml:"max_operation_names"`
}

// MaxOperationNamesLimit is the largest metrics.max_operation_names: each
// name costs series in every scrape.
const MaxOperationNamesLimit = 1000

func defaultMetrics() Metrics {
	return Metrics{Enabled: true, MaxOperationNames: 100}
}

func (m Metrics) problems(check func(ok bool, format string, args ...any)) {
	check(m.MaxOperationNames >= 0 && m.MaxOperationNames <= MaxOperationNamesLimit,
		"metrics.max_operation_names: must be from 0 to %d, got %d", MaxOperationNamesLimit, m.MaxOperationNames)
}
