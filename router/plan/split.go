package plan

// Shareable value types whose fields are spread over several subgraphs.

import (
	"fmt"

	"github.com/vektah/gqlparser/v2/ast"
)

// splitUnreachable separates the sub-fields of cf that graph can neither
// resolve nor reach through an entity fetch (value types shared between
// subgraphs, where each subgraph resolves different fields). Those must
// come from the same field fetched in another subgraph.
func (b *builder) splitUnreachable(graph string, cf *CollectedField, provided ast.SelectionSet) (*CollectedField, []*CollectedField) {
	f := cf.First()
	if f.Type == nil {
		return cf, nil
	}
	def := b.sg.Schema.Types[f.Type.Name()]
	if def == nil || def.Kind != ast.Object || len(cf.SubSelections()) == 0 {
		return cf, nil
	}
	var local, rest []*CollectedField
	for _, sub := range CollectFields(cf.SubSelections(), def.Name, b.applies) {
		if b.reachable(graph, def.Name, sub.First().Name, provided) {
			local = append(local, sub)
		} else {
			rest = append(rest, sub)
		}
	}
	if len(rest) == 0 {
		return cf, nil
	}
	return withSubs(cf, local), rest
}

func (b *builder) reachable(graph, typ, field string, provided ast.SelectionSet) bool {
	return b.reachableDepth(graph, typ, field, provided, map[string]bool{})
}

// reachableDepth: field is local to graph, or some subgraph resolving it
// has a key whose fields are themselves reachable from graph. seen stops
// cycles through the same (graph, type, field).
func (b *builder) reachableDepth(graph, typ, field string, provided ast.SelectionSet, seen map[string]bool) bool {
	if field == "__typename" || b.providedField(provided, typ, field) != nil {
		return true
	}
	if r, ok := b.sg.Resolve(graph, typ, field); ok && r.Requires == nil {
		return true
	}
	k := graph + "|" + typ + "|" + field
	if seen[k] {
		return false
	}
	seen[k] = true
	defer delete(seen, k)
	enter := func(c, entityType string) bool {
		for _, key := range b.sg.Keys(c, entityType) {
			ok := true
			for _, sel := range key.Selection {
				if kf, isField := sel.(*ast.Field); isField && !b.reachableDepth(graph, typ, kf.Name, provided, seen) {
					ok = false
					break
				}
			}
			if ok {
				return true
			}
		}
		return false
	}
	for _, c := range b.sg.FieldGraphs(typ, field) {
		if enter(c, typ) {
			return true
		}
	}
	iface, graphs := b.sg.InterfaceObjectSource(typ, field)
	for _, c := range graphs {
		if enter(c, iface) {
			return true
		}
	}
	return false
}

// withSubs is cf restricted to the given sub-fields.
func withSubs(cf *CollectedField, subs []*CollectedField) *CollectedField {
	f := *cf.First()
	f.Selections = nil
	for _, s := range subs {
		for _, sf := range s.Fields {
			f.Selections = append(f.Selections, Selection{Field: sf})
		}
	}
	return &CollectedField{Key: cf.Key, Fields: []*Field{&f}}
}

// planElsewhere fetches cf again from other subgraphs that resolve it, for
// the sub-fields in rest, choosing greedily the subgraph covering most.
func (b *builder) planElsewhere(g *group, out *selSet, typ string, cf *CollectedField, rest []*CollectedField, path []string, provided ast.SelectionSet, depth int, exclude string) (map[*group]bool, error) {
	f := cf.First()
	sub := f.Type.Name()
	prod := map[*group]bool{}
	for len(rest) > 0 {
		best, bestN := "", 0
		for _, c := range b.sg.FieldGraphs(typ, f.Name) {
			if c == exclude {
				continue
			}
			n := 0
			for _, r := range rest {
				if b.reachable(c, sub, r.First().Name, nil) {
					n++
				}
			}
			if n > bestN {
				best, bestN = c, n
			}
		}
		if best == "" {
			return nil, fmt.Errorf("cannot plan %s.%s: no subgraph resolves it together with %s.%s", typ, f.Name, sub, rest[0].First().Name)
		}
		var part, left []*CollectedField
		for _, r := range rest {
			if b.reachable(best, sub, r.First().Name, nil) {
				part = append(part, r)
			} else {
				left = append(left, r)
			}
		}
		rest = left
		pcf := withSubs(cf, part)
		if !g.entity && typ == b.op.RootType {
			if b.op.Kind == ast.Mutation {
				return nil, fmt.Errorf("cannot plan mutation field %s: its selection spans subgraphs that would each run it", f.Name)
			}
			g2 := b.rootByGraph[best]
			if g2 == nil {
				g2 = b.newGroup(best, nil, nil)
				b.roots = append(b.roots, g2)
				b.rootByGraph[best] = g2
			}
			if _, err := b.planFields(g2, g2.sel, typ, []*CollectedField{pcf}, nil, nil, depth); err != nil {
				return nil, err
			}
			prod[g2] = true
			continue
		}
		more, err := b.jump(g, out, typ, pcf, path, provided, depth, best)
		if err != nil {
			return nil, err
		}
		for x := range more {
			prod[x] = true
		}
	}
	return prod, nil
}
