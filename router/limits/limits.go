// Package limits bounds the work one GraphQL request may cost the router.
// It counts a document's tokens while lexing and measures the parsed
// document (depth, aliases, root fields, and its size with fragments
// expanded, each fragment measured once) before validation and planning
// spend time and memory on it; it estimates a validated operation's cost
// from the supergraph's @cost and @listSize (demand control, cost.go)
// before any fetch; and it holds the execution bounds the executor
// enforces: a deadline and a cap on the response size.
package limits

import (
	"errors"
	"fmt"
	"time"

	"github.com/cinegraph/cinegraph/router/plan"
)

// Defaults. Cinegraph's web app, GraphiQL's introspection query and the
// federation benchmark stay well inside them: their deepest operations nest
// about a dozen fields and expand to a few hundred.
const (
	// DefaultMaxTokens bounds the lexical tokens of a document (the full
	// introspection query has about 300).
	DefaultMaxTokens = 10_000
	// DefaultMaxDepth bounds how deeply fields nest.
	DefaultMaxDepth = 32
	// DefaultMaxAliases bounds the aliased fields, fragments expanded.
	DefaultMaxAliases = 100
	// DefaultMaxRootFields bounds the fields of an operation's root
	// selection set.
	DefaultMaxRootFields = 100
	// DefaultMaxFields bounds the fields of an operation with its fragments
	// expanded, and so the work of normalizing and planning it.
	DefaultMaxFields = 1_000
	// DefaultMaxRepeats bounds the fields that repeat a response path
	// already selected (`{ a a }` repeats one). Validation compares every
	// two fields on one path (gqlparser's OverlappingFieldsCanBeMerged), so
	// it costs the square of the repeats: 15,000 __typename took 17 s, 200
	// repeats cost at most 20,100 comparisons. Fragments that each select
	// id and __typename beside each other repeat a few dozen at most.
	DefaultMaxRepeats = 200
	// DefaultMaxResponseBytes bounds the data one request gathers from
	// subgraphs and writes to the client, counted as JSON: decoded, that
	// much data holds about ten times as much heap.
	DefaultMaxResponseBytes = 8 << 20
	// DefaultTimeout bounds the execution of one request, every fetch of
	// its plan included.
	DefaultTimeout = 30 * time.Second
	// DefaultMaxCost bounds an operation's estimated cost (cost.go): about
	// the objects it may return. The web app's costliest operation, the
	// title page, estimates at about 1,250; the federation benchmark's deep
	// query, on a supergraph with no @listSize, at about 22,000.
	DefaultMaxCost = 50_000
	// DefaultListSize is the size assumed for a list that neither a slicing
	// argument nor @listSize(assumedSize:) sizes.
	DefaultListSize = 10
)

// Config sets the limits; a zero field means its default.
type Config struct {
	MaxTokens     int
	MaxDepth      int
	MaxAliases    int
	MaxRootFields int
	MaxFields     int
	MaxRepeats    int
	// MaxCost bounds the estimated cost; ListSize is the size assumed for
	// lists nothing else sizes.
	MaxCost  int
	ListSize int
	// MaxResponseBytes and Timeout bound execution (router/execute).
	MaxResponseBytes int64
	Timeout          time.Duration
	// WarnOnly logs operations over the token, depth, alias, root field,
	// field, repeat and cost limits instead of refusing them, to learn what a limit
	// would refuse before enforcing it. What the planner cannot do at all
	// (plan.MaxNesting, plan.MaxSelections) is still refused, and the
	// response size and deadline still apply.
	WarnOnly bool
}

// Default is the configuration with every default filled in.
func Default() Config { return Config{}.WithDefaults() }

// WithDefaults fills the zero fields of c with the defaults.
func (c Config) WithDefaults() Config {
	set := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	set(&c.MaxTokens, DefaultMaxTokens)
	set(&c.MaxDepth, DefaultMaxDepth)
	set(&c.MaxAliases, DefaultMaxAliases)
	set(&c.MaxRootFields, DefaultMaxRootFields)
	set(&c.MaxFields, DefaultMaxFields)
	set(&c.MaxRepeats, DefaultMaxRepeats)
	set(&c.MaxCost, DefaultMaxCost)
	set(&c.ListSize, DefaultListSize)
	if c.MaxResponseBytes == 0 {
		c.MaxResponseBytes = DefaultMaxResponseBytes
	}
	if c.Timeout == 0 {
		c.Timeout = DefaultTimeout
	}
	return c
}

// Validate reports every problem with c at once.
func (c Config) Validate() error {
	var errs []error
	check := func(ok bool, format string, args ...any) {
		if !ok {
			errs = append(errs, fmt.Errorf(format, args...))
		}
	}
	for _, f := range []struct {
		name string
		v    int
	}{{"max tokens", c.MaxTokens}, {"max depth", c.MaxDepth}, {"max aliases", c.MaxAliases}, {"max root fields", c.MaxRootFields}, {"max fields", c.MaxFields}, {"max repeats", c.MaxRepeats}, {"max cost", c.MaxCost}, {"list size", c.ListSize}} {
		check(f.v >= 0, "limits: %s must not be negative, got %d", f.name, f.v)
	}
	check(c.MaxDepth <= plan.MaxNesting, "limits: max depth must be at most %d, got %d", plan.MaxNesting, c.MaxDepth)
	check(c.MaxFields <= plan.MaxSelections, "limits: max fields must be at most %d, got %d", plan.MaxSelections, c.MaxFields)
	check(c.MaxResponseBytes >= 0, "limits: max response bytes must not be negative, got %d", c.MaxResponseBytes)
	check(c.Timeout >= 0, "limits: timeout must not be negative, got %s", c.Timeout)
	return errors.Join(errs...)
}

// The limits, as Exceeded names them.
const (
	Tokens     = "token"
	Depth      = "depth"
	Aliases    = "alias"
	RootFields = "root field"
	Fields     = "field"
	Repeats    = "repeated field"
	Cost       = "cost"
	// Nesting and Selections are the planner's own bounds (plan.MaxNesting
	// and plan.MaxSelections), which warn-only mode does not lift.
	Nesting    = "nesting"
	Selections = "selection"
)

// Exceeded is an operation over one limit.
type Exceeded struct {
	Limit string // Tokens, Depth, ...
	Value int    // what the operation has, or a lower bound of it
	Max   int
}

func (e *Exceeded) Error() string {
	return fmt.Sprintf("operation exceeds the %s limit (%d > %d)", e.Limit, e.Value, e.Max)
}
