// Package plan turns a validated client operation into a federated query
// plan: which subgraph fetches to run, in what order, and how their results
// fit together. Plans are pure data; router/execute runs them.
package plan

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/vektah/gqlparser/v2/ast"
)

// Operation is a client operation with fragments inlined and @skip/@include
// resolved against the request's variables.
type Operation struct {
	Kind                ast.Operation
	Name                string
	RootType            string
	Selections          []Selection
	VariableDefinitions ast.VariableDefinitionList

	// internalPrefix starts every response key the planner invents; no
	// response key of the client's starts with it (see internalPrefixFor).
	internalPrefix string

	// collected memoizes CollectFields per selection set and runtime type:
	// plans are cached and immutable, so shaping reuses the groupings.
	collected sync.Map // collectKey -> []*CollectedField
}

type collectKey struct {
	first *Selection
	n     int
	typ   string
}

// Collect is CollectFields for a selection set of this operation,
// memoized on the operation. applies must be the schema's.
func (o *Operation) Collect(sels []Selection, obj string, applies Applies) []*CollectedField {
	if len(sels) == 0 {
		return nil
	}
	k := collectKey{&sels[0], len(sels), obj}
	if v, ok := o.collected.Load(k); ok {
		return v.([]*CollectedField)
	}
	cfs := CollectFields(sels, obj, applies)
	v, _ := o.collected.LoadOrStore(k, cfs)
	return v.([]*CollectedField)
}

// WithSelections is a copy of o selecting sels instead: the same kind,
// name, variables and internal key prefix, so that sels may be o's own
// selections filtered or marked (router/authz).
func (o *Operation) WithSelections(sels []Selection) *Operation {
	return &Operation{Kind: o.Kind, Name: o.Name, RootType: o.RootType, Selections: sels, VariableDefinitions: o.VariableDefinitions, internalPrefix: o.internalPrefix}
}

// Selection is either a field or an inline fragment.
type Selection struct {
	Field    *Field
	Fragment *Fragment
}

// Field is one selected field.
type Field struct {
	Alias      string
	Name       string
	Arguments  ast.ArgumentList
	Type       *ast.Type // nil for __typename
	Selections []Selection
	// Withheld marks a field the router's authorization took out of what
	// is fetched (router/authz): the response answers null for it, whatever
	// the fetched data holds, and that null propagates like any other.
	Withheld bool

	internal bool // added by the planner (keys, requires), not asked by the client
	// dataKey, when set, is where the field's value lives in subgraph
	// responses instead of its response key (see DataKey).
	dataKey string
}

// ResponseKey is the alias, or the name when there is none.
func (f *Field) ResponseKey() string {
	if f.Alias != "" {
		return f.Alias
	}
	return f.Name
}

// DataKey is the key under which subgraph responses, and so the merged
// response tree, hold the field's value. It is the response key, except for
// a client field aliased "__typename": the tree keeps "__typename" for the
// object's type, which representations and abstract types are read from, so
// such a field is fetched under an internal alias.
func (f *Field) DataKey() string {
	if f.dataKey != "" {
		return f.dataKey
	}
	return f.ResponseKey()
}

// defaultInternalPrefix starts the response keys the planner invents unless
// the client itself uses keys starting with it.
const defaultInternalPrefix = "__cg_"

// internalPrefixFor picks the prefix of the planner's own response keys for
// an operation: the first of "__cg_", "__cg1_", "__cg2_", ... that starts
// none of the client's response keys, so that no invented key can equal one
// of the client's at any level.
func internalPrefixFor(sels []Selection) string {
	var keys []string
	var walk func([]Selection)
	walk = func(ss []Selection) {
		for _, s := range ss {
			if s.Fragment != nil {
				walk(s.Fragment.Selections)
				continue
			}
			if k := s.Field.ResponseKey(); strings.HasPrefix(k, "__cg") {
				keys = append(keys, k)
			}
			walk(s.Field.Selections)
		}
	}
	walk(sels)
	prefix := defaultInternalPrefix
	for i := 1; ; i++ {
		taken := false
		for _, k := range keys {
			if strings.HasPrefix(k, prefix) {
				taken = true
				break
			}
		}
		if !taken {
			return prefix
		}
		prefix = "__cg" + strconv.Itoa(i) + "_"
	}
}

// setDataKeys moves client fields aliased "__typename" (other than
// __typename itself) to an internal key.
func setDataKeys(sels []Selection, prefix string) {
	for _, s := range sels {
		if s.Fragment != nil {
			setDataKeys(s.Fragment.Selections, prefix)
			continue
		}
		if s.Field.Alias == "__typename" && s.Field.Name != "__typename" {
			s.Field.dataKey = prefix + "__typename"
		}
		setDataKeys(s.Field.Selections, prefix)
	}
}

// Fragment is an inline fragment; TypeCondition is never empty.
type Fragment struct {
	TypeCondition string
	Selections    []Selection
}

// ConditionVariables lists the variables that @skip/@include read in the
// operation; the plan depends on their values.
func ConditionVariables(doc *ast.QueryDocument, op *ast.OperationDefinition) []string {
	seen := map[string]bool{}
	var out []string
	visitedFrags := map[string]bool{}
	var walk func(ast.SelectionSet)
	walk = func(ss ast.SelectionSet) {
		for _, s := range ss {
			var dirs ast.DirectiveList
			switch s := s.(type) {
			case *ast.Field:
				dirs = s.Directives
				walk(s.SelectionSet)
			case *ast.InlineFragment:
				dirs = s.Directives
				walk(s.SelectionSet)
			case *ast.FragmentSpread:
				dirs = s.Directives
				if !visitedFrags[s.Name] {
					visitedFrags[s.Name] = true
					if fd := doc.Fragments.ForName(s.Name); fd != nil {
						walk(fd.SelectionSet)
					}
				}
			}
			for _, d := range dirs {
				if d.Name != "skip" && d.Name != "include" {
					continue
				}
				if a := d.Arguments.ForName("if"); a != nil && a.Value != nil && a.Value.Kind == ast.Variable && !seen[a.Value.Raw] {
					seen[a.Value.Raw] = true
					out = append(out, a.Value.Raw)
				}
			}
		}
	}
	walk(op.SelectionSet)
	return out
}

// Normalize builds the Operation for op. schema is the schema the document
// was validated against; vars are the coerced request variables.
func Normalize(schema *ast.Schema, doc *ast.QueryDocument, op *ast.OperationDefinition, vars map[string]any) (*Operation, error) {
	var root *ast.Definition
	switch op.Operation {
	case ast.Query, "":
		root = schema.Query
	case ast.Mutation:
		root = schema.Mutation
	case ast.Subscription:
		root = schema.Subscription
	}
	if root == nil {
		return nil, fmt.Errorf("schema has no %s root type", op.Operation)
	}
	n := normalizer{schema: schema, doc: doc, vars: vars, sizes: map[string]int{}}
	sels, err := n.selections(op.SelectionSet, root.Name, 0)
	if err != nil {
		return nil, err
	}
	kind := op.Operation
	if kind == "" {
		kind = ast.Query
	}
	prefix := internalPrefixFor(sels)
	setDataKeys(sels, prefix)
	return &Operation{Kind: kind, Name: op.Name, RootType: root.Name, Selections: sels, VariableDefinitions: op.VariableDefinitions, internalPrefix: prefix}, nil
}

type normalizer struct {
	schema *ast.Schema
	doc    *ast.QueryDocument
	vars   map[string]any
	// made counts the selections built so far; sizes holds how many each
	// fragment built when first expanded (it builds as many every time),
	// so that a spread which would go over MaxSelections is refused
	// before it is expanded again.
	made  int
	sizes map[string]int
}

// MaxNesting is the deepest an operation's selection sets may nest, inline
// fragments and fragment spreads counted as levels; the normalizer recurses
// once per level.
const MaxNesting = 256

// MaxSelections bounds the fields and inline fragments of a normalized
// operation, fragments expanded: a few fragments spreading each other twice
// expand to billions of selections, so Normalize stops at this many rather
// than spend the memory. router/limits refuses such operations earlier, with
// a lower, configurable bound.
const MaxSelections = 100_000

// ErrTooLarge reports an operation over MaxNesting or MaxSelections.
var ErrTooLarge = errors.New("operation too large")

func (n *normalizer) included(dirs ast.DirectiveList) (bool, error) {
	for _, d := range dirs {
		if d.Name != "skip" && d.Name != "include" {
			continue
		}
		a := d.Arguments.ForName("if")
		if a == nil || a.Value == nil {
			continue
		}
		v, err := a.Value.Value(n.vars)
		if err != nil {
			return false, fmt.Errorf("@%s(if:): %w", d.Name, err)
		}
		b, _ := v.(bool)
		if d.Name == "skip" && b {
			return false, nil
		}
		if d.Name == "include" && !b {
			return false, nil
		}
	}
	return true, nil
}

// count counts one more selection, or refuses the operation when that goes
// over MaxSelections.
func (n *normalizer) count() error {
	if n.made >= MaxSelections {
		return n.tooMany()
	}
	n.made++
	return nil
}

func (n *normalizer) tooMany() error {
	return fmt.Errorf("%w: it expands to more than %d selections", ErrTooLarge, MaxSelections)
}

func (n *normalizer) selections(ss ast.SelectionSet, parent string, depth int) ([]Selection, error) {
	if depth > MaxNesting {
		return nil, fmt.Errorf("%w: it nests deeper than %d", ErrTooLarge, MaxNesting)
	}
	var out []Selection
	for _, s := range ss {
		switch s := s.(type) {
		case *ast.Field:
			ok, err := n.included(s.Directives)
			if err != nil || !ok {
				if err != nil {
					return nil, err
				}
				continue
			}
			if err := n.count(); err != nil {
				return nil, err
			}
			f := &Field{Alias: s.Alias, Name: s.Name, Arguments: s.Arguments}
			if f.Alias == f.Name {
				f.Alias = ""
			}
			if s.Name != "__typename" {
				def := n.schema.Types[parent]
				var fd *ast.FieldDefinition
				if def != nil {
					fd = def.Fields.ForName(s.Name)
				}
				if fd == nil && s.Definition != nil {
					fd = s.Definition
				}
				if fd == nil {
					return nil, fmt.Errorf("type %s has no field %s", parent, s.Name)
				}
				f.Type = fd.Type
				if len(s.SelectionSet) > 0 {
					sub, err := n.selections(s.SelectionSet, fd.Type.Name(), depth+1)
					if err != nil {
						return nil, err
					}
					f.Selections = sub
				}
			}
			out = append(out, Selection{Field: f})
		case *ast.InlineFragment:
			ok, err := n.included(s.Directives)
			if err != nil {
				return nil, err
			}
			if !ok {
				continue
			}
			if err := n.count(); err != nil {
				return nil, err
			}
			tc := s.TypeCondition
			if tc == "" {
				tc = parent
			}
			sub, err := n.selections(s.SelectionSet, tc, depth+1)
			if err != nil {
				return nil, err
			}
			out = append(out, Selection{Fragment: &Fragment{TypeCondition: tc, Selections: sub}})
		case *ast.FragmentSpread:
			ok, err := n.included(s.Directives)
			if err != nil {
				return nil, err
			}
			if !ok {
				continue
			}
			fd := n.doc.Fragments.ForName(s.Name)
			if fd == nil {
				return nil, fmt.Errorf("unknown fragment %s", s.Name)
			}
			size, known := n.sizes[s.Name]
			if known && n.made+size > MaxSelections {
				return nil, n.tooMany()
			}
			before := n.made
			if err := n.count(); err != nil {
				return nil, err
			}
			sub, err := n.selections(fd.SelectionSet, fd.TypeCondition, depth+1)
			if err != nil {
				return nil, err
			}
			if !known {
				n.sizes[s.Name] = n.made - before
			}
			out = append(out, Selection{Fragment: &Fragment{TypeCondition: fd.TypeCondition, Selections: sub}})
		}
	}
	return out, nil
}

// CollectedField is every selection of one response key at one level.
type CollectedField struct {
	Key    string
	Fields []*Field
	merged []Selection // sub-selections of every field, when there are several
}

// First is the field that names the key.
func (c *CollectedField) First() *Field { return c.Fields[0] }

// SubSelections concatenates the sub-selections of every field of the key.
func (c *CollectedField) SubSelections() []Selection {
	if len(c.Fields) == 1 {
		return c.Fields[0].Selections
	}
	if c.merged == nil {
		for _, f := range c.Fields {
			c.merged = append(c.merged, f.Selections...)
		}
	}
	return c.merged
}

// Applies reports whether a fragment on cond applies to objects of type obj.
type Applies func(cond, obj string) bool

// SchemaApplies answers Applies from a schema's possible types.
func SchemaApplies(schema *ast.Schema) Applies {
	return func(cond, obj string) bool {
		if cond == obj {
			return true
		}
		for _, d := range schema.PossibleTypes[cond] {
			if d.Name == obj {
				return true
			}
		}
		return false
	}
}

// CollectFields groups sels by response key for an object of type obj,
// in first-seen order, as GraphQL's CollectFields does.
func CollectFields(sels []Selection, obj string, applies Applies) []*CollectedField {
	var out []*CollectedField
	index := map[string]int{}
	var walk func([]Selection)
	walk = func(ss []Selection) {
		for _, s := range ss {
			if s.Field != nil {
				k := s.Field.ResponseKey()
				if i, ok := index[k]; ok {
					out[i].Fields = append(out[i].Fields, s.Field)
					continue
				}
				index[k] = len(out)
				out = append(out, &CollectedField{Key: k, Fields: []*Field{s.Field}})
				continue
			}
			if applies(s.Fragment.TypeCondition, obj) {
				walk(s.Fragment.Selections)
			}
		}
	}
	walk(sels)
	for _, c := range out {
		c.SubSelections() // merge now, so results can be shared read-only
	}
	return out
}
