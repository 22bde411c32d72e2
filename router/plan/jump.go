package plan

// Entity jumps: fetching fields of objects from another subgraph through
// _entities, with the keys and @requires fields that takes.

import (
	"fmt"
	"strings"

	"github.com/cinegraph/cinegraph/router/supergraph"
	"github.com/vektah/gqlparser/v2/ast"
)

// jump fetches cf for the objects at path from another subgraph (or the same
// one through _entities when the field has @requires).
func (b *builder) jump(g *group, out *selSet, typ string, cf *CollectedField, path []string, provided ast.SelectionSet, depth int, force string) (map[*group]bool, error) {
	f := cf.First()
	entityType := typ
	var cands []string
	for _, c := range b.sg.FieldGraphs(typ, f.Name) {
		if len(b.sg.Keys(c, typ)) > 0 {
			cands = append(cands, c)
		}
	}
	if len(cands) == 0 {
		// Fields an @interfaceObject adds to every implementation.
		if iface, graphs := b.sg.InterfaceObjectSource(typ, f.Name); iface != "" {
			entityType, cands = iface, graphs
		}
	}
	if len(cands) == 0 {
		return nil, fmt.Errorf("cannot plan %s.%s: no subgraph resolving it has a resolvable key for %s (reached from %s)", typ, f.Name, typ, g.graph)
	}
	pathKey := strings.Join(path, ".")
	target := ""
	if force != "" && contains(cands, force) {
		target = force
	}
	// Prefer subgraphs g can enter directly with a key it already has;
	// others need the key fetched first.
	var direct []string
	for _, c := range cands {
		if b.canEnter(g.graph, c, entityType, typ, provided) {
			direct = append(direct, c)
		}
	}
	if len(direct) > 0 {
		cands = direct
	}
	for _, c := range cands {
		if target != "" {
			break
		}
		if g.children[c+"|"+pathKey] != nil {
			target = c
			break
		}
	}
	if target == "" {
		target = b.cheapest(cands, typ, cf)
	}
	res, _ := b.sg.Resolve(target, entityType, f.Name)
	var child *group
	if res.Requires != nil {
		// Required fields come first and never from the fetch that needs
		// them, even when the same subgraph resolves them.
		reqSels := b.fieldSetSelections(typ, res.Requires, path)
		reqProd, err := b.planFields(g, out, typ, CollectFields(reqSels, typ, b.applies), path, provided, depth+1)
		if err != nil {
			return nil, fmt.Errorf("requires of %s.%s: %w", typ, f.Name, err)
		}
		reqRep := repFields(reqSels, false, false)
		child = b.childExcluding(g, target, path, reqProd, typ, reqRep)
		if err := b.requireKey(g, child, out, typ, entityType, path, provided, depth); err != nil {
			return nil, err
		}
		for _, x := range b.groups {
			if reqProd[x] {
				child.addDep(x)
			}
		}
		mergeRep(&child.rep(typ).Fields, reqRep)
	} else {
		child = b.child(g, target, path)
		if err := b.requireKey(g, child, out, typ, entityType, path, provided, depth); err != nil {
			return nil, err
		}
	}
	frag := child.sel.fragment(entityType)
	item := frag.field(f.DataKey(), f.Name, f.Arguments, isComposite(b.sg, f.Type))
	nested := map[*group]bool{}
	local, rest := b.splitUnreachable(target, cf, res.Provides)
	if err := b.planSub(child, item, entityType, local, path, res.Provides, depth, nested); err != nil {
		return nil, err
	}
	if len(rest) > 0 {
		more, err := b.planElsewhere(g, out, typ, cf, rest, path, provided, depth, target)
		if err != nil {
			return nil, err
		}
		for x := range more {
			nested[x] = true
		}
	}
	nested[child] = true
	return nested, nil
}

// child finds or creates g's entity fetch to graph for the objects at path.
func (b *builder) child(g *group, graph string, path []string) *group {
	return b.childExcluding(g, graph, path, nil, "", nil)
}

// childExcluding is child, skipping fetches in exclude (those producing
// what the new field requires) and fetches whose representation of typ
// cannot also carry rep (see repConflicts). Extra fetches for the same
// subgraph and path get numbered keys.
func (b *builder) childExcluding(g *group, graph string, path []string, exclude map[*group]bool, typ string, rep []*RepField) *group {
	base := graph + "|" + strings.Join(path, ".")
	k := base
	for i := 2; ; i++ {
		c := g.children[k]
		if c == nil {
			break
		}
		if !exclude[c] && !b.dependsOnAny(c, exclude) && !c.repConflicts(typ, rep) {
			return c
		}
		k = fmt.Sprintf("%s#%d", base, i)
	}
	c := b.newGroup(graph, g, path)
	g.children[k] = c
	return c
}

// repConflicts reports whether g's representation of typ already carries
// a field of fields under another response key: the same field required
// with other arguments (price(currency: "USD") and price(currency: "EUR")),
// which one representation cannot hold twice, so the field requiring it
// needs an entity fetch of its own.
func (g *group) repConflicts(typ string, fields []*RepField) bool {
	for _, r := range g.reps {
		if r.TypeName == typ {
			return repFieldsConflict(r.Fields, fields)
		}
	}
	return false
}

func repFieldsConflict(dst, src []*RepField) bool {
	for _, s := range src {
		for _, d := range dst {
			if d.Name == s.Name && (d.ResponseKey != s.ResponseKey || repFieldsConflict(d.Fields, s.Fields)) {
				return true
			}
		}
	}
	return false
}

// dependsOnAny reports whether any group in set waits for c: a fetch that
// feeds the requirements cannot also be the one that needs them.
func (b *builder) dependsOnAny(c *group, set map[*group]bool) bool {
	for x := range set {
		if reaches(x, c, map[*group]bool{}) {
			return true
		}
	}
	return false
}

// reaches reports whether from (transitively) depends on to.
func reaches(from, to *group, seen map[*group]bool) bool {
	if from == to {
		return true
	}
	if seen[from] {
		return false
	}
	seen[from] = true
	for _, d := range from.deps {
		if reaches(d, to, seen) {
			return true
		}
	}
	return false
}

// requireKey makes g fetch a key of entityType in child's subgraph for the
// objects of type typ at path, and adds it to child's representation.
func (b *builder) requireKey(g, child *group, out *selSet, typ, entityType string, path []string, provided ast.SelectionSet, depth int) error {
	key := b.chooseKey(g.graph, child.graph, entityType, typ, provided)
	if !b.allLocal(g.graph, typ, key.Selection, provided) {
		// Fetching the key needs another entity fetch first; refuse loops.
		guard := fmt.Sprintf("%d|%s|%s|%s", g.id, typ, child.graph, strings.Join(path, "."))
		if b.keyInProgress[guard] {
			return fmt.Errorf("%s cannot provide a key of %s for %s", g.graph, entityType, child.graph)
		}
		b.keyInProgress[guard] = true
		defer delete(b.keyInProgress, guard)
	}
	keySels := append([]Selection{{Field: &Field{Name: "__typename", internal: true}}}, b.fieldSetSelections(typ, key.Selection, path)...)
	if err := b.require(g, child, out, typ, keySels, true, path, provided, depth); err != nil {
		return fmt.Errorf("key %q of %s for %s: %w", key.Fields, entityType, child.graph, err)
	}
	if entityType != typ {
		child.rep(typ).SendAs = entityType
	}
	return nil
}

// require plans sels (keys or @requires fields) on the objects g fetches at
// path and records them in child's representation.
func (b *builder) require(g, child *group, out *selSet, typ string, sels []Selection, key bool, path []string, provided ast.SelectionSet, depth int) error {
	cfs := CollectFields(sels, typ, b.applies)
	prod, err := b.planFields(g, out, typ, cfs, path, provided, depth+1)
	if err != nil {
		return err
	}
	for _, x := range b.groups {
		if prod[x] {
			child.addDep(x)
		}
	}
	mergeRep(&child.rep(typ).Fields, repFields(sels, key, false))
	return nil
}

func (b *builder) chooseKey(from, target, entityType, typ string, provided ast.SelectionSet) supergraph.Key {
	keys := b.sg.Keys(target, entityType)
	for _, k := range keys {
		if b.allLocal(from, typ, k.Selection, provided) {
			return k
		}
	}
	return keys[0]
}

func (b *builder) allLocal(graph, typ string, sel ast.SelectionSet, provided ast.SelectionSet) bool {
	for _, s := range sel {
		f, ok := s.(*ast.Field)
		if !ok {
			continue
		}
		if f.Name == "__typename" {
			continue
		}
		var sub ast.SelectionSet
		if pf := b.providedField(provided, typ, f.Name); pf != nil {
			sub = pf.SelectionSet
		} else if r, ok := b.sg.Resolve(graph, typ, f.Name); ok && r.Requires == nil {
			sub = r.Provides
		} else {
			return false
		}
		if len(f.SelectionSet) > 0 {
			fd := b.sg.Schema.Types[typ].Fields.ForName(f.Name)
			if !b.allLocal(graph, fd.Type.Name(), f.SelectionSet, sub) {
				return false
			}
		}
	}
	return true
}

// fieldSetSelections turns a key or requires field set into planner-added
// selections on the objects at path. Each field takes its own name as its
// response key unless something else answers to that name there (see
// addedKey).
func (b *builder) fieldSetSelections(typ string, set ast.SelectionSet, path []string) []Selection {
	var out []Selection
	def := b.sg.Schema.Types[typ]
	for _, s := range set {
		switch s := s.(type) {
		case *ast.Field:
			f := &Field{Name: s.Name, Arguments: s.Arguments, internal: true}
			if s.Name == "__typename" {
				out = append(out, Selection{Field: f})
				continue
			}
			fd := def.Fields.ForName(s.Name)
			if fd == nil {
				continue
			}
			f.Type = fd.Type
			if key := b.addedKey(path, s.Name, s.Arguments); key != s.Name {
				f.Alias = key
			}
			if len(s.SelectionSet) > 0 {
				f.Selections = b.fieldSetSelections(fd.Type.Name(), s.SelectionSet, subPath(path, f.ResponseKey(), fd.Type))
				if b.sg.Schema.Types[fd.Type.Name()].IsAbstractType() {
					f.Selections = append([]Selection{{Field: &Field{Name: "__typename", internal: true}}}, f.Selections...)
				}
			}
			out = append(out, Selection{Field: f})
		case *ast.InlineFragment:
			tc := s.TypeCondition
			if tc == "" {
				tc = typ
			}
			out = append(out, Selection{Fragment: &Fragment{TypeCondition: tc, Selections: b.fieldSetSelections(tc, s.SelectionSet, path)}})
		}
	}
	return out
}

// repFields lists what a representation carries. Key fields must be
// non-null; fields under a type condition may be absent.
func repFields(sels []Selection, key, optional bool) []*RepField {
	var out []*RepField
	for _, s := range sels {
		if s.Field != nil {
			out = append(out, &RepField{Name: s.Field.Name, ResponseKey: s.Field.ResponseKey(), Key: key, Optional: optional, Fields: repFields(s.Field.Selections, false, false)})
			continue
		}
		out = append(out, repFields(s.Fragment.Selections, key, true)...)
	}
	return out
}

func mergeRep(dst *[]*RepField, src []*RepField) {
	for _, s := range src {
		var found *RepField
		for _, d := range *dst {
			if d.Name == s.Name && d.ResponseKey == s.ResponseKey {
				found = d
				break
			}
		}
		if found == nil {
			*dst = append(*dst, s)
			continue
		}
		mergeRep(&found.Fields, s.Fields)
	}
}

// canEnter reports whether objects of type typ fetched from graph carry a
// key of entityType that target can resolve.
func (b *builder) canEnter(graph, target, entityType, typ string, provided ast.SelectionSet) bool {
	for _, k := range b.sg.Keys(target, entityType) {
		if b.allLocal(graph, typ, k.Selection, provided) {
			return true
		}
	}
	return false
}
