package limits

import (
	"log/slog"
	"math"

	cgerrs "github.com/cinegraph/cinegraph/internal/errs"
	"github.com/cinegraph/cinegraph/router/plan"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/lexer"
	"github.com/vektah/gqlparser/v2/parser"
)

// Checker parses documents within the limits.
type Checker struct {
	cfg    Config
	logger *slog.Logger
}

// New returns a Checker for cfg (zero fields take their defaults); logger
// records what warn-only mode lets through.
func New(cfg Config, logger *slog.Logger) (*Checker, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Checker{cfg: cfg.WithDefaults(), logger: logger}, nil
}

// Config is the checker's configuration, defaults filled in.
func (c *Checker) Config() Config { return c.cfg }

// Parse parses query, counting its tokens first and measuring the document
// before anyone validates or plans it. An operation over a limit is refused
// with a *gqlerror.Error whose extensions carry code BAD_USER_INPUT and the
// limit's name; in warn-only mode it is logged and returned.
func (c *Checker) Parse(query string) (*ast.QueryDocument, error) {
	// A syntax error stops the count; the parser reports it.
	if n := CountTokens(query); n > c.cfg.MaxTokens {
		if err := c.exceeded(&Exceeded{Limit: Tokens, Value: n, Max: c.cfg.MaxTokens}); err != nil {
			return nil, err
		}
	}
	doc, err := parser.ParseQuery(&ast.Source{Input: query})
	if err != nil {
		return nil, err
	}
	m := Measure(doc)
	for _, e := range []Exceeded{
		{Depth, m.Depth, c.cfg.MaxDepth},
		{Fields, m.Fields, c.cfg.MaxFields},
		{RootFields, m.RootFields, c.cfg.MaxRootFields},
		{Aliases, m.Aliases, c.cfg.MaxAliases},
	} {
		if e.Value > e.Max {
			if err := c.exceeded(&e); err != nil {
				return nil, err
			}
		}
	}
	// What the planner cannot build is refused even in warn-only mode.
	if m.Nesting > plan.MaxNesting {
		return nil, refusal(&Exceeded{Limit: Nesting, Value: m.Nesting, Max: plan.MaxNesting})
	}
	if m.Selections > plan.MaxSelections {
		return nil, refusal(&Exceeded{Limit: Selections, Value: m.Selections, Max: plan.MaxSelections})
	}
	// Counting repeats expands the document, which is now known to be small
	// enough (plan.MaxSelections, or MaxFields once enforced).
	if n := CountRepeats(doc); n > c.cfg.MaxRepeats {
		if err := c.exceeded(&Exceeded{Limit: Repeats, Value: n, Max: c.cfg.MaxRepeats}); err != nil {
			return nil, err
		}
	}
	return doc, nil
}

// CheckCost refuses an operation whose estimated cost (CostModel.Estimate)
// is over MaxCost, like the other limits.
func (c *Checker) CheckCost(cost float64) error {
	if cost <= float64(c.cfg.MaxCost) {
		return nil
	}
	v := math.MaxInt
	if cost < float64(math.MaxInt) {
		v = int(math.Ceil(cost))
	}
	return c.exceeded(&Exceeded{Limit: Cost, Value: v, Max: c.cfg.MaxCost})
}

// exceeded refuses e, or logs it in warn-only mode.
func (c *Checker) exceeded(e *Exceeded) error {
	if c.cfg.WarnOnly {
		c.logger.Warn("operation over a limit let through (warn-only mode)", "limit", e.Limit, "value", e.Value, "max", e.Max)
		return nil
	}
	return refusal(e)
}

func refusal(e *Exceeded) *gqlerror.Error {
	return &gqlerror.Error{
		Message:    e.Error(),
		Extensions: map[string]any{"code": string(cgerrs.BadUserInput), "limit": e.Limit},
		Err:        e,
	}
}

// CountTokens counts the tokens of a GraphQL document, comments left out,
// up to its first syntax error. Lexing is linear and allocates little, so
// counting a whole document bounded by the request size costs less than
// parsing its first part would.
func CountTokens(doc string) int {
	lx := lexer.New(&ast.Source{Input: doc})
	n := 0
	for {
		tok, err := lx.ReadToken()
		if err != nil || tok.Kind == lexer.EOF {
			return n
		}
		if tok.Kind != lexer.Comment {
			n++
		}
	}
}
