package config

import "time"

// Limits bound the work one request may cost the router. The operation
// limits are checked before validation; an operation over one is refused
// with a BAD_USER_INPUT error naming the limit. The defaults are the
// router's own (router/limits), which a test in app/ holds them to.
type Limits struct {
	// MaxTokens bounds the lexical tokens of a document.
	MaxTokens int `koanf:"max_tokens" yaml:"max_tokens"`
	// MaxDepth bounds how deeply fields nest.
	MaxDepth int `koanf:"max_depth" yaml:"max_depth"`
	// MaxAliases bounds the aliased fields, fragments expanded.
	MaxAliases int `koanf:"max_aliases" yaml:"max_aliases"`
	// MaxRootFields bounds the fields of an operation's root selection.
	MaxRootFields int `koanf:"max_root_fields" yaml:"max_root_fields"`
	// MaxFields bounds the fields of an operation, fragments expanded.
	MaxFields int `koanf:"max_fields" yaml:"max_fields"`
	// MaxRepeats bounds the fields repeating a response path already
	// selected, which validation compares pairwise.
	MaxRepeats int `koanf:"max_repeats" yaml:"max_repeats"`
	// MaxCost bounds an operation's estimated cost (demand control, from
	// the supergraph's @cost and @listSize); ListSize is the size assumed
	// for a list nothing else sizes.
	MaxCost  int `koanf:"max_cost" yaml:"max_cost"`
	ListSize int `koanf:"list_size" yaml:"list_size"`
	// MaxResponseBytes bounds the data one request gathers and returns.
	MaxResponseBytes int64 `koanf:"max_response_bytes" yaml:"max_response_bytes"`
	// RequestTimeout bounds the execution of one request, every subgraph
	// fetch of its plan included.
	RequestTimeout time.Duration `koanf:"request_timeout" yaml:"request_timeout"`
	// WarnOnly logs operations over the operation limits instead of
	// refusing them; the response size and timeout still apply.
	WarnOnly bool `koanf:"warn_only" yaml:"warn_only"`
}

func defaultLimits() Limits {
	return Limits{
		MaxTokens: 10_000, MaxDepth: 32, MaxAliases: 100, MaxRootFields: 100, MaxFields: 1_000, MaxRepeats: 200,
		MaxCost: 50_000, ListSize: 10,
		MaxResponseBytes: 8 << 20, RequestTimeout: 30 * time.Second,
	}
}

func (l Limits) problems(check func(ok bool, format string, args ...any)) {
	for _, f := range []struct {
		key string
		v   int64
	}{
		{"max_tokens", int64(l.MaxTokens)}, {"max_depth", int64(l.MaxDepth)}, {"max_aliases", int64(l.MaxAliases)},
		{"max_root_fields", int64(l.MaxRootFields)}, {"max_fields", int64(l.MaxFields)}, {"max_repeats", int64(l.MaxRepeats)},
		{"max_cost", int64(l.MaxCost)}, {"list_size", int64(l.ListSize)},
		{"max_response_bytes", l.MaxResponseBytes},
	} {
		check(f.v > 0, "router.limits.%s: must be positive, got %d", f.key, f.v)
	}
	check(l.RequestTimeout > 0, "router.limits.request_timeout: must be positive, got %s", l.RequestTimeout)
}
