package plan

// Abstract types: per-type fragments, conflicting sibling fields and
// @interfaceObject.

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

// aliasConflicts gives an alias to fields of sibling type fragments that
// share a response key but not a type in g's subgraph (GraphQL rejects
// that), and records how to rename them back.
//
// The alias lives only in that fetch's response, which is renamed back
// before it is merged, so it only has to be unique in sel.
func (b *builder) aliasConflicts(g *group, sel *selSet, path []string) {
	firstType := map[string]string{}
	var taken map[string]bool
	for _, frag := range sel.items {
		if frag.typeCond == "" {
			continue
		}
		for _, it := range frag.sub.items {
			if it.typeCond != "" || it.name == "__typename" {
				continue
			}
			key := it.key()
			t := b.sg.FieldTypeStringIn(g.graph, frag.typeCond, it.name)
			prev, seen := firstType[key]
			if !seen {
				firstType[key] = t
				continue
			}
			if prev == t {
				continue
			}
			if taken == nil {
				taken = map[string]bool{}
				selKeys(sel, taken)
			}
			base := b.prefix + frag.typeCond + "_" + key
			alias := base
			for i := 2; taken[alias]; i++ {
				alias = base + "_" + strconv.Itoa(i)
			}
			taken[alias] = true
			it.alias = alias
			rel := append([]string(nil), path[len(g.path):]...)
			g.renames = append(g.renames, &Rename{Path: rel, TypeName: frag.typeCond, From: alias, To: key})
		}
	}
}

// planInterfaceObject handles a subgraph that only knows an interface as an
// @interfaceObject: it answers the interface's own fields, and when the
// client needs the concrete type (type conditions, __typename), a subgraph
// that owns the interface turns each object into its implementation.
func (b *builder) planInterfaceObject(g *group, item *selItem, iface string, subs []Selection, path []string, provided ast.SelectionSet, depth int) error {
	var cfs []*CollectedField
	onIface := map[string]int{} // keys answered on the interface itself
	collectInto(&cfs, onIface, subs, iface, b.applies, true)
	if _, err := b.planFields(g, item.sub, iface, cfs, path, provided, depth); err != nil {
		return err
	}
	if !needsConcreteType(subs, iface) {
		return nil
	}
	owners := b.sg.InterfaceOwners(iface)
	if len(owners) == 0 {
		return fmt.Errorf("cannot plan %s from %s: no subgraph owns the interface with a key", iface, g.graph)
	}
	child := b.child(g, owners[0], path)
	if err := b.requireKey(g, child, item.sub, iface, iface, path, provided, depth); err != nil {
		return err
	}
	frag := child.sel.fragment(iface)
	frag.field("", "__typename", nil, false)
	for _, obj := range b.sg.PossibleTypes(child.graph, iface) {
		var rest []*CollectedField
		for _, cf := range CollectFields(subs, obj, b.applies) {
			if _, done := onIface[cf.Key]; !done {
				rest = append(rest, cf)
			}
		}
		if onlyTypename(rest) {
			continue
		}
		if _, err := b.planFields(child, frag.fragment(obj), obj, rest, path, nil, depth); err != nil {
			return err
		}
	}
	return nil
}

// needsConcreteType reports whether a selection on iface asks for anything
// that depends on the implementation: __typename or a fragment on another
// type.
func needsConcreteType(sels []Selection, iface string) bool {
	for _, s := range sels {
		if s.Field != nil {
			if s.Field.Name == "__typename" {
				return true
			}
			continue
		}
		if s.Fragment.TypeCondition != iface || needsConcreteType(s.Fragment.Selections, iface) {
			return true
		}
	}
	return false
}

// collectInto collects fields for typ, treating fragments on other types as
// not applying when strict.
func collectInto(out *[]*CollectedField, idx map[string]int, sels []Selection, typ string, applies Applies, strict bool) {
	for _, s := range sels {
		if s.Field != nil {
			k := s.Field.ResponseKey()
			if i, ok := idx[k]; ok {
				(*out)[i].Fields = append((*out)[i].Fields, s.Field)
				continue
			}
			idx[k] = len(*out)
			*out = append(*out, &CollectedField{Key: k, Fields: []*Field{s.Field}})
			continue
		}
		if s.Fragment.TypeCondition == typ || (!strict && applies(s.Fragment.TypeCondition, typ)) {
			collectInto(out, idx, s.Fragment.Selections, typ, applies, strict)
		}
	}
}

func onlyTypename(cfs []*CollectedField) bool {
	for _, cf := range cfs {
		if cf.First().Name != "__typename" {
			return false
		}
	}
	return true
}

// onInterfaceOnly reports whether every inline fragment of sels, nested
// ones included, is on iface itself. A fragment on another type inside one
// on iface still names an implementation or another interface.
func onInterfaceOnly(sels []Selection, iface string) bool {
	for _, s := range sels {
		if s.Fragment != nil && (s.Fragment.TypeCondition != iface || !onInterfaceOnly(s.Fragment.Selections, iface)) {
			return false
		}
	}
	return true
}

// interfaceLevel reports whether a selection on the interface iface can be
// sent to graph as is: it names no implementation, and each selected field
// resolves in graph, without @requires, on the interface and on every
// implementation graph can return.
func (b *builder) interfaceLevel(graph, iface string, possible []string, sels []Selection, provided ast.SelectionSet) bool {
	if len(provided) > 0 {
		return false
	}
	if !onInterfaceOnly(sels, iface) {
		return false
	}
	var cfs []*CollectedField
	collectInto(&cfs, map[string]int{}, sels, iface, b.applies, true)
	for _, cf := range cfs {
		name := cf.First().Name
		if name == "__typename" {
			continue
		}
		for _, t := range append([]string{iface}, possible...) {
			r, ok := b.sg.Resolve(graph, t, name)
			if !ok || r.Requires != nil || r.Provides != nil {
				return false
			}
			if b.sg.FieldTypeIn(graph, t, name) != "" {
				return false
			}
		}
	}
	return true
}

// fieldCandidates lists the subgraphs that could resolve typ.field on the
// objects at path: graph, which does, and every other subgraph resolving
// the field that could be resolving those objects. Those are the subgraphs
// that resolve the field leading there (recorded with setCandidates) and,
// for an entity, every subgraph with a key for it, since a plan may enter
// any of them; at the root, any subgraph.
func (b *builder) fieldCandidates(graph, typ, field string, path []string) []string {
	from, known := b.reach[candidatesKey(path, typ)]
	root := len(path) == 0 && typ == b.op.RootType
	out := []string{graph}
	for _, c := range b.sg.FieldGraphs(typ, field) {
		if c == graph {
			continue
		}
		if root || (known && slices.Contains(from, c)) || len(b.sg.Keys(c, typ)) > 0 {
			out = append(out, c)
		}
	}
	return out
}

// setCandidates records the subgraphs that could resolve the field leading
// to the objects of type typ at path, adding to those recorded already.
func (b *builder) setCandidates(path []string, typ string, cands []string) {
	k := candidatesKey(path, typ)
	for _, c := range cands {
		if !slices.Contains(b.reach[k], c) {
			b.reach[k] = append(b.reach[k], c)
		}
	}
}

func candidatesKey(path []string, typ string) string {
	return strings.Join(path, ".") + "|" + typ
}

// commonMembers keeps the members of the union that every candidate
// subgraph of the field returning it declares. When a shareable field could
// be resolved by several subgraphs whose unions differ (a partial union),
// only those members are certain whichever subgraph answers, so a fragment
// on any other member is not fetched: objects of that type get only their
// __typename, as Apollo's planners do.
func (b *builder) commonMembers(union string, possible, cands []string) []string {
	var out []string
	for _, m := range possible {
		common := true
		for _, c := range cands {
			if !slices.Contains(b.sg.PossibleTypes(c, union), m) {
				common = false
				break
			}
		}
		if common {
			out = append(out, m)
		}
	}
	return out
}
