package limits

import (
	"encoding/json"
	"math"

	"github.com/cinegraph/cinegraph/router/supergraph"
	"github.com/vektah/gqlparser/v2/ast"
)

// Demand control: the static cost of an operation, estimated before any
// fetch with the semantics of Apollo's demand control. An object,
// interface or union costs 1 and a scalar or enum 0, unless @cost gives the
// type or the field a weight; a mutation's root field costs 10 more; an
// argument with @cost adds its weight; a list multiplies the cost of its
// items by its size. A list's size is the value of its @listSize slicing
// argument (the largest when several are set), else its assumedSize, else
// Config.ListSize; with sizedFields, the slicing argument sizes those child
// lists instead (the edges of a connection). Introspection fields cost
// nothing. Estimate reads the document with its fragments, each fragment
// costed once, so the work is linear in the document.

// mutationWeight is what a mutation's root field costs beyond its type.
const mutationWeight = 10

// CostModel is where a cost comes from: the API schema the operation was
// validated against and the supergraph's @cost and @listSize.
type CostModel struct {
	Schema     *ast.Schema
	Supergraph *supergraph.Supergraph
	// ListSize is the size assumed for a list nothing else sizes.
	ListSize int
}

// Estimate is the static cost of op in doc with vars, the coerced
// variables (which size lists sliced by a variable).
func (m CostModel) Estimate(doc *ast.QueryDocument, op *ast.OperationDefinition, vars map[string]any) float64 {
	e := estimator{m: m, doc: doc, vars: vars, fragments: map[string]float64{}, active: map[string]bool{}}
	root := m.rootType(op.Operation)
	if root == nil {
		return 0
	}
	return e.selections(op.SelectionSet, root, nil, op.Operation == ast.Mutation)
}

func (m CostModel) rootType(kind ast.Operation) *ast.Definition {
	switch kind {
	case ast.Mutation:
		return m.Schema.Mutation
	case ast.Subscription:
		return m.Schema.Subscription
	default:
		return m.Schema.Query
	}
}

type estimator struct {
	m    CostModel
	doc  *ast.QueryDocument
	vars map[string]any
	// fragments holds each fragment's cost once computed; active guards
	// against cycles (which validation refuses anyway).
	fragments map[string]float64
	active    map[string]bool
}

// selections costs a selection set on parent. sized gives the size of
// child lists a parent's @listSize(sizedFields:) names; mutation marks the
// mutation root.
func (e *estimator) selections(set ast.SelectionSet, parent *ast.Definition, sized map[string]float64, mutation bool) float64 {
	total := 0.0
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if e.skipped(s.Directives) {
				continue
			}
			total += e.field(s, parent, sized, mutation)
		case *ast.InlineFragment:
			if e.skipped(s.Directives) {
				continue
			}
			on := parent
			if s.TypeCondition != "" {
				if t := e.m.Schema.Types[s.TypeCondition]; t != nil {
					on = t
				}
			}
			total += e.selections(s.SelectionSet, on, sized, mutation)
		case *ast.FragmentSpread:
			if e.skipped(s.Directives) {
				continue
			}
			total += e.spread(s, parent, sized, mutation)
		}
	}
	return total
}

func (e *estimator) spread(s *ast.FragmentSpread, parent *ast.Definition, sized map[string]float64, mutation bool) float64 {
	frag := e.doc.Fragments.ForName(s.Name)
	if frag == nil || e.active[s.Name] {
		return 0
	}
	on := parent
	if t := e.m.Schema.Types[frag.TypeCondition]; t != nil {
		on = t
	}
	// A fragment's cost does not depend on where it is spread unless the
	// parent sizes child lists or it is the mutation root.
	memo := sized == nil && !mutation
	if c, ok := e.fragments[s.Name]; ok && memo {
		return c
	}
	e.active[s.Name] = true
	c := e.selections(frag.SelectionSet, on, sized, mutation)
	delete(e.active, s.Name)
	if memo {
		e.fragments[s.Name] = c
	}
	return c
}

// weigh is what field f on parent costs before its selections and list
// size: its definition (nil for __ fields and unknown ones, which cost
// nothing), its named type (nil when unknown), the weight of one item (the
// type's or field's @cost, 1 for an object, plus a mutation's extra) and of
// its arguments.
func (e *estimator) weigh(f *ast.Field, parent *ast.Definition, mutation bool) (def *ast.FieldDefinition, named *ast.Definition, item, args float64) {
	if len(f.Name) >= 2 && f.Name[:2] == "__" {
		return nil, nil, 0, 0
	}
	if def = parent.Fields.ForName(f.Name); def == nil {
		return nil, nil, 0, 0
	}
	named = e.m.Schema.Types[def.Type.Name()]
	if named != nil {
		if w, ok := e.m.Supergraph.TypeWeight(named.Name); ok {
			item = float64(w)
		} else if isComposite(named) {
			item = 1
		}
	}
	if w, ok := e.m.Supergraph.FieldWeight(parent.Name, f.Name); ok {
		item = float64(w)
	}
	if mutation {
		item += mutationWeight
	}
	for _, a := range f.Arguments {
		if w, ok := e.m.Supergraph.ArgumentWeight(parent.Name, f.Name, a.Name); ok {
			args += float64(w)
		}
	}
	return def, named, item, args
}

func (e *estimator) field(f *ast.Field, parent *ast.Definition, sized map[string]float64, mutation bool) float64 {
	def, named, item, args := e.weigh(f, parent, mutation)
	if def == nil {
		return 0
	}
	size := 1.0
	var childSized map[string]float64
	ls := e.m.Supergraph.FieldListSize(parent.Name, f.Name)
	if n, ok := sized[f.Name]; ok {
		size = n
	} else if isList(def.Type) || (ls != nil && len(ls.SizedFields) == 0) {
		size = e.listSize(ls, f, def)
	}
	if ls != nil && len(ls.SizedFields) > 0 {
		n := e.listSize(ls, f, def)
		childSized = make(map[string]float64, len(ls.SizedFields))
		for _, name := range ls.SizedFields {
			childSized[name] = n
		}
	}
	sub := 0.0
	if named != nil && isComposite(named) {
		sub = e.selections(f.SelectionSet, named, childSized, false)
	}
	return size*(item+sub) + args
}

// listSize is the size of the list field f returns, by ls (nil when the
// field has no @listSize) or the default.
func (e *estimator) listSize(ls *supergraph.ListSize, f *ast.Field, def *ast.FieldDefinition) float64 {
	if ls != nil {
		best, found := 0.0, false
		for _, name := range ls.SlicingArguments {
			if n, ok := e.argInt(f, def, name); ok {
				best, found = math.Max(best, n), true
			}
		}
		if found {
			return best
		}
		if ls.AssumedSize != nil {
			return float64(*ls.AssumedSize)
		}
	}
	return float64(e.m.ListSize)
}

// argInt is the integer value of argument name of f: given literally, by a
// variable, or by the argument's default (also when the variable that would
// give it is not set).
func (e *estimator) argInt(f *ast.Field, def *ast.FieldDefinition, name string) (float64, bool) {
	if a := f.Arguments.ForName(name); a != nil && a.Value != nil {
		v, err := a.Value.Value(e.vars)
		if err == nil && v != nil {
			return number(v)
		}
		if a.Value.Kind != ast.Variable {
			return 0, false // an explicit null
		}
	}
	if ad := def.Arguments.ForName(name); ad != nil && ad.DefaultValue != nil {
		if v, err := ad.DefaultValue.Value(nil); err == nil && v != nil {
			return number(v)
		}
	}
	return 0, false
}

// skipped reports whether @skip or @include leaves a selection out.
func (e *estimator) skipped(dirs ast.DirectiveList) bool {
	if d := dirs.ForName("skip"); d != nil && e.cond(d) {
		return true
	}
	if d := dirs.ForName("include"); d != nil && !e.cond(d) {
		return true
	}
	return false
}

func (e *estimator) cond(d *ast.Directive) bool {
	a := d.Arguments.ForName("if")
	if a == nil || a.Value == nil {
		return false
	}
	v, err := a.Value.Value(e.vars)
	b, _ := v.(bool)
	return err == nil && b
}

func number(v any) (float64, bool) {
	switch n := v.(type) {
	case int:
		return float64(n), true
	case int32:
		return float64(n), true
	case int64:
		return float64(n), true
	case float64:
		return n, true
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	}
	return 0, false
}

func isComposite(t *ast.Definition) bool {
	return t.Kind == ast.Object || t.Kind == ast.Interface || t.Kind == ast.Union
}

func isList(t *ast.Type) bool {
	return t != nil && t.Elem != nil
}

// Actual is the cost of the response data of op by the same rules, each
// list counted at its real length; fields selected twice on one object
// count once. data is the response's data as JSON.
func (m CostModel) Actual(doc *ast.QueryDocument, op *ast.OperationDefinition, vars map[string]any, data json.RawMessage) float64 {
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		return 0
	}
	root := m.rootType(op.Operation)
	obj, ok := v.(map[string]any)
	if root == nil || !ok {
		return 0
	}
	e := estimator{m: m, doc: doc, vars: vars, active: map[string]bool{}}
	return e.actualObject(op.SelectionSet, root, obj, op.Operation == ast.Mutation)
}

// actualObject costs the fields of one response object.
func (e *estimator) actualObject(set ast.SelectionSet, parent *ast.Definition, obj map[string]any, mutation bool) float64 {
	total := 0.0
	seen := map[string]bool{}
	e.eachField(set, parent, func(f *ast.Field, on *ast.Definition) {
		key := f.Alias
		if key == "" {
			key = f.Name
		}
		v, ok := obj[key]
		if !ok || seen[key] {
			return
		}
		seen[key] = true
		total += e.actualField(f, on, v, mutation)
	})
	return total
}

func (e *estimator) actualField(f *ast.Field, parent *ast.Definition, v any, mutation bool) float64 {
	if v == nil {
		return 0
	}
	def, named, item, args := e.weigh(f, parent, mutation)
	if def == nil {
		return 0
	}
	// Each item returned pays for the arguments.
	item += args
	var one func(v any) float64
	one = func(v any) float64 {
		switch x := v.(type) {
		case []any:
			sum := 0.0
			for _, el := range x {
				sum += one(el)
			}
			return sum
		case map[string]any:
			if named == nil || !isComposite(named) {
				return item
			}
			on := named
			if tn, ok := x["__typename"].(string); ok {
				if t := e.m.Schema.Types[tn]; t != nil {
					on = t
				}
			}
			return item + e.actualObject(f.SelectionSet, on, x, false)
		case nil:
			return 0
		default:
			return item
		}
	}
	return one(v)
}

// eachField calls fn for every field of set on parent, fragments
// flattened and @skip/@include applied; a fragment on another type than
// parent applies when parent is that type or implements it.
func (e *estimator) eachField(set ast.SelectionSet, parent *ast.Definition, fn func(*ast.Field, *ast.Definition)) {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if !e.skipped(s.Directives) {
				fn(s, parent)
			}
		case *ast.InlineFragment:
			if !e.skipped(s.Directives) && e.applies(s.TypeCondition, parent) {
				e.eachField(s.SelectionSet, e.narrow(s.TypeCondition, parent), fn)
			}
		case *ast.FragmentSpread:
			frag := e.doc.Fragments.ForName(s.Name)
			if frag == nil || e.skipped(s.Directives) || e.active[s.Name] || !e.applies(frag.TypeCondition, parent) {
				continue
			}
			e.active[s.Name] = true
			e.eachField(frag.SelectionSet, e.narrow(frag.TypeCondition, parent), fn)
			delete(e.active, s.Name)
		}
	}
}

// applies reports whether a fragment on typeCond selects on an object of
// type parent.
func (e *estimator) applies(typeCond string, parent *ast.Definition) bool {
	if typeCond == "" || typeCond == parent.Name || parent.Kind != ast.Object {
		return true
	}
	cond := e.m.Schema.Types[typeCond]
	if cond == nil {
		return false
	}
	for _, t := range e.m.Schema.GetPossibleTypes(cond) {
		if t.Name == parent.Name {
			return true
		}
	}
	return false
}

// narrow is the type whose fields a fragment on typeCond selects.
func (e *estimator) narrow(typeCond string, parent *ast.Definition) *ast.Definition {
	if parent.Kind == ast.Object || typeCond == "" {
		return parent
	}
	if t := e.m.Schema.Types[typeCond]; t != nil {
		return t
	}
	return parent
}
