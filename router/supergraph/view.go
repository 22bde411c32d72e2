package supergraph

import (
	"slices"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

// Resolution is how one subgraph resolves one field.
type Resolution struct {
	Graph    string
	Requires ast.SelectionSet // fields of the parent the subgraph needs first
	Provides ast.SelectionSet // fields of the result the subgraph can also return
}

// Resolve reports whether graph can resolve typeName.field itself (not as
// @external and not overridden away).
func (sg *Supergraph) Resolve(graph, typeName, field string) (Resolution, bool) {
	t := sg.Types[typeName]
	if t == nil {
		return Resolution{}, false
	}
	if _, ok := t.InGraph[graph]; !ok {
		return Resolution{}, false
	}
	f := t.Fields[field]
	if f == nil {
		return Resolution{}, false
	}
	if f.ViaInterfaceObject {
		return Resolution{}, false
	}
	if len(f.Joins) == 0 {
		return Resolution{Graph: graph}, true
	}
	for _, j := range f.Joins {
		if j.Graph != graph {
			continue
		}
		if j.UsedOverridden || sg.overriddenAway(f, graph) {
			return Resolution{}, false
		}
		// In a type extension (fed1 @extends style), @external key fields
		// are still the subgraph's to return: they identify the entity.
		if j.External && !sg.inOwnKey(t, graph, field) {
			return Resolution{}, false
		}
		return Resolution{Graph: graph, Requires: j.RequiresSel, Provides: j.ProvidesSel}, true
	}
	return Resolution{}, false
}

// overriddenAway: another subgraph took the field over from graph.
func (sg *Supergraph) overriddenAway(f *Field, graph string) bool {
	for _, j := range f.Joins {
		if j.Override == graph && j.Graph != graph {
			return true
		}
	}
	return false
}

// FieldGraphs lists the subgraphs that can resolve typeName.field, in
// supergraph order.
func (sg *Supergraph) FieldGraphs(typeName, field string) []string {
	t := sg.Types[typeName]
	if t == nil {
		return nil
	}
	var out []string
	for _, g := range sg.Graphs {
		if _, ok := sg.Resolve(g.Name, typeName, field); ok {
			out = append(out, g.Name)
		}
	}
	_ = t
	return out
}

// Keys lists the resolvable keys of typeName in graph.
func (sg *Supergraph) Keys(graph, typeName string) []Key {
	t := sg.Types[typeName]
	if t == nil {
		return nil
	}
	tg := t.InGraph[graph]
	if tg == nil {
		return nil
	}
	var out []Key
	for _, k := range tg.Keys {
		if k.Resolvable {
			out = append(out, k)
		}
	}
	return out
}

// AllKeys lists every key of typeName in graph, resolvable or not.
func (sg *Supergraph) AllKeys(graph, typeName string) []Key {
	t := sg.Types[typeName]
	if t == nil || t.InGraph[graph] == nil {
		return nil
	}
	return t.InGraph[graph].Keys
}

// HasType reports whether graph declares typeName.
func (sg *Supergraph) HasType(graph, typeName string) bool {
	t := sg.Types[typeName]
	if t == nil {
		// Scalars, enums and inputs without join data are everywhere.
		return true
	}
	_, ok := t.InGraph[graph]
	return ok
}

// IsInterfaceObject reports whether graph sees the interface typeName as an
// object type (@interfaceObject).
func (sg *Supergraph) IsInterfaceObject(graph, typeName string) bool {
	t := sg.Types[typeName]
	if t == nil || t.InGraph[graph] == nil {
		return false
	}
	return t.InGraph[graph].InterfaceObject
}

// PossibleTypes lists the object types graph can return for the abstract
// type typeName (or typeName itself for an object type), in supergraph
// schema order.
func (sg *Supergraph) PossibleTypes(graph, typeName string) []string {
	def := sg.Schema.Types[typeName]
	if def == nil {
		return nil
	}
	if def.Kind == ast.Object {
		return []string{typeName}
	}
	var out []string
	switch def.Kind {
	case ast.Union:
		t := sg.Types[typeName]
		tg := t.InGraph[graph]
		for _, m := range def.Types {
			if tg != nil && tg.hasUnionMemberDir {
				if slices.Contains(tg.UnionMembers, m) {
					out = append(out, m)
				}
			} else if sg.HasType(graph, m) {
				out = append(out, m)
			}
		}
	case ast.Interface:
		for _, o := range sg.Schema.PossibleTypes[typeName] {
			if o.Kind != ast.Object {
				continue
			}
			ot := sg.Types[o.Name]
			if ot == nil {
				continue
			}
			otg := ot.InGraph[graph]
			if otg == nil {
				continue
			}
			if sg.hasImplementsDirectives(ot) {
				if slices.Contains(otg.Implements, typeName) {
					out = append(out, o.Name)
				}
			} else {
				out = append(out, o.Name)
			}
		}
	}
	return out
}

func (sg *Supergraph) hasImplementsDirectives(t *Type) bool {
	for _, tg := range t.InGraph {
		if len(tg.Implements) > 0 {
			return true
		}
	}
	return false
}

// AllPossibleTypes lists every object type of an abstract type in the
// supergraph, in schema order.
func (sg *Supergraph) AllPossibleTypes(typeName string) []string {
	def := sg.Schema.Types[typeName]
	if def == nil {
		return nil
	}
	if def.Kind == ast.Object {
		return []string{typeName}
	}
	var out []string
	for _, o := range sg.Schema.PossibleTypes[typeName] {
		if o.Kind == ast.Object {
			out = append(out, o.Name)
		}
	}
	return out
}

// InterfaceObjectSource finds an interface of the object type typeName that
// some subgraph models as an @interfaceObject resolving field, and those
// subgraphs (with a resolvable key), in supergraph order.
func (sg *Supergraph) InterfaceObjectSource(typeName, field string) (string, []string) {
	def := sg.Schema.Types[typeName]
	if def == nil {
		return "", nil
	}
	for _, iface := range def.Interfaces {
		var graphs []string
		for _, g := range sg.Graphs {
			if !sg.IsInterfaceObject(g.Name, iface) || len(sg.Keys(g.Name, iface)) == 0 {
				continue
			}
			if _, ok := sg.Resolve(g.Name, iface, field); ok {
				graphs = append(graphs, g.Name)
			}
		}
		if len(graphs) > 0 {
			return iface, graphs
		}
	}
	return "", nil
}

// InterfaceOwners lists the subgraphs that define iface as a real interface
// with a resolvable key, so they can turn an interface-typed
// representation into its concrete type.
func (sg *Supergraph) InterfaceOwners(iface string) []string {
	var out []string
	for _, g := range sg.Graphs {
		if sg.IsInterfaceObject(g.Name, iface) {
			continue
		}
		if len(sg.Keys(g.Name, iface)) > 0 {
			out = append(out, g.Name)
		}
	}
	return out
}

// inOwnKey reports whether field is a top-level field of one of typeName's
// keys in graph, where graph declares the type as an extension.
func (sg *Supergraph) inOwnKey(t *Type, graph, field string) bool {
	tg := t.InGraph[graph]
	if tg == nil || !tg.Extension {
		return false
	}
	for _, k := range tg.Keys {
		for _, s := range k.Selection {
			if f, ok := s.(*ast.Field); ok && f.Name == field {
				return true
			}
		}
	}
	return false
}

// FieldTypeIn is the named type of typeName.field in graph when the
// subgraph declares a different type than the supergraph (join__field
// type:), e.g. an object where the supergraph has a union; "" otherwise.
func (sg *Supergraph) FieldTypeIn(graph, typeName, field string) string {
	t := sg.Types[typeName]
	if t == nil || t.Fields[field] == nil {
		return ""
	}
	for _, j := range t.Fields[field].Joins {
		if j.Graph == graph && j.Type != "" {
			return strings.Trim(j.Type, "[]!")
		}
	}
	return ""
}

// FieldTypeStringIn is the full type of typeName.field as graph declares it.
func (sg *Supergraph) FieldTypeStringIn(graph, typeName, field string) string {
	t := sg.Types[typeName]
	if t == nil || t.Fields[field] == nil {
		return ""
	}
	for _, j := range t.Fields[field].Joins {
		if j.Graph == graph && j.Type != "" {
			return j.Type
		}
	}
	return t.Fields[field].Def.Type.String()
}
