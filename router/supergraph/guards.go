package supergraph

import (
	"strconv"

	"github.com/vektah/gqlparser/v2/ast"
)

// Access is what a client must hold to read an element, from the
// supergraph's @authenticated, @requiresScopes and @policy: a verified
// identity, and for Scopes and Policies one inner list whose every entry
// it holds. The zero Access is public.
type Access struct {
	Authenticated bool
	Scopes        [][]string
	Policies      [][]string
}

// Public reports whether a is no requirement at all.
func (a Access) Public() bool {
	return !a.Authenticated && a.Scopes == nil && a.Policies == nil
}

// and is the requirement of meeting both a and b.
func (a Access) and(b Access) Access {
	return Access{
		Authenticated: a.Authenticated || b.Authenticated,
		Scopes:        andDNF(a.Scopes, b.Scopes),
		Policies:      andDNF(a.Policies, b.Policies),
	}
}

// ListSize is a field's @listSize: how many items its list holds.
type ListSize struct {
	// AssumedSize is the size to assume when no slicing argument says.
	AssumedSize *int
	// SlicingArguments name the arguments whose values bound the size.
	SlicingArguments []string
	// SizedFields name the fields of the returned object that are the
	// list the slicing arguments size (the edges of a connection).
	SizedFields []string
	// RequireOneSlicingArgument: exactly one slicing argument must be set.
	RequireOneSlicingArgument bool
}

// FieldAccess is what a client must hold to read typeName.field: the
// field's own requirements and those of the type it returns, and of
// typeName itself.
func (sg *Supergraph) FieldAccess(typeName, field string) Access {
	def := sg.Schema.Types[typeName]
	if def == nil {
		return Access{}
	}
	a := sg.access(def.Directives)
	if f := def.Fields.ForName(field); f != nil {
		a = a.and(sg.access(f.Directives))
		if rt := sg.Schema.Types[f.Type.Name()]; rt != nil {
			a = a.and(sg.access(rt.Directives))
		}
	}
	return a
}

// HasAccessControl reports whether the supergraph sets any access
// requirement, so the router can skip the check for one that sets none.
func (sg *Supergraph) HasAccessControl() bool {
	for _, name := range []string{"authenticated", "requiresScopes", "policy"} {
		if _, ok := sg.names.guards[name]; ok {
			return true
		}
	}
	return false
}

func (sg *Supergraph) access(dirs ast.DirectiveList) Access {
	var a Access
	if name, ok := sg.names.guards["authenticated"]; ok && dirs.ForName(name) != nil {
		a.Authenticated = true
	}
	if name, ok := sg.names.guards["requiresScopes"]; ok {
		for _, d := range dirs.ForNames(name) {
			a.Scopes = andDNF(a.Scopes, dnf(d, "scopes"))
		}
	}
	if name, ok := sg.names.guards["policy"]; ok {
		for _, d := range dirs.ForNames(name) {
			a.Policies = andDNF(a.Policies, dnf(d, "policies"))
		}
	}
	return a
}

// TypeWeight is the @cost weight of a type, and false when it sets none.
func (sg *Supergraph) TypeWeight(typeName string) (int, bool) {
	def := sg.Schema.Types[typeName]
	if def == nil {
		return 0, false
	}
	return sg.weight(def.Directives)
}

// FieldWeight is the @cost weight of typeName.field, and false when it
// sets none.
func (sg *Supergraph) FieldWeight(typeName, field string) (int, bool) {
	if f := sg.field(typeName, field); f != nil {
		return sg.weight(f.Directives)
	}
	return 0, false
}

// ArgumentWeight is the @cost weight of an argument of typeName.field.
func (sg *Supergraph) ArgumentWeight(typeName, field, arg string) (int, bool) {
	if f := sg.field(typeName, field); f != nil {
		if a := f.Arguments.ForName(arg); a != nil {
			return sg.weight(a.Directives)
		}
	}
	return 0, false
}

// FieldListSize is the @listSize of typeName.field, nil when it has none.
func (sg *Supergraph) FieldListSize(typeName, field string) *ListSize {
	name, ok := sg.names.guards["listSize"]
	if !ok {
		return nil
	}
	f := sg.field(typeName, field)
	if f == nil {
		return nil
	}
	d := f.Directives.ForName(name)
	if d == nil {
		return nil
	}
	ls := &ListSize{RequireOneSlicingArgument: argBool(d, "requireOneSlicingArgument", true)}
	if a := d.Arguments.ForName("assumedSize"); a != nil && a.Value != nil && a.Value.Kind == ast.IntValue {
		if n, err := strconv.Atoi(a.Value.Raw); err == nil {
			ls.AssumedSize = &n
		}
	}
	ls.SlicingArguments = stringList(d, "slicingArguments")
	ls.SizedFields = stringList(d, "sizedFields")
	return ls
}

func (sg *Supergraph) field(typeName, field string) *ast.FieldDefinition {
	def := sg.Schema.Types[typeName]
	if def == nil {
		return nil
	}
	return def.Fields.ForName(field)
}

func (sg *Supergraph) weight(dirs ast.DirectiveList) (int, bool) {
	name, ok := sg.names.guards["cost"]
	if !ok {
		return 0, false
	}
	d := dirs.ForName(name)
	if d == nil {
		return 0, false
	}
	a := d.Arguments.ForName("weight")
	if a == nil || a.Value == nil {
		return 0, false
	}
	n, err := strconv.Atoi(a.Value.Raw)
	return n, err == nil
}

// dnf reads a [[String!]!]! argument.
func dnf(d *ast.Directive, name string) [][]string {
	out := [][]string{}
	a := d.Arguments.ForName(name)
	if a == nil || a.Value == nil {
		return out
	}
	for _, alt := range a.Value.Children {
		var all []string
		if alt.Value.Kind == ast.ListValue {
			for _, s := range alt.Value.Children {
				all = append(all, s.Value.Raw)
			}
		} else {
			all = append(all, alt.Value.Raw)
		}
		out = append(out, all)
	}
	return out
}

// andDNF is meeting both a and b; nil is no requirement.
func andDNF(a, b [][]string) [][]string {
	if a == nil {
		return b
	}
	if b == nil {
		return a
	}
	out := make([][]string, 0, len(a)*len(b))
	for _, x := range a {
		for _, y := range b {
			out = append(out, append(append(make([]string, 0, len(x)+len(y)), x...), y...))
		}
	}
	return out
}

func stringList(d *ast.Directive, name string) []string {
	a := d.Arguments.ForName(name)
	if a == nil || a.Value == nil || a.Value.Kind == ast.NullValue {
		return nil
	}
	if a.Value.Kind != ast.ListValue {
		return []string{a.Value.Raw}
	}
	out := []string{}
	for _, c := range a.Value.Children {
		out = append(out, c.Value.Raw)
	}
	return out
}
